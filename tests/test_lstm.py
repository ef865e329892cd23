"""Tests for lib.lstm: the layer contract, the lecture's equations, the memory cell's additive path, bad input."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.lstm as L
import lib.rnn as R
from contract import Layer, assert_refused, bad
from lib import text
from lib.gradcheck import gradient_check

N_X, N_A, M, T = 3, 4, 2, 5


def _parameters(seed, dtype=np.float64, n_x=N_X, n_a=N_A):
    """initialize_lstm's parameters, biases perturbed so every term of the gradient is exercised."""
    rng = np.random.default_rng(seed + 1000)
    p = L.initialize_lstm(n_x, n_a, seed=seed)
    for k in p:
        p[k] = p[k] + 0.3 * rng.standard_normal(p[k].shape)
    return {k: v.astype(dtype) for k, v in p.items()}


def _cell_args(rng, dtype):
    return {"xt": rng.standard_normal((N_X, M)).astype(dtype),
            "a_prev": rng.standard_normal((N_A, M)).astype(dtype),
            "c_prev": rng.standard_normal((N_A, M)).astype(dtype),
            "parameters": _parameters(int(rng.integers(100)), dtype)}


def _sequence_args(rng, dtype):
    return {"x": rng.standard_normal((N_X, M, T)).astype(dtype),
            "a0": rng.standard_normal((N_A, M)).astype(dtype),
            "parameters": _parameters(int(rng.integers(100)), dtype)}


LAYERS = [
    Layer(L.lstm_cell_forward, L.lstm_cell_backward, _cell_args, ("xt", "a_prev", "c_prev", "parameters")),
    Layer(L.lstm_forward, L.lstm_backward, _sequence_args, ("x", "a0", "parameters")),
]


def _sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


# ---------------------------------------------------------------- initialisation

def test_initialize_lstm_shapes_scale_seed_and_forget_bias():
    p = L.initialize_lstm(50, 30, seed=3, forget_bias=1.5)
    assert list(p) == list(L.PARAMETER_NAMES)
    for g in "fuco":
        assert p[f"W_{g}"].shape == (30, 80) and p[f"b_{g}"].shape == (30, 1)
        assert p[f"W_{g}"].dtype == np.float64
        # N(0, 1/(n_a + n_x)): 2400 draws give the standard deviation within a few per cent
        assert np.std(p[f"W_{g}"]) == pytest.approx(1 / np.sqrt(80), rel=0.08)
    assert np.all(p["b_f"] == 1.5)
    assert all(np.all(p[f"b_{g}"] == 0) for g in "uco")
    again = L.initialize_lstm(50, 30, seed=3, forget_bias=1.5)
    assert all(np.array_equal(p[k], again[k]) for k in p)
    assert not np.array_equal(p["W_f"], L.initialize_lstm(50, 30, seed=4)["W_f"])
    assert L.initialize_lstm(2, 3, seed=None)["W_o"].shape == (3, 5)


def test_default_forget_bias_starts_the_cell_keeping_most_of_its_memory():
    """b_f = 1: with a zero input and state, Γ_f = σ(1) ≈ 0.73 and the cell keeps 73% of c<t-1>."""
    p = L.initialize_lstm(N_X, N_A, seed=0)
    c_prev = np.ones((N_A, 1))
    _, cache = L.lstm_cell_forward(np.zeros((N_X, 1)), np.zeros((N_A, 1)), c_prev, p)
    # Γ_u ⊙ c̃ = 0.5 · tanh(0) = 0, so c<t> = Γ_f ⊙ c<t-1>
    assert np.allclose(L.cell_state(cache), _sigma(1.0) * c_prev)


# ---------------------------------------------------------------- the equations

