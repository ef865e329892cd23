r"""A small encoder–decoder Transformer that translates dates (chapters/23_transformer.ipynb).

The task, data and measure are those of the attention chapter (:mod:`lib.dates`,
:func:`lib.seq2seq.prepare`): human dates as characters in, ``YYYY-MM-DD`` out,
exact match on held-out dates. The model is Vaswani et al. (2017) at a small
size, built from :mod:`lib.transformer`'s layers:

* **Embeddings**: input character j is the row ``E_x[j]`` (d_model,); the
  output characters fed back to the decoder are rows of ``E_y``, whose last
  row is the start symbol :data:`START`. The positional encoding is added:
  :math:`X = E_x[x] + PE`.
* **Encoder block** (self-attention over the real characters, then the
  feed-forward network, each with a residual connection and layer norm, the
  paper's "Add & Norm"): :math:`H = \mathrm{LN}(X + \mathrm{MHA}(X, X))`,
  :math:`X' = \mathrm{LN}(H + \mathrm{FFN}(H))`.
* **Decoder block**: causal self-attention (output t sees outputs up to t),
  then cross-attention (queries from the decoder, keys and values from the
  encoder's output, padding hidden), then the feed-forward network, each with
  Add & Norm.
* **Output**: :math:`\hat y^{<t>} = \mathrm{softmax}(h^{<t>} W_y + b_y)` over the 11
  output characters.

**Layout.** As in :mod:`lib.transformer`, a batch of sequences is
(m, T, d_model), one row per position, and the logits are (m, T_y, n_y): the
book's (n_y, m, T_y) with the axes reordered. Rows make every projection one
product ``X @ W`` for all m·T positions at once.

Training uses teacher forcing (the decoder reads the true previous
characters, the causal mask keeps it from reading ahead), the mean
cross-entropy over the m·T_y output characters
(:func:`lib.losses.softmax_cross_entropy`) and Adam
(:func:`lib.optimizers.adam_update`). Parameters are one flat dict
``"part.name" → array``, gradients ``"d" + name``; the number of layers is read
from the keys, the number of heads is an argument.
"""
import math

import numpy as np

from lib import dates as D
from lib import transformer as TF
from lib._checks import (as_float, as_indices, check_parameters, check_positive, check_positive_int, check_shape,
                         common_float, make_rng)
from lib.beam_search import beam_search, greedy_search
from lib.losses import softmax_cross_entropy
from lib.minibatch import length_buckets
from lib.optimizers import adam_update, clip_by_norm

N_X = len(D.INPUT_VOCAB)
N_Y = len(D.OUTPUT_VOCAB)
START = N_Y
"""Index of the start symbol in the decoder's input vocabulary (rows of ``emb.E_y``): 11."""
N_HEADS = 4
"""The default number of heads."""


# ---------------------------------------------------------------- parameters

