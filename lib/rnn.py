r"""The plain recurrent neural network: forward, backpropagation through time, and a language model.

Chapter 13 (recurrent networks) teaches the cell, the unrolled forward pass,
sampling and the character-level language model; chapter 14 (backpropagation
through time) the backward pass, the gradient norm through time, and clipping.
The cell, for a batch of m examples at once:

.. math::

    a^{<t>} = \tanh(W_{aa} a^{<t-1>} + W_{ax} x^{<t>} + b_a), \qquad
    \hat y^{<t>} = \mathrm{softmax}(W_{ya} a^{<t>} + b_y)

Shapes (the book's notation): ``xt`` (n_x, m), ``a_prev`` (n_a, m); a batch of
sequences ``x`` is (n_x, m, T_x), its states ``a`` (n_a, m, T_x) and its
predictions ``y_pred`` (n_y, m, T_x). Parameters: ``W_ax`` (n_a, n_x), ``W_aa``
(n_a, n_a), ``b_a`` (n_a, 1), ``W_ya`` (n_y, n_a), ``b_y`` (n_y, 1).
"""
import numpy as np

from lib._checks import as_array, check_positive, check_positive_int, check_shape
from lib.activations import softmax
from lib.optimizers import adam_update

PARAMETER_NAMES = ("W_ax", "W_aa", "b_a", "W_ya", "b_y")


def initialize_rnn(n_x, n_a, n_y, seed=0, scale=None):
    r"""Random RNN parameters: ``W_ax`` ~ N(0, 1/n_x), ``W_aa`` and ``W_ya`` ~ N(0, 1/n_a), biases 0.

    Args:
        n_x: inputs per step (the vocabulary size for one-hot characters).
        n_a: hidden units.
        n_y: outputs per step.
        seed: seed of the random generator.
        scale: if given, ``W_aa`` is drawn N(0, scale²/n_a) instead: its
            eigenvalues then fill a disc of radius about ``scale`` (the
            circular law), the knob of chapter 14's vanishing/exploding
            experiment.

    Returns:
        dict "W_ax" (n_a, n_x), "W_aa" (n_a, n_a), "b_a" (n_a, 1),
        "W_ya" (n_y, n_a), "b_y" (n_y, 1).
    """
    n_x, n_a, n_y = (check_positive_int(k, v) for k, v in (("n_x", n_x), ("n_a", n_a), ("n_y", n_y)))
    rng = np.random.default_rng(seed)
    w_aa = 1.0 if scale is None else check_positive("scale", scale)
    return {"W_ax": rng.standard_normal((n_a, n_x)) / np.sqrt(n_x),
            "W_aa": w_aa * rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
            "b_a": np.zeros((n_a, 1)),
            "W_ya": rng.standard_normal((n_y, n_a)) / np.sqrt(n_a),
            "b_y": np.zeros((n_y, 1))}


def _sizes(parameters):
    """(n_x, n_a) from the recurrent weights, after checking they are consistent."""
    for k in ("W_ax", "W_aa", "b_a"):
        if k not in parameters:
            raise ValueError(f"parameters: missing '{k}'; expected the dict of initialize_rnn")
    n_a, n_x = np.shape(parameters["W_ax"])
    check_shape("parameters['W_aa']", np.asarray(parameters["W_aa"]), (n_a, n_a), "(n_a, n_a)")
    check_shape("parameters['b_a']", np.asarray(parameters["b_a"]), (n_a, 1), "(n_a, 1)")
    return n_x, n_a


def check_sequences(x, n_x, name="x"):
    """Return ``x`` as float (n_x, m, T_x), raising ValueError on a wrong rank, size or an empty sequence."""
    x = as_array(name, x)
    if x.ndim != 3:
        raise ValueError(f"{name}: expected a 3-d array of shape (n_x, m, T_x), got shape {x.shape}")
    check_shape(name, x, (n_x, None, None), "(n_x, m, T_x)")
    if x.shape[1] == 0 or x.shape[2] == 0:
        raise ValueError(f"{name}: expected a non-empty sequence, m >= 1 and T_x >= 1, got shape {x.shape}")
    return x


# ----------------------------------------------------------------- one step

