r"""The plain recurrent neural network: forward, backpropagation through time, and a language model.

Chapter ``19_recurrent_networks`` (recurrent networks) teaches the cell, the unrolled forward pass,
sampling and the character-level language model; chapter ``20_backprop_through_time`` (backpropagation
through time) the backward pass and the gradient norm through time. The cell,
for a batch of m examples at once, and the output layer on top of it:

.. math::

    a^{<t>} = \tanh(W_{aa} a^{<t-1>} + W_{ax} x^{<t>} + b_a), \qquad
    \hat y^{<t>} = \mathrm{softmax}(W_{ya} a^{<t>} + b_y)

Shapes (the book's notation): ``xt`` (n_x, m), ``a_prev`` (n_a, m); a batch of
sequences ``x`` is (n_x, m, T_x), its states ``a`` (n_a, m, T_x) and its
logits (n_y, m, T_x). Parameters: ``W_ax`` (n_a, n_x), ``W_aa`` (n_a, n_a),
``b_a`` (n_a, 1), ``W_ya`` (n_y, n_a), ``b_y`` (n_y, 1).

Layers, each ``X_forward(...) -> (out, cache)`` and ``X_backward(dout, cache)
-> grads`` (CONTRIBUTING, "The contract"): :func:`rnn_cell_forward` (one step),
:func:`rnn_forward` (the states of whole sequences), :func:`rnn_output_forward`
(the logits :math:`W_{ya} a^{<t>} + b_y`); :func:`sequence_loss` is the cost.

Inside, the sequence functions store arrays **time-major, one row per
example**, (T_x, m, n), as PyTorch does: step t's states ``a[t]`` are the
(m, n_a) matrix :math:`(a^{<t+1>})^T`, one contiguous block, so the products
read ``a_prev @ W_aa.T``, the transpose of :math:`W_{aa} a^{<t-1>}`; and all
steps' rows side by side, ``a.reshape(T_x * m, n_a)``, are a free view, so a
sum over the steps such as :math:`dW_{ax} = \sum_t dz^{<t>} x^{<t>T}` is one
product without copying anything. The public functions take and return the
book's (n, m, T_x); what they return is a transposed *view* of the stored
array (``np.ascontiguousarray`` makes a copy), so passing it on to the next
layer costs nothing. The public functions check their arguments once; the
training loops call the private kernels (``_rnn_forward`` …), which trust theirs.
"""
import math

import numpy as np

from lib._checks import (as_float, as_indices, check_choice, check_parameters, check_positive,
                         check_positive_int, check_seed, check_shape, common_float, make_rng)
from lib.activations import softmax
from lib.optimizers import adam_update, clip_by_norm, clip_by_value, global_norm, sgd_update
from lib.text import one_hot_sequences

PARAMETER_NAMES = ("W_ax", "W_aa", "b_a", "W_ya", "b_y")
"""The arrays of :func:`initialize_rnn`: the cell's three, then the output layer's two."""

CLIP_MODES = ("value", "norm")
OPTIMIZERS = ("adam", "sgd")


def initialize_rnn(n_x, n_a, n_y, seed=0, scale=None):
    r"""Random RNN parameters: ``W_ax`` ~ N(0, 1/n_x), ``W_aa`` and ``W_ya`` ~ N(0, 1/n_a), biases 0.

    Args:
        n_x: inputs per step (the vocabulary size for one-hot characters).
        n_a: hidden units.
        n_y: outputs per step.
        seed: an int ≥ 0 (same seed, same weights) or None.
        scale: if given (> 0), ``W_aa`` is drawn N(0, scale²/n_a) instead: its
            eigenvalues then fill a disc of radius about ``scale`` (the
            circular law), the knob of chapter ``20_backprop_through_time``'s vanishing/exploding
            experiment.

    Returns:
        dict (float64) "W_ax" (n_a, n_x), "W_aa" (n_a, n_a), "b_a" (n_a, 1),
        "W_ya" (n_y, n_a), "b_y" (n_y, 1).
    """
    n_x, n_a, n_y = (check_positive_int(k, v) for k, v in (("n_x", n_x), ("n_a", n_a), ("n_y", n_y)))
    w_aa = 1.0 if scale is None else float(check_positive("scale", scale))
    rng = make_rng(seed)
    return {"W_ax": rng.standard_normal((n_a, n_x)) / np.sqrt(n_x),
            "W_aa": w_aa * rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
            "b_a": np.zeros((n_a, 1)),
            "W_ya": rng.standard_normal((n_y, n_a)) / np.sqrt(n_a),
            "b_y": np.zeros((n_y, 1))}


