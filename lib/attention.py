r"""Attention: a masked softmax, additive attention and scaled dot-product attention.

Chapter 15 (the attention model) uses this module; :mod:`lib.seq2seq` builds
the date translator on :func:`additive_attention_forward`.

Additive attention (Bahdanau, Cho & Bengio 2014), one decoder step for all
``m`` examples: the decoder state :math:`s^{<t-1>}` (n_s, m) scores every
encoder state :math:`a^{<t'>}` (n_a, m), t' = 1 … T_x,

.. math::

    e^{<t,t'>} = v^\top \tanh(W_s s^{<t-1>} + W_a a^{<t'>} + b), \quad
    \alpha^{<t,t'>} = \mathrm{softmax}_{t'}(e^{<t,t'>}), \quad
    c^{<t>} = \sum_{t'} \alpha^{<t,t'>} a^{<t'>}.

Scaled dot-product attention (Vaswani et al. 2017), rows are positions:
:math:`\mathrm{softmax}(Q K^\top / \sqrt{d_k})\,V`.
"""
import numpy as np

from lib import activations
from lib._checks import as_array, check_finite, check_shape


def _check_mask(mask, shape):
    """Return ``mask`` as a bool array broadcast to ``shape``, or raise naming ``mask``."""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.dtype != bool:
        if not np.all((mask == 0) | (mask == 1)):
            raise ValueError("mask: expected booleans (True = may attend), got other values")
        mask = mask.astype(bool)
    if mask.ndim > len(shape) or any(a != b and a != 1 for a, b in
                                     zip(mask.shape[::-1], shape[::-1])):
        raise ValueError(f"mask: expected shape {shape} (or one broadcastable to it), "
                         f"got {mask.shape}")
    return np.broadcast_to(mask, shape)


def masked_softmax(z, mask=None, axis=-1):
    r"""Softmax along ``axis`` that gives exactly 0 weight where ``mask`` is False.

    :math:`\alpha_i = \mathbb{1}[\text{mask}_i]\, e^{z_i - M} / \sum_j \mathbb{1}[\text{mask}_j]\, e^{z_j - M}`,
    with :math:`M` the largest unmasked score, so every exponent is :math:`\le 0`
    and nothing overflows (scores of ±1000 are fine).

    Args:
        z: scores of any shape, e.g. (m, T_x) for one decoder step.
        mask: None, or booleans of z's shape (or broadcastable to it); True
            where a position may be attended. Every slice along ``axis`` needs
            at least one True.
        axis: the axis that sums to 1.

    Returns:
        array of z's shape, non-negative, summing to 1 along ``axis``, 0 where masked.
    """
    z = as_array("z", z)
    check_finite("z", z)
    mask = _check_mask(mask, z.shape)
    if mask is not None:
        if not np.all(np.any(mask, axis=axis)):
            raise ValueError("mask: every slice along the softmax axis needs at least one True")
        z = np.where(mask, z, -np.inf)   # exp(-inf) = 0: masked positions get no weight
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_backward(dalpha, alpha, axis=-1):
    r""":math:`\partial J/\partial z = \alpha \odot (d\alpha - \sum \alpha \odot d\alpha)` along ``axis``.

    Masked positions have :math:`\alpha = 0`, so they get 0 gradient too.
    ``dalpha`` and ``alpha`` share a shape; returns that shape.
    """
    return activations.softmax_backward(dalpha, alpha, axis=axis)


def initialize_additive_attention(n_s, n_a, n_e, seed=0):
    """Parameters of :func:`additive_attention_forward`, small Gaussian (Xavier-scaled).

    Returns:
        dict with ``W_s`` (n_e, n_s), ``W_a`` (n_e, n_a), ``b`` (n_e, 1), ``v`` (n_e, 1).
    """
    rng = np.random.default_rng(seed)
    return {"W_s": rng.normal(0, 1 / np.sqrt(n_s), (n_e, n_s)),
            "W_a": rng.normal(0, 1 / np.sqrt(n_a), (n_e, n_a)),
            "b": np.zeros((n_e, 1)),
            "v": rng.normal(0, 1 / np.sqrt(n_e), (n_e, 1))}


