r"""The Transformer's building blocks (Vaswani et al. 2017), forward and backward, in numpy.

Positional encoding, the causal mask, layer normalisation, multi-head
attention and the position-wise feed-forward network: the pieces an encoder
or decoder block is made of. Each head of multi-head attention is
:func:`lib.attention.scaled_dot_product_attention_forward`, reused, not
written again.

**Layout.** A batch of sequences is ``X`` (m, T, d_model): example i, position
t, feature k is ``X[i, t, k]``, so each position is a *row*, the layout of
:mod:`lib.attention`'s Q, K, V (m, T, d). It is the book's (n_x, m, T_x)
with d_model = n_x and the axes reordered: ``X = x.transpose(1, 2, 0)`` and
``x = X.transpose(2, 0, 1)``. As rows, a projection is ``X @ W`` with ``W``
(d_model, d): the transpose of the book's column form ``W x``. So the weights
here are the transposes of the lecture's, as in the paper's own equations
(:math:`XW^Q`, :math:`\max(0, xW_1 + b_1)W_2 + b_2`).

Layers (CONTRIBUTING, "The contract"): ``X_forward(...) -> (out, cache)`` and
``X_backward(dout, cache) -> grads`` keyed ``"d" + argument`` and
``"d" + parameter key``. No layer divides by m: the cost's gradient carries
the 1/m.
"""
import math

import numpy as np

from lib._checks import (as_float, check_parameters, check_positive, check_positive_int, check_shape,
                         common_float, make_rng)
from lib.attention import (_as_mask, scaled_dot_product_attention_backward,
                           scaled_dot_product_attention_forward)

# ---------------------------------------------------------------- shared private checks


def _check_cache(cache, layer, producer):
    if not isinstance(cache, dict) or cache.get("layer") != layer:
        raise TypeError(f"cache: expected the cache that {producer} returned, got {type(cache).__name__}")
    return cache


def _upstream(dout, shape, dtype, meaning):
    """The upstream gradient: finite, of the forward output's shape, in its dtype."""
    dout = as_float("dout", dout)
    check_shape("dout", dout, shape, meaning)
    return dout.astype(dtype, copy=False)


def _sequences(name, X):
    """A batch of sequences (m, T, d_model), finite, non-empty."""
    return as_float(name, X, ndim=3, meaning="(m, T, d_model)")


# ---------------------------------------------------------------- positions and masks

def positional_encoding(T, d_model):
    r"""The sinusoidal positional encoding of Vaswani et al. (2017), (T, d_model), float64.

    .. math::

        PE_{pos, 2i} = \sin(pos\,\omega_i), \quad PE_{pos, 2i+1} = \cos(pos\,\omega_i), \quad
        \omega_i = 10000^{-2i/d_{model}},

    for pos = 0 … T−1 and i = 0 … d_model/2 − 1. Every entry lies in [−1, 1];
    each pair of columns is a point turning round a circle at its own speed
    :math:`\omega_i`, so :math:`PE_{p} \cdot PE_{p+k} = \sum_i \cos(k\,\omega_i)`
    depends on the offset k only, not on p. Add it to the embeddings:
    ``X + positional_encoding(T, d_model)`` broadcasts over the m examples of
    X (m, T, d_model).

    Args:
        T: number of positions, an int >= 1.
        d_model: number of features, an even int >= 2 (sine and cosine in pairs).

    Returns:
        PE, (T, d_model), float64, row pos the encoding of position pos.
    """
    T = check_positive_int("T", T)
    d_model = check_positive_int("d_model", d_model, minimum=2)
    if d_model % 2:
        raise ValueError(f"d_model: expected an even integer (sines and cosines in pairs), got {d_model}")
    pos = np.arange(T, dtype=np.float64)[:, None]                             # (T, 1)
    omega = 10000.0 ** (-np.arange(0, d_model, 2) / d_model)                  # 10000^(-2i/d), (d/2,)
    angle = pos * omega                                                       # (T, d/2)
    pe = np.empty((T, d_model))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle)
    return pe