# ------------------------------------------------------------------ checks

def check_sequences(x, n_x, name="x"):
    """Return ``x`` as a float (n_x, m, T_x) array (float32 kept), finite and non-empty.

    Args:
        x: the sequences, (n_x, m, T_x).
        n_x: the number of inputs per step expected.
        name: the argument's name, for the message.

    Raises:
        ValueError (naming ``name``) on a wrong rank or n_x, an empty batch or
        sequence, NaN or infinity; TypeError on non-numbers.
    """
    if not isinstance(name, str):
        raise TypeError(f"name: expected the argument's name as a str, got {type(name).__name__}")
    n_x = check_positive_int("n_x", n_x)
    x = as_float(name, x, ndim=3, meaning="(n_x, m, T_x)")
    return check_shape(name, x, (n_x, None, None), "(n_x, m, T_x)")


def _matrix(name, parameters, key, meaning, source):
    """``parameters[key]`` checked as a finite 2-d float array."""
    p = check_parameters(name, parameters, {key: None}, source)[key]
    if p.ndim != 2:
        raise ValueError(f"{name}[{key!r}]: expected a 2-d array {meaning}, got shape {p.shape}")
    return p


def _cell_parameters(parameters):
    """The cell's arrays W_ax (n_a, n_x), W_aa (n_a, n_a), b_a (n_a, 1), checked: (dict, n_x, n_a)."""
    n_a, n_x = _matrix("parameters", parameters, "W_ax", "(n_a, n_x)", "initialize_rnn").shape
    p = check_parameters("parameters", parameters, {"W_ax": (n_a, n_x), "W_aa": (n_a, n_a), "b_a": (n_a, 1)},
                         "initialize_rnn")
    return p, n_x, n_a


def _output_parameters(parameters, n_a=None):
    """The output layer's arrays W_ya (n_y, n_a), b_y (n_y, 1), checked: (dict, n_a, n_y)."""
    n_y, n_a_w = _matrix("parameters", parameters, "W_ya", "(n_y, n_a)", "initialize_rnn").shape
    p = check_parameters("parameters", parameters, {"W_ya": (n_y, n_a if n_a else n_a_w), "b_y": (n_y, 1)},
                         "initialize_rnn")
    return p, n_a_w, n_y


def _cast(dtype, *arrays):
    return [a.astype(dtype, copy=False) for a in arrays]


def _cast_dict(dtype, p):
    return {k: v.astype(dtype, copy=False) for k, v in p.items()}


def _check_cache(cache, layer, producer):
    if not isinstance(cache, dict) or "layer" not in cache:
        raise TypeError(f"cache: expected the cache that {producer} returned, got {type(cache).__name__}")
    if cache["layer"] != layer:
        raise ValueError(f"cache: expected the cache of {producer}, got the cache of a {cache['layer']!r} layer")
    return cache


def _upstream(name, dout, shape, meaning, dtype):
    """An upstream gradient checked: finite, of ``shape``, in the layer's dtype."""
    dout = check_shape(name, as_float(name, dout, ndim=len(shape), meaning=meaning), shape, meaning)
    return dout.astype(dtype, copy=False)


def _rows(arr):
    """The book's (n, m, T_x) → (T_x, m, n), contiguous: free for the views the sequence layers return."""
    return np.ascontiguousarray(arr.transpose(2, 1, 0))


def _from_rows(arr):
    """(T_x, m, n) → the book's (n, m, T_x), as a view."""
    return arr.transpose(2, 1, 0)


def _flat(arr):
    """(T_x, m, n) → (T_x·m, n), all steps' rows stacked: a view."""
    return arr.reshape(-1, arr.shape[-1])


# Column-ordered time-major helpers, (T_x, n, m): lib.lstm works in this layout.

def _time_major(arr):
    """(n, m, T_x) → (T_x, n, m), contiguous."""
    return np.ascontiguousarray(arr.transpose(2, 0, 1))


def _book_layout(arr):
    """(T_x, n, m) → the book's (n, m, T_x), as a view."""
    return arr.transpose(1, 2, 0)


def _columns(arr):
    """(T_x, n, m) → (n, T_x·m): every step's columns side by side, for one product over all steps."""
    T_x, n, m = arr.shape
    return arr.transpose(1, 0, 2).reshape(n, T_x * m)


# ----------------------------------------------------------------- one step

