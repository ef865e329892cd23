r"""The encoder–decoder with attention that translates dates (chapter ``22_attention``).

The model, in the book's notation (sequences are (n_x, m, T_x)):

* **Encoder**: a bidirectional GRU over the one-hot input characters. The
  forward GRU reads :math:`x^{<1>} … x^{<T_x>}`, the backward one reads them
  in reverse; their states are stacked,
  :math:`a^{<t'>} = [\overrightarrow{a}^{<t'>}; \overleftarrow{a}^{<t'>}]`, (2 n_a, m).
  The GRU cell is chapter ``20_backprop_through_time``'s (:mod:`lib.gru`):
  :math:`z = \sigma(W_z x + U_z a + b_z)`, :math:`r = \sigma(W_r x + U_r a + b_r)`,
  :math:`\tilde a = \tanh(W_h x + U_h (r \odot a) + b_h)`,
  :math:`a^{<t>} = a^{<t-1>} + z \odot (\tilde a - a^{<t-1>})`.
* **Attention** (:func:`lib.attention.additive_attention_forward`): at output
  step t the decoder's previous state :math:`s^{<t-1>}` scores every
  :math:`a^{<t'>}`, :math:`e^{<t,t'>} = v^\top \tanh(W_s s^{<t-1>} + W_a a^{<t'>} + b)`;
  the weights :math:`\alpha^{<t,t'>}` (a softmax over the real, unpadded t')
  give the context :math:`c^{<t>} = \sum_{t'} \alpha^{<t,t'>} a^{<t'>}`.
* **Decoder**: a GRU cell whose input is :math:`[c^{<t>}; y^{<t-1>}]`, the context
  and the previous output character (one-hot; zeros at t = 1), and
  :math:`\hat y^{<t>} = \mathrm{softmax}(W_y s^{<t>} + b_y)`.

Without attention (``attention=False``) the context is the same vector at
every step, the encoder's final states :math:`[\overrightarrow{a}^{<T>};
\overleftarrow{a}^{<1>}]` (T the last real character): the fixed-length
encoding of Cho et al. (2014), everything else unchanged.

Training uses teacher forcing (the true previous character is fed), the mean
cross-entropy over the m·T_y output characters, gradients clipped by their
global norm and Adam (:mod:`lib.optimizers`); :func:`greedy_decode` feeds back
the model's own argmax.

The public functions check their arguments once; the work is done by the
private kernels below them, which :func:`train` calls directly. The kernels
run both encoder directions as one stack of two GRUs, keep every sequence
time-major ((T, n, m): each step reads and writes contiguous blocks), stack
the three gates of a GRU into one matrix product, and form the weight
gradients after the loops, one product over all steps. Arrays keep the
parameters' dtype: float32 parameters train in float32.
"""
import math

import numpy as np

from lib import dates as D
from lib._checks import (as_float, as_indices, check_parameters, check_positive, check_positive_int,
                         check_shape, common_float, make_rng)
from lib.activations import _sigmoid_in_place
from lib.attention import _softmax_rows
from lib.losses import softmax_cross_entropy
from lib.minibatch import length_buckets
from lib.optimizers import adam_update, clip_by_norm
from lib.text import one_hot_sequences

GATES = ("z", "r", "h")
GRU_NAMES = tuple(f"{kind}_{g}" for g in GATES for kind in ("W", "U", "b"))
"""The arrays of each of the three GRUs: ("W_z", "U_z", "b_z", …, "b_h")."""


# ---------------------------------------------------------------- parameters

def _initialize_gru(rng, n_in, n):
    """A GRU of n units on n_in inputs: W_* ~ N(0, 1/n_in), U_* ~ N(0, 1/n), biases 0."""
    gru = {}
    for g in GATES:
        gru[f"W_{g}"] = rng.standard_normal((n, n_in)) / math.sqrt(n_in)
        gru[f"U_{g}"] = rng.standard_normal((n, n)) / math.sqrt(n)
        gru[f"b_{g}"] = np.zeros((n, 1))
    return gru


def initialize_seq2seq(n_x=len(D.INPUT_VOCAB), n_y=len(D.OUTPUT_VOCAB), n_a=32, n_s=64, n_e=32,
                       seed=0):
    """Parameters of the translator, one flat dict ``"part.name" → array`` (float64).

    Args:
        n_x: input vocabulary size; n_y: output vocabulary size.
        n_a: hidden units of each encoder direction (the states are 2 n_a).
        n_s: hidden units of the decoder.
        n_e: size of the attention layer (rows of W_s and W_a).
        seed: an int >= 0 or None.

    Returns:
        dict with ``enc_f.*`` and ``enc_b.*`` (two GRUs n_x → n_a: ``W_*`` (n_a, n_x),
        ``U_*`` (n_a, n_a), ``b_*`` (n_a, 1)), ``dec.*`` (a GRU 2 n_a + n_y → n_s),
        ``att.W_s`` (n_e, n_s), ``att.W_a`` (n_e, 2 n_a), ``att.b`` (n_e, 1),
        ``att.v`` (n_e, 1), ``out.W_y`` (n_y, n_s), ``out.b_y`` (n_y, 1).
        A model without attention leaves the ``att.*`` arrays unused.
    """
    n_x, n_y, n_a, n_s, n_e = (check_positive_int(k, v) for k, v in
                               (("n_x", n_x), ("n_y", n_y), ("n_a", n_a), ("n_s", n_s), ("n_e", n_e)))
    rng = make_rng(seed)
    seeds = rng.integers(2**31, size=3)
    parameters = {}
    for part, n_in, n, s in (("enc_f", n_x, n_a, seeds[0]), ("enc_b", n_x, n_a, seeds[1]),
                             ("dec", 2 * n_a + n_y, n_s, seeds[2])):
        gru = _initialize_gru(np.random.default_rng(s), n_in, n)
        parameters.update({f"{part}.{k}": v for k, v in gru.items()})
    parameters["att.W_s"] = rng.normal(0, 1 / math.sqrt(n_s), (n_e, n_s))
    parameters["att.W_a"] = rng.normal(0, 1 / math.sqrt(2 * n_a), (n_e, 2 * n_a))
    parameters["att.b"] = np.zeros((n_e, 1))
    parameters["att.v"] = rng.normal(0, 1 / math.sqrt(n_e), (n_e, 1))
    parameters["out.W_y"] = rng.normal(0, 1 / math.sqrt(n_s), (n_y, n_s))
    parameters["out.b_y"] = np.zeros((n_y, 1))
    return parameters


