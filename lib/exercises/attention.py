r"""Checkers for Part VI, attention: scaled dot-product attention (chapter ``22_attention``) and the
positional encoding (chapter ``23_transformer``).

* :func:`check_scaled_dot_product_attention`:
  :math:`\mathrm{softmax}(Q K^\top / \sqrt{d_k})\, V`, batched, with a mask;
* :func:`check_positional_encoding`: the sinusoidal code
  :math:`PE_{pos, 2i} = \sin(pos\,\omega_i)`, :math:`PE_{pos, 2i+1} = \cos(pos\,\omega_i)`,
  (T, d_model), with its own diagnoses (sines and cosines swapped, the wrong
  exponent, positions from 1, [sin | cos] halves …), named the same way.

Here, as in ``lib.attention`` and the chapter, positions are **rows**:
Q (m, T_q, d_k), K (m, T_k, d_k), V (m, T_k, d_v), the weights (m, T_q, T_k)
and the output (m, T_q, d_v); the positional encoding is (T, d_model). Neither
checker refuses a Python loop (a loop over the m examples is what
``scaled_dot_product_attention_loop_forward`` does; one over the positions is a
fine first positional encoding). Besides the common diagnoses, each knows the typical wrong versions (no
division by √d_k, the softmax over the queries, the mask ignored, inverted or
applied after the softmax …) and names the one that gives the learner's wrong
entry on the failing case (:func:`lib.exercises.sequences.known_mistakes`).
"""
import numpy as np

from lib import attention, transformer
from lib.exercises._feedback import Case, check
from lib.exercises.sequences import known_mistakes, named, safe, with_shape_hint


# ------------------------------------------------------------------ chapter 22: scaled dot-product attention

def _attention(Q, K, V, mask=None, scale="sqrt", axis=-1, masking="scores"):
    """Scaled dot-product attention with one of the typical mistakes switched on (for the diagnoses)."""
    d_k = Q.shape[-1]
    S = Q @ np.swapaxes(K, -1, -2) / {"sqrt": np.sqrt(d_k), "none": 1.0, "d_k": d_k}[scale]
    if mask is not None and masking in ("scores", "inverted"):
        S = np.where(mask if masking == "scores" else ~mask, S, -np.inf)
    e = np.exp(S - np.max(S, axis=axis, keepdims=True))
    weights = e / np.sum(e, axis=axis, keepdims=True)
    if mask is not None and masking == "after":
        weights = weights * mask
    return {"weights": weights, "out": weights @ V}


def _reference(Q, K, V, mask=None):
    out, cache = attention.scaled_dot_product_attention_forward(Q, K, V, mask=mask)
    return {"weights": np.array(attention.attention_weights(cache)), "out": out}


def _qkv(rng, m, T_q, T_k, d_k, d_v, dtype=np.float64, size=1.0):
    return tuple((size * rng.standard_normal(shape)).astype(dtype)
                 for shape in ((m, T_q, d_k), (m, T_k, d_k), (m, T_k, d_v)))


def _attention_cases():
    rng = np.random.default_rng(22)
    padding = np.ones((2, 3, 5), bool)
    padding[0, :, 4:] = False                        # example 1 has 4 real keys, then 1 padding position,
    padding[1, :, 3:] = False                        # example 2 has 3 real keys, then 2
    causal = np.broadcast_to(np.tril(np.ones((5, 5), bool)), (3, 5, 5)).copy()
    return [Case("m = 2, T_q = 3, T_k = 4, d_k = 5, d_v = 6, no mask", _qkv(rng, 2, 3, 4, 5, 6)),
            Case("a padding mask: 4 and 3 real keys of 5", _qkv(rng, 2, 3, 5, 4, 2),
                 {"mask": padding}),
            Case("self-attention with a causal mask (query i sees keys 1 … i), T_q = T_k = 5",
                 _qkv(rng, 3, 5, 5, 4, 4), {"mask": causal}),
            Case("d_k = 64, where the scaling matters", _qkv(rng, 4, 6, 7, 64, 3)),
            Case("a single key, T_k = 1 (every weight is 1)", _qkv(rng, 2, 3, 1, 4, 5)),
            Case("float32 queries, keys and values", _qkv(rng, 2, 4, 3, 8, 5, dtype=np.float32)),
            Case("large scores (of the order of ±1000)", _qkv(rng, 2, 3, 4, 4, 3, size=25.0))]