def rnn_cell_forward(xt, a_prev, parameters):
    r"""One RNN step: :math:`a^{<t>} = \tanh(W_{aa} a^{<t-1>} + W_{ax} x^{<t>} + b_a)`.

    The prediction :math:`\hat y^{<t>}` is a separate layer on top,
    :func:`rnn_output_forward`.

    Args:
        xt: (n_x, m) the inputs at step t.
        a_prev: (n_a, m) the hidden state :math:`a^{<t-1>}`.
        parameters: dict with "W_ax" (n_a, n_x), "W_aa" (n_a, n_a), "b_a"
            (n_a, 1), as :func:`initialize_rnn` makes (other entries are not read).

    Returns:
        (a_next, cache): a_next (n_a, m), the state :math:`a^{<t>}`; cache for
        :func:`rnn_cell_backward`.
    """
    return _rnn_cell_forward(*_check_step_inputs(xt, a_prev, parameters))


def _check_step_inputs(xt, a_prev, parameters, unpack=None):
    """(xt, a_prev, parameters) of one step checked and cast to one dtype; ``unpack`` checks the
    parameter dict and returns (p, n_x, n_a) (the RNN's own by default; the GRU passes its)."""
    p, n_x, n_a = (unpack or _cell_parameters)(parameters)
    xt = check_shape("xt", as_float("xt", xt, ndim=2, meaning="(n_x, m)"), (n_x, None), "(n_x, m)")
    a_prev = as_float("a_prev", a_prev, ndim=2, meaning="(n_a, m)")
    check_shape("a_prev", a_prev, (n_a, xt.shape[1]), "(n_a, m)")
    dtype = common_float(xt, a_prev, *p.values())
    return (*_cast(dtype, xt, a_prev), _cast_dict(dtype, p))


def _rnn_cell_forward(xt, a_prev, p):
    """rnn_cell_forward on checked arrays of one dtype."""
    a_next = np.tanh(p["W_aa"] @ a_prev + p["W_ax"] @ xt + p["b_a"])
    return a_next, {"layer": "rnn_cell", "xt": xt, "a_prev": a_prev, "a_next": a_next, "parameters": p}


def rnn_cell_backward(da_next, cache):
    r"""Backward through one RNN step.

    With :math:`dz = \partial J/\partial a^{<t>} \odot (1 - (a^{<t>})^2)`, the
    gradient of the pre-activation (tanh' written with the output):

    .. math::

        dx^{<t>} = W_{ax}^T dz, \quad da^{<t-1>} = W_{aa}^T dz, \quad
        dW_{ax} = dz\, x^{<t>T}, \quad dW_{aa} = dz\, a^{<t-1>T}, \quad
        db_a = \textstyle\sum_i dz

    Args:
        da_next: (n_a, m) gradient of the cost with respect to :math:`a^{<t>}`.
        cache: from :func:`rnn_cell_forward`.

    Returns:
        dict "dxt" (n_x, m), "da_prev" (n_a, m), "dW_ax", "dW_aa", "db_a".
    """
    cache = _check_cache(cache, "rnn_cell", "rnn_cell_forward")
    a_next = cache["a_next"]
    da_next = _upstream("da_next", da_next, a_next.shape, "(n_a, m)", a_next.dtype)
    return _rnn_cell_backward(da_next, cache)


def _rnn_cell_backward(da_next, cache):
    """rnn_cell_backward on a checked upstream gradient."""
    p = cache["parameters"]
    dz = da_next * (1.0 - cache["a_next"] ** 2)
    return {"dxt": p["W_ax"].T @ dz, "da_prev": p["W_aa"].T @ dz,
            "dW_ax": dz @ cache["xt"].T, "dW_aa": dz @ cache["a_prev"].T,
            "db_a": np.sum(dz, axis=1, keepdims=True)}


# ------------------------------------------------------------ whole sequences

def _check_sequence_inputs(x, a0, parameters, unpack=None):
    """(x, a0, parameters) checked and cast to one dtype; ``unpack`` checks the
    parameter dict and returns (p, n_x, n_a) (the RNN's own by default; the GRU passes its)."""
    p, n_x, n_a = (unpack or _cell_parameters)(parameters)
    x = check_sequences(x, n_x)
    a0 = as_float("a0", a0, ndim=2, meaning="(n_a, m)")
    check_shape("a0", a0, (n_a, x.shape[1]), "(n_a, m)")
    dtype = common_float(x, a0, *p.values())
    x, a0 = _cast(dtype, x, a0)
    return x, a0, _cast_dict(dtype, p)


