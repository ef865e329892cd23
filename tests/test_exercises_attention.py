"""What the checkers of Part VI (attention) accept, and what they reject with which diagnosis."""
import io
import math
from contextlib import redirect_stdout

import numpy as np
import pytest

from lib import attention
from lib.exercises import check_scaled_dot_product_attention


def verdict(checker, function):
    out = io.StringIO()
    with redirect_stdout(out):
        ok = checker(function)
    return ok, out.getvalue()


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
    ok, said = verdict(checker, function)
    assert ok is False
    assert diagnosis in said, said
    assert said.startswith("✗")


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
