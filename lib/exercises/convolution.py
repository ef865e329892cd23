r"""Checkers for the convolution chapters: edge detection, padding and stride, convolutional networks.

* :func:`check_conv2d` (chapter ``15_edge_detection``): one grey image, one
  filter, the chapter's formula :math:`Z_{h,w} = \sum_{i,j<f} A_{h+i,\,w+j} W_{i,j} + b`;
* :func:`check_zero_pad` and :func:`check_conv_output_size` (chapter
  ``16_padding_and_stride``): the zeros around the image, and
  :math:`\lfloor (n + 2p - f)/s \rfloor + 1`;
* :func:`check_pool_forward` (chapter ``17_convolutional_networks``): max and
  average pooling with window f and stride s.

None of them refuses a Python loop: the loops over the output positions are
what these chapters teach (``lib.conv.conv_forward_naive`` and
``lib.pooling.pool_forward_naive`` are loops too).

Besides the common diagnoses, each checker knows the typical wrong versions of
its function (a flipped filter, the missing + 1, pooling over the channels …).
It recognises one by running the learner's function on every case and
comparing it with that wrong version: a mistake is named only if the function
does exactly what the mistake would do, on every case where the mistake is
defined. A function with two mistakes at once gets the hint that fits the
failing case, if one does.
"""
import copy
import math

import numpy as np

from lib import conv, pooling
from lib.exercises._feedback import Case, Mismatch, _call, check


# ------------------------------------------------------------------ recognising a known mistake

class _DoesNotApply(Exception):
    """Raised by a mistake's function on a case where that mistake would change nothing, or cannot happen."""


def _skip():
    raise _DoesNotApply


def _same(got, expected):
    """True if ``got`` has ``expected``'s shape and values (float64 comparison, loose tolerances)."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=np.float64)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=1e-5, atol=1e-8))


def _changes(value, expected):
    """True if ``value`` differs from ``expected``: other numbers, or a float where an int is expected."""
    if not _same(value, expected):
        return True
    integer = [np.issubdtype(np.asarray(v).dtype, np.integer) for v in (value, expected)]
    return integer[0] != integer[1]


def _recognise(learner, reference, cases, mistakes):
    """A diagnosis naming the first of ``mistakes`` that the learner's function makes.

    ``mistakes`` is a list of ``(message, wrong)``: ``wrong(*case.args)`` computes
    what the mistaken function would return (or raises, where the mistake does not
    apply); ``message`` is a string or ``message(case) -> str``. First a mistake
    that matches the learner's result on every case where it applies (and on at
    least one); failing that, one that matches on the failing case alone, unless
    the learner's result there is all zeros (a placeholder, which the common
    diagnosis names). Either way the mistake must change the result of the
    failing case: one that gives the right answer there explains nothing.
    """
    results = {}

    def result_on(index):
        if index not in results:
            result, error, _, _ = _call(learner, cases[index])
            results[index] = (error is None, result)
        return results[index]

    def wrong_on(wrong, case):
        try:
            return True, wrong(*case.args, **case.kwargs)
        except Exception:      # _DoesNotApply, or a window that does not fit: not this case
            return False, None

    def say(message, case):
        return message(case) if callable(message) else message

    def diagnosis(mismatch, case):
        expected = reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        for message, wrong in mistakes:
            applies, value = wrong_on(wrong, case)
            if not applies or not _changes(value, expected):
                continue                 # the mistake changes nothing on the failing case: not this one
            compared = 0
            for index, other in enumerate(cases):
                applies, value = wrong_on(wrong, other)
                if not applies:
                    continue
                ran, result = result_on(index)
                if not ran or not _same(result, value):
                    break
                compared += 1
            else:
                if compared:
                    return say(message, case)
        got = mismatch.got
        if got is None or _same(got, expected):
            return None          # the right numbers, in the wrong type: not a mistake of the formula
        try:
            if not np.any(np.asarray(got, dtype=np.float64)):
                return None
        except (TypeError, ValueError):
            return None
        for message, wrong in mistakes:
            applies, value = wrong_on(wrong, case)
            if applies and _same(got, value) and _changes(value, expected):
                return say(message, case)
        return None

    return diagnosis


def _shape_of(mismatch):
    got = mismatch.got
    return np.shape(got) if isinstance(got, np.ndarray) else None


# ------------------------------------------------------------------ chapter 15: conv2d

def _reference_conv2d(image, kernel, b=0.0):
    """lib's convolution of one grey image (n_H, n_W) with one filter (f, f), bias b: (n_H − f + 1, n_W − f + 1)."""
    W, zero = conv.as_filter_bank(kernel)
    Z, _ = conv.conv_forward_naive(np.asarray(image)[None, :, :, None], W, zero + b)
    return Z[0, :, :, 0]


