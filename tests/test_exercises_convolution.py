"""What the checkers of the convolution chapters accept, and what they reject with which diagnosis."""
import math

import numpy as np
import pytest

from checking import assert_rejected, verdict
from lib import conv, pooling
from lib.exercises import check_conv2d, check_conv_output_size, check_pool_forward, check_zero_pad


# ----------------------------------------------------------------- conv2d (chapter 15)
def _conv2d(image, kernel, b, window=lambda a, k: np.sum(a * k), out_shift=1, dtype=None):
    f = kernel.shape[0]
    n_H, n_W = image.shape[0] - f + out_shift, image.shape[1] - f + out_shift
    Z = np.zeros((n_H, n_W), dtype=dtype or image.dtype)
    for h in range(n_H):
        for w in range(n_W):
            Z[h, w] = window(image[h:h + f, w:w + f], kernel) + b
    return Z


def good_conv2d(image, kernel, b):
    return _conv2d(image, kernel, b)


def no_bias_conv2d(image, kernel, b):
    return _conv2d(image, kernel, 0.0)


def bias_inside_conv2d(image, kernel, b):
    return _conv2d(image, kernel, 0.0, window=lambda a, k: np.sum(a * k + b))


def flipped_conv2d(image, kernel, b):
    return _conv2d(image, kernel[::-1, ::-1], b)


def transposed_kernel_conv2d(image, kernel, b):
    return _conv2d(image, kernel.T, b)


def matmul_conv2d(image, kernel, b):
    return _conv2d(image, kernel, b, window=lambda a, k: np.sum(a @ k))


def no_plus_one_conv2d(image, kernel, b):
    return _conv2d(image, kernel, b, out_shift=0)


def float64_conv2d(image, kernel, b):
    return _conv2d(image, kernel, b, dtype=np.float64)


def swapped_conv2d(image, kernel, b):
    return good_conv2d(image.T, kernel.T, b)


def flipped_no_bias_conv2d(image, kernel, b):          # two mistakes: the first case names one
    return _conv2d(image, kernel[::-1, ::-1], 0.0)


# ----------------------------------------------------------------- zero_pad (chapter 16)
def good_zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    padded = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C), dtype=X.dtype)
    padded[:, pad:pad + n_H, pad:pad + n_W, :] = X
    return padded


def all_axes_zero_pad(X, pad):
    return np.pad(X, pad)


def channels_first_zero_pad(X, pad):
    return np.pad(X, ((0, 0), (0, 0), (pad, pad), (pad, pad)))


def one_side_zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, 0), (pad, 0), (0, 0)))


def edge_zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="edge")


def ones_zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), constant_values=1)


def corner_zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    padded = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C), dtype=X.dtype)
    padded[:, :n_H, :n_W, :] = X
    return padded


def float64_zero_pad(X, pad):
    return good_zero_pad(X, pad).astype(np.float64)


# ----------------------------------------------------------------- conv_output_size (chapter 16)
def good_output_size(n, f, pad=0, stride=1):
    return (n + 2 * pad - f) // stride + 1