def rnn_forward(x, a0, parameters):
    r"""Run the RNN over a batch of sequences: the states :math:`a^{<1>} \ldots a^{<T_x>}`.

    The input terms :math:`W_{ax} x^{<t>} + b_a` of all steps do not depend on
    the previous state, so they are formed before the loop, in one product;
    the loop then only adds :math:`W_{aa} a^{<t-1>}` and applies tanh. Equal to
    T_x calls of :func:`rnn_cell_forward` (a test checks it).

    Args:
        x: (n_x, m, T_x) the input sequences.
        a0: (n_a, m) the initial hidden state.
        parameters: dict with "W_ax", "W_aa", "b_a" (other entries are not read).

    Returns:
        (a, cache): a (n_a, m, T_x), a view of the time-major states (module
        docstring); cache for :func:`rnn_backward`.
    """
    x, a0, p = _check_sequence_inputs(x, a0, parameters)
    a, cache = _rnn_forward(_rows(x), a0, p)
    return _from_rows(a), cache


def _rnn_forward(x, a0, p):
    """rnn_forward on checked arrays, one row per example: x (T_x, m, n_x), a0 (n_a, m).

    Returns a (T_x, m, n_a), whose a[t] is (a<t+1>)ᵀ, and the cache.
    """
    T_x, m, n_x = x.shape
    a = (x.reshape(T_x * m, n_x) @ p["W_ax"].T).reshape(T_x, m, -1)   # (W_ax x<t>)ᵀ, all steps in one product
    a += p["b_a"].T
    a_prev = a0.T
    for t in range(T_x):                         # a<t> = tanh(W_aa a<t-1> + W_ax x<t> + b_a), written in place
        a[t] += a_prev @ p["W_aa"].T
        a_prev = np.tanh(a[t], out=a[t])
    return a, {"layer": "rnn", "x": x, "a0": a0, "a": a, "parameters": p}


def rnn_backward(da, cache):
    r"""Backpropagation through time for :func:`rnn_forward`.

    From the last step back to the first, the gradient reaching :math:`a^{<t>}`
    is the upstream ``da[:, :, t]`` plus :math:`W_{aa}^T dz^{<t+1>}` from the step
    after; :math:`dz^{<t>} = (\ldots) \odot (1 - (a^{<t>})^2)`. The parameter
    gradients are sums over the steps, so they are one product each after the
    loop: :math:`dW_{ax} = \sum_t dz^{<t>} x^{<t>T}` and so on.

    Args:
        da: (n_a, m, T_x) gradient of the cost with respect to every hidden
            state, from the layers above (:func:`rnn_output_backward`); zeros
            where a state feeds no loss.
        cache: from :func:`rnn_forward`.

    Returns:
        dict "dx" (n_x, m, T_x), "da0" (n_a, m), "dW_ax" (n_a, n_x),
        "dW_aa" (n_a, n_a), "db_a" (n_a, 1).
    """
    return _backward_by_rows(da, cache, "rnn", "rnn_forward", _rnn_backward)


def _backward_by_rows(da, cache, layer, producer, kernel):
    """A sequence layer's public backward: check the cache and da (n_a, m, T_x), run ``kernel`` on
    rows, and give dx back in the book's (n_x, m, T_x). The RNN and the GRU share it."""
    cache = _check_cache(cache, layer, producer)
    T_x, m, n_a = cache["a"].shape
    da = _upstream("da", da, (n_a, m, T_x), "(n_a, m, T_x)", cache["a"].dtype)
    grads = kernel(_rows(da), cache)
    grads["dx"] = _from_rows(grads["dx"])
    return grads


def _rnn_backward(da, cache):
    """rnn_backward on a checked upstream gradient stored by rows, da (T_x, m, n_a); dx comes back by rows."""
    x, a0, a, p = cache["x"], cache["a0"], cache["a"], cache["parameters"]
    T_x, m, n_x = x.shape
    dz = np.empty_like(a)                        # dz[t] = (dz<t+1>)ᵀ
    da_next = np.zeros_like(a0.T)                # what flows back from step t+1, (m, n_a)
    for t in reversed(range(T_x)):
        np.multiply(da[t] + da_next, 1.0 - a[t] ** 2, out=dz[t])
        da_next = dz[t] @ p["W_aa"]              # (W_aaᵀ dz<t>)ᵀ
    # sums over the steps: one product each, on all steps' rows stacked
    dz_all = _flat(dz)
    dW_aa = _flat(dz[1:]).T @ _flat(a[:-1]) + dz[0].T @ a0.T      # a<t-1> is a0 at the first step
    return {"dx": (dz_all @ p["W_ax"]).reshape(T_x, m, n_x), "da0": da_next.T,
            "dW_ax": dz_all.T @ _flat(x), "dW_aa": dW_aa,
            "db_a": np.sum(dz_all, axis=0)[:, None]}


