r"""The encoder–decoder with attention that translates dates (chapter 15).

The model, in the book's notation (sequences are (n_x, m, T_x)):

* **Encoder**: a bidirectional GRU (:mod:`lib.gru`) over the one-hot input
  characters. The forward GRU reads :math:`x^{<1>} … x^{<T_x>}`, the backward
  one reads them in reverse; their states are stacked,
  :math:`a^{<t'>} = [\overrightarrow{a}^{<t'>}; \overleftarrow{a}^{<t'>}]`, (2 n_a, m).
* **Attention** (:func:`lib.attention.additive_attention_forward`): at output
  step t the decoder's previous state :math:`s^{<t-1>}` scores every
  :math:`a^{<t'>}`; the weights :math:`\alpha^{<t,t'>}` (a softmax over the real,
  unpadded t') give the context :math:`c^{<t>} = \sum_{t'} \alpha^{<t,t'>} a^{<t'>}`.
* **Decoder**: a GRU cell whose input is :math:`[c^{<t>}; y^{<t-1>}]`, the context
  and the previous output character (one-hot; zeros at t = 1), and
  :math:`\hat y^{<t>} = \mathrm{softmax}(W_y s^{<t>} + b_y)`.

Without attention (``attention=False``) the context is the same vector at
every step, the encoder's final states :math:`[\overrightarrow{a}^{<T>};
\overleftarrow{a}^{<1>}]` (T the last real character): the fixed-length
encoding of Cho et al. (2014), everything else unchanged.

Training uses teacher forcing (the true previous character is fed), the mean
cross-entropy over the m·T_y output characters, and Adam; :func:`greedy_decode`
feeds back the model's own argmax.

The chapter trains the model in its own run (about 20 s on 2 cores); to
train it from the command line and save the weights (float32, ``.npz``)::

    python -m lib.seq2seq --out /tmp/attention_weights.npz
"""
import numpy as np

from lib import dates as D
from lib._checks import check_positive, check_positive_int, check_shape
from lib.attention import additive_attention_backward, additive_attention_forward, attention_keys
from lib.gru import gru_backward, gru_cell_backward, gru_cell_forward, gru_forward, initialize_gru
from lib.losses import softmax_cross_entropy
from lib.optimizers import adam_update


def initialize_seq2seq(n_x=len(D.INPUT_VOCAB), n_y=len(D.OUTPUT_VOCAB), n_a=32, n_s=64, n_e=32,
                       seed=0):
    """Parameters of the translator, one flat dict ``"part.name" → array``.

    Args:
        n_x: input vocabulary size; n_y: output vocabulary size.
        n_a: hidden units of each encoder direction (the states are 2 n_a).
        n_s: hidden units of the decoder.
        n_e: size of the attention layer (rows of W_s and W_a).
        seed: seed of the random generator.

    Returns:
        dict with ``enc_f.*`` and ``enc_b.*`` (two GRUs n_x → n_a), ``dec.*`` (a GRU
        2 n_a + n_y → n_s), ``att.W_s`` (n_e, n_s), ``att.W_a`` (n_e, 2 n_a),
        ``att.b`` (n_e, 1), ``att.v`` (n_e, 1), ``out.W_y`` (n_y, n_s), ``out.b_y`` (n_y, 1).
        A model without attention simply leaves the ``att.*`` arrays unused.
    """
    for name, v in (("n_x", n_x), ("n_y", n_y), ("n_a", n_a), ("n_s", n_s), ("n_e", n_e)):
        check_positive_int(name, v)
    rng = np.random.default_rng(seed)
    seeds = rng.integers(2**31, size=3)
    params = {}
    for part, gru in (("enc_f", initialize_gru(n_x, n_a, seeds[0])),
                      ("enc_b", initialize_gru(n_x, n_a, seeds[1])),
                      ("dec", initialize_gru(2 * n_a + n_y, n_s, seeds[2]))):
        params.update({f"{part}.{k}": v for k, v in gru.items()})
    params["att.W_s"] = rng.normal(0, 1 / np.sqrt(n_s), (n_e, n_s))
    params["att.W_a"] = rng.normal(0, 1 / np.sqrt(2 * n_a), (n_e, 2 * n_a))
    params["att.b"] = np.zeros((n_e, 1))
    params["att.v"] = rng.normal(0, 1 / np.sqrt(n_e), (n_e, 1))
    params["out.W_y"] = rng.normal(0, 1 / np.sqrt(n_s), (n_y, n_s))
    params["out.b_y"] = np.zeros((n_y, 1))
    return params


