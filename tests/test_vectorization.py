"""Tests for lib.vectorization: the loop and the vectorised dot product agree, and refuse alike."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.vectorization as V
from contract import assert_refused, bad


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 50), seed=st.integers(0, 2**32 - 1))
def test_loop_agrees_with_vectorised(n, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(-1e3, 1e3, n), rng.uniform(-1e3, 1e3, n)
    expected = V.dot_vectorized(a, b)
    assert V.dot_loop(a.tolist(), b.tolist()) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert V.dot_loop(a, b) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_known_value_and_type():
    assert V.dot_loop([1, 2, 3], [4, 5, 6]) == 32.0
    assert isinstance(V.dot_loop([1], [2]), float)
    assert V.dot_vectorized(np.arange(4.0), np.ones(4)) == 6.0


def test_float32_sum_is_taken_in_float32():
    a = np.full(3, 1 / 3, dtype=np.float32)
    assert V.dot_vectorized(a, a) == float(np.dot(a, a))
    assert V.dot_vectorized(a, a) != float(np.dot(a.astype(np.float64), a.astype(np.float64)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_overflow_of_finite_entries_is_inf_in_both_without_warning(dtype):
    big = np.array([np.finfo(dtype).max / 2, 1.0], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert V.dot_loop(big, big) == V.dot_vectorized(big, big) == np.inf
        if dtype == np.float64:                  # tolist() makes float32 entries Python floats
            assert V.dot_loop(big.tolist(), big.tolist()) == np.inf


def test_loop_unchecked_is_the_loop_itself():
    assert V.dot_loop.unchecked([1.0, 2.0], [3.0, 4.0]) == 11.0


BAD_INPUTS = [
    bad(V.dot_loop, "b", [1, 2, 3], [1, 2]),
    bad(V.dot_loop, "a", [], []),
    bad(V.dot_loop, "a", ["1", "2"], [1, 2], error=TypeError),
    bad(V.dot_loop, "a", 3.0, [1.0], error=TypeError),
    bad(V.dot_loop, "b", [1.0, 2.0], [1.0, np.nan]),
    bad(V.dot_loop, "a", [np.inf, 1.0], [0.0, 1.0]),
    bad(V.dot_loop, "a", np.ones((3, 1)), np.ones(3)),
    bad(V.dot_vectorized, "b", np.ones(3), np.ones(2)),
    bad(V.dot_vectorized, "a", np.ones((3, 1)), np.ones(3)),
    bad(V.dot_vectorized, "b", np.ones(3), np.array([1.0, np.nan, 1.0])),
    bad(V.dot_vectorized, "a", np.ones(0), np.ones(0)),
    bad(V.dot_vectorized, "a", ["x", "y"], [1.0, 2.0], error=TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
