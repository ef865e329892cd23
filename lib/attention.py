r"""Attention: a masked softmax, additive attention and scaled dot-product attention.

Chapter ``22_attention`` (the attention model) uses this module; :mod:`lib.seq2seq` builds
the date translator on the additive attention step taught here.

Additive attention (Bahdanau, Cho & Bengio 2014), one decoder step for all
``m`` examples: the decoder state :math:`s^{<t-1>}` (n_s, m) scores every
encoder state :math:`a^{<t'>}` (n_a, m), t' = 1 … T_x,

.. math::

    e^{<t,t'>} = v^\top \tanh(W_s s^{<t-1>} + W_a a^{<t'>} + b), \quad
    \alpha^{<t,t'>} = \mathrm{softmax}_{t'}(e^{<t,t'>}), \quad
    c^{<t>} = \sum_{t'} \alpha^{<t,t'>} a^{<t'>}.

Scaled dot-product attention (Vaswani et al. 2017), rows are positions:
:math:`\mathrm{softmax}(Q K^\top / \sqrt{d_k})\,V`.

The layers follow the package's contract (CONTRIBUTING, "The contract"):
``X_forward(...) -> (out, cache)`` and ``X_backward(dout, cache) -> grads``, a
dict keyed ``"d" + argument``. The attention weights are not an output: they
stay in the cache, and :func:`attention_weights` reads them from it.
"""
import math

import numpy as np

from lib._checks import as_float, check_parameters, check_positive_int, check_shape, make_rng


# ---------------------------------------------------------------- checks shared by the layers

def _as_mask(mask, shape, meaning, shared=None):
    """``mask`` as a bool array of ``shape`` (or ``shared``, one mask for every example), or None.

    Refuses other shapes (no silent broadcasting), values other than booleans
    or 0/1, and a row (the last axis) without a True: a query must attend somewhere.
    """
    if mask is None:
        return None
    arr = np.asarray(mask)
    if arr.dtype != bool:
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"mask: expected booleans (True = may attend), got dtype {arr.dtype}")
        if not np.all((arr == 0) | (arr == 1)):
            raise ValueError("mask: expected booleans (True = may attend) or 0/1, got other values")
        arr = arr.astype(bool)
    if arr.shape != tuple(shape) and (shared is None or arr.shape != tuple(shared)):
        also = f" or {tuple(shared)} for every example" if shared is not None else ""
        raise ValueError(f"mask: expected shape {tuple(shape)} {meaning}{also}, got {arr.shape}")
    if not np.all(np.any(arr, axis=-1)):
        raise ValueError("mask: every row needs at least one True (a position the query may attend to)")
    return arr


def _check_cache(cache, keys, source):
    if not isinstance(cache, dict) or not all(k in cache for k in keys):
        raise TypeError(f"cache: expected the cache of {source}, got {type(cache).__name__}")
    return cache


def _check_dout(name, dout, shape, dtype, meaning):
    """The upstream gradient: finite, of the forward output's shape, in its dtype."""
    dout = as_float(name, dout)
    check_shape(name, dout, shape, meaning)
    return dout.astype(dtype, copy=False)


def attention_weights(cache):
    r"""The attention weights :math:`\alpha` a forward pass kept in its cache (read-only).

    Args:
        cache: from :func:`additive_attention_forward` (weights (m, T_x), row i
            example i's :math:`\alpha^{<t'>}`), :func:`scaled_dot_product_attention_forward`
            or its loop form ((m, T_q, T_k), or (T_q, T_k) for 2-d inputs), or
            :func:`lib.seq2seq.seq2seq_forward` ((m, T_y, T_x)).

    Returns:
        the weights, every row non-negative and summing to 1 (0 where masked).
    """
    if not isinstance(cache, dict):
        raise TypeError(f"cache: expected the dict cache of an attention forward pass, "
                        f"got {type(cache).__name__}")
    if cache.get("weights") is None:
        raise ValueError("cache: holds no attention weights (a cache of a model without attention, "
                         "or not of an attention forward pass)")
    weights = cache["weights"].view()
    weights.flags.writeable = False     # the backward pass reads them: look, do not touch
    return weights


# ---------------------------------------------------------------- the masked softmax

