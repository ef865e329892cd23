r"""The long short-term memory (LSTM), forward and backward, for one step and a whole sequence.

The LSTM chapter (``chapters/21_lstm``) teaches the cell from these functions and
trains :func:`train_lstm_language_model` against the plain RNN's language model;
:mod:`lib.sequences` puts the same cell in its long-gap classifier.

The cell of Hochreiter & Schmidhuber (1997) with the forget gate of Gers et
al. (2000), written as the lecture course writes it. For a batch of m
examples, :math:`x^{<t>}` (n_x, m), the hidden state :math:`a^{<t-1>}`
(n_a, m) and the memory cell :math:`c^{<t-1>}` (n_a, m), with
:math:`[a^{<t-1>}; x^{<t>}]` the two stacked into one ((n_a + n_x), m):

.. math::

    \Gamma_f &= \sigma(W_f [a^{<t-1>}; x^{<t>}] + b_f)          && \text{forget gate} \\
    \Gamma_u &= \sigma(W_u [a^{<t-1>}; x^{<t>}] + b_u)          && \text{update gate} \\
    \tilde c^{<t>} &= \tanh(W_c [a^{<t-1>}; x^{<t>}] + b_c)     && \text{candidate} \\
    \Gamma_o &= \sigma(W_o [a^{<t-1>}; x^{<t>}] + b_o)          && \text{output gate} \\
    c^{<t>} &= \Gamma_f \odot c^{<t-1>} + \Gamma_u \odot \tilde c^{<t>} \\
    a^{<t>} &= \Gamma_o \odot \tanh(c^{<t>})

The memory cell is updated by addition, not by a matrix product: with
:math:`\Gamma_f = 1` and :math:`\Gamma_u = 0` it is copied unchanged, and so is
the gradient flowing back along it, :math:`\partial c^{<t>}/\partial c^{<t-1>}
= \Gamma_f`, however many steps it crosses. That path is what the plain RNN
(:mod:`lib.rnn`) lacks and why its gradient vanishes.

Parameters (:func:`initialize_lstm`): ``W_f``, ``W_u``, ``W_c``, ``W_o``, each
(n_a, n_a + n_x), whose first n_a columns multiply :math:`a^{<t-1>}` and the
last n_x columns :math:`x^{<t>}`; ``b_f``, ``b_u``, ``b_c``, ``b_o``, each
(n_a, 1). The names are the lecture's (:math:`\Gamma_u` the update gate);
:mod:`lib.gru` names its update gate z after Cho et al. (2014).

Layers (CONTRIBUTING, "The contract"): :func:`lstm_cell_forward` /
:func:`lstm_cell_backward` for one step, :func:`lstm_forward` /
:func:`lstm_backward` for whole sequences. The cell has two states and the
contract gives a layer one output: :math:`a^{<t>}` is ``out``, because it is
what the layers above read; :math:`c^{<t>}` is the cell's private memory and
stays in the cache (:func:`cell_state` reads it). So
:func:`lstm_cell_backward` gives the gradients of a cost that reads
:math:`a^{<t>}` alone (no gradient arrives at :math:`c^{<t>}` from outside);
:func:`lstm_backward` is what chains the steps, passing the cell-state gradient
from step t+1 back to step t. :func:`lstm_forward` starts every sequence from
:math:`c^{<0>} = 0`, as the lecture's does.

As in :mod:`lib.rnn`, the sequence functions work time-major inside, (T_x, n,
m), and return views in the book's (n, m, T_x); the public functions check
their arguments once.
"""
import numpy as np

from lib._checks import (as_float, as_indices, check_parameters, check_positive, check_positive_int, check_range,
                         check_seed, check_shape, common_float, make_rng)
from lib.activations import get_activation
from lib.activations import _sigmoid_in_place
from lib.optimizers import adam_update, clip_by_value
from lib.rnn import (_book_layout, _cast, _cast_dict, _check_cache, _columns, _matrix, _output_backward,
                     _output_forward, _output_parameters, _sequence_loss, _time_major, _upstream, check_sequences)