def _conv2d_with_matrix_product(image, kernel, b=0.0):
    f = kernel.shape[0]
    n_H, n_W = image.shape[0] - f + 1, image.shape[1] - f + 1
    return np.array([[np.sum(image[h:h + f, w:w + f] @ kernel) + b for w in range(n_W)] for h in range(n_H)])


def _conv2d_cases():
    rng = np.random.default_rng(15)
    lecture = np.zeros((6, 6))
    lecture[:, :3] = 10
    checker = np.zeros((6, 6))
    checker[:3, :3] = 10
    checker[3:, 3:] = 10
    cases = [("the lecture's 6 × 6 image (bright left half) and the vertical-edge filter, b = 0",
              lecture, conv.edge_filter("vertical"), 0.0),
             ("a random 5 × 7 image, a random 3 × 3 filter, b = 0.5",
              rng.standard_normal((5, 7)), rng.standard_normal((3, 3)), 0.5),
             ("the checkerboard image and the horizontal-edge filter, b = -1",
              checker, conv.edge_filter("horizontal"), -1.0),
             ("an 8 × 5 image and a 2 × 2 filter, b = 0.2",
              rng.standard_normal((8, 5)), rng.standard_normal((2, 2)), 0.2),
             ("a 1 × 1 filter (f = 1), b = 0.1", rng.standard_normal((4, 3)), np.array([[2.5]]), 0.1),
             ("a filter as large as the image (a 1 × 1 output)",
              rng.standard_normal((4, 4)), rng.standard_normal((4, 4)), -0.3),
             ("a 12 × 10 image and a 5 × 5 filter", rng.standard_normal((12, 10)),
              rng.standard_normal((5, 5)), 1.5),
             ("a float32 image and filter", rng.standard_normal((6, 5)).astype(np.float32),
              rng.standard_normal((3, 3)).astype(np.float32), 0.25)]
    return [Case(label, (image, kernel, b), m=1) for label, image, kernel, b in cases]


