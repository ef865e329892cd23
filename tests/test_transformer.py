"""Tests for lib.transformer: the layer contract, the paper's formulas, the properties they give, bad input."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.attention as A
import lib.transformer as TF
from contract import Layer, assert_refused, bad

M, T, D, H, D_FF = 2, 3, 4, 2, 5


def _mha_parameters(rng, dtype, d_model=D):
    return {k: (rng.standard_normal((d_model, d_model)) / math.sqrt(d_model)).astype(dtype)
            for k in TF.MHA_KEYS}


def _layer_norm_args(rng, dtype):
    return {"x": rng.standard_normal((M, T, D)).astype(dtype),
            "gamma": (1 + 0.3 * rng.standard_normal(D)).astype(dtype),
            "beta": rng.standard_normal(D).astype(dtype)}


def _mha_args(rng, dtype):
    return {"X_q": rng.standard_normal((M, T, D)).astype(dtype),
            "X_kv": rng.standard_normal((M, T + 1, D)).astype(dtype),
            "parameters": _mha_parameters(rng, dtype), "n_heads": H}


def _mha_masked_args(rng, dtype):
    X = rng.standard_normal((M, T, D)).astype(dtype)
    return {"X_q": X, "X_kv": X.copy(), "parameters": _mha_parameters(rng, dtype), "n_heads": H,
            "mask": TF.causal_mask(T)}


def _ffn_args(rng, dtype):
    p = TF.initialize_feed_forward(D, D_FF, seed=int(rng.integers(100)))
    p["b_1"] = 0.3 * rng.standard_normal(D_FF)         # so units are on and off, biases exercised
    p["b_2"] = rng.standard_normal(D)
    return {"x": rng.standard_normal((M, T, D)).astype(dtype),
            "parameters": {k: v.astype(dtype) for k, v in p.items()}}


LAYERS = [
    Layer(TF.layer_norm_forward, TF.layer_norm_backward, _layer_norm_args, ("x", "gamma", "beta")),
    Layer(TF.multi_head_attention_forward, TF.multi_head_attention_backward, _mha_args,
          ("X_q", "X_kv", "parameters")),
    Layer(TF.multi_head_attention_forward, TF.multi_head_attention_backward, _mha_masked_args,
          ("X_q", "X_kv", "parameters"), name="multi_head_attention_forward-causal"),
    Layer(TF.feed_forward_forward, TF.feed_forward_backward, _ffn_args, ("x", "parameters")),
]


# ---------------------------------------------------------------- positional encoding

def test_positional_encoding_values_at_known_positions():
    pe = TF.positional_encoding(50, 8)
    assert pe.shape == (50, 8) and pe.dtype == np.float64
    # position 0: sin 0 = 0 in the even columns, cos 0 = 1 in the odd ones
    assert np.array_equal(pe[0], np.tile([0.0, 1.0], 4))
    # column pair i turns at speed 10000^(-2i/8): i = 0 → 1, i = 1 → 0.1, i = 2 → 0.01, i = 3 → 0.001
    for i, omega in enumerate((1.0, 0.1, 0.01, 0.001)):
        for pos in (1, 7, 49):
            assert pe[pos, 2 * i] == pytest.approx(math.sin(pos * omega), abs=1e-13)
            assert pe[pos, 2 * i + 1] == pytest.approx(math.cos(pos * omega), abs=1e-13)


def test_positional_encoding_is_bounded_and_each_pair_lies_on_the_unit_circle():
    pe = TF.positional_encoding(200, 16)
    assert np.all(np.abs(pe) <= 1.0)
    assert np.allclose(pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, 1.0, atol=1e-14)
    assert len({row.tobytes() for row in pe}) == 200          # every position gets its own code


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_positional_encoding_dot_product_depends_only_on_the_offset(seed):
    rng = np.random.default_rng(seed)
    d_model = 2 * int(rng.integers(1, 33))
    pe = TF.positional_encoding(300, d_model)
    k = int(rng.integers(0, 100))
    p, q = rng.integers(0, 200, size=2)
    assert pe[p] @ pe[p + k] == pytest.approx(pe[q] @ pe[q + k], abs=1e-9)
    # and it equals Σ_i cos(k ω_i)
    omega = 10000.0 ** (-np.arange(0, d_model, 2) / d_model)
    assert pe[p] @ pe[p + k] == pytest.approx(np.sum(np.cos(k * omega)), abs=1e-9)


# ---------------------------------------------------------------- causal mask

def test_causal_mask_is_lower_triangular():
    mask = TF.causal_mask(4)
    assert mask.dtype == bool and mask.shape == (4, 4)
    assert all(mask[t, s] == (s <= t) for t in range(4) for s in range(4))
    assert np.array_equal(TF.causal_mask(1), [[True]])


def test_with_the_causal_mask_a_later_input_never_changes_an_earlier_output():
    rng = np.random.default_rng(5)
    T_x = 6
    p = TF.initialize_multi_head_attention(D, H, seed=5)
    X = rng.standard_normal((M, T_x, D))
    mask = TF.causal_mask(T_x)
    out, _ = TF.multi_head_attention_forward(X, X, p, H, mask=mask)
    for t in range(T_x):
        Y = X.copy()
        Y[:, t:] += rng.standard_normal((M, T_x - t, D))        # change position t and after
        out2, _ = TF.multi_head_attention_forward(Y, Y, p, H, mask=mask)
        assert np.array_equal(out2[:, :t], out[:, :t])            # positions before t: bit for bit
        assert not np.allclose(out2[:, t], out[:, t])             # position t does see its own input
    # without the mask, changing the last position changes the first output
    Y = X.copy()
    Y[:, -1] += 1.0
    assert not np.allclose(TF.multi_head_attention_forward(Y, Y, p, H)[0][:, 0],
                           TF.multi_head_attention_forward(X, X, p, H)[0][:, 0])


# ---------------------------------------------------------------- layer normalisation

def test_layer_norm_rows_have_mean_zero_and_variance_one_before_the_scale():
    rng = np.random.default_rng(6)
    x = 3.0 + 5.0 * rng.standard_normal((M, T, 16))
    out, _ = TF.layer_norm_forward(x, np.ones(16), np.zeros(16), epsilon=1e-12)
    assert np.allclose(out.mean(axis=-1), 0.0, atol=1e-12)
    assert np.allclose(out.var(axis=-1), 1.0, atol=1e-9)
    gamma, beta = rng.standard_normal(16), rng.standard_normal(16)
    scaled, _ = TF.layer_norm_forward(x, gamma, beta, epsilon=1e-12)
    assert np.allclose(scaled, gamma * out + beta, rtol=1e-12, atol=1e-12)


def test_layer_norm_normalises_each_position_on_its_own():
    """One example's statistics never reach another's (unlike batch normalisation)."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 2, D))
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    out, _ = TF.layer_norm_forward(x, gamma, beta)
    alone, _ = TF.layer_norm_forward(x[1:2, 1:2], gamma, beta)
    assert np.array_equal(alone[0, 0], out[1, 1])
    assert TF.layer_norm_forward(x[0], gamma, beta)[0].shape == (2, D)    # (T, d_model) works too