def causal_mask(T):
    r"""The decoder's causal mask: position t may attend to positions t' <= t only.

    ``mask[t, t'] = (t' <= t)``, a lower-triangular (T, T) array of booleans, in
    the form :func:`lib.attention.scaled_dot_product_attention_forward` takes
    (True = may attend; one (T_q, T_k) mask shared by all m examples). Every
    row holds a True (the diagonal), so every query attends somewhere. With it,
    output t never depends on inputs after t.

    Args:
        T: number of positions, an int >= 1.

    Returns:
        bool (T, T).
    """
    T = check_positive_int("T", T)
    return np.tril(np.ones((T, T), dtype=bool))


# ---------------------------------------------------------------- layer normalisation

def layer_norm_forward(x, gamma, beta, epsilon=1e-5):
    r"""Layer normalisation (Ba, Kiros & Hinton 2016) over the feature axis, the last one.

    For each position of each example, over its d features:

    .. math::

        \mu = \frac{1}{d}\sum_k x_k, \quad \sigma^2 = \frac{1}{d}\sum_k (x_k - \mu)^2, \quad
        \hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \quad
        \text{out} = \gamma \odot \hat x + \beta.

    Unlike batch normalisation it uses no statistic across examples, so it
    works the same for one example as for many and at any sequence length.

    Args:
        x: (m, T, d_model), or any shape whose last axis holds the d features.
        gamma: scale, (d_model,).
        beta: shift, (d_model,).
        epsilon: > 0, keeps the division finite for a constant row.

    Returns:
        (out, cache): out of x's shape. Valid for |x| up to about 1e150
        (float64) or 1e18 (float32), where the squares stay finite.
    """
    x = as_float("x", x)
    if x.ndim == 0:
        raise ValueError(f"x: expected an array (..., d_model), got shape {x.shape}")
    d = x.shape[-1]
    gamma = check_shape("gamma", as_float("gamma", gamma, ndim=1, meaning="(d_model,)"), (d,),
                        "(d_model,), d_model the last axis of x")
    beta = check_shape("beta", as_float("beta", beta, ndim=1, meaning="(d_model,)"), (d,),
                       "(d_model,), d_model the last axis of x")
    epsilon = float(check_positive("epsilon", epsilon))
    dtype = common_float(x, gamma, beta)
    x, gamma, beta = (a.astype(dtype, copy=False) for a in (x, gamma, beta))
    mu = x.mean(axis=-1, keepdims=True)
    xc = x - mu
    inv_std = 1.0 / np.sqrt((xc * xc).mean(axis=-1, keepdims=True) + epsilon)
    x_hat = xc * inv_std
    out = gamma * x_hat + beta
    return out, {"layer": "layer_norm", "x_hat": x_hat, "inv_std": inv_std, "gamma": gamma}


def layer_norm_backward(dout, cache):
    r"""Gradients of :func:`layer_norm_forward`.

    With :math:`d\hat x = dout \odot \gamma`, over the d features of each row:

    .. math::

        dx = \frac{1}{d\sqrt{\sigma^2+\epsilon}}\Big(d\,d\hat x - \sum_k d\hat x_k
             - \hat x \sum_k d\hat x_k \hat x_k\Big), \quad
        d\gamma = \sum_{\text{rows}} dout \odot \hat x, \quad d\beta = \sum_{\text{rows}} dout.

    Args:
        dout: gradient of out, x's shape.
        cache: from :func:`layer_norm_forward`.

    Returns:
        dict ``dx`` (x's shape), ``dgamma`` (d_model,), ``dbeta`` (d_model,).
    """
    cache = _check_cache(cache, "layer_norm", "layer_norm_forward")
    x_hat, inv_std, gamma = cache["x_hat"], cache["inv_std"], cache["gamma"]
    dout = _upstream(dout, x_hat.shape, x_hat.dtype, "(x's shape)")
    d = x_hat.shape[-1]
    rows = tuple(range(x_hat.ndim - 1))
    dx_hat = dout * gamma
    dx = (inv_std / d) * (d * dx_hat - dx_hat.sum(axis=-1, keepdims=True)
                          - x_hat * (dx_hat * x_hat).sum(axis=-1, keepdims=True))
    return {"dx": dx, "dgamma": (dout * x_hat).sum(axis=rows), "dbeta": dout.sum(axis=rows)}


# ---------------------------------------------------------------- multi-head attention

MHA_KEYS = ("W_q", "W_k", "W_v", "W_o")
"""The arrays of :func:`initialize_multi_head_attention`."""


