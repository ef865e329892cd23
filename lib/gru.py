r"""The gated recurrent unit (GRU), forward and backward, for one step and a whole sequence.

Chapter ``20_backprop_through_time`` (backpropagation through time) uses it as the remedy for the
vanishing gradient of the plain RNN (:mod:`lib.rnn`); Part VI's attention model
builds its encoder and decoder on these cells. The cell of Cho et al. (2014),
written with the update gate :math:`z` weighting the *new* candidate, as the
lecture course does:

.. math::

    z^{<t>} &= \sigma(W_z x^{<t>} + U_z a^{<t-1>} + b_z)            \\
    r^{<t>} &= \sigma(W_r x^{<t>} + U_r a^{<t-1>} + b_r)            \\
    \tilde a^{<t>} &= \tanh(W_h x^{<t>} + U_h (r^{<t>} \odot a^{<t-1>}) + b_h) \\
    a^{<t>} &= (1 - z^{<t>}) \odot a^{<t-1>} + z^{<t>} \odot \tilde a^{<t>}

When :math:`z \approx 0` the state is copied unchanged, and so is the gradient
flowing back through it: the path :math:`\partial a^{<t>}/\partial a^{<t-1>}
\approx I` is what lets a GRU remember across long gaps.

Shapes (the book's notation): ``xt`` (n_x, m), ``a_prev`` (n_a, m); a sequence
``x`` is (n_x, m, T_x) and its states ``a`` are (n_a, m, T_x). Parameters
``W_*`` are (n_a, n_x), ``U_*`` (n_a, n_a), ``b_*`` (n_a, 1).

Layers (CONTRIBUTING, "The contract"): :func:`gru_cell_forward` /
:func:`gru_cell_backward` for one step, :func:`gru_forward` /
:func:`gru_backward` for whole sequences. As in :mod:`lib.rnn`, the sequence
functions store arrays time-major with one row per example, (T_x, m, n),
and return views in the book's layout; the
public functions check their arguments once, and loops that call a GRU many
times use the private kernels (``_gru_cell_forward`` …) on checked arrays.
"""
import numpy as np

from lib._checks import check_parameters, check_positive_int, check_range, make_rng
from lib.activations import _sigmoid_in_place
from lib.rnn import (_backward_by_rows, _check_cache, _check_sequence_inputs, _check_step_inputs, _flat,
                     _from_rows, _matrix, _rows, _upstream)

GATES = ("z", "r", "h")
"""The three blocks of a GRU: update gate, reset gate, candidate state."""

PARAMETER_NAMES = tuple(f"{kind}_{g}" for g in GATES for kind in ("W", "U", "b"))
"""("W_z", "U_z", "b_z", "W_r", "U_r", "b_r", "W_h", "U_h", "b_h")."""