def rnn_cell_forward(xt, a_prev, parameters):
    r"""One RNN step: :math:`a^{<t>} = \tanh(W_{aa} a^{<t-1>} + W_{ax} x^{<t>} + b_a)`,
    :math:`\hat y^{<t>} = \mathrm{softmax}(W_{ya} a^{<t>} + b_y)`.

    Args:
        xt: (n_x, m) the inputs at step t.
        a_prev: (n_a, m) the hidden state :math:`a^{<t-1>}`.
        parameters: the dict of :func:`initialize_rnn`.

    Returns:
        (a_next, yt_pred, cache): a_next (n_a, m), yt_pred (n_y, m) whose
        columns sum to 1, cache (a_next, a_prev, xt, parameters).
    """
    n_x, n_a = _sizes(parameters)
    xt = check_shape("xt", as_array("xt", xt, ndim=2), (n_x, None), "(n_x, m)")
    a_prev = check_shape("a_prev", as_array("a_prev", a_prev, ndim=2), (n_a, xt.shape[1]), "(n_a, m)")
    p = parameters
    a_next = np.tanh(p["W_aa"] @ a_prev + p["W_ax"] @ xt + p["b_a"])
    yt_pred = softmax(p["W_ya"] @ a_next + p["b_y"], axis=0)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_cell_backward(da_next, cache):
    r"""Backward through one RNN step's state update (the output layer is separate).

    With :math:`dz = \partial J/\partial a^{<t>} \odot (1 - (a^{<t>})^2)`, the
    gradient of the pre-activation (tanh' written with the output):

    .. math::

        dx^{<t>} = W_{ax}^T dz, \quad da^{<t-1>} = W_{aa}^T dz, \quad
        dW_{ax} = dz\, x^{<t>T}, \quad dW_{aa} = dz\, a^{<t-1>T}, \quad
        db_a = \textstyle\sum_i dz

    Args:
        da_next: (n_a, m) gradient of the loss with respect to :math:`a^{<t>}`.
        cache: from :func:`rnn_cell_forward`.

    Returns:
        dict "dxt" (n_x, m), "da_prev" (n_a, m), "dW_ax", "dW_aa", "db_a".
    """
    a_next, a_prev, xt, p = cache
    da_next = check_shape("da_next", as_array("da_next", da_next, ndim=2), a_next.shape, "(n_a, m)")
    dz = da_next * (1.0 - a_next ** 2)
    return {"dxt": p["W_ax"].T @ dz, "da_prev": p["W_aa"].T @ dz,
            "dW_ax": dz @ xt.T, "dW_aa": dz @ a_prev.T,
            "db_a": np.sum(dz, axis=1, keepdims=True)}


# ------------------------------------------------------------ whole sequences

def rnn_forward(x, a0, parameters):
    r"""Run the RNN over a batch of sequences.

    The input products :math:`W_{ax} x^{<t>} + b_a` of all steps are formed
    first, as one matrix product on ``x`` viewed as (n_x, m·T_x); the loop then
    only adds :math:`W_{aa} a^{<t-1>}` and applies tanh. The outputs
    :math:`\hat y^{<t>}` of all steps are likewise one product after the loop.
    Equal to T_x calls of :func:`rnn_cell_forward` (a test checks it).

    Args:
        x: (n_x, m, T_x) the input sequences.
        a0: (n_a, m) the initial hidden state.
        parameters: the dict of :func:`initialize_rnn` (with "W_ya", "b_y").

    Returns:
        (a, y_pred, caches): a (n_a, m, T_x), y_pred (n_y, m, T_x), caches
        the dict (x, a0, a, parameters, and "steps", the states again as
        (T_x, n_a, m)) that :func:`rnn_backward` reads.
    """
    n_x, n_a = _sizes(parameters)
    x = check_sequences(x, n_x)
    a0 = check_shape("a0", as_array("a0", a0, ndim=2), (n_a, x.shape[1]), "(n_a, m)")
    p = parameters
    _, m, T_x = x.shape
    pre = (p["W_ax"] @ x.reshape(n_x, m * T_x) + p["b_a"]).reshape(n_a, m, T_x)
    steps = np.empty((T_x, n_a, m))            # time-major: each step's state is contiguous
    a_prev = a0
    for t in range(T_x):
        a_prev = np.tanh(pre[:, :, t] + p["W_aa"] @ a_prev, out=steps[t])
    a = np.ascontiguousarray(steps.transpose(1, 2, 0))
    n_y = p["W_ya"].shape[0]
    y_pred = softmax((p["W_ya"] @ a.reshape(n_a, m * T_x) + p["b_y"]).reshape(n_y, m, T_x), axis=0)
    return a, y_pred, {"x": x, "a0": a0, "a": a, "steps": steps, "parameters": p}


