"""Tests of lib.cnn: the whole network's gradients, Adam, training beats the baseline."""
import numpy as np
import pytest

import lib.cnn as cnn
from lib.data import one_hot, train_test_split
from lib.gradcheck import gradient_check
from lib.images import make_shapes

RNG = np.random.default_rng(0)


def test_cnn_gradient_check():
    images = RNG.normal(size=(3, 6, 6, 2))
    params = cnn.init_cnn((6, 6, 2), n_classes=3, n_filters=2, f=3, seed=1)
    Y = one_hot([0, 2, 1], 3)
    _, grads = cnn.cnn_cost(images, Y, params)
    errors = gradient_check(lambda: cnn.cnn_cost(images, Y, params)[0], params,
                            {k: grads["d" + k] for k in params})
    assert max(errors.values()) < 1e-7, errors


def test_shapes_and_dtype():
    params = cnn.init_cnn((8, 8, 3), n_classes=4, n_filters=5, f=3, dtype=np.float32)
    assert params["W1"].shape == (3, 3, 3, 5) and params["W2"].shape == (4, 4 * 4 * 5)
    Z2, _ = cnn.cnn_forward(np.zeros((7, 8, 8, 3)), params)
    assert Z2.shape == (4, 7) and Z2.dtype == np.float32


def test_standardize_images():
    X = RNG.uniform(0, 1, (4, 5, 5, 3))
    S = cnn.standardize_images(X)
    np.testing.assert_allclose(S.mean(axis=(1, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(S.std(axis=(1, 2, 3)), 1)
    assert np.all(cnn.standardize_images(np.ones((1, 3, 3, 1))) == 0)


def test_cnn_learns_shapes_better_than_softmax_regression():
    images, labels = make_shapes(m=800, size=16, channels=1, classes=("square", "cross"), seed=3)
    Xtr, ytr, Xte, yte = train_test_split(cnn.standardize_images(images), labels, 0.25,
                                          seed=0, example_axis=0)
    params, costs = cnn.train_cnn(Xtr, ytr, 2, epochs=8, learning_rate=0.01, f=3, seed=0)
    assert costs[-1] < costs[0]
    cnn_acc = np.mean(cnn.predict_cnn(Xte, params) == yte)
    base, _ = cnn.train_softmax_regression(Xtr.reshape(len(Xtr), -1).T, ytr, 2, epochs=6)
    base_acc = np.mean(cnn.predict_softmax_regression(Xte.reshape(len(Xte), -1).T, base) == yte)
    assert cnn_acc > 0.9 and cnn_acc > base_acc


def test_bad_input():
    with pytest.raises(ValueError, match="f: expected an odd"):
        cnn.init_cnn((8, 8, 1), 3, f=4)
    with pytest.raises(ValueError, match="input_shape"):
        cnn.init_cnn((8, 8), 3)
    params = cnn.init_cnn((8, 8, 1), 3, f=3)
    with pytest.raises(ValueError, match="images: expected n_C = 1"):
        cnn.cnn_forward(np.zeros((2, 8, 8, 3)), params)
    with pytest.raises(ValueError, match="images: expected pictures of the size"):
        cnn.cnn_forward(np.zeros((2, 10, 10, 1)), params)
    with pytest.raises(ValueError, match="labels"):
        cnn.train_cnn(np.zeros((4, 8, 8, 1)), [0, 1, 2], 3)
    with pytest.raises(ValueError, match="labels"):
        cnn.train_cnn(np.zeros((3, 8, 8, 1)), [0, 1, 5], 3)
    with pytest.raises(ValueError, match="X: expected shape"):
        cnn.predict_softmax_regression(np.zeros((5, 2)), {"W": np.zeros((2, 4)), "b": np.zeros((2, 1))})
