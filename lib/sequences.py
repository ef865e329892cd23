r"""A long-gap sequence task and a many-to-one classifier on any of the book's recurrent cells.

The backpropagation-through-time chapter uses :func:`make_remember_first`
and :func:`train_last_step_classifier` to show the plain RNN (:mod:`lib.rnn`)
failing where the GRU (:mod:`lib.gru`) succeeds; the LSTM chapter compares
the three cells (the LSTM is :mod:`lib.lstm`) as the gap grows.

The task: the first step shows one of ``n_classes`` symbols, the next
:math:`T_x - 1` steps show random distractor symbols, and the network must
name the first symbol after reading the last. Only the first step carries
information, so the gradient that teaches it must cross the whole gap.

The classifier is one layer in the package's contract:
:func:`classifier_forward` gives the logits :math:`W_{ya} a^{<T_x>} + b_y`
of the last state, :func:`classifier_backward` the gradients of the input
and of every parameter.
"""
import numpy as np

from lib import gru, lstm, rnn
from lib._checks import (as_float, as_indices, check_choice, check_parameters, check_positive, check_positive_int,
                         check_seed, common_float, make_rng)
from lib.optimizers import adam_update, clip_by_norm

CELLS = ("rnn", "gru", "lstm")
"""The recurrent cells the classifier can use."""


def make_remember_first(m, T_x, n_classes=4, seed=0):
    r"""The "remember the first symbol" task: inputs (n_x, m, T_x), labels (m,).

    Every step shows one of ``n_classes`` symbols, one-hot in the first
    n_classes rows of x; the symbol of step 1, the answer, is flagged by a
    marker, the last row of x (1 at step 1, 0 afterwards). Steps 2 … T_x show
    random symbols from the same set: they look like answers and must be
    ignored, which needs a gate (stop writing after the marker); a plain
    RNN adds every input into its state. :math:`n_x` = n_classes + 1.
    Guessing gives accuracy 1/n_classes.

    Args:
        m: number of sequences, ≥ 1.
        T_x: length of each sequence (the gap is T_x − 1 steps), ≥ 1.
        n_classes: number of symbols, ≥ 2.
        seed: an int ≥ 0 (same seed, same task) or None.

    Returns:
        (x, y): x (n_classes + 1, m, T_x) float64, y (m,) integer labels in [0, n_classes).
    """
    m = check_positive_int("m", m)
    T_x = check_positive_int("T_x", T_x)
    n_classes = check_positive_int("n_classes", n_classes, minimum=2)
    rng = make_rng(seed)
    symbols = rng.integers(0, n_classes, size=(m, T_x))
    x = np.zeros((n_classes + 1, m, T_x))
    x[symbols, np.arange(m)[:, None], np.arange(T_x)] = 1.0
    x[n_classes, :, 0] = 1.0                 # the marker: "remember this one"
    return x, symbols[:, 0].copy()


def initialize_classifier(cell, n_x, n_a, n_classes, seed=0, update_bias=-2.0, forget_bias=1.0):
    """Parameters of a many-to-one classifier: the cell's arrays plus the head "W_ya" (n_classes, n_a), "b_y" (n_classes, 1).

    Args:
        cell: "rnn", "gru" or "lstm".
        n_x, n_a, n_classes: inputs per step, hidden units, classes.
        seed: an int ≥ 0 or None.
        update_bias: passed to :func:`lib.gru.initialize_gru` (GRU only).
        forget_bias: passed to :func:`lib.lstm.initialize_lstm` (LSTM only).
    """
    check_choice("cell", cell, CELLS)
    n_x, n_a = check_positive_int("n_x", n_x), check_positive_int("n_a", n_a)
    n_classes = check_positive_int("n_classes", n_classes)
    seed = check_seed(seed)
    if cell == "rnn":
        return rnn.initialize_rnn(n_x, n_a, n_classes, seed=seed)
    if cell == "gru":
        parameters = gru.initialize_gru(n_x, n_a, seed=seed, update_bias=update_bias)
    else:
        parameters = lstm.initialize_lstm(n_x, n_a, seed=seed, forget_bias=forget_bias)
    rng = np.random.default_rng(None if seed is None else seed + 1000)
    parameters["W_ya"] = rng.standard_normal((n_classes, n_a)) / np.sqrt(n_a)
    parameters["b_y"] = np.zeros((n_classes, 1))
    return parameters


def _check_classifier(cell, parameters):
    """The cell's arrays and the head, checked: (dict of one dtype, n_x, n_classes)."""
    check_choice("cell", cell, CELLS)
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters: expected the dict of initialize_classifier, got {type(parameters).__name__}")
    unpack = {"rnn": rnn._cell_parameters, "gru": gru._gru_parameters, "lstm": lstm._lstm_parameters}[cell]
    p, n_x, n_a = unpack(parameters)
    head = rnn._matrix("parameters", parameters, "W_ya", "(n_classes, n_a)", "initialize_classifier")
    head = check_parameters("parameters", parameters, {"W_ya": (head.shape[0], n_a), "b_y": (head.shape[0], 1)},
                            "initialize_classifier")
    p.update(head)
    return p, n_x, head["W_ya"].shape[0]