def rnn_backward(da, caches):
    r"""Backpropagation through time for :func:`rnn_forward`'s hidden states.

    From the last step back to the first, the gradient reaching :math:`a^{<t>}`
    is the upstream ``da[:, :, t]`` plus :math:`W_{aa}^T dz^{<t+1>}` from the step
    after; :math:`dz^{<t>} = (\ldots) \odot (1 - (a^{<t>})^2)`. The parameter
    gradients are sums over the steps, so they are one product each after the
    loop: :math:`dW_{ax} = \sum_t dz^{<t>} x^{<t>T}` and so on.

    Args:
        da: (n_a, m, T_x) upstream gradient of the loss with respect to every
            hidden state (from the output layer: :func:`output_backward`).
        caches: from :func:`rnn_forward`.

    Returns:
        dict "dx" (n_x, m, T_x), "da0" (n_a, m), "dW_ax" (n_a, n_x),
        "dW_aa" (n_a, n_a), "db_a" (n_a, 1).
    """
    x, a0, a, p = caches["x"], caches["a0"], caches["a"], caches["parameters"]
    da = check_shape("da", as_array("da", da), a.shape, "(n_a, m, T_x)")
    (n_x, m, T_x), n_a = x.shape, a.shape[0]
    steps, da_steps = caches["steps"], da.transpose(2, 0, 1)      # (T_x, n_a, m) views
    dz = np.empty((T_x, n_a, m))
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        dz[t] = (da_steps[t] + da_prev) * (1.0 - steps[t] ** 2)
        da_prev = p["W_aa"].T @ dz[t]
    a_prevs = np.concatenate([a0[:, :, None], a[:, :, :-1]], axis=2)
    dz_flat = dz.transpose(1, 2, 0).reshape(n_a, m * T_x)         # columns in x's (m, T_x) order
    return {"dx": (p["W_ax"].T @ dz_flat).reshape(n_x, m, T_x), "da0": da_prev,
            "dW_ax": dz_flat @ x.reshape(n_x, m * T_x).T,
            "dW_aa": dz_flat @ a_prevs.reshape(n_a, m * T_x).T,
            "db_a": np.sum(dz_flat, axis=1, keepdims=True)}


def hidden_gradient_norms(caches, da_last=None):
    r"""The norm of :math:`\partial L/\partial a^{<t>}` for every t, when the loss reads only the last state.

    Starts from :math:`\partial L/\partial a^{<T_x>}` = ``da_last`` and applies
    :math:`\partial L/\partial a^{<t-1>} = W_{aa}^T\big(\partial L/\partial a^{<t>} \odot (1 - (a^{<t>})^2)\big)`.
    Each step multiplies by a Jacobian; if its norm stays below 1 the gradient
    vanishes geometrically, above 1 it explodes (Bengio et al., 1994).

    Args:
        caches: from :func:`rnn_forward`.
        da_last: (n_a, m) the gradient at the last state; default all ones
            divided by its norm, so the first norm is 1.

    Returns:
        (T_x,) array: entry t is the Frobenius norm of
        :math:`\partial L/\partial a^{<t+1>}` (so the last entry is the start).
    """
    a, p = caches["steps"], caches["parameters"]
    T_x, n_a, m = a.shape
    if da_last is None:
        da_last = np.ones((n_a, m)) / np.sqrt(n_a * m)
    g = check_shape("da_last", as_array("da_last", da_last, ndim=2), (n_a, m), "(n_a, m)")
    norms = np.empty(T_x)
    for t in reversed(range(T_x)):
        norms[t] = np.linalg.norm(g)
        g = p["W_aa"].T @ (g * (1.0 - a[t] ** 2))
    return norms


