"""Tests for lib.rnn: the layers gradient-checked, batched = per-step, BPTT's norms, loss, sampler, training, bad input."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.rnn as rnn
from contract import Layer, assert_refused, bad
from lib.gradcheck import gradient_check

N_X, N_A, N_Y, M, T = 3, 5, 4, 2, 6
CELL_KEYS = ("W_ax", "W_aa", "b_a")
OUTPUT_KEYS = ("W_ya", "b_y")


def _setup(seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    p = rnn.initialize_rnn(N_X, N_A, N_Y, seed=seed)
    p["b_a"] += 0.2 * rng.standard_normal(p["b_a"].shape)
    p["b_y"] += 0.2 * rng.standard_normal(p["b_y"].shape)
    p = {k: v.astype(dtype) for k, v in p.items()}
    x = rng.standard_normal((N_X, M, T)).astype(dtype)
    a0 = rng.standard_normal((N_A, M)).astype(dtype)
    return p, x, a0, rng


def _cell(p):
    return {k: p[k] for k in CELL_KEYS}


def _output(p):
    return {k: p[k] for k in OUTPUT_KEYS}


def _cell_args(rng, dtype):
    p, x, a0, _ = _setup(int(rng.integers(1000)), dtype)
    return {"xt": x[:, :, 0].copy(), "a_prev": a0, "parameters": _cell(p)}


def _sequence_args(rng, dtype):
    p, x, a0, _ = _setup(int(rng.integers(1000)), dtype)
    return {"x": x, "a0": a0, "parameters": _cell(p)}


def _output_args(rng, dtype):
    p, _, _, rng = _setup(int(rng.integers(1000)), dtype)
    return {"a": np.tanh(rng.standard_normal((N_A, M, T))).astype(dtype), "parameters": _output(p)}


def _output_step_args(rng, dtype):
    args = _output_args(rng, dtype)
    args["a"] = args["a"][:, :, 0].copy()
    return args


LAYERS = [
    Layer(rnn.rnn_cell_forward, rnn.rnn_cell_backward, _cell_args, ("xt", "a_prev", "parameters")),
    Layer(rnn.rnn_forward, rnn.rnn_backward, _sequence_args, ("x", "a0", "parameters")),
    Layer(rnn.rnn_output_forward, rnn.rnn_output_backward, _output_args, ("a", "parameters")),
    Layer(rnn.rnn_output_forward, rnn.rnn_output_backward, _output_step_args, ("a", "parameters"),
          name="rnn_output_forward, one step"),
]


def _bad_inputs():
    p, x, a0, _ = _setup()
    cell, out = _cell(p), _output(p)
    nan_x = x.copy()
    nan_x[0, 0, 0] = np.nan
    _, cell_cache = rnn.rnn_cell_forward(x[:, :, 0], a0, p)
    a, cache = rnn.rnn_forward(x, a0, p)
    logits, out_cache = rnn.rnn_output_forward(a, p)
    y = np.zeros((M, T), dtype=int)
    inf_da = np.zeros((N_A, M, T))
    inf_da[0, 0, 0] = np.inf
    corpus = np.tile([1, 2, 3, 0], 10)
    vocab = rnn.initialize_rnn(N_X, N_A, N_X)          # n_y = n_x: a model the sampler can run
    return [
        bad(rnn.initialize_rnn, "n_x", 0, N_A, N_Y),
        bad(rnn.initialize_rnn, "n_a", N_X, 2.5, N_Y, error=TypeError),
        bad(rnn.initialize_rnn, "seed", N_X, N_A, N_Y, seed=-1),
        bad(rnn.initialize_rnn, "scale", N_X, N_A, N_Y, scale=0.0),
        bad(rnn.check_sequences, "x", x[:, :, 0], N_X),
        bad(rnn.check_sequences, "x", x[:, :0], N_X),
        bad(rnn.check_sequences, "x_train", nan_x, N_X, name="x_train"),
        bad(rnn.check_sequences, "n_x", x, 0),
        bad(rnn.rnn_cell_forward, "xt", x[:-1, :, 0], a0, p),
        bad(rnn.rnn_cell_forward, "a_prev", x[:, :, 0], a0.T, p),
        bad(rnn.rnn_cell_forward, "parameters", x[:, :, 0], a0, {"W_ax": p["W_ax"]}),
        bad(rnn.rnn_cell_forward, "parameters", x[:, :, 0], a0, {**cell, "b_a": np.zeros(N_A)}),
        bad(rnn.rnn_cell_forward, "xt", nan_x[:, :, 0], a0, p),
        bad(rnn.rnn_cell_backward, "da_next", np.zeros((N_A, M + 1)), cell_cache),
        bad(rnn.rnn_cell_backward, "da_next", np.full((N_A, M), np.nan), cell_cache),
        bad(rnn.rnn_cell_backward, "cache", np.zeros((N_A, M)), cache),
        bad(rnn.rnn_cell_backward, "cache", np.zeros((N_A, M)), (1, 2), error=TypeError),
        bad(rnn.rnn_forward, "x", x[:, :, 0], a0, p),
        bad(rnn.rnn_forward, "x", x[:, :, :0], a0, p),
        bad(rnn.rnn_forward, "x", x[:-1], a0, p),
        bad(rnn.rnn_forward, "x", nan_x, a0, p),
        bad(rnn.rnn_forward, "a0", x, a0[:-1], p),
        bad(rnn.rnn_forward, "parameters", x, a0, {**cell, "W_aa": np.full((N_A, N_A), np.inf)}),
        bad(rnn.rnn_forward, "parameters", x, a0, [p["W_ax"], p["W_aa"]], error=TypeError),
        bad(rnn.rnn_backward, "da", np.zeros((N_A, M)), cache),
        bad(rnn.rnn_backward, "da", inf_da, cache),
        bad(rnn.rnn_backward, "cache", np.zeros((N_A, M, T)), cell_cache),
        bad(rnn.rnn_backward, "da", np.zeros((N_A, M, T + 1)), cache),
        bad(rnn.hidden_gradient_norms, "cache", None, error=TypeError),
        bad(rnn.hidden_gradient_norms, "da_last", cache, np.ones((N_A, M + 1))),
        bad(rnn.hidden_gradient_norms, "da_last", cache, np.full((N_A, M), np.nan)),
        bad(rnn.rnn_output_forward, "a", np.zeros((N_A + 1, M, T)), p),
        bad(rnn.rnn_output_forward, "a", np.zeros(N_A), p),
        bad(rnn.rnn_output_forward, "parameters", a, cell),
        bad(rnn.rnn_output_forward, "a", np.full((N_A, M, T), np.nan), p),
        bad(rnn.rnn_output_backward, "dlogits", np.zeros((N_Y, M)), out_cache),
        bad(rnn.rnn_output_backward, "dlogits", np.full(logits.shape, np.inf), out_cache),
        bad(rnn.rnn_output_backward, "cache", np.zeros((N_Y, M, T)), cache),
        bad(rnn.sequence_loss, "y", logits, np.full((M, T), N_Y)),
        bad(rnn.sequence_loss, "y", logits, -np.ones((M, T), dtype=int)),
        bad(rnn.sequence_loss, "y", logits, np.full((M, T), 0.5)),
        bad(rnn.sequence_loss, "y", logits, y[:, :-1]),
        bad(rnn.sequence_loss, "logits", np.full((N_Y, M, T), np.nan), y),
        bad(rnn.sequence_loss, "logits", np.zeros((N_Y, M)), y),
        bad(rnn.loss_and_gradients, "y", x, np.full((M, T), -1), a0, p),
        bad(rnn.loss_and_gradients, "x", nan_x, y, a0, p),
        bad(rnn.loss_and_gradients, "parameters", x, y, a0, cell),
        bad(rnn.loss_and_gradients, "a0", x, y, a0[:, :1], p),
        bad(rnn.sample, "temperature", vocab, 0, temperature=0.0),
        bad(rnn.sample, "temperature", vocab, 0, temperature=-1.0),
        bad(rnn.sample, "start_index", vocab, N_X),
        bad(rnn.sample, "start_index", vocab, -1),
        bad(rnn.sample, "stop_index", vocab, 0, stop_index=N_X),
        bad(rnn.sample, "max_length", vocab, 0, max_length=0),
        bad(rnn.sample, "seed", vocab, 0, seed=1.5, error=TypeError),
        bad(rnn.sample, "parameters", rnn.initialize_rnn(3, 4, 5), 0),
        bad(rnn.train_language_model, "corpus", [0, 1, 9], 4, seq_length=1),
        bad(rnn.train_language_model, "corpus", [0, -1, 2], 4, seq_length=1),
        bad(rnn.train_language_model, "corpus", [0, 1, 2], 4, seq_length=5),
        bad(rnn.train_language_model, "num_iterations", corpus, 4, seq_length=2, num_iterations=0),
        bad(rnn.train_language_model, "optimizer", corpus, 4, seq_length=2, optimizer="rmsprop"),
        bad(rnn.train_language_model, "clip_mode", corpus, 4, seq_length=2, clip_mode="max"),
        bad(rnn.train_language_model, "clip_value", corpus, 4, seq_length=2, clip_value=0.0),
        bad(rnn.train_language_model, "clip_value", corpus, 4, seq_length=2, clip_value=-1.0),
        bad(rnn.train_language_model, "learning_rate", corpus, 4, seq_length=2, learning_rate=-0.1),
        bad(rnn.train_language_model, "batch_size", corpus, 4, seq_length=2, batch_size=0),
        bad(rnn.train_language_model, "record_every", corpus, 4, seq_length=2, record_every=0),
        bad(rnn.train_language_model, "seed", corpus, 4, seq_length=2, seed=-3),
        bad(rnn.train_language_model, "eval_corpus", corpus, 4, seq_length=2, eval_corpus=[4, 0, 1]),
        bad(rnn.evaluate_loss, "x", p, x[:-1], y),
        bad(rnn.evaluate_loss, "y", p, x, np.full((M, T), N_Y)),
        bad(rnn.evaluate_loss, "parameters", p | {"b_y": np.zeros((N_Y + 1, 1))}, x, y),
        bad(rnn.language_model_loss, "corpus", p, [0, 1, N_X], seq_length=1),
        bad(rnn.language_model_loss, "corpus", p, [0, 1], seq_length=2),
        bad(rnn.language_model_loss, "seq_length", p, [0, 1, 2], seq_length=0),
    ]


BAD_INPUTS = _bad_inputs()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


# ------------------------------------------------------------------ the layers

def test_cell_forward_is_the_formula():
    p, x, a0, _ = _setup()
    a1, _ = rnn.rnn_cell_forward(x[:, :, 0], a0, p)
    assert a1.shape == (N_A, M)
    np.testing.assert_allclose(a1, np.tanh(p["W_aa"] @ a0 + p["W_ax"] @ x[:, :, 0] + p["b_a"]), rtol=1e-12)


def test_output_layer_is_the_formula_and_softmax_of_it_is_a_distribution():
    p, x, a0, _ = _setup(1)
    a, _ = rnn.rnn_forward(x, a0, p)
    logits, _ = rnn.rnn_output_forward(a, p)
    for t in range(T):
        np.testing.assert_allclose(logits[:, :, t], p["W_ya"] @ a[:, :, t] + p["b_y"], rtol=1e-12)
    one, _ = rnn.rnn_output_forward(a[:, :, 2], p)
    np.testing.assert_allclose(one, logits[:, :, 2], rtol=1e-12)


def test_batched_equals_per_step_loop():
    p, x, a0, rng = _setup(4)
    a, cache = rnn.rnn_forward(x, a0, p)
    da = rng.standard_normal(a.shape)
    grads = rnn.rnn_backward(da, cache)
    a_prev, cells = a0, []
    for t in range(T):
        a_prev, c = rnn.rnn_cell_forward(x[:, :, t], a_prev, p)
        cells.append(c)
        np.testing.assert_allclose(a[:, :, t], a_prev, rtol=1e-12)
    total = {k: 0.0 for k in ("dW_ax", "dW_aa", "db_a")}
    g_next = np.zeros((N_A, M))
    for t in reversed(range(T)):
        g = rnn.rnn_cell_backward(da[:, :, t] + g_next, cells[t])
        g_next = g["da_prev"]
        np.testing.assert_allclose(grads["dx"][:, :, t], g["dxt"], rtol=1e-10)
        for k in total:
            total[k] = total[k] + g[k]
    np.testing.assert_allclose(grads["da0"], g_next, rtol=1e-10)
    for k in total:
        np.testing.assert_allclose(grads[k], total[k], rtol=1e-10)


def test_batch_equals_examples_one_at_a_time():
    p, x, a0, _ = _setup(5)
    a, _ = rnn.rnn_forward(x, a0, p)
    for i in range(M):
        ai, _ = rnn.rnn_forward(x[:, i:i + 1], a0[:, i:i + 1], p)
        np.testing.assert_allclose(ai[:, 0], a[:, i], rtol=1e-12)


def test_backward_takes_any_layout_of_da():
    """da as a plain C-ordered array and as the time-major view the output layer returns: same gradients."""
    p, x, a0, rng = _setup(7)
    a, cache = rnn.rnn_forward(x, a0, p)
    da = np.ascontiguousarray(rng.standard_normal(a.shape))
    view = rnn._from_rows(np.ascontiguousarray(da.transpose(2, 1, 0)))
    assert not view.flags.c_contiguous and np.array_equal(view, da)
    g1, g2 = rnn.rnn_backward(da, cache), rnn.rnn_backward(view, cache)
    for k in g1:
        np.testing.assert_array_equal(g1[k], g2[k])


def test_whole_loss_gradient_check():
    """Loss over the sequence → output layer → BPTT, all parameters at once, against centred differences."""
    p, x, a0, rng = _setup(3)
    y = rng.integers(0, N_Y, size=(M, T))
    loss, grads, a_last = rnn.loss_and_gradients(x, y, a0, p)

    def cost():
        a, _ = rnn.rnn_forward(x, a0, p)
        return rnn.sequence_loss(rnn.rnn_output_forward(a, p)[0], y)[0]

    assert np.isclose(loss, cost())
    np.testing.assert_allclose(a_last, rnn.rnn_forward(x, a0, p)[0][:, :, -1], rtol=1e-12)
    assert sorted(grads) == sorted("d" + k for k in rnn.PARAMETER_NAMES)
    errors = gradient_check(cost, p, {name: grads["d" + name] for name in rnn.PARAMETER_NAMES})
    assert max(errors.values()) < 1e-7, errors


def test_sequence_loss_gradient_check_and_values():
    rng = np.random.default_rng(8)
    logits = rng.standard_normal((N_Y, M, T))
    y = rng.integers(0, N_Y, size=(M, T))
    loss, d = rnn.sequence_loss(logits, y)
    errors = gradient_check(lambda: rnn.sequence_loss(logits, y)[0], {"logits": logits}, {"logits": d})
    assert errors["logits"] < 1e-7
    log_probs = logits - np.log(np.exp(logits).sum(axis=0))
    expected = -np.mean([log_probs[y[i, t], i, t] for i in range(M) for t in range(T)])
    assert np.isclose(loss, expected, rtol=1e-12)
    np.testing.assert_allclose(d.sum(axis=0), 0.0, atol=1e-15)    # ŷ − onehot: each column sums to 0


def test_sequence_loss_of_uniform_logits_is_log_n_y():
    loss, _ = rnn.sequence_loss(np.zeros((N_Y, M, T)), np.zeros((M, T), dtype=int))
    assert np.isclose(loss, np.log(N_Y))


def test_extreme_valid_inputs_give_finite_results_without_warnings():
    p, _, _, _ = _setup()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, cache = rnn.rnn_forward(np.full((N_X, 1, 3), 1000.0), np.zeros((N_A, 1)), p)
        assert np.all(np.abs(a) <= 1.0)
        grads = rnn.rnn_backward(np.full(a.shape, 1e200), cache)
        assert all(np.all(np.isfinite(g)) for g in grads.values())
        # a confident wrong answer: logits of ±1000 give a finite, large loss
        logits = np.zeros((N_Y, 1, 2))
        logits[0], logits[1] = 1000.0, -1000.0
        loss, d = rnn.sequence_loss(logits, np.ones((1, 2), dtype=int))
        assert np.isclose(loss, 2000.0) and np.all(np.isfinite(d))


# ------------------------------------------------------------- BPTT's norms

def test_hidden_gradient_norms_match_bptt():
    """Entry s−1 is ‖∂J/∂a<s>‖: BPTT over the steps after s, started from a<s>, returns that gradient as da0."""
    p, x, a0, rng = _setup(6)
    a, cache = rnn.rnn_forward(x, a0, p)
    g_last = rng.standard_normal((N_A, M))
    norms = rnn.hidden_gradient_norms(cache, g_last)
    assert norms.shape == (T,) and np.isclose(norms[-1], np.linalg.norm(g_last))
    for s in range(1, T):
        suffix_a, suffix_cache = rnn.rnn_forward(x[:, :, s:], a[:, :, s - 1], p)
        np.testing.assert_allclose(suffix_a, a[:, :, s:], rtol=1e-12)
        da = np.zeros(suffix_a.shape)
        da[:, :, -1] = g_last
        assert np.isclose(norms[s - 1], np.linalg.norm(rnn.rnn_backward(da, suffix_cache)["da0"]), rtol=1e-10)


def test_hidden_gradient_norms_vanish_and_explode():
    x = np.random.default_rng(0).standard_normal((N_X, 1, 40)) * 0.1
    norms = {}
    for scale in (0.5, 3.0):
        p = rnn.initialize_rnn(N_X, 50, N_Y, seed=0, scale=scale)
        p["W_ax"] *= 0.0                      # a stays 0: tanh' = 1, the linear regime
        norms[scale] = rnn.hidden_gradient_norms(rnn.rnn_forward(x, np.zeros((50, 1)), p)[1])
    assert norms[0.5][0] < 1e-6 * norms[0.5][-1]
    assert norms[3.0][0] > 1e6 * norms[3.0][-1]


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_states_stay_in_the_tanh_range_and_norms_are_finite(seed):
    rng = np.random.default_rng(seed)
    m, T_x = int(rng.integers(1, 4)), int(rng.integers(1, 8))
    p = rnn.initialize_rnn(N_X, N_A, N_Y, seed=seed % 1000, scale=float(rng.uniform(0.1, 4)))
    x = rng.standard_normal((N_X, m, T_x)) * 10.0 ** rng.uniform(-3, 3)
    a, cache = rnn.rnn_forward(x, np.zeros((N_A, m)), p)
    assert np.all(np.abs(a) <= 1.0)
    assert np.all(np.isfinite(rnn.hidden_gradient_norms(cache)))


# ----------------------------------------------------------------- float32

def test_float32_in_float32_out():
    p, x, a0, rng = _setup(9, np.float32)
    y = rng.integers(0, N_Y, size=(M, T))
    a, cache = rnn.rnn_forward(x, a0, p)
    logits, _ = rnn.rnn_output_forward(a, p)
    loss, dlogits = rnn.sequence_loss(logits, y)
    _, grads, a_last = rnn.loss_and_gradients(x, y, a0, p)
    assert a.dtype == logits.dtype == dlogits.dtype == a_last.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    assert rnn.hidden_gradient_norms(cache).dtype == np.float32
    assert isinstance(loss, float) and isinstance(rnn.evaluate_loss(p, x, y), float)
    # float32 agrees with float64 to float32 precision
    p64, x64, a064, _ = _setup(9)
    _, grads64, _ = rnn.loss_and_gradients(x64, y, a064, p64)
    for k in grads:
        np.testing.assert_allclose(grads[k], grads64[k], rtol=1e-3, atol=1e-5)


# --------------------------------------------------------- sampling, training

def test_sampler_reproducible_and_temperature():
    p = rnn.initialize_rnn(6, 8, 6, seed=0)
    s1 = rnn.sample(p, 0, max_length=30, temperature=1.0, seed=3)
    assert s1 == rnn.sample(p, 0, max_length=30, temperature=1.0, seed=3)
    assert len(s1) == 30 and all(0 <= i < 6 for i in s1)
    cold = rnn.sample(p, 0, max_length=30, temperature=0.01, seed=3)
    assert cold == rnn.sample(p, 0, max_length=30, temperature=0.01, seed=99)   # near-greedy: the seed stops mattering
    assert s1 != rnn.sample(p, 0, max_length=30, temperature=1.0, seed=4)
    stopped = rnn.sample(p, 0, max_length=200, temperature=5.0, seed=1, stop_index=2)
    assert stopped[-1] == 2 and 2 not in stopped[:-1]
    assert len(rnn.sample(p, 0, max_length=5, seed=None)) == 5
    p32 = {k: v.astype(np.float32) for k, v in p.items()}
    assert len(rnn.sample(p32, 0, max_length=30, temperature=3.0, seed=0)) == 30


def test_training_reduces_loss():
    corpus = np.tile([1, 2, 3, 0], 200)                 # a cycle: perfectly predictable
    p, hist = rnn.train_language_model(corpus, 4, n_a=8, seq_length=8, batch_size=8,
                                       num_iterations=150, record_every=50, eval_corpus=corpus[:80])
    assert hist["iteration"] == [50, 100, 150]
    assert hist["eval_loss"][-1] < 0.1 * np.log(4)
    assert len(hist["grad_norm"]) == 150
    assert rnn.language_model_loss(p, corpus[:80], seq_length=8) < 0.1 * np.log(4)


@pytest.mark.parametrize("clip_mode, optimizer", [("value", "sgd"), ("norm", "adam")])
def test_training_runs_with_seed_none_and_each_mode(clip_mode, optimizer):
    corpus = np.tile([1, 2, 3, 0], 20)
    p, hist = rnn.train_language_model(corpus, 4, n_a=4, seq_length=4, batch_size=2, num_iterations=3,
                                       clip_mode=clip_mode, optimizer=optimizer, seed=None, record_every=2)
    assert hist["iteration"] == [2, 3] and all(np.isfinite(hist["train_loss"]))
    assert set(p) == set(rnn.PARAMETER_NAMES)


def test_norm_clipping_bounds_every_step():
    """With the norm clipped to c, plain gradient descent moves the parameters by at most α·c per step."""
    corpus = np.tile([1, 2, 3, 0, 2], 20)
    first, _ = rnn.train_language_model(corpus, 4, n_a=6, seq_length=5, batch_size=4, num_iterations=1,
                                        learning_rate=1.0, clip_value=1e-3, clip_mode="norm", optimizer="sgd")
    start = rnn.initialize_rnn(4, 6, 4, seed=0)
    step = np.sqrt(sum(np.sum((first[k] - start[k]) ** 2) for k in start))
    assert step <= 1e-3 * (1 + 1e-9)