def _labels(name, y, m, n_classes):
    y = as_indices(name, y, n_classes, ndim=1, meaning="(m,)")
    if y.shape != (m,):
        raise ValueError(f"{name}: expected shape ({m},) (m,), got {y.shape}")
    return y


def _checked_inputs(cell, x, parameters):
    """cell, x, parameters checked and of one dtype; x stored by rows (T_x, m, n_x), as lib.rnn's kernels take it."""
    p, n_x, n_classes = _check_classifier(cell, parameters)
    x = rnn.check_sequences(x, n_x)
    dtype = common_float(x, *p.values())
    return rnn._rows(x.astype(dtype, copy=False)), rnn._cast_dict(dtype, p), n_classes


def _lstm_forward_by_rows(x, a0, p):
    """lib.lstm's kernel (time-major by columns, (T_x, n, m)) on x stored by rows (T_x, m, n_x), as the
    RNN's and the GRU's kernels take it: the states come back by rows, (T_x, m, n_a), a view."""
    a, cache = lstm._lstm_forward(np.ascontiguousarray(x.transpose(0, 2, 1)), a0, p)
    return a.transpose(0, 2, 1), cache


def _lstm_backward_by_rows(da, cache):
    """lib.lstm's BPTT on da stored by rows (T_x, m, n_a); dx comes back by rows (T_x, m, n_x)."""
    grads = lstm._lstm_backward(np.ascontiguousarray(da.transpose(0, 2, 1)), cache)
    grads["dx"] = grads["dx"].transpose(0, 2, 1)
    return grads


_FORWARD = {"rnn": rnn._rnn_forward, "gru": gru._gru_forward, "lstm": _lstm_forward_by_rows}
_BACKWARD = {"rnn": rnn._rnn_backward, "gru": gru._gru_backward, "lstm": _lstm_backward_by_rows}


def classifier_forward(cell, x, parameters):
    r"""Logits of the last step, :math:`W_{ya} a^{<T_x>} + b_y`, every sequence started from :math:`a^{<0>} = 0`.

    Args:
        cell: "rnn", "gru" or "lstm", the cell ``parameters`` were made for.
        x: (n_x, m, T_x) the input sequences.
        parameters: from :func:`initialize_classifier` with the same cell.

    Returns:
        (logits, cache): logits (n_classes, m); cache for :func:`classifier_backward`.
    """
    x, p, _ = _checked_inputs(cell, x, parameters)
    return _classifier_forward(cell, x, p)


def _classifier_forward(cell, x, p):
    """classifier_forward on checked arrays, x stored by rows (T_x, m, n_x)."""
    a0 = np.zeros((p["W_ya"].shape[1], x.shape[1]), dtype=x.dtype)
    a, cell_cache = _FORWARD[cell](x, a0, p)           # a (T_x, m, n_a): a[-1] is (a<T_x>)ᵀ
    logits = p["W_ya"] @ a[-1].T + p["b_y"]
    return logits, {"layer": "classifier", "cell": cell, "a": a, "cell_cache": cell_cache, "parameters": p}


def classifier_backward(dlogits, cache):
    r"""Gradients of the classifier: only :math:`a^{<T_x>}` feeds the logits, so the upstream
    gradient of the states is zero at every step but the last, :math:`W_{ya}^T\, d\text{logits}`;
    BPTT carries it back to step 1.

    Args:
        dlogits: (n_classes, m) gradient of the cost at the logits.
        cache: from :func:`classifier_forward`.

    Returns:
        dict "dx" (n_x, m, T_x) and "d" + name for every entry of the parameters
        (the cell's and "dW_ya", "db_y").
    """
    cache = rnn._check_cache(cache, "classifier", "classifier_forward")
    a = cache["a"]
    n_classes = cache["parameters"]["W_ya"].shape[0]
    dlogits = rnn._upstream("dlogits", dlogits, (n_classes, a.shape[1]), "(n_classes, m)", a.dtype)
    grads = _classifier_backward(dlogits, cache)
    grads["dx"] = rnn._from_rows(grads["dx"])
    return grads


def _classifier_backward(dlogits, cache):
    """classifier_backward on checked dlogits; dx comes back stored by rows."""
    a, p = cache["a"], cache["parameters"]
    da = np.zeros_like(a)
    da[-1] = dlogits.T @ p["W_ya"]                     # (W_yaᵀ dlogits)ᵀ, at the last step only
    grads = _BACKWARD[cache["cell"]](da, cache["cell_cache"])
    del grads["da0"]
    grads["dW_ya"] = dlogits @ a[-1]
    grads["db_y"] = np.sum(dlogits, axis=1, keepdims=True)
    return grads