def test_one_step_is_the_lecture_formulas():
    rng = np.random.default_rng(1)
    p = _parameters(1)
    xt, a_prev, c_prev = (rng.standard_normal((n, M)) for n in (N_X, N_A, N_A))
    concat = np.vstack([a_prev, xt])
    gamma_f = _sigma(p["W_f"] @ concat + p["b_f"])
    gamma_u = _sigma(p["W_u"] @ concat + p["b_u"])
    c_tilde = np.tanh(p["W_c"] @ concat + p["b_c"])
    gamma_o = _sigma(p["W_o"] @ concat + p["b_o"])
    c_next = gamma_f * c_prev + gamma_u * c_tilde
    a_next = gamma_o * np.tanh(c_next)

    a, cache = L.lstm_cell_forward(xt, a_prev, c_prev, p)
    assert np.allclose(a, a_next, rtol=1e-13, atol=1e-15)
    assert np.allclose(L.cell_state(cache), c_next, rtol=1e-13, atol=1e-15)


def test_lstm_forward_equals_T_x_calls_of_the_cell():
    rng = np.random.default_rng(2)
    p = _parameters(2)
    x, a0 = rng.standard_normal((N_X, M, T)), rng.standard_normal((N_A, M))
    a, cache = L.lstm_forward(x, a0, p)
    c = L.cell_state(cache)
    a_t, c_t = a0, np.zeros((N_A, M))                  # lstm_forward starts from c<0> = 0
    for t in range(T):
        a_t, cell_cache = L.lstm_cell_forward(x[:, :, t], a_t, c_t, p)
        c_t = L.cell_state(cell_cache)
        assert np.allclose(a[:, :, t], a_t, rtol=1e-12, atol=1e-14)
        assert np.allclose(c[:, :, t], c_t, rtol=1e-12, atol=1e-14)


def test_lstm_backward_equals_the_cell_steps_chained_with_the_cell_state_gradient():
    """BPTT = the cell's backward step from T_x down to 1, each passing da_prev and dc_prev back."""
    rng = np.random.default_rng(3)
    p = _parameters(3)
    x, a0 = rng.standard_normal((N_X, M, T)), rng.standard_normal((N_A, M))
    da = rng.standard_normal((N_A, M, T))
    grads = L.lstm_backward(da, L.lstm_forward(x, a0, p)[1])

    cells, a_t, c_t = [], a0, np.zeros((N_A, M))
    for t in range(T):
        a_t, cache = L.lstm_cell_forward(x[:, :, t], a_t, c_t, p)
        c_t = L.cell_state(cache)
        cells.append(cache)
    total = {k: np.zeros_like(v) for k, v in p.items()}
    da_next, dc_next = np.zeros((N_A, M)), np.zeros((N_A, M))
    for t in reversed(range(T)):
        g = L._lstm_cell_backward(da[:, :, t] + da_next, dc_next, cells[t])
        da_next, dc_next = g["da_prev"], g["dc_prev"]
        assert np.allclose(grads["dx"][:, :, t], g["dxt"], rtol=1e-10, atol=1e-13)
        for k in total:
            total[k] += g["d" + k]
    assert np.allclose(grads["da0"], da_next, rtol=1e-10, atol=1e-13)
    for k in total:
        assert np.allclose(grads["d" + k], total[k], rtol=1e-10, atol=1e-13), k


def test_the_cell_backward_is_the_first_step_of_bptt_when_only_a_is_read():
    """On one step, lstm_backward (T_x = 1, c<0> = 0) and lstm_cell_backward (c_prev = 0) agree."""
    rng = np.random.default_rng(4)
    p = _parameters(4)
    xt, a0, dout = rng.standard_normal((N_X, M)), rng.standard_normal((N_A, M)), rng.standard_normal((N_A, M))
    seq = L.lstm_backward(dout[:, :, None], L.lstm_forward(xt[:, :, None], a0, p)[1])
    cell = L.lstm_cell_backward(dout, L.lstm_cell_forward(xt, a0, np.zeros((N_A, M)), p)[1])
    assert np.allclose(seq["dx"][:, :, 0], cell["dxt"]) and np.allclose(seq["da0"], cell["da_prev"])
    for k in p:
        assert np.allclose(seq["d" + k], cell["d" + k]), k


# ---------------------------------------------------------------- the additive path