def _part(params, prefix):
    """The sub-dict of one part, keys without the prefix (the same arrays, not copies)."""
    n = len(prefix) + 1
    return {k[n:]: v for k, v in params.items() if k.startswith(prefix + ".")}


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


def _encode(X, mask, params):
    """Bidirectional GRU: (n_x, m, T_x) → states a (2 n_a, m, T_x) and the caches."""
    n_a = params["enc_f.U_z"].shape[0]
    m = X.shape[1]
    zeros = np.zeros((n_a, m))
    rows, perm = np.arange(m)[:, None], _reverse_within_length(mask)
    a_f, cache_f = gru_forward(X, zeros, _part(params, "enc_f"))
    a_b_rev, cache_b = gru_forward(X[:, rows, perm], zeros, _part(params, "enc_b"))
    a = np.concatenate([a_f, a_b_rev[:, rows, perm]], axis=0)
    last = mask.sum(axis=1) - 1                    # index of each example's last real character
    return a, (cache_f, cache_b, last, perm)


def _final_state(a, last):
    r"""The fixed-length encoding :math:`[\overrightarrow{a}^{<T>}; \overleftarrow{a}^{<1>}]`, (2 n_a, m)."""
    n_a = a.shape[0] // 2
    m = a.shape[1]
    return np.concatenate([a[:n_a, np.arange(m), last], a[n_a:, :, 0]], axis=0)


def _check_batch(X, mask, params):
    X = np.asarray(X, dtype=float)
    n_x = params["enc_f.W_z"].shape[1]
    if X.ndim != 3:
        raise ValueError(f"X: expected shape (n_x, m, T_x), got {X.shape}")
    check_shape("X", X, (n_x, None, None), "(n_x, m, T_x)")
    mask = np.asarray(mask, dtype=bool)
    check_shape("mask", mask, X.shape[1:], "(m, T_x)")
    if not np.all(mask[:, 0]) or np.any(mask[:, 1:] & ~mask[:, :-1]):
        raise ValueError("mask: expected each row to be True on a non-empty prefix (the real "
                         "characters) and False after it (the padding)")
    return X, mask


def seq2seq_forward(X, mask, Y_prev, params, attention=True):
    r"""Teacher-forced forward pass: the logits of every output step.

    Args:
        X: one-hot inputs, (n_x, m, T_x).
        mask: bool (m, T_x), True on real characters (a prefix of each row).
        Y_prev: the previous output characters fed to the decoder, one-hot
            (n_y, m, T_y), zeros at t = 1 (see :func:`shift_right`).
        params: from :func:`initialize_seq2seq`.
        attention: False for the fixed-context model.

    Returns:
        (logits, alpha), cache: logits (n_y, m, T_y); alpha (m, T_y, T_x), the
        attention weights (None without attention).
    """
    X, mask = _check_batch(X, mask, params)
    n_y = params["out.W_y"].shape[0]
    Y_prev = np.asarray(Y_prev, dtype=float)
    if Y_prev.ndim != 3:
        raise ValueError(f"Y_prev: expected shape (n_y, m, T_y), got {Y_prev.shape}")
    check_shape("Y_prev", Y_prev, (n_y, X.shape[1], None), "(n_y, m, T_y)")
    a, enc_cache = _encode(X, mask, params)
    att = _part(params, "att")
    dec = _part(params, "dec")
    m, T_y = X.shape[1], Y_prev.shape[2]
    n_s = params["dec.U_z"].shape[0]
    keys = attention_keys(a, att["W_a"]) if attention else None
    fixed = None if attention else _final_state(a, enc_cache[2])
    s = np.zeros((n_s, m))
    S = np.empty((n_s, m, T_y))
    alpha = np.empty((m, T_y, a.shape[2])) if attention else None
    steps = []
    for t in range(T_y):
        if attention:
            (c, alpha[:, t]), att_cache = additive_attention_forward(s, a, att, mask, keys)
        else:
            c, att_cache = fixed, None
        s, cell_cache = gru_cell_forward(np.concatenate([c, Y_prev[:, :, t]]), s, dec)
        S[:, :, t] = s
        steps.append((att_cache, cell_cache))
    logits = (params["out.W_y"] @ S.reshape(n_s, m * T_y) + params["out.b_y"]).reshape(n_y, m, T_y)
    return (logits, alpha), (a, keys, enc_cache, steps, S, attention)