MISTAKES = [
    (check_conv2d, no_bias_conv2d, "the bias b is missing"),
    (check_conv2d, bias_inside_conv2d, "the bias is added inside the sum"),
    (check_conv2d, flipped_conv2d, "the filter flipped"),
    (check_conv2d, transposed_kernel_conv2d, "the filter is transposed"),
    (check_conv2d, matmul_conv2d, "a matrix product of the window and the filter"),
    (check_conv2d, no_plus_one_conv2d, "the + 1 is missing"),
    (check_conv2d, float64_conv2d, "float32 in gave float64 out"),
    (check_conv2d, swapped_conv2d, "rows and columns are swapped"),
    (check_conv2d, flipped_no_bias_conv2d, "the filter flipped"),
    (check_conv2d, lambda image, kernel, b: image, "the image itself, unchanged"),
    (check_conv2d, lambda image, kernel, b: np.zeros((image.shape[0] - kernel.shape[0] + 1,
                                                      image.shape[1] - kernel.shape[1] + 1)), "every entry is 0"),
    (check_zero_pad, all_axes_zero_pad, "pad only n_H and n_W"),
    (check_zero_pad, channels_first_zero_pad, "it padded n_W, n_C"),
    (check_zero_pad, one_side_zero_pad, "on one side only"),
    (check_zero_pad, edge_zero_pad, "the border is not zeros"),
    (check_zero_pad, ones_zero_pad, "the border is not zeros"),
    (check_zero_pad, corner_zero_pad, "it belongs in the middle"),
    (check_zero_pad, float64_zero_pad, "float32 in gave float64 out"),
    (check_zero_pad, lambda X, pad: X, "no padding was added"),
    (check_zero_pad, lambda X, pad: np.zeros((X.shape[0], X.shape[1] + 2 * pad, X.shape[2] + 2 * pad, X.shape[3])),
     "every entry is 0"),
    (check_conv_output_size, lambda n, f, pad, stride: (n + 2 * pad - f) / stride + 1, "the ⌊ ⌋ is missing"),
    (check_conv_output_size, lambda n, f, pad, stride: math.ceil((n + 2 * pad - f) / stride) + 1, "rounded up"),
    (check_conv_output_size, lambda n, f, pad, stride: (n + 2 * pad - f) // stride, "the + 1 is missing"),
    (check_conv_output_size, lambda n, f, pad, stride: (n + 2 * pad - f + 1) // stride,
     "the + 1 belongs outside the division"),
    (check_conv_output_size, lambda n, f, pad, stride: n + 2 * pad - f + 1, "the stride s is ignored"),
    (check_conv_output_size, lambda n, f, pad, stride: (n - f) // stride + 1, "the padding p is ignored"),
    (check_conv_output_size, lambda n, f, pad, stride: (n + pad - f) // stride + 1, "the padding is counted once"),
    (check_conv_output_size, lambda n, f, pad, stride: (n + 2 * pad) // stride + 1, "f is not subtracted"),
    (check_conv_output_size, lambda n, f, pad, stride: float((n + 2 * pad - f) // stride + 1), "a float"),
    (check_conv_output_size, lambda n, f, pad, stride: 0, "every entry is 0"),
    (check_conv_output_size, lambda n, f, pad, stride: n, "wrong values"),
    (check_conv_output_size, lambda n, f, pad, stride: None, "expected an int, got NoneType"),
]


# ----------------------------------------------------------------- pool_forward (chapter 17)
def _pool(A_prev, f, stride, mode, reduce=None, start=lambda h, s: h * s, size=None, dtype=None, channels=True):
    reduce = reduce or (np.max if mode == "max" else np.mean)
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = size or ((n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1)
    A = np.zeros((m, n_H, n_W, n_C), dtype=dtype or A_prev.dtype)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    top, left = start(h, stride), start(w, stride)
                    window = A_prev[i, top:top + f, left:left + f, c if channels else slice(None)]
                    A[i, h, w, c] = reduce(window)
    return A


def good_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, mode)


def always_max_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, "max")


def swapped_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, "average" if mode == "max" else "max")


def stride_f_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, f, mode)


def stride_one_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, 1, mode)


def unstrided_start_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, mode, start=lambda h, s: h)


def over_channels_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, mode, channels=False)


def max_from_zero_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, mode, reduce=(lambda a: max(0.0, np.max(a))) if mode == "max" else None)


def sum_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, mode, reduce=np.sum if mode == "average" else None)


def by_f_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, mode, reduce=(lambda a: np.sum(a) / f) if mode == "average" else None)