def masked_softmax(z, mask=None):
    r"""Softmax along the last axis that gives exactly 0 weight where ``mask`` is False.

    :math:`\alpha_i = \mathbb{1}[\text{mask}_i]\, e^{z_i - M} / \sum_j \mathbb{1}[\text{mask}_j]\, e^{z_j - M}`,
    with :math:`M` the largest unmasked score, so every exponent is :math:`\le 0`
    and nothing overflows (scores of ±1000 are fine).

    Args:
        z: scores of any shape, the positions along the last axis, e.g. (m, T_x)
            for one decoder step.
        mask: None, or booleans of z's shape; True where a position may be
            attended. Every row (along the last axis) needs at least one True.

    Returns:
        array of z's shape, non-negative, each row summing to 1, 0 where masked.
    """
    z = as_float("z", z)
    mask = _as_mask(mask, z.shape, "(z's shape)")
    if mask is not None:
        z = np.where(mask, z, -np.inf)     # exp(-inf) = 0: masked positions get no weight
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


# ---------------------------------------------------------------- additive attention

def initialize_additive_attention(n_s, n_a, n_e, seed=0):
    """Parameters of :func:`additive_attention_forward`, small Gaussian (Xavier-scaled).

    Args:
        n_s: size of the decoder state; n_a: size of an encoder state;
        n_e: size of the attention layer (rows of W_s and W_a).
        seed: an int >= 0 or None.

    Returns:
        dict with ``W_s`` (n_e, n_s), ``W_a`` (n_e, n_a), ``b`` (n_e, 1), ``v`` (n_e, 1).
    """
    n_s, n_a, n_e = (check_positive_int(k, v) for k, v in (("n_s", n_s), ("n_a", n_a), ("n_e", n_e)))
    rng = make_rng(seed)
    return {"W_s": rng.normal(0, 1 / math.sqrt(n_s), (n_e, n_s)),
            "W_a": rng.normal(0, 1 / math.sqrt(n_a), (n_e, n_a)),
            "b": np.zeros((n_e, 1)),
            "v": rng.normal(0, 1 / math.sqrt(n_e), (n_e, 1))}


def _check_additive(s_prev, a, parameters, mask):
    s_prev = as_float("s_prev", s_prev, ndim=2, meaning="(n_s, m)")
    a = as_float("a", a, ndim=3, meaning="(n_a, m, T_x)")
    n_a, m, T_x = a.shape
    source = "initialize_additive_attention"
    p = check_parameters("parameters", parameters, {"W_s": (None, None), "W_a": (None, n_a),
                                                   "b": (None, 1), "v": (None, 1)}, source)
    n_e, n_s = p["W_s"].shape
    for key, shape in (("W_a", (n_e, n_a)), ("b", (n_e, 1)), ("v", (n_e, 1))):
        check_shape(f"parameters[{key!r}]", p[key], shape, "(n_e = the rows of W_s; n_a as a's)")
    check_shape("s_prev", s_prev, (n_s, m), "(n_s, m): n_s the columns of W_s, m as a's")
    mask = _as_mask(mask, (m, T_x), "(m, T_x)")
    dtype = np.result_type(s_prev, a, *p.values())
    return (s_prev.astype(dtype, copy=False), a.astype(dtype, copy=False),
            {k: v.astype(dtype, copy=False) for k, v in p.items()}, mask)


def additive_attention_forward(s_prev, a, parameters, mask=None):
    r"""One step of additive attention: scores, weights and context for all m examples.

    .. math::

        e^{<t'>} = v^\top \tanh(W_s s^{<t-1>} + W_a a^{<t'>} + b),\quad
        \alpha = \mathrm{softmax}_{t'}(e),\quad c = \sum_{t'} \alpha^{<t'>} a^{<t'>}.

    Args:
        s_prev: decoder state :math:`s^{<t-1>}`, (n_s, m).
        a: encoder states, (n_a, m, T_x).
        parameters: ``W_s`` (n_e, n_s), ``W_a`` (n_e, n_a), ``b`` (n_e, 1), ``v`` (n_e, 1).
        mask: None or bool (m, T_x), True on real input positions (not padding).

    Returns:
        (context, cache): context (n_a, m); the weights alpha (m, T_x) are in
        the cache, read them with :func:`attention_weights`.
    """
    s_prev, a, p, mask = _check_additive(s_prev, a, parameters, mask)
    n_a, m, T_x = a.shape
    n_e = p["W_a"].shape[0]
    keys = (p["W_a"] @ a.reshape(n_a, m * T_x)).reshape(n_e, m, T_x)   # W_a a^<t'>, all t' at once
    query = p["W_s"] @ s_prev + p["b"]                                  # W_s s^<t-1> + b, (n_e, m)
    h = np.tanh(keys + query[:, :, None])                               # (n_e, m, T_x)
    scores = (p["v"].T @ h.reshape(n_e, m * T_x)).reshape(m, T_x)       # e^<t'> = v^T h^<t'>
    alpha = masked_softmax(scores, mask)                                # (m, T_x), rows sum to 1
    context = np.sum(a * alpha[None], axis=2)                           # c = Σ_t' α^<t'> a^<t'>
    return context, {"s_prev": s_prev, "a": a, "parameters": p, "h": h, "weights": alpha}


