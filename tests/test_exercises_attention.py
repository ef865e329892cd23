"""What the checkers of Part VI (attention) accept, and what they reject with which diagnosis."""
import math

import numpy as np
import pytest

from checking import assert_rejected, verdict
from lib import attention
from lib.exercises import check_scaled_dot_product_attention


# ----------------------------------------------------------------- scaled dot-product attention (chapter 22)
def sdpa(Q, K, V, mask=None, scale=None, axis=-1, masking="scores", subtract_max=True, fill=-np.inf):
    S = Q @ np.swapaxes(K, -1, -2) / (math.sqrt(Q.shape[-1]) if scale is None else scale)
    if mask is not None and masking == "scores":
        S = np.where(mask, S, fill)
    if mask is not None and masking == "inverted":
        S = np.where(mask, fill, S)
    e = np.exp(S - np.max(S, axis=axis, keepdims=True)) if subtract_max else np.exp(S)
    weights = e / np.sum(e, axis=axis, keepdims=True)
    if mask is not None and masking == "after":
        weights = weights * mask
    return weights @ V, weights


def good_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask)


def large_negative_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask, fill=-1e9)                     # -1e9 instead of -inf: the same weights


def looped_sdpa(Q, K, V, mask=None):
    results = [attention.scaled_dot_product_attention_forward(Q[i], K[i], V[i], None if mask is None else mask[i])
               for i in range(Q.shape[0])]
    return (np.stack([out for out, _ in results]),
            np.stack([attention.attention_weights(cache) for _, cache in results]))


def unscaled_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask, scale=1)


def d_k_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask, scale=Q.shape[-1])


def wrong_axis_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask, axis=-2)


def unmasked_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, None)


def inverted_mask_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask, masking="inverted")


def mask_after_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask, masking="after")


def overflowing_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask, subtract_max=False)


def np_sqrt_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask, scale=np.sqrt(Q.shape[-1]))   # a float64 scalar: float32 becomes float64


def not_transposed_sdpa(Q, K, V, mask=None):
    S = Q @ K / math.sqrt(Q.shape[-1])
    e = np.exp(S - np.max(S, axis=-1, keepdims=True))
    weights = e / np.sum(e, axis=-1, keepdims=True)
    return weights @ V, weights


def doubled_weights_sdpa(Q, K, V, mask=None):
    out, weights = sdpa(Q, K, V, mask)
    return 2 * out, 2 * weights


def swapped_results_sdpa(Q, K, V, mask=None):
    return sdpa(Q, K, V, mask)[::-1]


def columns_sdpa(Q, K, V, mask=None):
    return tuple(np.swapaxes(r, -1, -2) for r in sdpa(Q, K, V, mask))


def zeros_sdpa(Q, K, V, mask=None):
    m, T_q, T_k = Q.shape[0], Q.shape[1], K.shape[1]
    return np.zeros((m, T_q, V.shape[-1]), Q.dtype), np.zeros((m, T_q, T_k), Q.dtype)


MISTAKES = [
    (check_scaled_dot_product_attention, unscaled_sdpa, "not divided by √d_k"),
    (check_scaled_dot_product_attention, d_k_sdpa, "divided by d_k"),
    (check_scaled_dot_product_attention, wrong_axis_sdpa, "the softmax runs over the wrong axis"),
    (check_scaled_dot_product_attention, unmasked_sdpa, "the mask is not applied"),
    (check_scaled_dot_product_attention, inverted_mask_sdpa, "the mask is inverted"),
    (check_scaled_dot_product_attention, mask_after_sdpa, "the mask is applied after the softmax"),
    (check_scaled_dot_product_attention, overflowing_sdpa, "subtract each row's largest score"),
    (check_scaled_dot_product_attention, np_sqrt_sdpa, "float32 in gave float64 out"),
    (check_scaled_dot_product_attention, not_transposed_sdpa, "np.swapaxes(K, -1, -2)"),
    (check_scaled_dot_product_attention, doubled_weights_sdpa, "do not sum to 1 over the keys"),
    (check_scaled_dot_product_attention, swapped_results_sdpa, "in the order (out, weights)"),
    (check_scaled_dot_product_attention, columns_sdpa, "positions are rows"),
    (check_scaled_dot_product_attention, zeros_sdpa, "every entry is 0"),
    (check_scaled_dot_product_attention, lambda Q, K, V, mask=None: (V, Q), "one of the inputs, unchanged"),
    (check_scaled_dot_product_attention, lambda Q, K, V, mask=None: sdpa(Q, K, V, mask)[0],
     "expected a tuple (out, weights)"),
]