def _memory_parameters(n_x, n_a, seed):
    """Γ_f = 1 always; Γ_u = 1 only when input 0 (a 'write' flag) is 1, else 0; W_c, W_o random."""
    p = L.initialize_lstm(n_x, n_a, seed=seed)
    p["W_f"][:], p["b_f"][:] = 0.0, 1000.0            # σ(1000) = 1: keep everything
    p["W_u"][:], p["b_u"][:] = 0.0, -1000.0           # σ(-1000) = 0: write nothing ...
    p["W_u"][:, n_a] = 2000.0                         # ... unless the write flag x_0 = 1: σ(1000) = 1
    return p


def test_a_forget_gate_of_1_and_update_gate_of_0_carry_the_cell_state_unchanged_for_50_steps():
    rng = np.random.default_rng(5)
    p = _memory_parameters(N_X, N_A, seed=5)
    c0 = rng.standard_normal((N_A, M))
    a_t, c_t = rng.standard_normal((N_A, M)), c0
    for _ in range(50):
        xt = rng.standard_normal((N_X, M))
        xt[0] = 0.0                                   # never write
        a_prev = a_t
        a_t, cache = L.lstm_cell_forward(xt, a_prev, c_t, p)
        c_t = L.cell_state(cache)
        assert np.array_equal(c_t, c0)
    # the state still reads the memory: a<t> = Γ_o ⊙ tanh(c<0>)
    assert np.allclose(a_t, _sigma(p["W_o"] @ np.vstack([a_prev, xt]) + p["b_o"]) * np.tanh(c0))


def test_the_gradient_crosses_50_steps_along_the_cell_state_but_vanishes_in_a_tanh_rnn():
    """Step 1 writes c<1> (it depends on a0), 50 steps keep it; the cost reads a<51> only.

    ∂J/∂a0 keeps a size comparable with ∂J/∂a<51>: it flows back along c, where each step
    multiplies by Γ_f = 1. A tanh RNN with the same weights as the candidate (the LSTM
    without its gates, a<t> = tanh(W_c [a<t-1>; x<t>] + b_c)) multiplies by
    W_aa^T diag(1 - a²) at every step, and its gradient shrinks by about 10⁻⁵ over the 50.
    """
    n_x, n_a, m, T_x, seed = 2, 8, 3, 51, 0
    rng = np.random.default_rng(seed)
    p = _memory_parameters(n_x, n_a, seed)
    x = np.zeros((n_x, m, T_x))
    x[0, :, 0] = 1.0                                  # write at step 1 only
    x[1] = rng.standard_normal((m, T_x))
    a0 = rng.standard_normal((n_a, m))
    da = np.zeros((n_a, m, T_x))
    da[:, :, -1] = rng.standard_normal((n_a, m))      # J reads a<51> only

    a, cache = L.lstm_forward(x, a0, p)
    c = L.cell_state(cache)
    assert np.array_equal(c[:, :, 1:], np.repeat(c[:, :, :1], T_x - 1, axis=2))   # kept for 50 steps
    lstm_ratio = np.linalg.norm(L.lstm_backward(da, cache)["da0"]) / np.linalg.norm(da)

    rnn = {"W_aa": p["W_c"][:, :n_a], "W_ax": p["W_c"][:, n_a:], "b_a": p["b_c"]}
    rnn_ratio = np.linalg.norm(R.rnn_backward(da, R.rnn_forward(x, a0, rnn)[1])["da0"]) / np.linalg.norm(da)

    assert lstm_ratio > 0.1
    assert rnn_ratio < 1e-4
    # without the write the cell state stays 0, so does every a<t>, and nothing reaches a0:
    # the whole gradient above travelled along c
    x[0, :, 0] = 0.0
    assert np.all(L.lstm_backward(da, L.lstm_forward(x, a0, p)[1])["da0"] == 0)


# ---------------------------------------------------------------- properties