def attention_keys(a, W_a):
    r"""The encoder's half of the scores, :math:`W_a a^{<t'>}` for every t' at once.

    One matrix product over all m·T_x columns instead of one per decoder step:
    ``a`` (n_a, m, T_x), ``W_a`` (n_e, n_a) → (n_e, m, T_x).
    """
    n_a, m, T_x = a.shape
    return (W_a @ a.reshape(n_a, m * T_x)).reshape(-1, m, T_x)


def additive_attention_forward(s_prev, a, params, mask=None, keys=None):
    r"""One step of additive attention: scores, weights and context for all m examples.

    .. math::

        e^{<t'>} = v^\top \tanh(W_s s^{<t-1>} + W_a a^{<t'>} + b),\quad
        \alpha = \mathrm{softmax}_{t'}(e),\quad c = \sum_{t'} \alpha^{<t'>} a^{<t'>}.

    Args:
        s_prev: decoder state :math:`s^{<t-1>}`, (n_s, m).
        a: encoder states, (n_a, m, T_x).
        params: ``W_s`` (n_e, n_s), ``W_a`` (n_e, n_a), ``b`` (n_e, 1), ``v`` (n_e, 1).
        mask: None or bool (m, T_x), True on real input positions (not padding).
        keys: optional precomputed :func:`attention_keys` ``(a, W_a)``, (n_e, m, T_x),
            so a decoder computes them once for all its steps. When given,
            the backward pass returns ``dkeys`` and leaves ``W_a`` to the caller.

    Returns:
        (context, alpha), cache: context (n_a, m), alpha (m, T_x).
    """
    s_prev = as_array("s_prev", s_prev, ndim=2)
    a = as_array("a", a, ndim=3)
    n_a, m, T_x = a.shape
    n_e, n_s = params["W_s"].shape
    check_shape("s_prev", s_prev, (n_s, m), "(n_s, m)")
    check_shape("a", a, (params["W_a"].shape[1], m, T_x), "(n_a, m, T_x)")
    mask = None if mask is None else _check_mask(mask, (m, T_x))
    own_keys = keys is None
    if own_keys:
        keys = attention_keys(a, params["W_a"])
    else:
        check_shape("keys", keys, (n_e, m, T_x), "(n_e, m, T_x)")
    query = params["W_s"] @ s_prev + params["b"]                     # (n_e, m)
    h = np.tanh(keys + query[:, :, None])                            # (n_e, m, T_x)
    scores = (params["v"].T @ h.reshape(n_e, m * T_x)).reshape(m, T_x)
    alpha = masked_softmax(scores, mask, axis=-1)
    context = np.sum(a * alpha[None], axis=2)                        # Σ_t' α^<t'> a^<t'>
    cache = (s_prev, a, params, h, alpha, own_keys)
    return (context, alpha), cache