def no_plus_one_pool(A_prev, f=2, stride=2, mode="max"):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    return _pool(A_prev, f, stride, mode, size=((n_H_prev - f) // stride, (n_W_prev - f) // stride))


def one_channel_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, mode, channels=False)[..., :1]


def float64_pool(A_prev, f=2, stride=2, mode="max"):
    return _pool(A_prev, f, stride, mode, dtype=np.float64)


MISTAKES += [
    (check_pool_forward, always_max_pool, "every window gave its maximum, whatever the mode"),
    (check_pool_forward, swapped_pool, "this is the average of each window; mode = 'max'"),
    (check_pool_forward, stride_f_pool, "the windows move by f, not by the stride s"),
    (check_pool_forward, stride_one_pool, "the windows move by one pixel"),
    (check_pool_forward, unstrided_start_pool, "starts at row h, column w: multiply by the stride"),
    (check_pool_forward, over_channels_pool, "each output mixes the channels"),
    (check_pool_forward, one_channel_pool, "the output keeps the n_C channels"),
    (check_pool_forward, max_from_zero_pool, "a window of negative numbers gave 0"),
    (check_pool_forward, sum_pool, "the sum of each window, not its mean"),
    (check_pool_forward, by_f_pool, "divided by f, not by the f·f numbers"),
    (check_pool_forward, no_plus_one_pool, "the + 1 is missing"),
    (check_pool_forward, float64_pool, "float32 in gave float64 out"),
    (check_pool_forward, lambda A_prev, f=2, stride=2, mode="max": A_prev, "one of the inputs, unchanged"),
    (check_pool_forward, lambda A_prev, f=2, stride=2, mode="max": np.zeros_like(good_pool(A_prev, f, stride, mode)),
     "every entry is 0"),
]


def _name(function):
    return function.__name__ if function.__name__ != "<lambda>" else "lambda"


@pytest.mark.parametrize("checker, function, diagnosis", MISTAKES,
                         ids=[f"{c.__name__}-{_name(f)}-{i}" for i, (c, f, _) in enumerate(MISTAKES)])
def test_a_typical_mistake_is_rejected_with_its_diagnosis(checker, function, diagnosis):
    assert_rejected(checker, function, diagnosis)


def _lib_conv2d(image, kernel, b):
    W, _ = conv.as_filter_bank(kernel)
    return conv.conv_forward(image[None, :, :, None], W, np.full(1, b, dtype=W.dtype))[0][0, :, :, 0]


@pytest.mark.parametrize("checker, function", [
    (check_conv2d, good_conv2d), (check_conv2d, _lib_conv2d),
    (check_zero_pad, conv.zero_pad), (check_zero_pad, good_zero_pad),
    (check_conv_output_size, conv.conv_output_size), (check_conv_output_size, good_output_size),
    (check_conv_output_size, lambda n, f, pad, stride: np.int64(math.floor((n + 2 * pad - f) / stride)) + 1),
    (check_pool_forward, lambda *args: pooling.pool_forward(*args)[0]),
    (check_pool_forward, lambda *args: pooling.pool_forward_naive(*args)[0]),
    (check_pool_forward, good_pool)])
def test_lib_and_equivalent_forms_are_accepted(checker, function):
    ok, said = verdict(checker, function)
    assert ok is True, said
    assert said.startswith("✓")


@pytest.mark.parametrize("checker", [check_conv2d, check_zero_pad, check_conv_output_size, check_pool_forward])
def test_a_checker_never_raises_on_what_it_is_given(checker):
    for thing in (None, 3, "conv", lambda: 1, lambda *args: 1 / 0, lambda *args: [[1, 2], [3]]):
        ok, said = verdict(checker, thing)
        assert ok is False and said.startswith("✗")


def test_a_function_that_modifies_its_input_is_rejected():
    def in_place_pool(A_prev, f=2, stride=2, mode="max"):
        out = good_pool(A_prev, f, stride, mode)
        A_prev[...] = 0
        return out
    ok, said = verdict(check_pool_forward, in_place_pool)
    assert ok is False and "modified its input" in said