@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(1, 8), st.floats(-1000, 1000))
def test_states_stay_bounded_for_any_input(seed, m, T_x, scale):
    """|a| ≤ 1 (Γ_o ⊙ tanh c) and |c<t>| ≤ t (c<0> = 0; each step adds Γ_u ⊙ c̃, at most 1)."""
    rng = np.random.default_rng(seed)
    p = _parameters(seed % 1000)
    x = scale * rng.standard_normal((N_X, m, T_x))
    a, cache = L.lstm_forward(x, rng.standard_normal((N_A, m)), p)
    c = L.cell_state(cache)
    assert np.all(np.isfinite(a)) and np.all(np.abs(a) <= 1.0)
    assert np.all(np.abs(c) <= np.arange(1, T_x + 1))


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 5))
def test_examples_do_not_mix(seed, m):
    """Each column is one example: running the batch equals running each example alone."""
    rng = np.random.default_rng(seed)
    p = _parameters(seed % 1000)
    x, a0, da = rng.standard_normal((N_X, m, T)), rng.standard_normal((N_A, m)), rng.standard_normal((N_A, m, T))
    a, cache = L.lstm_forward(x, a0, p)
    grads = L.lstm_backward(da, cache)
    summed = {k: np.zeros_like(v) for k, v in p.items()}
    for i in range(m):
        a_i, cache_i = L.lstm_forward(x[:, i:i + 1], a0[:, i:i + 1], p)
        g_i = L.lstm_backward(da[:, i:i + 1], cache_i)
        assert np.allclose(a[:, i:i + 1], a_i, rtol=1e-12, atol=1e-14)
        assert np.allclose(grads["dx"][:, i:i + 1], g_i["dx"])
        assert np.allclose(grads["da0"][:, i:i + 1], g_i["da0"])
        for k in summed:
            summed[k] += g_i["d" + k]
    for k in summed:                       # parameter gradients are sums over the examples
        assert np.allclose(grads["d" + k], summed[k]), k