def initialize_translator(d_model=32, n_heads=N_HEADS, d_ff=64, n_layers=1, n_x=N_X, n_y=N_Y, seed=0):
    """Parameters of the translator, one flat dict ``"part.name" → array`` (float64).

    Args:
        d_model: features per position, an even int >= 2 (the positional encoding pairs them).
        n_heads: heads of every attention layer, an int dividing d_model (only checked here).
        d_ff: hidden units of the feed-forward networks, an int >= 1.
        n_layers: encoder blocks and decoder blocks (as many of each), an int >= 1.
        n_x: input vocabulary size; n_y: output vocabulary size (the decoder reads n_y + 1
            symbols: the outputs and the start symbol).
        seed: an int >= 0 or None.

    Returns:
        dict: ``emb.E_x`` (n_x, d_model) and ``emb.E_y`` (n_y + 1, d_model), N(0, 1);
        for each layer l, ``enc{l}.self.W_q`` … ``W_o`` (d_model, d_model),
        ``enc{l}.ffn.W_1`` (d_model, d_ff), ``b_1`` (d_ff,), ``W_2`` (d_ff, d_model),
        ``b_2`` (d_model,), ``enc{l}.ln1.gamma``/``beta`` and ``ln2`` (d_model,);
        ``dec{l}.self.*``, ``dec{l}.cross.*``, ``dec{l}.ffn.*``, ``dec{l}.ln1``…``ln3``;
        ``out.W_y`` (d_model, n_y) and ``out.b_y`` (n_y,).
    """
    d_model = check_positive_int("d_model", d_model, minimum=2)
    if d_model % 2:
        raise ValueError(f"d_model: expected an even integer (the positional encoding pairs features), "
                         f"got {d_model}")
    n_heads = check_positive_int("n_heads", n_heads)
    if d_model % n_heads:
        raise ValueError(f"n_heads: expected a divisor of d_model = {d_model}, got {n_heads}")
    d_ff = check_positive_int("d_ff", d_ff)
    n_layers = check_positive_int("n_layers", n_layers)
    n_x, n_y = check_positive_int("n_x", n_x), check_positive_int("n_y", n_y)
    rng = make_rng(seed)

    def seed_of():                                                # one seed per layer
        return int(rng.integers(2**31))

    p = {"emb.E_x": rng.standard_normal((n_x, d_model)),
         "emb.E_y": rng.standard_normal((n_y + 1, d_model))}

    def add(prefix, layer):
        p.update({f"{prefix}.{k}": v for k, v in layer.items()})

    def norm(prefix):
        add(prefix, {"gamma": np.ones(d_model), "beta": np.zeros(d_model)})

    for l in range(n_layers):
        add(f"enc{l}.self", TF.initialize_multi_head_attention(d_model, n_heads, seed=seed_of()))
        add(f"enc{l}.ffn", TF.initialize_feed_forward(d_model, d_ff, seed=seed_of()))
        norm(f"enc{l}.ln1")
        norm(f"enc{l}.ln2")
    for l in range(n_layers):
        add(f"dec{l}.self", TF.initialize_multi_head_attention(d_model, n_heads, seed=seed_of()))
        add(f"dec{l}.cross", TF.initialize_multi_head_attention(d_model, n_heads, seed=seed_of()))
        add(f"dec{l}.ffn", TF.initialize_feed_forward(d_model, d_ff, seed=seed_of()))
        for k in (1, 2, 3):
            norm(f"dec{l}.ln{k}")
    p["out.W_y"] = rng.standard_normal((d_model, n_y)) / math.sqrt(d_model)
    p["out.b_y"] = np.zeros(n_y)
    return p


def _n_layers(p):
    return sum(1 for k in p if k.startswith("enc") and k.endswith(".self.W_q"))


def _check_parameters(parameters, n_heads=None):
    """Every array of :func:`initialize_translator`, shapes consistent; returns (p, n_heads)."""
    if not isinstance(parameters, dict) or "emb.E_x" not in parameters:
        raise (TypeError if not isinstance(parameters, dict) else ValueError)(
            "parameters: expected the dict of initialize_translator, with 'emb.E_x', 'enc0.self.W_q' …")
    head = check_parameters("parameters", parameters, {"emb.E_x": (None, None), "emb.E_y": (None, None)},
                            "initialize_translator")
    n_x, d = head["emb.E_x"].shape
    n_y = head["emb.E_y"].shape[0] - 1
    d_ff = check_parameters("parameters", parameters, {"enc0.ffn.W_1": (d, None)},
                            "initialize_translator")["enc0.ffn.W_1"].shape[1]
    L = _n_layers(parameters)
    shapes = {"emb.E_x": (n_x, d), "emb.E_y": (n_y + 1, d), "out.W_y": (d, n_y), "out.b_y": (n_y,)}
    attn = {k: (d, d) for k in TF.MHA_KEYS}
    ffn = {"W_1": (d, d_ff), "b_1": (d_ff,), "W_2": (d_ff, d), "b_2": (d,)}
    ln = {"gamma": (d,), "beta": (d,)}
    for l in range(L):
        for part, sh in (("self", attn), ("ffn", ffn), ("ln1", ln), ("ln2", ln)):
            shapes.update({f"enc{l}.{part}.{k}": v for k, v in sh.items()})
        for part, sh in (("self", attn), ("cross", attn), ("ffn", ffn), ("ln1", ln), ("ln2", ln), ("ln3", ln)):
            shapes.update({f"dec{l}.{part}.{k}": v for k, v in sh.items()})
    p = check_parameters("parameters", parameters, shapes, "initialize_translator")
    if n_heads is not None:
        n_heads = check_positive_int("n_heads", n_heads)
        if d % n_heads:
            raise ValueError(f"n_heads: expected a divisor of d_model = {d}, got {n_heads}")
    dtype = common_float(*p.values())
    return {k: v.astype(dtype, copy=False) for k, v in p.items()}, n_heads