def test_layer_norm_extreme_valid_inputs_are_finite_without_warnings():
    gamma, beta = np.ones(D), np.arange(D, dtype=float)
    constant, cache = TF.layer_norm_forward(np.full((1, 2, D), 7.0), gamma, beta)
    assert np.array_equal(constant, np.broadcast_to(beta, (1, 2, D)))      # a constant row gives β
    assert np.all(np.isfinite(TF.layer_norm_backward(np.ones((1, 2, D)), cache)["dx"]))
    big = np.array([[[1e100, -1e100, 3e100, 0.0]]])
    out, _ = TF.layer_norm_forward(big, gamma, beta)
    ref, _ = TF.layer_norm_forward(big / 1e100, gamma, beta, epsilon=1e-300)
    assert np.allclose(out, ref, rtol=1e-12)                                 # scale-free
    offset = 1e8 + np.array([[[1.0, 2.0, 3.0, 4.0]]])
    out, _ = TF.layer_norm_forward(offset, gamma, beta, epsilon=1e-12)
    ref, _ = TF.layer_norm_forward(offset - 1e8, gamma, beta, epsilon=1e-12)
    assert np.allclose(out, ref, atol=1e-6)                                  # shift-free


# ---------------------------------------------------------------- multi-head attention

def test_initialize_multi_head_attention_shapes_scale_and_seed():
    p = TF.initialize_multi_head_attention(64, 8, seed=3)
    assert list(p) == list(TF.MHA_KEYS)
    for k in p:
        assert p[k].shape == (64, 64) and p[k].dtype == np.float64
        assert np.std(p[k]) == pytest.approx(1 / 8, rel=0.08)             # 4096 draws of N(0, 1/64)
    again = TF.initialize_multi_head_attention(64, 8, seed=3)
    assert all(np.array_equal(p[k], again[k]) for k in p)
    assert not np.array_equal(p["W_q"], TF.initialize_multi_head_attention(64, 8, seed=4)["W_q"])
    assert TF.initialize_multi_head_attention(6, 3, seed=None)["W_o"].shape == (6, 6)


