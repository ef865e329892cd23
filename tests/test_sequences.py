"""Tests for lib.sequences: the long-gap task, the many-to-one classifier as a layer, its training, bad input."""
import numpy as np
import pytest

import lib.sequences as sq
from contract import Layer, assert_refused, bad
from lib import gru, lstm, rnn
from lib.gradcheck import gradient_check

N_CLASSES, N_A = 3, 4
N_X = N_CLASSES + 1


def _classifier_args(cell):
    def make(rng, dtype):
        seed = int(rng.integers(1000))
        x, _ = sq.make_remember_first(3, 5, n_classes=N_CLASSES, seed=seed)
        x = x + 0.1 * np.random.default_rng(seed).standard_normal(x.shape)   # no ties, every entry matters
        p = sq.initialize_classifier(cell, N_X, N_A, N_CLASSES, seed=seed, update_bias=0.0)
        return {"cell": cell, "x": x.astype(dtype), "parameters": {k: v.astype(dtype) for k, v in p.items()}}
    return make


LAYERS = [Layer(sq.classifier_forward, sq.classifier_backward, _classifier_args(cell), ("x", "parameters"),
                name=f"classifier_forward, {cell}") for cell in sq.CELLS]


def _bad_inputs():
    x, y = sq.make_remember_first(5, 3, n_classes=N_CLASSES)
    p_rnn = sq.initialize_classifier("rnn", N_X, N_A, N_CLASSES)
    p_gru = sq.initialize_classifier("gru", N_X, N_A, N_CLASSES)
    p_lstm = sq.initialize_classifier("lstm", N_X, N_A, N_CLASSES)
    logits, cache = sq.classifier_forward("gru", x, p_gru)
    nan_x = x.copy()
    nan_x[0, 0, 1] = np.nan
    return [
        bad(sq.make_remember_first, "T_x", 5, 0),
        bad(sq.make_remember_first, "n_classes", 5, 3, n_classes=1),
        bad(sq.make_remember_first, "m", 0, 3),
        bad(sq.make_remember_first, "seed", 5, 3, seed=-2),
        bad(sq.initialize_classifier, "cell", "transformer", 3, 4, 2),
        bad(sq.initialize_classifier, "n_classes", "rnn", 3, 4, 0),
        bad(sq.initialize_classifier, "n_a", "gru", 3, 0, 2),
        bad(sq.initialize_classifier, "seed", "gru", 3, 4, 2, seed=-1),
        bad(sq.initialize_classifier, "forget_bias", "lstm", 3, 4, 2, forget_bias=np.inf),
        bad(sq.initialize_classifier, "n_x", "lstm", 0, 4, 2),
        bad(sq.classifier_forward, "cell", "LSTM", x, p_lstm),
        bad(sq.classifier_forward, "parameters", "rnn", x, p_gru),
        bad(sq.classifier_forward, "parameters", "gru", x, p_rnn),
        bad(sq.classifier_forward, "parameters", "lstm", x, p_gru),
        bad(sq.classifier_forward, "parameters", "gru", x, p_lstm),
        bad(sq.classifier_forward, "x", "lstm", x[:-1], p_lstm),
        bad(sq.classifier_forward, "x", "gru", x[:-1], p_gru),
        bad(sq.classifier_forward, "x", "gru", nan_x, p_gru),
        bad(sq.classifier_forward, "parameters", "gru", x, {k: v for k, v in p_gru.items() if k != "b_y"}),
        bad(sq.classifier_backward, "dlogits", np.zeros((N_CLASSES, 4)), cache),
        bad(sq.classifier_backward, "dlogits", np.full(logits.shape, np.nan), cache),
        bad(sq.classifier_backward, "cache", logits, {"layer": "rnn"}),
        bad(sq.classifier_backward, "cache", logits, [cache], error=TypeError),
        bad(sq.classifier_loss_and_gradients, "y", "rnn", x, np.r_[-1, y[1:]], p_rnn),
        bad(sq.classifier_loss_and_gradients, "y", "rnn", x, np.r_[N_CLASSES, y[1:]], p_rnn),
        bad(sq.classifier_loss_and_gradients, "y", "gru", x, y + 0.5, p_gru),
        bad(sq.classifier_loss_and_gradients, "y", "gru", x, y[:-1], p_gru),
        bad(sq.classifier_loss_and_gradients, "cell", "LSTM", x, y, p_gru),
        bad(sq.accuracy, "y", "gru", x, y[:-1], p_gru),
        bad(sq.accuracy, "cell", "Lstm", x, y, p_gru),
        bad(sq.accuracy, "parameters", "lstm", x, y, p_rnn),
        bad(sq.accuracy, "x", "gru", x[:, :, 0], y, p_gru),
        bad(sq.train_last_step_classifier, "x_train", "rnn", x[:, :, 0], y, x, y),
        bad(sq.train_last_step_classifier, "y_train", "rnn", x, y[:-1], x, y),
        bad(sq.train_last_step_classifier, "y_train", "rnn", x, np.r_[-1, y[1:]], x, y),
        bad(sq.train_last_step_classifier, "x_test", "rnn", x, y, x[:-1], y),
        bad(sq.train_last_step_classifier, "y_test", "gru", x, y, x, y + 0.5),
        bad(sq.train_last_step_classifier, "cell", "transformer", x, y, x, y),
        bad(sq.train_last_step_classifier, "forget_bias", "lstm", x, y, x, y, forget_bias=np.nan),
        bad(sq.train_last_step_classifier, "clip_value", "gru", x, y, x, y, clip_value=0.0),
        bad(sq.train_last_step_classifier, "clip_value", "gru", x, y, x, y, clip_value=-1.0),
        bad(sq.train_last_step_classifier, "batch_size", "gru", x, y, x, y, batch_size=0),
        bad(sq.train_last_step_classifier, "record_every", "gru", x, y, x, y, record_every=0),
        bad(sq.train_last_step_classifier, "num_iterations", "gru", x, y, x, y, num_iterations=0),
        bad(sq.train_last_step_classifier, "learning_rate", "gru", x, y, x, y, learning_rate=0.0),
        bad(sq.train_last_step_classifier, "seed", "gru", x, y, x, y, seed=-1),
    ]