def _check_parameters(parameters):
    """Every array of :func:`initialize_seq2seq` present, of consistent shapes, finite."""
    source = "initialize_seq2seq"
    first = check_parameters("parameters", parameters, {"enc_f.W_z": (None, None), "dec.U_z": (None, None),
                                                       "out.W_y": (None, None), "att.W_s": (None, None)},
                             source)
    n_a, n_x = first["enc_f.W_z"].shape
    n_s, n_y, n_e = first["dec.U_z"].shape[0], first["out.W_y"].shape[0], first["att.W_s"].shape[0]
    shapes = {}
    for part, n_in, n in (("enc_f", n_x, n_a), ("enc_b", n_x, n_a), ("dec", 2 * n_a + n_y, n_s)):
        for g in GATES:
            shapes.update({f"{part}.W_{g}": (n, n_in), f"{part}.U_{g}": (n, n), f"{part}.b_{g}": (n, 1)})
    shapes.update({"att.W_s": (n_e, n_s), "att.W_a": (n_e, 2 * n_a), "att.b": (n_e, 1), "att.v": (n_e, 1),
                   "out.W_y": (n_y, n_s), "out.b_y": (n_y, 1)})
    unknown = sorted(set(parameters) - set(shapes))
    if unknown:
        raise ValueError(f"parameters: unexpected keys {unknown}; expected those of {source}")
    return check_parameters("parameters", parameters, shapes, source)


def _cast(parameters, dtype):
    return {k: v.astype(dtype, copy=False) for k, v in parameters.items()}


def _gru(parameters, part):
    """One GRU's arrays, the gates stacked (z, r, h): W (3n, n_in), b (3n, 1), U_zr (2n, n), U_h (n, n)."""
    p = [parameters[f"{part}.{k}"] for k in GRU_NAMES]
    return (np.concatenate(p[0::3]), np.concatenate(p[2::3]), np.concatenate(p[1:5:3]), p[7])


def _gru_grads(part, dW, db, dU_zr, dU_h):
    """Split stacked gradients back into ``"d" + name`` entries of one GRU."""
    n = dU_h.shape[0]
    grads = {}
    for k, g in enumerate(GATES):
        grads[f"d{part}.W_{g}"] = dW[k * n:(k + 1) * n]
        grads[f"d{part}.b_{g}"] = db[k * n:(k + 1) * n]
    grads[f"d{part}.U_z"], grads[f"d{part}.U_r"], grads[f"d{part}.U_h"] = dU_zr[:n], dU_zr[n:], dU_h
    return grads


# ---------------------------------------------------------------- the GRU kernels

def _gru_step(gx, a_prev, U_zr, U_h, zr, a_tilde, a_next):
    """One GRU step for a stack of GRUs; gx = W x^<t> + b (…, 3n, m), outputs written in place."""
    n = U_h.shape[-1]
    np.matmul(U_zr, a_prev, out=zr)
    zr += gx[..., :2 * n, :]
    _sigmoid_in_place(zr)
    np.matmul(U_h, zr[..., n:, :] * a_prev, out=a_tilde)
    a_tilde += gx[..., 2 * n:, :]
    np.tanh(a_tilde, out=a_tilde)
    np.subtract(a_tilde, a_prev, out=a_next)                  # a = a_prev + z (ã − a_prev)
    a_next *= zr[..., :n, :]
    a_next += a_prev


def _gru_step_backward(delta, a_prev, zr, a_tilde, U_zr, U_h, dg):
    """Backward of :func:`_gru_step` given δ = ∂J/∂a^<t> (…, n, m): writes the gates'
    pre-activation gradients [d_z; d_r; d_h] into dg (…, 3n, m), returns ∂J/∂a^<t-1>."""
    n = U_h.shape[-1]
    z, r = zr[..., :n, :], zr[..., n:, :]
    d_z, d_r, d_h = dg[..., :n, :], dg[..., n:2 * n, :], dg[..., 2 * n:, :]
    np.multiply(a_tilde, a_tilde, out=d_h)                    # d_h = δ z (1 − ã²)
    np.subtract(1.0, d_h, out=d_h)
    d_h *= z
    d_h *= delta
    one_minus_z = 1.0 - z
    np.multiply(one_minus_z, z, out=d_z)                      # d_z = δ (ã − a_prev) z (1 − z)
    d_z *= delta
    d_z *= a_tilde - a_prev
    d_ra = np.matmul(np.swapaxes(U_h, -1, -2), d_h)           # gradient of r ⊙ a_prev
    np.subtract(1.0, r, out=d_r)                              # d_r = d_ra a_prev r (1 − r)
    d_r *= r
    d_r *= a_prev
    d_r *= d_ra
    da_prev = np.matmul(np.swapaxes(U_zr, -1, -2), dg[..., :2 * n, :])   # U_z^T d_z + U_r^T d_r
    d_ra *= r
    da_prev += d_ra
    one_minus_z *= delta
    da_prev += one_minus_z                                    # + δ (1 − z) + (U_h^T d_h) ⊙ r
    return da_prev