def check_conv2d(conv2d_function):
    r"""Check a learner's ``conv2d(image, kernel, b)``: one grey image convolved with one filter.

    :math:`Z_{h,w} = \sum_{i=0}^{f-1}\sum_{j=0}^{f-1} A_{h+i,\,w+j}\,W_{i,j} + b`
    (a cross-correlation, as deep learning calls convolution), with image A of
    shape (n_H, n_W), kernel W (f, f), b a number, and Z of shape
    (n_H − f + 1, n_W − f + 1), A's dtype. The reference is
    ``lib.conv.conv_forward_naive`` on the image as a batch (1, n_H, n_W, 1).
    Loops over the output positions are expected (no ``forbid_loops``).
    Diagnoses: the missing + 1 in the output size, rows and columns swapped, the
    bias missing or added inside the sum, the flipped filter (the mathematicians'
    convolution), the transposed filter, a matrix product instead of the
    elementwise one.
    """
    cases = _conv2d_cases()

    def output_size(mismatch, case):
        image, kernel, _ = case.args
        shape = _shape_of(mismatch)
        if shape is None or shape == mismatch.expected.shape:
            return None
        f = kernel.shape[0]
        n_H, n_W = image.shape
        if shape == image.shape:
            if np.array_equal(mismatch.got, image):
                return "the result is the image itself, unchanged: nothing was convolved"
            return (f"the output has the image's size {image.shape}: without padding the filter has only "
                    f"n − f + 1 places to sit, so Z is (n_H − f + 1, n_W − f + 1) = {mismatch.expected.shape}")
        if shape == (n_H - f, n_W - f):
            return (f"the output is (n_H − f, n_W − f) = {shape}: the + 1 is missing (the filter has "
                    f"n − f + 1 places in each row, the first one included)")
        if len(shape) == 2 and shape == mismatch.expected.shape[::-1]:
            return (f"the output is {shape}, expected {mismatch.expected.shape}: rows and columns are swapped "
                    f"(h counts the rows of the image, w its columns)")
        return None

    mistakes = [
        ("the bias b is missing: add it to every output number",
         lambda image, kernel, b: _reference_conv2d(image, kernel, 0.0) if b else _skip()),
        ("the bias is added inside the sum, f·f times: add b once, after summing the products",
         lambda image, kernel, b: _reference_conv2d(image, kernel, kernel.size * b) if b and kernel.size > 1
         else _skip()),
        ("this is the mathematicians' convolution, with the filter flipped (W[f−1−i, f−1−j]): the book, like "
         "deep learning, multiplies A[h + i, w + j] by W[i, j] as it stands (a cross-correlation)",
         lambda image, kernel, b: _reference_conv2d(image, kernel[::-1, ::-1], b)),
        ("the filter is transposed: W[i, j] (row i, column j of the filter) multiplies A[h + i, w + j] "
         "(row h + i, column w + j of the image)",
         lambda image, kernel, b: _reference_conv2d(image, kernel.T, b)),
        ("rows and columns are swapped: Z[h, w] is row h, column w of the output, from the window whose top-left "
         "corner is row h, column w of the image",
         lambda image, kernel, b: _reference_conv2d(image, kernel, b).T),
        ("a matrix product of the window and the filter (window @ W): multiply the pairs of numbers that lie "
         "on top of each other (window * W), then add them up",
         _conv2d_with_matrix_product),
    ]
    return check("conv2d", conv2d_function, _reference_conv2d, cases,
                 diagnoses=(_recognise(conv2d_function, _reference_conv2d, cases, mistakes), output_size))


# ------------------------------------------------------------------ chapter 16: zero_pad

AXES = ("m", "n_H", "n_W", "n_C")


def _zero_pad_cases():
    rng = np.random.default_rng(16)
    image = np.zeros((1, 6, 6, 1))
    image[0, :, :3, 0] = 10
    return [Case("the chapter's 6 × 6 image, p = 1", (image, 1)),
            Case("a batch of shape (4, 3, 5, 2), p = 2", (rng.standard_normal((4, 3, 5, 2)), 2)),
            Case("p = 0 (nothing to add)", (rng.standard_normal((2, 3, 3, 3)), 0)),
            Case("one image of one pixel, (1, 1, 1, 1), p = 3", (np.array([[[[-2.0]]]]), 3)),
            Case("float32 images, p = 1", (rng.standard_normal((2, 4, 3, 3)).astype(np.float32), 1))]


def check_zero_pad(zero_pad_function):
    """Check a learner's ``zero_pad(X, pad)``: p zeros on every side of the height and the width.

    X is (m, n_H, n_W, n_C); the result is (m, n_H + 2p, n_W + 2p, n_C), X's
    dtype, with X in the middle (rows and columns p to p + n − 1) and zeros
    around it; m and n_C are not padded. The reference is ``lib.conv.zero_pad``.
    Diagnoses: no padding, the wrong axes padded, p on one side only, a border
    that is not zeros, the image not in the middle.
    """
    cases = _zero_pad_cases()

    def shape_wrong(mismatch, case):
        X, p = case.args
        shape = _shape_of(mismatch)
        if shape is None or shape == mismatch.expected.shape:
            return None
        if shape == X.shape:
            if np.array_equal(mismatch.got, X):
                return "the result is X, unchanged: no padding was added"
            return f"the shape did not change, {shape}: the padding adds p = {p} rows and columns on every side"
        if len(shape) != 4:
            return None
        growth = [a - b for a, b in zip(shape, X.shape)]
        if growth == [0, p, p, 0]:
            return (f"the result is {shape}: p = {p} zeros on one side only; n_H grows by 2p, p above and p "
                    f"below (and n_W by p on the left and p on the right)")
        grown = [AXES[k] for k, g in enumerate(growth) if g]
        if any(axis in ("m", "n_C") for axis in grown):
            return (f"the result is {shape}: it padded {', '.join(grown)}; pad only n_H and n_W, not the examples "
                    f"m nor the channels n_C: ((0, 0), (p, p), (p, p), (0, 0))")
        return None

    def values_wrong(mismatch, case):
        X, p = case.args
        got = mismatch.got
        if not isinstance(got, np.ndarray) or got.shape != mismatch.expected.shape or p == 0:
            return None
        n_H, n_W = X.shape[1:3]
        inside = got[:, p:p + n_H, p:p + n_W, :]
        border = got.copy()
        border[:, p:p + n_H, p:p + n_W, :] = 0
        if _same(inside, X) and np.any(border):
            return ("the image is in the middle, but the border is not zeros: zero padding fills the p new rows "
                    "and columns with 0 (np.pad's default, constant_values=0)")
        if not _same(inside, X):
            for top, left in ((0, 0), (2 * p, 2 * p), (0, 2 * p), (2 * p, 0)):
                if _same(got[:, top:top + n_H, left:left + n_W, :], X):
                    return (f"the image sits at row {top}, column {left} of the padded array: it belongs in the "
                            f"middle, from row p = {p} and column p = {p}, with p zeros on every side")
        return None

    return check("zero_pad", zero_pad_function, conv.zero_pad, cases, diagnoses=(shape_wrong, values_wrong))