def hidden_gradient_norms(cache, da_last=None):
    r"""The norm of :math:`\partial J/\partial a^{<t>}` for every t, when the cost reads only the last state.

    Starts from :math:`\partial J/\partial a^{<T_x>}` = ``da_last`` and applies
    :math:`\partial J/\partial a^{<t-1>} = W_{aa}^T\big(\partial J/\partial a^{<t>} \odot (1 - (a^{<t>})^2)\big)`.
    Each step multiplies by a Jacobian; if its norm stays below 1 the gradient
    vanishes geometrically, above 1 it explodes (Bengio et al., 1994).

    Args:
        cache: from :func:`rnn_forward`.
        da_last: (n_a, m) the gradient at the last state; default all ones
            divided by its norm, so the last norm is 1.

    Returns:
        (T_x,) array (the states' dtype): entry t is the Frobenius norm of
        :math:`\partial J/\partial a^{<t+1>}` (so the last entry is the start).
    """
    cache = _check_cache(cache, "rnn", "rnn_forward")
    a, p = cache["a"], cache["parameters"]
    T_x, m, n_a = a.shape
    if da_last is None:
        da_last = np.full((n_a, m), 1.0 / math.sqrt(n_a * m), dtype=a.dtype)
    g = _upstream("da_last", da_last, (n_a, m), "(n_a, m)", a.dtype)
    norms = np.empty(T_x, dtype=a.dtype)
    for t in reversed(range(T_x)):
        norms[t] = np.linalg.norm(g)
        g = p["W_aa"].T @ (g * (1.0 - a[t].T ** 2))      # a[t] is stored by rows: its transpose is a<t+1>
    return norms


# ------------------------------------------------------- output layer and loss

def rnn_output_forward(a, parameters):
    r"""The logits of every step, :math:`W_{ya} a^{<t>} + b_y`; softmax of them is :math:`\hat y^{<t>}`.

    Args:
        a: (n_a, m, T_x) hidden states (from :func:`rnn_forward`), or (n_a, m) one step's.
        parameters: dict with "W_ya" (n_y, n_a), "b_y" (n_y, 1) (other entries are not read).

    Returns:
        (logits, cache): logits (n_y, m, T_x), or (n_y, m) for one step;
        cache for :func:`rnn_output_backward`.
    """
    p, n_a, n_y = _output_parameters(parameters)
    a = as_float("a", a)
    if a.ndim not in (2, 3):
        raise ValueError(f"a: expected a 2-d (n_a, m) or 3-d (n_a, m, T_x) array, got shape {a.shape}")
    check_shape("a", a, (n_a,) + (None,) * (a.ndim - 1), "(n_a, m, T_x)")
    dtype = common_float(a, *p.values())
    a, = _cast(dtype, a)
    rows = np.ascontiguousarray(a.T)[None] if a.ndim == 2 else _rows(a)
    logits, cache = _output_forward(rows, _cast_dict(dtype, p))
    cache["one_step"] = a.ndim == 2
    return (logits[0].T if a.ndim == 2 else _from_rows(logits)), cache


def _output_forward(a, p):
    """rnn_output_forward on checked states stored by rows, a (T_x, m, n_a) → logits (T_x, m, n_y)."""
    logits = (_flat(a) @ p["W_ya"].T).reshape(a.shape[0], a.shape[1], -1)
    logits += p["b_y"].T
    return logits, {"layer": "rnn_output", "a": a, "parameters": p}


def rnn_output_backward(dlogits, cache):
    r"""Gradients of the output layer over all steps: :math:`dW_{ya} = \sum_t d\ell^{<t>} a^{<t>T}`,
    :math:`db_y = \sum_t \sum_i d\ell^{<t>}`, and :math:`\partial J/\partial a^{<t>} = W_{ya}^T d\ell^{<t>}`.

    Args:
        dlogits: (n_y, m, T_x) gradient at the logits (from :func:`sequence_loss`),
            or (n_y, m) if the forward pass took one step.
        cache: from :func:`rnn_output_forward`.

    Returns:
        dict "da" (n_a, m, T_x) (or (n_a, m)), the upstream gradient that
        :func:`rnn_backward` takes, "dW_ya" (n_y, n_a), "db_y" (n_y, 1).
    """
    cache = _check_cache(cache, "rnn_output", "rnn_output_forward")
    T_x, m, n_a = cache["a"].shape
    n_y = cache["parameters"]["W_ya"].shape[0]
    dtype = cache["a"].dtype
    if cache["one_step"]:
        d = np.ascontiguousarray(_upstream("dlogits", dlogits, (n_y, m), "(n_y, m)", dtype).T)[None]
    else:
        d = _rows(_upstream("dlogits", dlogits, (n_y, m, T_x), "(n_y, m, T_x)", dtype))
    grads = _output_backward(d, cache)
    grads["da"] = grads["da"][0].T if cache["one_step"] else _from_rows(grads["da"])
    return grads


