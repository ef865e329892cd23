"""Tests for lib.gru: shapes, caches, gradient checks of the cell and of BPTT, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.gru as gru
from lib.gradcheck import gradient_check

N_X, N_A, M, T = 3, 4, 2, 5


def _setup(seed=0, m=M, T_x=T):
    rng = np.random.default_rng(seed)
    params = gru.initialize_gru(N_X, N_A, seed=seed)
    for k in params:                      # non-zero biases so every term is exercised
        params[k] = params[k] + 0.3 * rng.standard_normal(params[k].shape)
    x = rng.standard_normal((N_X, m, T_x))
    a0 = rng.standard_normal((N_A, m))
    return params, x, a0, rng


def test_initialize_shapes():
    p = gru.initialize_gru(5, 7, seed=1)
    assert set(p) == set(gru.PARAMETER_NAMES)
    for g in "zrh":
        assert p[f"W_{g}"].shape == (7, 5)
        assert p[f"U_{g}"].shape == (7, 7)
        assert p[f"b_{g}"].shape == (7, 1)
    assert np.array_equal(p["W_z"], gru.initialize_gru(5, 7, seed=1)["W_z"])


def test_cell_forward_shapes_and_cache():
    params, x, a0, _ = _setup()
    a1, cache = gru.gru_cell_forward(x[:, :, 0], a0, params)
    assert a1.shape == (N_A, M)
    xt, a_prev, z, r, a_tilde, p = cache
    assert z.shape == r.shape == a_tilde.shape == (N_A, M)
    assert np.all((z > 0) & (z < 1)) and np.all((r > 0) & (r < 1))
    # the new state is a convex combination of the old state and the candidate
    assert np.allclose(a1, (1 - z) * a_prev + z * a_tilde)


def test_update_gate_closed_copies_the_state():
    params, x, a0, _ = _setup()
    params["b_z"][:] = -1000.0            # z = sigmoid(-1000) = 0: keep the old state
    a1, _ = gru.gru_cell_forward(x[:, :, 0], a0, params)
    assert np.allclose(a1, a0)


def test_cell_backward_gradient_check():
    params, x, a0, rng = _setup(1)
    xt = x[:, :, 0].copy()
    dout = rng.standard_normal((N_A, M))
    a1, cache = gru.gru_cell_forward(xt, a0, params)
    grads = gru.gru_cell_backward(dout, cache)

    def f():
        return np.sum(gru.gru_cell_forward(xt, a0, params)[0] * dout)

    arrays = {"xt": xt, "a_prev": a0, **params}
    errors = gradient_check(f, arrays, {name: grads["d" + name] for name in arrays})
    assert max(errors.values()) < 1e-7, errors


def test_sequence_backward_gradient_check():
    params, x, a0, rng = _setup(2)
    da = rng.standard_normal((N_A, M, T))
    a, caches = gru.gru_forward(x, a0, params)
    grads = gru.gru_backward(da, caches)

    def f():
        return np.sum(gru.gru_forward(x, a0, params)[0] * da)

    arrays = {"x": x, "a0": a0, **params}
    errors = gradient_check(f, arrays, {name: grads["d" + name] for name in arrays})
    assert max(errors.values()) < 1e-7, errors


def test_sequence_matches_loop_of_cells():
    """The batched gru_forward/backward equal T_x calls of the cell functions."""
    params, x, a0, rng = _setup(3)
    da = rng.standard_normal((N_A, M, T))
    a, caches = gru.gru_forward(x, a0, params)
    a_prev, cells = a0, []
    for t in range(T):
        a_prev, c = gru.gru_cell_forward(x[:, :, t], a_prev, params)
        cells.append(c)
        assert np.allclose(a[:, :, t], a_prev)
    grads = gru.gru_backward(da, caches)
    total = {k: np.zeros_like(v) for k, v in params.items()}
    da_next = np.zeros((N_A, M))
    for t in reversed(range(T)):
        g = gru.gru_cell_backward(da[:, :, t] + da_next, cells[t])
        da_next = g["da_prev"]
        assert np.allclose(grads["dx"][:, :, t], g["dxt"])
        for k in total:
            total[k] += g["d" + k]
    assert np.allclose(grads["da0"], da_next)
    for k in total:
        assert np.allclose(grads["d" + k], total[k]), k


def test_caches_content():
    params, x, a0, _ = _setup()
    a, caches = gru.gru_forward(x, a0, params)
    for k in ("z", "r", "a_tilde"):
        assert caches[k].shape == (T, N_A, M)        # time-major
    assert caches["x"] is not None and caches["a0"].shape == (N_A, M)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 4), st.integers(1, 6), st.floats(-1000, 1000))
def test_states_stay_bounded(m, T_x, scale):
    """|a| <= max(|a0|, 1): a convex combination of the old state and a tanh."""
    params = gru.initialize_gru(N_X, N_A, seed=0)
    x = np.full((N_X, m, T_x), scale)
    a0 = np.full((N_A, m), 0.5)
    a, _ = gru.gru_forward(x, a0, params)
    assert np.all(np.isfinite(a)) and np.all(np.abs(a) <= 1.0 + 1e-12)


def test_bad_input():
    params, x, a0, _ = _setup()
    with pytest.raises(ValueError, match="x"):
        gru.gru_forward(x[:, :, 0], a0, params)            # wrong rank
    with pytest.raises(ValueError, match="x"):
        gru.gru_forward(x[:, :, :0], a0, params)           # empty sequence
    with pytest.raises(ValueError, match="a0"):
        gru.gru_forward(x, a0[:-1], params)                # hidden state of the wrong shape
    with pytest.raises(ValueError, match="a_prev"):
        gru.gru_cell_forward(x[:, :, 0], a0.T, params)
    with pytest.raises(ValueError, match="xt"):
        gru.gru_cell_forward(x[:-1, :, 0], a0, params)
    with pytest.raises(ValueError, match="parameters"):
        gru.gru_cell_forward(x[:, :, 0], a0, {"W_z": params["W_z"]})
    with pytest.raises(ValueError, match="n_a"):
        gru.initialize_gru(3, 0)
    a, caches = gru.gru_forward(x, a0, params)
    with pytest.raises(ValueError, match="da"):
        gru.gru_backward(np.zeros((N_A, M)), caches)