# ---------------------------------------------------------------- the encoder

def _reverse_within_length(mask):
    """Time indices (m, T_x) that reverse each example's real characters and keep its padding.

    ``perm[i, t] = L_i - 1 - t`` for ``t < L_i`` (the example's length), ``t`` after it.
    The backward GRU reads ``x[:, i, perm[i]]``: the real characters last to
    first, then the padding, so its states on the real characters do not
    depend on how much padding follows. The permutation is its own inverse.
    """
    m, T_x = mask.shape
    lengths = mask.sum(axis=1)
    t = np.arange(T_x)[None, :]
    return np.where(t < lengths[:, None], lengths[:, None] - 1 - t, t)


def _encode(X, mask, p):
    """Bidirectional GRU: X (n_x, m, T_x) → states a (2 n_a, m, T_x) and the encoder's cache.

    Both directions run as one stack of two GRUs: every product of a step is
    one batched ``matmul`` over the pair.
    """
    n_x, m, T = X.shape
    dtype = X.dtype
    rows, perm = np.arange(m)[:, None], _reverse_within_length(mask)
    Xs = (X, X[:, rows, perm])                                 # the backward GRU reads reversed
    stacks = [_gru(p, part) for part in ("enc_f", "enc_b")]
    W, b, U_zr, U_h = (np.stack(arrays) for arrays in zip(*stacks))
    n = U_h.shape[-1]
    gx = np.empty((T, 2, 3 * n, m), dtype)                     # W x^<t> + b of every step, time-major
    for k in range(2):
        gx[:, k] = (W[k] @ Xs[k].reshape(n_x, m * T) + b[k]).reshape(3 * n, m, T).transpose(2, 0, 1)
    A = np.empty((T + 1, 2, n, m), dtype)                      # A[t + 1] = a^<t>, A[0] = 0
    A[0] = 0.0
    ZR = np.empty((T, 2, 2 * n, m), dtype)
    AT = np.empty((T, 2, n, m), dtype)
    for t in range(T):
        _gru_step(gx[t], A[t], U_zr, U_h, ZR[t], AT[t], A[t + 1])
    a_f = A[1:, 0].transpose(1, 2, 0)                          # (n, m, T)
    a_b = A[1:, 1].transpose(1, 2, 0)[:, rows, perm]           # back in reading order
    a = np.concatenate([a_f, a_b], axis=0)
    last = mask.sum(axis=1) - 1                                # each example's last real character
    return a, {"Xs": Xs, "A": A, "ZR": ZR, "AT": AT, "W": W, "U_zr": U_zr, "U_h": U_h,
               "perm": perm, "last": last}


def _encode_backward(da, enc):
    """Backpropagation through both encoder GRUs from da (2 n_a, m, T_x): the ``"d" + name`` grads."""
    A, ZR, AT, W, U_zr, U_h, perm = (enc[k] for k in ("A", "ZR", "AT", "W", "U_zr", "U_h", "perm"))
    T, _, n, m = AT.shape
    rows = np.arange(m)[:, None]
    dA = np.empty((T, 2, n, m), da.dtype)                      # upstream gradient, time-major
    dA[:, 0] = da[:n].transpose(2, 0, 1)
    dA[:, 1] = da[n:, rows, perm].transpose(2, 0, 1)           # perm is its own inverse
    DG = np.empty((T, 2, 3 * n, m), da.dtype)
    da_next = np.zeros((2, n, m), da.dtype)
    for t in reversed(range(T)):
        dA[t] += da_next
        da_next = _gru_step_backward(dA[t], A[t], ZR[t], AT[t], U_zr, U_h, DG[t])
    grads = {}
    D_cols = DG.transpose(1, 2, 0, 3).reshape(2, 3 * n, T * m)     # columns in (t, i) order
    a_prev = A[:-1].transpose(1, 2, 0, 3).reshape(2, n, T * m)
    ra_prev = (ZR[:, :, n:] * A[:-1]).transpose(1, 2, 0, 3).reshape(2, n, T * m)
    dU_zr = np.matmul(D_cols[:, :2 * n], np.swapaxes(a_prev, 1, 2))
    dU_h = np.matmul(D_cols[:, 2 * n:], np.swapaxes(ra_prev, 1, 2))
    for k, part in enumerate(("enc_f", "enc_b")):
        X = enc["Xs"][k]
        x_cols = X.transpose(0, 2, 1).reshape(X.shape[0], T * m)    # (t, i) order as D_cols
        grads.update(_gru_grads(part, D_cols[k] @ x_cols.T, D_cols[k].sum(axis=1, keepdims=True),
                                dU_zr[k], dU_h[k]))
    return grads


def _final_state(a, last):
    r"""The fixed-length encoding :math:`[\overrightarrow{a}^{<T>}; \overleftarrow{a}^{<1>}]`, (2 n_a, m)."""
    n_a = a.shape[0] // 2
    m = a.shape[1]
    return np.concatenate([a[:n_a, np.arange(m), last], a[n_a:, :, 0]], axis=0)


