"""Tests of lib.conv: the lecture's example, loops = im2col, gradient checks, bad input."""
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lib.conv as conv
from contract import Layer, assert_refused, bad

SEEDS = st.integers(0, 2 ** 32 - 1)


def _conv_args(rng, dtype, m=2, n_H=5, n_W=4, n_C_prev=2, n_C=3, f=3, stride=2, pad=1, dilation=1):
    return {"A_prev": rng.standard_normal((m, n_H, n_W, n_C_prev)).astype(dtype),
            "W": rng.standard_normal((f, f, n_C_prev, n_C)).astype(dtype),
            "b": rng.standard_normal((1, 1, 1, n_C)).astype(dtype),
            "stride": stride, "pad": pad, "dilation": dilation}


def _depthwise_args(rng, dtype):
    return {"A_prev": rng.standard_normal((2, 6, 5, 3)).astype(dtype),
            "W": rng.standard_normal((3, 3, 3)).astype(dtype),
            "b": rng.standard_normal(3).astype(dtype), "stride": 2, "pad": 1, "dilation": 1}


def _transpose_args(rng, dtype):
    return {"A_prev": rng.standard_normal((2, 3, 4, 2)).astype(dtype),
            "W": rng.standard_normal((3, 3, 2, 3)).astype(dtype),
            "b": rng.standard_normal((1, 1, 1, 3)).astype(dtype), "stride": 2, "pad": 1}


LAYERS = [
    Layer(conv.conv_forward_naive, conv.conv_backward_naive, _conv_args, ("A_prev", "W", "b")),
    Layer(conv.conv_forward, conv.conv_backward, _conv_args, ("A_prev", "W", "b")),
    Layer(conv.conv_forward, conv.conv_backward,
          lambda rng, dtype: _conv_args(rng, dtype, stride=1, pad="same", dilation=2),
          ("A_prev", "W", "b"), name="conv_forward, dilation 2, same"),
    Layer(conv.depthwise_conv_forward, conv.depthwise_conv_backward, _depthwise_args, ("A_prev", "W", "b")),
    Layer(conv.conv_transpose_forward, conv.conv_transpose_backward, _transpose_args, ("A_prev", "W", "b")),
]


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


def test_edge_filter_returns_a_copy():
    conv.edge_filter("vertical")[0, 0] = 99
    assert conv.EDGE_FILTERS["vertical"][0, 0] == 1


def test_conv_single_step():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 3, 2))
    W = rng.normal(size=(3, 3, 2))
    assert conv.conv_single_step(a, W, 0.5) == pytest.approx(float(np.sum(a * W) + 0.5))
    assert conv.conv_single_step(a, W, np.array([[[0.5]]])) == pytest.approx(float(np.sum(a * W) + 0.5))


def test_zero_pad_turns_6x6_into_8x8():
    X = np.random.default_rng(0).normal(size=(2, 6, 6, 3))
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
    Z, _ = conv.conv_forward(np.zeros((1, n, n, 1)), np.zeros((f, f, 1, 1)), np.zeros(1), s, p, d)
    assert Z.shape[1:3] == (expected, expected)


def _random_case(seed, m, n_H, n_W, n_C_prev, n_C, f):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(m, n_H, n_W, n_C_prev)), rng.normal(size=(f, f, n_C_prev, n_C)),
            rng.normal(size=(1, 1, 1, n_C)), rng)


@settings(max_examples=30, deadline=None)
@given(seed=SEEDS, m=st.integers(1, 3), n_H=st.integers(3, 9), n_W=st.integers(3, 9),
       n_C_prev=st.integers(1, 3), n_C=st.integers(1, 3), f=st.integers(1, 3),
       s=st.integers(1, 3), d=st.integers(1, 2), pad=st.sampled_from([0, 1, 2, "valid", "full"]))
