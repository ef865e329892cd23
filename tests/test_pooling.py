"""Tests of lib.pooling: loops = vectorised, gradient checks, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.pooling as pooling
from lib.gradcheck import numerical_gradient_array, relative_error

RNG = np.random.default_rng(0)


def test_max_and_average_of_a_known_4x4():
    A = np.arange(16.0).reshape(1, 4, 4, 1)
    mx, _ = pooling.pool_forward(A, 2, 2, "max")
    av, _ = pooling.pool_forward(A, 2, 2, "average")
    np.testing.assert_array_equal(mx[0, :, :, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(av[0, :, :, 0], [[2.5, 4.5], [10.5, 12.5]])


@settings(max_examples=30, deadline=None)
@given(m=st.integers(1, 3), n_H=st.integers(2, 9), n_W=st.integers(2, 9), n_C=st.integers(1, 3),
       f=st.integers(1, 3), s=st.integers(1, 3), mode=st.sampled_from(pooling.MODES))
def test_naive_and_vectorised_agree(m, n_H, n_W, n_C, f, s, mode):
    f = min(f, n_H, n_W)
    A = RNG.normal(size=(m, n_H, n_W, n_C))
    np.testing.assert_allclose(pooling.pool_forward(A, f, s, mode)[0],
                               pooling.pool_forward_naive(A, f, s, mode)[0], atol=1e-12)


@pytest.mark.parametrize("mode", pooling.MODES)
@pytest.mark.parametrize("f,s", [(2, 2), (3, 1), (3, 2)])
def test_pool_backward_gradient_check(mode, f, s):
    A = RNG.normal(size=(2, 7, 6, 3))          # distinct values: the max is differentiable
    out, cache = pooling.pool_forward(A, f, s, mode)
    dA = RNG.normal(size=out.shape)
    num = numerical_gradient_array(lambda: pooling.pool_forward(A, f, s, mode)[0], A, dA)
    assert relative_error(pooling.pool_backward(dA, cache), num) < 1e-7


def test_max_gradient_goes_to_one_input_on_ties():
    A = np.ones((1, 2, 2, 1))
    out, cache = pooling.pool_forward(A, 2, 2, "max")
    d = pooling.pool_backward(np.ones_like(out), cache)
    assert d.sum() == 1 and d[0, 0, 0, 0] == 1


def test_bad_input():
    with pytest.raises(ValueError, match="f: the pool window 5 × 5 does not fit"):
        pooling.pool_forward(np.zeros((1, 4, 4, 1)), 5, 1)
    with pytest.raises(ValueError, match="stride"):
        pooling.pool_forward(np.zeros((1, 4, 4, 1)), 2, 0)
    with pytest.raises(ValueError, match="mode"):
        pooling.pool_forward(np.zeros((1, 4, 4, 1)), 2, 2, "min")
    with pytest.raises(ValueError, match="A_prev: expected a 4-d"):
        pooling.pool_forward(np.zeros((4, 4)), 2, 2)
    out, cache = pooling.pool_forward(np.zeros((1, 4, 4, 1)), 2, 2)
    with pytest.raises(ValueError, match="dA: expected shape"):
        pooling.pool_backward(np.zeros((1, 3, 3, 1)), cache)
