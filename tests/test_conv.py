"""Tests of lib.conv: the lecture's example, naive = vectorised, gradient checks, bad input."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lib.conv as conv
from lib.gradcheck import numerical_gradient_array, relative_error

RNG = np.random.default_rng(0)


def lecture_image():
    """The 6×6 image of the lecture: left half 10, right half 0, as (1, 6, 6, 1)."""
    img = np.zeros((6, 6))
    img[:, :3] = 10
    return img[None, :, :, None]


def test_lecture_example_gives_the_4x4_band():
    W, b = conv.as_filter_bank(conv.edge_filter("vertical"))
    for forward in (conv.conv_forward_naive, conv.conv_forward):
        Z, _ = forward(lecture_image(), W, b)
        assert Z.shape == (1, 4, 4, 1)
        np.testing.assert_array_equal(Z[0, :, :, 0], np.tile([0.0, 30.0, 30.0, 0.0], (4, 1)))


def test_horizontal_filter_is_the_vertical_one_transposed():
    np.testing.assert_array_equal(conv.edge_filter("horizontal"), conv.edge_filter("vertical").T)
    np.testing.assert_array_equal(conv.edge_filter("sobel_horizontal"),
                                  conv.edge_filter("sobel_vertical").T)
    for name in conv.EDGE_FILTERS:
        assert conv.edge_filter(name).sum() == 0          # a flat image gives no edge


def test_conv_single_step():
    a = RNG.normal(size=(3, 3, 2))
    W = RNG.normal(size=(3, 3, 2))
    assert conv.conv_single_step(a, W, 0.5) == pytest.approx(float(np.sum(a * W) + 0.5))


def test_zero_pad_turns_6x6_into_8x8():
    X = RNG.normal(size=(2, 6, 6, 3))
    P = conv.zero_pad(X, 1)
    assert P.shape == (2, 8, 8, 3)
    np.testing.assert_array_equal(P[:, 1:-1, 1:-1], X)
    assert np.all(P[:, 0] == 0) and np.all(P[:, :, -1] == 0)


@pytest.mark.parametrize("n,f,p,s,d,expected", [
    (6, 3, 0, 1, 1, 4), (6, 3, 1, 1, 1, 6), (6, 3, "same", 1, 1, 6), (6, 3, "full", 1, 1, 8),
    (7, 3, 0, 2, 1, 3), (8, 3, 0, 2, 1, 3), (7, 3, 0, 1, 2, 3), (5, 1, "valid", 1, 1, 5),
])
def test_conv_output_size(n, f, p, s, d, expected):
    assert conv.conv_output_size(n, f, p, s, d) == expected


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), f=st.integers(1, 7), p=st.integers(0, 4), s=st.integers(1, 4),
       d=st.integers(1, 3))
def test_output_size_formula_matches_the_code(n, f, p, s, d):
    f_d = d * (f - 1) + 1
    if f_d > n + 2 * p:
        with pytest.raises(ValueError, match="f:"):
            conv.conv_output_size(n, f, p, s, d)
        return
    expected = (n + 2 * p - f_d) // s + 1
    assert conv.conv_output_size(n, f, p, s, d) == expected
    A = np.zeros((1, n, n, 1))
    Z, _ = conv.conv_forward(A, np.zeros((f, f, 1, 1)), np.zeros(1), s, p, d)
    assert Z.shape[1:3] == (expected, expected)


def _random_case(draw_ints):
    m, n_H, n_W, n_C_prev, n_C, f, s, d = draw_ints
    A = RNG.normal(size=(m, n_H, n_W, n_C_prev))
    W = RNG.normal(size=(f, f, n_C_prev, n_C))
    b = RNG.normal(size=(1, 1, 1, n_C))
    return A, W, b, s, d


@settings(max_examples=30, deadline=None)
@given(m=st.integers(1, 3), n_H=st.integers(3, 9), n_W=st.integers(3, 9),
       n_C_prev=st.integers(1, 3), n_C=st.integers(1, 3), f=st.integers(1, 3),
       s=st.integers(1, 3), d=st.integers(1, 2), pad=st.sampled_from([0, 1, 2, "valid", "full"]))
def test_naive_and_vectorised_agree(m, n_H, n_W, n_C_prev, n_C, f, s, d, pad):
    assume(d * (f - 1) + 1 <= min(n_H, n_W) + 2 * conv.resolve_padding(pad, f, d))   # it fits
    A, W, b, s, d = _random_case((m, n_H, n_W, n_C_prev, n_C, f, s, d))
    Z1, c1 = conv.conv_forward_naive(A, W, b, s, pad, d)
    Z2, c2 = conv.conv_forward(A, W, b, s, pad, d)
    np.testing.assert_allclose(Z1, Z2, atol=1e-12)
    dZ = RNG.normal(size=Z1.shape)
    for g1, g2 in zip(conv.conv_backward_naive(dZ, c1), conv.conv_backward(dZ, c2)):
        np.testing.assert_allclose(g1, g2, atol=1e-12)


@pytest.mark.parametrize("stride,dilation", [(1, 1), (1, 2), (2, 1)])
def test_chunked_conv_agrees_with_one_block(monkeypatch, stride, dilation):
    A, W, b, s, d = _random_case((5, 7, 6, 2, 3, 3, stride, dilation))
    Z, cache = conv.conv_forward(A, W, b, s, 1, d)
    dZ = RNG.normal(size=Z.shape)
    grads = conv.conv_backward(dZ, cache)
    monkeypatch.setattr(conv, "_CHUNK_BYTES", 1)          # one example per chunk
    Zc, cache_c = conv.conv_forward(A, W, b, s, 1, d)
    np.testing.assert_allclose(Zc, Z, atol=1e-12)
    for g, gc in zip(grads, conv.conv_backward(dZ, cache_c)):
        np.testing.assert_allclose(gc, g, atol=1e-12)


def test_im2col_per_example_columns_give_the_convolution():
    A, W, b, s, d = _random_case((3, 7, 6, 2, 4, 3, 2, 1))
    n_H, n_W = conv.conv_output_size(7, 3, 1, 2), conv.conv_output_size(6, 3, 1, 2)
    A_pad_t = np.pad(A, ((0, 0), (1, 1), (1, 1), (0, 0))).transpose(0, 3, 1, 2)
    cols = conv.im2col(A_pad_t, 3, n_H, n_W, stride=2)
    assert cols.shape == (3, 3 * 3 * 2, n_H * n_W)
    Z = (W.reshape(-1, 4).T @ cols).reshape(3, 4, n_H, n_W).transpose(0, 2, 3, 1) + b
    np.testing.assert_allclose(Z, conv.conv_forward_naive(A, W, b, 2, 1)[0], atol=1e-12)
    # col2im_add is its adjoint: <im2col(x), y> = <x, col2im_add(0, y)>
    y = RNG.normal(size=cols.shape)
    back = conv.col2im_add(np.zeros_like(A_pad_t), y, 3, n_H, n_W, stride=2)
    np.testing.assert_allclose(np.sum(cols * y), np.sum(A_pad_t * back), rtol=1e-12)


def test_float32_stays_float32():
    A = RNG.normal(size=(2, 6, 6, 1)).astype(np.float32)
    W = RNG.normal(size=(3, 3, 1, 2)).astype(np.float32)
    b = np.zeros((1, 1, 1, 2), np.float32)
    Z, cache = conv.conv_forward(A, W, b, pad=1)
    assert Z.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv.conv_backward(Z, cache))
    Z64, _ = conv.conv_forward(A.astype(float), W.astype(float), b.astype(float), pad=1)
    np.testing.assert_allclose(Z, Z64, rtol=1e-5, atol=1e-5)


def test_input_grad_false_skips_dA_prev():
    A, W, b, s, d = _random_case((2, 5, 5, 2, 2, 3, 1, 1))
    Z, cache = conv.conv_forward(A, W, b)
    dA, dW, db = conv.conv_backward(Z, cache, input_grad=False)
    assert dA is None
    np.testing.assert_allclose(dW, conv.conv_backward(Z, cache)[1])


def _check_layer_gradients(forward, backward, A, W, b, **kw):
    """Relative errors of dA_prev, dW, db against centred differences."""
    Z, cache = forward(A, W, b, **kw)
    dZ = RNG.normal(size=Z.shape)
    grads = backward(dZ, cache)
    errors = []
    for x, g in zip((A, W, b), grads):
        num = numerical_gradient_array(lambda: forward(A, W, b, **kw)[0], x, dZ)
        errors.append(relative_error(g, num))
    return errors


@pytest.mark.parametrize("stride,pad,dilation", [(1, 0, 1), (2, 1, 1), (1, "same", 2), (2, "full", 1)])
def test_conv_backward_gradient_check(stride, pad, dilation):
    A, W, b, _, _ = _random_case((2, 6, 5, 2, 3, 3, 1, 1))
    errors = _check_layer_gradients(conv.conv_forward, conv.conv_backward, A, W, b,
                                    stride=stride, pad=pad, dilation=dilation)
    assert max(errors) < 1e-7, errors


def test_depthwise_gradient_check_and_per_channel_meaning():
    A = RNG.normal(size=(2, 6, 5, 3))
    W = RNG.normal(size=(3, 3, 3))
    b = RNG.normal(size=(3,))
    errors = _check_layer_gradients(conv.depthwise_conv_forward, conv.depthwise_conv_backward,
                                    A, W, b, stride=2, pad=1, dilation=1)
    assert max(errors) < 1e-7, errors
    Z, _ = conv.depthwise_conv_forward(A, W, b, pad=1)
    for k in range(3):                                      # channel k sees only filter k
        Zk, _ = conv.conv_forward(A[..., k:k + 1], W[:, :, k:k + 1, None], b[k:k + 1], pad=1)
        np.testing.assert_allclose(Z[..., k], Zk[..., 0], atol=1e-12)


def test_transpose_gradient_check_and_output_size():
    A = RNG.normal(size=(2, 3, 4, 2))
    W = RNG.normal(size=(3, 3, 2, 3))
    b = RNG.normal(size=(1, 1, 1, 3))
    errors = _check_layer_gradients(conv.conv_transpose_forward, conv.conv_transpose_backward,
                                    A, W, b, stride=2, pad=1)
    assert max(errors) < 1e-7, errors
    Z, _ = conv.conv_transpose_forward(A, W, b, stride=2, pad=1)
    assert Z.shape == (2, (3 - 1) * 2 - 2 + 3, (4 - 1) * 2 - 2 + 3, 3)   # (n − 1)s − 2p + f


@settings(max_examples=20, deadline=None)
@given(n=st.integers(3, 8), f=st.integers(1, 3), s=st.integers(1, 3), p=st.integers(0, 1))
def test_transposed_convolution_is_the_adjoint_of_convolution(n, f, s, p):
    assume(n + 2 * p >= f and (n + 2 * p - f) % s == 0)   # the windows end on the last pixel
    x = RNG.normal(size=(2, n, n, 2))
    W = RNG.normal(size=(f, f, 2, 3))
    y, cache = conv.conv_forward(x, W, np.zeros(3), s, p)
    g = RNG.normal(size=y.shape)
    T, _ = conv.conv_transpose_forward(g, W.transpose(0, 1, 3, 2), np.zeros(2), s, p)
    # ⟨conv(x), g⟩ = ⟨x, convᵀ(g)⟩: the transposed convolution is the adjoint
    assert T.shape == x.shape
    np.testing.assert_allclose(np.sum(y * g), np.sum(x * T), rtol=1e-10)
    np.testing.assert_allclose(conv.conv_backward(g, cache)[0], T, atol=1e-12)


def test_parameter_counts():
    assert conv.parameter_count(3, 16, 32) == 3 * 3 * 16 * 32 + 32
    assert conv.parameter_count(3, 16, 32, "depthwise") == 3 * 3 * 16 + 16
    assert conv.parameter_count(3, 16, 32, "separable") == 3 * 3 * 16 + 16 + 16 * 32 + 32


def test_learn_filter_recovers_sobel():
    images = RNG.uniform(0, 1, (8, 12, 12, 1))
    W_true, b_true = conv.as_filter_bank(conv.edge_filter("sobel_vertical"))
    targets, _ = conv.conv_forward(images, W_true, b_true)
    W, b, costs = conv.learn_filter(images, targets, learning_rate=0.5, iterations=400)
    assert costs[-1] < 1e-3 * costs[0]
    np.testing.assert_allclose(W[:, :, 0, 0], W_true[:, :, 0, 0], atol=0.05)


# ---------------------------------------------------------------- bad input

def test_filter_larger_than_padded_input():
    with pytest.raises(ValueError, match="f:.*padded input"):
        conv.conv_forward(np.zeros((1, 4, 4, 1)), np.zeros((5, 5, 1, 1)), np.zeros(1))
    with pytest.raises(ValueError, match="f:"):
        conv.conv_output_size(4, 3, 0, 1, dilation=2)


def test_channel_mismatch():
    with pytest.raises(ValueError, match="W: expected n_C_prev = 3"):
        conv.conv_forward(np.zeros((1, 6, 6, 3)), np.zeros((3, 3, 1, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="b: expected shape"):
        conv.conv_forward(np.zeros((1, 6, 6, 1)), np.zeros((3, 3, 1, 2)), np.zeros(3))


@pytest.mark.parametrize("stride", [0, -1, 1.5])
def test_bad_stride(stride):
    with pytest.raises(ValueError, match="stride"):
        conv.conv_forward(np.zeros((1, 6, 6, 1)), np.zeros((3, 3, 1, 1)), np.zeros(1), stride=stride)


@pytest.mark.parametrize("pad", [1.5, 1.0, -1, "half"])
def test_non_integer_padding(pad):
    with pytest.raises(ValueError, match="pad"):
        conv.conv_forward(np.zeros((1, 6, 6, 1)), np.zeros((3, 3, 1, 1)), np.zeros(1), pad=pad)
    with pytest.raises(ValueError, match="pad"):
        conv.zero_pad(np.zeros((1, 6, 6, 1)), pad)


def test_same_needs_odd_filter_and_wrong_ranks():
    with pytest.raises(ValueError, match="pad: 'same'"):
        conv.conv_output_size(6, 2, "same")
    with pytest.raises(ValueError, match="A_prev: expected a 4-d"):
        conv.conv_forward(np.zeros((6, 6, 1)), np.zeros((3, 3, 1, 1)), np.zeros(1))
    with pytest.raises(ValueError, match="W: expected square"):
        conv.conv_forward(np.zeros((1, 6, 6, 1)), np.zeros((3, 2, 1, 1)), np.zeros(1))
    with pytest.raises(ValueError, match="dZ: expected shape"):
        _, cache = conv.conv_forward(np.zeros((1, 6, 6, 1)), np.zeros((3, 3, 1, 1)), np.zeros(1))
        conv.conv_backward(np.zeros((1, 5, 5, 1)), cache)
    with pytest.raises(ValueError, match="name"):
        conv.edge_filter("laplace")
    with pytest.raises(ValueError, match="targets"):
        conv.learn_filter(np.zeros((2, 6, 6, 1)), np.zeros((2, 6, 6, 1)))
    with pytest.raises(ValueError, match="W: expected shape"):
        conv.conv_transpose_forward(np.zeros((1, 3, 3, 2)), np.zeros((3, 3, 1, 1)), np.zeros(1))