from lib.rnn import _windows as _rnn_windows
from lib.text import one_hot_sequences

PARAMETER_NAMES = ("W_f", "b_f", "W_u", "b_u", "W_c", "b_c", "W_o", "b_o")
"""The arrays of :func:`initialize_lstm`, in the order of the equations."""

BLOCKS = ("f", "u", "o", "c")
"""The order in which :func:`lstm_forward` stacks the four blocks: the three σ gates, then the candidate."""

_sigmoid, _ = get_activation("sigmoid")     # the unchecked kernel, for arrays already checked


def initialize_lstm(n_x, n_a, seed=0, forget_bias=1.0):
    r"""Random LSTM parameters: ``W_*`` ~ N(0, 1/(n_a + n_x)), ``b_f`` = ``forget_bias``, other biases 0.

    The scale :math:`1/\sqrt{n_a + n_x}` keeps every pre-activation of order 1
    at the start, so no gate starts saturated. A forget-gate bias of 1
    (:math:`\Gamma_f \approx 0.73`) makes the cell keep most of its memory from
    the first step on, so gradients reach far back before training has learnt
    to keep anything: the standard remedy of Jozefowicz et al. (2015).

    Args:
        n_x: number of inputs per step.
        n_a: number of hidden units (and memory cells).
        seed: an int ≥ 0 (same seed, same weights) or None.
        forget_bias: the initial value of every entry of ``b_f``, a finite number.

    Returns:
        dict (float64) "W_f", "b_f", "W_u", "b_u", "W_c", "b_c", "W_o", "b_o":
        ``W_*`` (n_a, n_a + n_x), ``b_*`` (n_a, 1).
    """
    n_x = check_positive_int("n_x", n_x)
    n_a = check_positive_int("n_a", n_a)
    forget_bias = float(check_range("forget_bias", forget_bias))
    rng = make_rng(seed)
    parameters = {}
    for g in ("f", "u", "c", "o"):
        parameters[f"W_{g}"] = rng.standard_normal((n_a, n_a + n_x)) / np.sqrt(n_a + n_x)
        parameters[f"b_{g}"] = np.zeros((n_a, 1))
    parameters["b_f"] += forget_bias
    return parameters


def _lstm_parameters(parameters):
    """The eight arrays checked (present, consistent shapes, finite): (dict, n_x, n_a)."""
    n_a, n_cols = _matrix("parameters", parameters, "W_f", "(n_a, n_a + n_x)", "initialize_lstm").shape
    if n_cols <= n_a:
        raise ValueError(f"parameters['W_f']: expected shape (n_a, n_a + n_x) with n_x ≥ 1, got {(n_a, n_cols)}")
    shapes = {}
    for g in ("f", "u", "c", "o"):
        shapes.update({f"W_{g}": (n_a, n_cols), f"b_{g}": (n_a, 1)})
    return check_parameters("parameters", parameters, shapes, "initialize_lstm"), n_cols - n_a, n_a


def _check_state(name, value, n_a, m):
    arr = as_float(name, value, ndim=2, meaning="(n_a, m)")
    return check_shape(name, arr, (n_a, m), "(n_a, m)")


# ----------------------------------------------------------------- one step

def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    r"""One LSTM step: the three gates, the candidate, the new memory cell and the new state.

    The equations of the module docstring, for all m examples at once.

    Args:
        xt: (n_x, m) the input :math:`x^{<t>}`, one column per example.
        a_prev: (n_a, m) the hidden state :math:`a^{<t-1>}`.
        c_prev: (n_a, m) the memory cell :math:`c^{<t-1>}`.
        parameters: the dict of :func:`initialize_lstm` (other entries are not read).

    Returns:
        (a_next, cache): a_next (n_a, m) is :math:`a^{<t>}`; the cache, for
        :func:`lstm_cell_backward`, also holds :math:`c^{<t>}`, which
        :func:`cell_state` returns (the next step's ``c_prev``).
    """
    p, n_x, n_a = _lstm_parameters(parameters)
    xt = check_shape("xt", as_float("xt", xt, ndim=2, meaning="(n_x, m)"), (n_x, None), "(n_x, m)")
    a_prev = _check_state("a_prev", a_prev, n_a, xt.shape[1])
    c_prev = _check_state("c_prev", c_prev, n_a, xt.shape[1])
    dtype = common_float(xt, a_prev, c_prev, *p.values())
    return _lstm_cell_forward(*_cast(dtype, xt, a_prev, c_prev), _cast_dict(dtype, p))