def test_loops_and_im2col_agree(seed, m, n_H, n_W, n_C_prev, n_C, f, s, d, pad):
    assume(d * (f - 1) + 1 <= min(n_H, n_W) + 2 * conv.resolve_padding(pad, f, d))   # it fits
    A, W, b, rng = _random_case(seed, m, n_H, n_W, n_C_prev, n_C, f)
    Z1, c1 = conv.conv_forward_naive(A, W, b, s, pad, d)
    Z2, c2 = conv.conv_forward(A, W, b, s, pad, d)
    np.testing.assert_allclose(Z1, Z2, atol=1e-12)
    dZ = rng.normal(size=Z1.shape)
    g1, g2 = conv.conv_backward_naive(dZ, c1), conv.conv_backward(dZ, c2)
    for key in ("dA_prev", "dW", "db"):
        np.testing.assert_allclose(g1[key], g2[key], atol=1e-12)
    # one cache form: each backward pass takes the other forward pass's cache
    for key in ("dA_prev", "dW", "db"):
        np.testing.assert_allclose(conv.conv_backward_naive(dZ, c2)[key], g2[key], atol=1e-12)
        np.testing.assert_allclose(conv.conv_backward(dZ, c1)[key], g1[key], atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS, s=st.integers(1, 3), d=st.integers(1, 2), p=st.integers(0, 2))
def test_col2im_is_the_adjoint_of_im2col(seed, s, d, p):
    A, W, _, rng = _random_case(seed, 2, 7, 6, 2, 1, 3)
    cols = conv.im2col(A, 3, s, p, d)
    y = rng.normal(size=cols.shape)
    # <im2col(x), y> = <x, col2im(y)>
    np.testing.assert_allclose(np.sum(cols * y), np.sum(A * conv.col2im(y, A.shape, 3, s, p, d)), rtol=1e-10)
    Z = (cols @ W.reshape(-1, 1)).reshape(2, -1)
    np.testing.assert_allclose(Z, conv.conv_forward(A, W, np.zeros(1), s, p, d)[0].reshape(2, -1), atol=1e-12)


def test_float32_stays_float32_in_every_function():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(2, 6, 6, 2)).astype(np.float32)
    W = rng.normal(size=(3, 3, 2, 2)).astype(np.float32)
    b = np.zeros((1, 1, 1, 2), np.float32)
    for forward, backward in ((conv.conv_forward, conv.conv_backward),
                              (conv.conv_forward_naive, conv.conv_backward_naive),
                              (conv.conv_transpose_forward, conv.conv_transpose_backward)):
        Z, cache = forward(A, W, b, pad=1) if forward is not conv.conv_transpose_forward else forward(A, W, b)
        assert Z.dtype == np.float32
        assert all(g.dtype == np.float32 for g in backward(Z, cache).values())
    Z, cache = conv.depthwise_conv_forward(A, W[..., 0], b.reshape(2), pad=1)
    assert Z.dtype == np.float32 and conv.depthwise_conv_backward(Z, cache)["dW"].dtype == np.float32
    assert conv.zero_pad(A, 1).dtype == np.float32 and conv.im2col(A, 3).dtype == np.float32
    assert conv.col2im(conv.im2col(A, 3), A.shape, 3).dtype == np.float32
    assert conv.conv_single_step(A[0, :3, :3], W[..., 0], 1.0).dtype == np.float32
    assert all(x.dtype == np.float32 for x in conv.as_filter_bank(W[:, :, 0, 0]))
    W_l, b_l, _ = conv.learn_filter(A[..., :1], np.zeros((2, 4, 4, 1), np.float32), num_iterations=2)
    assert W_l.dtype == np.float32 and b_l.dtype == np.float32
    Z64, _ = conv.conv_forward(A.astype(float), W.astype(float), b.astype(float), pad=1)
    np.testing.assert_allclose(conv.conv_forward(A, W, b, pad=1)[0], Z64, rtol=1e-5, atol=1e-5)


def test_extreme_but_valid_values_give_finite_scaled_results():
    A, W, b, _ = _random_case(0, 2, 6, 6, 2, 2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for scale in (1e-150, 1e100):
            Z, cache = conv.conv_forward(A * scale, W, b * scale, 1, 1)
            np.testing.assert_allclose(Z, conv.conv_forward(A, W, b, 1, 1)[0] * scale, rtol=1e-12)
            grads = conv.conv_backward(np.ones_like(Z) * scale, cache)
            assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_depthwise_filters_each_channel_alone():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(2, 6, 5, 3))
    W = rng.normal(size=(3, 3, 3))
    b = rng.normal(size=(3,))
    Z, _ = conv.depthwise_conv_forward(A, W, b, pad=1)
    for k in range(3):                                      # channel k sees only filter k
        Zk, _ = conv.conv_forward(A[..., k:k + 1], W[:, :, k:k + 1, None], b[k:k + 1], pad=1)
        np.testing.assert_allclose(Z[..., k], Zk[..., 0], atol=1e-12)