def _output_backward(dlogits, cache):
    """rnn_output_backward on checked dlogits stored by rows (T_x, m, n_y); da comes back by rows."""
    a, p = cache["a"], cache["parameters"]
    d = _flat(dlogits)
    return {"da": (d @ p["W_ya"]).reshape(a.shape), "dW_ya": d.T @ _flat(a),
            "db_y": np.sum(d, axis=0)[:, None]}


def sequence_loss(logits, y):
    r"""Cross-entropy over every step of every sequence, and its gradient at the logits.

    :math:`J = -\frac{1}{m T_x} \sum_i \sum_t \log \hat y^{(i)<t>}_{y^{(i)<t>}}`
    with :math:`\hat y = \mathrm{softmax}(\text{logits})` over the n_y rows:
    the mean loss per step in nats (uniform guessing over n_y symbols gives
    :math:`\log n_y`). Computed with log-sum-exp, so any finite logits give a
    finite loss. The gradient at the logits is
    :math:`(\hat y - \mathrm{onehot}(y)) / (m T_x)`: the cost's gradient
    carries the 1/(m T_x).

    Args:
        logits: (n_y, m, T_x), from :func:`rnn_output_forward`.
        y: (m, T_x) integer targets in [0, n_y).

    Returns:
        (loss, dlogits): the float loss and dlogits (n_y, m, T_x).
    """
    logits = as_float("logits", logits, ndim=3, meaning="(n_y, m, T_x)")
    n_y, m, T_x = logits.shape
    y = as_indices("y", y, n_y, ndim=2, meaning="(m, T_x)")
    check_shape("y", y, (m, T_x), "(m, T_x)")
    loss, dlogits = _sequence_loss(_rows(logits), y.T)
    return loss, _from_rows(dlogits)


def _sequence_loss(z, y):
    """sequence_loss on checked logits stored by rows, z (T_x, m, n_y), and targets y (T_x, m)."""
    T_x, m, _ = z.shape
    shifted = z - np.max(z, axis=2, keepdims=True)
    e = np.exp(shifted)
    total = np.sum(e, axis=2, keepdims=True)
    tt, ii = np.indices(y.shape)
    loss = float(np.mean(np.log(total[:, :, 0]) - shifted[tt, ii, y]))   # log ŷ = shifted − log Σ e
    dz = e / total                                # ŷ, the softmax
    dz[tt, ii, y] -= 1.0
    dz /= m * T_x
    return loss, dz


def loss_and_gradients(x, y, a0, parameters):
    """Forward, loss and BPTT for a batch: (loss, grads, a_last).

    rnn_forward → rnn_output_forward → sequence_loss → rnn_output_backward →
    rnn_backward.

    Args:
        x: (n_x, m, T_x) inputs; y: (m, T_x) integer targets in [0, n_y);
        a0: (n_a, m) the initial state.
        parameters: the dict of :func:`initialize_rnn`.

    Returns:
        loss (float, mean per step), grads (dict "dW_ax", "dW_aa", "db_a",
        "dW_ya", "db_y"), and a_last (n_a, m), the final hidden state.
    """
    x, a0, p = _check_sequence_inputs(x, a0, parameters)
    out, _, n_y = _output_parameters(parameters, n_a=a0.shape[0])
    y = as_indices("y", y, n_y, ndim=2, meaning="(m, T_x)")
    check_shape("y", y, x.shape[1:], "(m, T_x)")
    dtype = common_float(x, *out.values())
    x, a0 = _cast(dtype, x, a0)
    return _loss_and_gradients(_rows(x), y.T, a0, _cast_dict(dtype, {**p, **out}))


def _loss_and_gradients(x, y, a0, p):
    """loss_and_gradients on checked x stored by rows (T_x, m, n_x) and targets y (T_x, m)."""
    a, cache = _rnn_forward(x, a0, p)
    logits, out_cache = _output_forward(a, p)
    loss, dlogits = _sequence_loss(logits, y)
    grads = _output_backward(dlogits, out_cache)
    grads.update(_rnn_backward(grads.pop("da"), cache))
    del grads["dx"], grads["da0"]
    return loss, grads, a[-1].T


# ------------------------------------------------------------------ sampling