def check_scaled_dot_product_attention(attention_function):
    r"""Check a learner's ``scaled_dot_product_attention(Q, K, V, mask=None) -> (out, weights)``.

    :math:`S = Q K^\top / \sqrt{d_k}` (m, T_q, T_k); where ``mask`` is False
    the score is :math:`-\infty`; ``weights`` = the softmax of S along the keys
    (the last axis: every row sums to 1, 0 where masked); ``out`` = weights V
    (m, T_q, d_v). Q (m, T_q, d_k), K (m, T_k, d_k), V (m, T_k, d_v), mask
    None or bool (m, T_q, T_k), True where query i may attend to key j; one
    position per row, as in ``lib.attention``. The reference is
    ``lib.attention.scaled_dot_product_attention_forward`` and
    ``attention_weights``; the weights are compared first, out depending on
    them. The last case has scores of about ±1000, where the
    softmax overflows unless each row's largest score is subtracted first.
    Loops are allowed. Diagnoses: no division by √d_k, a division by d_k, the
    softmax over the queries (weights that do not sum to 1 over the keys), the
    mask not applied, inverted, or applied after the softmax, weights whose
    rows do not sum to 1, the tuple in the wrong order, positions as columns;
    shape errors get a hint about K's transpose.
    """
    mistakes = [
        ("the scores are not divided by √d_k: S = Q Kᵀ / √d_k keeps their spread at about 1 whatever d_k",
         lambda Q, K, V, mask=None: _attention(Q, K, V, mask, scale="none")),
        ("the scores are divided by d_k: the scale is 1/√d_k (the spread of q · k is √d_k)",
         lambda Q, K, V, mask=None: _attention(Q, K, V, mask, scale="d_k")),
        ("the softmax runs over the wrong axis: the weights must sum to 1 over the keys, along the last axis "
         "(axis=-1) of S (m, T_q, T_k), one row per query",
         lambda Q, K, V, mask=None: _attention(Q, K, V, mask, axis=-2)),
        ("the mask is not applied: set the masked scores to −∞ (np.where(mask, S, -np.inf)) before the softmax, "
         "so that they get weight exactly 0",
         lambda Q, K, V, mask=None: _attention(Q, K, V, None) if mask is not None else _no()),
        ("the mask is inverted: True means the query may attend to that key",
         lambda Q, K, V, mask=None: _attention(Q, K, V, mask, masking="inverted") if mask is not None else _no()),
        ("the mask is applied after the softmax: the weights left no longer sum to 1; mask the scores (−∞) "
         "before the softmax instead",
         lambda Q, K, V, mask=None: _attention(Q, K, V, mask, masking="after") if mask is not None else _no()),
    ]

    def rows_sum_to_one(mismatch, case):
        got = mismatch.got
        if mismatch.where == "['weights']" and isinstance(got, np.ndarray) \
                and got.shape == np.shape(mismatch.expected) \
                and np.any(got) and np.all(np.isfinite(got)) and not np.allclose(np.sum(got, axis=-1), 1, atol=1e-4):
            return ("the weights do not sum to 1 over the keys: each row of the weights (one query) is a softmax "
                    "along the last axis")
        return None

    def tuple_order(mismatch, case):
        Q, K, V = case.args
        if mismatch.where == "['weights']" and np.shape(mismatch.got) == (Q.shape[0], Q.shape[1], V.shape[2]) \
                and V.shape[2] != K.shape[1]:
            return "the weights have out's shape (m, T_q, d_v): return the tuple in the order (out, weights)"
        return None

    def positions_as_rows(mismatch, case):
        got = mismatch.got
        if isinstance(got, np.ndarray) and isinstance(mismatch.expected, np.ndarray) and got.ndim == 3 \
                and got.shape != mismatch.expected.shape \
                and got.shape == mismatch.expected.shape[:1] + mismatch.expected.shape[:0:-1]:
            return (f"the shape is {got.shape} where {mismatch.expected.shape} was expected: here positions are "
                    f"rows, (m, T_q, …), as in lib.attention; swap the last two axes")
        return None

    hint = ("Q (m, T_q, d_k) times Kᵀ needs K with its last two axes swapped, np.swapaxes(K, -1, -2) or "
            "K.transpose(0, 2, 1) (K.T would reverse all three axes): the scores are (m, T_q, T_k), the weights "
            "times V (m, T_k, d_v) give (m, T_q, d_v)")
    return check("scaled_dot_product_attention", with_shape_hint(attention_function, hint), _reference,
                 _attention_cases(), adapt=named("out", "weights", order=("weights", "out")),
                 diagnoses=(known_mistakes(mistakes), safe(rows_sum_to_one), safe(tuple_order),
                            safe(positions_as_rows)),
                 overflow_hint="exp of a large score overflowed, or a whole row of scores was −∞ (−∞ − (−∞) is "
                               "NaN): subtract each row's largest score before np.exp (the softmax does not "
                               "change, and every exponent is then ≤ 0), and set a score to −∞ only where "
                               "mask is False")