def additive_attention_backward(dcontext, cache):
    r"""Gradients of one additive-attention step: the three equations in reverse.

    .. math::

        d\alpha^{<t'>} = a^{<t'>\top} dc, \quad
        de = \alpha \odot (d\alpha - \textstyle\sum_{t'} \alpha\, d\alpha), \quad
        dh = v\, de \odot (1 - h^2),

    then :math:`dW_s`, :math:`db`, :math:`ds^{<t-1>}` from the query's share
    (:math:`\sum_{t'} dh`), :math:`dW_a` and part of :math:`da` from the keys',
    and :math:`da^{<t'>} \mathrel{+}= \alpha^{<t'>} dc` from the context.

    Args:
        dcontext: :math:`\partial J/\partial c`, (n_a, m).
        cache: from :func:`additive_attention_forward`.

    Returns:
        dict ``ds_prev`` (n_s, m), ``da`` (n_a, m, T_x), ``dW_s``, ``dW_a``, ``db``,
        ``dv`` (their parameters' shapes).
    """
    s_prev, a, p, h, alpha = (_check_cache(cache, ("s_prev", "a", "parameters", "h", "weights"),
                                           "additive_attention_forward")[k]
                              for k in ("s_prev", "a", "parameters", "h", "weights"))
    n_a, m, T_x = a.shape
    n_e = h.shape[0]
    dc = _check_dout("dcontext", dcontext, (n_a, m), a.dtype, "(n_a, m)")
    dalpha = np.sum(a * dc[:, :, None], axis=0)                                # (m, T_x)
    dscores = alpha * (dalpha - np.sum(alpha * dalpha, axis=1, keepdims=True))  # through the softmax
    dpre = (1.0 - h * h) * (p["v"][:, :, None] * dscores[None])                # through v^T and tanh
    dquery = dpre.sum(axis=2)                                                  # (n_e, m)
    dkeys = dpre.reshape(n_e, m * T_x)
    return {"ds_prev": p["W_s"].T @ dquery,
            "da": dc[:, :, None] * alpha[None] + (p["W_a"].T @ dkeys).reshape(n_a, m, T_x),
            "dW_s": dquery @ s_prev.T,
            "dW_a": dkeys @ a.reshape(n_a, m * T_x).T,
            "db": dquery.sum(axis=1, keepdims=True),
            "dv": h.reshape(n_e, m * T_x) @ dscores.reshape(m * T_x, 1)}


# ---------------------------------------------------------------- scaled dot-product attention

def _check_qkv(Q, K, V, mask, scale, ranks=(2, 3)):
    """Q, K, V in one float dtype, consistent shapes; the mask as bool or None."""
    Q, K, V = (as_float(n, x) for n, x in (("Q", Q), ("K", K), ("V", V)))
    if Q.ndim not in ranks:
        want = " or ".join(("(T_q, d_k)", "(m, T_q, d_k)")[r - 2] for r in ranks)
        raise ValueError(f"Q: expected shape {want}, got {Q.shape}")
    lead = Q.shape[:-2]
    check_shape("K", K, (*lead, None, Q.shape[-1]), "(m, T_k, d_k): m and d_k as Q's")
    check_shape("V", V, (*lead, K.shape[-2], None), "(m, T_k, d_v): m and T_k as K's")
    if not isinstance(scale, bool):
        raise TypeError(f"scale: expected True or False, got {type(scale).__name__} {scale!r}")
    shape = (*lead, Q.shape[-2], K.shape[-2])
    mask = _as_mask(mask, shape, "(m, T_q, T_k)" if lead else "(T_q, T_k)",
                    shared=shape[-2:] if lead else None)
    dtype = np.result_type(Q, K, V)
    return Q.astype(dtype, copy=False), K.astype(dtype, copy=False), V.astype(dtype, copy=False), mask