def classifier_loss_and_gradients(cell, x, y, parameters):
    r"""Cross-entropy of the last step's softmax and the gradients of every parameter.

    :math:`J = -\frac1m \sum_i \log \mathrm{softmax}(\text{logits}^{(i)})_{y^{(i)}}`,
    whose gradient at the logits carries the 1/m (:func:`lib.rnn.sequence_loss`
    with one step); :func:`classifier_backward` does the rest.

    Args:
        cell: "rnn", "gru" or "lstm".
        x: (n_x, m, T_x) inputs; y: (m,) integer labels in [0, n_classes).
        parameters: from :func:`initialize_classifier`.

    Returns:
        (loss, grads) with grads "d" + name for every parameter.
    """
    x, p, n_classes = _checked_inputs(cell, x, parameters)
    y = _labels("y", y, x.shape[1], n_classes)
    return _classifier_loss_and_gradients(cell, x, y, p)


def _classifier_loss_and_gradients(cell, x, y, p):
    logits, cache = _classifier_forward(cell, x, p)
    loss, dlogits = rnn._sequence_loss(logits.T[None], y[None])       # one step, logits by rows
    grads = _classifier_backward(dlogits[0].T, cache)
    del grads["dx"]
    return loss, grads


def accuracy(cell, x, y, parameters):
    """Fraction of sequences x (n_x, m, T_x) whose last-step prediction equals the label y (m,)."""
    x, p, n_classes = _checked_inputs(cell, x, parameters)
    return _accuracy(cell, x, _labels("y", y, x.shape[1], n_classes), p)


def _accuracy(cell, x, y, p):
    logits, _ = _classifier_forward(cell, x, p)
    return float(np.mean(np.argmax(logits, axis=0) == y))


def train_last_step_classifier(cell, x_train, y_train, x_test, y_test, n_a=32, num_iterations=300,
                               batch_size=64, learning_rate=0.01, clip_value=1.0, seed=0, record_every=10,
                               update_bias=-2.0, forget_bias=1.0):
    r"""Train a many-to-one classifier with Adam and global-norm clipping; record held-out accuracy.

    Args:
        cell: "rnn", "gru" or "lstm".
        x_train: (n_x, m, T_x); y_train: (m,) labels in [0, n_classes), where
            n_classes is one more than the largest label of y_train and y_test;
            x_test (n_x, m', T_x'), y_test (m',) likewise.
        n_a: hidden units.
        num_iterations: Adam steps, each on ``batch_size`` random training sequences.
        batch_size: sequences per step, ≥ 1.
        learning_rate: α > 0.
        clip_value: the global gradient norm is clipped to this, > 0 (None: no clipping).
        seed: an int ≥ 0 or None; seeds the weights and the batches.
        record_every: test accuracy is recorded every this many steps (and at the last).
        update_bias: initial GRU update-gate bias (see :func:`lib.gru.initialize_gru`).
        forget_bias: initial LSTM forget-gate bias (see :func:`lib.lstm.initialize_lstm`).

    Returns:
        (parameters, history) with history "iteration", "loss" (mean training
        loss since the previous record) and "test_accuracy".
    """
    check_choice("cell", cell, CELLS)
    x_train = as_float("x_train", x_train, ndim=3, meaning="(n_x, m, T_x)")
    x_test = rnn.check_sequences(x_test, x_train.shape[0], "x_test")
    # the classes: one more than the largest label (bad labels are refused by name just below)
    n_classes = max(1, 1 + max((int(np.max(y)) for y in (y_train, y_test) if np.size(y)
                                and np.asarray(y).dtype.kind in "biuf" and np.all(np.isfinite(y))), default=0))
    y_train = _labels("y_train", y_train, x_train.shape[1], n_classes)
    y_test = _labels("y_test", y_test, x_test.shape[1], n_classes)
    num_iterations = check_positive_int("num_iterations", num_iterations)
    batch_size = check_positive_int("batch_size", batch_size)
    record_every = check_positive_int("record_every", record_every)
    check_positive("learning_rate", learning_rate)
    if clip_value is not None:
        check_positive("clip_value", clip_value)
    seed = check_seed(seed)
    dtype = common_float(x_train, x_test)         # float32 data train float32 parameters
    parameters = rnn._cast_dict(dtype, initialize_classifier(cell, x_train.shape[0], n_a, n_classes, seed=seed,
                                                             update_bias=update_bias,
                                                             forget_bias=forget_bias))
    xs_train, xs_test = (rnn._rows(x.astype(dtype, copy=False)) for x in (x_train, x_test))   # (T_x, m, n_x)
    rng = np.random.default_rng(None if seed is None else seed + 1)
    history = {"iteration": [0], "loss": [float(np.log(n_classes))],
               "test_accuracy": [_accuracy(cell, xs_test, y_test, parameters)]}
    state, recent = {}, []
    for it in range(1, num_iterations + 1):
        batch = rng.integers(0, x_train.shape[1], size=batch_size)
        loss, grads = _classifier_loss_and_gradients(cell, xs_train[:, batch], y_train[batch], parameters)
        if clip_value is not None:
            grads = clip_by_norm.unchecked(grads, clip_value)[0]
        adam_update.unchecked(parameters, grads, state, learning_rate)
        recent.append(loss)
        if it % record_every == 0 or it == num_iterations:
            history["iteration"].append(it)
            history["loss"].append(float(np.mean(recent)))
            history["test_accuracy"].append(_accuracy(cell, xs_test, y_test, parameters))
            recent = []
    return parameters, history