# ------------------------------------------------------- loss and output layer

def check_indices(name, y, n_classes):
    """Return integer array ``y`` after checking every entry is in [0, n_classes)."""
    y = np.asarray(y)
    if y.size and not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"{name}: expected integer indices, got dtype {y.dtype}")
    y = y.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{name}: expected indices in [0, {n_classes - 1}] (the vocabulary), "
                         f"got range [{y.min()}, {y.max()}]")
    return y


def sequence_loss(y_pred, y):
    r"""Cross-entropy over every step of every sequence, and its gradient at the logits.

    :math:`J = -\frac{1}{m T_x} \sum_i \sum_t \log \hat y^{(i)<t>}_{y^{(i)<t>}}`,
    the mean loss per step in nats (uniform guessing over n_y symbols gives
    :math:`\log n_y`). For a softmax output the gradient at the logits is
    :math:`(\hat y - \mathrm{onehot}(y)) / (m T_x)`.

    Args:
        y_pred: (n_y, m, T_x) predicted probabilities (from :func:`rnn_forward`).
        y: (m, T_x) integer targets in [0, n_y).

    Returns:
        (loss, dlogits): the float loss and dlogits (n_y, m, T_x).
    """
    y_pred = as_array("y_pred", y_pred, ndim=3)
    n_y, m, T_x = y_pred.shape
    y = check_indices("y", y, n_y)
    check_shape("y", y, (m, T_x), "(m, T_x)")
    mm, tt = np.meshgrid(np.arange(m), np.arange(T_x), indexing="ij")
    picked = y_pred[y, mm, tt]
    loss = -float(np.mean(np.log(np.maximum(picked, 1e-300))))
    dlogits = y_pred.copy()
    dlogits[y, mm, tt] -= 1.0
    return loss, dlogits / (m * T_x)


def output_backward(dlogits, caches):
    r"""Gradients of the output layer :math:`W_{ya} a^{<t>} + b_y` over all steps.

    Args:
        dlogits: (n_y, m, T_x) gradient at the logits (from :func:`sequence_loss`).
        caches: from :func:`rnn_forward`.

    Returns:
        dict "dW_ya" (n_y, n_a), "db_y" (n_y, 1) and "da" (n_a, m, T_x), the
        upstream gradient that :func:`rnn_backward` takes.
    """
    a, p = caches["a"], caches["parameters"]
    n_a, m, T_x = a.shape
    n_y = p["W_ya"].shape[0]
    d = check_shape("dlogits", as_array("dlogits", dlogits), (n_y, m, T_x), "(n_y, m, T_x)")
    d = d.reshape(n_y, m * T_x)
    return {"dW_ya": d @ a.reshape(n_a, m * T_x).T, "db_y": np.sum(d, axis=1, keepdims=True),
            "da": (p["W_ya"].T @ d).reshape(n_a, m, T_x)}


def loss_and_gradients(x, y, a0, parameters):
    """Forward, loss and BPTT for a batch: returns (loss, grads, a_last).

    Args:
        x: (n_x, m, T_x) inputs; y: (m, T_x) integer targets; a0: (n_a, m).
        parameters: the dict of :func:`initialize_rnn`.

    Returns:
        loss (float, mean per step), grads (dict "dW_ax", "dW_aa", "db_a",
        "dW_ya", "db_y"), and a_last (n_a, m), the final hidden state.
    """
    a, y_pred, caches = rnn_forward(x, a0, parameters)
    loss, dlogits = sequence_loss(y_pred, y)
    out = output_backward(dlogits, caches)
    grads = rnn_backward(out.pop("da"), caches)
    grads.update(out)
    del grads["dx"], grads["da0"]
    return loss, grads, a[:, :, -1]


# --------------------------------------------------------- clipping, updates

def clip(gradients, max_value):
    r"""Clip every gradient entry to :math:`[-\text{max\_value}, \text{max\_value}]`.

    Args:
        gradients: dict name → array.
        max_value: the bound, > 0.

    Returns:
        a new dict with the clipped arrays (the input is left unchanged).
    """
    check_positive("max_value", max_value)
    return {k: np.clip(v, -max_value, max_value) for k, v in gradients.items()}


