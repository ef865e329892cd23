"""Tests for lib.data: shapes, labels, seeding and the bad-input errors."""
import numpy as np
import pytest

import lib.data as data


@pytest.mark.parametrize("make", [data.make_flower, data.make_moons, data.make_circles, data.make_blobs])
def test_shapes_labels_and_seed(make):
    X, Y = make(m=200, seed=4)
    assert X.shape == (2, 200) and Y.shape == (1, 200)
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert np.all(np.isfinite(X))
    X2, Y2 = make(m=200, seed=4)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    X3, _ = make(m=200, seed=5)
    assert not np.array_equal(X, X3)


def test_balanced_classes():
    for make in (data.make_flower, data.make_moons, data.make_circles):
        _, Y = make(m=300, seed=0)
        assert Y.sum() == 150


def test_flower_petals_radius():
    # noise-free flower: every point lies on r = |4 sin 4θ|
    X, _ = data.make_flower(m=100, noise=0.0, seed=0)
    r = np.hypot(X[0], X[1])
    assert r.max() <= 4.0 + 1e-9 and r.max() > 3.9


def test_circles_radii():
    X, Y = data.make_circles(m=400, factor=0.3, noise=0.0, seed=0)
    r = np.hypot(X[0], X[1])
    assert np.allclose(r[Y[0] == 0], 1.0) and np.allclose(r[Y[0] == 1], 0.3)


def test_train_test_split_partitions():
    X = np.arange(20.0).reshape(2, 10)
    Y = (np.arange(10) % 2)[None, :].astype(float)
    Xtr, Ytr, Xte, Yte = data.train_test_split(X, Y, test_fraction=0.3, seed=1)
    assert Xtr.shape == (2, 7) and Xte.shape == (2, 3)
    assert sorted(np.hstack([Xtr[0], Xte[0]]).tolist()) == X[0].tolist()
    assert np.array_equal(Ytr, (Xtr[0] % 2)[None, :]) and np.array_equal(Yte, (Xte[0] % 2)[None, :])
    imgs = np.zeros((10, 4, 4, 1))
    a, b, c, d = data.train_test_split(imgs, np.zeros(10), 0.5, example_axis=0)
    assert a.shape == (5, 4, 4, 1) and c.shape == (5, 4, 4, 1)


def test_one_hot():
    assert np.array_equal(data.one_hot([2, 0], 3), [[0, 1], [0, 0], [1, 0]])


def test_bad_input():
    with pytest.raises(ValueError, match="m"):
        data.make_flower(m=7)
    with pytest.raises(ValueError, match="m"):
        data.make_moons(m=0)
    with pytest.raises(ValueError, match="factor"):
        data.make_circles(factor=1.5)
    with pytest.raises(ValueError, match="Y"):
        data.train_test_split(np.zeros((2, 5)), np.zeros((1, 4)))
    with pytest.raises(ValueError, match="test_fraction"):
        data.train_test_split(np.zeros((2, 5)), np.zeros((1, 5)), test_fraction=1.0)
    with pytest.raises(ValueError, match="labels"):
        data.one_hot([3], 3)
    with pytest.raises(ValueError, match="noise"):
        data.make_flower(noise=-0.1)
    with pytest.raises(ValueError, match="std"):
        data.make_blobs(std=np.nan)
    with pytest.raises(ValueError, match="X"):
        data.train_test_split(np.zeros((2, 2)), np.zeros((1, 2)), test_fraction=0.9)