@pytest.mark.parametrize("checker, function, diagnosis", MISTAKES,
                         ids=[f"{c.__name__}-{f.__name__}-{i}" for i, (c, f, _) in enumerate(MISTAKES)])
def test_a_typical_mistake_is_rejected_with_its_diagnosis(checker, function, diagnosis):
    assert_rejected(checker, function, diagnosis)


def _lib_sdpa(Q, K, V, mask=None):
    out, cache = attention.scaled_dot_product_attention_forward(Q, K, V, mask=mask)
    return out, attention.attention_weights(cache)


@pytest.mark.parametrize("function", [_lib_sdpa, good_sdpa, large_negative_sdpa, looped_sdpa])
def test_lib_and_equivalent_forms_are_accepted(function):
    ok, said = verdict(check_scaled_dot_product_attention, function)
    assert ok is True, said
    assert said.startswith("✓")


def test_a_checker_never_raises_on_what_it_is_given():
    def not_yet(Q, K, V, mask=None):
        raise NotImplementedError

    assert verdict(check_scaled_dot_product_attention, not_yet) == (
        False, "✗ scaled_dot_product_attention: not implemented yet\n")
    for thing in (None, 3, "attention", lambda: 1, lambda *a, **k: 1 / 0, lambda *a, **k: ("a", "b"),
                  lambda *a, **k: (1, 2, 3), lambda *a, **k: ([[1.0]], None)):
        ok, said = verdict(check_scaled_dot_product_attention, thing)
        assert ok is False and said.startswith("✗")


# ----------------------------------------------------------------- the positional encoding (chapter 23)
from lib import transformer                                          # noqa: E402
from lib.exercises import check_positional_encoding                  # noqa: E402