# ------------------------------------------------------------------ chapter 16: conv_output_size

def _reference_output_size(n, f, pad=0, stride=1):
    return conv.conv_output_size(n, f, pad, stride)


def _whole_number(result):
    """Accept an int (or numpy integer); a float, even 4.0, is not a size of pixels."""
    if isinstance(result, (int, np.integer)) and not isinstance(result, (bool, np.bool_)):
        return int(result)
    if isinstance(result, (float, np.floating)):
        reason = (f"returned {result!r}, a float: a size is a whole number of pixels; return an int "
                  f"(// rounds down and keeps ints)")
    else:
        reason = f"expected an int, got {type(result).__name__}"
    raise Mismatch("", result, None, reason)


def _output_size_cases():
    sizes = [("the lecture's 6 × 6 image and a 3 × 3 filter", 6, 3, 0, 1),
             ("the same with p = 1 ('same' padding)", 6, 3, 1, 1),
             ("n = 7, f = 3, s = 2 (the chapter's example)", 7, 3, 0, 2),
             ("n = 8, f = 3, s = 2 (the last column is never read)", 8, 3, 0, 2),
             ("n = 28, f = 5, p = 2", 28, 5, 2, 1),
             ("n = 32, f = 3, p = 1, s = 2", 32, 3, 1, 2),
             ("a filter as large as the image, n = f = 5", 5, 5, 0, 1),
             ("n = 9, f = 2, s = 3", 9, 2, 0, 3),
             ("a filter larger than the image but not than the padded image: n = 4, f = 5, p = 1", 4, 5, 1, 1),
             ("n = 10, f = 1, s = 4", 10, 1, 0, 4),
             ("AlexNet's first layer: n = 227, f = 11, s = 4", 227, 11, 0, 4),
             ("n = 13, f = 3, p = 2, s = 3", 13, 3, 2, 3)]
    return [Case(f"{label} (n={n}, f={f}, pad={p}, stride={s})", (n, f, p, s)) for label, n, f, p, s in sizes]