def clip_by_norm(gradients, max_norm):
    r"""Rescale all gradients together so their global norm is at most ``max_norm``.

    :math:`g \leftarrow g \cdot \min(1, \text{max\_norm} / \lVert g \rVert)` with
    :math:`\lVert g \rVert` the norm of all arrays stacked (Pascanu et al., 2013):
    unlike :func:`clip`, the direction of the step is kept.

    Returns:
        (clipped, norm): the new dict and the norm before clipping.
    """
    check_positive("max_norm", max_norm)
    norm = float(np.sqrt(sum(np.sum(v * v) for v in gradients.values())))
    factor = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {k: v * factor for k, v in gradients.items()}, norm


# ------------------------------------------------------------------ sampling

def sample(parameters, start_index, max_length=50, temperature=1.0, seed=0, stop_index=None):
    r"""Draw a sequence from the model, one symbol at a time, each fed back as the next input.

    At each step :math:`p = \mathrm{softmax}((W_{ya} a^{<t>} + b_y)/\tau)`; the
    temperature :math:`\tau` sharpens the distribution (:math:`\tau < 1`,
    towards the most likely symbol) or flattens it (:math:`\tau > 1`, towards uniform).

    Args:
        parameters: the dict of :func:`initialize_rnn`, with n_x = n_y (a vocabulary).
        start_index: the first input symbol (for words, the newline that precedes one).
        max_length: at most this many symbols are drawn.
        temperature: τ > 0.
        seed: seed of the random generator (same seed, same sample).
        stop_index: stop after drawing this symbol (it is included); None: never.

    Returns:
        list of int, the drawn symbols.
    """
    n_x, n_a = _sizes(parameters)
    check_positive("temperature", temperature)
    max_length = check_positive_int("max_length", max_length)
    start_index = int(check_indices("start_index", np.int64(start_index), n_x))
    rng = np.random.default_rng(seed)
    p = parameters
    a, idx, out = np.zeros((n_a, 1)), start_index, []
    for _ in range(max_length):
        a = np.tanh(p["W_aa"] @ a + p["W_ax"][:, [idx]] + p["b_a"])   # W_ax @ one-hot = a column
        probs = softmax((p["W_ya"] @ a + p["b_y"]) / temperature, axis=0).ravel()
        idx = int(rng.choice(probs.size, p=probs))
        out.append(idx)
        if idx == stop_index:
            break
    return out


# ------------------------------------------------------------------ training

