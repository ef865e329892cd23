"""lib.minibatch: one epoch's mini-batches."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from contract import bad
from lib.data import make_moons
from lib.minibatch import length_buckets, minibatch_indices, minibatches


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 300), st.integers(1, 400))
def test_an_epoch_uses_every_example_exactly_once(seed, m, batch_size):
    batches = minibatch_indices(m, batch_size, np.random.default_rng(seed))
    assert len(batches) == math.ceil(m / batch_size)
    assert all(idx.size == batch_size for idx in batches[:-1])
    assert batches[-1].size == m - batch_size * (len(batches) - 1)          # the rest, 1 … B
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(m))


def test_the_last_batch_holds_what_is_left():
    sizes = [idx.size for idx in minibatch_indices(10, 4, np.random.default_rng(0))]
    assert sizes == [4, 4, 2]
    assert [idx.size for idx in minibatch_indices(8, 4, np.random.default_rng(0))] == [4, 4]
    assert [idx.size for idx in minibatch_indices(5, 64, np.random.default_rng(0))] == [5]   # B >= m: one batch
    assert [idx.size for idx in minibatch_indices(3, 1, np.random.default_rng(0))] == [1, 1, 1]  # stochastic


def test_successive_epochs_get_new_orders_and_a_seed_replays_them():
    rng = np.random.default_rng(5)
    first, second = (np.concatenate(minibatch_indices(50, 8, rng)) for _ in range(2))
    assert not np.array_equal(first, second)                    # the generator advanced
    again = np.concatenate(minibatch_indices(50, 8, np.random.default_rng(5)))
    np.testing.assert_array_equal(first, again)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 64))
def test_minibatches_keep_each_example_with_its_label(seed, batch_size):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 100))
    X = np.vstack([np.arange(m), rng.normal(size=m)])              # row 0 names the example
    Y = (np.arange(m) % 3)[None, :] * 1.0
    batches = minibatches(X, Y, batch_size=batch_size, seed=int(rng.integers(0, 1000)))
    assert len(batches) == math.ceil(m / batch_size)
    for X_t, Y_t in batches:
        assert X_t.shape[0] == 2 and Y_t.shape == (1, X_t.shape[1])
        np.testing.assert_array_equal(Y_t[0], X_t[0] % 3)          # still paired
        np.testing.assert_array_equal(X_t[1], X[1, X_t[0].astype(int)])
    np.testing.assert_array_equal(np.sort(np.concatenate([X_t[0] for X_t, _ in batches])), np.arange(m))


def test_minibatches_of_images_along_axis_0_and_dtypes_kept():
    images = np.arange(7 * 2 * 2 * 1, dtype=np.float32).reshape(7, 2, 2, 1)
    labels = np.arange(7)
    batches = minibatches(images, labels, batch_size=3, seed=1, example_axis=0)
    assert [b[0].shape for b in batches] == [(3, 2, 2, 1), (3, 2, 2, 1), (1, 2, 2, 1)]
    for X_t, y_t in batches:
        assert X_t.dtype == np.float32 and y_t.dtype == labels.dtype
        np.testing.assert_array_equal(X_t[:, 0, 0, 0], y_t * 4)
    flat = minibatches(np.ones((3, 5), dtype=np.float32), np.zeros((1, 5)), batch_size=2)
    assert flat[0][0].dtype == np.float32 and [b[0].shape[1] for b in flat] == [2, 2, 1]


def test_the_same_seed_gives_the_same_batches():
    X, Y = make_moons(m=30, seed=0)
    a, b = minibatches(X, Y, 8, seed=3), minibatches(X, Y, 8, seed=3)
    assert all(np.array_equal(x1, x2) and np.array_equal(y1, y2) for (x1, y1), (x2, y2) in zip(a, b))
    c = minibatches(X, Y, 8, seed=4)
    assert not np.array_equal(a[0][0], c[0][0])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 200), st.integers(1, 40), st.integers(1, 5))
def test_length_buckets_use_every_sequence_once_in_batches_of_similar_lengths(seed, m, batch_size, group):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 30, size=m)
    batches = length_buckets(lengths, batch_size, np.random.default_rng(seed), group)
    assert np.array_equal(np.sort(np.concatenate(batches)), np.arange(m))
    assert all(1 <= b.size <= batch_size for b in batches)
    if group == 1:
        return
    # sorted within each run of `group` batches: a batch's lengths are a contiguous slice of
    # its run's sorted lengths, so no batch straddles another batch of the same run
    for b in batches:
        assert np.all(np.diff(lengths[b]) >= 0)


def test_length_buckets_of_one_group_of_everything_are_sorted_batches():
    lengths = np.array([5, 1, 4, 2, 3, 6])
    batches = length_buckets(lengths, 2, np.random.default_rng(0), group=3)
    assert sorted(tuple(lengths[b]) for b in batches) == [(1, 2), (3, 4), (5, 6)]


_X, _Y = make_moons(m=20, seed=0)
_RNG = np.random.default_rng(0)

BAD_INPUTS = [
    bad(length_buckets, "lengths", np.ones((2, 3)), 2, _RNG),
    bad(length_buckets, "lengths", np.array([]), 2, _RNG),
    bad(length_buckets, "batch_size", np.ones(4), 0, _RNG),
    bad(length_buckets, "rng", np.ones(4), 2, 3, error=TypeError),
    bad(length_buckets, "group", np.ones(4), 2, _RNG, 0),
    bad(minibatch_indices, "m", 0, 4, _RNG),
    bad(minibatch_indices, "m", 2.5, 4, _RNG, error=TypeError),
    bad(minibatch_indices, "batch_size", 10, 0, _RNG),
    bad(minibatch_indices, "batch_size", 10, -3, _RNG),
    bad(minibatch_indices, "rng", 10, 4, 0, error=TypeError),
    bad(minibatches, "batch_size", _X, _Y, 0),
    bad(minibatches, "batch_size", _X, _Y, 1.5, error=TypeError),
    bad(minibatches, "Y", _X, _Y[:, :5]),
    bad(minibatches, "Y", np.ones((4, 2, 2, 1)), np.zeros(3), example_axis=0),
    bad(minibatches, "X", np.ones((2, 0)), np.ones((1, 0))),
    bad(minibatches, "X", 3.0, _Y),
    bad(minibatches, "seed", _X, _Y, 4, seed=-1),
    bad(minibatches, "example_axis", _X, _Y, example_axis=1),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    from contract import assert_refused
    assert_refused(case)
