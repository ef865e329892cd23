"""Tests of lib.cnn: the whole network's gradients, training beats the baseline, bad input."""
import numpy as np
import pytest

import lib.cnn as cnn
import lib.softmax_regression as softmax_regression
from contract import Layer, assert_refused, bad
from lib.data import one_hot, train_test_split
from lib.gradcheck import gradient_check
from lib.images import make_shapes, standardize_images


def _args(rng, dtype):
    parameters = cnn.initialize_cnn((6, 6, 2), n_classes=3, n_filters=2, f=3, seed=int(rng.integers(1000)),
                                    dtype=dtype)
    parameters["b1"] = rng.standard_normal(parameters["b1"].shape).astype(dtype)
    parameters["b2"] = rng.standard_normal(parameters["b2"].shape).astype(dtype)
    return {"images": rng.standard_normal((3, 6, 6, 2)).astype(dtype), "parameters": parameters, "pool": 2}


LAYERS = [Layer(cnn.cnn_forward, cnn.cnn_backward, _args, ("parameters",))]


def test_cost_gradient_check():
    images = np.random.default_rng(0).normal(size=(3, 6, 6, 2))
    parameters = cnn.initialize_cnn((6, 6, 2), n_classes=3, n_filters=2, f=3, seed=1)
    Y = one_hot([0, 2, 1], 3)
    _, grads = cnn.cnn_cost(images, Y, parameters)
    errors = gradient_check(lambda: cnn.cnn_cost(images, Y, parameters)[0], parameters,
                            {k: grads["d" + k] for k in parameters})
    assert max(errors.values()) < 1e-7, errors


def test_shapes_and_dtype():
    parameters = cnn.initialize_cnn((8, 8, 3), n_classes=4, n_filters=5, f=3, dtype=np.float32)
    assert parameters["W1"].shape == (3, 3, 3, 5) and parameters["W2"].shape == (4, 4 * 4 * 5)
    assert all(p.dtype == np.float32 for p in parameters.values())
    Z2, cache = cnn.cnn_forward(np.zeros((7, 8, 8, 3), np.float32), parameters)
    assert Z2.shape == (4, 7) and Z2.dtype == np.float32
    grads = cnn.cnn_backward(np.ones_like(Z2) / 7, cache)
    assert all(grads["d" + k].dtype == np.float32 and grads["d" + k].shape == p.shape
               for k, p in parameters.items())
    assert cnn.predict_cnn(np.zeros((7, 8, 8, 3)), parameters).shape == (7,)


def test_the_same_seed_gives_the_same_parameters():
    a = cnn.initialize_cnn((8, 8, 1), 3, f=3, seed=4)
    b = cnn.initialize_cnn((8, 8, 1), 3, f=3, seed=4)
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_cnn_learns_shapes_better_than_softmax_regression():
    images, labels = make_shapes(m=800, size=16, channels=1, classes=("square", "cross"), seed=3)
    Xtr, ytr, Xte, yte = train_test_split(standardize_images(images), labels, 0.25,
                                          seed=0, example_axis=0)
    parameters, costs = cnn.train_cnn(Xtr, ytr, 2, num_epochs=8, learning_rate=0.01, f=3, seed=0)
    assert len(costs) == 8 and costs[-1] < costs[0]
    cnn_acc = np.mean(cnn.predict_cnn(Xte, parameters) == yte)
    base, _ = softmax_regression.train_softmax_regression_adam(Xtr.reshape(len(Xtr), -1).T, ytr, 2, num_epochs=6)
    base_acc = np.mean(softmax_regression.predict_softmax_regression(Xte.reshape(len(Xte), -1).T, base) == yte)
    assert cnn_acc > 0.9 and cnn_acc > base_acc


# ---------------------------------------------------------------- bad input

_P = cnn.initialize_cnn((8, 8, 1), 3, f=3)
_IM = np.zeros((2, 8, 8, 1))
_Z2, _CACHE = cnn.cnn_forward(_IM, _P)
_Y = one_hot([0, 1], 3)
_no_W2 = {k: v for k, v in _P.items() if k != "W2"}
_bad_b1 = {**_P, "b1": np.zeros((1, 1, 1, 3))}

BAD_INPUTS = [
    bad(cnn.initialize_cnn, "f", (8, 8, 1), 3, f=4),
    bad(cnn.initialize_cnn, "input_shape", (8, 8), 3),
    bad(cnn.initialize_cnn, "n_classes", (8, 8, 1), 1),
    bad(cnn.initialize_cnn, "pool", (8, 8, 1), 3, pool=9),
    bad(cnn.initialize_cnn, "seed", (8, 8, 1), 3, seed=-1),
    bad(cnn.initialize_cnn, "dtype", (8, 8, 1), 3, dtype="float16"),
    bad(cnn.cnn_forward, "images", np.zeros((2, 8, 8, 3)), _P),
    bad(cnn.cnn_forward, "images", np.zeros((2, 10, 10, 1)), _P),
    bad(cnn.cnn_forward, "images", np.full((2, 8, 8, 1), np.nan), _P),
    bad(cnn.cnn_forward, "parameters", _IM, _no_W2),
    bad(cnn.cnn_forward, "parameters", _IM, _bad_b1),
    bad(cnn.cnn_forward, "parameters", _IM, [1, 2], error=TypeError),
    bad(cnn.cnn_forward, "pool", _IM, _P, pool=0),
    bad(cnn.cnn_backward, "dZ2", np.zeros((3, 3)), _CACHE),
    bad(cnn.cnn_backward, "dZ2", np.full((3, 2), np.nan), _CACHE),
    bad(cnn.cnn_backward, "cache", _Z2, (1, 2), error=TypeError),
    bad(cnn.cnn_cost, "Y_onehot", _IM, np.zeros((3, 3)), _P),
    bad(cnn.cnn_cost, "images", np.zeros((8, 8, 1)), _Y, _P),
    bad(cnn.cnn_cost, "parameters", _IM, _Y, _no_W2),
    bad(cnn.predict_cnn, "images", np.zeros((2, 8, 8)), _P),
    bad(cnn.predict_cnn, "batch_size", _IM, _P, batch_size=0),
    bad(cnn.predict_cnn, "parameters", _IM, {"W1": _P["W1"]}),
    bad(cnn.train_cnn, "labels", np.zeros((4, 8, 8, 1)), [0, 1, 2], 3),
    bad(cnn.train_cnn, "labels", np.zeros((3, 8, 8, 1)), [0, 1, 5], 3),
    bad(cnn.train_cnn, "labels", np.zeros((3, 8, 8, 1)), [0, 1, -1], 3),
    bad(cnn.train_cnn, "labels", np.zeros((3, 8, 8, 1)), [0, 1, 1.5], 3),
    bad(cnn.train_cnn, "num_epochs", np.zeros((3, 8, 8, 1)), [0, 1, 2], 3, num_epochs=0),
    bad(cnn.train_cnn, "batch_size", np.zeros((3, 8, 8, 1)), [0, 1, 2], 3, batch_size=0),
    bad(cnn.train_cnn, "learning_rate", np.zeros((3, 8, 8, 1)), [0, 1, 2], 3, learning_rate=-0.1),
    bad(cnn.train_cnn, "images", np.full((3, 8, 8, 1), np.inf), [0, 1, 2], 3),
    bad(cnn.train_cnn, "seed", np.zeros((3, 8, 8, 1)), [0, 1, 2], 3, seed=1.5, error=TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