BAD_INPUTS = _bad_inputs()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


def test_remember_first_task():
    x, y = sq.make_remember_first(50, 7, n_classes=3, seed=0)
    assert x.shape == (4, 50, 7) and y.shape == (50,)
    assert np.array_equal(x.sum(axis=0)[:, 1:], np.ones((50, 6)))      # one symbol per later step
    assert np.all(x[3, :, 0] == 1) and np.all(x[3, :, 1:] == 0)        # the marker only at step 1
    assert np.array_equal(x[:3, :, 0].argmax(axis=0), y)
    x2, y2 = sq.make_remember_first(50, 7, n_classes=3, seed=0)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert sq.make_remember_first(4, 2, seed=None)[0].shape == (5, 4, 2)


@pytest.mark.parametrize("cell", sq.CELLS)
def test_classifier_gradient_check(cell):
    x, y = sq.make_remember_first(3, 5, n_classes=3, seed=1)
    params = sq.initialize_classifier(cell, 4, 4, 3, seed=2, update_bias=0.0)   # gradients of order 1e-2, well above the ε noise
    loss, grads = sq.classifier_loss_and_gradients(cell, x, y, params)
    assert set(grads) == {"d" + k for k in params}

    def f():
        return sq.classifier_loss_and_gradients(cell, x, y, params)[0]

    errors = gradient_check(f, params, {name: grads["d" + name] for name in params})
    assert max(errors.values()) < 1e-7, (cell, errors)


@pytest.mark.parametrize("cell", sq.CELLS)
def test_classifier_is_the_cell_then_the_head(cell):
    x, _ = sq.make_remember_first(4, 6, n_classes=3, seed=3)
    params = sq.initialize_classifier(cell, 4, 5, 3, seed=4)
    forward = {"rnn": rnn.rnn_forward, "gru": gru.gru_forward, "lstm": lstm.lstm_forward}[cell]
    a, _ = forward(x, np.zeros((5, 4)), params)
    logits, _ = sq.classifier_forward(cell, x, params)
    np.testing.assert_allclose(logits, params["W_ya"] @ a[:, :, -1] + params["b_y"], rtol=1e-12)
    labels = np.argmax(logits, axis=0)
    assert sq.accuracy(cell, x, labels, params) == 1.0
    assert sq.accuracy(cell, x, (labels + 1) % 3, params) == 0.0