def _lstm_cell_forward(xt, a_prev, c_prev, p):
    """lstm_cell_forward on checked arrays of one dtype."""
    concat = np.concatenate([a_prev, xt])                  # [a<t-1>; x<t>], (n_a + n_x, m)
    gamma_f = _sigmoid(p["W_f"] @ concat + p["b_f"])
    gamma_u = _sigmoid(p["W_u"] @ concat + p["b_u"])
    c_tilde = np.tanh(p["W_c"] @ concat + p["b_c"])
    gamma_o = _sigmoid(p["W_o"] @ concat + p["b_o"])
    c_next = gamma_f * c_prev + gamma_u * c_tilde
    tanh_c = np.tanh(c_next)
    a_next = gamma_o * tanh_c
    return a_next, {"layer": "lstm_cell", "concat": concat, "c_prev": c_prev, "gamma_f": gamma_f,
                    "gamma_u": gamma_u, "c_tilde": c_tilde, "gamma_o": gamma_o, "c_next": c_next,
                    "tanh_c": tanh_c, "parameters": p}


def lstm_cell_backward(da_next, cache):
    r"""Backward through one LSTM step, for a cost that reads :math:`a^{<t>}` only.

    With :math:`\delta = \partial J/\partial a^{<t>}` (``da_next``), the chain
    rule through the equations, back to front:

    .. math::

        d\Gamma_o &= \delta \odot \tanh c^{<t>}, \qquad
        dc^{<t>} = \delta \odot \Gamma_o \odot (1 - \tanh^2 c^{<t>}), \\
        d\Gamma_f &= dc^{<t>} \odot c^{<t-1>}, \quad
        d\Gamma_u = dc^{<t>} \odot \tilde c^{<t>}, \quad
        d\tilde c = dc^{<t>} \odot \Gamma_u, \quad
        dc^{<t-1>} = dc^{<t>} \odot \Gamma_f,

    then through each σ and the tanh to the pre-activations,
    :math:`dz_g = d\Gamma_g \odot \Gamma_g (1 - \Gamma_g)` and
    :math:`dz_c = d\tilde c \odot (1 - \tilde c^2)`, and through the products:
    :math:`dW_g = dz_g [a^{<t-1>}; x^{<t>}]^T`, :math:`db_g = \sum_i dz_g`,
    :math:`[da^{<t-1>}; dx^{<t>}] = \sum_g W_g^T dz_g`.

    Inside :func:`lstm_backward` the same step also receives
    :math:`\partial J/\partial c^{<t>}` from step t+1, added to :math:`dc^{<t>}`;
    here none arrives, since this cell's only output is :math:`a^{<t>}`.

    Args:
        da_next: (n_a, m) gradient of the cost with respect to :math:`a^{<t>}`.
        cache: from :func:`lstm_cell_forward`.

    Returns:
        dict: "dxt" (n_x, m), "da_prev" (n_a, m), "dc_prev" (n_a, m), and
        "dW_f", "db_f", "dW_u", "db_u", "dW_c", "db_c", "dW_o", "db_o", each
        the shape of its parameter.
    """
    cache = _check_cache(cache, "lstm_cell", "lstm_cell_forward")
    c_next = cache["c_next"]
    da_next = _upstream("da_next", da_next, c_next.shape, "(n_a, m)", c_next.dtype)
    return _lstm_cell_backward(da_next, np.zeros_like(c_next), cache)


