"""Tests for lib.data: shapes, labels, seeding and the bad-input errors."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.data as data
from contract import assert_refused, bad

MAKERS = [data.make_flower, data.make_moons, data.make_circles, data.make_blobs]


@pytest.mark.parametrize("make", MAKERS)
def test_shapes_labels_and_seed(make):
    X, Y = make(m=200, seed=4)
    assert X.shape == (2, 200) and Y.shape == (1, 200)
    assert X.dtype == Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert np.all(np.isfinite(X))
    X2, Y2 = make(m=200, seed=4)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    X3, _ = make(m=200, seed=5)
    assert not np.array_equal(X, X3)


@pytest.mark.parametrize("make", MAKERS)
def test_seed_none_gives_fresh_data(make):
    X1, _ = make(m=50, seed=None)
    X2, _ = make(m=50, seed=None)
    assert X1.shape == (2, 50) and not np.array_equal(X1, X2)


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


def test_blobs_centres_and_classes():
    centers = [(-5.0, 0.0), (0.0, 5.0), (5.0, 0.0)]
    X, Y = data.make_blobs(m=300, centers=centers, std=0.0, seed=0)
    assert sorted(np.unique(Y).tolist()) == [0.0, 1.0, 2.0]
    for k, c in enumerate(centers):
        assert np.allclose(X[:, Y[0] == k], np.array(c)[:, None])
        assert np.sum(Y == k) == 100


def test_spirals_shapes_labels_and_seed():
    X, labels = data.make_spirals(m=203, n_classes=5, seed=4)
    assert X.shape == (2, 203) and labels.shape == (203,)
    assert X.dtype == np.float64 and labels.dtype == np.int64
    counts = np.bincount(labels, minlength=5)
    assert counts.sum() == 203 and counts.max() - counts.min() <= 1         # balanced: 41, 41, 41, 40, 40
    assert np.all(np.hypot(X[0], X[1]) <= 1.0)                              # the radius t is in [0, 1]
    X2, labels2 = data.make_spirals(m=203, n_classes=5, seed=4)
    assert np.array_equal(X, X2) and np.array_equal(labels, labels2)
    assert not np.array_equal(X, data.make_spirals(m=203, n_classes=5, seed=5)[0])
    assert not np.array_equal(X, data.make_spirals(m=203, n_classes=5, seed=None)[0])


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 7), st.floats(0.0, 3.0))
def test_noise_free_spirals_lie_on_their_arms(seed, n_classes, turns):
    # without noise, the angle of a point of class k, less 2π·turns·r, is the arm's start 2πk/K (mod 2π)
    X, labels = data.make_spirals(m=60, n_classes=n_classes, turns=turns, noise=0.0, seed=seed)
    r = np.hypot(X[0], X[1])
    keep = r > 1e-6
    start = np.arctan2(X[1], X[0]) - 2 * np.pi * turns * r - 2 * np.pi * labels / n_classes
    assert np.allclose(np.cos(start[keep]), 1.0, atol=1e-6)


def test_straight_spirals_are_wedges():
    # turns = 0, no noise: class k is the ray at angle 2πk/K, so the K classes never mix
    X, labels = data.make_spirals(m=400, n_classes=4, turns=0.0, noise=0.0, seed=0)
    angle = np.round(np.arctan2(X[1], X[0]) / (np.pi / 2)) % 4
    assert np.array_equal(angle.astype(int), labels)


def test_train_test_split_partitions():
    X = np.arange(20.0).reshape(2, 10)
    Y = (np.arange(10) % 2)[None, :].astype(float)
    Xtr, Ytr, Xte, Yte = data.train_test_split(X, Y, test_fraction=0.3, seed=1)
    assert Xtr.shape == (2, 7) and Xte.shape == (2, 3)
    assert sorted(np.hstack([Xtr[0], Xte[0]]).tolist()) == X[0].tolist()
    assert np.array_equal(Ytr, (Xtr[0] % 2)[None, :]) and np.array_equal(Yte, (Xte[0] % 2)[None, :])
    imgs = np.arange(10 * 16).reshape(10, 4, 4, 1)
    labels = np.arange(10)
    a, b, c, d = data.train_test_split(imgs, labels, 0.5, example_axis=0)
    assert a.shape == (5, 4, 4, 1) and c.shape == (5, 4, 4, 1)
    assert b.dtype == labels.dtype                               # integer labels stay integers
    assert np.array_equal(a[:, 0, 0, 0] // 16, b) and np.array_equal(c[:, 0, 0, 0] // 16, d)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 60), st.floats(0.01, 0.99))
def test_train_test_split_is_a_partition(seed, m, fraction):
    X = np.random.default_rng(seed).normal(size=(3, m))
    X[0] = np.arange(m)                                          # tag each example
    if max(1, round(m * fraction)) >= m:
        with pytest.raises(ValueError, match="X"):
            data.train_test_split(X, X[:1], fraction, seed=seed)
        return
    Xtr, Ytr, Xte, Yte = data.train_test_split(X, X[:1], fraction, seed=seed)
    assert sorted(np.concatenate([Xtr[0], Xte[0]]).tolist()) == list(range(m))
    assert Xte.shape[1] == max(1, round(m * fraction))
    assert np.array_equal(Ytr, Xtr[:1]) and np.array_equal(Yte, Xte[:1])


def test_one_hot():
    assert np.array_equal(data.one_hot([2, 0], 3), [[0, 1], [0, 0], [1, 0]])
    assert np.array_equal(data.one_hot(np.array([[1.0, 0.0]]), 2), [[0, 1], [1, 0]])   # (1, m), whole floats
    out = data.one_hot(np.arange(5) % 4, 4)
    assert out.shape == (4, 5) and np.all(out.sum(axis=0) == 1) and out.dtype == np.float64


def test_messages_say_what_was_expected():
    with pytest.raises(ValueError, match="labels: expected whole numbers"):
        data.one_hot([0, 1.5, 2.9], 3)                           # the old bug: truncated to [0, 1, 2]
    with pytest.raises(ValueError, match=r"labels: expected integers in \[0, 2\], got range \[-1, 0\]"):
        data.one_hot([-1, 0], 3)                                 # never wrapped round to the last class
    with pytest.raises(ValueError, match="m: expected an even number"):
        data.make_flower(m=7)
    with pytest.raises(TypeError, match="seed: expected an integer >= 0"):
        data.make_moons(seed=1.5)


_X = np.zeros((2, 5))
_Y = np.zeros((1, 5))
BAD_INPUTS = [
    *[case for make in MAKERS for case in (
        bad(make, "m", m=0),
        bad(make, "m", m=2.5, error=TypeError),
        bad(make, "seed", seed=-1),
        bad(make, "seed", seed="1", error=TypeError),
    )],
    *[case for make in (data.make_flower, data.make_moons, data.make_circles) for case in (
        bad(make, "noise", noise=-0.1),
        bad(make, "noise", noise=np.nan),
        bad(make, "noise", noise="low", error=TypeError),
    )],
    bad(data.make_flower, "m", m=7),
    bad(data.make_circles, "factor", factor=1.5),
    bad(data.make_circles, "factor", factor=0.0),
    bad(data.make_blobs, "std", std=np.nan),
    bad(data.make_blobs, "std", std=-1.0),
    bad(data.make_blobs, "m", m=1, centers=((0, 0), (1, 1))),       # fewer examples than classes
    bad(data.make_blobs, "centers", centers=((0, 0, 0), (1, 1, 1))),
    bad(data.make_blobs, "centers", centers=((0, np.nan), (1, 1))),
    bad(data.make_blobs, "centers", centers=np.zeros((0, 2))),
    bad(data.make_spirals, "m", m=3, n_classes=4),                 # fewer examples than classes
    bad(data.make_spirals, "m", m=10.0, error=TypeError),
    bad(data.make_spirals, "n_classes", n_classes=1),
    bad(data.make_spirals, "n_classes", n_classes=2.5, error=TypeError),
    bad(data.make_spirals, "turns", turns=-0.5),
    bad(data.make_spirals, "turns", turns=np.inf),
    bad(data.make_spirals, "noise", noise=-0.1),
    bad(data.make_spirals, "noise", noise="low", error=TypeError),
    bad(data.make_spirals, "seed", seed=-1),
    bad(data.train_test_split, "Y", _X, np.zeros((1, 4))),
    bad(data.train_test_split, "Y", _X, np.array([[0.0, np.nan, 0.0, 0.0, 1.0]])),
    bad(data.train_test_split, "Y", _X, [["a"] * 5], error=TypeError),
    bad(data.train_test_split, "X", np.array([[np.nan] * 5, [0.0] * 5]), _Y),
    bad(data.train_test_split, "X", np.zeros((2, 2)), np.zeros((1, 2)), test_fraction=0.9),
    bad(data.train_test_split, "X", np.zeros((2, 1)), np.zeros((1, 1))),
    bad(data.train_test_split, "X", np.zeros(5), np.zeros(5), example_axis=1),
    bad(data.train_test_split, "test_fraction", _X, _Y, test_fraction=1.0),
    bad(data.train_test_split, "test_fraction", _X, _Y, test_fraction=0),
    bad(data.train_test_split, "test_fraction", _X, _Y, test_fraction="0.2", error=TypeError),
    bad(data.train_test_split, "seed", _X, _Y, seed=-3),
    bad(data.train_test_split, "example_axis", _X, _Y, example_axis=1.0, error=TypeError),
    bad(data.one_hot, "labels", [0, 1.5, 2.9], 3),
    bad(data.one_hot, "labels", [-1, 0], 3),
    bad(data.one_hot, "labels", [3], 3),
    bad(data.one_hot, "labels", [], 3),
    bad(data.one_hot, "labels", [[0, 1], [1, 0]], 2),
    bad(data.one_hot, "labels", ["a"], 3, error=TypeError),
    bad(data.one_hot, "n_classes", [0], 0),
    bad(data.one_hot, "n_classes", [0], 2.0, error=TypeError),
    bad(data.one_hot, "n_classes", [0], None, error=TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