def test_transposed_output_size():
    A, W, b, _ = _random_case(0, 2, 3, 4, 2, 3, 3)
    Z, _ = conv.conv_transpose_forward(A, W, b, stride=2, pad=1)
    assert Z.shape == (2, (3 - 1) * 2 - 2 + 3, (4 - 1) * 2 - 2 + 3, 3)   # (n − 1)s − 2p + f


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS, n=st.integers(3, 8), f=st.integers(1, 3), s=st.integers(1, 3), p=st.integers(0, 1))
def test_transposed_convolution_is_the_adjoint_of_convolution(seed, n, f, s, p):
    assume(n + 2 * p >= f and (n + 2 * p - f) % s == 0)   # the windows end on the last pixel
    x, W, _, rng = _random_case(seed, 2, n, n, 2, 3, f)
    y, cache = conv.conv_forward(x, W, np.zeros(3), s, p)
    g = rng.normal(size=y.shape)
    T, _ = conv.conv_transpose_forward(g, W.transpose(0, 1, 3, 2), np.zeros(2), s, p)
    # ⟨conv(x), g⟩ = ⟨x, convᵀ(g)⟩: the transposed convolution is the adjoint
    assert T.shape == x.shape
    np.testing.assert_allclose(np.sum(y * g), np.sum(x * T), rtol=1e-10)
    np.testing.assert_allclose(conv.conv_backward(g, cache)["dA_prev"], T, atol=1e-12)


def test_parameter_counts():
    assert conv.parameter_count(3, 16, 32) == 3 * 3 * 16 * 32 + 32
    assert conv.parameter_count(3, 16, 32, "depthwise") == 3 * 3 * 16 + 16
    assert conv.parameter_count(3, 16, 32, "separable") == 3 * 3 * 16 + 16 + 16 * 32 + 32
    W = np.zeros((3, 3, 16, 32))
    assert conv.parameter_count(3, 16, 32) == W.size + 32


def test_learn_filter_recovers_sobel():
    images = np.random.default_rng(0).uniform(0, 1, (8, 12, 12, 1))
    W_true, b_true = conv.as_filter_bank(conv.edge_filter("sobel_vertical"))
    targets, _ = conv.conv_forward(images, W_true, b_true)
    W, b, costs = conv.learn_filter(images, targets, learning_rate=0.5, num_iterations=400)
    assert len(costs) == 400 and costs[-1] < 1e-3 * costs[0]
    np.testing.assert_allclose(W[:, :, 0, 0], W_true[:, :, 0, 0], atol=0.05)


def test_learn_filter_blames_the_images_for_three_channels():
    """The issue's case: three-channel images used to be blamed on ``targets``."""
    with pytest.raises(ValueError, match=r"^images: expected one channel"):
        conv.learn_filter(np.ones((1, 5, 5, 3)), np.zeros((1, 3, 3, 1)))


def test_conv_single_step_refuses_a_bias_of_two_values():
    """The issue's case: b = [1., 2.] used to give the first value silently."""
    with pytest.raises(ValueError, match=r"^b: expected one number"):
        conv.conv_single_step(np.ones((3, 3, 1)), np.ones((3, 3, 1)), b=[1., 2.])


# ---------------------------------------------------------------- bad input

_A = np.zeros((1, 6, 6, 1))
_W = np.zeros((3, 3, 1, 1))
_b = np.zeros(1)
_Z, _CACHE = conv.conv_forward(_A, _W, _b)                 # Z (1, 4, 4, 1)
_ZD, _CACHE_D = conv.depthwise_conv_forward(_A, _W[..., 0], _b)
_ZT, _CACHE_T = conv.conv_transpose_forward(np.zeros((1, 3, 3, 1)), _W, _b, stride=2)
_NAN_A = np.full((1, 6, 6, 1), np.nan)
_cols = conv.im2col(_A, 3)                               # (16, 9)

