"""Tests for lib.attention: masked softmax, additive and scaled dot-product attention."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lib import attention as A
from lib.gradcheck import gradient_check, numerical_gradient, relative_error


def _rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- masked softmax

@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 8), st.integers(0, 10_000))
def test_masked_softmax_sums_to_one_and_respects_mask(m, T, seed):
    rng = _rng(seed)
    z = rng.normal(0, 5, (m, T))
    mask = rng.random((m, T)) < 0.6
    mask[np.arange(m), rng.integers(T, size=m)] = True     # at least one True per row
    alpha = A.masked_softmax(z, mask)
    assert np.allclose(alpha.sum(axis=-1), 1.0)
    assert np.all(alpha[~mask] == 0.0)
    assert np.all(alpha >= 0)


def test_masked_softmax_without_mask_matches_plain_softmax():
    z = _rng().normal(size=(3, 7))
    e = np.exp(z)
    assert np.allclose(A.masked_softmax(z), e / e.sum(axis=-1, keepdims=True))
    assert A.softmax is A.masked_softmax


def test_masked_softmax_extreme_scores_are_finite():
    z = np.array([[1000.0, -1000.0, 999.0], [-1000.0, -1000.0, -1000.0]])
    alpha = A.masked_softmax(z, np.array([[True, True, False], [True, False, True]]))
    assert np.all(np.isfinite(alpha))
    assert alpha[0, 0] == 1.0 and alpha[0, 2] == 0.0
    assert np.allclose(alpha[1], [0.5, 0.0, 0.5])


def test_masked_softmax_backward_matches_numerical():
    rng = _rng(1)
    z = rng.normal(size=(3, 5))
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool)
    dout = rng.normal(size=z.shape)
    alpha = A.masked_softmax(z, mask)
    num = numerical_gradient(lambda: np.sum(A.masked_softmax(z, mask) * dout), z)
    assert relative_error(A.softmax_backward(dout, alpha), num) < 1e-7


def test_masked_softmax_bad_mask():
    z = np.zeros((2, 4))
    with pytest.raises(ValueError, match="mask"):
        A.masked_softmax(z, np.ones((2, 3), dtype=bool))
    with pytest.raises(ValueError, match="mask"):
        A.masked_softmax(z, np.array([[True] * 4, [False] * 4]))
    with pytest.raises(ValueError, match="mask"):
        A.masked_softmax(z, np.full((2, 4), 0.5))


# ---------------------------------------------------------------- additive attention

def _additive_setup(seed=0, n_s=4, n_a=5, n_e=3, m=3, T_x=6):
    rng = _rng(seed)
    params = A.initialize_additive_attention(n_s, n_a, n_e, seed=seed)
    params["b"] = rng.normal(size=params["b"].shape)
    s_prev = rng.normal(size=(n_s, m))
    a = rng.normal(size=(n_a, m, T_x))
    mask = np.ones((m, T_x), dtype=bool)
    mask[0, 4:] = False
    mask[2, 2:] = False
    return params, s_prev, a, mask, rng


def test_additive_attention_shapes_and_weights():
    params, s_prev, a, mask, _ = _additive_setup()
    (c, alpha), _ = A.additive_attention_forward(s_prev, a, params, mask)
    assert c.shape == (5, 3) and alpha.shape == (3, 6)
    assert np.allclose(alpha.sum(axis=1), 1.0)
    assert np.all(alpha[~mask] == 0.0)
    # the context is the weighted average of the encoder states
    assert np.allclose(c[:, 1], a[:, 1, :] @ alpha[1])


def test_additive_attention_gradients():
    params, s_prev, a, mask, rng = _additive_setup(seed=2)
    dc = rng.normal(size=(5, 3))
    dalpha = rng.normal(size=(3, 6))

    def f():
        (c, alpha), _ = A.additive_attention_forward(s_prev, a, params, mask)
        return np.sum(c * dc) + np.sum(alpha * dalpha)

    _, cache = A.additive_attention_forward(s_prev, a, params, mask)
    g = A.additive_attention_backward(dc, cache, dalpha)
    errors = gradient_check(f, {**params, "s_prev": s_prev, "a": a},
                            {"W_s": g["dW_s"], "W_a": g["dW_a"], "b": g["db"], "v": g["dv"],
                             "s_prev": g["ds_prev"], "a": g["da"]})
    assert max(errors.values()) < 1e-7, errors


def test_additive_attention_with_precomputed_keys_agrees():
    params, s_prev, a, mask, rng = _additive_setup(seed=3)
    dc = rng.normal(size=(5, 3))
    keys = A.attention_keys(a, params["W_a"])
    (c1, al1), cache1 = A.additive_attention_forward(s_prev, a, params, mask)
    (c2, al2), cache2 = A.additive_attention_forward(s_prev, a, params, mask, keys=keys)
    assert np.allclose(c1, c2) and np.allclose(al1, al2)
    g1 = A.additive_attention_backward(dc, cache1)
    g2 = A.additive_attention_backward(dc, cache2)
    flat = g2["dkeys"].reshape(3, -1)
    assert np.allclose(g1["dW_a"], flat @ a.reshape(5, -1).T)
    assert np.allclose(g1["da"], g2["da"] + (params["W_a"].T @ flat).reshape(a.shape))


def test_additive_attention_bad_input():
    params, s_prev, a, mask, _ = _additive_setup()
    with pytest.raises(ValueError, match="s_prev"):
        A.additive_attention_forward(s_prev[:, :2], a, params, mask)
    with pytest.raises(ValueError, match="a"):
        A.additive_attention_forward(s_prev, a[:4], params, mask)
    with pytest.raises(ValueError, match="mask"):
        A.additive_attention_forward(s_prev, a, params, mask[:, :5])


# ---------------------------------------------------------------- scaled dot-product

def _qkv(seed=0, m=2, T_q=3, T_k=4, d_k=5, d_v=3):
    rng = _rng(seed)
    return (rng.normal(size=(m, T_q, d_k)), rng.normal(size=(m, T_k, d_k)),
            rng.normal(size=(m, T_k, d_v)), rng)


@pytest.mark.parametrize("use_mask", [False, True])
def test_scaled_dot_product_gradients(use_mask):
    Q, K, V, rng = _qkv(seed=4)
    mask = None
    if use_mask:
        mask = np.tril(np.ones((3, 4), dtype=bool))          # causal-style
    dout = rng.normal(size=(2, 3, 3))
    dw = rng.normal(size=(2, 3, 4))

    def f():
        (out, w), _ = A.scaled_dot_product_attention(Q, K, V, mask)
        return np.sum(out * dout) + np.sum(w * dw)

    _, cache = A.scaled_dot_product_attention(Q, K, V, mask)
    g = A.scaled_dot_product_attention_backward(dout, cache, dw)
    errors = gradient_check(f, {"Q": Q, "K": K, "V": V}, {"Q": g["dQ"], "K": g["dK"], "V": g["dV"]})
    assert max(errors.values()) < 1e-7, errors


def test_scaled_dot_product_weights_and_mask():
    Q, K, V, _ = _qkv(seed=5)
    mask = np.array([[True, False, True, False]] * 3)
    (out, w), _ = A.scaled_dot_product_attention(Q, K, V, mask)
    assert np.allclose(w.sum(axis=-1), 1.0)
    assert np.all(w[:, :, [1, 3]] == 0.0)
    assert np.allclose(out, w @ V)


def test_scaled_dot_product_two_d_inputs():
    Q, K, V, _ = _qkv(seed=6)
    (out, w), _ = A.scaled_dot_product_attention(Q[0], K[0], V[0])
    (out3, w3), _ = A.scaled_dot_product_attention(Q, K, V)
    assert np.allclose(out, out3[0]) and np.allclose(w, w3[0])


def test_loop_form_agrees_with_batched_form():
    Q, K, V, rng = _qkv(seed=7, m=4, T_q=5, T_k=5, d_k=8, d_v=6)
    mask = np.tril(np.ones((5, 5), dtype=bool))
    (out, w), cache = A.scaled_dot_product_attention(Q, K, V, mask)
    out_l, w_l = A.scaled_dot_product_attention_loop(Q, K, V, mask)
    assert np.allclose(out, out_l) and np.allclose(w, w_l)
    dout = rng.normal(size=out.shape)
    g = A.scaled_dot_product_attention_backward(dout, cache)
    g_l = A.scaled_dot_product_attention_loop_backward(dout, Q, K, V, w_l)
    for k in g:
        assert np.allclose(g[k], g_l[k])


def test_scaling_keeps_softmax_from_saturating():
    """Without 1/√d_k, scores of unit-variance vectors have variance d_k: the softmax saturates."""
    rng = _rng(8)
    d_k = 256
    Q, K, V = (rng.normal(size=(16, 10, d_k)) for _ in range(3))
    (_, w_scaled), _ = A.scaled_dot_product_attention(Q, K, V)
    (_, w_raw), _ = A.scaled_dot_product_attention(Q, K, V, scale=False)
    assert w_raw.max(axis=-1).mean() > 0.9 > w_scaled.max(axis=-1).mean()


def test_scaled_dot_product_bad_input():
    Q, K, V, _ = _qkv()
    with pytest.raises(ValueError, match="K"):
        A.scaled_dot_product_attention(Q, K[:, :, :4], V)
    with pytest.raises(ValueError, match="V"):
        A.scaled_dot_product_attention(Q, K, V[:, :3])
    with pytest.raises(ValueError, match="K"):
        A.scaled_dot_product_attention(Q, K[0], V)
    with pytest.raises(ValueError, match="mask"):
        A.scaled_dot_product_attention(Q, K, V, np.ones((3, 3), dtype=bool))
    with pytest.raises(ValueError, match="Q"):
        A.scaled_dot_product_attention(Q[0, 0], K, V)
    with pytest.raises(ValueError, match="Q"):
        A.scaled_dot_product_attention(np.full_like(Q, np.nan), K, V)


def test_self_attention_weight_matrix():
    rng = _rng(9)
    X = rng.normal(size=(5, 4))
    W_q, W_k, W_v = (rng.normal(size=(4, 3)) for _ in range(3))
    out, w = A.self_attention(X, W_q, W_k, W_v)
    assert out.shape == (5, 3) and w.shape == (5, 5)
    assert np.allclose(w.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="W_k"):
        A.self_attention(X, W_q, rng.normal(size=(3, 3)), W_v)