# ---------------------------------------------------------------- the decoder

def _forward(X, mask, Y_prev, p, attention):
    r"""Teacher-forced forward pass (unchecked): the logits, time-major (T_y, n_y, m), and the cache.

    The encoder; then at each output step t the attention step of
    :func:`lib.attention.additive_attention_forward` (its keys :math:`W_a a^{<t'>}`
    computed once for all steps) and the decoder's GRU step on
    :math:`[c^{<t>}; y^{<t-1>}]`; then the logits :math:`W_y s^{<t>} + b_y` of every step.
    """
    a, enc = _encode(X, mask, p)                               # encoder states (2 n_a, m, T_x)
    n_a2, m, T_x = a.shape
    n_y, _, T_y = Y_prev.shape
    W, b, U_zr, U_h = _gru(p, "dec")                           # the decoder, its gates stacked
    n_s = U_h.shape[0]
    W_c, W_y_prev = W[:, :n_a2], W[:, n_a2:]                   # its input is [c; y_prev]
    gx = np.matmul(W_y_prev, Y_prev.transpose(2, 0, 1)) + b    # W y^<t-1> + b, all steps: (T_y, 3 n_s, m)
    S = np.zeros((T_y + 1, n_s, m), X.dtype)                   # S[t] = s^<t>; S[0] = 0
    ZR, S_tilde = np.empty((T_y, 2 * n_s, m), X.dtype), np.empty((T_y, n_s, m), X.dtype)
    cache = {"a": a, "enc": enc, "S": S, "ZR": ZR, "S_tilde": S_tilde, "attention": attention,
             "Y_prev": Y_prev, "p": p, "weights": None}
    if attention:
        W_s, b_att, v = p["att.W_s"], p["att.b"], p["att.v"]
        n_e = W_s.shape[0]
        keys = (p["att.W_a"] @ a.reshape(n_a2, m * T_x)).reshape(n_e, m, T_x)   # W_a a^<t'>, once
        a_m = np.ascontiguousarray(a.transpose(1, 0, 2))       # (m, 2 n_a, T_x): one matrix per example
        H = np.empty((T_y, n_e, m, T_x), X.dtype)              # the tanh layer of every step
        alpha = np.empty((m, T_y, T_x), X.dtype)
        C = np.empty((T_y, n_a2, m), X.dtype)                  # the contexts
        for t in range(T_y):
            h = np.add(keys, (W_s @ S[t] + b_att)[:, :, None], out=H[t])
            np.tanh(h, out=h)                                  # tanh(W_s s^<t-1> + W_a a^<t'> + b)
            scores = (v.T @ h.reshape(n_e, m * T_x)).reshape(m, T_x)            # e^<t,t'>
            alpha[:, t] = _softmax_rows(scores, ~mask, "parameters")             # over the real t'
            C[t] = np.matmul(a_m, alpha[:, t, :, None])[:, :, 0].T              # Σ_t' α^<t,t'> a^<t'>
            _gru_step(gx[t] + W_c @ C[t], S[t], U_zr, U_h, ZR[t], S_tilde[t], S[t + 1])
        cache.update(H=H, C=C, a_m=a_m, weights=alpha)
    else:
        fixed = _final_state(a, enc["last"])                   # the one context of every step
        gx += W_c @ fixed
        for t in range(T_y):
            _gru_step(gx[t], S[t], U_zr, U_h, ZR[t], S_tilde[t], S[t + 1])
        cache.update(fixed=fixed)
    logits = np.matmul(p["out.W_y"], S[1:])                    # W_y s^<t> + b_y: (T_y, n_y, m)
    logits += p["out.b_y"]
    return logits, cache