def _check_inputs(x, mask, p, y_prev=None):
    n_x = p["emb.E_x"].shape[0]
    x = as_indices("x", x, n_x, ndim=2, meaning="(m, T_x)")
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"mask: expected a bool array (m, T_x), got dtype {mask.dtype}")
    check_shape("mask", mask, x.shape, "(m, T_x), the shape of x")
    if not mask[:, 0].all():
        raise ValueError("mask: expected every example to start with a real character (mask[:, 0] True)")
    if y_prev is not None:
        y_prev = as_indices("y_prev", y_prev, p["emb.E_y"].shape[0], ndim=2, meaning="(m, T_y)")
        check_shape("y_prev", y_prev, (x.shape[0], None), "(m, T_y), m as x's")
    return x, mask, y_prev


# ---------------------------------------------------------------- the blocks

def _sub(p, prefix):
    n = len(prefix) + 1
    return {k[n:]: v for k, v in p.items() if k.startswith(prefix + ".")}


def _add_norm(x, sublayer_out, p, prefix):
    """LN(x + sublayer(x)): the residual connection, then layer normalisation."""
    return TF.layer_norm_forward(x + sublayer_out, p[prefix + ".gamma"], p[prefix + ".beta"])


def _embed(E, tokens, dtype):
    T, d = tokens.shape[1], E.shape[1]
    return E[tokens] + TF.positional_encoding(T, d).astype(dtype)


def _encode(p, x, mask, n_heads):
    """The encoder (unchecked): (Z (m, T_x, d_model), caches)."""
    Xk, caches = _embed(p["emb.E_x"], x, p["emb.E_x"].dtype), []
    keys = np.broadcast_to(mask[:, None, :], (x.shape[0], x.shape[1], x.shape[1]))   # (m, T_x, T_x)
    for l in range(_n_layers(p)):
        a, c_att = TF.multi_head_attention_forward(Xk, Xk, _sub(p, f"enc{l}.self"), n_heads, mask=keys)
        H, c_ln1 = _add_norm(Xk, a, p, f"enc{l}.ln1")
        f, c_ffn = TF.feed_forward_forward(H, _sub(p, f"enc{l}.ffn"))
        Xk, c_ln2 = _add_norm(H, f, p, f"enc{l}.ln2")
        caches.append((c_att, c_ln1, c_ffn, c_ln2))
    return Xk, caches


def _decode(p, y_prev, Z, mask, n_heads):
    """The decoder and output layer (unchecked): (logits (m, T_y, n_y), caches)."""
    m, T_y = y_prev.shape
    Yk, caches = _embed(p["emb.E_y"], y_prev, Z.dtype), []
    causal = TF.causal_mask(T_y)
    cross = np.broadcast_to(mask[:, None, :], (m, T_y, mask.shape[1]))             # hide the padding
    for l in range(_n_layers(p)):
        s, c_self = TF.multi_head_attention_forward(Yk, Yk, _sub(p, f"dec{l}.self"), n_heads, mask=causal)
        H1, c_ln1 = _add_norm(Yk, s, p, f"dec{l}.ln1")
        c, c_cross = TF.multi_head_attention_forward(H1, Z, _sub(p, f"dec{l}.cross"), n_heads, mask=cross)
        H2, c_ln2 = _add_norm(H1, c, p, f"dec{l}.ln2")
        f, c_ffn = TF.feed_forward_forward(H2, _sub(p, f"dec{l}.ffn"))
        Yk, c_ln3 = _add_norm(H2, f, p, f"dec{l}.ln3")
        caches.append((c_self, c_ln1, c_cross, c_ln2, c_ffn, c_ln3))
    logits = Yk @ p["out.W_y"] + p["out.b_y"]
    return logits, {"caches": caches, "top": Yk}


def _forward(p, x, mask, y_prev, n_heads):
    Z, enc = _encode(p, x, mask, n_heads)
    logits, dec = _decode(p, y_prev, Z, mask, n_heads)
    return logits, {"layer": "translator", "p": p, "x": x, "y_prev": y_prev, "enc": enc, "dec": dec,
                    "n_heads": n_heads, "shape": logits.shape}


def _norm_backward(dout, cache, grads, prefix):
    g = TF.layer_norm_backward(dout, cache)
    grads[f"d{prefix}.gamma"] = g["dgamma"]
    grads[f"d{prefix}.beta"] = g["dbeta"]
    return g["dx"]


