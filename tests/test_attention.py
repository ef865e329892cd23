"""Tests for lib.attention: masked softmax, additive and scaled dot-product attention."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from contract import Layer, assert_refused, bad
from lib import attention as A
from lib.gradcheck import numerical_gradient, relative_error

SEEDS = st.integers(0, 2**32 - 1)


# ---------------------------------------------------------------- the layers and their inputs

def _additive_args(rng, dtype, n_s=4, n_a=5, n_e=3, m=3, T_x=6):
    parameters = {k: v.astype(dtype) for k, v in A.initialize_additive_attention(n_s, n_a, n_e, seed=1).items()}
    parameters["b"] = rng.normal(size=(n_e, 1)).astype(dtype)      # no gradient near 0
    mask = np.ones((m, T_x), dtype=bool)
    mask[0, 4:] = False
    mask[2, 2:] = False
    return {"s_prev": rng.normal(size=(n_s, m)).astype(dtype),
            "a": rng.normal(size=(n_a, m, T_x)).astype(dtype), "parameters": parameters, "mask": mask}


def _qkv_args(rng, dtype, m=2, T_q=3, T_k=4, d_k=5, d_v=3, mask="shared", scale=True):
    args = {"Q": rng.normal(size=(m, T_q, d_k)).astype(dtype),
            "K": rng.normal(size=(m, T_k, d_k)).astype(dtype),
            "V": rng.normal(size=(m, T_k, d_v)).astype(dtype), "scale": scale}
    if mask == "shared":
        args["mask"] = np.tril(np.ones((T_q, T_k), dtype=bool))            # causal-style, every example
    elif mask == "each":
        each = rng.random((m, T_q, T_k)) < 0.5
        each[:, :, 0] = True
        args["mask"] = each
    return args


def _qkv_2d(rng, dtype):
    return {k: v[0] if isinstance(v, np.ndarray) else v for k, v in _qkv_args(rng, dtype, mask=None).items()}


SDPA = (A.scaled_dot_product_attention_forward, A.scaled_dot_product_attention_backward)
LOOP = (A.scaled_dot_product_attention_loop_forward, A.scaled_dot_product_attention_loop_backward)
QKV = ("Q", "K", "V")

LAYERS = [
    Layer(A.additive_attention_forward, A.additive_attention_backward, _additive_args,
          ("s_prev", "a", "parameters")),
    Layer(*SDPA, _qkv_args, QKV, name="scaled_dot_product_attention, shared causal mask"),
    Layer(*SDPA, lambda rng, dtype: _qkv_args(rng, dtype, mask="each"), QKV,
          name="scaled_dot_product_attention, a mask per example"),
    Layer(*SDPA, lambda rng, dtype: _qkv_args(rng, dtype, mask=None, scale=False), QKV,
          name="scaled_dot_product_attention, no mask, no scaling"),
    Layer(*SDPA, _qkv_2d, QKV, name="scaled_dot_product_attention, one sequence (2-d)"),
    Layer(*LOOP, lambda rng, dtype: _qkv_args(rng, dtype, mask="each"), QKV,
          name="scaled_dot_product_attention_loop, a mask per example"),
]


# ---------------------------------------------------------------- bad inputs

def _bad_cases():
    rng = np.random.default_rng(0)
    add = _additive_args(rng, np.float64)
    s_prev, a, params, mask = add["s_prev"], add["a"], add["parameters"], add["mask"]
    _, add_cache = A.additive_attention_forward(s_prev, a, params, mask)
    qkv = _qkv_args(rng, np.float64, mask=None)
    Q, K, V = qkv["Q"], qkv["K"], qkv["V"]
    out, sdpa_cache = A.scaled_dot_product_attention_forward(Q, K, V)
    out_l, loop_cache = A.scaled_dot_product_attention_loop_forward(Q, K, V)
    nan = np.full_like(Q, np.nan)
    z = np.zeros((2, 4))
    no_v = {k: v for k, v in params.items() if k != "v"}
    X = rng.normal(size=(5, 4))
    W = rng.normal(size=(4, 3))
    return [
        bad(A.attention_weights, "cache", [1, 2], error=TypeError),
        bad(A.attention_weights, "cache", {"a": 1}),
        bad(A.attention_weights, "cache", {"weights": None}),
        bad(A.masked_softmax, "z", np.array([[0.0, np.nan]])),
        bad(A.masked_softmax, "z", np.zeros((2, 0))),
        bad(A.masked_softmax, "mask", z, np.ones((2, 3), dtype=bool)),           # wrong shape
        bad(A.masked_softmax, "mask", z, np.ones((4,), dtype=bool)),             # no broadcasting
        bad(A.masked_softmax, "mask", z, np.array([[True] * 4, [False] * 4])),   # a row with no True
        bad(A.masked_softmax, "mask", z, np.full((2, 4), 0.5)),
        bad(A.masked_softmax, "mask", z, np.full((2, 4), np.nan)),
        bad(A.masked_softmax, "z", "scores", error=TypeError),
        bad(A.initialize_additive_attention, "n_s", 0, 3, 2),
        bad(A.initialize_additive_attention, "n_e", 2, 3, 1.5, error=TypeError),
        bad(A.initialize_additive_attention, "seed", 2, 3, 2, seed=-1),
        bad(A.initialize_additive_attention, "seed", 2, 3, 2, seed=0.5, error=TypeError),
        bad(A.additive_attention_forward, "s_prev", s_prev[:, :2], a, params, mask),
        bad(A.additive_attention_forward, "s_prev", s_prev[:3], a, params, mask),
        bad(A.additive_attention_forward, "a", s_prev, a[:, :, 0], params, mask),
        bad(A.additive_attention_forward, "a", s_prev, np.full_like(a, np.inf), params, mask),
        bad(A.additive_attention_forward, "a", s_prev, a[:, :, :0], params, mask[:, :0]),
        bad(A.additive_attention_forward, "parameters", s_prev, a[:4], params, mask),   # W_a's columns
        bad(A.additive_attention_forward, "parameters", s_prev, a, no_v, mask),
        bad(A.additive_attention_forward, "parameters", s_prev, a, {**params, "b": np.zeros((2, 1))}, mask),
        bad(A.additive_attention_forward, "parameters", s_prev, a, {**params, "v": np.full((3, 1), np.nan)}, mask),
        bad(A.additive_attention_forward, "parameters", s_prev, a, [1, 2], mask, error=TypeError),
        bad(A.additive_attention_forward, "mask", s_prev, a, params, mask[:, :5]),
        bad(A.additive_attention_forward, "mask", s_prev, a, params, mask[0]),
        bad(A.additive_attention_backward, "dcontext", np.zeros((5, 2)), add_cache),
        bad(A.additive_attention_backward, "dcontext", np.full((5, 3), np.nan), add_cache),
        bad(A.additive_attention_backward, "dcontext", np.zeros((5, 3, 1)), add_cache),
        bad(A.additive_attention_backward, "cache", np.zeros((5, 3)), sdpa_cache, error=TypeError),
        bad(A.scaled_dot_product_attention_forward, "K", Q, K[:, :, :4], V),
        bad(A.scaled_dot_product_attention_forward, "V", Q, K, V[:, :3]),
        bad(A.scaled_dot_product_attention_forward, "K", Q, K[0], V),
        bad(A.scaled_dot_product_attention_forward, "Q", Q[0, 0], K, V),
        bad(A.scaled_dot_product_attention_forward, "Q", nan, K, V),
        bad(A.scaled_dot_product_attention_forward, "Q", Q[:, :0], K, V),
        bad(A.scaled_dot_product_attention_forward, "mask", Q, K, V, np.ones((3, 3), dtype=bool)),
        bad(A.scaled_dot_product_attention_forward, "mask", Q, K, V, np.ones((4,), dtype=bool)),
        bad(A.scaled_dot_product_attention_forward, "mask", Q, K, V, np.zeros((3, 4), dtype=bool)),
        bad(A.scaled_dot_product_attention_forward, "scale", Q, K, V, scale=8.0, error=TypeError),
        bad(A.scaled_dot_product_attention_forward, "Q", np.full((2, 3, 5), 1e20, np.float32),
            np.full((2, 4, 5), 1e20, np.float32), V.astype(np.float32)),                 # scores overflow
        bad(A.scaled_dot_product_attention_backward, "dout", out[:, :2], sdpa_cache),
        bad(A.scaled_dot_product_attention_backward, "dout", np.full_like(out, np.inf), sdpa_cache),
        bad(A.scaled_dot_product_attention_backward, "dout", out[0], sdpa_cache),
        bad(A.scaled_dot_product_attention_backward, "cache", out, add_cache, error=TypeError),
        bad(A.scaled_dot_product_attention_loop_forward, "Q", Q[0], K[0], V[0]),
        bad(A.scaled_dot_product_attention_loop_forward, "V", Q, K, V[:, :, :, None]),
        bad(A.scaled_dot_product_attention_loop_forward, "mask", Q, K, V, np.ones((2, 3, 3), dtype=bool)),
        bad(A.scaled_dot_product_attention_loop_forward, "K", Q, np.full_like(K, np.nan), V),
        bad(A.scaled_dot_product_attention_loop_forward, "Q", np.full((2, 3, 5), 1e20, np.float32),
            np.full((2, 4, 5), 1e20, np.float32), V.astype(np.float32)),
        bad(A.scaled_dot_product_attention_loop_backward, "dout", out_l[:, :2], loop_cache),
        bad(A.scaled_dot_product_attention_loop_backward, "dout", np.full_like(out_l, np.nan), loop_cache),
        bad(A.scaled_dot_product_attention_loop_backward, "cache", out_l, sdpa_cache, error=TypeError),
        bad(A.self_attention, "X", X[:, :, None], W, W, W),
        bad(A.self_attention, "X", np.full_like(X, np.nan), W, W, W),
        bad(A.self_attention, "W_k", X, W, rng.normal(size=(3, 3)), W),
        bad(A.self_attention, "W_k", X, W, rng.normal(size=(4, 2)), W),           # d_k differs from W_q's
        bad(A.self_attention, "W_v", X, W, W, W[:, :, None]),
        bad(A.self_attention, "mask", X, W, W, W, np.ones((5, 4), dtype=bool)),
    ]


BAD_INPUTS = _bad_cases()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


# ---------------------------------------------------------------- masked softmax

@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 8), SEEDS)
def test_masked_softmax_sums_to_one_and_respects_mask(m, T, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 5, (m, T))
    mask = rng.random((m, T)) < 0.6
    mask[np.arange(m), rng.integers(T, size=m)] = True     # at least one True per row
    alpha = A.masked_softmax(z, mask)
    assert np.allclose(alpha.sum(axis=-1), 1.0)
    assert np.all(alpha[~mask] == 0.0)
    assert np.all(alpha >= 0)
    # the unmasked entries are the plain softmax of the unmasked scores
    for i in range(m):
        e = np.exp(z[i, mask[i]] - z[i, mask[i]].max())
        assert np.allclose(alpha[i, mask[i]], e / e.sum())


def test_masked_softmax_without_mask_matches_plain_softmax():
    z = np.random.default_rng(0).normal(size=(3, 7))
    e = np.exp(z)
    assert np.allclose(A.masked_softmax(z), e / e.sum(axis=-1, keepdims=True))
    assert not hasattr(A, "softmax")                      # the old alias is gone


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_masked_softmax_extreme_scores_are_finite_without_warnings(dtype):
    z = np.array([[1000.0, -1000.0, 999.0], [-1000.0, -1000.0, -1000.0]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        alpha = A.masked_softmax(z, np.array([[True, True, False], [True, False, True]]))
    assert alpha.dtype == dtype and np.all(np.isfinite(alpha))
    assert alpha[0, 0] == 1.0 and alpha[0, 2] == 0.0
    assert np.allclose(alpha[1], [0.5, 0.0, 0.5])


def test_masked_softmax_accepts_zero_one_masks():
    z = np.arange(6.0).reshape(2, 3)
    m = np.array([[1, 0, 1], [0, 1, 0]])
    assert np.array_equal(A.masked_softmax(z, m), A.masked_softmax(z, m.astype(bool)))


# ---------------------------------------------------------------- additive attention

def test_additive_attention_context_is_the_weighted_average():
    args = _additive_args(np.random.default_rng(0), np.float64)
    c, cache = A.additive_attention_forward(**args)
    alpha = A.attention_weights(cache)
    assert c.shape == (5, 3) and alpha.shape == (3, 6)
    assert np.allclose(alpha.sum(axis=1), 1.0)
    assert np.all(alpha[~args["mask"]] == 0.0)
    for i in range(3):
        assert np.allclose(c[:, i], args["a"][:, i, :] @ alpha[i])


def test_additive_attention_weights_follow_the_scores():
    """Doubling v doubles every score e, so the weights become proportional to α²."""
    args = _additive_args(np.random.default_rng(1), np.float64)
    _, cache = A.additive_attention_forward(**args)
    alpha = A.attention_weights(cache)
    args["parameters"] = {**args["parameters"], "v": 2 * args["parameters"]["v"]}
    _, cache2 = A.additive_attention_forward(**args)
    squared = alpha ** 2
    assert np.allclose(A.attention_weights(cache2), squared / squared.sum(axis=1, keepdims=True))


def test_attention_weights_are_read_only():
    _, cache = A.additive_attention_forward(**_additive_args(np.random.default_rng(0), np.float64))
    w = A.attention_weights(cache)
    with pytest.raises(ValueError):
        w[0, 0] = 1.0


def test_additive_attention_without_mask_spreads_over_every_position():
    args = _additive_args(np.random.default_rng(2), np.float64)
    args["mask"] = None
    _, cache = A.additive_attention_forward(**args)
    assert np.all(A.attention_weights(cache) > 0)


def test_initialize_additive_attention_shapes_and_seed():
    p = A.initialize_additive_attention(4, 6, 3, seed=2)
    assert {k: v.shape for k, v in p.items()} == {"W_s": (3, 4), "W_a": (3, 6), "b": (3, 1), "v": (3, 1)}
    assert all(np.array_equal(p[k], A.initialize_additive_attention(4, 6, 3, seed=2)[k]) for k in p)
    assert not np.array_equal(p["W_s"], A.initialize_additive_attention(4, 6, 3, seed=None)["W_s"])


# ---------------------------------------------------------------- scaled dot-product

def test_scaled_dot_product_weights_and_mask():
    args = _qkv_args(np.random.default_rng(5), np.float64, mask=None)
    mask = np.array([[True, False, True, False]] * 3)
    out, cache = A.scaled_dot_product_attention_forward(args["Q"], args["K"], args["V"], mask)
    w = A.attention_weights(cache)
    assert np.allclose(w.sum(axis=-1), 1.0)
    assert np.all(w[:, :, [1, 3]] == 0.0)
    assert np.allclose(out, w @ args["V"])
    scores = args["Q"] @ args["K"].transpose(0, 2, 1) / np.sqrt(5)
    assert np.allclose(w, A.masked_softmax(scores, np.broadcast_to(mask, scores.shape)))


def test_scaled_dot_product_two_d_inputs():
    args = _qkv_args(np.random.default_rng(6), np.float64, mask=None)
    Q, K, V = args["Q"], args["K"], args["V"]
    out, cache = A.scaled_dot_product_attention_forward(Q[0], K[0], V[0])
    out3, cache3 = A.scaled_dot_product_attention_forward(Q, K, V)
    assert np.allclose(out, out3[0])
    assert np.allclose(A.attention_weights(cache), A.attention_weights(cache3)[0])


@settings(max_examples=25, deadline=None)
@given(SEEDS, st.sampled_from([np.float32, np.float64]))
def test_loop_form_agrees_with_batched_form(seed, dtype):
    rng = np.random.default_rng(seed)
    m, T_q, T_k, d_k, d_v = (int(n) for n in rng.integers(1, 7, size=5))
    args = _qkv_args(rng, dtype, m, T_q, T_k, d_k, d_v, mask="each", scale=bool(rng.integers(2)))
    out, cache = A.scaled_dot_product_attention_forward(**args)
    out_l, cache_l = A.scaled_dot_product_attention_loop_forward(**args)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert out.dtype == out_l.dtype == dtype
    assert np.allclose(out, out_l, atol=tol)
    assert np.allclose(A.attention_weights(cache), A.attention_weights(cache_l), atol=tol)
    dout = rng.normal(size=out.shape).astype(dtype)
    g, g_l = A.scaled_dot_product_attention_backward(dout, cache), \
        A.scaled_dot_product_attention_loop_backward(dout, cache_l)
    for k in g:
        assert g[k].dtype == dtype and np.allclose(g[k], g_l[k], atol=10 * tol)


def test_masked_keys_get_no_gradient_and_change_nothing():
    rng = np.random.default_rng(3)
    args = _qkv_args(rng, np.float64, mask=None)
    mask = np.array([True, True, False, True])[None, :].repeat(3, axis=0)
    out, cache = A.scaled_dot_product_attention_forward(args["Q"], args["K"], args["V"], mask)
    grads = A.scaled_dot_product_attention_backward(rng.normal(size=out.shape), cache)
    assert np.all(grads["dK"][:, 2] == 0) and np.all(grads["dV"][:, 2] == 0)
    K2, V2 = args["K"].copy(), args["V"].copy()
    K2[:, 2], V2[:, 2] = 100.0, -100.0
    out2, _ = A.scaled_dot_product_attention_forward(args["Q"], K2, V2, mask)
    assert np.allclose(out, out2)


def test_scaling_keeps_softmax_from_saturating():
    """Without 1/√d_k, scores of unit-variance vectors have variance d_k: the softmax saturates."""
    rng = np.random.default_rng(8)
    d_k = 256
    Q, K, V = (rng.normal(size=(16, 10, d_k)) for _ in range(3))
    _, scaled = A.scaled_dot_product_attention_forward(Q, K, V)
    _, raw = A.scaled_dot_product_attention_forward(Q, K, V, scale=False)
    assert A.attention_weights(raw).max(axis=-1).mean() > 0.9 > A.attention_weights(scaled).max(axis=-1).mean()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_scores_give_finite_weights_without_warnings(dtype):
    """Scores of ±1000 (and more): the in-place softmax subtracts the row's maximum first."""
    Q = np.array([[[40.0, 0.0], [-40.0, 0.0]]], dtype=dtype)        # scores ±1600/√2
    K = np.array([[[40.0, 0.0], [-40.0, 0.0], [0.0, 1.0]]], dtype=dtype)
    V = np.eye(3, dtype=dtype)[None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, cache = A.scaled_dot_product_attention_forward(Q, K, V)
        grads = A.scaled_dot_product_attention_backward(np.ones_like(out), cache)
    assert out.dtype == dtype
    assert np.allclose(out[0], [[1, 0, 0], [0, 1, 0]])
    assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_float32_stays_float32_and_mixed_gives_float64():
    rng = np.random.default_rng(4)
    a32 = _additive_args(rng, np.float32)
    c, cache = A.additive_attention_forward(**a32)
    assert c.dtype == np.float32 and A.attention_weights(cache).dtype == np.float32
    assert A.masked_softmax(np.zeros((2, 3), np.float32)).dtype == np.float32
    q = _qkv_args(rng, np.float32, mask=None)
    out, _ = A.scaled_dot_product_attention_forward(q["Q"], q["K"], q["V"].astype(np.float64))
    assert out.dtype == np.float64
    X = rng.normal(size=(5, 4)).astype(np.float32)
    W = rng.normal(size=(4, 3)).astype(np.float32)
    out, w = A.self_attention(X, W, W, W)
    assert out.dtype == w.dtype == np.float32


def test_forward_passes_leave_their_inputs_unchanged_in_float32():
    rng = np.random.default_rng(7)
    args = _qkv_args(rng, np.float32, mask="each")
    before = {k: np.copy(v) for k, v in args.items() if isinstance(v, np.ndarray)}
    out, cache = A.scaled_dot_product_attention_forward(**args)
    A.scaled_dot_product_attention_backward(np.ones_like(out), cache)
    assert all(np.array_equal(args[k], v) for k, v in before.items())


def test_self_attention_weight_matrix():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(5, 4))
    W_q, W_k, W_v = (rng.normal(size=(4, 3)) for _ in range(3))
    out, w = A.self_attention(X, W_q, W_k, W_v)
    assert out.shape == (5, 3) and w.shape == (5, 5)
    assert np.allclose(w.sum(axis=1), 1.0)
    assert np.allclose(out, w @ (X @ W_v))
    causal = np.tril(np.ones((5, 5), dtype=bool))
    _, w_causal = A.self_attention(X, W_q, W_k, W_v, causal)
    assert np.all(w_causal[~causal] == 0) and np.allclose(w_causal[0, 0], 1.0)


def test_masked_softmax_gradient_is_the_softmax_jacobian_product():
    """The softmax backward used by both layers, dz = α ⊙ (dα − Σ α dα), against numbers."""
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 5))
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool)
    dalpha = rng.normal(size=z.shape)
    alpha = A.masked_softmax(z, mask)
    numeric = numerical_gradient(lambda: np.sum(A.masked_softmax(z, mask) * dalpha), z)
    analytic = alpha * (dalpha - np.sum(alpha * dalpha, axis=1, keepdims=True))
    assert relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize("make, pair", [(_additive_args, (A.additive_attention_forward, A.additive_attention_backward)),
                                        (_qkv_args, SDPA), (_qkv_args, LOOP)])
def test_backward_leaves_the_cache_as_it_was(make, pair):
    forward, backward = pair
    rng = np.random.default_rng(11)
    out, cache = forward(**make(rng, np.float64))
    dout = rng.normal(size=out.shape)
    first, second = backward(dout, cache), backward(dout, cache)
    assert all(np.array_equal(first[k], second[k]) for k in first)