class _DoesNotApply(Exception):
    """A mistake that cannot happen on this case (no mask to forget)."""


def _no():
    raise _DoesNotApply


# ------------------------------------------------------------------ chapter 23: the positional encoding

def _positional_encoding(T, d_model, start=0, exponent="2i", layout="interleaved", swap=False, cos=True):
    """The sinusoidal code with one of the typical mistakes switched on (for the diagnoses)."""
    pos = np.arange(start, start + T, dtype=np.float64)[:, None]                 # (T, 1)
    i = np.arange(d_model // 2, dtype=np.float64)                                # the pairs, i = 0 … d/2 − 1
    power = {"2i": -2 * i / d_model, "i": -i / d_model, "+2i": 2 * i / d_model,
             "//": -(2 * np.arange(d_model // 2) // d_model).astype(np.float64)}
    if exponent in power:
        sin_angle = cos_angle = pos * 10000.0 ** power[exponent]
    elif exponent == "column 2j":                 # column j's own exponent −2j/d, for the sines and the cosines
        sin_angle = pos * 10000.0 ** (-2 * (2 * i) / d_model)
        cos_angle = pos * 10000.0 ** (-2 * (2 * i + 1) / d_model)
    else:                                         # "column j": the cosine's column 2i+1 gets −(2i+1)/d
        sin_angle = pos * 10000.0 ** (-(2 * i) / d_model)
        cos_angle = pos * 10000.0 ** (-(2 * i + 1) / d_model)
    first, second = np.sin(sin_angle), (np.cos(cos_angle) if cos else np.zeros_like(cos_angle))
    if swap:
        first, second = np.cos(sin_angle), np.sin(cos_angle)
    if layout == "halves":
        return np.concatenate([first, second], axis=1)
    pe = np.empty((T, d_model))
    pe[:, 0::2], pe[:, 1::2] = first, second
    return pe


def _positional_encoding_cases():
    return [Case("T = 50 positions, d_model = 8", (50, 8)),
            Case("a single position, T = 1 (pos = 0: sin 0 = 0 and cos 0 = 1), d_model = 4", (1, 4)),
            Case("a single pair of columns, d_model = 2 (ω_0 = 1), T = 7", (7, 2)),
            Case("T = 100, d_model = 64", (100, 64)),
            Case("the paper's d_model = 512, T = 3", (3, 512))]


def check_positional_encoding(positional_encoding_function):
    r"""Check a learner's ``positional_encoding(T, d_model) -> PE``, (T, d_model), float64.

    :math:`PE_{pos, 2i} = \sin(pos\,\omega_i)`, :math:`PE_{pos, 2i+1} = \cos(pos\,\omega_i)`,
    :math:`\omega_i = 10000^{-2i/d_{model}}`, for pos = 0 … T−1 (one row per
    position) and i = 0 … d_model/2 − 1 (one pair of columns per frequency);
    d_model is even. The reference is ``lib.transformer.positional_encoding``.
    The arguments are two ints, so there is no float32 input to keep: the code
    is float64 (the translator casts it when it adds it to float32
    embeddings), and a float32 result is named as such. Loops are allowed (a
    loop over the positions or the pairs is a fine first version; the chapter
    is not about vectorisation). Diagnoses: the sines and cosines swapped
    (cosine in the even columns), ω_i = 10000^(−i/d_model) instead of
    10000^(−2i/d_model), a positive exponent, the column index j used for i
    (10000^(−2j/d_model)), the cosine of column 2i+1 with its own frequency,
    the exponent computed with integer division (every ω = 1), positions
    counted from 1, the concatenated halves [sin | cos] instead of interleaved
    columns, the cosine columns left empty, the code laid out (d_model, T).
    """
    mistakes = [
        ("the sines and cosines are swapped: the sine goes in the even columns 2i (pe[:, 0::2]), the cosine in "
         "the odd columns 2i+1 (pe[:, 1::2]), so that row 0 (pos = 0) reads 0, 1, 0, 1, …",
         lambda T, d: _positional_encoding(T, d, swap=True)),
        ("the exponent is −i/d_model, half of what it should be: ω_i = 10000^(−2i/d_model) with i = 0 … "
         "d_model/2 − 1 counting the pairs of columns (the exponent is −j/d_model with j = 2i, the sine's column)",
         lambda T, d: _positional_encoding(T, d, exponent="i")),
        ("the exponent's sign is wrong: ω_i = 10000^(−2i/d_model) falls from 1 towards 1/10000, the later pairs "
         "turning more and more slowly; with +2i/d_model they turn faster and faster instead",
         lambda T, d: _positional_encoding(T, d, exponent="+2i")),
        ("the exponent uses the column index j, 10000^(−2j/d_model): i counts the pairs of columns, so columns "
         "2i and 2i+1 both use ω_i = 10000^(−2i/d_model)",
         lambda T, d: _positional_encoding(T, d, exponent="column 2j")),
        ("the cosine column 2i+1 has a frequency of its own, 10000^(−(2i+1)/d_model): the sine and the cosine "
         "of a pair share ω_i = 10000^(−2i/d_model), so that together they are a point on a circle",
         lambda T, d: _positional_encoding(T, d, exponent="column j")),
        ("every pair turns at the same speed, ω = 1: the exponent −2i/d_model was computed with integer "
         "division (//), which gives 0 (or −1); divide with /",
         lambda T, d: _positional_encoding(T, d, exponent="//")),
        ("the positions start at 1: the first position is pos = 0 (np.arange(T)), whose code is "
         "sin 0 = 0 and cos 0 = 1 in turn",
         lambda T, d: _positional_encoding(T, d, start=1)),
        ("the sines and cosines are in two halves [sin | cos]: this chapter (and the paper) interleaves them, "
         "the sine of pair i in column 2i and its cosine in column 2i+1 (pe[:, 0::2] and pe[:, 1::2]); the "
         "halves hold the same numbers in another order of the columns",
         lambda T, d: _positional_encoding(T, d, layout="halves")),
        ("the odd columns are empty: column 2i+1 holds cos(pos ω_i), beside the sine of column 2i",
         lambda T, d: _positional_encoding(T, d, cos=False)),
    ]

    def rows_are_positions(mismatch, case):
        got, expected = mismatch.got, mismatch.expected
        if isinstance(got, np.ndarray) and got.shape != expected.shape and got.shape == expected.shape[::-1]:
            return (f"the shape is {got.shape} where (T, d_model) = {expected.shape} was expected: one row per "
                    f"position, as the sequences X (m, T, d_model) that the code is added to")
        return None

    def float32(mismatch, case):
        got, expected = mismatch.got, mismatch.expected
        if isinstance(got, np.ndarray) and got.dtype == np.float32 and got.shape == expected.shape \
                and np.allclose(got, expected, atol=1e-4):
            return ("right to float32's precision, but float32: the code is float64 (np.arange(T) gives "
                    "float64, and large angles pos·ω need its precision); cast it where you add it to float32 "
                    "embeddings, as the translator does")
        return None

    def not_finite(mismatch, case):
        got = mismatch.got
        if isinstance(got, np.ndarray) and np.issubdtype(got.dtype, np.number) and not np.all(np.isfinite(got)):
            return f"the code holds inf or NaN: {finite}"
        return None

    finite = ("every entry is a sine or a cosine of pos·ω_i, in [−1, 1]; compute ω_i = 10000.0 ** (−2i/d_model) "
              "with a float base and a float exponent")
    hint = ("pos (T, 1) times ω (d_model/2,) broadcasts to the angles (T, d_model/2); their sines fill the "
            "d_model/2 even columns pe[:, 0::2] and their cosines the odd columns pe[:, 1::2]")
    return check("positional_encoding", with_shape_hint(positional_encoding_function, hint),
                 transformer.positional_encoding, _positional_encoding_cases(),
                 diagnoses=(safe(not_finite), safe(float32), safe(rows_are_positions), known_mistakes(mistakes)),
                 overflow_hint=finite)
