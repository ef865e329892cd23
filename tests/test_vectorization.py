"""Tests for lib.vectorization: the loop and the vectorised dot product agree."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.vectorization as V

finite = st.floats(-1e3, 1e3, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=0, max_size=50))
def test_loop_agrees_with_vectorised(pairs):
    a = np.array([p[0] for p in pairs], dtype=float)
    b = np.array([p[1] for p in pairs], dtype=float)
    expected = V.dot_vectorized(a, b)
    assert V.dot_loop(a.tolist(), b.tolist()) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert V.dot_loop(a, b) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_known_value_and_type():
    assert V.dot_loop([1, 2, 3], [4, 5, 6]) == 32.0
    assert isinstance(V.dot_loop([1], [2]), float)
    assert V.dot_vectorized(np.arange(4.0), np.ones(4)) == 6.0


def test_length_mismatch_is_named():
    with pytest.raises(ValueError, match="b: expected 3 entries"):
        V.dot_loop([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"b: expected shape \(n,\)"):
        V.dot_vectorized(np.ones(3), np.ones(2))


def test_vectorised_checks_rank_and_nan():
    with pytest.raises(ValueError, match="a: expected a 1-d array"):
        V.dot_vectorized(np.ones((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match="b: contains NaN"):
        V.dot_vectorized(np.ones(3), np.array([1.0, np.nan, 1.0]))