def _lstm_cell_backward(da_next, dc_next, cache):
    """lstm_cell_backward on checked arrays, with dc_next (n_a, m) arriving at c<t> from the step after."""
    concat, c_prev, p = cache["concat"], cache["c_prev"], cache["parameters"]
    gamma_f, gamma_u, c_tilde, gamma_o, tanh_c = (cache[k] for k in ("gamma_f", "gamma_u", "c_tilde",
                                                                     "gamma_o", "tanh_c"))
    d_gamma_o = da_next * tanh_c
    dc = dc_next + da_next * gamma_o * (1.0 - tanh_c ** 2)
    dz = {"f": dc * c_prev * gamma_f * (1.0 - gamma_f),
          "u": dc * c_tilde * gamma_u * (1.0 - gamma_u),
          "c": dc * gamma_u * (1.0 - c_tilde ** 2),
          "o": d_gamma_o * gamma_o * (1.0 - gamma_o)}
    dconcat = sum(p[f"W_{g}"].T @ dz[g] for g in dz)
    n_a = c_prev.shape[0]
    grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * gamma_f}
    for g in dz:
        grads[f"dW_{g}"] = dz[g] @ concat.T
        grads[f"db_{g}"] = np.sum(dz[g], axis=1, keepdims=True)
    return grads


# ------------------------------------------------------------ whole sequences

def lstm_forward(x, a0, parameters):
    r"""Run the LSTM over whole sequences, a batch of m at a time, from :math:`c^{<0>} = 0`.

    Each step is :func:`lstm_cell_forward`'s. Splitting every :math:`W_g` into
    the columns that multiply :math:`a^{<t-1>}` and those that multiply
    :math:`x^{<t>}`, the input products :math:`W_{g,x} x^{<t>} + b_g` of all
    four blocks and all T_x steps are one product before the loop; only the
    recurrent product with :math:`a^{<t-1>}` waits for the previous step, one
    product with the four blocks stacked. Equal to T_x calls of the cell (a
    test checks it).

    Args:
        x: (n_x, m, T_x) the input sequences.
        a0: (n_a, m) the initial hidden state.
        parameters: the dict of :func:`initialize_lstm` (other entries are not read).

    Returns:
        (a, cache): a (n_a, m, T_x) holds :math:`a^{<1>} \ldots a^{<T_x>}` (a view
        of the time-major states); the cache, for :func:`lstm_backward`, also
        holds the memory cells, which :func:`cell_state` returns.
    """
    p, n_x, n_a = _lstm_parameters(parameters)
    x = check_sequences(x, n_x)
    a0 = _check_state("a0", a0, n_a, x.shape[1])
    dtype = common_float(x, a0, *p.values())
    x, a0 = _cast(dtype, x, a0)
    a, cache = _lstm_forward(_time_major(x), a0, _cast_dict(dtype, p))
    return _book_layout(a), cache


def _lstm_forward(x, a0, p):
    """lstm_forward on checked time-major arrays: x (T_x, n_x, m) → a (T_x, n_a, m), a[t] = a<t+1>."""
    T_x, _, m = x.shape
    n_a = a0.shape[0]
    W = np.concatenate([p[f"W_{g}"] for g in BLOCKS])       # (4n_a, n_a + n_x), blocks f, u, o, c
    b = np.concatenate([p[f"b_{g}"] for g in BLOCKS])
    W_a, W_x = W[:, :n_a], W[:, n_a:]                      # the columns for a<t-1> and for x<t>
    z = np.matmul(W_x, x) + b          # (T_x, 4n_a, m): W_x x<t> + b for all steps; becomes the gates
    a = np.empty((T_x, n_a, m), dtype=a0.dtype)
    c = np.empty_like(a)
    tanh_c = np.empty_like(a)
    a_prev, c_prev = a0, np.zeros_like(a0)
    for t in range(T_x):
        z[t] += W_a @ a_prev
        _sigmoid_in_place(z[t, :3 * n_a])                  # Γ_f, Γ_u, Γ_o
        np.tanh(z[t, 3 * n_a:], out=z[t, 3 * n_a:])        # c̃<t>
        gamma_f, gamma_u, gamma_o, c_tilde = (z[t, k * n_a:(k + 1) * n_a] for k in range(4))
        np.multiply(gamma_f, c_prev, out=c[t])
        c[t] += gamma_u * c_tilde                          # c<t> = Γ_f ⊙ c<t-1> + Γ_u ⊙ c̃<t>
        np.tanh(c[t], out=tanh_c[t])
        np.multiply(gamma_o, tanh_c[t], out=a[t])          # a<t> = Γ_o ⊙ tanh(c<t>)
        a_prev, c_prev = a[t], c[t]
    return a, {"layer": "lstm", "x": x, "a0": a0, "a": a, "c": c, "tanh_c": tanh_c, "gates": z,
               "W": W, "parameters": p}