@pytest.mark.parametrize("use_mask", [False, True])
def test_multi_head_attention_is_the_single_heads_concatenated_then_mixed(use_mask):
    """Head by head with attention.scaled_dot_product_attention_forward, in the test, from the formula."""
    rng = np.random.default_rng(8)
    d_model, n_heads, T_q, T_k = 6, 3, 4, 5
    p = TF.initialize_multi_head_attention(d_model, n_heads, seed=8)
    X_q, X_kv = rng.standard_normal((M, T_q, d_model)), rng.standard_normal((M, T_k, d_model))
    mask = rng.random((M, T_q, T_k)) < 0.6 if use_mask else None
    if use_mask:
        mask[:, :, 0] = True                                       # every query attends somewhere
    out, cache = TF.multi_head_attention_forward(X_q, X_kv, p, n_heads, mask=mask)
    d_k = d_model // n_heads
    heads, weights = [], []
    for h in range(n_heads):
        cols = slice(h * d_k, (h + 1) * d_k)
        head, c = A.scaled_dot_product_attention_forward(
            X_q @ p["W_q"][:, cols], X_kv @ p["W_k"][:, cols], X_kv @ p["W_v"][:, cols], mask)
        heads.append(head)
        weights.append(A.attention_weights(c))
    expected = np.concatenate(heads, axis=2) @ p["W_o"]
    assert out.shape == (M, T_q, d_model)
    assert np.allclose(out, expected, rtol=1e-12, atol=1e-14)
    assert np.allclose(TF.multi_head_attention_weights(cache), np.stack(weights, axis=1), atol=1e-15)


def test_one_head_is_plain_attention_of_the_projections():
    rng = np.random.default_rng(9)
    p = TF.initialize_multi_head_attention(D, 1, seed=9)
    X = rng.standard_normal((M, T, D))
    out, _ = TF.multi_head_attention_forward(X, X, p, 1)
    Q, K, V = X @ p["W_q"], X @ p["W_k"], X @ p["W_v"]
    S = Q @ K.transpose(0, 2, 1) / math.sqrt(D)
    P = np.exp(S - S.max(axis=2, keepdims=True))
    P /= P.sum(axis=2, keepdims=True)
    assert np.allclose(out, P @ V @ p["W_o"], rtol=1e-12, atol=1e-14)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_self_attention_without_positions_is_permutation_equivariant(seed):
    rng = np.random.default_rng(seed)
    T_x = 5
    p = TF.initialize_multi_head_attention(D, H, seed=int(rng.integers(1000)))
    X = rng.standard_normal((M, T_x, D))
    perm = rng.permutation(T_x)
    out, _ = TF.multi_head_attention_forward(X, X, p, H)
    out_perm, _ = TF.multi_head_attention_forward(X[:, perm], X[:, perm], p, H)
    assert np.allclose(out_perm, out[:, perm], rtol=1e-12, atol=1e-13)


def test_with_positional_encoding_added_self_attention_is_no_longer_permutation_equivariant():
    rng = np.random.default_rng(10)
    T_x, d_model = 5, 8
    p = TF.initialize_multi_head_attention(d_model, H, seed=10)
    X = rng.standard_normal((M, T_x, d_model))
    pe = TF.positional_encoding(T_x, d_model)
    perm = np.array([4, 2, 0, 1, 3])
    Xp = X + pe
    out, _ = TF.multi_head_attention_forward(Xp, Xp, p, H)
    Yp = X[:, perm] + pe                               # the same words in another order, then the positions
    out_perm, _ = TF.multi_head_attention_forward(Yp, Yp, p, H)
    assert not np.allclose(out_perm, out[:, perm], atol=1e-3)