def _put(grads, prefix, g, keys):
    for k in keys:
        grads[f"d{prefix}.{k}"] = g["d" + k]


def _backward(dlogits, cache):
    """Every parameter's gradient (unchecked), dict ``"d" + name``."""
    p, n_heads = cache["p"], cache["n_heads"]
    grads = {}
    top = cache["dec"]["top"]
    d = top.shape[-1]
    grads["dout.W_y"] = top.reshape(-1, d).T @ dlogits.reshape(-1, dlogits.shape[-1])
    grads["dout.b_y"] = dlogits.reshape(-1, dlogits.shape[-1]).sum(axis=0)
    dY = dlogits @ p["out.W_y"].T
    dZ = 0.0
    for l in reversed(range(len(cache["dec"]["caches"]))):
        c_self, c_ln1, c_cross, c_ln2, c_ffn, c_ln3 = cache["dec"]["caches"][l]
        dH2 = _norm_backward(dY, c_ln3, grads, f"dec{l}.ln3")           # H2 + f: both get it
        g = TF.feed_forward_backward(dH2, c_ffn)
        _put(grads, f"dec{l}.ffn", g, TF.FFN_KEYS)
        dH1 = _norm_backward(dH2 + g["dx"], c_ln2, grads, f"dec{l}.ln2")
        g = TF.multi_head_attention_backward(dH1, c_cross)
        _put(grads, f"dec{l}.cross", g, TF.MHA_KEYS)
        dZ = dZ + g["dX_kv"]                                             # every layer reads Z
        dY = _norm_backward(dH1 + g["dX_q"], c_ln1, grads, f"dec{l}.ln1")
        g = TF.multi_head_attention_backward(dY, c_self)
        _put(grads, f"dec{l}.self", g, TF.MHA_KEYS)
        dY = dY + g["dX_q"] + g["dX_kv"]
    dE_y = np.zeros_like(p["emb.E_y"])
    np.add.at(dE_y, cache["y_prev"], dY)                                 # the positional encoding is fixed
    grads["demb.E_y"] = dE_y
    dX = dZ
    for l in reversed(range(len(cache["enc"]))):
        c_att, c_ln1, c_ffn, c_ln2 = cache["enc"][l]
        dH = _norm_backward(dX, c_ln2, grads, f"enc{l}.ln2")
        g = TF.feed_forward_backward(dH, c_ffn)
        _put(grads, f"enc{l}.ffn", g, TF.FFN_KEYS)
        dX = _norm_backward(dH + g["dx"], c_ln1, grads, f"enc{l}.ln1")
        g = TF.multi_head_attention_backward(dX, c_att)
        _put(grads, f"enc{l}.self", g, TF.MHA_KEYS)
        dX = dX + g["dX_q"] + g["dX_kv"]
    dE_x = np.zeros_like(p["emb.E_x"])
    np.add.at(dE_x, cache["x"], dX)
    grads["demb.E_x"] = dE_x
    return {"d" + k: grads["d" + k] for k in p}                          # in the parameters' order


# ---------------------------------------------------------------- the public layer and loss

def translator_forward(x, mask, y_prev, parameters, n_heads=N_HEADS):
    r"""The whole model, encoder and decoder, with teacher forcing: the logits of every output character.

    Args:
        x: input character indices (m, T_x) into :data:`lib.dates.INPUT_VOCAB` (padded with 0).
        mask: bool (m, T_x), True on the real characters; every row starts with one.
        y_prev: the decoder's inputs (m, T_y): the start symbol n_y (:data:`START`),
            then the first T_y − 1 true output characters (:func:`shift_right`).
        parameters: from :func:`initialize_translator`.
        n_heads: heads of every attention layer, dividing d_model.

    Returns:
        (logits, cache): logits (m, T_y, n_y); :math:`\hat y^{<t>}` = softmax of row t.
        The attention weights of every layer are in the cache: :func:`attention_weights`.
    """
    p, n_heads = _check_parameters(parameters, n_heads)
    x, mask, y_prev = _check_inputs(x, mask, p, y_prev)
    return _forward(p, x, mask, y_prev, n_heads)


