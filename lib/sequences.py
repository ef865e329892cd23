r"""Long-gap sequence tasks, a many-to-one classifier on either cell, and the pictures of sequence shapes.

Chapter 14 (backpropagation through time) uses :func:`make_remember_first`
and :func:`train_last_step_classifier` to show the plain RNN (:mod:`lib.rnn`)
failing where the GRU (:mod:`lib.gru`) succeeds; chapter 12 draws the kinds
of sequence models with :func:`draw_sequence_shapes`.

The task: the first step shows one of ``n_classes`` symbols, the next
:math:`T_x - 1` steps show random distractor symbols, and the network must
name the first symbol after reading the last. Only the first step carries
information, so the gradient that teaches it must cross the whole gap.
"""
import numpy as np

from lib._checks import as_array, check_positive, check_positive_int
from lib.losses import softmax_cross_entropy
from lib.optimizers import adam_update

CELLS = ("rnn", "gru")


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
        m: number of sequences.
        T_x: length of each sequence (the gap is T_x − 1 steps), ≥ 1.
        n_classes: number of symbols, ≥ 2.
        seed: seed of the random generator.

    Returns:
        (x, y): x (n_classes + 1, m, T_x), y (m,) integer labels in [0, n_classes).
    """
    m = check_positive_int("m", m)
    T_x = check_positive_int("T_x", T_x)
    n_classes = check_positive_int("n_classes", n_classes, minimum=2)
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, n_classes, size=(m, T_x))
    x = np.zeros((n_classes + 1, m, T_x))
    x[symbols, np.arange(m)[:, None], np.arange(T_x)] = 1.0
    x[n_classes, :, 0] = 1.0                 # the marker: "remember this one"
    return x, symbols[:, 0].copy()


def initialize_classifier(cell, n_x, n_a, n_classes, seed=0, update_bias=-2.0):
    """Parameters of a many-to-one classifier: the cell's arrays plus the head "W_ya" (n_classes, n_a), "b_y" (n_classes, 1).

    ``update_bias`` is passed to :func:`lib.gru.initialize_gru` (GRU only).
    """
    from lib import gru, rnn

    if cell not in CELLS:
        raise ValueError(f"cell: expected one of {CELLS}, got {cell!r}")
    if cell == "rnn":
        return rnn.initialize_rnn(n_x, n_a, n_classes, seed=seed)
    params = gru.initialize_gru(n_x, n_a, seed=seed, update_bias=update_bias)
    rng = np.random.default_rng(seed + 1000)
    params["W_ya"] = rng.standard_normal((n_classes, n_a)) / np.sqrt(n_a)
    params["b_y"] = np.zeros((n_classes, 1))
    return params


def _hidden_forward(cell, x, params):
    from lib import gru, rnn

    a0 = np.zeros((params["W_ya"].shape[1], x.shape[1]))
    if cell == "rnn":
        a, _, caches = rnn.rnn_forward(x, a0, params)
    else:
        a, caches = gru.gru_forward(x, a0, params)
    return a, caches


def classifier_forward(cell, x, params):
    r"""Logits of the last step, :math:`W_{ya} a^{<T_x>} + b_y`: (n_classes, m), and the caches."""
    a, caches = _hidden_forward(cell, x, params)
    return params["W_ya"] @ a[:, :, -1] + params["b_y"], (a, caches)


def classifier_loss_and_gradients(cell, x, y, params):
    r"""Cross-entropy of the last step's softmax and the gradients of every parameter.

    Only :math:`a^{<T_x>}` feeds the loss, so the upstream gradient ``da`` is
    zero at every step but the last; BPTT carries it back to step 1.

    Args:
        cell: "rnn" or "gru".
        x: (n_x, m, T_x) inputs; y: (m,) integer labels.
        params: from :func:`initialize_classifier`.

    Returns:
        (loss, grads) with grads "d" + name for every parameter.
    """
    from lib import gru, rnn

    logits, (a, caches) = classifier_forward(cell, x, params)
    n_classes = logits.shape[0]
    loss, dz = softmax_cross_entropy(logits, np.eye(n_classes)[y].T)
    da = np.zeros_like(a)
    da[:, :, -1] = params["W_ya"].T @ dz
    grads = rnn.rnn_backward(da, caches) if cell == "rnn" else gru.gru_backward(da, caches)
    grads.pop("dx"), grads.pop("da0")
    grads["dW_ya"] = dz @ a[:, :, -1].T
    grads["db_y"] = np.sum(dz, axis=1, keepdims=True)
    return loss, grads


def accuracy(cell, x, y, params):
    """Fraction of sequences whose last-step prediction equals the label y (m,)."""
    logits, _ = classifier_forward(cell, x, params)
    return float(np.mean(np.argmax(logits, axis=0) == np.asarray(y)))


def train_last_step_classifier(cell, x_train, y_train, x_test, y_test, n_a=32, n_iterations=300,
                               batch_size=64, learning_rate=0.01, clip_value=1.0, seed=0, eval_every=10,
                               update_bias=-2.0):
    r"""Train a many-to-one classifier with Adam and global-norm clipping; record held-out accuracy.

    Args:
        cell: "rnn" or "gru".
        x_train: (n_x, m, T_x); y_train: (m,) labels; x_test, y_test likewise.
        n_a: hidden units.
        n_iterations: Adam steps, each on ``batch_size`` random training sequences.
        learning_rate: α > 0.
        clip_value: the global gradient norm is clipped to this (None: no clipping).
        seed: seeds the weights and the batches.
        eval_every: test accuracy is recorded every this many steps.
        update_bias: initial GRU update-gate bias (see :func:`lib.gru.initialize_gru`).

    Returns:
        (params, history) with history "iteration", "loss" (mean training loss
        since the previous record) and "test_accuracy".
    """
    from lib import rnn

    x_train = as_array("x_train", x_train, ndim=3)
    x_test = as_array("x_test", x_test, ndim=3)
    y_train = np.asarray(y_train, dtype=np.int64)
    if y_train.shape != (x_train.shape[1],):
        raise ValueError(f"y_train: expected shape ({x_train.shape[1]},) (m,), got {y_train.shape}")
    check_positive("learning_rate", learning_rate)
    n_iterations = check_positive_int("n_iterations", n_iterations)
    eval_every = check_positive_int("eval_every", eval_every)
    n_classes = int(max(y_train.max(), np.max(y_test))) + 1
    params = initialize_classifier(cell, x_train.shape[0], n_a, n_classes, seed=seed,
                                   update_bias=update_bias)
    rng = np.random.default_rng(seed + 1)
    history = {"iteration": [0], "loss": [float(np.log(n_classes))],
               "test_accuracy": [accuracy(cell, x_test, y_test, params)]}
    state, recent = {}, []
    for it in range(1, n_iterations + 1):
        batch = rng.integers(0, x_train.shape[1], size=batch_size)
        loss, grads = classifier_loss_and_gradients(cell, x_train[:, batch], y_train[batch], params)
        if clip_value is not None:
            grads = rnn.clip_by_norm(grads, clip_value)[0]
        adam_update(params, grads, state, learning_rate)
        recent.append(loss)
        if it % eval_every == 0 or it == n_iterations:
            history["iteration"].append(it)
            history["loss"].append(float(np.mean(recent)))
            history["test_accuracy"].append(accuracy(cell, x_test, y_test, params))
            recent = []
    return params, history


def draw_sequence_shapes(ax, kind, T_x=4, T_y=4, title=None):
    """Draw one kind of sequence model as unrolled boxes: inputs below, states in the middle, outputs above.

    Args:
        ax: matplotlib axes.
        kind: "one-to-one", "one-to-many", "many-to-one", "many-to-many"
            (T_x = T_y, an output at each step) or "encoder-decoder"
            (T_x inputs read, then T_y outputs written).
        T_x, T_y: the lengths drawn.
        title: axes title (default: the kind).

    Returns:
        the axes.
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from lib.plots import OKABE_ITO

    layouts = {
        "one-to-one": (1, [0], [0]),
        "one-to-many": (T_y, [0], list(range(T_y))),
        "many-to-one": (T_x, list(range(T_x)), [T_x - 1]),
        "many-to-many": (T_x, list(range(T_x)), list(range(T_x))),
        "encoder-decoder": (T_x + T_y, list(range(T_x)), list(range(T_x, T_x + T_y))),
    }
    if kind not in layouts:
        raise ValueError(f"kind: expected one of {list(layouts)}, got {kind!r}")
    n_steps, ins, outs = layouts[kind]

    def box(cx, cy, label, colour):
        ax.add_patch(FancyBboxPatch((cx - 0.3, cy - 0.25), 0.6, 0.5, boxstyle="round,pad=0.03",
                                    fc=colour, ec="black", lw=1))
        ax.text(cx, cy, label, ha="center", va="center", fontsize=9, color="white")

    def arrow(x0, y0, x1, y1):
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=10, lw=1.2))

    for t in range(n_steps):
        box(t, 1, "a", OKABE_ITO[0])
        if t > 0:
            arrow(t - 0.7, 1, t - 0.3, 1)
        if t in ins:
            box(t, 0, "x", OKABE_ITO[2])
            arrow(t, 0.25, t, 0.75)
        if t in outs:
            box(t, 2, "ŷ", OKABE_ITO[3])
            arrow(t, 1.25, t, 1.75)
    ax.set_xlim(-0.6, max(n_steps, 4) - 0.4)
    ax.set_ylim(-0.5, 2.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or kind)
    return ax