def _backward(dlogits, cache):
    """Gradients (unchecked) from dlogits, time-major (T_y, n_y, m): dict ``"d" + name``."""
    a, enc, S, ZR, S_tilde, attention, p = (cache[k] for k in ("a", "enc", "S", "ZR", "S_tilde",
                                                                "attention", "p"))
    n_a2, m, T_x = a.shape
    T_y, n_y, _ = dlogits.shape
    W, _, U_zr, U_h = _gru(p, "dec")
    n_s = U_h.shape[0]
    W_c = W[:, :n_a2]
    grads = {"dout.W_y": (dlogits.transpose(1, 0, 2).reshape(n_y, T_y * m)
                          @ S[1:].transpose(1, 0, 2).reshape(n_s, T_y * m).T),
             "dout.b_y": dlogits.sum(axis=(0, 2))[:, None]}
    dS = np.matmul(p["out.W_y"].T, dlogits)                    # (T_y, n_s, m)
    DG = np.empty((T_y, 3 * n_s, m), dlogits.dtype)            # the decoder gates' pre-activation grads
    ds_next = np.zeros((n_s, m), dlogits.dtype)
    if attention:
        H, C, a_m, alpha = cache["H"], cache["C"], cache["a_m"], cache["weights"]
        v, W_s = p["att.v"], p["att.W_s"]
        n_e = W_s.shape[0]
        DC = np.empty((m, n_a2, T_y), dlogits.dtype)           # dc of every step, for da at the end
        DQ = np.empty((T_y, n_e, m), dlogits.dtype)            # gradient of each step's query
        dv = np.zeros((n_e, 1), dlogits.dtype)
        dh = np.empty((n_e, m, T_x), dlogits.dtype)            # one step's ∂J/∂(pre-tanh), reused
        dkeys = np.zeros((n_e, m, T_x), dlogits.dtype)         # Σ_t of them: the keys' gradient
        for t in reversed(range(T_y)):
            dS[t] += ds_next
            ds_next = _gru_step_backward(dS[t], S[t], ZR[t], S_tilde[t], U_zr, U_h, DG[t])
            dc = W_c.T @ DG[t]                                 # (n_a2, m)
            DC[:, :, t] = dc.T
            al = alpha[:, t]
            dalpha = np.matmul(dc.T[:, None, :], a_m)[:, 0]    # (m, T_x): a^<t'> · dc
            dscores = dalpha
            dscores -= np.sum(al * dalpha, axis=1, keepdims=True)
            dscores *= al                                      # through the softmax
            h = H[t]
            dv += h.reshape(n_e, m * T_x) @ dscores.reshape(m * T_x, 1)
            np.multiply(h, h, out=dh)                          # dh = v de (1 − h²)
            np.subtract(1.0, dh, out=dh)
            dh *= v[:, :, None]
            dh *= dscores[None]
            dkeys += dh
            DQ[t] = dh.sum(axis=2)
            ds_next += W_s.T @ DQ[t]
        dkeys = dkeys.reshape(n_e, m * T_x)
        DQ_cols = DQ.transpose(1, 0, 2).reshape(n_e, T_y * m)
        grads["datt.W_s"] = DQ_cols @ S[:-1].transpose(1, 0, 2).reshape(n_s, T_y * m).T
        grads["datt.b"] = DQ_cols.sum(axis=1, keepdims=True)
        grads["datt.v"] = dv
        grads["datt.W_a"] = dkeys @ a.reshape(n_a2, m * T_x).T
        da = (p["att.W_a"].T @ dkeys).reshape(n_a2, m, T_x)
        da += np.matmul(DC, alpha).transpose(1, 0, 2)          # Σ_t dc^<t> α^<t,t'>
        inputs = C
    else:
        for t in reversed(range(T_y)):
            dS[t] += ds_next
            ds_next = _gru_step_backward(dS[t], S[t], ZR[t], S_tilde[t], U_zr, U_h, DG[t])
        grads.update({f"datt.{k}": np.zeros_like(p[f"att.{k}"]) for k in ("W_s", "W_a", "b", "v")})
        dfixed = W_c.T @ DG.sum(axis=0)
        da = np.zeros_like(a)
        n_a = n_a2 // 2
        da[:n_a, np.arange(m), enc["last"]] += dfixed[:n_a]
        da[n_a:, :, 0] += dfixed[n_a:]
        inputs = np.broadcast_to(cache["fixed"], (T_y, n_a2, m))
    D_cols = DG.transpose(1, 0, 2).reshape(3 * n_s, T_y * m)
    x_cols = np.concatenate([inputs, cache["Y_prev"].transpose(2, 0, 1)], axis=1)   # [c; y_prev]
    x_cols = x_cols.transpose(1, 0, 2).reshape(-1, T_y * m)
    s_prev = S[:-1].transpose(1, 0, 2).reshape(n_s, T_y * m)
    ra_prev = (ZR[:, n_s:] * S[:-1]).transpose(1, 0, 2).reshape(n_s, T_y * m)
    grads.update(_gru_grads("dec", D_cols @ x_cols.T, D_cols.sum(axis=1, keepdims=True),
                            D_cols[:2 * n_s] @ s_prev.T, D_cols[2 * n_s:] @ ra_prev.T))
    grads.update(_encode_backward(da, enc))
    return grads


def _loss(p, X, mask, Y, attention):
    """Mean cross-entropy and its gradients (unchecked); Y (m, T_y) indices."""
    n_y = p["out.W_y"].shape[0]
    Y_onehot = one_hot_sequences(Y, n_y).astype(X.dtype, copy=False)         # (n_y, m, T_y)
    logits, cache = _forward(X, mask, _shift_right(Y_onehot), p, attention)   # (T_y, n_y, m)
    T_y, _, m = logits.shape
    columns = logits.transpose(1, 0, 2).reshape(n_y, T_y * m)               # (n_y, T_y m)
    cost, dz = softmax_cross_entropy(columns, Y_onehot.transpose(0, 2, 1).reshape(n_y, T_y * m))
    dlogits = dz.astype(X.dtype, copy=False).reshape(n_y, T_y, m).transpose(1, 0, 2)
    return cost, _backward(dlogits, cache)


# ---------------------------------------------------------------- checks at the public edge

def _check_mask(mask, shape, name="mask"):
    """A bool (m, T_x) mask, True on a non-empty prefix of each row (the real characters)."""
    arr = np.asarray(mask)
    if arr.dtype != bool:
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{name}: expected booleans (True on real characters), got dtype {arr.dtype}")
        if not np.all((arr == 0) | (arr == 1)):
            raise ValueError(f"{name}: expected booleans (True on real characters) or 0/1, got other values")
        arr = arr.astype(bool)
    check_shape(name, arr, shape, "(m, T_x), as X's last two axes")
    if not np.all(arr[:, 0]) or np.any(arr[:, 1:] & ~arr[:, :-1]):
        raise ValueError(f"{name}: expected each row to be True on a non-empty prefix (the real "
                         "characters) and False after it (the padding)")
    return arr


def _check_batch(X, mask, parameters):
    """Checked parameters, X (n_x, m, T_x) and mask, all arrays in one float dtype."""
    p = _check_parameters(parameters)
    n_x = p["enc_f.W_z"].shape[1]
    X = as_float("X", X, ndim=3, meaning="(n_x, m, T_x)")
    check_shape("X", X, (n_x, None, None), "(n_x, m, T_x): n_x the columns of enc_f.W_z")
    mask = _check_mask(mask, X.shape[1:])
    dtype = common_float(X, *p.values())
    return X.astype(dtype, copy=False), mask, _cast(p, dtype)