def additive_attention_backward(dcontext, cache, dalpha=None):
    r"""Gradients of one additive-attention step.

    Args:
        dcontext: :math:`\partial J/\partial c`, (n_a, m).
        cache: from :func:`additive_attention_forward`.
        dalpha: optional extra :math:`\partial J/\partial \alpha`, (m, T_x).

    Returns:
        dict: ``ds_prev`` (n_s, m), ``da`` (n_a, m, T_x), ``dW_s``, ``db``, ``dv``
        (their parameters' shapes), and ``dW_a`` (n_e, n_a) when the forward pass
        computed the keys itself, ``dkeys`` (n_e, m, T_x) otherwise (``da`` then
        holds only the context's share: the caller adds :math:`W_a^\top dkeys`).
    """
    s_prev, a, params, h, alpha, own_keys = cache
    n_a, m, T_x = a.shape
    da = dcontext[:, :, None] * alpha[None]                           # c = Σ α a
    dalpha_total = np.sum(a * dcontext[:, :, None], axis=0)
    if dalpha is not None:
        dalpha_total = dalpha_total + dalpha
    dscores = softmax_backward(dalpha_total, alpha, axis=-1)          # (m, T_x)
    dh = params["v"][:, :, None] * dscores[None]                      # (n_e, m, T_x)
    dpre = dh * (1.0 - h * h)                                         # through tanh
    dquery = dpre.sum(axis=2)                                         # (n_e, m)
    grads = {"ds_prev": params["W_s"].T @ dquery,
             "dW_s": dquery @ s_prev.T,
             "db": dquery.sum(axis=1, keepdims=True),
             "dv": h.reshape(h.shape[0], -1) @ dscores.reshape(-1, 1)}
    if own_keys:
        flat = dpre.reshape(-1, m * T_x)
        grads["dW_a"] = flat @ a.reshape(n_a, m * T_x).T
        da = da + (params["W_a"].T @ flat).reshape(n_a, m, T_x)
    else:
        grads["dkeys"] = dpre
    grads["da"] = da
    return grads


def _check_qkv(Q, K, V):
    Q = as_array("Q", Q)
    K = as_array("K", K)
    V = as_array("V", V)
    for name, arr in (("Q", Q), ("K", K), ("V", V)):
        if arr.ndim not in (2, 3):
            raise ValueError(f"{name}: expected shape (T, d) or (m, T, d), got {arr.shape}")
        check_finite(name, arr)
    if not Q.ndim == K.ndim == V.ndim:
        raise ValueError(f"K: expected the rank of Q {Q.shape}, got K {K.shape}, V {V.shape}")
    lead = Q.shape[:-2]
    check_shape("K", K, (*lead, None, Q.shape[-1]), "(m, T_k, d_k): d_k and m as Q's")
    check_shape("V", V, (*lead, K.shape[-2], None), "(m, T_k, d_v): T_k and m as K's")
    return Q, K, V


def scaled_dot_product_attention(Q, K, V, mask=None, scale=True):
    r"""Scaled dot-product attention, :math:`\mathrm{softmax}(QK^\top/\sqrt{d_k} + \text{mask})V`.

    Each query (a row of Q) scores every key by a dot product, the scores are
    divided by :math:`\sqrt{d_k}` so that their spread does not grow with
    :math:`d_k`, and the softmax weights average the values.

    Args:
        Q: queries, (m, T_q, d_k), or (T_q, d_k) for one sequence.
        K: keys, (m, T_k, d_k) (or (T_k, d_k)).
        V: values, (m, T_k, d_v) (or (T_k, d_v)).
        mask: None, or bool (m, T_q, T_k) / (T_q, T_k); True where query i may
            attend to key j. Every query needs one True.
        scale: divide the scores by √d_k (False shows what goes wrong without it).

    Returns:
        (out, weights), cache: out (m, T_q, d_v), weights (m, T_q, T_k), each row
        summing to 1.
    """
    Q, K, V = _check_qkv(Q, K, V)
    c = 1.0 / np.sqrt(Q.shape[-1]) if scale else 1.0
    scores = (Q @ np.swapaxes(K, -1, -2)) * c                         # (m, T_q, T_k)
    mask = _check_mask(mask, scores.shape)
    weights = masked_softmax(scores, mask, axis=-1)
    out = weights @ V
    return (out, weights), (Q, K, V, weights, c)