BAD_INPUTS = [
    bad(conv.edge_filter, "name", "laplace"),
    bad(conv.edge_filter, "name", ""),
    bad(conv.edge_filter, "name", 3),
    bad(conv.as_filter_bank, "kernel", np.ones((3, 2))),
    bad(conv.as_filter_bank, "kernel", np.ones(3)),
    bad(conv.as_filter_bank, "kernel", [[np.nan, 0], [0, 0]]),
    bad(conv.as_filter_bank, "kernel", "sobel", error=TypeError),
    bad(conv.resolve_padding, "pad", "half", 3),
    bad(conv.resolve_padding, "pad", -1, 3),
    bad(conv.resolve_padding, "pad", 1.5, 3, error=TypeError),
    bad(conv.resolve_padding, "pad", "same", 2),
    bad(conv.resolve_padding, "f", 0, 0),
    bad(conv.resolve_padding, "dilation", 0, 3, 0),
    bad(conv.conv_output_size, "n", 0, 3),
    bad(conv.conv_output_size, "f", 4, 3, 0, 1, 2),
    bad(conv.conv_output_size, "stride", 6, 3, 0, 0),
    bad(conv.conv_output_size, "pad", 6, 3, "half"),
    bad(conv.zero_pad, "X", np.zeros((6, 6, 1)), 1),
    bad(conv.zero_pad, "pad", _A, -1),
    bad(conv.zero_pad, "pad", _A, 1.0, error=TypeError),
    bad(conv.zero_pad, "X", _NAN_A, 1),
    bad(conv.conv_single_step, "b", np.ones((3, 3, 1)), np.ones((3, 3, 1)), [1., 2.]),
    bad(conv.conv_single_step, "W", np.ones((3, 3, 1)), np.ones((3, 3, 2)), 0.),
    bad(conv.conv_single_step, "a_slice", np.ones((3, 3)), np.ones((3, 3)), 0.),
    bad(conv.conv_single_step, "a_slice", np.full((3, 3, 1), np.inf), np.ones((3, 3, 1)), 0.),
    bad(conv.conv_single_step, "b", np.ones((3, 3, 1)), np.ones((3, 3, 1)), np.nan),
    bad(conv.conv_forward_naive, "A_prev", np.zeros((6, 6, 1)), _W, _b),
    bad(conv.conv_forward_naive, "A_prev", _NAN_A, _W, _b),
    bad(conv.conv_forward_naive, "W", _A, np.zeros((3, 3, 2, 1)), _b),
    bad(conv.conv_forward_naive, "b", _A, _W, np.zeros(2)),
    bad(conv.conv_backward_naive, "dZ", np.zeros((1, 5, 5, 1)), _CACHE),
    bad(conv.conv_backward_naive, "dZ", np.full((1, 4, 4, 1), np.nan), _CACHE),
    bad(conv.conv_backward_naive, "cache", _Z, (_A, _W), error=TypeError),
    bad(conv.im2col, "A_prev", np.zeros((6, 6)), 3),
    bad(conv.im2col, "f", _A, 7),
    bad(conv.im2col, "f", _A, 0),
    bad(conv.im2col, "stride", _A, 3, 0),
    bad(conv.im2col, "A_prev", np.zeros((1, 0, 6, 1)), 3),
    bad(conv.col2im, "dcols", np.zeros((15, 9)), _A.shape, 3),
    bad(conv.col2im, "dcols", np.full(_cols.shape, np.nan), _A.shape, 3),
    bad(conv.col2im, "A_shape", _cols, (6, 6, 1), 3),
    bad(conv.col2im, "f", _cols, _A.shape, 9),
    bad(conv.col2im, "A_shape", _cols, 36, 3),
    bad(conv.conv_forward, "A_prev", np.zeros((6, 6, 1)), _W, _b),
    bad(conv.conv_forward, "A_prev", _NAN_A, _W, _b),
    bad(conv.conv_forward, "A_prev", np.zeros((0, 6, 6, 1)), _W, _b),
    bad(conv.conv_forward, "W", np.zeros((1, 6, 6, 3)), np.zeros((3, 3, 1, 2)), np.zeros(2)),
    bad(conv.conv_forward, "W", _A, np.zeros((3, 2, 1, 1)), _b),
    bad(conv.conv_forward, "W", _A, np.full((3, 3, 1, 1), np.inf), _b),
    bad(conv.conv_forward, "b", np.zeros((1, 6, 6, 1)), np.zeros((3, 3, 1, 2)), np.zeros(3)),
    bad(conv.conv_forward, "b", _A, _W, [np.nan]),
    bad(conv.conv_forward, "f", np.zeros((1, 4, 4, 1)), np.zeros((5, 5, 1, 1)), _b),
    bad(conv.conv_forward, "stride", _A, _W, _b, stride=0),
    bad(conv.conv_forward, "stride", _A, _W, _b, stride=1.5, error=TypeError),
    bad(conv.conv_forward, "pad", _A, _W, _b, pad=-1),
    bad(conv.conv_forward, "pad", _A, _W, _b, pad="half"),
    bad(conv.conv_forward, "dilation", _A, _W, _b, dilation=0),
    bad(conv.conv_backward, "dZ", np.zeros((1, 5, 5, 1)), _CACHE),
    bad(conv.conv_backward, "dZ", np.full((1, 4, 4, 1), np.nan), _CACHE),
    bad(conv.conv_backward, "dZ", np.zeros((4, 4, 1)), _CACHE),
    bad(conv.conv_backward, "cache", _Z, "cache", error=TypeError),
    bad(conv.depthwise_conv_forward, "W", _A, np.zeros((3, 3, 2)), _b),
    bad(conv.depthwise_conv_forward, "A_prev", _NAN_A, _W[..., 0], _b),
    bad(conv.depthwise_conv_forward, "b", _A, _W[..., 0], np.zeros(2)),
    bad(conv.depthwise_conv_forward, "stride", _A, _W[..., 0], _b, stride=-1),
    bad(conv.depthwise_conv_backward, "dZ", np.zeros((1, 3, 3, 1)), _CACHE_D),
    bad(conv.depthwise_conv_backward, "dZ", np.full(_ZD.shape, np.nan), _CACHE_D),
    bad(conv.depthwise_conv_backward, "cache", _ZD, None, error=TypeError),
    bad(conv.parameter_count, "kind", 3, 16, 32, "grouped"),
    bad(conv.parameter_count, "f", 0, 16, 32),
    bad(conv.parameter_count, "n_C", 3, 16, 2.5, error=TypeError),
    bad(conv.conv_transpose_output_size, "n", 0, 3),
    bad(conv.conv_transpose_output_size, "pad", 1, 1, 1),
    bad(conv.conv_transpose_output_size, "stride", 3, 3, 0, 0),
    bad(conv.conv_transpose_forward, "W", np.zeros((1, 3, 3, 2)), _W, _b),
    bad(conv.conv_transpose_forward, "A_prev", _NAN_A, _W, _b),
    bad(conv.conv_transpose_forward, "b", _A, _W, np.zeros(3)),
    bad(conv.conv_transpose_forward, "pad", _A, _W, _b, pad=-2),
    bad(conv.conv_transpose_backward, "dZ", np.zeros((1, 3, 3, 1)), _CACHE_T),
    bad(conv.conv_transpose_backward, "dZ", np.full(_ZT.shape, np.inf), _CACHE_T),
    bad(conv.conv_transpose_backward, "cache", _ZT, [1, 2, 3, 4], error=TypeError),
    bad(conv.learn_filter, "images", np.ones((1, 5, 5, 3)), np.zeros((1, 3, 3, 1))),
    bad(conv.learn_filter, "targets", np.ones((2, 6, 6, 1)), np.zeros((2, 6, 6, 1))),
    bad(conv.learn_filter, "targets", np.ones((1, 5, 5, 1)), np.full((1, 3, 3, 1), np.nan)),
    bad(conv.learn_filter, "images", np.full((1, 5, 5, 1), np.nan), np.zeros((1, 3, 3, 1))),
    bad(conv.learn_filter, "learning_rate", np.ones((1, 5, 5, 1)), np.zeros((1, 3, 3, 1)), learning_rate=0),
    bad(conv.learn_filter, "num_iterations", np.ones((1, 5, 5, 1)), np.zeros((1, 3, 3, 1)), num_iterations=0),
    bad(conv.learn_filter, "seed", np.ones((1, 5, 5, 1)), np.zeros((1, 3, 3, 1)), seed=-1),
    bad(conv.learn_filter, "f", np.ones((1, 5, 5, 1)), np.zeros((1, 3, 3, 1)), f=7),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