def seq2seq_backward(dlogits, cache, params):
    """Gradients of all parameters from ``dlogits`` (n_y, m, T_y); returns a dict like ``params``.

    Walks the decoder steps backwards (the state gradient gathers the output
    layer's, the next cell's and the next attention query's shares), then the
    encoder states' gradient goes through both GRUs with :func:`lib.gru.gru_backward`.
    The ``att.*`` gradients are zero for a model without attention.
    """
    a, keys, (cache_f, cache_b, last, perm), steps, S, attention = cache
    n_s, m, T_y = S.shape
    n_a2 = a.shape[0]
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dl = dlogits.reshape(-1, m * T_y)
    grads["out.W_y"] = dl @ S.reshape(n_s, m * T_y).T
    grads["out.b_y"] = dl.sum(axis=1, keepdims=True)
    dS = (params["out.W_y"].T @ dl).reshape(n_s, m, T_y)
    da = np.zeros_like(a)
    dkeys = np.zeros_like(keys) if attention else None
    dfixed = np.zeros((n_a2, m))
    ds_next = np.zeros((n_s, m))
    for t in reversed(range(T_y)):
        att_cache, cell_cache = steps[t]
        g = gru_cell_backward(dS[:, :, t] + ds_next, cell_cache)
        for k, v in g.items():
            if k not in ("dxt", "da_prev"):
                grads["dec." + k[1:]] += v
        dc = g["dxt"][:n_a2]
        ds_next = g["da_prev"]
        if attention:
            ga = additive_attention_backward(dc, att_cache)
            ds_next = ds_next + ga["ds_prev"]
            da += ga["da"]
            dkeys += ga["dkeys"]
            for k in ("W_s", "b", "v"):
                grads["att." + k] += ga["d" + k]
        else:
            dfixed += dc
    if attention:
        flat = dkeys.reshape(dkeys.shape[0], -1)
        grads["att.W_a"] = flat @ a.reshape(n_a2, -1).T
        da += (params["att.W_a"].T @ flat).reshape(a.shape)
    else:
        n_a = n_a2 // 2
        da[:n_a, np.arange(m), last] += dfixed[:n_a]
        da[n_a:, :, 0] += dfixed[n_a:]
    n_a = n_a2 // 2
    da_b_rev = da[n_a:, np.arange(m)[:, None], perm]     # perm is its own inverse
    for part, enc_cache, d in (("enc_f", cache_f, da[:n_a]), ("enc_b", cache_b, da_b_rev)):
        g = gru_backward(d, enc_cache)
        for k, v in g.items():
            if k not in ("dx", "da0"):
                grads[f"{part}.{k[1:]}"] = v
    return grads


def shift_right(Y_onehot):
    """Decoder inputs for teacher forcing: (n_y, m, T_y) → zeros at t = 1, then y^<1> … y^<T_y-1>."""
    out = np.zeros_like(Y_onehot)
    out[:, :, 1:] = Y_onehot[:, :, :-1]
    return out


def seq2seq_loss(params, X, mask, Y, attention=True):
    """Mean cross-entropy over all m·T_y output characters, and its gradients.

    Args:
        params: from :func:`initialize_seq2seq`.
        X: one-hot inputs (n_x, m, T_x); mask: bool (m, T_x).
        Y: target indices (m, T_y) into the output vocabulary.
        attention: as in :func:`seq2seq_forward`.

    Returns:
        (cost, grads): the float cost and a dict of gradients like ``params``.
    """
    n_y = params["out.W_y"].shape[0]
    Y = np.asarray(Y)
    Y_onehot = D.one_hot(Y, n_y)
    (logits, _), cache = seq2seq_forward(X, mask, shift_right(Y_onehot), params, attention)
    n, m, T_y = logits.shape
    cost, dz = softmax_cross_entropy(logits.reshape(n, m * T_y), Y_onehot.reshape(n, m * T_y))
    return cost, seq2seq_backward(dz.reshape(n, m, T_y), cache, params)


