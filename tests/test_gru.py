"""Tests for lib.gru: the cell and the sequence gradient-checked, batched = per-step, the gates' behaviour, bad input."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.gru as gru
from contract import Layer, assert_refused, bad
from lib.gradcheck import gradient_check

N_X, N_A, M, T = 3, 4, 2, 5


def _setup(seed=0, m=M, T_x=T, dtype=np.float64):
    rng = np.random.default_rng(seed)
    params = gru.initialize_gru(N_X, N_A, seed=seed)
    for k in params:                      # non-zero biases so every term is exercised
        params[k] = (params[k] + 0.3 * rng.standard_normal(params[k].shape)).astype(dtype)
    x = rng.standard_normal((N_X, m, T_x)).astype(dtype)
    a0 = rng.standard_normal((N_A, m)).astype(dtype)
    return params, x, a0, rng


def _cell_args(rng, dtype):
    p, x, a0, _ = _setup(int(rng.integers(1000)), dtype=dtype)
    return {"xt": x[:, :, 0].copy(), "a_prev": a0, "parameters": p}


def _sequence_args(rng, dtype):
    p, x, a0, _ = _setup(int(rng.integers(1000)), dtype=dtype)
    return {"x": x, "a0": a0, "parameters": p}


LAYERS = [
    Layer(gru.gru_cell_forward, gru.gru_cell_backward, _cell_args, ("xt", "a_prev", "parameters")),
    Layer(gru.gru_forward, gru.gru_backward, _sequence_args, ("x", "a0", "parameters")),
]


def _bad_inputs():
    p, x, a0, _ = _setup()
    nan_x = x.copy()
    nan_x[1, 1, 2] = np.nan
    _, cell_cache = gru.gru_cell_forward(x[:, :, 0], a0, p)
    _, cache = gru.gru_forward(x, a0, p)
    return [
        bad(gru.initialize_gru, "n_a", 3, 0),
        bad(gru.initialize_gru, "n_x", 1.5, 4, error=TypeError),
        bad(gru.initialize_gru, "seed", 3, 4, seed=-1),
        bad(gru.initialize_gru, "update_bias", 3, 4, update_bias=np.nan),
        bad(gru.gru_cell_forward, "a_prev", x[:, :, 0], a0.T, p),
        bad(gru.gru_cell_forward, "xt", x[:-1, :, 0], a0, p),
        bad(gru.gru_cell_forward, "xt", nan_x[:, :, 2], a0, p),
        bad(gru.gru_cell_forward, "parameters", x[:, :, 0], a0, {"W_z": p["W_z"]}),
        bad(gru.gru_cell_forward, "parameters", x[:, :, 0], a0, p | {"U_h": np.zeros((N_A, N_A + 1))}),
        bad(gru.gru_cell_backward, "da_next", np.zeros((N_A, M + 1)), cell_cache),
        bad(gru.gru_cell_backward, "da_next", np.full((N_A, M), np.inf), cell_cache),
        bad(gru.gru_cell_backward, "cache", np.zeros((N_A, M)), cache),
        bad(gru.gru_cell_backward, "cache", np.zeros((N_A, M)), None, error=TypeError),
        bad(gru.gru_forward, "x", x[:, :, 0], a0, p),
        bad(gru.gru_forward, "x", x[:, :, :0], a0, p),
        bad(gru.gru_forward, "x", nan_x, a0, p),
        bad(gru.gru_forward, "a0", x, a0[:-1], p),
        bad(gru.gru_forward, "parameters", x, a0, p | {"b_r": np.full((N_A, 1), np.nan)}),
        bad(gru.gru_forward, "parameters", x, a0, "W_z", error=TypeError),
        bad(gru.gru_backward, "da", np.zeros((N_A, M)), cache),
        bad(gru.gru_backward, "da", np.full((N_A, M, T), np.nan), cache),
        bad(gru.gru_backward, "cache", np.zeros((N_A, M, T)), cell_cache),
    ]


BAD_INPUTS = _bad_inputs()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


def test_initialize_shapes_and_seed():
    p = gru.initialize_gru(5, 7, seed=1, update_bias=-2.0)
    assert set(p) == set(gru.PARAMETER_NAMES)
    for g in "zrh":
        assert p[f"W_{g}"].shape == (7, 5) and p[f"U_{g}"].shape == (7, 7) and p[f"b_{g}"].shape == (7, 1)
    assert np.all(p["b_z"] == -2.0) and np.all(p["b_r"] == 0.0)
    assert np.array_equal(p["W_z"], gru.initialize_gru(5, 7, seed=1)["W_z"])
    assert gru.initialize_gru(5, 7, seed=None)["W_z"].shape == (7, 5)


def test_cell_forward_is_the_equations():
    params, x, a0, _ = _setup()
    xt = x[:, :, 0]
    a1, _ = gru.gru_cell_forward(xt, a0, params)

    def sigmoid(v):
        return 1.0 / (1.0 + np.exp(-v))

    p = params
    z = sigmoid(p["W_z"] @ xt + p["U_z"] @ a0 + p["b_z"])
    r = sigmoid(p["W_r"] @ xt + p["U_r"] @ a0 + p["b_r"])
    a_tilde = np.tanh(p["W_h"] @ xt + p["U_h"] @ (r * a0) + p["b_h"])
    np.testing.assert_allclose(a1, (1 - z) * a0 + z * a_tilde, rtol=1e-12)


def test_update_gate_closed_copies_the_state_and_its_gradient():
    """z = σ(−1000) = 0: every step copies a<t-1>, so a = a0 at every step and ∂J/∂a0 = Σ_t da<t>."""
    params, x, a0, rng = _setup()
    params["b_z"][:] = -1000.0
    a1, _ = gru.gru_cell_forward(x[:, :, 0], a0, params)
    np.testing.assert_array_equal(a1, a0)
    a, cache = gru.gru_forward(x, a0, params)
    np.testing.assert_array_equal(a, np.repeat(a0[:, :, None], T, axis=2))
    da = rng.standard_normal(a.shape)
    grads = gru.gru_backward(da, cache)
    np.testing.assert_allclose(grads["da0"], da.sum(axis=2), rtol=1e-12)
    assert np.all(grads["dx"] == 0) and np.all(grads["dW_h"] == 0)


def test_update_gate_open_forgets_the_initial_state():
    """z = 1: a<t> = ã<t> does not depend on a<t-1> when r = 0 as well, so ∂J/∂a0 = 0."""
    params, x, a0, rng = _setup(3)
    params["b_z"][:] = 1000.0
    params["b_r"][:] = -1000.0
    a, cache = gru.gru_forward(x, a0, params)
    a_other, _ = gru.gru_forward(x, -a0, params)
    np.testing.assert_allclose(a, a_other, rtol=0, atol=1e-15)   # a<t-1> + 1·(ã − a<t-1>): equal up to rounding
    grads = gru.gru_backward(rng.standard_normal(a.shape), cache)
    assert np.all(grads["da0"] == 0)


def test_cell_backward_gradient_check():
    params, x, a0, rng = _setup(1)
    xt = x[:, :, 0].copy()
    dout = rng.standard_normal((N_A, M))
    _, cache = gru.gru_cell_forward(xt, a0, params)
    grads = gru.gru_cell_backward(dout, cache)

    def f():
        return np.sum(gru.gru_cell_forward(xt, a0, params)[0] * dout)

    arrays = {"xt": xt, "a_prev": a0, **params}
    errors = gradient_check(f, arrays, {name: grads["d" + name] for name in arrays})
    assert max(errors.values()) < 1e-7, errors


def test_sequence_backward_gradient_check():
    params, x, a0, rng = _setup(2)
    da = rng.standard_normal((N_A, M, T))
    _, cache = gru.gru_forward(x, a0, params)
    grads = gru.gru_backward(da, cache)

    def f():
        return np.sum(gru.gru_forward(x, a0, params)[0] * da)

    arrays = {"x": x, "a0": a0, **params}
    errors = gradient_check(f, arrays, {name: grads["d" + name] for name in arrays})
    assert max(errors.values()) < 1e-7, errors


def test_sequence_matches_loop_of_cells():
    """The batched gru_forward/backward equal T_x calls of the cell functions."""
    params, x, a0, rng = _setup(3)
    da = rng.standard_normal((N_A, M, T))
    a, cache = gru.gru_forward(x, a0, params)
    a_prev, cells = a0, []
    for t in range(T):
        a_prev, c = gru.gru_cell_forward(x[:, :, t], a_prev, params)
        cells.append(c)
        np.testing.assert_allclose(a[:, :, t], a_prev, rtol=1e-12)
    grads = gru.gru_backward(da, cache)
    total = {k: np.zeros_like(v) for k, v in params.items()}
    da_next = np.zeros((N_A, M))
    for t in reversed(range(T)):
        g = gru.gru_cell_backward(da[:, :, t] + da_next, cells[t])
        da_next = g["da_prev"]
        np.testing.assert_allclose(grads["dx"][:, :, t], g["dxt"], rtol=1e-10)
        for k in total:
            total[k] += g["d" + k]
    np.testing.assert_allclose(grads["da0"], da_next, rtol=1e-10)
    for k in total:
        np.testing.assert_allclose(grads["d" + k], total[k], rtol=1e-10, err_msg=k)


def test_a_second_forward_pass_leaves_the_first_cache_valid():
    """Caches are independent: backward on an older cache gives that pass's gradients."""
    params, x, a0, rng = _setup(4)
    da = rng.standard_normal((N_A, M, T))
    _, cache = gru.gru_forward(x, a0, params)
    expected = gru.gru_backward(da, cache)
    gru.gru_forward(2 * x, -a0, params)
    again = gru.gru_backward(da, cache)
    for k in expected:
        np.testing.assert_array_equal(expected[k], again[k])


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_states_stay_bounded(seed):
    """|a| <= max(|a0|, 1): each state is a convex combination of the old state and a tanh."""
    rng = np.random.default_rng(seed)
    m, T_x = int(rng.integers(1, 5)), int(rng.integers(1, 7))
    params = gru.initialize_gru(N_X, N_A, seed=seed % 1000)
    x = rng.standard_normal((N_X, m, T_x)) * 10.0 ** rng.uniform(-2, 3)
    a0 = rng.uniform(-1, 1, (N_A, m))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, _ = gru.gru_forward(x, a0, params)
    assert np.all(np.isfinite(a)) and np.all(np.abs(a) <= 1.0 + 1e-12)


def test_float32_in_float32_out_and_agrees_with_float64():
    p32, x32, a32, rng = _setup(5, dtype=np.float32)
    p64, x64, a64, _ = _setup(5)
    da = rng.standard_normal((N_A, M, T))
    a, cache = gru.gru_forward(x32, a32, p32)
    grads = gru.gru_backward(da.astype(np.float32), cache)
    assert a.dtype == np.float32 and all(g.dtype == np.float32 for g in grads.values())
    a_ref, cache64 = gru.gru_forward(x64, a64, p64)
    np.testing.assert_allclose(a, a_ref, rtol=1e-5, atol=1e-6)
    grads64 = gru.gru_backward(da, cache64)
    for k in grads:
        np.testing.assert_allclose(grads[k], grads64[k], rtol=1e-4, atol=1e-5, err_msg=k)