def _check_n_heads(n_heads, d_model):
    n_heads = check_positive_int("n_heads", n_heads)
    if d_model % n_heads:
        raise ValueError(f"n_heads: expected a divisor of d_model = {d_model}, got {n_heads}")
    return n_heads


def initialize_multi_head_attention(d_model, n_heads, seed=0):
    r"""Parameters of :func:`multi_head_attention_forward`: W ~ N(0, 1/d_model), no biases.

    The scale :math:`1/\sqrt{d_{model}}` keeps every projected entry of order 1
    for inputs of order 1.

    Args:
        d_model: number of features, an int >= 1.
        n_heads: number of heads, an int >= 1 dividing d_model (each head has
            d_k = d_model / n_heads features).
        seed: an int >= 0 or None.

    Returns:
        dict (float64) ``W_q``, ``W_k``, ``W_v``, ``W_o``, each (d_model, d_model).
    """
    d_model = check_positive_int("d_model", d_model)
    _check_n_heads(n_heads, d_model)
    rng = make_rng(seed)
    return {k: rng.standard_normal((d_model, d_model)) / math.sqrt(d_model) for k in MHA_KEYS}


def _split_heads(A, n_heads):
    """(m, T, d_model) → (m·n_heads, T, d_k): head h of example i is row i·n_heads + h."""
    m, T, d_model = A.shape
    return A.reshape(m, T, n_heads, d_model // n_heads).transpose(0, 2, 1, 3).reshape(m * n_heads, T, -1)


def _merge_heads(A, m):
    """(m·n_heads, T, d_k) → (m, T, d_model): the heads' features side by side (the concatenation)."""
    mh, T, d_k = A.shape
    return A.reshape(m, mh // m, T, d_k).transpose(0, 2, 1, 3).reshape(m, T, -1)


def multi_head_attention_forward(X_q, X_kv, parameters, n_heads, mask=None):
    r"""Multi-head attention: n_heads scaled dot-product attentions side by side, then mixed.

    .. math::

        Q = X_q W_q,\ K = X_{kv} W_k,\ V = X_{kv} W_v, \quad
        \text{head}_h = \mathrm{softmax}\!\Big(\frac{Q_h K_h^\top}{\sqrt{d_k}}\Big) V_h, \quad
        \text{out} = [\text{head}_1, …, \text{head}_{n_{heads}}]\, W_o,

    where :math:`Q_h` is columns h·d_k … (h+1)·d_k − 1 of Q (the heads split
    the feature axis, d_k = d_model / n_heads), and each head is
    :func:`lib.attention.scaled_dot_product_attention_forward`, run on all
    m·n_heads (example, head) pairs in one batched call. No biases, as in the
    paper. Self-attention is ``X_q = X_kv = X``; its gradient with respect to
    X is then ``dX_q + dX_kv``.

    Args:
        X_q: (m, T_q, d_model), the sequences that ask (queries).
        X_kv: (m, T_k, d_model), the sequences attended to (keys and values).
        parameters: ``W_q``, ``W_k``, ``W_v``, ``W_o``, each (d_model, d_model),
            from :func:`initialize_multi_head_attention`.
        n_heads: an int >= 1 dividing d_model.
        mask: None, bool (T_q, T_k) shared by every example (e.g.
            :func:`causal_mask`), or (m, T_q, T_k); True where query t may attend
            to key t'. Every row needs a True. Shared by all heads.

    Returns:
        (out, cache): out (m, T_q, d_model). The heads' weights, (m, n_heads,
        T_q, T_k), are in the cache: :func:`multi_head_attention_weights`.
    """
    X_q = _sequences("X_q", X_q)
    m, T_q, d_model = X_q.shape
    X_kv = _sequences("X_kv", X_kv)
    check_shape("X_kv", X_kv, (m, None, d_model), "(m, T_k, d_model): m and d_model as X_q's")
    T_k = X_kv.shape[1]
    p = check_parameters("parameters", parameters, {k: (d_model, d_model) for k in MHA_KEYS},
                         "initialize_multi_head_attention")
    n_heads = _check_n_heads(n_heads, d_model)
    mask = _as_mask(mask, (m, T_q, T_k), "(m, T_q, T_k)", shared=(T_q, T_k))
    if mask is not None and mask.ndim == 3:
        mask = np.repeat(mask, n_heads, axis=0)                 # row i·n_heads + h: example i's mask
    dtype = common_float(X_q, X_kv, *p.values())
    X_q, X_kv = X_q.astype(dtype, copy=False), X_kv.astype(dtype, copy=False)
    p = {k: v.astype(dtype, copy=False) for k, v in p.items()}

    Q, K, V = X_q @ p["W_q"], X_kv @ p["W_k"], X_kv @ p["W_v"]          # (m, T, d_model) each
    try:
        heads, attention_cache = scaled_dot_product_attention_forward(
            _split_heads(Q, n_heads), _split_heads(K, n_heads), _split_heads(V, n_heads), mask)
    except ValueError as err:                      # scores that overflow: name this function's argument
        raise ValueError(f"X_q: {err}".replace(": Q: ", ": ")) from None
    concat = _merge_heads(heads, m)                                       # (m, T_q, d_model)
    out = concat @ p["W_o"]
    return out, {"layer": "multi_head_attention", "X_q": X_q, "X_kv": X_kv, "parameters": p,
                 "n_heads": n_heads, "concat": concat, "attention": attention_cache}


def multi_head_attention_backward(dout, cache):
    r"""Gradients of :func:`multi_head_attention_forward`: the projections, then each head.

    .. math::

        dW_o = \sum_{i,t} \text{concat}^\top dout, \quad d\,\text{concat} = dout\, W_o^\top,

    split d concat into the heads and run
    :func:`lib.attention.scaled_dot_product_attention_backward` for dQ, dK, dV;
    then :math:`dW_q = \sum X_q^\top dQ`, :math:`dW_k = \sum X_{kv}^\top dK`,
    :math:`dW_v = \sum X_{kv}^\top dV` (sums over examples and positions),
    :math:`dX_q = dQ\,W_q^\top`, :math:`dX_{kv} = dK\,W_k^\top + dV\,W_v^\top`.

    Args:
        dout: gradient of out, (m, T_q, d_model).
        cache: from :func:`multi_head_attention_forward`.

    Returns:
        dict ``dX_q`` (m, T_q, d_model), ``dX_kv`` (m, T_k, d_model), ``dW_q``,
        ``dW_k``, ``dW_v``, ``dW_o`` (d_model, d_model).
    """
    cache = _check_cache(cache, "multi_head_attention", "multi_head_attention_forward")
    X_q, X_kv, p, n_heads, concat = (cache[k] for k in ("X_q", "X_kv", "parameters", "n_heads", "concat"))
    m, T_q, d_model = X_q.shape
    dout = _upstream(dout, (m, T_q, d_model), X_q.dtype, "(m, T_q, d_model), the shape of out")
    dW_o = concat.reshape(-1, d_model).T @ dout.reshape(-1, d_model)
    g = scaled_dot_product_attention_backward(_split_heads(dout @ p["W_o"].T, n_heads), cache["attention"])
    dQ, dK, dV = (_merge_heads(g[k], m) for k in ("dQ", "dK", "dV"))
    rows_q, rows_kv = X_q.reshape(-1, d_model), X_kv.reshape(-1, d_model)
    return {"dX_q": dQ @ p["W_q"].T,
            "dX_kv": dK @ p["W_k"].T + dV @ p["W_v"].T,
            "dW_q": rows_q.T @ dQ.reshape(-1, d_model),
            "dW_k": rows_kv.T @ dK.reshape(-1, d_model),
            "dW_v": rows_kv.T @ dV.reshape(-1, d_model),
            "dW_o": dW_o}


def multi_head_attention_weights(cache):
    """The attention weights of every head, (m, n_heads, T_q, T_k), read-only, rows summing to 1.

    Args:
        cache: from :func:`multi_head_attention_forward`.
    """
    cache = _check_cache(cache, "multi_head_attention", "multi_head_attention_forward")
    P = cache["attention"]["weights"]
    m = cache["X_q"].shape[0]
    weights = P.reshape(m, cache["n_heads"], *P.shape[1:])
    weights.flags.writeable = False
    return weights


# ---------------------------------------------------------------- position-wise feed-forward network

FFN_KEYS = ("W_1", "b_1", "W_2", "b_2")
"""The arrays of :func:`initialize_feed_forward`."""


def initialize_feed_forward(d_model, d_ff, seed=0):
    r"""Parameters of :func:`feed_forward_forward`: He-scaled weights, zero biases.

    ``W_1`` ~ N(0, 2/d_model) (He et al. 2015, for the ReLU that follows),
    ``W_2`` ~ N(0, 1/d_ff).

    Args:
        d_model: features in and out, an int >= 1.
        d_ff: hidden units, an int >= 1 (the paper: 4·d_model).
        seed: an int >= 0 or None.

    Returns:
        dict (float64) ``W_1`` (d_model, d_ff), ``b_1`` (d_ff,), ``W_2`` (d_ff, d_model),
        ``b_2`` (d_model,).
    """
    d_model = check_positive_int("d_model", d_model)
    d_ff = check_positive_int("d_ff", d_ff)
    rng = make_rng(seed)
    return {"W_1": rng.standard_normal((d_model, d_ff)) * math.sqrt(2.0 / d_model),
            "b_1": np.zeros(d_ff),
            "W_2": rng.standard_normal((d_ff, d_model)) / math.sqrt(d_ff),
            "b_2": np.zeros(d_model)}


def feed_forward_forward(x, parameters):
    r"""The position-wise feed-forward network: one small ReLU network applied to every position.

    .. math::

        h = \max(0,\ x W_1 + b_1), \qquad \text{out} = h W_2 + b_2,

    for each row x (one position of one example), the same weights at every
    position. In the book's column form it is :math:`W_2^\top
    \mathrm{relu}(W_1^\top x + b_1) + b_2`: the lecture's two-layer network.

    Args:
        x: (m, T, d_model), or any shape whose last axis holds the d_model features.
        parameters: ``W_1`` (d_model, d_ff), ``b_1`` (d_ff,), ``W_2`` (d_ff, d_model),
            ``b_2`` (d_model,), from :func:`initialize_feed_forward`.

    Returns:
        (out, cache): out of x's shape.
    """
    x = as_float("x", x)
    if x.ndim == 0:
        raise ValueError(f"x: expected an array (..., d_model), got shape {x.shape}")
    d_model = x.shape[-1]
    source = "initialize_feed_forward"
    d_ff = check_parameters("parameters", parameters, {"W_1": (d_model, None)}, source)["W_1"].shape[1]
    shapes = {"W_1": (d_model, d_ff), "b_1": (d_ff,), "W_2": (d_ff, d_model), "b_2": (d_model,)}
    p = check_parameters("parameters", parameters, shapes, source)
    dtype = common_float(x, *p.values())
    x = x.astype(dtype, copy=False)
    p = {k: v.astype(dtype, copy=False) for k, v in p.items()}
    z = x @ p["W_1"] + p["b_1"]
    h = np.maximum(z, 0.0)
    out = h @ p["W_2"] + p["b_2"]
    return out, {"layer": "feed_forward", "x": x, "z": z, "h": h, "parameters": p}


def feed_forward_backward(dout, cache):
    r"""Gradients of :func:`feed_forward_forward`, summed over every position of every example.

    .. math::

        dW_2 = \sum h^\top dout, \quad db_2 = \sum dout, \quad
        dz = (dout\, W_2^\top) \odot \mathbb{1}[z > 0], \quad
        dW_1 = \sum x^\top dz, \quad db_1 = \sum dz, \quad dx = dz\, W_1^\top.

    Args:
        dout: gradient of out, x's shape.
        cache: from :func:`feed_forward_forward`.

    Returns:
        dict ``dx`` (x's shape), ``dW_1``, ``db_1``, ``dW_2``, ``db_2`` (their parameters' shapes).
    """
    cache = _check_cache(cache, "feed_forward", "feed_forward_forward")
    x, z, h, p = cache["x"], cache["z"], cache["h"], cache["parameters"]
    dout = _upstream(dout, x.shape[:-1] + (p["W_2"].shape[1],), x.dtype, "(x's shape)")
    d_model, d_ff = p["W_1"].shape
    dz = (dout @ p["W_2"].T) * (z > 0)
    return {"dx": dz @ p["W_1"].T,
            "dW_1": x.reshape(-1, d_model).T @ dz.reshape(-1, d_ff),
            "db_1": dz.reshape(-1, d_ff).sum(axis=0),
            "dW_2": h.reshape(-1, d_ff).T @ dout.reshape(-1, d_model),
            "db_2": dout.reshape(-1, d_model).sum(axis=0)}