def pe(T, d_model, start=0, two=2, halves=False, swap=False, dtype=np.float64):
    pos = np.arange(start, start + T, dtype=dtype)[:, None]
    omega = (10000.0 ** (-two * np.arange(d_model // 2) / d_model)).astype(dtype)
    sines, cosines = np.sin(pos * omega), np.cos(pos * omega)
    if swap:
        sines, cosines = cosines, sines
    if halves:
        return np.concatenate([sines, cosines], axis=1)
    out = np.zeros((T, d_model), dtype)
    out[:, 0::2], out[:, 1::2] = sines, cosines
    return out


def good_pe(T, d_model):
    return pe(T, d_model)


def looped_pe(T, d_model):
    out = np.zeros((T, d_model))
    for p in range(T):
        for i in range(d_model // 2):
            w = 1 / 10000 ** (2 * i / d_model)
            out[p, 2 * i], out[p, 2 * i + 1] = math.sin(p * w), math.cos(p * w)
    return out


def exp_log_pe(T, d_model):                                          # ω = exp(−2i ln(10000) / d), as in many codes
    j = np.arange(d_model)
    angle = np.arange(T)[:, None] * np.exp(-(j // 2 * 2) * math.log(10000.0) / d_model)
    return np.where(j % 2 == 0, np.sin(angle), np.cos(angle))


def swapped_pe(T, d_model):
    return pe(T, d_model, swap=True)


def half_exponent_pe(T, d_model):
    return pe(T, d_model, two=1)


def positive_exponent_pe(T, d_model):
    return pe(T, d_model, two=-2)


def from_one_pe(T, d_model):
    return pe(T, d_model, start=1)


def halves_pe(T, d_model):
    return pe(T, d_model, halves=True)


def column_index_pe(T, d_model):                                     # ω_j = 10000^(−j/d) for every column j
    j = np.arange(d_model)
    angle = np.arange(T)[:, None] * 10000.0 ** (-j / d_model)
    return np.where(j % 2 == 0, np.sin(angle), np.cos(angle))


def double_column_index_pe(T, d_model):                              # ω_j = 10000^(−2j/d), j the column
    j = np.arange(d_model)
    angle = np.arange(T)[:, None] * 10000.0 ** (-2 * j / d_model)
    return np.where(j % 2 == 0, np.sin(angle), np.cos(angle))


def integer_division_pe(T, d_model):
    omega = 10000.0 ** (-(2 * np.arange(d_model // 2) // d_model))
    out = np.zeros((T, d_model))
    out[:, 0::2], out[:, 1::2] = np.sin(np.arange(T)[:, None] * omega), np.cos(np.arange(T)[:, None] * omega)
    return out


def sines_only_pe(T, d_model):
    out = pe(T, d_model)
    out[:, 1::2] = 0
    return out


def float32_pe(T, d_model):
    return pe(T, d_model, dtype=np.float32)


def columns_pe(T, d_model):
    return pe(T, d_model).T


def zeros_pe(T, d_model):
    return np.zeros((T, d_model))


PE_MISTAKES = [
    (check_positional_encoding, swapped_pe, "the sines and cosines are swapped"),
    (check_positional_encoding, half_exponent_pe, "the exponent is −i/d_model"),
    (check_positional_encoding, positive_exponent_pe, "the exponent's sign is wrong"),
    (check_positional_encoding, from_one_pe, "the positions start at 1"),
    (check_positional_encoding, halves_pe, "in two halves [sin | cos]"),
    (check_positional_encoding, column_index_pe, "the cosine column 2i+1 has a frequency of its own"),
    (check_positional_encoding, double_column_index_pe, "the exponent uses the column index j"),
    (check_positional_encoding, integer_division_pe, "integer division"),
    (check_positional_encoding, sines_only_pe, "the odd columns are empty"),
    (check_positional_encoding, float32_pe, "right to float32's precision, but float32"),
    (check_positional_encoding, columns_pe, "one row per position"),
    (check_positional_encoding, zeros_pe, "every entry is 0"),
    (check_positional_encoding, lambda T, d_model: pe(T, d_model)[:, :-1], "shape"),
    (check_positional_encoding, lambda T, d_model: None, "returned None"),
    (check_positional_encoding, lambda T, d_model: np.log(pe(T, d_model)), "every entry is a sine or a cosine"),
    (check_positional_encoding, lambda T, d_model: np.full((T, d_model), np.inf), "the code holds inf or NaN"),
]


@pytest.mark.parametrize("checker, function, diagnosis", PE_MISTAKES,
                         ids=[f"{c.__name__}-{f.__name__}-{i}" for i, (c, f, _) in enumerate(PE_MISTAKES)])
def test_a_typical_positional_encoding_mistake_is_rejected_with_its_diagnosis(checker, function, diagnosis):
    assert_rejected(checker, function, diagnosis)


@pytest.mark.parametrize("function", [transformer.positional_encoding, good_pe, looped_pe, exp_log_pe])
def test_lib_and_equivalent_positional_encodings_are_accepted(function):
    ok, said = verdict(check_positional_encoding, function)
    assert ok is True, said
    assert said == "✓ positional_encoding: correct on all 5 cases.\n"


def test_the_positional_encoding_checker_never_raises():
    def not_yet(T, d_model):
        raise NotImplementedError

    assert verdict(check_positional_encoding, not_yet) == (False, "✗ positional_encoding: not implemented yet\n")
    for thing in (None, 3, "pe", lambda: 1, lambda T, d: 1 / 0, lambda T, d: "a", lambda T, d: [[1.0]],
                  lambda T, d: (pe(T, d), None), lambda T, d: np.full((T, d), np.nan)):
        ok, said = verdict(check_positional_encoding, thing)
        assert ok is False and said.startswith("✗")