def prepare(pairs):
    """Encode (human, machine) pairs: returns dict ``x`` (m, T_x) indices, ``mask`` (m, T_x), ``y`` (m, T_y)."""
    x, mask = D.encode_inputs([h for h, _ in pairs])
    return {"x": x, "mask": mask, "y": D.encode_outputs([mm for _, mm in pairs])}


def _length_buckets(lengths, batch_size, rng, group=20):
    """One epoch of mini-batches whose examples have similar lengths, in random order.

    Shuffle, sort each run of ``group`` batches by length, cut it into batches,
    shuffle the batches: a batch of short dates then costs only its own length
    (the padding beyond its longest example is trimmed), about half of T_x.
    """
    order = rng.permutation(len(lengths))
    size = group * batch_size
    batches = []
    for start in range(0, len(order), size):
        chunk = order[start:start + size]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def train(params, data, iterations=1000, batch_size=128, learning_rate=0.01, attention=True,
          clip=5.0, seed=0, record_every=10, state=None):
    """Train with Adam on mini-batches; returns the costs recorded every ``record_every`` steps.

    Args:
        params: from :func:`initialize_seq2seq`, updated in place.
        data: from :func:`prepare`.
        iterations: number of mini-batch steps.
        batch_size: examples per step.
        learning_rate: Adam's α.
        attention: train the attention model (True) or the fixed-context one.
        clip: the gradient's global norm is scaled down to at most ``clip``.
        seed: seed of the batch order.
        record_every: keep the mean cost of every this many steps.
        state: Adam's state (a dict, filled in place) to continue an earlier run.

    Returns:
        list of mean mini-batch costs, one per ``record_every`` steps.
    """
    iterations = check_positive_int("iterations", iterations)
    batch_size = check_positive_int("batch_size", batch_size)
    check_positive("learning_rate", learning_rate)
    rng = np.random.default_rng(seed)
    n_x = params["enc_f.W_z"].shape[1]
    state = {} if state is None else state
    costs, window, batches = [], [], []
    for _ in range(iterations):
        if not batches:
            batches = _length_buckets(data["mask"].sum(axis=1), batch_size, rng)
        idx = batches.pop()
        T = int(data["mask"][idx].sum(axis=1).max())   # trim the padding no example needs
        cost, grads = seq2seq_loss(params, D.one_hot(data["x"][idx, :T], n_x),
                                   data["mask"][idx, :T], data["y"][idx], attention)
        norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
        if norm > clip:
            for g in grads.values():
                g *= clip / norm
        adam_update(params, grads, state, learning_rate, grad_prefix="")
        window.append(cost)
        if len(window) == record_every:
            costs.append(float(np.mean(window)))
            window = []
    return costs


def greedy_decode(params, X, mask, T_y=D.T_Y, attention=True):
    """Translate by feeding back the model's own most likely character at each step.

    Args:
        X: one-hot inputs (n_x, m, T_x); mask: bool (m, T_x).
        T_y: number of output characters.

    Returns:
        (indices, alpha): int (m, T_y) output indices and the attention weights
        (m, T_y, T_x) (None without attention).
    """
    X, mask = _check_batch(X, mask, params)
    a, (_, _, last, _) = _encode(X, mask, params)
    att, dec = _part(params, "att"), _part(params, "dec")
    n_y, n_s = params["out.W_y"].shape
    m = X.shape[1]
    keys = attention_keys(a, att["W_a"]) if attention else None
    fixed = None if attention else _final_state(a, last)
    s, y_prev = np.zeros((n_s, m)), np.zeros((n_y, m))
    out = np.empty((m, T_y), dtype=np.int64)
    alpha = np.empty((m, T_y, a.shape[2])) if attention else None
    for t in range(T_y):
        if attention:
            (c, alpha[:, t]), _ = additive_attention_forward(s, a, att, mask, keys)
        else:
            c = fixed
        s, _ = gru_cell_forward(np.concatenate([c, y_prev]), s, dec)
        out[:, t] = np.argmax(params["out.W_y"] @ s + params["out.b_y"], axis=0)
        y_prev = np.zeros((n_y, m))
        y_prev[out[:, t], np.arange(m)] = 1.0
    return out, alpha


