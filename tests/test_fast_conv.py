"""Tests of lib.fast_conv: it agrees with lib.conv (the convolution as taught) on values and gradients."""
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lib.conv as conv
import lib.fast_conv as fast_conv
from contract import Layer, assert_refused, bad

SEEDS = st.integers(0, 2 ** 32 - 1)


def _args(rng, dtype, stride=2, pad=1, dilation=1, n_C_prev=2, n_C=3):
    return {"A_prev": rng.standard_normal((3, 6, 5, n_C_prev)).astype(dtype),
            "W": rng.standard_normal((3, 3, n_C_prev, n_C)).astype(dtype),
            "b": rng.standard_normal((1, 1, 1, n_C)).astype(dtype),
            "stride": stride, "pad": pad, "dilation": dilation}


LAYERS = [
    Layer(fast_conv.conv_forward, fast_conv.conv_backward, _args, ("A_prev", "W", "b"),
          name="fast conv_forward, stride 2"),
    Layer(fast_conv.conv_forward, fast_conv.conv_backward,
          lambda rng, dtype: _args(rng, dtype, stride=1, pad="same", dilation=2),
          ("A_prev", "W", "b"), name="fast conv_forward, stride 1, dilation 2"),
    Layer(fast_conv.conv_forward, fast_conv.conv_backward,
          lambda rng, dtype: _args(rng, dtype, stride=1, pad=1, n_C_prev=1, n_C=20),
          ("A_prev", "W", "b"), name="fast conv_forward, stride 1, 20 filters"),
]


def _case(seed, m, n_H, n_W, n_C_prev, n_C, f, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((m, n_H, n_W, n_C_prev)).astype(dtype),
            rng.standard_normal((f, f, n_C_prev, n_C)).astype(dtype),
            rng.standard_normal((1, 1, 1, n_C)).astype(dtype), rng)


def _assert_agree(A, W, b, s, p, d, rng, tolerance):
    Z, cache = conv.conv_forward(A, W, b, s, p, d)
    Z_fast, cache_fast = fast_conv.conv_forward(A, W, b, s, p, d)
    assert Z_fast.shape == Z.shape and Z_fast.dtype == Z.dtype
    np.testing.assert_allclose(Z_fast, Z, **tolerance)
    dZ = rng.standard_normal(Z.shape).astype(Z.dtype)
    grads, grads_fast = conv.conv_backward(dZ, cache), fast_conv.conv_backward(dZ, cache_fast)
    assert sorted(grads_fast) == ["dA_prev", "dW", "db"]
    for key in grads:
        assert grads_fast[key].shape == grads[key].shape and grads_fast[key].dtype == grads[key].dtype
        np.testing.assert_allclose(grads_fast[key], grads[key], **tolerance)


@settings(max_examples=60, deadline=None)
@given(seed=SEEDS, m=st.integers(1, 4), n_H=st.integers(3, 9), n_W=st.integers(3, 9),
       n_C_prev=st.integers(1, 4), n_C=st.integers(1, 20), f=st.integers(1, 4),
       s=st.integers(1, 3), d=st.integers(1, 3), pad=st.sampled_from([0, 1, 2, 3, "valid", "full"]))
def test_fast_and_taught_convolutions_agree(seed, m, n_H, n_W, n_C_prev, n_C, f, s, d, pad):
    assume(d * (f - 1) + 1 <= min(n_H, n_W) + 2 * conv.resolve_padding(pad, f, d))   # it fits
    A, W, b, rng = _case(seed, m, n_H, n_W, n_C_prev, n_C, f)
    _assert_agree(A, W, b, s, pad, d, rng, {"rtol": 1e-10, "atol": 1e-10})


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS, s=st.integers(1, 3), d=st.integers(1, 2), p=st.integers(0, 2))
def test_they_agree_in_float32(seed, s, d, p):
    A, W, b, rng = _case(seed, 3, 8, 7, 3, 5, 3, np.float32)
    _assert_agree(A, W, b, s, p, d, rng, {"rtol": 1e-4, "atol": 1e-4})


@pytest.mark.parametrize("stride,dilation", [(1, 1), (1, 2), (2, 1), (3, 2)])
def test_chunks_of_one_example_give_the_same_numbers(monkeypatch, stride, dilation):
    A, W, b, rng = _case(0, 5, 9, 8, 2, 3, 3)
    Z, cache = fast_conv.conv_forward(A, W, b, stride, 2, dilation)
    dZ = rng.standard_normal(Z.shape)
    grads = fast_conv.conv_backward(dZ, cache)
    monkeypatch.setattr(fast_conv, "_CHUNK_BYTES", 1)          # one example per chunk
    Z_chunked, cache_chunked = fast_conv.conv_forward(A, W, b, stride, 2, dilation)
    np.testing.assert_allclose(Z_chunked, Z, rtol=1e-12, atol=1e-12)
    for key, g in fast_conv.conv_backward(dZ, cache_chunked).items():
        np.testing.assert_allclose(g, grads[key], rtol=1e-12, atol=1e-12)


def test_input_grad_false_skips_dA_prev_only():
    A, W, b, rng = _case(1, 2, 6, 6, 2, 3, 3)
    Z, cache = fast_conv.conv_forward(A, W, b, pad=1)
    dZ = rng.standard_normal(Z.shape)
    full = fast_conv.conv_backward(dZ, cache)
    partial = fast_conv.conv_backward(dZ, cache, input_grad=False)
    assert sorted(partial) == ["dW", "db"]
    np.testing.assert_allclose(partial["dW"], full["dW"])
    np.testing.assert_allclose(partial["db"], full["db"])