def _softmax_rows(S, blocked=None, culprit="Q", axis=-1):
    """In place: the scores S become their softmax along ``axis`` (the positions); returns S.

    ``blocked``: None, or booleans broadcastable to S, True where a position
    gets no weight. Subtract each row's largest score, exponentiate in place,
    multiply by the reciprocal of the row sum: no temporary the size of S, and
    every exponent is <= 0, so nothing overflows. Scores that overflowed before
    (inf) are refused, naming ``culprit``, the argument they came from.
    """
    if blocked is not None:
        np.copyto(S, -np.inf, where=blocked)          # exp(-inf) = 0: no weight where blocked
    top = np.max(S, axis=axis, keepdims=True)
    if not np.all(np.isfinite(top)):
        raise ValueError(f"{culprit}: the attention scores overflow {S.dtype}; scale the inputs down")
    S -= top
    np.exp(S, out=S)
    total = np.sum(S, axis=axis, keepdims=True)
    S *= np.reciprocal(total, out=total)
    return S


def scaled_dot_product_attention_forward(Q, K, V, mask=None, scale=True):
    r"""Scaled dot-product attention, :math:`\mathrm{softmax}(QK^\top/\sqrt{d_k})\,V`, masked, batched.

    The arithmetic of :func:`scaled_dot_product_attention_loop_forward` for all
    m examples at once: each product is one batched ``matmul`` over the stack,
    and the softmax runs in place on the scores. The scores are stored
    key-major, ``St[j, ..., i]`` = :math:`S_{ij}` (shape (T_k, m, T_q)), so the
    softmax's maximum and sum over the keys run down the first axis, where
    numpy vectorises them over all m·T_q queries at once; the weights are a
    transposed view of that array.

    Args:
        Q: queries, (m, T_q, d_k), or (T_q, d_k) for one sequence.
        K: keys, (m, T_k, d_k) (or (T_k, d_k)).
        V: values, (m, T_k, d_v) (or (T_k, d_v)).
        mask: None, or bool (m, T_q, T_k), or (T_q, T_k) for every example;
            True where query i may attend to key j. Every query needs one True.
        scale: divide the scores by √d_k (False shows what goes wrong without it).

    Returns:
        (out, cache): out (m, T_q, d_v) (or (T_q, d_v)); the weights
        (m, T_q, T_k), each row summing to 1, are in the cache: :func:`attention_weights`.
    """
    Q, K, V, mask = _check_qkv(Q, K, V, mask, scale)
    c = 1.0 / math.sqrt(Q.shape[-1]) if scale else 1.0
    Qc = Q * c                                          # scale the queries: cheaper than the scores
    St = np.empty((K.shape[-2],) + Q.shape[:-1], Q.dtype)          # (T_k, m, T_q)
    lead = tuple(range(1, St.ndim - 1))                 # the example axis, if any
    with np.errstate(over="ignore"):                    # an overflow is refused by the softmax
        np.matmul(K, np.swapaxes(Qc, -1, -2), out=St.transpose(*lead, 0, -1))   # S^T = K Qc^T
    P = St.transpose(*lead, -1, 0)                      # the weights' view, (m, T_q, T_k)
    if mask is not None:
        np.copyto(P, -np.inf, where=~mask)              # exp(-inf) = 0: no weight where masked
    _softmax_rows(St, axis=0)                           # along the keys, in place
    out = np.matmul(P, V)
    return out, {"Qc": Qc, "K": K, "V": V, "St": St, "weights": P, "out": out, "c": c}


def scaled_dot_product_attention_backward(dout, cache):
    r"""Gradients of :func:`scaled_dot_product_attention_forward`.

    With :math:`S = cQK^\top`, :math:`P = \mathrm{softmax}(S)`, :math:`O = PV`:
    :math:`dV = P^\top dO`, :math:`dP = dO\,V^\top`,
    :math:`dS = P \odot (dP - \sum_j P \odot dP)`, :math:`dQ = c\,dS\,K`,
    :math:`dK = c\,dS^\top Q`. The row sums :math:`\sum_j P_{ij}\, dP_{ij}` equal
    :math:`dO_i \cdot O_i` (since :math:`O_i = \sum_j P_{ij} V_j`), a product
    over d_v instead of T_k. dS is formed in place, key-major as the scores.

    Args:
        dout: the gradient of ``out``, (m, T_q, d_v) (or (T_q, d_v)).
        cache: from the forward pass.

    Returns:
        dict ``dQ``, ``dK``, ``dV`` in the shapes of Q, K, V.
    """
    Qc, K, V, St, P, out, c = (_check_cache(cache, ("Qc", "K", "V", "St", "weights", "out", "c"),
                                            "scaled_dot_product_attention_forward")[k]
                               for k in ("Qc", "K", "V", "St", "weights", "out", "c"))
    dout = _check_dout("dout", dout, out.shape, out.dtype, "(m, T_q, d_v), the shape of out")
    dV = np.matmul(np.swapaxes(P, -1, -2), dout)
    dSt = np.empty_like(St)                              # dP^T, key-major, turned into dS^T in place:
    lead = tuple(range(1, St.ndim - 1))
    np.matmul(V, np.swapaxes(dout, -1, -2), out=dSt.transpose(*lead, 0, -1))
    dSt -= np.einsum("...qd,...qd->...q", dout, out)     #   dP − Σ_j P ⊙ dP
    dSt *= St                                            #   P ⊙ (dP − Σ_j P ⊙ dP)
    dS = dSt.transpose(*lead, -1, 0)                     # (m, T_q, T_k)
    dQ = np.matmul(dS, K)
    dQ *= c
    return {"dQ": dQ, "dK": np.matmul(np.swapaxes(dS, -1, -2), Qc), "dV": dV}