def translator_backward(dlogits, cache):
    r"""Gradients of every parameter from ``dlogits`` (m, T_y, n_y): dict ``"d" + name``.

    The decoder's blocks backwards (each Add & Norm gives its gradient to both
    the sublayer and the residual path, which adds them), the encoder's output
    gathering the cross-attention's ``dX_kv`` of every decoder layer, then the
    encoder's blocks; the embeddings' rows gather the gradients of every
    position that read them.

    Args:
        dlogits: :math:`\partial J/\partial` logits, (m, T_y, n_y).
        cache: from :func:`translator_forward`.

    Returns:
        dict ``"d" + name`` for every parameter, each of its shape and dtype.
    """
    if not isinstance(cache, dict) or cache.get("layer") != "translator":
        raise TypeError(f"cache: expected the cache of translator_forward, got {type(cache).__name__}")
    dlogits = as_float("dlogits", dlogits)
    check_shape("dlogits", dlogits, cache["shape"], "(m, T_y, n_y), the shape of the logits")
    return _backward(dlogits.astype(cache["p"]["out.W_y"].dtype, copy=False), cache)


def shift_right(y, n_y=N_Y):
    """The decoder's inputs for teacher forcing: (m, T_y) indices → the start symbol, then y[:, :-1].

    Args:
        y: int (m, T_y) output indices, each in [0, n_y).
        n_y: the output vocabulary's size; the start symbol is index n_y
            (:data:`START` for the dates).

    Returns:
        int (m, T_y), entries in [0, n_y].
    """
    n_y = check_positive_int("n_y", n_y)
    y = as_indices("y", y, n_y, ndim=2, meaning="(m, T_y)")
    return _shift_right(y, n_y)


def _shift_right(y, start):
    return np.concatenate([np.full((y.shape[0], 1), start, dtype=np.int64), y[:, :-1]], axis=1)


def _loss(p, x, mask, y, n_heads):
    logits, cache = _forward(p, x, mask, _shift_right(y, p["out.W_y"].shape[1]), n_heads)
    onehot = np.eye(logits.shape[-1], dtype=logits.dtype)[y]
    cost, dlogits = softmax_cross_entropy(logits, onehot, axis=-1)
    return cost, _backward(dlogits, cache)


def translator_loss(parameters, x, mask, y, n_heads=N_HEADS):
    r"""Mean cross-entropy over all m·T_y output characters (teacher forcing), and its gradients.

    :math:`J = -\frac{1}{m T_y}\sum_i \sum_t \log \hat y^{(i)<t>}_{y^{(i)<t>}}`; its gradient of
    the logits, :math:`(\hat y - y)/(m T_y)`, carries the 1/m; no layer divides again.

    Args:
        parameters: from :func:`initialize_translator`.
        x: (m, T_x) input indices; mask: bool (m, T_x).
        y: target indices (m, T_y) into :data:`lib.dates.OUTPUT_VOCAB`.
        n_heads: as in :func:`translator_forward`.

    Returns:
        (cost, grads): the float cost and the dict ``"d" + name``.
    """
    p, n_heads = _check_parameters(parameters, n_heads)
    x, mask, _ = _check_inputs(x, mask, p)
    y = as_indices("y", y, p["out.W_y"].shape[1], ndim=2, meaning="(m, T_y)")
    check_shape("y", y, (x.shape[0], None), "(m, T_y), m as x's")
    return _loss(p, x, mask, y, n_heads)


# ---------------------------------------------------------------- training