def lstm_backward(da, cache):
    r"""Backpropagation through time for :func:`lstm_forward`.

    Walks the steps from T_x down to 1. The gradient reaching :math:`a^{<t>}`
    is the upstream ``da[:, :, t]`` plus what step t+1 sent back through its
    gates, :math:`W_{g,a}^T dz_g^{<t+1>}`; the gradient reaching
    :math:`c^{<t>}` is what step t+1 sent along the memory,
    :math:`dc^{<t+1>} \odot \Gamma_f^{<t+1>}`, plus what arrives through
    :math:`a^{<t>} = \Gamma_o \odot \tanh c^{<t>}`. Each step is
    :func:`lstm_cell_backward`'s chain rule; the weight gradients are sums over
    the steps, so they are formed after the loop, one product over all m·T_x
    columns.

    Args:
        da: (n_a, m, T_x) upstream gradient of the cost with respect to every
            hidden state (zeros where a step's state feeds no loss).
        cache: from :func:`lstm_forward`.

    Returns:
        dict: "dx" (n_x, m, T_x), "da0" (n_a, m), and the eight parameter
        gradients "dW_f", "db_f", "dW_u", "db_u", "dW_c", "db_c", "dW_o", "db_o".
    """
    cache = _check_cache(cache, "lstm", "lstm_forward")
    T_x, n_a, m = cache["a"].shape
    da = _upstream("da", da, (n_a, m, T_x), "(n_a, m, T_x)", cache["a"].dtype)
    grads = _lstm_backward(_time_major(da), cache)
    grads["dx"] = _book_layout(grads["dx"])
    return grads


def _lstm_backward(da, cache):
    """lstm_backward on a checked time-major upstream gradient da (T_x, n_a, m); dx comes back time-major."""
    x, a0, a, c, tanh_c, gates, W = (cache[k] for k in ("x", "a0", "a", "c", "tanh_c", "gates", "W"))
    T_x, n_a, m = a.shape
    W_a, W_x = W[:, :n_a], W[:, n_a:]
    dz = np.empty_like(gates)             # (T_x, 4n_a, m): gradients of the pre-activations, blocks f, u, o, c
    da_next, dc_next = np.zeros_like(a0), np.zeros_like(a0)
    for t in reversed(range(T_x)):
        gamma_f, gamma_u, gamma_o, c_tilde = (gates[t, k * n_a:(k + 1) * n_a] for k in range(4))
        dz_f, dz_u, dz_o, dz_c = (dz[t, k * n_a:(k + 1) * n_a] for k in range(4))
        c_prev = c[t - 1] if t else np.zeros_like(a0)
        delta = da[t] + da_next                            # ∂J/∂a<t>
        dc = dc_next + delta * gamma_o * (1.0 - tanh_c[t] ** 2)    # ∂J/∂c<t>
        np.multiply(dc * c_prev, gamma_f * (1.0 - gamma_f), out=dz_f)
        np.multiply(dc * c_tilde, gamma_u * (1.0 - gamma_u), out=dz_u)
        np.multiply(delta * tanh_c[t], gamma_o * (1.0 - gamma_o), out=dz_o)
        np.multiply(dc * gamma_u, 1.0 - c_tilde ** 2, out=dz_c)
        da_next = W_a.T @ dz[t]
        dc_next = dc * gamma_f
    # sums over the steps: one product each, all steps' columns side by side
    a_prev_all = np.concatenate([a0[None], a[:-1]])         # a<t-1> for every t
    dz_cols = _columns(dz)
    dW = np.concatenate([dz_cols @ _columns(a_prev_all).T, dz_cols @ _columns(x).T], axis=1)
    db = np.sum(dz_cols, axis=1, keepdims=True)
    grads = {"dx": np.matmul(W_x.T, dz), "da0": da_next}
    for k, g in enumerate(BLOCKS):
        grads[f"dW_{g}"], grads[f"db_{g}"] = dW[k * n_a:(k + 1) * n_a], db[k * n_a:(k + 1) * n_a]
    return grads