def _check_flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def _check_data(data, n_x, n_y):
    """The dict of :func:`prepare`: x (m, T_x) and y (m, T_y) indices, mask (m, T_x)."""
    if not isinstance(data, dict) or not all(k in data for k in ("x", "mask", "y")):
        raise TypeError("data: expected the dict of prepare(pairs), with 'x', 'mask' and 'y'")
    x = as_indices("data['x']", data["x"], n_x, ndim=2, meaning="(m, T_x)")
    y = as_indices("data['y']", data["y"], n_y, ndim=2, meaning="(m, T_y)")
    mask = _check_mask(data["mask"], x.shape, "data['mask']")
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"data['y']: expected {x.shape[0]} rows (m, as data['x']), got {y.shape[0]}")
    return x, mask, y


# ---------------------------------------------------------------- the public layer and loss

def seq2seq_forward(X, mask, Y_prev, parameters, attention=True):
    r"""Teacher-forced forward pass: the logits of every output step.

    Encoder, then at each output step t: attention over the encoder states
    (context :math:`c^{<t>}`), the decoder's GRU step on :math:`[c^{<t>}; y^{<t-1>}]`,
    and the logits :math:`W_y s^{<t>} + b_y`.

    Args:
        X: inputs, one-hot, (n_x, m, T_x).
        mask: bool (m, T_x), True on real characters (a non-empty prefix of each row).
        Y_prev: the previous output characters fed to the decoder, one-hot
            (n_y, m, T_y), zeros at t = 1 (see :func:`shift_right`).
        parameters: from :func:`initialize_seq2seq`.
        attention: False for the fixed-context model.

    Returns:
        (logits, cache): logits (n_y, m, T_y). The attention weights (m, T_y, T_x)
        are in the cache: :func:`lib.attention.attention_weights`.
    """
    X, mask, p = _check_batch(X, mask, parameters)
    n_y = p["out.W_y"].shape[0]
    Y_prev = as_float("Y_prev", Y_prev, ndim=3, meaning="(n_y, m, T_y)")
    check_shape("Y_prev", Y_prev, (n_y, X.shape[1], None), "(n_y, m, T_y): n_y the rows of out.W_y, m as X's")
    attention = _check_flag("attention", attention)
    logits, cache = _forward(X, mask, Y_prev.astype(X.dtype, copy=False), p, attention)
    return np.ascontiguousarray(logits.transpose(1, 2, 0)), cache


def seq2seq_backward(dlogits, cache):
    """Gradients of every parameter from ``dlogits`` (n_y, m, T_y): dict ``"d" + name``.

    Walks the decoder steps backwards (the state's gradient gathers the output
    layer's, the next cell's and the next attention query's shares), then the
    encoder states' gradient goes back through both GRUs. The ``datt.*``
    gradients are zero for a model without attention.

    Args:
        dlogits: :math:`\\partial J/\\partial` logits, (n_y, m, T_y).
        cache: from :func:`seq2seq_forward`.

    Returns:
        dict ``"d" + name`` for every entry of the parameters (``"denc_f.W_z"``,
        ``"datt.v"`` …), each of its parameter's shape.
    """
    if not isinstance(cache, dict) or "enc" not in cache:
        raise TypeError(f"cache: expected the cache of seq2seq_forward, got {type(cache).__name__}")
    S, dtype = cache["S"], cache["S"].dtype
    dlogits = as_float("dlogits", dlogits)
    check_shape("dlogits", dlogits, (cache["p"]["out.W_y"].shape[0], S.shape[2], S.shape[0] - 1),
                "(n_y, m, T_y), the shape of the logits")
    return _backward(dlogits.astype(dtype, copy=False).transpose(2, 0, 1), cache)


def shift_right(Y_onehot):
    """Decoder inputs for teacher forcing: (n_y, m, T_y) → zeros at t = 1, then y^<1> … y^<T_y-1>."""
    return _shift_right(as_float("Y_onehot", Y_onehot, ndim=3, meaning="(n_y, m, T_y)"))


def _shift_right(Y):
    out = np.zeros_like(Y)
    out[:, :, 1:] = Y[:, :, :-1]
    return out


def seq2seq_loss(parameters, X, mask, Y, attention=True):
    r"""Mean cross-entropy over all m·T_y output characters, and its gradients.

    :math:`J = -\frac{1}{m T_y} \sum_i \sum_t \log \hat y^{(i)<t>}_{y^{(i)<t>}}`,
    with the decoder fed the true previous characters (teacher forcing).

    Args:
        parameters: from :func:`initialize_seq2seq`.
        X: one-hot inputs (n_x, m, T_x); mask: bool (m, T_x).
        Y: target indices (m, T_y) into the output vocabulary.
        attention: as in :func:`seq2seq_forward`.

    Returns:
        (cost, grads): the float cost and the dict ``"d" + name`` of :func:`seq2seq_backward`.
    """
    X, mask, p = _check_batch(X, mask, parameters)
    Y = as_indices("Y", Y, p["out.W_y"].shape[0], ndim=2, meaning="(m, T_y)")
    check_shape("Y", Y, (X.shape[1], None), "(m, T_y), m as X's")
    return _loss(p, X, mask, Y, _check_flag("attention", attention))