def scaled_dot_product_attention_loop_forward(Q, K, V, mask=None, scale=True):
    r"""Scaled dot-product attention, one example at a time: :math:`\mathrm{softmax}(QK^\top/\sqrt{d_k})\,V`.

    For example i: the scores :math:`S = Q_i K_i^\top / \sqrt{d_k}` (T_q, T_k), one
    row per query; :math:`-\infty` where the mask hides a key; the softmax of each
    row (its largest score subtracted first, so nothing overflows); then the
    weighted average of the values, :math:`P V_i`. The plain formulation that
    :func:`scaled_dot_product_attention_forward` batches (a test checks that
    they agree).

    Args:
        Q: queries, (m, T_q, d_k). K: keys, (m, T_k, d_k). V: values, (m, T_k, d_v).
        mask: None, or bool (m, T_q, T_k), or (T_q, T_k) for every example;
            True where query i may attend to key j. Every query needs one True.
        scale: divide the scores by √d_k.

    Returns:
        (out, cache): out (m, T_q, d_v); the weights (m, T_q, T_k) are in the
        cache (:func:`attention_weights`).
    """
    Q, K, V, mask = _check_qkv(Q, K, V, mask, scale, ranks=(3,))
    m, T_q, d_k = Q.shape
    c = 1.0 / math.sqrt(d_k) if scale else 1.0
    out = np.empty((m, T_q, V.shape[2]), dtype=Q.dtype)
    weights = np.empty((m, T_q, K.shape[1]), dtype=Q.dtype)
    for i in range(m):
        with np.errstate(over="ignore"):               # an overflow is refused just below
            S = (Q[i] @ K[i].T) * c
        if mask is not None:
            S = np.where(mask[i] if mask.ndim == 3 else mask, S, -np.inf)
        top = S.max(axis=1, keepdims=True)
        if not np.all(np.isfinite(top)):
            raise ValueError(f"Q: the attention scores overflow {S.dtype}; scale the inputs down")
        E = np.exp(S - top)
        weights[i] = E / E.sum(axis=1, keepdims=True)
        out[i] = weights[i] @ V[i]
    return out, {"Q": Q, "K": K, "V": V, "weights": weights, "c": c}


def scaled_dot_product_attention_loop_backward(dout, cache):
    """Backward of the loop form, one example at a time; returns dict dQ, dK, dV."""
    Q, K, V, weights, c = (_check_cache(cache, ("Q", "K", "V", "weights", "c"),
                                        "scaled_dot_product_attention_loop_forward")[k]
                           for k in ("Q", "K", "V", "weights", "c"))
    dout = _check_dout("dout", dout, (*weights.shape[:2], V.shape[2]), V.dtype,
                       "(m, T_q, d_v), the shape of out")
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

    :math:`Q = XW_q`, :math:`K = XW_k`, :math:`V = XW_v`, then
    :func:`scaled_dot_product_attention_forward`.

    Args:
        X: (T, d_model), one row per position.
        W_q, W_k: (d_model, d_k); W_v: (d_model, d_v).
        mask: None or bool (T, T).

    Returns:
        (out, weights): (T, d_v) and the (T, T) weight matrix, rows summing to 1.
    """
    X = as_float("X", X, ndim=2, meaning="(T, d_model)")
    W = {name: check_shape(name, as_float(name, w, ndim=2, meaning="(d_model, d)"),
                           (X.shape[1], None), "(d_model, d): d_model the columns of X")
         for name, w in (("W_q", W_q), ("W_k", W_k), ("W_v", W_v))}
    check_shape("W_k", W["W_k"], (X.shape[1], W["W_q"].shape[1]), "(d_model, d_k), as W_q")
    out, cache = scaled_dot_product_attention_forward(X @ W["W_q"], X @ W["W_k"], X @ W["W_v"], mask)
    return out, attention_weights(cache)