def test_the_two_modules_share_one_cache_form():
    A, W, b, rng = _case(2, 2, 6, 6, 2, 3, 3)
    Z, cache = conv.conv_forward(A, W, b, 2, 1)
    dZ = rng.standard_normal(Z.shape)
    for key, g in fast_conv.conv_backward(dZ, cache).items():
        np.testing.assert_allclose(g, conv.conv_backward(dZ, cache)[key], atol=1e-12)
    _, cache_fast = fast_conv.conv_forward(A, W, b, 2, 1)
    for key, g in conv.conv_backward_naive(dZ, cache_fast).items():
        np.testing.assert_allclose(g, conv.conv_backward(dZ, cache)[key], atol=1e-12)


def test_forward_leaves_its_inputs_and_the_caller_buffers_alone():
    A, W, b, rng = _case(3, 2, 6, 6, 2, 3, 3)
    Z1, cache = fast_conv.conv_forward(A, W, b, 1, 1)
    Z1_copy = Z1.copy()
    fast_conv.conv_forward(2 * A, W, b, 1, 1)                 # a second call must not reuse Z1
    fast_conv.conv_backward(rng.standard_normal(Z1.shape), cache)
    np.testing.assert_array_equal(Z1, Z1_copy)


def test_threads_do_not_share_scratch_memory():
    """The scratch arrays are kept per thread: two threads convolving at once get their own results."""
    from concurrent.futures import ThreadPoolExecutor
    cases = [_case(seed, 4, 12, 11, 2, 5, 3) for seed in range(6)]

    def both(case):
        A, W, b, rng = case
        Z, cache = fast_conv.conv_forward(A, W, b, 1, 1)
        return Z, fast_conv.conv_backward(np.ones_like(Z), cache)

    expected = [both(case) for case in cases]
    with ThreadPoolExecutor(3) as pool:
        for _ in range(5):
            for (Z, grads), (Z_ok, grads_ok) in zip(pool.map(both, cases), expected):
                np.testing.assert_array_equal(Z, Z_ok)
                for key in grads_ok:
                    np.testing.assert_array_equal(grads[key], grads_ok[key])


def test_extreme_but_valid_values_give_finite_scaled_results():
    A, W, b, _ = _case(4, 2, 6, 6, 2, 2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for scale in (1e-150, 1e100):
            Z, cache = fast_conv.conv_forward(A * scale, W, b * scale, 1, 1)
            np.testing.assert_allclose(Z, fast_conv.conv_forward(A, W, b, 1, 1)[0] * scale, rtol=1e-12)
            grads = fast_conv.conv_backward(np.ones_like(Z) * scale, cache)
            assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_float32_in_float32_out():
    A, W, b, rng = _case(5, 2, 6, 6, 2, 3, 3, np.float32)
    Z, cache = fast_conv.conv_forward(A, W, b, 1, 1)
    assert Z.dtype == np.float32
    assert all(g.dtype == np.float32 for g in fast_conv.conv_backward(Z, cache).values())


def test_importing_changes_nothing_process_wide():
    """No mallopt, no ldconfig: importing and running the convolution loads no C library."""
    code = ("import ctypes, ctypes.util\n"
            "def refuse(*args, **kwargs): raise AssertionError('a C library was loaded')\n"
            "ctypes.CDLL = ctypes.util.find_library = refuse\n"
            "import numpy as np, lib.conv, lib.fast_conv, lib.cnn, lib.pooling, lib.images\n"
            "Z, cache = lib.fast_conv.conv_forward(np.ones((2, 6, 6, 1)), np.ones((3, 3, 1, 2)), np.zeros(2))\n"
            "lib.fast_conv.conv_backward(Z, cache)\n"
            "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


# ---------------------------------------------------------------- bad input

_A = np.zeros((1, 6, 6, 1))
_W = np.zeros((3, 3, 1, 1))
_b = np.zeros(1)
_Z, _CACHE = fast_conv.conv_forward(_A, _W, _b)

BAD_INPUTS = [
    bad(fast_conv.conv_forward, "A_prev", np.zeros((6, 6, 1)), _W, _b),
    bad(fast_conv.conv_forward, "A_prev", np.full((1, 6, 6, 1), np.nan), _W, _b),
    bad(fast_conv.conv_forward, "W", np.zeros((1, 6, 6, 3)), np.zeros((3, 3, 1, 2)), np.zeros(2)),
    bad(fast_conv.conv_forward, "b", _A, _W, np.zeros(2)),
    bad(fast_conv.conv_forward, "f", np.zeros((1, 4, 4, 1)), np.zeros((5, 5, 1, 1)), _b),
    bad(fast_conv.conv_forward, "stride", _A, _W, _b, stride=0),
    bad(fast_conv.conv_forward, "pad", _A, _W, _b, pad="half"),
    bad(fast_conv.conv_backward, "dZ", np.zeros((1, 5, 5, 1)), _CACHE),
    bad(fast_conv.conv_backward, "dZ", np.full((1, 4, 4, 1), np.inf), _CACHE),
    bad(fast_conv.conv_backward, "cache", _Z, (_A, _W, _b), error=TypeError),
    bad(fast_conv.conv_backward, "input_grad", _Z, _CACHE, input_grad="no", error=TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