# ---------------------------------------------------------------- training

def prepare(pairs):
    """Encode (human, machine) date pairs for :func:`train`.

    Args:
        pairs: a non-empty list of m (human, machine) string pairs, e.g.
            ``lib.dates.load_dates()["train"]``.

    Returns:
        dict ``x``: int (m, T_x) indices into :data:`lib.dates.INPUT_VOCAB` (padded
        with 0), ``mask``: bool (m, T_x), True on the real characters, ``y``: int
        (m, T_y) indices into :data:`lib.dates.OUTPUT_VOCAB`.
    """
    if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__len__"):
        raise TypeError(f"pairs: expected a list of (human, machine) string pairs, got {type(pairs).__name__}")
    if len(pairs) == 0:
        raise ValueError("pairs: expected at least one (human, machine) pair, got none")
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise ValueError(f"pairs: expected (human, machine) pairs, got {pair!r} at {i}")
    x, mask = D.encode_inputs([h for h, _ in pairs])
    return {"x": x, "mask": mask, "y": D.encode_outputs([mm for _, mm in pairs])}


def train(parameters, data, num_iterations=1000, batch_size=128, learning_rate=0.01, attention=True,
          clip=5.0, seed=0, record_every=10, state=None):
    """Train with Adam on mini-batches; returns the costs recorded every ``record_every`` steps.

    Each step: a mini-batch of dates of similar lengths, trimmed to its
    longest; :func:`seq2seq_loss`'s cost and gradients; the gradients scaled
    down together to a global norm of at most ``clip``
    (:func:`lib.optimizers.clip_by_norm`); one :func:`lib.optimizers.adam_update`.

    Args:
        parameters: from :func:`initialize_seq2seq`, updated in place (float32
            parameters train in float32).
        data: from :func:`prepare`.
        num_iterations: number of mini-batch steps, >= 1.
        batch_size: examples per step, >= 1.
        learning_rate: Adam's α > 0.
        attention: train the attention model (True) or the fixed-context one.
        clip: the largest global norm of the gradients, > 0.
        seed: seed of the batch order, an int >= 0 or None.
        record_every: keep the mean cost of every this many steps, 1 … num_iterations.
        state: Adam's state (a dict, filled in place) to continue an earlier run.

    Returns:
        list of mean mini-batch costs, one per ``record_every`` steps.
    """
    _check_parameters(parameters)
    if any(not isinstance(v, np.ndarray) or v.dtype not in (np.float32, np.float64)
           for v in parameters.values()):
        raise TypeError("parameters: expected float arrays (they are updated in place)")
    p = parameters
    n_x, n_y = p["enc_f.W_z"].shape[1], p["out.W_y"].shape[0]
    x, mask, y = _check_data(data, n_x, n_y)
    num_iterations = check_positive_int("num_iterations", num_iterations)
    batch_size = check_positive_int("batch_size", batch_size)
    check_positive("learning_rate", learning_rate)
    attention = _check_flag("attention", attention)
    check_positive("clip", clip)
    rng = make_rng(seed)
    record_every = check_positive_int("record_every", record_every)
    if record_every > num_iterations:
        raise ValueError(f"record_every: expected at most num_iterations = {num_iterations} "
                         f"(else nothing is recorded), got {record_every}")
    if state is not None and not isinstance(state, dict):
        raise TypeError(f"state: expected None or Adam's state dict, got {type(state).__name__}")
    dtype = parameters["out.W_y"].dtype
    if any(v.dtype != dtype for v in parameters.values()):
        raise TypeError("parameters: expected every array in one dtype (all float32 or all float64)")
    state = {} if state is None else state
    lengths = mask.sum(axis=1)
    costs, window, batches = [], [], []
    for _ in range(num_iterations):
        if not batches:
            batches = length_buckets(lengths, batch_size, rng)
        idx = batches.pop()
        T = int(lengths[idx].max())                       # trim the padding no example needs
        X = one_hot_sequences(x[idx, :T], n_x).astype(dtype, copy=False)
        cost, grads = _loss(p, X, mask[idx, :T], y[idx], attention)
        grads, _ = clip_by_norm.unchecked(grads, clip)
        adam_update.unchecked(parameters, grads, state, learning_rate)
        window.append(cost)
        if len(window) == record_every:
            costs.append(float(np.mean(window)))
            window = []
    return costs


# ---------------------------------------------------------------- translating

def _greedy(p, X, mask, T_y, attention):
    """Greedy decoding (unchecked): indices (m, T_y) and the weights (m, T_y, T_x) or None."""
    a, enc = _encode(X, mask, p)
    n_a2, m, T_x = a.shape
    W, b, U_zr, U_h = _gru(p, "dec")
    n_s = U_h.shape[0]
    W_c, W_yp = W[:, :n_a2], W[:, n_a2:]
    dtype = X.dtype
    s, s_next = np.zeros((n_s, m), dtype), np.empty((n_s, m), dtype)
    zr, s_tilde = np.empty((2 * n_s, m), dtype), np.empty((n_s, m), dtype)
    out = np.empty((m, T_y), dtype=np.int64)
    alpha = np.empty((m, T_y, T_x), dtype) if attention else None
    if attention:
        n_e = p["att.W_s"].shape[0]
        keys = (p["att.W_a"] @ a.reshape(n_a2, m * T_x)).reshape(n_e, m, T_x)
        a_m = np.ascontiguousarray(a.transpose(1, 0, 2))
        blocked = ~mask
    else:
        fixed_input = W_c @ _final_state(a, enc["last"])
    gy = np.broadcast_to(b, (3 * n_s, m))                      # y^<0> = 0: only the bias at t = 1
    for t in range(T_y):
        if attention:
            h = np.tanh(keys + (p["att.W_s"] @ s + p["att.b"])[:, :, None])
            scores = (p["att.v"].T @ h.reshape(n_e, m * T_x)).reshape(m, T_x)
            alpha[:, t] = _softmax_rows(scores, blocked, "parameters")
            c_input = W_c @ np.matmul(a_m, alpha[:, t, :, None])[:, :, 0].T
        else:
            c_input = fixed_input
        _gru_step(gy + c_input, s, U_zr, U_h, zr, s_tilde, s_next)
        s, s_next = s_next, s
        out[:, t] = np.argmax(p["out.W_y"] @ s + p["out.b_y"], axis=0)
        gy = W_yp[:, out[:, t]] + b                            # W_y' y^<t> for a one-hot y^<t>
    return out, alpha