def scaled_dot_product_attention_backward(dout, cache, dweights=None):
    r"""Gradients of :func:`scaled_dot_product_attention`.

    With :math:`S = cQK^\top`, :math:`P = \mathrm{softmax}(S)`, :math:`O = PV`:
    :math:`dV = P^\top dO`, :math:`dP = dO\,V^\top`, :math:`dS = P \odot (dP - \sum_j P \odot dP)`,
    :math:`dQ = c\,dS\,K`, :math:`dK = c\,dS^\top Q`.

    Args:
        dout: (m, T_q, d_v), the gradient of ``out``.
        cache: from the forward pass.
        dweights: optional extra gradient of ``weights``, (m, T_q, T_k).

    Returns:
        dict ``dQ``, ``dK``, ``dV`` in the shapes of Q, K, V.
    """
    Q, K, V, P, c = cache
    dout = as_array("dout", dout)
    check_shape("dout", dout, (*P.shape[:-1], V.shape[-1]), "(m, T_q, d_v)")
    dV = np.swapaxes(P, -1, -2) @ dout
    dP = dout @ np.swapaxes(V, -1, -2)
    if dweights is not None:
        dP = dP + dweights
    dS = softmax_backward(dP, P, axis=-1) * c
    return {"dQ": dS @ K, "dK": np.swapaxes(dS, -1, -2) @ Q, "dV": dV}


def scaled_dot_product_attention_loop(Q, K, V, mask=None, scale=True):
    """The same arithmetic, one example at a time with 2-d matrix products.

    The plain formulation the benchmark compares with; inputs and outputs as
    :func:`scaled_dot_product_attention` for 3-d Q, K, V (m, T, d), without
    the cache. Returns (out, weights).
    """
    Q, K, V = _check_qkv(Q, K, V)
    if Q.ndim != 3:
        raise ValueError(f"Q: expected shape (m, T_q, d_k), got {Q.shape}")
    m, T_q, d_k = Q.shape
    mask = _check_mask(mask, (m, T_q, K.shape[1]))
    c = 1.0 / np.sqrt(d_k) if scale else 1.0
    out = np.empty((m, T_q, V.shape[2]))
    weights = np.empty((m, T_q, K.shape[1]))
    for i in range(m):
        S = (Q[i] @ K[i].T) * c
        if mask is not None:
            S = np.where(mask[i], S, -np.inf)
        E = np.exp(S - S.max(axis=1, keepdims=True))
        weights[i] = E / E.sum(axis=1, keepdims=True)
        out[i] = weights[i] @ V[i]
    return out, weights


def scaled_dot_product_attention_loop_backward(dout, Q, K, V, weights, scale=True):
    """Backward of the loop form, one example at a time; returns dict dQ, dK, dV."""
    c = 1.0 / np.sqrt(Q.shape[-1]) if scale else 1.0
    dQ, dK, dV = np.empty_like(Q), np.empty_like(K), np.empty_like(V)
    for i in range(Q.shape[0]):
        P = weights[i]
        dV[i] = P.T @ dout[i]
        dP = dout[i] @ V[i].T
        dS = P * (dP - (dP * P).sum(axis=1, keepdims=True)) * c
        dQ[i] = dS @ K[i]
        dK[i] = dS.T @ Q[i]
    return {"dQ": dQ, "dK": dK, "dV": dV}


def self_attention(X, W_q, W_k, W_v, mask=None):
    r"""Self-attention of one sequence: queries, keys and values are projections of the same X.

    Args:
        X: (T, d_model), one row per position.
        W_q, W_k: (d_model, d_k); W_v: (d_model, d_v).
        mask: None or bool (T, T).

    Returns:
        (out, weights): (T, d_v) and the (T, T) weight matrix, rows summing to 1.
    """
    X = as_array("X", X, ndim=2)
    for name, W in (("W_q", W_q), ("W_k", W_k), ("W_v", W_v)):
        check_shape(name, as_array(name, W, ndim=2), (X.shape[1], None), "(d_model, d)")
    (out, weights), _ = scaled_dot_product_attention(X @ W_q, X @ W_k, X @ W_v, mask)
    return out, weights


softmax = masked_softmax
"""The issue's name for :func:`masked_softmax` (a softmax with an optional mask)."""