def test_extreme_inputs_give_finite_results_without_warnings():
    rng = np.random.default_rng(6)
    p = {k: 30.0 * v for k, v in _parameters(6).items()}
    x = 1000.0 * np.sign(rng.standard_normal((N_X, M, 20)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, cache = L.lstm_forward(x, np.ones((N_A, M)), p)
        grads = L.lstm_backward(np.ones_like(a), cache)
        a1, cell = L.lstm_cell_forward(x[:, :, 0], np.ones((N_A, M)), 1e6 * np.ones((N_A, M)), p)
        g1 = L.lstm_cell_backward(np.ones_like(a1), cell)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(a1))
    assert all(np.all(np.isfinite(g)) for g in (*grads.values(), *g1.values()))


# ---------------------------------------------------------------- dtype and the cache

def test_float32_in_float32_out_and_mixed_gives_float64():
    rng = np.random.default_rng(7)
    p32 = _parameters(7, np.float32)
    x = rng.standard_normal((N_X, M, T)).astype(np.float32)
    a0 = np.zeros((N_A, M), dtype=np.float32)
    a, cache = L.lstm_forward(x, a0, p32)
    assert a.dtype == np.float32 and L.cell_state(cache).dtype == np.float32
    _, cell = L.lstm_cell_forward(x[:, :, 0], a0, a0, p32)
    assert L.cell_state(cell).dtype == np.float32
    assert L.lstm_cell_backward(np.ones((N_A, M)), cell)["dc_prev"].dtype == np.float32
    a64, _ = L.lstm_forward(x, a0, _parameters(7))     # float64 parameters: the computation is float64
    assert a64.dtype == np.float64
    assert np.allclose(a, a64, atol=1e-5)


def test_cell_state_is_read_only_and_backward_still_works():
    rng = np.random.default_rng(8)
    p = _parameters(8)
    a, cache = L.lstm_forward(rng.standard_normal((N_X, M, T)), np.zeros((N_A, M)), p)
    c = L.cell_state(cache)
    assert c.shape == (N_A, M, T)
    with pytest.raises(ValueError):
        c[0, 0, 0] = 1.0
    before = L.lstm_backward(np.ones_like(a), cache)
    assert all(np.array_equal(before[k], v) for k, v in L.lstm_backward(np.ones_like(a), cache).items())


# ---------------------------------------------------------------- bad inputs

def _bad_cases():
    rng = np.random.default_rng(0)
    p = _parameters(0)
    xt, s = rng.standard_normal((N_X, M)), rng.standard_normal((N_A, M))
    x = rng.standard_normal((N_X, M, T))
    nan_x = x.copy()
    nan_x[0, 0, 0] = np.nan
    a, seq_cache = L.lstm_forward(x, s, p)
    a1, cell_cache = L.lstm_cell_forward(xt, s, s, p)
    missing = {k: v for k, v in p.items() if k != "b_o"}
    wrong_shape = {**p, "W_u": p["W_u"][:, :-1]}
    nan_parameters = {**p, "b_c": np.full((N_A, 1), np.nan)}
    no_inputs = {k: (v[:, :N_A] if k.startswith("W") else v) for k, v in p.items()}   # n_a + n_x = n_a
    rnn_parameters = R.initialize_rnn(N_X, N_A, 2)
    rnn_cache = R.rnn_forward(x, s, rnn_parameters)[1]
    model = L.initialize_lstm_model(N_X, N_A, N_X, seed=0)
    y = rng.integers(0, N_X, size=(M, T))
    corpus = rng.integers(0, N_X, size=40)
    return [
        bad(L.initialize_lstm_model, "n_y", N_X, N_A, 0),
        bad(L.initialize_lstm_model, "n_x", -1, N_A, 2),
        bad(L.initialize_lstm_model, "seed", N_X, N_A, 2, seed=-3),
        bad(L.initialize_lstm_model, "forget_bias", N_X, N_A, 2, forget_bias=np.inf),

        bad(L.lstm_loss_and_gradients, "x", x[:-1], y, s, model),
        bad(L.lstm_loss_and_gradients, "y", x, y[:, :-1], s, model),
        bad(L.lstm_loss_and_gradients, "y", x, np.full((M, T), N_X), s, model),
        bad(L.lstm_loss_and_gradients, "y", x, y + 0.5, s, model),
        bad(L.lstm_loss_and_gradients, "a0", x, y, s[:, :1], model),
        bad(L.lstm_loss_and_gradients, "parameters", x, y, s, p),
        bad(L.lstm_loss_and_gradients, "parameters['W_ya']", x, y, s, {**model, "W_ya": model["W_ya"][:, :-1]}),

        bad(L.lstm_language_model_loss, "corpus", model, np.r_[corpus, N_X]),
        bad(L.lstm_language_model_loss, "corpus", model, corpus[:3], seq_length=5),
        bad(L.lstm_language_model_loss, "seq_length", model, corpus, seq_length=0),
        bad(L.lstm_language_model_loss, "parameters", model["W_f"], corpus, error=TypeError),

        bad(L.train_lstm_language_model, "corpus", corpus[:4], N_X, seq_length=5),
        bad(L.train_lstm_language_model, "corpus", np.r_[corpus, -1], N_X),
        bad(L.train_lstm_language_model, "vocab_size", corpus, 0),
        bad(L.train_lstm_language_model, "learning_rate", corpus, N_X, seq_length=5, learning_rate=-1.0),
        bad(L.train_lstm_language_model, "clip_value", corpus, N_X, seq_length=5, clip_value=0.0),
        bad(L.train_lstm_language_model, "num_iterations", corpus, N_X, seq_length=5, num_iterations=0),
        bad(L.train_lstm_language_model, "eval_corpus", corpus, N_X, seq_length=5, eval_corpus=corpus[:3]),
        bad(L.train_lstm_language_model, "seed", corpus, N_X, seq_length=5, seed=-1),

        bad(L.initialize_lstm, "n_x", 0, N_A),
        bad(L.initialize_lstm, "n_a", N_X, 2.5, error=TypeError),
        bad(L.initialize_lstm, "seed", N_X, N_A, seed=-1),
        bad(L.initialize_lstm, "seed", N_X, N_A, seed=1.5, error=TypeError),
        bad(L.initialize_lstm, "forget_bias", N_X, N_A, forget_bias=np.nan),
        bad(L.initialize_lstm, "forget_bias", N_X, N_A, forget_bias="1", error=TypeError),

        bad(L.lstm_cell_forward, "xt", rng.standard_normal((N_X + 1, M)), s, s, p),
        bad(L.lstm_cell_forward, "xt", np.full((N_X, M), np.inf), s, s, p),
        bad(L.lstm_cell_forward, "xt", np.zeros((N_X, 0)), np.zeros((N_A, 0)), np.zeros((N_A, 0)), p),
        bad(L.lstm_cell_forward, "a_prev", xt, s[:, :1], s, p),
        bad(L.lstm_cell_forward, "c_prev", xt, s, s.T, p),
        bad(L.lstm_cell_forward, "c_prev", xt, s, np.full_like(s, np.nan), p),
        bad(L.lstm_cell_forward, "parameters", xt, s, s, missing),
        bad(L.lstm_cell_forward, "parameters['W_u']", xt, s, s, wrong_shape),
        bad(L.lstm_cell_forward, "parameters['b_c']", xt, s, s, nan_parameters),
        bad(L.lstm_cell_forward, "parameters['W_f']", xt, s, s, no_inputs),
        bad(L.lstm_cell_forward, "parameters", xt, s, s, [p["W_f"]], error=TypeError),

        bad(L.lstm_cell_backward, "da_next", np.ones((N_A, M + 1)), cell_cache),
        bad(L.lstm_cell_backward, "da_next", np.full((N_A, M), np.nan), cell_cache),
        bad(L.lstm_cell_backward, "cache", np.ones((N_A, M)), seq_cache),
        bad(L.lstm_cell_backward, "cache", np.ones((N_A, M)), (xt, s), error=TypeError),

        bad(L.lstm_forward, "x", xt, s, p),
        bad(L.lstm_forward, "x", rng.standard_normal((N_X + 1, M, T)), s, p),
        bad(L.lstm_forward, "x", nan_x, s, p),
        bad(L.lstm_forward, "x", np.zeros((N_X, M, 0)), s, p),
        bad(L.lstm_forward, "a0", x, s[:, :1], p),
        bad(L.lstm_forward, "parameters", x, s, rnn_parameters),
        bad(L.lstm_forward, "parameters['W_u']", x, s, wrong_shape),

        bad(L.lstm_backward, "da", a[:, :, 0], seq_cache),
        bad(L.lstm_backward, "da", np.full((N_A, M, T), np.inf), seq_cache),
        bad(L.lstm_backward, "cache", np.ones((N_A, M, T)), cell_cache),
        bad(L.lstm_backward, "cache", np.ones((N_A, M, T)), rnn_cache),
        bad(L.lstm_backward, "cache", np.ones((N_A, M, T)), None, error=TypeError),

        bad(L.cell_state, "cache", None, error=TypeError),
        bad(L.cell_state, "cache", {"c": a}, error=TypeError),
        bad(L.cell_state, "cache", rnn_cache),
    ]


BAD_INPUTS = _bad_cases()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


# ---------------------------------------------------------------- the language model

def _model(seed, n_x=6, n_a=5, dtype=np.float64):
    rng = np.random.default_rng(seed + 2000)
    p = L.initialize_lstm_model(n_x, n_a, n_x, seed=seed)
    return {k: (v + 0.2 * rng.standard_normal(v.shape)).astype(dtype) for k, v in p.items()}


def test_initialize_lstm_model_is_the_cell_and_the_rnn_output_layer():
    p = L.initialize_lstm_model(7, 6, 5, seed=1, forget_bias=2.0)
    cell = L.initialize_lstm(7, 6, seed=1, forget_bias=2.0)
    assert list(p) == list(L.PARAMETER_NAMES) + ["W_ya", "b_y"]
    assert all(np.array_equal(p[k], cell[k]) for k in cell)
    assert p["W_ya"].shape == (5, 6) and p["b_y"].shape == (5, 1) and np.all(p["b_y"] == 0)


def test_language_model_gradient_check():
    rng = np.random.default_rng(11)
    p = _model(11)
    x = text.one_hot_sequences(rng.integers(0, 6, size=(3, 7)), 6)
    y = rng.integers(0, 6, size=(3, 7))
    a0 = 0.5 * rng.standard_normal((5, 3))
    loss, grads = L.lstm_loss_and_gradients(x, y, a0, p)
    assert set(grads) == {"d" + k for k in p}
    # J is a mean over m·T_x = 21 terms, so its gradients are small; ε = 1e-5 keeps the rounding error
    # of the centred differences (≈ 1e-16 / ε) well below them
    errors = gradient_check(lambda: L.lstm_loss_and_gradients(x, y, a0, p)[0], p, {k: grads["d" + k] for k in p},
                            eps=1e-5)
    assert max(errors.values()) < 1e-7, errors


def test_loss_is_the_layers_composed_and_the_held_out_loss_cuts_consecutive_windows():
    rng = np.random.default_rng(12)
    p = _model(12)
    x = text.one_hot_sequences(rng.integers(0, 6, size=(4, 5)), 6)
    y = rng.integers(0, 6, size=(4, 5))
    a0 = rng.standard_normal((5, 4))
    a, _ = L.lstm_forward(x, a0, p)
    expected = R.sequence_loss(R.rnn_output_forward(a, p)[0], y)[0]
    assert np.isclose(L.lstm_loss_and_gradients(x, y, a0, p)[0], expected, rtol=1e-12)

    corpus = rng.integers(0, 6, size=23)                 # 22 // 5 = 4 windows of 5; the last 2 symbols unused
    windows = corpus[:21]
    xs = text.one_hot_sequences(windows[:-1].reshape(4, 5), 6)
    ys = windows[1:].reshape(4, 5)
    held_out = R.sequence_loss(R.rnn_output_forward(L.lstm_forward(xs, np.zeros((5, 4)), p)[0], p)[0], ys)[0]
    assert np.isclose(L.lstm_language_model_loss(p, corpus, seq_length=5), held_out, rtol=1e-12)


def test_a_uniform_model_scores_log_n_y():
    """W_ya = 0 and b_y = 0: every prediction is uniform, the loss is log n_y whatever the text (perplexity n_y)."""
    p = _model(13)
    p["W_ya"][:] = 0.0
    p["b_y"][:] = 0.0
    corpus = np.random.default_rng(13).integers(0, 6, size=50)
    assert np.isclose(L.lstm_language_model_loss(p, corpus, seq_length=7), np.log(6), rtol=1e-12)


def test_training_learns_the_invented_language_and_is_reproducible():
    words = text.make_words(400, seed=0)
    train = text.encode(text.words_to_corpus(words[:300]))
    test = text.encode(text.words_to_corpus(words[300:]))
    V = len(text.VOCAB)
    kwargs = dict(n_a=16, seq_length=10, batch_size=16, num_iterations=120, learning_rate=0.02, record_every=40,
                  eval_corpus=test, seed=0)
    p, h = L.train_lstm_language_model(train, V, **kwargs)
    assert h["iteration"] == [40, 80, 120] and len(h["eval_loss"]) == 3 == len(h["train_loss"])
    assert h["eval_loss"][-1] < text.unigram_loss(train, test, V) < np.log(V)
    assert np.isclose(L.lstm_language_model_loss(p, test, seq_length=10), h["eval_loss"][-1], rtol=1e-12)
    p2, h2 = L.train_lstm_language_model(train, V, **kwargs)
    assert h2 == h and all(np.array_equal(p[k], p2[k]) for k in p)
    _, h3 = L.train_lstm_language_model(train, V, n_a=4, seq_length=5, num_iterations=3, record_every=2,
                                        clip_value=None, seed=None)
    assert h3["iteration"] == [2, 3] and h3["eval_loss"] == []


def test_language_model_float32_in_float32_out():
    rng = np.random.default_rng(14)
    p = _model(14, dtype=np.float32)
    x = text.one_hot_sequences(rng.integers(0, 6, size=(3, 4)), 6).astype(np.float32)
    loss, grads = L.lstm_loss_and_gradients(x, rng.integers(0, 6, size=(3, 4)), np.zeros((5, 3), np.float32), p)
    assert isinstance(loss, float) and all(g.dtype == np.float32 for g in grads.values())
    assert isinstance(L.lstm_language_model_loss(p, rng.integers(0, 6, size=30), seq_length=4), float)