def sample(parameters, start_index, max_length=50, temperature=1.0, seed=0, stop_index=None):
    r"""Draw a sequence from the model, one symbol at a time, each fed back as the next input.

    At each step :math:`p = \mathrm{softmax}((W_{ya} a^{<t>} + b_y)/\tau)`; the
    temperature :math:`\tau` sharpens the distribution (:math:`\tau < 1`,
    towards the most likely symbol) or flattens it (:math:`\tau > 1`, towards uniform).

    Args:
        parameters: the dict of :func:`initialize_rnn`, with n_x = n_y (a vocabulary).
        start_index: the first input symbol (for words, the newline that precedes one).
        max_length: at most this many symbols are drawn, ≥ 1.
        temperature: τ > 0.
        seed: an int ≥ 0 (same seed, same sample) or None.
        stop_index: stop after drawing this symbol (it is included); None: never.

    Returns:
        list of int, the drawn symbols.
    """
    p, n_x, n_a = _cell_parameters(parameters)
    out, _, n_y = _output_parameters(parameters, n_a=n_a)
    if n_y != n_x:
        raise ValueError(f"parameters: expected n_y = n_x (one vocabulary, each output fed back as the next "
                         f"input), got W_ya of shape {out['W_ya'].shape} and W_ax of shape {p['W_ax'].shape}")
    check_positive("temperature", temperature)
    max_length = check_positive_int("max_length", max_length)
    start_index = int(as_indices("start_index", start_index, n_x, ndim=0))
    if stop_index is not None:
        stop_index = int(as_indices("stop_index", stop_index, n_x, ndim=0))
    rng = make_rng(seed)
    p.update(out)
    a, idx, drawn = np.zeros((n_a, 1), dtype=common_float(*p.values())), start_index, []
    for _ in range(max_length):
        a = np.tanh(p["W_aa"] @ a + p["W_ax"][:, [idx]] + p["b_a"])   # W_ax @ one-hot = a column
        probs = softmax((p["W_ya"] @ a + p["b_y"]) / temperature, axis=0).ravel()
        if probs.dtype != np.float64:             # the sampler wants probabilities summing to 1 in float64
            probs = probs.astype(np.float64) / np.sum(probs, dtype=np.float64)
        idx = int(rng.choice(probs.size, p=probs))
        drawn.append(idx)
        if idx == stop_index:
            break
    return drawn


# ------------------------------------------------------------------ training

def train_language_model(corpus, vocab_size, n_a=64, seq_length=25, batch_size=32,
                         num_iterations=1500, learning_rate=0.01, clip_value=5.0,
                         clip_mode="value", seed=0, record_every=50, eval_corpus=None,
                         optimizer="adam", scale=None):
    r"""Train a character-level RNN language model on random windows of a corpus.

    Each iteration takes ``batch_size`` windows of ``seq_length + 1`` symbols
    at random offsets; the input is symbols 0…T−1 one-hot, the target symbols
    1…T (predict the next one). Every window starts from :math:`a^{<0>} = 0`.
    The gradients are clipped (:func:`lib.optimizers.clip_by_value` or
    :func:`lib.optimizers.clip_by_norm`) before the update, an Adam step
    (:func:`lib.optimizers.adam_update`) or plain gradient descent
    (:func:`lib.optimizers.sgd_update`).

    Args:
        corpus: (N,) integer symbols in [0, vocab_size), N ≥ seq_length + 1.
        vocab_size: n_x = n_y.
        n_a: hidden units.
        seq_length: T_x of each window.
        batch_size: m windows per step.
        num_iterations: gradient steps.
        learning_rate: α > 0.
        clip_value: the clipping bound, > 0; None for no clipping.
        clip_mode: "value" (each entry) or "norm" (the global norm).
        seed: an int ≥ 0 or None; seeds the initial weights and the windows.
        record_every: record the training loss (mean since the last record)
            and the held-out loss every this many iterations (and at the last).
        eval_corpus: (N',) held-out symbols, evaluated on fixed windows.
        optimizer: "adam" or "sgd".
        scale: passed to :func:`initialize_rnn` (the size of the initial W_aa).

    Returns:
        (parameters, history): history has "iteration", "train_loss",
        "eval_loss" (lists; eval_loss empty without eval_corpus) and
        "grad_norm" (one per iteration, before clipping).
    """
    vocab_size = check_positive_int("vocab_size", vocab_size)
    corpus = as_indices("corpus", corpus, vocab_size, ndim=1, meaning="(N,)")
    seq_length = check_positive_int("seq_length", seq_length)
    batch_size = check_positive_int("batch_size", batch_size)
    num_iterations = check_positive_int("num_iterations", num_iterations)
    record_every = check_positive_int("record_every", record_every)
    if corpus.size < seq_length + 1:
        raise ValueError(f"corpus: expected at least seq_length + 1 = {seq_length + 1} symbols, got {corpus.size}")
    check_choice("clip_mode", clip_mode, CLIP_MODES)
    check_choice("optimizer", optimizer, OPTIMIZERS)
    check_positive("learning_rate", learning_rate)
    if clip_value is not None:
        check_positive("clip_value", clip_value)
    seed = check_seed(seed)
    parameters = initialize_rnn(vocab_size, n_a, vocab_size, seed=seed, scale=scale)
    if eval_corpus is not None:
        eval_x, eval_y = _windows(as_indices("eval_corpus", eval_corpus, vocab_size, ndim=1, meaning="(N',)"),
                                  seq_length, vocab_size, "eval_corpus")
    rng = np.random.default_rng(None if seed is None else seed + 1)
    history = {"iteration": [], "train_loss": [], "eval_loss": [], "grad_norm": []}
    state, recent = {}, []
    a0 = np.zeros((n_a, batch_size))
    for it in range(1, num_iterations + 1):
        starts = rng.integers(0, corpus.size - seq_length, size=batch_size)
        windows = corpus[starts[:, None] + np.arange(seq_length + 1)]          # (m, T_x + 1)
        x = _rows(one_hot_sequences(windows[:, :-1], vocab_size))                # (T_x, m, n_x)
        loss, grads, _ = _loss_and_gradients(x, windows[:, 1:].T, a0, parameters)
        history["grad_norm"].append(global_norm.unchecked(grads))
        if clip_value is not None:       # clipping bounds the step a rare huge gradient can take
            grads = (clip_by_value.unchecked(grads, clip_value) if clip_mode == "value"
                     else clip_by_norm.unchecked(grads, clip_value)[0])
        if optimizer == "adam":
            adam_update.unchecked(parameters, grads, state, learning_rate)
        else:
            sgd_update.unchecked(parameters, grads, learning_rate)
        recent.append(loss)
        if it % record_every == 0 or it == num_iterations:
            history["iteration"].append(it)
            history["train_loss"].append(float(np.mean(recent)))
            recent = []
            if eval_corpus is not None:
                history["eval_loss"].append(_evaluate_loss(parameters, eval_x, eval_y))
    return parameters, history