def _sigmoid(z):
    r""":math:`\sigma(z) = \tfrac12(1 + \tanh(z/2))`: lib.activations.sigmoid's values, stable for
    any z, in one ufunc call instead of several (it runs twice per step)."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def initialize_gru(n_x, n_a, seed=0, update_bias=0.0):
    r"""Random GRU parameters: ``W_*`` ~ N(0, 1/n_x), ``U_*`` ~ N(0, 1/n_a), biases 0.

    The scale :math:`1/\sqrt{n}` keeps every pre-activation of order 1 at the
    start (Glorot-style), so neither the gates nor tanh start saturated.

    Args:
        n_x: number of inputs per step.
        n_a: number of hidden units.
        seed: an int ≥ 0 (same seed, same weights) or None.
        update_bias: the initial value of every entry of ``b_z``. A negative
            value (say −2, :math:`z \approx 0.12`) starts the cell copying its
            state, so the gradient crosses long gaps from the first step on:
            the GRU analogue of setting an LSTM's forget-gate bias to 1.

    Returns:
        dict (float64) with "W_z", "U_z", "b_z", "W_r", "U_r", "b_r", "W_h",
        "U_h", "b_h": ``W_*`` (n_a, n_x), ``U_*`` (n_a, n_a), ``b_*`` (n_a, 1).
    """
    n_x = check_positive_int("n_x", n_x)
    n_a = check_positive_int("n_a", n_a)
    update_bias = float(check_range("update_bias", update_bias))
    rng = make_rng(seed)
    parameters = {}
    for g in GATES:
        parameters[f"W_{g}"] = rng.standard_normal((n_a, n_x)) / np.sqrt(n_x)
        parameters[f"U_{g}"] = rng.standard_normal((n_a, n_a)) / np.sqrt(n_a)
        parameters[f"b_{g}"] = np.zeros((n_a, 1))
    parameters["b_z"] += update_bias
    return parameters


def _gru_parameters(parameters):
    """The nine arrays checked (present, consistent shapes, finite): (dict, n_x, n_a)."""
    n_a, n_x = _matrix("parameters", parameters, "W_z", "(n_a, n_x)", "initialize_gru").shape
    shapes = {}
    for g in GATES:
        shapes.update({f"W_{g}": (n_a, n_x), f"U_{g}": (n_a, n_a), f"b_{g}": (n_a, 1)})
    return check_parameters("parameters", parameters, shapes, "initialize_gru"), n_x, n_a


# ----------------------------------------------------------------- one step

def gru_cell_forward(xt, a_prev, parameters):
    r"""One GRU step: the gates, the candidate and the new state (module docstring's equations).

    Args:
        xt: (n_x, m) the input at step t, one column per example.
        a_prev: (n_a, m) the hidden state :math:`a^{<t-1>}`.
        parameters: the dict of :func:`initialize_gru` (other entries are not read).

    Returns:
        (a_next, cache): a_next (n_a, m) is :math:`a^{<t>}`; cache for
        :func:`gru_cell_backward`.
    """
    return _gru_cell_forward(*_check_step_inputs(xt, a_prev, parameters, _gru_parameters))


def _gru_cell_forward(xt, a_prev, p):
    """gru_cell_forward on checked arrays of one dtype (``p`` holds at least the nine GRU arrays)."""
    z = _sigmoid(p["W_z"] @ xt + p["U_z"] @ a_prev + p["b_z"])
    r = _sigmoid(p["W_r"] @ xt + p["U_r"] @ a_prev + p["b_r"])
    a_tilde = np.tanh(p["W_h"] @ xt + p["U_h"] @ (r * a_prev) + p["b_h"])
    a_next = (1.0 - z) * a_prev + z * a_tilde
    return a_next, {"layer": "gru_cell", "xt": xt, "a_prev": a_prev, "z": z, "r": r, "a_tilde": a_tilde,
                    "parameters": p}


def gru_cell_backward(da_next, cache):
    r"""Backward through one GRU step.

    With :math:`\delta = \partial J/\partial a^{<t>}` (``da_next``), the chain rule
    through the four equations gives, writing :math:`d\zeta_g` for the gradient
    of gate g's pre-activation:

    .. math::

        d\zeta_h &= \delta \odot z \odot (1 - \tilde a^2), \qquad
        d\zeta_z = \delta \odot (\tilde a - a^{<t-1>}) \odot z (1 - z), \\
        d\zeta_r &= (U_h^T d\zeta_h) \odot a^{<t-1>} \odot r (1 - r), \\
        \partial J/\partial a^{<t-1>} &= \delta \odot (1 - z) + (U_h^T d\zeta_h) \odot r
            + U_z^T d\zeta_z + U_r^T d\zeta_r,

    and for every gate :math:`dW_g = d\zeta_g x^{<t>T}`, :math:`db_g = \sum_i d\zeta_g`,
    :math:`dU_g = d\zeta_g a^{<t-1>T}` (for h, :math:`(r \odot a^{<t-1>})^T`).

    Args:
        da_next: (n_a, m) gradient of the cost with respect to :math:`a^{<t>}`.
        cache: from :func:`gru_cell_forward`.

    Returns:
        dict: "dxt" (n_x, m), "da_prev" (n_a, m), and "dW_z", "dU_z", "db_z",
        "dW_r", … "db_h", each the shape of its parameter.
    """
    cache = _check_cache(cache, "gru_cell", "gru_cell_forward")
    a_prev = cache["a_prev"]
    da_next = _upstream("da_next", da_next, a_prev.shape, "(n_a, m)", a_prev.dtype)
    return _gru_cell_backward(da_next, cache)


def _gru_cell_backward(da_next, cache):
    """gru_cell_backward on a checked upstream gradient."""
    xt, a_prev, z, r, a_tilde, p = (cache[k] for k in ("xt", "a_prev", "z", "r", "a_tilde", "parameters"))
    d_h = da_next * z * (1.0 - a_tilde ** 2)
    d_z = da_next * (a_tilde - a_prev) * z * (1.0 - z)
    d_ra = p["U_h"].T @ d_h                    # gradient of r ⊙ a_prev
    d_r = d_ra * a_prev * r * (1.0 - r)
    pre = {"z": d_z, "r": d_r, "h": d_h}
    grads = {"dxt": sum(p[f"W_{g}"].T @ pre[g] for g in GATES),
             "da_prev": da_next * (1.0 - z) + d_ra * r + p["U_z"].T @ d_z + p["U_r"].T @ d_r}
    for g in GATES:
        grads[f"dW_{g}"] = pre[g] @ xt.T
        grads[f"dU_{g}"] = pre[g] @ ((r * a_prev) if g == "h" else a_prev).T
        grads[f"db_{g}"] = np.sum(pre[g], axis=1, keepdims=True)
    return grads


# ------------------------------------------------------------ whole sequences

def gru_forward(x, a0, parameters):
    r"""Run the GRU over whole sequences, a batch of m at a time.

    The input products :math:`W_g x^{<t>} + b_g` of all T_x steps are formed
    before the loop; only the recurrent products :math:`U_g a^{<t-1>}` must
    wait for the previous step. The three gates' arrays are stacked, so each
    step does two products, :math:`[U_z; U_r]\, a^{<t-1>}` and
    :math:`U_h (r \odot a^{<t-1>})`, rather than three. The result equals T_x
    calls of :func:`gru_cell_forward` (a test checks it).

    Args:
        x: (n_x, m, T_x) the input sequences.
        a0: (n_a, m) the initial hidden state.
        parameters: the dict of :func:`initialize_gru` (other entries are not read).

    Returns:
        (a, cache): a (n_a, m, T_x) holds :math:`a^{<1>} … a^{<T_x>}` (a view
        of the states stored by rows, see :mod:`lib.rnn`); cache for :func:`gru_backward`.
    """
    x, a0, p = _check_sequence_inputs(x, a0, parameters, _gru_parameters)
    a, cache = _gru_forward(_rows(x), a0, p)
    return _from_rows(a), cache


def _stacked(p):
    """The gates' arrays stacked in the order z, r, h: W (3n_a, n_x), b (3n_a, 1), U_zr (2n_a, n_a)."""
    return (np.concatenate([p[f"W_{g}"] for g in GATES]), np.concatenate([p[f"b_{g}"] for g in GATES]),
            np.concatenate([p["U_z"], p["U_r"]]))


def _gru_forward(x, a0, p):
    """gru_forward on checked arrays stored by rows: x (T_x, m, n_x), a0 (n_a, m) → a (T_x, m, n_a), a[t] = (a<t+1>)ᵀ."""
    T_x, m, n_x = x.shape
    n_a = a0.shape[0]
    W, b, U_zr = _stacked(p)
    gates = (_flat(x) @ W.T).reshape(T_x, m, 3 * n_a)   # (W_g x<t>)ᵀ of z, r, h, overwritten by z, r, ã
    gates += b.T
    a = np.empty((T_x, m, n_a), dtype=a0.dtype)
    ra = np.empty_like(a)                                # r<t> ⊙ a<t-1>, kept for dU_h
    a_prev = a0.T
    for t in range(T_x):
        zr = gates[t, :, :2 * n_a]
        zr += a_prev @ U_zr.T
        _sigmoid_in_place(zr)
        z, r, a_tilde = zr[:, :n_a], zr[:, n_a:], gates[t, :, 2 * n_a:]
        np.multiply(r, a_prev, out=ra[t])
        a_tilde += ra[t] @ p["U_h"].T
        np.tanh(a_tilde, out=a_tilde)
        np.subtract(a_tilde, a_prev, out=a[t])            # a<t> = a<t-1> + z ⊙ (ã<t> − a<t-1>)
        a[t] *= z
        a_prev = np.add(a[t], a_prev, out=a[t])
    return a, {"layer": "gru", "x": x, "a0": a0, "a": a, "gates": gates, "ra": ra, "parameters": p,
               "stacked": (W, U_zr)}


def gru_backward(da, cache):
    r"""Backpropagation through time for :func:`gru_forward`.

    Walks the steps from T_x down to 1. At each step the gradient reaching
    :math:`a^{<t>}` is the upstream ``da[:, :, t]`` plus what flowed back from
    step t+1; the step's pre-activation gradients are those of
    :func:`gru_cell_backward`. The weight gradients are sums over steps, so
    they are formed after the loop as single products over all m·T_x examples.

    Args:
        da: (n_a, m, T_x) upstream gradient of the cost with respect to every
            hidden state (zeros where a step's state feeds no loss).
        cache: from :func:`gru_forward`.

    Returns:
        dict: "dx" (n_x, m, T_x), "da0" (n_a, m), and the nine parameter
        gradients "dW_z", "dU_z", "db_z", …, "db_h".
    """
    return _backward_by_rows(da, cache, "gru", "gru_forward", _gru_backward)


def _gru_backward(da, cache):
    """gru_backward on a checked upstream gradient stored by rows, da (T_x, m, n_a); dx comes back by rows."""
    x, a0, a, gates, ra, p = (cache[k] for k in ("x", "a0", "a", "gates", "ra", "parameters"))
    W, U_zr = cache["stacked"]
    T_x, m, n_a = a.shape
    z, r, a_tilde = gates[:, :, :n_a], gates[:, :, n_a:2 * n_a], gates[:, :, 2 * n_a:]
    d = np.empty_like(gates)              # (T_x, m, 3n_a): gradients of the pre-activations of z, r, h
    da_next = np.zeros_like(a0.T)
    for t in reversed(range(T_x)):
        a_prev = a[t - 1] if t else a0.T
        delta = da[t] + da_next
        d_z, d_r, d_h = d[t, :, :n_a], d[t, :, n_a:2 * n_a], d[t, :, 2 * n_a:]
        np.multiply(delta * z[t], 1.0 - a_tilde[t] ** 2, out=d_h)
        np.multiply(delta * (a_tilde[t] - a_prev), z[t] * (1.0 - z[t]), out=d_z)
        d_ra = d_h @ p["U_h"]                                  # gradient of r ⊙ a<t-1>
        np.multiply(d_ra * a_prev, r[t] * (1.0 - r[t]), out=d_r)
        da_next = delta * (1.0 - z[t]) + d_ra * r[t] + d[t, :, :2 * n_a] @ U_zr
    # sums over the steps: one product each, on all steps' rows stacked
    d_all = _flat(d)
    dW = d_all.T @ _flat(x)
    db = np.sum(d_all, axis=0)[:, None]
    dU_zr = _flat(d[1:, :, :2 * n_a]).T @ _flat(a[:-1]) + d[0, :, :2 * n_a].T @ a0.T   # a<t-1> is a0 at t = 1
    grads = {"dx": (d_all @ W).reshape(x.shape), "da0": da_next.T}
    for k, g in enumerate(GATES):
        rows = slice(k * n_a, (k + 1) * n_a)
        grads[f"dW_{g}"], grads[f"db_{g}"] = dW[rows], db[rows]
        if g != "h":
            grads[f"dU_{g}"] = dU_zr[rows]
    grads["dU_h"] = _flat(d[:, :, 2 * n_a:]).T @ _flat(ra)
    return grads