def test_self_attention_gradient_is_dX_q_plus_dX_kv():
    rng = np.random.default_rng(11)
    p = TF.initialize_multi_head_attention(D, H, seed=11)
    X, dout = rng.standard_normal((M, T, D)), rng.standard_normal((M, T, D))
    grads = TF.multi_head_attention_backward(dout, TF.multi_head_attention_forward(X, X, p, H)[1])
    total = grads["dX_q"] + grads["dX_kv"]
    h = 1e-6
    for idx in [(0, 0, 0), (1, 2, 3), (0, 1, 2)]:
        Xp, Xm = X.copy(), X.copy()
        Xp[idx] += h
        Xm[idx] -= h
        numeric = np.sum((TF.multi_head_attention_forward(Xp, Xp, p, H)[0]
                          - TF.multi_head_attention_forward(Xm, Xm, p, H)[0]) * dout) / (2 * h)
        assert total[idx] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_multi_head_attention_float32_and_large_scores_stay_finite():
    rng = np.random.default_rng(12)
    p = {k: v.astype(np.float32) for k, v in TF.initialize_multi_head_attention(D, H, seed=12).items()}
    X = (100.0 * rng.standard_normal((M, T, D))).astype(np.float32)    # scores in the thousands
    out, cache = TF.multi_head_attention_forward(X, X, p, H, mask=TF.causal_mask(T))
    grads = TF.multi_head_attention_backward(np.ones_like(out), cache)
    assert out.dtype == np.float32 and np.all(np.isfinite(out))
    assert all(g.dtype == np.float32 and np.all(np.isfinite(g)) for g in grads.values())


# ---------------------------------------------------------------- feed-forward

def test_feed_forward_is_the_same_relu_network_at_every_position():
    rng = np.random.default_rng(13)
    p = TF.initialize_feed_forward(D, D_FF, seed=13)
    p["b_1"] = rng.standard_normal(D_FF)
    x = rng.standard_normal((M, T, D))
    out, _ = TF.feed_forward_forward(x, p)
    for i in range(M):
        for t in range(T):
            column = x[i, t][:, None]                              # the book's column form
            hidden = np.maximum(p["W_1"].T @ column + p["b_1"][:, None], 0)
            assert np.allclose(out[i, t], (p["W_2"].T @ hidden)[:, 0] + p["b_2"], rtol=1e-12, atol=1e-14)


def test_initialize_feed_forward_shapes_and_seed():
    p = TF.initialize_feed_forward(32, 128, seed=1)
    assert {k: v.shape for k, v in p.items()} == {"W_1": (32, 128), "b_1": (128,),
                                                  "W_2": (128, 32), "b_2": (32,)}
    assert np.std(p["W_1"]) == pytest.approx(math.sqrt(2 / 32), rel=0.08)
    assert np.all(p["b_1"] == 0) and np.all(p["b_2"] == 0)
    assert np.array_equal(p["W_2"], TF.initialize_feed_forward(32, 128, seed=1)["W_2"])


# ---------------------------------------------------------------- bad input

_X = np.zeros((M, T, D))
_P = TF.initialize_multi_head_attention(D, H)
_F = TF.initialize_feed_forward(D, D_FF)
_G, _B = np.ones(D), np.zeros(D)
_nan = _X.copy()
_nan[0, 0, 0] = np.nan
_LN_CACHE = TF.layer_norm_forward(_X, _G, _B)[1]
_MHA_CACHE = TF.multi_head_attention_forward(_X, _X, _P, H)[1]
_FF_CACHE = TF.feed_forward_forward(_X, _F)[1]