def train_language_model(corpus, vocab_size, n_a=64, seq_length=25, batch_size=32,
                         n_iterations=1500, learning_rate=0.01, clip_value=5.0,
                         clip_mode="value", seed=0, eval_every=50, eval_corpus=None,
                         optimizer="adam", scale=None):
    r"""Train a character-level RNN language model with Adam on random windows of a corpus.

    Each iteration takes ``batch_size`` windows of ``seq_length + 1`` symbols
    at random offsets; the input is symbols 0…T−1 one-hot, the target symbols
    1…T (predict the next one). Every window starts from :math:`a^{<0>} = 0`.
    The gradients are clipped (:func:`clip` or :func:`clip_by_norm`) before
    the update, an Adam step (:func:`lib.optimizers.adam_update`) or plain gradient descent
    :math:`\theta \leftarrow \theta - \alpha\, d\theta`.

    Args:
        corpus: (N,) integer symbols in [0, vocab_size).
        vocab_size: n_x = n_y.
        n_a: hidden units.
        seq_length: T_x of each window.
        batch_size: m windows per step.
        n_iterations: Adam steps.
        learning_rate: α.
        clip_value: the clipping bound; None for no clipping.
        clip_mode: "value" (elementwise) or "norm" (global norm).
        seed: seeds the initial weights and the windows.
        eval_every: record the training loss (mean of the last iterations)
            and the held-out loss every this many iterations.
        eval_corpus: (N',) held-out symbols, evaluated on fixed windows.
        optimizer: "adam" or "sgd".
        scale: passed to :func:`initialize_rnn` (the size of the initial W_aa).

    Returns:
        (parameters, history): history has "iteration", "train_loss",
        "eval_loss" (lists; eval_loss empty without eval_corpus) and
        "grad_norm" (one per iteration, before clipping).
    """
    corpus = check_indices("corpus", np.asarray(corpus).reshape(-1), vocab_size)
    seq_length = check_positive_int("seq_length", seq_length)
    batch_size = check_positive_int("batch_size", batch_size)
    n_iterations = check_positive_int("n_iterations", n_iterations)
    eval_every = check_positive_int("eval_every", eval_every)
    if corpus.size < seq_length + 1:
        raise ValueError(f"corpus: expected at least seq_length + 1 = {seq_length + 1} symbols, got {corpus.size}")
    if clip_mode not in ("value", "norm"):
        raise ValueError(f"clip_mode: expected 'value' or 'norm', got {clip_mode!r}")
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer: expected 'adam' or 'sgd', got {optimizer!r}")
    check_positive("learning_rate", learning_rate)
    parameters = initialize_rnn(vocab_size, n_a, vocab_size, seed=seed, scale=scale)
    rng = np.random.default_rng(seed + 1)
    eye = np.eye(vocab_size)
    if eval_corpus is not None:
        ex, ey = _fixed_windows(check_indices("eval_corpus", np.asarray(eval_corpus).reshape(-1), vocab_size),
                                seq_length, eye)
    history = {"iteration": [], "train_loss": [], "eval_loss": [], "grad_norm": []}
    state, recent = {}, []
    a0 = np.zeros((n_a, batch_size))
    for it in range(1, n_iterations + 1):
        starts = rng.integers(0, corpus.size - seq_length, size=batch_size)
        windows = corpus[starts[:, None] + np.arange(seq_length + 1)]          # (m, T_x + 1)
        x = eye[windows[:, :-1]].transpose(2, 0, 1)                            # (n_x, m, T_x)
        loss, grads, _ = loss_and_gradients(x, windows[:, 1:], a0, parameters)
        history["grad_norm"].append(float(np.sqrt(sum(np.sum(g * g) for g in grads.values()))))
        if clip_value is not None:       # clipping bounds the step a rare huge gradient can take
            grads = clip(grads, clip_value) if clip_mode == "value" else clip_by_norm(grads, clip_value)[0]
        if optimizer == "adam":
            adam_update(parameters, grads, state, learning_rate)
        else:
            for name in parameters:
                parameters[name] -= learning_rate * grads["d" + name]
        recent.append(loss)
        if it % eval_every == 0 or it == n_iterations:
            history["iteration"].append(it)
            history["train_loss"].append(float(np.mean(recent)))
            recent = []
            if eval_corpus is not None:
                history["eval_loss"].append(evaluate_loss(parameters, ex, ey))
    return parameters, history


def _fixed_windows(corpus, seq_length, eye):
    """Cut a corpus into consecutive windows: x (n_x, m, T_x), y (m, T_x)."""
    n = (corpus.size - 1) // seq_length
    if n == 0:
        raise ValueError(f"eval_corpus: expected at least seq_length + 1 = {seq_length + 1} symbols")
    idx = corpus[: n * seq_length + 1]
    inputs = idx[:-1].reshape(n, seq_length)
    targets = idx[1:].reshape(n, seq_length)
    return eye[inputs].transpose(2, 0, 1), targets


def evaluate_loss(parameters, x, y):
    """Mean cross-entropy per step (nats) of the model on inputs x (n_x, m, T_x) and targets y (m, T_x)."""
    _, n_a = _sizes(parameters)
    x = check_sequences(x, np.shape(parameters["W_ax"])[1])
    _, y_pred, _ = rnn_forward(x, np.zeros((n_a, x.shape[1])), parameters)
    return sequence_loss(y_pred, y)[0]


def language_model_loss(parameters, corpus, seq_length=25):
    """Mean cross-entropy per symbol (nats) of the model on a held-out corpus of symbols (N,)."""
    n_x, _ = _sizes(parameters)
    corpus = check_indices("corpus", np.asarray(corpus).reshape(-1), n_x)
    x, y = _fixed_windows(corpus, check_positive_int("seq_length", seq_length), np.eye(n_x))
    return evaluate_loss(parameters, x, y)