def greedy_decode(parameters, X, mask, T_y=D.T_Y, attention=True):
    """Translate by feeding back the model's own most likely character at each step.

    Args:
        parameters: from :func:`initialize_seq2seq`.
        X: one-hot inputs (n_x, m, T_x); mask: bool (m, T_x).
        T_y: number of output characters, >= 1.
        attention: as in :func:`seq2seq_forward`.

    Returns:
        (indices, alpha): int (m, T_y) output indices and the attention weights
        (m, T_y, T_x) (None without attention).
    """
    X, mask, p = _check_batch(X, mask, parameters)
    T_y = check_positive_int("T_y", T_y)
    return _greedy(p, X, mask, T_y, _check_flag("attention", attention))


def _encode_strings(p, strings):
    x, mask = D.encode_inputs(strings)
    T = int(mask.sum(axis=1).max())                            # no example needs more
    X = one_hot_sequences(x[:, :T], p["enc_f.W_z"].shape[1])
    return X.astype(common_float(*p.values()), copy=False), mask[:, :T], mask.shape[1]


def translate(parameters, strings, attention=True):
    """Human dates → machine dates with the trained model.

    Args:
        parameters: from :func:`initialize_seq2seq`.
        strings: one string or a list of m strings (characters of
            :data:`lib.dates.INPUT_VOCAB`, at most ``T_x`` long, else ValueError).
        attention: as in :func:`seq2seq_forward`.

    Returns:
        (outputs, alpha): a list of m strings ``YYYY-MM-DD`` (a string for a
        string) and the attention weights (m, T_y, T_x) (None without attention),
        0 on the padding.
    """
    p = _check_parameters(parameters)
    attention = _check_flag("attention", attention)
    single = isinstance(strings, str)
    X, mask, T_x = _encode_strings(p, strings)
    idx, alpha = _greedy(_cast(p, X.dtype), X, mask, D.T_Y, attention)
    if alpha is not None:                                      # pad to T_x: the padding gets 0
        alpha = np.concatenate([alpha, np.zeros(alpha.shape[:2] + (T_x - alpha.shape[2],), alpha.dtype)],
                               axis=2)
    out = D.decode_outputs(idx)
    return (out[0] if single else out), alpha


def attention_map(parameters, string):
    """The translation of one human date and where it looked.

    Args:
        parameters: from :func:`initialize_seq2seq` (a model trained with attention).
        string: one human date.

    Returns:
        (output, alpha): the string ``YYYY-MM-DD`` and the weights (T_y, len(string)),
        row t the attention of output character t over the input characters.
    """
    if not isinstance(string, str):
        raise TypeError(f"string: expected one str, got {type(string).__name__}")
    if not string:
        raise ValueError("string: expected a date, got an empty string")
    out, alpha = translate(parameters, string)
    return out, alpha[0, :, :len(string)]


def exact_match(parameters, pairs, attention=True, batch_size=500):
    """Fraction of (human, machine) pairs translated exactly right (all 10 characters).

    Args:
        parameters: from :func:`initialize_seq2seq`.
        pairs: list of (human, machine) string pairs, e.g. ``load_dates()["test"]``.
        attention: as in :func:`seq2seq_forward`.
        batch_size: dates translated at once, >= 1.

    Returns:
        a float in [0, 1].
    """
    p = _check_parameters(parameters)
    data = prepare(pairs)                                      # checks the pairs
    batch_size = check_positive_int("batch_size", batch_size)
    attention = _check_flag("attention", attention)
    right = 0
    for i in range(0, len(pairs), batch_size):
        chunk = pairs[i:i + batch_size]
        X, mask, _ = _encode_strings(p, [h for h, _ in chunk])
        idx, _ = _greedy(_cast(p, X.dtype), X, mask, D.T_Y, attention)
        right += int(np.sum(np.all(idx == data["y"][i:i + batch_size], axis=1)))
    return right / len(pairs)


def encode(parameters, strings):
    """The encoder's states for human dates: what attention reads.

    Args:
        parameters: from :func:`initialize_seq2seq`.
        strings: one string or a list of m strings (as :func:`translate`).

    Returns:
        (a, mask): a (2 n_a, m, T_x), the stacked forward and backward GRU
        states, and mask (m, T_x), True on the real characters.
    """
    p = _check_parameters(parameters)
    x, mask = D.encode_inputs(strings)
    X = one_hot_sequences(x, p["enc_f.W_z"].shape[1]).astype(common_float(*p.values()), copy=False)
    a, _ = _encode(X, mask, _cast(p, X.dtype))
    return a, mask