def cell_state(cache):
    r"""The memory cells a forward pass kept in its cache (read-only).

    Args:
        cache: from :func:`lstm_cell_forward` (gives :math:`c^{<t>}`, (n_a, m),
            the next step's ``c_prev``) or from :func:`lstm_forward` (gives
            :math:`c^{<1>} \ldots c^{<T_x>}`, (n_a, m, T_x)).

    Returns:
        the memory cells, a read-only view in the cache's dtype.
    """
    if not isinstance(cache, dict) or "layer" not in cache:
        raise TypeError(f"cache: expected the cache that lstm_cell_forward or lstm_forward returned, "
                        f"got {type(cache).__name__}")
    if cache["layer"] == "lstm_cell":
        c = cache["c_next"].view()
    elif cache["layer"] == "lstm":
        c = _book_layout(cache["c"])
    else:
        raise ValueError(f"cache: expected the cache of lstm_cell_forward or lstm_forward, "
                         f"got the cache of a {cache['layer']!r} layer")
    c.flags.writeable = False        # the backward pass reads them: look, do not touch
    return c


# ------------------------------------------------- a character-level language model

def initialize_lstm_model(n_x, n_a, n_y, seed=0, forget_bias=1.0):
    r"""Parameters of an LSTM with an output layer on top: :func:`initialize_lstm`'s eight arrays
    plus :mod:`lib.rnn`'s output layer, ``W_ya`` ~ N(0, 1/n_a) (n_y, n_a) and ``b_y`` = 0 (n_y, 1).

    The output layer is the plain RNN's, :math:`\hat y^{<t>} = \mathrm{softmax}(W_{ya} a^{<t>} + b_y)`,
    so the two language models differ only in the cell.

    Args:
        n_x: inputs per step (the vocabulary size for one-hot characters).
        n_a: hidden units (and memory cells).
        n_y: outputs per step.
        seed: an int ≥ 0 (same seed, same weights) or None.
        forget_bias: the initial forget-gate bias, as in :func:`initialize_lstm`.

    Returns:
        dict (float64): "W_f", "b_f", "W_u", "b_u", "W_c", "b_c", "W_o", "b_o"
        (:func:`initialize_lstm`), "W_ya" (n_y, n_a), "b_y" (n_y, 1).
    """
    n_y = check_positive_int("n_y", n_y)
    seed = check_seed(seed)
    parameters = initialize_lstm(n_x, n_a, seed=seed, forget_bias=forget_bias)
    rng = np.random.default_rng(None if seed is None else seed + 1000)
    parameters["W_ya"] = rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)
    parameters["b_y"] = np.zeros((n_y, 1))
    return parameters


def _model_parameters(parameters):
    """The LSTM's eight arrays and the output layer's two, checked and of one dtype: (dict, n_x, n_a, n_y)."""
    p, n_x, n_a = _lstm_parameters(parameters)
    out, _, n_y = _output_parameters(parameters, n_a=n_a)
    dtype = common_float(*p.values(), *out.values())
    return _cast_dict(dtype, {**p, **out}), n_x, n_a, n_y