def train_translator(parameters, data, n_heads=N_HEADS, num_iterations=1000, batch_size=64,
                     learning_rate=0.003, clip=5.0, seed=0, record_every=10, state=None):
    """Train with Adam on mini-batches; returns the mean cost of every ``record_every`` steps.

    Each step: a mini-batch of dates of similar lengths, cut to its longest;
    :func:`translator_loss`'s cost and gradients (by the unchecked kernel: the
    data were checked once here); the gradients scaled down together to a global
    norm of at most ``clip`` and one :func:`lib.optimizers.adam_update`.

    Args:
        parameters: from :func:`initialize_translator`, updated in place (float32 trains in float32).
        data: from :func:`lib.seq2seq.prepare`: ``x`` (m, T_x), ``mask`` (m, T_x), ``y`` (m, T_y).
        n_heads: as in :func:`translator_forward`.
        num_iterations: mini-batch steps, >= 1. batch_size: examples per step, >= 1.
        learning_rate: Adam's α > 0. clip: the largest global norm of the gradients, > 0.
        seed: seed of the batch order, an int >= 0 or None.
        record_every: 1 … num_iterations.
        state: Adam's state (a dict, filled in place) to continue an earlier run.

    Returns:
        list of mean mini-batch costs, one per ``record_every`` steps.
    """
    p, n_heads = _check_parameters(parameters, n_heads)
    if any(not isinstance(v, np.ndarray) or v.dtype != p["out.W_y"].dtype for v in parameters.values()):
        raise TypeError("parameters: expected float arrays all of one dtype (they are updated in place)")
    if not isinstance(data, dict) or not all(k in data for k in ("x", "mask", "y")):
        raise TypeError("data: expected the dict of lib.seq2seq.prepare(pairs), with 'x', 'mask' and 'y'")
    x, mask, _ = _check_inputs(data["x"], data["mask"], p)
    y = as_indices("data['y']", data["y"], p["out.W_y"].shape[1], ndim=2, meaning="(m, T_y)")
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"data['y']: expected {x.shape[0]} rows (m, as data['x']), got {y.shape[0]}")
    num_iterations = check_positive_int("num_iterations", num_iterations)
    batch_size = check_positive_int("batch_size", batch_size)
    learning_rate = float(check_positive("learning_rate", learning_rate))
    clip = float(check_positive("clip", clip))
    rng = make_rng(seed)
    record_every = check_positive_int("record_every", record_every)
    if record_every > num_iterations:
        raise ValueError(f"record_every: expected at most num_iterations = {num_iterations}, got {record_every}")
    if state is not None and not isinstance(state, dict):
        raise TypeError(f"state: expected None or Adam's state dict, got {type(state).__name__}")
    state = {} if state is None else state
    lengths = mask.sum(axis=1)
    costs, window, batches = [], [], []
    for _ in range(num_iterations):
        if not batches:
            batches = length_buckets(lengths, batch_size, rng)
        idx = batches.pop()
        T = int(lengths[idx].max())
        cost, grads = _loss(parameters, x[idx, :T], mask[idx, :T], y[idx], n_heads)
        grads, _ = clip_by_norm.unchecked(grads, clip)
        adam_update.unchecked(parameters, grads, state, learning_rate)
        window.append(cost)
        if len(window) == record_every:
            costs.append(float(np.mean(window)))
            window = []
    return costs


# ---------------------------------------------------------------- decoding

def _next_log_probs(p, Z, mask, n_heads):
    """The step function of :mod:`lib.beam_search` for encoded inputs Z (m, T_x, d_model)."""
    def step(prefixes):
        m, k, t = prefixes.shape
        start = np.full((m * k, 1), p["out.W_y"].shape[1], dtype=np.int64)     # the start symbol
        y_prev = np.concatenate([start, prefixes.reshape(m * k, t)], axis=1)
        logits, _ = _decode(p, y_prev, np.repeat(Z, k, axis=0), np.repeat(mask, k, axis=0), n_heads)
        last = logits[:, -1].astype(np.float64)                          # (m·k, n_y)
        last -= last.max(axis=1, keepdims=True)
        logp = last - np.log(np.exp(last).sum(axis=1, keepdims=True))
        return logp.reshape(m, k, -1)
    return step


def _encode_strings(p, strings):
    x, mask = D.encode_inputs(strings)
    T = int(mask.sum(axis=1).max())
    return x[:, :T], mask[:, :T]


def decode(parameters, x, mask, n_heads=N_HEADS, beam_width=None, T_y=D.T_Y):
    """Translate encoded inputs: greedy decoding (``beam_width=None``) or beam search.

    The encoder runs once; at each output step the decoder runs on every
    partial output (:mod:`lib.beam_search`, which calls it through a step function).

    Args:
        parameters: from :func:`initialize_translator`.
        x: (m, T_x) input indices; mask: bool (m, T_x).
        n_heads: as in :func:`translator_forward`.
        beam_width: None for greedy decoding, an int >= 1 for beam search (1 gives
            greedy decoding's output in the beam's shapes).
        T_y: output characters, >= 1.

    Returns:
        (tokens, log_prob): greedy: int (m, T_y) and (m,); beam search: int
        (m, B, T_y) and (m, B), best first.
    """
    p, n_heads = _check_parameters(parameters, n_heads)
    x, mask, _ = _check_inputs(x, mask, p)
    if beam_width is not None:
        beam_width = check_positive_int("beam_width", beam_width)
    T_y = check_positive_int("T_y", T_y)
    Z, _ = _encode(p, x, mask, n_heads)
    step = _next_log_probs(p, Z, mask, n_heads)
    if beam_width is None:
        return greedy_search(step, x.shape[0], T_y)
    return beam_search(step, x.shape[0], T_y, beam_width)