BAD_INPUTS = [
    bad(TF.positional_encoding, "T", 0, 4),
    bad(TF.positional_encoding, "T", 2.5, 4, error=TypeError),
    bad(TF.positional_encoding, "d_model", 3, 5),
    bad(TF.positional_encoding, "d_model", 3, 0),
    bad(TF.causal_mask, "T", 0),
    bad(TF.causal_mask, "T", -2),
    bad(TF.causal_mask, "T", "3", error=TypeError),
    bad(TF.layer_norm_forward, "x", _nan, _G, _B),
    bad(TF.layer_norm_forward, "x", np.zeros((2, 0)), np.ones(0), np.zeros(0)),
    bad(TF.layer_norm_forward, "gamma", _X, np.ones(D + 1), _B),
    bad(TF.layer_norm_forward, "beta", _X, _G, np.zeros((1, D))),
    bad(TF.layer_norm_forward, "epsilon", _X, _G, _B, epsilon=0.0),
    bad(TF.layer_norm_backward, "dout", np.zeros((M, T, D + 1)), _LN_CACHE),
    bad(TF.layer_norm_backward, "dout", _nan, _LN_CACHE),
    bad(TF.layer_norm_backward, "cache", _X, _FF_CACHE, error=TypeError),
    bad(TF.initialize_multi_head_attention, "n_heads", 6, 4),
    bad(TF.initialize_multi_head_attention, "d_model", 0, 1),
    bad(TF.initialize_multi_head_attention, "seed", 4, 2, seed=-1),
    bad(TF.initialize_multi_head_attention, "seed", 4, 2, seed=1.5, error=TypeError),
    bad(TF.multi_head_attention_forward, "n_heads", _X, _X, _P, 3),
    bad(TF.multi_head_attention_forward, "n_heads", _X, _X, _P, 0),
    bad(TF.multi_head_attention_forward, "X_q", _nan, _X, _P, H),
    bad(TF.multi_head_attention_forward, "X_q", np.zeros((T, D)), _X, _P, H),
    bad(TF.multi_head_attention_forward, "X_q", np.full((M, T, D), 1e200), np.full((M, T, D), 1e200), _P, H),
    bad(TF.multi_head_attention_forward, "X_kv", _X, np.zeros((M + 1, T, D)), _P, H),
    bad(TF.multi_head_attention_forward, "X_kv", _X, np.zeros((M, T, D + 2)), _P, H),
    bad(TF.multi_head_attention_forward, "parameters", _X, _X, {k: _P[k] for k in ("W_q", "W_k", "W_v")}, H),
    bad(TF.multi_head_attention_forward, "parameters['W_o']", _X, _X, {**_P, "W_o": np.zeros((D, D + 1))}, H),
    bad(TF.multi_head_attention_forward, "mask", _X, _X, _P, H, mask=np.ones((T, T + 1), bool)),
    bad(TF.multi_head_attention_forward, "mask", _X, _X, _P, H, mask=np.zeros((T, T), bool)),
    bad(TF.multi_head_attention_backward, "dout", np.zeros((M, T + 1, D)), _MHA_CACHE),
    bad(TF.multi_head_attention_backward, "dout", _nan, _MHA_CACHE),
    bad(TF.multi_head_attention_backward, "cache", _X, _LN_CACHE, error=TypeError),
    bad(TF.multi_head_attention_weights, "cache", None, error=TypeError),
    bad(TF.multi_head_attention_weights, "cache", {"weights": np.ones((T, T))}, error=TypeError),
    bad(TF.multi_head_attention_weights, "cache", _FF_CACHE, error=TypeError),
    bad(TF.initialize_feed_forward, "d_model", 0, 4),
    bad(TF.initialize_feed_forward, "d_ff", 4, 0),
    bad(TF.initialize_feed_forward, "seed", 4, 4, seed=-3),
    bad(TF.feed_forward_forward, "x", _nan, _F),
    bad(TF.feed_forward_forward, "x", np.zeros((M, 0, D)), _F),
    bad(TF.feed_forward_forward, "parameters['W_1']", np.zeros((M, T, D + 1)), _F),
    bad(TF.feed_forward_forward, "parameters", _X, {k: _F[k] for k in ("W_1", "b_1", "W_2")}),
    bad(TF.feed_forward_forward, "parameters['b_1']", _X, {**_F, "b_1": np.zeros((D_FF, 1))}),
    bad(TF.feed_forward_backward, "dout", np.zeros((M, T, D + 1)), _FF_CACHE),
    bad(TF.feed_forward_backward, "dout", _nan, _FF_CACHE),
    bad(TF.feed_forward_backward, "cache", _X, _MHA_CACHE, error=TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