def lstm_loss_and_gradients(x, y, a0, parameters):
    r"""Forward, loss and BPTT of the LSTM language model on a batch: (loss, grads).

    :func:`lstm_forward` → :func:`lib.rnn.rnn_output_forward` (the logits
    :math:`W_{ya} a^{<t>} + b_y` of every step) → :func:`lib.rnn.sequence_loss`
    (the mean cross-entropy per step, in nats, whose gradient carries the
    :math:`1/(m T_x)`) → :func:`lib.rnn.rnn_output_backward` →
    :func:`lstm_backward`. Every sequence starts from :math:`c^{<0>} = 0`.

    Args:
        x: (n_x, m, T_x) inputs; y: (m, T_x) integer targets in [0, n_y).
        a0: (n_a, m) the initial hidden state.
        parameters: the dict of :func:`initialize_lstm_model`.

    Returns:
        loss (float, nats per step) and grads, "d" + name for each of the ten parameters.
    """
    p, n_x, n_a, n_y = _model_parameters(parameters)
    x = check_sequences(x, n_x)
    a0 = _check_state("a0", a0, n_a, x.shape[1])
    y = as_indices("y", y, n_y, ndim=2, meaning="(m, T_x)")
    check_shape("y", y, x.shape[1:], "(m, T_x)")
    dtype = common_float(x, a0, *p.values())
    x, a0 = _cast(dtype, x, a0)
    return _lstm_loss_and_gradients(_time_major(x), y.T, a0, _cast_dict(dtype, p))


def _logits(a, p):
    """lib.rnn's output layer on time-major states a (T_x, n_a, m): (logits by rows (T_x, m, n_y), its cache)."""
    return _output_forward(np.ascontiguousarray(a.transpose(0, 2, 1)), p)


def _lstm_loss_and_gradients(x, y, a0, p):
    """lstm_loss_and_gradients on checked time-major x (T_x, n_x, m) and targets y (T_x, m)."""
    a, cache = _lstm_forward(x, a0, p)
    logits, out_cache = _logits(a, p)
    loss, dlogits = _sequence_loss(logits, y)
    grads = _output_backward(dlogits, out_cache)
    da = np.ascontiguousarray(grads.pop("da").transpose(0, 2, 1))      # by rows → time-major (T_x, n_a, m)
    grads.update(_lstm_backward(da, cache))
    del grads["dx"], grads["da0"]
    return loss, grads


def _evaluate(p, x, y):
    """Mean cross-entropy per step of checked time-major one-hot x (T_x, n_x, m) against y (T_x, m)."""
    a, _ = _lstm_forward(x, np.zeros((p["W_f"].shape[0], x.shape[2]), dtype=x.dtype), p)
    return _sequence_loss(_logits(a, p)[0], y)[0]


def _windows(corpus, seq_length, n_x, name):
    """Consecutive windows of a corpus: one-hot x time-major (T_x, n_x, m), targets y (T_x, m)."""
    x_rows, y = _rnn_windows(corpus, seq_length, n_x, name)           # x by rows (T_x, m, n_x)
    return np.ascontiguousarray(x_rows.transpose(0, 2, 1)), y


def lstm_language_model_loss(parameters, corpus, seq_length=25):
    r"""Mean cross-entropy per symbol (nats) of the LSTM language model on a held-out corpus.

    The corpus (N,) is cut into consecutive windows of ``seq_length`` inputs,
    each started from :math:`a^{<0>} = c^{<0>} = 0`, exactly as
    :func:`lib.rnn.language_model_loss` evaluates the plain RNN, so the two
    numbers compare. Its exponential is the model's perplexity.

    Args:
        parameters: the dict of :func:`initialize_lstm_model`, with n_x = n_y.
        corpus: (N,) integer symbols in [0, n_x), N ≥ seq_length + 1.
        seq_length: T_x of each window, ≥ 1.

    Returns:
        float, nats per symbol.
    """
    p, n_x, _, n_y = _model_parameters(parameters)
    corpus = as_indices("corpus", corpus, min(n_x, n_y), ndim=1, meaning="(N,)")
    x, y = _windows(corpus, check_positive_int("seq_length", seq_length), n_x, "corpus")
    return _evaluate(p, x.astype(next(iter(p.values())).dtype, copy=False), y)


