r"""The gated recurrent unit (GRU), forward and backward, for one step and a whole sequence.

Chapter 14 (backpropagation through time) uses it as the remedy for the
vanishing gradient of the plain RNN (:mod:`lib.rnn`); Part V's attention model
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
"""
import numpy as np

from lib._checks import as_array, check_positive_int, check_shape


def sigmoid(z):
    r""":math:`\sigma(z) = \tfrac12(1 + \tanh(z/2))`: the same function as lib.activations.sigmoid,
    stable for any z, and one ufunc call instead of several (it runs 3 times per step)."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


GATES = ("z", "r", "h")
"""The three blocks of a GRU: update gate, reset gate, candidate state."""

PARAMETER_NAMES = tuple(f"{kind}_{g}" for g in GATES for kind in ("W", "U", "b"))
"""("W_z", "U_z", "b_z", "W_r", "U_r", "b_r", "W_h", "U_h", "b_h")."""


def initialize_gru(n_x, n_a, seed=0, update_bias=0.0):
    r"""Random GRU parameters: ``W_*`` ~ N(0, 1/n_x), ``U_*`` ~ N(0, 1/n_a), biases 0.

    The scale :math:`1/\sqrt{n}` keeps every pre-activation of order 1 at the
    start (Glorot-style), so neither the gates nor tanh start saturated.

    Args:
        n_x: number of inputs per step.
        n_a: number of hidden units.
        seed: seed of the random generator.
        update_bias: the initial value of every entry of ``b_z``. A negative
            value (say −2, :math:`z \approx 0.12`) starts the cell copying its
            state, so the gradient crosses long gaps from the first step on:
            the GRU analogue of setting an LSTM's forget-gate bias to 1.

    Returns:
        dict with "W_z", "U_z", "b_z", "W_r", "U_r", "b_r", "W_h", "U_h", "b_h":
        ``W_*`` (n_a, n_x), ``U_*`` (n_a, n_a), ``b_*`` (n_a, 1).
    """
    n_x = check_positive_int("n_x", n_x)
    n_a = check_positive_int("n_a", n_a)
    rng = np.random.default_rng(seed)
    params = {}
    for g in GATES:
        params[f"W_{g}"] = rng.standard_normal((n_a, n_x)) / np.sqrt(n_x)
        params[f"U_{g}"] = rng.standard_normal((n_a, n_a)) / np.sqrt(n_a)
        params[f"b_{g}"] = np.zeros((n_a, 1))
    params["b_z"] += float(update_bias)
    return params


def _check_parameters(parameters):
    """Return (n_x, n_a) after checking that every GRU array is present and consistent."""
    missing = [k for k in PARAMETER_NAMES if k not in parameters]
    if missing:
        raise ValueError(f"parameters: missing {missing}; expected the dict of initialize_gru")
    n_a, n_x = np.shape(parameters["W_z"])
    for g in GATES:
        check_shape(f"parameters['W_{g}']", np.asarray(parameters[f"W_{g}"]), (n_a, n_x), "(n_a, n_x)")
        check_shape(f"parameters['U_{g}']", np.asarray(parameters[f"U_{g}"]), (n_a, n_a), "(n_a, n_a)")
        check_shape(f"parameters['b_{g}']", np.asarray(parameters[f"b_{g}"]), (n_a, 1), "(n_a, 1)")
    return n_x, n_a


def _check_step(xt, a_prev, parameters):
    n_x, n_a = _check_parameters(parameters)
    xt = as_array("xt", xt, ndim=2)
    check_shape("xt", xt, (n_x, None), "(n_x, m)")
    a_prev = as_array("a_prev", a_prev, ndim=2)
    check_shape("a_prev", a_prev, (n_a, xt.shape[1]), "(n_a, m)")
    return xt, a_prev


def gru_cell_forward(xt, a_prev, parameters):
    r"""One GRU step: the gates, the candidate and the new state (module docstring's equations).

    Args:
        xt: (n_x, m) the input at step t, one column per example.
        a_prev: (n_a, m) the hidden state :math:`a^{<t-1>}`.
        parameters: the dict of :func:`initialize_gru`.

    Returns:
        (a_next, cache): a_next (n_a, m) is :math:`a^{<t>}`; cache holds what
        :func:`gru_cell_backward` needs, (xt, a_prev, z, r, a_tilde, parameters).
    """
    xt, a_prev = _check_step(xt, a_prev, parameters)
    p = parameters
    z = sigmoid(p["W_z"] @ xt + p["U_z"] @ a_prev + p["b_z"])
    r = sigmoid(p["W_r"] @ xt + p["U_r"] @ a_prev + p["b_r"])
    a_tilde = np.tanh(p["W_h"] @ xt + p["U_h"] @ (r * a_prev) + p["b_h"])
    a_next = (1.0 - z) * a_prev + z * a_tilde
    return a_next, (xt, a_prev, z, r, a_tilde, parameters)


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
        da_next: (n_a, m) gradient of the loss with respect to :math:`a^{<t>}`.
        cache: from :func:`gru_cell_forward`.

    Returns:
        dict: "dxt" (n_x, m), "da_prev" (n_a, m), and "dW_z", "dU_z", "db_z",
        "dW_r", … "db_h", each the shape of its parameter.
    """
    xt, a_prev, z, r, a_tilde, p = cache
    da_next = as_array("da_next", da_next, ndim=2)
    check_shape("da_next", da_next, a_prev.shape, "(n_a, m)")
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


def _check_sequence(x, a0, parameters):
    n_x, n_a = _check_parameters(parameters)
    x = as_array("x", x)
    if x.ndim != 3:
        raise ValueError(f"x: expected a 3-d array of shape (n_x, m, T_x), got shape {x.shape}")
    check_shape("x", x, (n_x, None, None), "(n_x, m, T_x)")
    if x.shape[1] == 0 or x.shape[2] == 0:
        raise ValueError(f"x: expected a non-empty sequence, m >= 1 and T_x >= 1, got shape {x.shape}")
    a0 = as_array("a0", a0, ndim=2)
    check_shape("a0", a0, (n_a, x.shape[1]), "(n_a, m)")
    return x, a0


def gru_forward(x, a0, parameters):
    r"""Run the GRU over whole sequences, a batch of m at a time.

    The input products :math:`W_g x^{<t>} + b_g` of all T_x steps are one
    matrix product before the loop (``x`` viewed as (n_x, m·T_x)); only the
    recurrent products :math:`U_g a^{<t-1>}` must wait for the previous step.
    The result equals T_x calls of :func:`gru_cell_forward` (a test checks it).

    Args:
        x: (n_x, m, T_x) the input sequences.
        a0: (n_a, m) the initial hidden state.
        parameters: the dict of :func:`initialize_gru`.

    Returns:
        (a, caches): a (n_a, m, T_x) holds :math:`a^{<1>} … a^{<T_x>}`; caches is
        a dict (x, a0, a, z, r, a_tilde, parameters) for :func:`gru_backward`,
        with the states a, gates z, r and candidates a_tilde stored
        time-major, each (T_x, n_a, m): entry [t] is step t+1.
    """
    x, a0 = _check_sequence(x, a0, parameters)
    p = parameters
    (n_x, m, T_x), n_a = x.shape, a0.shape[0]
    x_flat = x.reshape(n_x, m * T_x)
    # time-major (T_x, n_a, m) storage: each step reads and writes contiguous blocks
    wx = {g: np.ascontiguousarray((p[f"W_{g}"] @ x_flat + p[f"b_{g}"]).reshape(n_a, m, T_x).transpose(2, 0, 1))
          for g in GATES}
    a, z, r, a_tilde = (np.empty((T_x, n_a, m)) for _ in range(4))
    a_prev = a0
    for t in range(T_x):
        z[t] = sigmoid(wx["z"][t] + p["U_z"] @ a_prev)
        r[t] = sigmoid(wx["r"][t] + p["U_r"] @ a_prev)
        a_tilde[t] = np.tanh(wx["h"][t] + p["U_h"] @ (r[t] * a_prev))
        a[t] = a_prev + z[t] * (a_tilde[t] - a_prev)
        a_prev = a[t]
    caches = {"x": x, "a0": a0, "a": a, "z": z, "r": r, "a_tilde": a_tilde, "parameters": p}
    return np.ascontiguousarray(a.transpose(1, 2, 0)), caches


def gru_backward(da, caches):
    r"""Backpropagation through time for :func:`gru_forward`.

    Walks the steps from T_x down to 1. At each step the gradient reaching
    :math:`a^{<t>}` is the upstream ``da[:, :, t]`` plus what flowed back from
    step t+1; the step's pre-activation gradients are those of
    :func:`gru_cell_backward`. The weight gradients are sums over steps, so
    they are formed after the loop as single products over all m·T_x columns.

    Args:
        da: (n_a, m, T_x) upstream gradient of the loss with respect to every
            hidden state (zeros where a step's state feeds no loss).
        caches: from :func:`gru_forward`.

    Returns:
        dict: "dx" (n_x, m, T_x), "da0" (n_a, m), and the nine parameter
        gradients "dW_z", "dU_z", "db_z", …, "db_h".
    """
    x, a0, a, z, r, a_tilde, p = (caches[k] for k in ("x", "a0", "a", "z", "r", "a_tilde", "parameters"))
    T_x, n_a, m = a.shape
    n_x = x.shape[0]
    da = as_array("da", da)
    check_shape("da", da, (n_a, m, T_x), "(n_a, m, T_x)")
    da_steps = da.transpose(2, 0, 1)
    a_prevs = np.concatenate([a0[None], a[:-1]], axis=0)           # a^{<t-1>} for every t
    pre = {g: np.empty((T_x, n_a, m)) for g in GATES}
    da_next = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        delta = da_steps[t] + da_next
        zt, rt, at, ap = z[t], r[t], a_tilde[t], a_prevs[t]
        d_h = delta * zt * (1.0 - at ** 2)
        d_z = delta * (at - ap) * zt * (1.0 - zt)
        d_ra = p["U_h"].T @ d_h
        d_r = d_ra * ap * rt * (1.0 - rt)
        pre["z"][t], pre["r"][t], pre["h"][t] = d_z, d_r, d_h
        da_next = delta * (1.0 - zt) + d_ra * rt + p["U_z"].T @ d_z + p["U_r"].T @ d_r

    def columns(arr):                       # (T_x, n, m) → (n, m·T_x), columns in x's (m, T_x) order
        return arr.transpose(1, 2, 0).reshape(arr.shape[1], m * T_x)

    cols = m * T_x
    x_flat, ap_flat, ra_flat = x.reshape(n_x, cols), columns(a_prevs), columns(r * a_prevs)
    d_flat = {g: columns(pre[g]) for g in GATES}
    grads = {"dx": sum(p[f"W_{g}"].T @ d_flat[g] for g in GATES).reshape(n_x, m, T_x),
             "da0": da_next}
    for g in GATES:
        grads[f"dW_{g}"] = d_flat[g] @ x_flat.T
        grads[f"dU_{g}"] = d_flat[g] @ (ra_flat if g == "h" else ap_flat).T
        grads[f"db_{g}"] = np.sum(d_flat[g], axis=1, keepdims=True)
    return grads