def test_loss_is_the_mean_cross_entropy():
    x, y = sq.make_remember_first(6, 4, n_classes=3, seed=5)
    params = sq.initialize_classifier("gru", 4, 5, 3, seed=6)
    loss, _ = sq.classifier_loss_and_gradients("gru", x, y, params)
    logits, _ = sq.classifier_forward("gru", x, params)
    log_probs = logits - np.log(np.exp(logits).sum(axis=0))
    assert np.isclose(loss, -np.mean(log_probs[y, np.arange(6)]), rtol=1e-12)


def test_short_gap_is_learned_by_every_cell():
    x, y = sq.make_remember_first(300, 4, n_classes=2, seed=0)
    xt, yt = sq.make_remember_first(100, 4, n_classes=2, seed=1)
    for cell in sq.CELLS:
        _, h = sq.train_last_step_classifier(cell, x, y, xt, yt, n_a=8, num_iterations=100,
                                             batch_size=32, learning_rate=0.03, record_every=50)
        assert h["iteration"] == [0, 50, 100]
        assert h["test_accuracy"][-1] > 0.95, cell


@pytest.mark.parametrize("cell", sq.CELLS)
def test_training_in_float32_and_with_seed_none(cell):
    x, y = sq.make_remember_first(20, 3, n_classes=2, seed=0)
    params, h = sq.train_last_step_classifier(cell, x.astype(np.float32), y, x.astype(np.float32), y, n_a=4,
                                              num_iterations=3, batch_size=4, seed=None, record_every=2,
                                              clip_value=None)
    assert all(v.dtype == np.float32 for v in params.values())
    assert h["iteration"] == [0, 2, 3] and all(0 <= a <= 1 for a in h["test_accuracy"])


def test_float32_in_float32_out():
    x, y = sq.make_remember_first(5, 4, n_classes=3, seed=0)
    for cell in sq.CELLS:
        p = {k: v.astype(np.float32) for k, v in sq.initialize_classifier(cell, 4, 3, 3).items()}
        logits, cache = sq.classifier_forward(cell, x.astype(np.float32), p)
        loss, grads = sq.classifier_loss_and_gradients(cell, x.astype(np.float32), y, p)
        assert logits.dtype == np.float32 and isinstance(loss, float)
        assert all(g.dtype == np.float32 for g in grads.values())
        assert all(g.dtype == np.float32 for g in sq.classifier_backward(logits, cache).values())


def test_lstm_classifier_reads_the_last_state_of_lstm_forward_and_its_gradients_are_lstm_backward():
    """The 'lstm' cell is lib.lstm's layer: forward and backward agree with lstm_forward/lstm_backward."""
    x, y = sq.make_remember_first(5, 6, n_classes=3, seed=7)
    p = sq.initialize_classifier("lstm", 4, 3, 3, seed=8, forget_bias=0.5)
    assert np.all(p["b_f"] == 0.5) and set(p) == set(lstm.PARAMETER_NAMES) | {"W_ya", "b_y"}
    logits, cache = sq.classifier_forward("lstm", x, p)
    dlogits = np.random.default_rng(9).standard_normal(logits.shape)
    grads = sq.classifier_backward(dlogits, cache)
    a, lcache = lstm.lstm_forward(x, np.zeros((3, 5)), p)
    da = np.zeros_like(a)
    da[:, :, -1] = p["W_ya"].T @ dlogits
    expected = lstm.lstm_backward(da, lcache)
    np.testing.assert_allclose(logits, p["W_ya"] @ a[:, :, -1] + p["b_y"], rtol=1e-12)
    np.testing.assert_allclose(grads["dx"], expected["dx"], rtol=1e-10, atol=1e-14)
    for k in lstm.PARAMETER_NAMES:
        np.testing.assert_allclose(grads["d" + k], expected["d" + k], rtol=1e-10, atol=1e-14)


def test_forget_bias_reaches_the_lstm_and_update_bias_the_gru():
    p = sq.initialize_classifier("lstm", 4, 3, 2, forget_bias=2.0, update_bias=-5.0)
    assert np.all(p["b_f"] == 2.0)
    g = sq.initialize_classifier("gru", 4, 3, 2, forget_bias=2.0, update_bias=-5.0)
    assert np.all(g["b_z"] == -5.0)
    r = sq.initialize_classifier("rnn", 4, 3, 2, forget_bias=2.0)
    assert np.array_equal(r["W_aa"], sq.initialize_classifier("rnn", 4, 3, 2)["W_aa"])