def train_lstm_language_model(corpus, vocab_size, n_a=64, seq_length=25, batch_size=32, num_iterations=1500,
                              learning_rate=0.01, clip_value=5.0, seed=0, record_every=50, eval_corpus=None,
                              forget_bias=1.0):
    r"""Train a character-level LSTM language model, as :func:`lib.rnn.train_language_model` trains the RNN.

    The same recipe, so that only the cell differs: each iteration takes
    ``batch_size`` windows of ``seq_length + 1`` symbols at random offsets
    (the input symbols 0…T−1 one-hot, the targets 1…T), every window started
    from :math:`a^{<0>} = c^{<0>} = 0`; the gradients of
    :func:`lstm_loss_and_gradients` are clipped entry by entry
    (:func:`lib.optimizers.clip_by_value`), then an Adam step
    (:func:`lib.optimizers.adam_update`). With the same seed the windows are the
    RNN's.

    Args:
        corpus: (N,) integer symbols in [0, vocab_size), N ≥ seq_length + 1.
        vocab_size: n_x = n_y.
        n_a: hidden units (and memory cells).
        seq_length: T_x of each window.
        batch_size: m windows per step.
        num_iterations: gradient steps.
        learning_rate: α > 0.
        clip_value: the bound of every gradient entry, > 0; None for no clipping.
        seed: an int ≥ 0 or None; seeds the initial weights and the windows.
        record_every: record the training loss (mean since the last record)
            and the held-out loss every this many iterations (and at the last).
        eval_corpus: (N',) held-out symbols, evaluated on fixed consecutive windows.
        forget_bias: the initial forget-gate bias (:func:`initialize_lstm`).

    Returns:
        (parameters, history): history has "iteration", "train_loss",
        "eval_loss" (lists, nats per symbol; eval_loss empty without eval_corpus).
    """
    vocab_size = check_positive_int("vocab_size", vocab_size)
    corpus = as_indices("corpus", corpus, vocab_size, ndim=1, meaning="(N,)")
    seq_length = check_positive_int("seq_length", seq_length)
    batch_size = check_positive_int("batch_size", batch_size)
    num_iterations = check_positive_int("num_iterations", num_iterations)
    record_every = check_positive_int("record_every", record_every)
    if corpus.size < seq_length + 1:
        raise ValueError(f"corpus: expected at least seq_length + 1 = {seq_length + 1} symbols, got {corpus.size}")
    check_positive("learning_rate", learning_rate)
    if clip_value is not None:
        check_positive("clip_value", clip_value)
    seed = check_seed(seed)
    parameters = initialize_lstm_model(vocab_size, n_a, vocab_size, seed=seed, forget_bias=forget_bias)
    if eval_corpus is not None:
        eval_x, eval_y = _windows(as_indices("eval_corpus", eval_corpus, vocab_size, ndim=1, meaning="(N',)"),
                                  seq_length, vocab_size, "eval_corpus")
    rng = np.random.default_rng(None if seed is None else seed + 1)
    history = {"iteration": [], "train_loss": [], "eval_loss": []}
    state, recent = {}, []
    a0 = np.zeros((n_a, batch_size))
    for it in range(1, num_iterations + 1):
        starts = rng.integers(0, corpus.size - seq_length, size=batch_size)
        windows = corpus[starts[:, None] + np.arange(seq_length + 1)]          # (m, T_x + 1)
        x = _time_major(one_hot_sequences(windows[:, :-1], vocab_size))       # (T_x, n_x, m)
        loss, grads = _lstm_loss_and_gradients(x, windows[:, 1:].T, a0, parameters)
        if clip_value is not None:
            grads = clip_by_value.unchecked(grads, clip_value)
        adam_update.unchecked(parameters, grads, state, learning_rate)
        recent.append(loss)
        if it % record_every == 0 or it == num_iterations:
            history["iteration"].append(it)
            history["train_loss"].append(float(np.mean(recent)))
            recent = []
            if eval_corpus is not None:
                history["eval_loss"].append(_evaluate(parameters, eval_x, eval_y))
    return parameters, history
