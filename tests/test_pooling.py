"""Tests of lib.pooling: loops = vectorised, where the gradient goes, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.pooling as pooling
from contract import Layer, assert_refused, bad


def _args(mode, f, stride):
    def make_args(rng, dtype):
        # distinct values: the maximum of every window is unique, so max pooling is differentiable
        return {"A_prev": rng.standard_normal((2, 7, 6, 3)).astype(dtype), "f": f, "stride": stride, "mode": mode}
    return make_args


LAYERS = [
    Layer(pooling.pool_forward, pooling.pool_backward, _args("max", 2, 2), ("A_prev",), name="max pool 2, stride 2"),
    Layer(pooling.pool_forward, pooling.pool_backward, _args("max", 3, 1), ("A_prev",), name="max pool 3, stride 1"),
    Layer(pooling.pool_forward, pooling.pool_backward, _args("average", 3, 2), ("A_prev",),
          name="average pool 3, stride 2"),
]


def test_max_and_average_of_a_known_4x4():
    A = np.arange(16.0).reshape(1, 4, 4, 1)
    mx, _ = pooling.pool_forward(A, 2, 2, "max")
    av, _ = pooling.pool_forward(A, 2, 2, "average")
    np.testing.assert_array_equal(mx[0, :, :, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(av[0, :, :, 0], [[2.5, 4.5], [10.5, 12.5]])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), m=st.integers(1, 3), n_H=st.integers(2, 9), n_W=st.integers(2, 9),
       n_C=st.integers(1, 3), f=st.integers(1, 3), s=st.integers(1, 3), mode=st.sampled_from(pooling.MODES))
def test_loops_and_vectorised_agree(seed, m, n_H, n_W, n_C, f, s, mode):
    f = min(f, n_H, n_W)
    A = np.random.default_rng(seed).normal(size=(m, n_H, n_W, n_C))
    out, cache = pooling.pool_forward(A, f, s, mode)
    out_naive, cache_naive = pooling.pool_forward_naive(A, f, s, mode)
    np.testing.assert_allclose(out, out_naive, atol=1e-12)
    dA = np.ones_like(out)
    np.testing.assert_array_equal(pooling.pool_backward(dA, cache)["dA_prev"],
                                  pooling.pool_backward(dA, cache_naive)["dA_prev"])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), f=st.integers(1, 3), s=st.integers(1, 3), mode=st.sampled_from(pooling.MODES))
def test_the_gradient_is_conserved(seed, f, s, mode):
    """Every window passes on exactly the gradient it received: Σ dA_prev = Σ dA."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(2, 7, 6, 2))
    out, cache = pooling.pool_forward(A, f, s, mode)
    dA = rng.normal(size=out.shape)
    np.testing.assert_allclose(pooling.pool_backward(dA, cache)["dA_prev"].sum(), dA.sum(), rtol=1e-10, atol=1e-10)


def test_max_gradient_goes_to_one_input_on_ties():
    A = np.ones((1, 2, 2, 1))
    out, cache = pooling.pool_forward(A, 2, 2, "max")
    d = pooling.pool_backward(np.ones_like(out), cache)["dA_prev"]
    assert d.sum() == 1 and d[0, 0, 0, 0] == 1


def test_float32_in_float32_out():
    A = np.random.default_rng(0).normal(size=(2, 6, 6, 2)).astype(np.float32)
    for mode in pooling.MODES:
        for forward in (pooling.pool_forward, pooling.pool_forward_naive):
            out, cache = forward(A, 2, 2, mode)
            assert out.dtype == np.float32
            assert pooling.pool_backward(out, cache)["dA_prev"].dtype == np.float32


def test_extreme_values_pool_exactly():
    A = np.array([1e300, -1e300, 1e-300, 0.0]).reshape(1, 2, 2, 1)
    out, cache = pooling.pool_forward(A, 2, 2, "max")
    assert out.item() == 1e300
    np.testing.assert_array_equal(pooling.pool_backward(np.ones_like(out), cache)["dA_prev"].ravel(), [1, 0, 0, 0])
    average, _ = pooling.pool_forward(A / 4, 2, 2, "average")
    assert np.isfinite(average).all()


def test_a_window_holding_a_nan_is_refused_not_dropped():
    """The issue's case: pool_backward silently gave a NaN window's gradient to no input."""
    A = np.zeros((1, 2, 2, 1))
    A[0, 0, 1, 0] = np.nan
    with pytest.raises(ValueError, match=r"^A_prev: contains NaN"):
        pooling.pool_forward(A, 2, 2, "max")


# ---------------------------------------------------------------- bad input

_A = np.zeros((1, 4, 4, 1))
_out, _CACHE = pooling.pool_forward(_A, 2, 2)
_NAN = np.full((1, 4, 4, 1), np.nan)

BAD_INPUTS = [
    bad(pooling.pool_forward, "f", _A, 5, 1),
    bad(pooling.pool_forward, "stride", _A, 2, 0),
    bad(pooling.pool_forward, "mode", _A, 2, 2, "min"),
    bad(pooling.pool_forward, "A_prev", np.zeros((4, 4)), 2, 2),
    bad(pooling.pool_forward, "A_prev", _NAN, 2, 2),
    bad(pooling.pool_forward, "A_prev", np.zeros((0, 4, 4, 1)), 2, 2),
    bad(pooling.pool_forward, "f", _A, 2.0, 2, error=TypeError),
    bad(pooling.pool_forward_naive, "f", _A, 0, 1),
    bad(pooling.pool_forward_naive, "mode", _A, 2, 2, "mean"),
    bad(pooling.pool_forward_naive, "A_prev", _NAN, 2, 2),
    bad(pooling.pool_backward, "dA", np.zeros((1, 3, 3, 1)), _CACHE),
    bad(pooling.pool_backward, "dA", np.full((1, 2, 2, 1), np.nan), _CACHE),
    bad(pooling.pool_backward, "dA", np.zeros((2, 2, 1)), _CACHE),
    bad(pooling.pool_backward, "cache", _out, (_A, 2, 2, "max"), error=TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