def _windows(corpus, seq_length, n_x, name):
    """Cut a corpus into consecutive windows: one-hot x by rows (T_x, m, n_x) and targets y (T_x, m)."""
    n = (corpus.size - 1) // seq_length
    if n == 0:
        raise ValueError(f"{name}: expected at least seq_length + 1 = {seq_length + 1} symbols, got {corpus.size}")
    idx = corpus[: n * seq_length + 1]
    inputs = idx[:-1].reshape(n, seq_length)
    targets = idx[1:].reshape(n, seq_length)
    return _rows(one_hot_sequences(inputs, n_x)), targets.T


def _evaluate_loss(p, x, y):
    a, _ = _rnn_forward(x, np.zeros((p["W_aa"].shape[0], x.shape[1]), dtype=x.dtype), p)
    return _sequence_loss(_output_forward(a, p)[0], y)[0]


def evaluate_loss(parameters, x, y):
    """Mean cross-entropy per step (nats) of the model on inputs x (n_x, m, T_x) and targets y (m, T_x).

    Every sequence starts from :math:`a^{<0>} = 0`.
    """
    p, n_x, n_a = _cell_parameters(parameters)
    out, _, n_y = _output_parameters(parameters, n_a=n_a)
    x = check_sequences(x, n_x)
    y = as_indices("y", y, n_y, ndim=2, meaning="(m, T_x)")
    check_shape("y", y, x.shape[1:], "(m, T_x)")
    dtype = common_float(x, *p.values(), *out.values())
    return _evaluate_loss(_cast_dict(dtype, {**p, **out}), _rows(x.astype(dtype, copy=False)), y.T)


def language_model_loss(parameters, corpus, seq_length=25):
    """Mean cross-entropy per symbol (nats) of the model on a held-out corpus of symbols (N,).

    The corpus is cut into consecutive windows of ``seq_length`` inputs, each
    started from :math:`a^{<0>} = 0`, as ``train_language_model`` evaluates.
    """
    p, n_x, n_a = _cell_parameters(parameters)
    out, _, n_y = _output_parameters(parameters, n_a=n_a)
    corpus = as_indices("corpus", corpus, min(n_x, n_y), ndim=1, meaning="(N,)")
    x, y = _windows(corpus, check_positive_int("seq_length", seq_length), n_x, "corpus")
    dtype = common_float(*p.values(), *out.values())
    return _evaluate_loss(_cast_dict(dtype, {**p, **out}), x.astype(dtype, copy=False), y)