def translate(parameters, strings, n_heads=N_HEADS, beam_width=None):
    """Human dates → machine dates.

    Args:
        parameters: from :func:`initialize_translator`.
        strings: one string or a list of m strings (characters of :data:`lib.dates.INPUT_VOCAB`).
        n_heads: as in :func:`translator_forward`.
        beam_width: None for greedy decoding, an int >= 1 for beam search (its best output).

    Returns:
        (outputs, log_prob): a list of m strings ``YYYY-MM-DD`` (one string for a
        string) and the total log-probability of each, (m,).
    """
    p, n_heads = _check_parameters(parameters, n_heads)
    x, mask = _encode_strings(p, strings)
    tokens, logp = decode(p, x, mask, n_heads, beam_width)
    if beam_width is not None:
        tokens, logp = tokens[:, 0], logp[:, 0]
    out = D.decode_outputs(tokens)
    return (out[0] if isinstance(strings, str) else out), logp


def exact_match(parameters, pairs, n_heads=N_HEADS, beam_width=None, batch_size=500):
    """Fraction of (human, machine) pairs translated exactly right (all 10 characters).

    Args:
        parameters: from :func:`initialize_translator`.
        pairs: list of (human, machine) string pairs, e.g. ``lib.dates.load_dates()["test"]``.
        n_heads: as in :func:`translator_forward`.
        beam_width: None for greedy decoding, an int >= 1 for beam search.
        batch_size: dates translated at once, >= 1.

    Returns:
        a float in [0, 1].
    """
    from lib.seq2seq import prepare                  # here: seq2seq is a sibling model, not a dependency
    p, n_heads = _check_parameters(parameters, n_heads)
    prepare(pairs)                                   # checks the pairs
    if beam_width is not None:
        beam_width = check_positive_int("beam_width", beam_width)
    batch_size = check_positive_int("batch_size", batch_size)
    right = 0
    for i in range(0, len(pairs), batch_size):
        out, _ = translate(p, [h for h, _ in pairs[i:i + batch_size]], n_heads, beam_width)
        right += sum(o == mm for o, (_, mm) in zip(out, pairs[i:i + batch_size]))
    return right / len(pairs)


def attention_weights(cache):
    """Every attention layer's weights from :func:`translator_forward`'s cache.

    Args:
        cache: from :func:`translator_forward`.

    Returns:
        dict ``"enc{l}.self"`` (m, n_heads, T_x, T_x), ``"dec{l}.self"``
        (m, n_heads, T_y, T_y), ``"dec{l}.cross"`` (m, n_heads, T_y, T_x), for each layer l;
        each row sums to 1.
    """
    if not isinstance(cache, dict) or cache.get("layer") != "translator":
        raise TypeError(f"cache: expected the cache of translator_forward, got {type(cache).__name__}")
    out = {}
    for l, c in enumerate(cache["enc"]):
        out[f"enc{l}.self"] = TF.multi_head_attention_weights(c[0])
    for l, c in enumerate(cache["dec"]["caches"]):
        out[f"dec{l}.self"] = TF.multi_head_attention_weights(c[0])
        out[f"dec{l}.cross"] = TF.multi_head_attention_weights(c[2])
    return out


def attention_maps(parameters, string, n_heads=N_HEADS):
    """One date's translation (greedy) and where every head of every layer looked.

    Args:
        parameters: from :func:`initialize_translator`.
        string: one human date.
        n_heads: as in :func:`translator_forward`.

    Returns:
        (output, maps): the string ``YYYY-MM-DD`` and the dict of
        :func:`attention_weights` for this one example (the leading m = 1 dropped),
        the decoder run on its own output.
    """
    if not isinstance(string, str):
        raise TypeError(f"string: expected one str, got {type(string).__name__}")
    if not string:
        raise ValueError("string: expected a date, got an empty string")
    p, n_heads = _check_parameters(parameters, n_heads)
    out, _ = translate(p, string, n_heads)
    x, mask = _encode_strings(p, string)
    _, cache = _forward(p, x, mask, _shift_right(D.encode_outputs(out), START), n_heads)
    return out, {k: v[0] for k, v in attention_weights(cache).items()}