def translate(params, strings, attention=True):
    """Human dates → machine dates with the trained model.

    Args:
        strings: one string or a list of m strings (characters of
            :data:`lib.dates.INPUT_VOCAB`, at most ``T_x`` long, else ValueError).

    Returns:
        (outputs, alpha): a list of m strings ``YYYY-MM-DD`` (a string for a
        string) and the attention weights (m, T_y, T_x) (None without attention).
    """
    single = isinstance(strings, str)
    x, mask = D.encode_inputs(strings)
    idx, alpha = greedy_decode(params, D.one_hot(x, params["enc_f.W_z"].shape[1]), mask,
                               attention=attention)
    out = D.decode_outputs(idx)
    return (out[0] if single else out), alpha


def attention_map(params, string):
    """The translation of one human date and where it looked.

    Returns:
        (output, alpha): the string ``YYYY-MM-DD`` and the weights (T_y, len(string)),
        row t the attention of output character t over the input characters.
    """
    if not isinstance(string, str):
        raise ValueError(f"string: expected one str, got {type(string).__name__}")
    out, alpha = translate(params, string)
    return out, alpha[0, :, :len(string)]


def exact_match(params, pairs, attention=True, batch_size=500):
    """Fraction of (human, machine) pairs translated exactly right (all 10 characters)."""
    right = 0
    for i in range(0, len(pairs), batch_size):
        chunk = pairs[i:i + batch_size]
        out, _ = translate(params, [h for h, _ in chunk], attention)
        right += sum(o == mm for o, (_, mm) in zip(out, chunk))
    return right / len(pairs)


def encode(params, strings):
    """The encoder's states for human dates: what attention reads.

    Returns:
        (a, mask): a (2 n_a, m, T_x), the stacked forward and backward GRU
        states, and mask (m, T_x), True on the real characters.
    """
    x, mask = D.encode_inputs(strings)
    a, _ = _encode(D.one_hot(x, params["enc_f.W_z"].shape[1]), mask, params)
    return a, mask


def plot_attention(alpha, source, target, ax=None, title=None):
    """Draw one translation's attention weights as a heat map.

    Args:
        alpha: (T_y, T_x) weights of one example (e.g. ``translate(...)[1][0]``).
        source: the input string (its characters label the x axis).
        target: the output string (its characters label the y axis).
        ax: axes to draw on (a new figure when None).

    Returns:
        the axes; only the columns of the real input characters are drawn.
    """
    import matplotlib.pyplot as plt

    alpha = np.asarray(alpha)
    if alpha.ndim != 2 or alpha.shape[0] != len(target) or alpha.shape[1] < len(source):
        raise ValueError(f"alpha: expected shape (len(target)={len(target)}, T_x >= "
                         f"len(source)={len(source)}), got {alpha.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.28 * len(source) + 2.2, 3.6))
    im = ax.imshow(alpha[:, :len(source)], cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(source)), [c if c != " " else "␣" for c in source])
    ax.set_yticks(range(len(target)), list(target))
    ax.set_xlabel("input character $t'$")
    ax.set_ylabel("output character $t$")
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label=r"$\alpha^{<t,t'>}$", shrink=0.85)
    ax.set_title(title or f"{source!r} → {target}")
    return ax


def save_params(path, params):
    """Save the parameters as float32 in a compressed ``.npz`` (about 4 bytes per weight)."""
    np.savez_compressed(path, **{k: v.astype(np.float32) for k, v in params.items()})


def load_params(path):
    """Load parameters saved by :func:`save_params`, back in float64."""
    with np.load(path) as f:
        return {k: f[k].astype(np.float64) for k in f.files}


def main(argv=None):
    """Command line: train the attention model on the default data set and save its weights."""
    import argparse
    import time

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--iterations", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    data = D.load_dates(seed=0)
    params = initialize_seq2seq(seed=args.seed)
    start = time.perf_counter()
    costs = train(params, prepare(data["train"]), iterations=args.iterations, seed=args.seed)
    print(f"trained in {time.perf_counter() - start:.1f} s, last cost {costs[-1]:.4f}, "
          f"test exact match {exact_match(params, data['test']):.3f}")
    save_params(args.out, params)


if __name__ == "__main__":
    main()