def check_conv_output_size(output_size_function):
    r"""Check a learner's ``conv_output_size(n, f, pad, stride)`` = :math:`\lfloor (n + 2p - f)/s \rfloor + 1`.

    n is the input's height (or width), f the filter size, pad the integer
    padding p, stride s; the result is an int. The reference is
    ``lib.conv.conv_output_size``. Diagnoses: the floor missing, rounding up, the
    + 1 missing, the + 1 inside the division, the stride ignored, the padding
    ignored or counted on one side only, f not subtracted, a float instead of an int.
    """
    cases = _output_size_cases()
    mistakes = [
        ("the ⌊ ⌋ is missing: when s does not divide n + 2p − f the last window would stick out of the "
         "image, so round down (// in Python)", lambda n, f, p, s: (n + 2 * p - f) / s + 1),
        ("rounded up: the last window must fit inside the padded image, so round down, ⌊(n + 2p − f)/s⌋",
         lambda n, f, p, s: math.ceil((n + 2 * p - f) / s) + 1),
        ("the + 1 is missing: ⌊(n + 2p − f)/s⌋ counts the steps between the first and the last position; "
         "the first position counts too", lambda n, f, p, s: (n + 2 * p - f) // s),
        ("the + 1 belongs outside the division: ⌊(n + 2p − f)/s⌋ + 1",
         lambda n, f, p, s: (n + 2 * p - f + 1) // s),
        ("the + 1 belongs outside the division: ⌊(n + 2p − f)/s⌋ + 1",
         lambda n, f, p, s: (n + 2 * p - f + 1) / s),
        ("the stride s is ignored: the filter moves s pixels at a time, so divide by s",
         lambda n, f, p, s: n + 2 * p - f + 1),
        ("the padding p is ignored: it adds p pixels on each side, n + 2p",
         lambda n, f, p, s: (n - f) // s + 1),
        ("the padding is counted once: it adds p pixels on each side, so the padded input is n + 2p",
         lambda n, f, p, s: (n + p - f) // s + 1),
        ("the filter size f is not subtracted: the filter has n + 2p − f + 1 places at stride 1, not n + 2p",
         lambda n, f, p, s: (n + 2 * p) // s + 1),
    ]
    return check("conv_output_size", output_size_function, _reference_output_size, cases,
                 diagnoses=(_recognise(output_size_function, _reference_output_size, cases, mistakes),),
                 adapt=_whole_number)


# ------------------------------------------------------------------ chapter 17: pool_forward

def _reference_pool(A_prev, f=2, stride=2, mode="max"):
    return pooling.pool_forward(A_prev, f, stride, mode)[0]


def _pool_over_channels(A_prev, f, stride, mode):
    reduce = np.max if mode == "max" else np.mean
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            window = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            A[:, h, w, :] = reduce(window, axis=(1, 2, 3))[:, None]
    return A


def _pool_cases():
    rng = np.random.default_rng(17)
    small = np.array([[1., 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]])[None, :, :, None]
    cases = [("the chapter's 4 × 4 example, max, f = s = 2", small, 2, 2, "max"),
             ("the chapter's 4 × 4 example, average, f = s = 2", small, 2, 2, "average"),
             ("a (2, 5, 7, 3) batch, max, f = 3, s = 2", rng.standard_normal((2, 5, 7, 3)), 3, 2, "max"),
             ("a (3, 6, 6, 2) batch, average, f = 2, s = 1 (overlapping windows)",
              rng.standard_normal((3, 6, 6, 2)), 2, 1, "average"),
             ("negative numbers only, max, f = s = 2", -1 - rng.random((1, 4, 4, 2)), 2, 2, "max"),
             ("a (2, 7, 7, 1) batch, max, f = s = 3 (the last row and column are never read)",
              rng.standard_normal((2, 7, 7, 1)), 3, 3, "max"),
             ("a window as large as the picture, average, f = 3, s = 1 (a 1 × 1 output)",
              rng.standard_normal((2, 3, 3, 4)), 3, 1, "average"),
             ("a (2, 6, 5, 3) batch, max, f = 2, s = 1 (overlapping windows)",
              rng.standard_normal((2, 6, 5, 3)), 2, 1, "max"),
             ("float32 pictures, max, f = s = 2", rng.standard_normal((2, 6, 4, 3)).astype(np.float32), 2, 2, "max"),
             ("float32 pictures, average, f = 3, s = 2",
              rng.standard_normal((2, 7, 5, 2)).astype(np.float32), 3, 2, "average")]
    return [Case(label, (A, f, s, mode)) for label, A, f, s, mode in cases]


def check_pool_forward(pool_forward_function):
    r"""Check a learner's ``pool_forward(A_prev, f, stride, mode)``: max or average over f × f windows.

    A_prev is (m, n_H_prev, n_W_prev, n_C); the result A is (m, n_H, n_W, n_C)
    with n_H = ⌊(n_H_prev − f)/s⌋ + 1 (n_W likewise), A_prev's dtype, and
    :math:`A_{i,h,w,c}` the maximum (mode "max") or the mean (mode "average") of
    :math:`A^{prev}_{i,\;hs:hs+f,\;ws:ws+f,\;c}`: each channel on its own. Only the
    output A is compared (lib's ``pooling.pool_forward`` also returns a cache).
    Loops over the examples and positions are expected (no ``forbid_loops``).
    Diagnoses: the mode ignored or swapped, the output size, the windows moved by
    f or by 1 instead of by the stride, the window's start not multiplied by the
    stride, pooling over the channels, a maximum started at 0, a sum or a
    division by f instead of the mean.
    """
    cases = _pool_cases()

    def output_shape(mismatch, case):
        A_prev, f, s, _ = case.args
        shape = _shape_of(mismatch)
        expected = mismatch.expected.shape
        if shape is None or shape == expected:
            return None
        m, n_H_prev, n_W_prev, n_C = A_prev.shape
        if shape in ((m, *expected[1:3]), (m, *expected[1:3], 1)) and n_C > 1:
            return (f"the result is {shape} for n_C = {n_C} channels: pooling acts on each channel on its own, so "
                    f"the output keeps the n_C channels")
        if len(shape) == 4 and shape[0] == m and shape[3] == n_C:
            if shape[1:3] == ((n_H_prev - f) // s, (n_W_prev - f) // s):
                return (f"the output is {shape[1]} × {shape[2]}: the + 1 is missing from "
                        f"n_H = ⌊(n_H_prev − f)/s⌋ + 1")
            if shape[1:3] == (n_H_prev // s, n_W_prev // s):
                return (f"the output is {shape[1]} × {shape[2]} = n_H_prev/s × n_W_prev/s: the window must fit, so "
                        f"n_H = ⌊(n_H_prev − f)/s⌋ + 1 = {expected[1]} (and n_W likewise)")
        return None

    other = {"max": "average", "average": "max"}
    mistakes = [
        ("every window gave its maximum, whatever the mode: mode = \"average\" asks for the mean",
         lambda A, f, s, mode: _reference_pool(A, f, s, "max")),
        ("every window gave its mean, whatever the mode: mode = \"max\" asks for the maximum",
         lambda A, f, s, mode: _reference_pool(A, f, s, "average")),
        (lambda case: f"this is the {other[case.args[3]]} of each window; mode = {case.args[3]!r} asks for the "
                      f"{'maximum' if case.args[3] == 'max' else 'mean'}",
         lambda A, f, s, mode: _reference_pool(A, f, s, other[mode])),
        ("the windows move by f, not by the stride s: the window of output (h, w) starts at row h·s, column w·s",
         lambda A, f, s, mode: _reference_pool(A, f, f, mode) if s != f else _skip()),
        ("the windows move by one pixel: use the stride s, in n_H = ⌊(n_H_prev − f)/s⌋ + 1 and in the window's "
         "start, row h·s and column w·s",
         lambda A, f, s, mode: _reference_pool(A, f, 1, mode) if s != 1 else _skip()),
        ("the window of output (h, w) starts at row h, column w: multiply by the stride, h·s and w·s",
         lambda A, f, s, mode: _reference_pool(A, f, 1, mode)[:, :(A.shape[1] - f) // s + 1,
                                                               :(A.shape[2] - f) // s + 1] if s != 1 else _skip()),
        ("each output mixes the channels: pooling acts on each channel on its own, "
         "A_prev[i, h·s:h·s + f, w·s:w·s + f, c]",
         lambda A, f, s, mode: _pool_over_channels(A, f, s, mode) if A.shape[3] > 1 else _skip()),
        ("a window of negative numbers gave 0: start the maximum from the window's own numbers (np.max), not "
         "from 0",
         lambda A, f, s, mode: np.maximum(_reference_pool(A, f, s, mode), 0) if mode == "max" else _skip()),
        ("the sum of each window, not its mean: divide by the f·f numbers of the window",
         lambda A, f, s, mode: _reference_pool(A, f, s, mode) * f * f if mode == "average" else _skip()),
        ("divided by f, not by the f·f numbers of the window",
         lambda A, f, s, mode: _reference_pool(A, f, s, mode) * f if mode == "average" else _skip()),
    ]
    return check("pool_forward", pool_forward_function, _reference_pool, cases,
                 diagnoses=(_recognise(pool_forward_function, _reference_pool, cases, mistakes), output_shape),
                 atol=1e-6)      # float32 means: the order of the additions differs from lib's
