r"""Convolution in numpy, as taught: the lecture's loops, a plain im2col, and the kinds of convolution.

Chapter ``15_edge_detection`` (edge detection) uses the edge filters, :func:`conv_forward_naive` and
:func:`learn_filter`; chapter ``16_padding_and_stride`` (padding and stride) :func:`zero_pad`,
:func:`conv_output_size`, dilation, :func:`depthwise_conv_forward` and
:func:`conv_transpose_forward`; chapter ``17_convolutional_networks`` shows :func:`im2col`,
:func:`conv_forward` and :func:`conv_backward`. The CNN of chapter ``17_convolutional_networks`` trains
on :mod:`lib.fast_conv`, the same convolution tuned for speed (tests assert
that the two agree).

Notation: images ``A_prev`` are (m, n_H_prev, n_W_prev, n_C_prev), filters ``W``
are (f, f, n_C_prev, n_C), biases ``b`` are (1, 1, 1, n_C) (or (n_C,)). With
padding p, stride s and dilation d, the filter covers f_d = d(f − 1) + 1 pixels
and output pixel (h, w) of channel c is

.. math:: Z_{h,w,c} = b_c + \sum_{i,j<f}\sum_{k<n_C^{prev}}
          A^{pad}_{hs + id,\; ws + jd,\; k}\, W_{i,j,k,c},

a cross-correlation, as deep learning calls "convolution". The output is
n_H = ⌊(n_H_prev + 2p − f_d)/s⌋ + 1 high (:func:`conv_output_size`).

Every ``*_forward`` returns ``(Z, cache)`` and every ``*_backward(dZ, cache)``
returns ``{"dA_prev": …, "dW": …, "db": …}``. The caches of
:func:`conv_forward_naive` and :func:`conv_forward` have one form,
``(A_prev, W, b, hparameters)``, so either backward pass takes either cache.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from lib._checks import (as_float, check_choice, check_positive, check_positive_int, check_seed,
                         check_shape, common_float)

# ---------------------------------------------------------------- named filters

EDGE_FILTERS = {
    "vertical": np.array([[1., 0., -1.], [1., 0., -1.], [1., 0., -1.]]),
    "horizontal": np.array([[1., 1., 1.], [0., 0., 0.], [-1., -1., -1.]]),
    "sobel_vertical": np.array([[1., 0., -1.], [2., 0., -2.], [1., 0., -1.]]),
    "sobel_horizontal": np.array([[1., 2., 1.], [0., 0., 0.], [-1., -2., -1.]]),
    "scharr_vertical": np.array([[3., 0., -3.], [10., 0., -10.], [3., 0., -3.]]),
    "scharr_horizontal": np.array([[3., 10., 3.], [0., 0., 0.], [-3., -10., -3.]]),
}
"""The lecture's 3×3 edge filters. ``vertical`` responds to a bright left / dark
right change (positive) across columns; ``horizontal`` to bright above / dark below.
Sobel weights the centre row 2, Scharr 10/3 (closer to rotation-invariant)."""

PADDINGS = ("valid", "same", "full")
KINDS = ("standard", "depthwise", "separable")


def edge_filter(name):
    """One of :data:`EDGE_FILTERS` as a fresh (3, 3) float64 array, by name."""
    check_choice("name", name, tuple(EDGE_FILTERS))
    return EDGE_FILTERS[name].copy()


def as_filter_bank(kernel):
    """A single 2-D kernel (f, f) as a one-filter bank: W of shape (f, f, 1, 1) and b = 0, (1, 1, 1, 1).

    float32 in gives float32 out.
    """
    kernel = as_float("kernel", kernel, ndim=2, meaning="(f, f)")
    if kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"kernel: expected a square (f, f) array, got shape {kernel.shape}")
    return kernel[:, :, None, None].copy(), np.zeros((1, 1, 1, 1), dtype=kernel.dtype)


# ---------------------------------------------------------------- sizes

def resolve_padding(pad, f, dilation=1):
    """The padding p as an integer, from a number or from "valid", "same" or "full".

    * "valid": p = 0, the filter stays inside the image;
    * "same": p = (f_d − 1)/2, so that a stride-1 output has the input's size
      (f_d = d(f − 1) + 1 must be odd);
    * "full": p = f_d − 1, every output touches at least one input pixel.

    Args:
        pad: an integer p >= 0 or one of :data:`PADDINGS`. f: the filter size.
        dilation: d >= 1.
    """
    f = check_positive_int("f", f)
    dilation = check_positive_int("dilation", dilation)
    f_d = dilation * (f - 1) + 1
    if isinstance(pad, str):
        check_choice("pad", pad, PADDINGS)
        if pad == "valid":
            return 0
        if pad == "same":
            if f_d % 2 == 0:
                raise ValueError(f"pad: 'same' needs an odd effective filter size, got f_d = {f_d}")
            return (f_d - 1) // 2
        return f_d - 1
    return check_positive_int("pad", pad, minimum=0)


def conv_output_size(n, f, pad=0, stride=1, dilation=1):
    """Output length ⌊(n + 2p − f_d)/s⌋ + 1 along one axis, with f_d = d(f − 1) + 1.

    Args:
        n: input length (n_H_prev or n_W_prev). f: filter size.
        pad: an integer p >= 0 or "valid" / "same" / "full".
        stride: s >= 1. dilation: d >= 1 (1 is an ordinary filter).

    Returns:
        the integer output length. Raises ``ValueError`` if the (dilated)
        filter is larger than the padded input.
    """
    n = check_positive_int("n", n)
    p = resolve_padding(pad, f, dilation)
    s = check_positive_int("stride", stride)
    f_d = dilation * (f - 1) + 1
    if f_d > n + 2 * p:
        raise ValueError(f"f: the filter covers {f_d} pixels (f = {f}, dilation = {dilation}), "
                         f"more than the padded input n + 2p = {n} + 2·{p} = {n + 2 * p}")
    return (n + 2 * p - f_d) // s + 1


def _check_bias(b, n_C, dtype):
    b = as_float("b", b)
    if b.shape not in ((n_C,), (1, 1, 1, n_C)):
        raise ValueError(f"b: expected shape (1, 1, 1, {n_C}) or ({n_C},), got {b.shape}")
    return b.astype(dtype, copy=False)


def _hparameters(n_H_prev, n_W_prev, f, stride, pad, dilation):
    """{"stride": s, "pad": p, "dilation": d, "n_H": n_H, "n_W": n_W} of a convolution, checked."""
    s = check_positive_int("stride", stride)
    d = check_positive_int("dilation", dilation)
    p = resolve_padding(pad, f, d)
    return {"stride": s, "pad": p, "dilation": d,
            "n_H": conv_output_size(n_H_prev, f, p, s, d),
            "n_W": conv_output_size(n_W_prev, f, p, s, d)}


def _check_conv(A_prev, W, b, stride=1, pad=0, dilation=1):
    """Check a convolution's arguments once, at the public edge.

    Returns (A_prev, W, b, hparameters): the arrays in one float dtype (float32
    if all three are float32, else float64) and the dict of :func:`_hparameters`.
    Raises ValueError naming the argument: wrong rank, empty, NaN or infinity,
    non-square filters, channels that do not match, a bias of the wrong shape,
    stride, padding or dilation out of range, a filter larger than the padded input.
    """
    A_prev = as_float("A_prev", A_prev, ndim=4, meaning="(m, n_H_prev, n_W_prev, n_C_prev)")
    W = as_float("W", W, ndim=4, meaning="(f, f, n_C_prev, n_C)")
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W: expected square filters (f, f, n_C_prev, n_C), got shape {W.shape}")
    if W.shape[2] != A_prev.shape[3]:
        raise ValueError(f"W: expected n_C_prev = {A_prev.shape[3]} input channels "
                         f"(A_prev's last axis), got W of shape {W.shape}")
    b = as_float("b", b)
    dtype = common_float(A_prev, W, b)
    b = _check_bias(b, W.shape[3], dtype)
    hp = _hparameters(*A_prev.shape[1:3], W.shape[0], stride, pad, dilation)
    return A_prev.astype(dtype, copy=False), W.astype(dtype, copy=False), b, hp


def _check_cache(dZ, cache, forward="a forward pass", channels=3):
    """Check a backward pass's arguments: the (A_prev, W, b, hparameters) cache and dZ of Z's shape.

    ``channels`` is the axis of W that gives Z's channels (3; 2 for the depthwise
    convolution). Returns (dZ, A_prev, W, b, hparameters), dZ in the cache's dtype.
    """
    if not (isinstance(cache, tuple) and len(cache) == 4 and isinstance(cache[0], np.ndarray)
            and isinstance(cache[1], np.ndarray) and isinstance(cache[3], dict)):
        raise TypeError(f"cache: expected the (A_prev, W, b, hparameters) that {forward} returned, "
                        f"got {type(cache).__name__}")
    A_prev, W, b, hp = cache
    dZ = as_float("dZ", dZ, ndim=4, meaning="(m, n_H, n_W, n_C)")
    check_shape("dZ", dZ, (A_prev.shape[0], hp["n_H"], hp["n_W"], W.shape[channels]), "(Z's shape)")
    return dZ.astype(A_prev.dtype, copy=False), A_prev, W, b, hp


def _unpad(X_pad, p):
    return X_pad[:, p:X_pad.shape[1] - p, p:X_pad.shape[2] - p, :] if p else X_pad


# ---------------------------------------------------------------- the lecture's loops

def zero_pad(X, pad):
    """Pad the height and width of a batch of images with ``pad`` zeros on every side.

    Args:
        X: images (m, n_H, n_W, n_C). pad: the integer p >= 0.

    Returns:
        (m, n_H + 2p, n_W + 2p, n_C), X's dtype.
    """
    X = as_float("X", X, ndim=4, meaning="(m, n_H, n_W, n_C)")
    p = check_positive_int("pad", pad, minimum=0)
    return np.pad(X, ((0, 0), (p, p), (p, p), (0, 0)))


def conv_single_step(a_slice, W, b):
    r"""One output number: :math:`\sum (a\_slice \odot W) + b`.

    Args:
        a_slice: the window of the input under the filter, (f, f, n_C_prev).
        W: one filter, (f, f, n_C_prev). b: its bias, a number or an array
            holding one number, such as (1, 1, 1).

    Returns:
        a numpy scalar (float32 if both arrays are float32).
    """
    a_slice = as_float("a_slice", a_slice, ndim=3, meaning="(f, f, n_C_prev)")
    W = as_float("W", W)
    check_shape("W", W, a_slice.shape, "(a_slice's shape)")
    b = as_float("b", b)
    if b.size != 1:
        raise ValueError(f"b: expected one number (a scalar or shape (1, 1, 1)), got shape {b.shape}")
    return np.sum(a_slice * W) + float(b.reshape(-1)[0])


def conv_forward_naive(A_prev, W, b, stride=1, pad=0, dilation=1):
    """Convolution with the lecture's four loops (example, row, column, filter), for teaching.

    Args:
        A_prev: (m, n_H_prev, n_W_prev, n_C_prev). W: (f, f, n_C_prev, n_C).
        b: (1, 1, 1, n_C) or (n_C,). stride: s. pad: p or "valid"/"same"/"full".
        dilation: d, the gap between the filter's taps (1: none).

    Returns:
        (Z, cache): Z of shape (m, n_H, n_W, n_C); cache = (A_prev, W, b,
        hparameters), which :func:`conv_backward_naive` and :func:`conv_backward` take.
    """
    A_prev, W, b, hp = _check_conv(A_prev, W, b, stride, pad, dilation)
    s, p, d, n_H, n_W = hp["stride"], hp["pad"], hp["dilation"], hp["n_H"], hp["n_W"]
    f, n_C = W.shape[0], W.shape[3]
    A_pad = zero_pad(A_prev, p)
    bias = b.reshape(-1)
    Z = np.zeros((A_prev.shape[0], n_H, n_W, n_C), dtype=A_prev.dtype)
    for i in range(A_prev.shape[0]):
        for h in range(n_H):
            top = h * s
            for w in range(n_W):
                left = w * s
                # the window under the filter: every d-th pixel of an f_d × f_d square
                a_slice = A_pad[i, top:top + d * (f - 1) + 1:d, left:left + d * (f - 1) + 1:d, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[..., c], bias[c])
    return Z, (A_prev, W, b, hp)


def conv_backward_naive(dZ, cache):
    """The backward pass with the lecture's loops: every output spreads its gradient back.

    Output (i, h, w, c) was ``sum(a_slice · W[..., c]) + b[c]``, so its gradient
    dZ[i, h, w, c] adds ``W[..., c] · dZ`` to the window's dA_prev, ``a_slice · dZ``
    to dW[..., c], and dZ to db[c].

    Args:
        dZ: ∂J/∂Z, (m, n_H, n_W, n_C). cache: from :func:`conv_forward_naive`
            or :func:`conv_forward` (both have the form (A_prev, W, b, hparameters)).

    Returns:
        {"dA_prev": (m, n_H_prev, n_W_prev, n_C_prev), "dW": W's shape, "db": b's shape}.
    """
    dZ, A_prev, W, b, hp = _check_cache(dZ, cache, "conv_forward_naive or conv_forward")
    s, p, d = hp["stride"], hp["pad"], hp["dilation"]
    f = W.shape[0]
    A_pad = zero_pad(A_prev, p)
    dA_pad = np.zeros_like(A_pad)
    dW = np.zeros_like(W)
    for i in range(A_prev.shape[0]):
        for h in range(hp["n_H"]):
            for w in range(hp["n_W"]):
                rows = slice(h * s, h * s + d * (f - 1) + 1, d)
                cols = slice(w * s, w * s + d * (f - 1) + 1, d)
                for c in range(W.shape[3]):
                    dA_pad[i, rows, cols, :] += W[..., c] * dZ[i, h, w, c]
                    dW[..., c] += A_pad[i, rows, cols, :] * dZ[i, h, w, c]
    db = dZ.sum(axis=(0, 1, 2)).reshape(b.shape)
    return {"dA_prev": _unpad(dA_pad, p), "dW": dW, "db": db}


# ---------------------------------------------------------------- im2col: one matrix product

def im2col(A_prev, f, stride=1, pad=0, dilation=1):
    """Unroll every window of every image into a row: the matrix that makes convolution one product.

    Args:
        A_prev: (m, n_H_prev, n_W_prev, n_C_prev). f: the filter size.
        stride, pad, dilation: as for :func:`conv_forward`.

    Returns:
        cols of shape (m·n_H·n_W, f·f·n_C_prev): row (i, h, w) holds the window
        under output position (h, w) of example i, in the order of
        ``W[:, :, :, c].reshape(-1)``, so that ``cols @ W.reshape(-1, n_C)`` is
        the convolution of every example at every position.
    """
    A_prev = as_float("A_prev", A_prev, ndim=4, meaning="(m, n_H_prev, n_W_prev, n_C_prev)")
    f = check_positive_int("f", f)
    hp = _hparameters(*A_prev.shape[1:3], f, stride, pad, dilation)
    s, p, d, n_H, n_W = hp["stride"], hp["pad"], hp["dilation"], hp["n_H"], hp["n_W"]
    A_pad = zero_pad(A_prev, p)
    f_d = d * (f - 1) + 1
    # windows[i, h, w, k, a, b] = A_pad[i, h + a, w + b, k], for every top-left corner (h, w)
    windows = sliding_window_view(A_pad, (f_d, f_d), axis=(1, 2))
    windows = windows[:, ::s, ::s, :, ::d, ::d][:, :n_H, :n_W]       # stride s, every d-th tap
    windows = windows.transpose(0, 1, 2, 4, 5, 3)                     # (m, n_H, n_W, f, f, n_C_prev)
    return windows.reshape(-1, f * f * A_prev.shape[3])


def col2im(dcols, A_shape, f, stride=1, pad=0, dilation=1):
    """The reverse of :func:`im2col`: add every row back onto the pixels its window came from.

    Args:
        dcols: (m·n_H·n_W, f·f·n_C_prev), a gradient with respect to im2col's rows.
        A_shape: the shape (m, n_H_prev, n_W_prev, n_C_prev) of the images.
        f, stride, pad, dilation: as for :func:`im2col`.

    Returns:
        (m, n_H_prev, n_W_prev, n_C_prev): pixel by pixel, the sum of the
        entries of dcols that im2col copied from it (where windows overlap,
        their contributions add up).
    """
    if not isinstance(A_shape, (tuple, list)) or len(A_shape) != 4:
        raise ValueError(f"A_shape: expected (m, n_H_prev, n_W_prev, n_C_prev), got {A_shape!r}")
    m, n_H_prev, n_W_prev, n_C_prev = (check_positive_int("A_shape", v) for v in A_shape)
    f = check_positive_int("f", f)
    hp = _hparameters(n_H_prev, n_W_prev, f, stride, pad, dilation)
    s, p, d, n_H, n_W = hp["stride"], hp["pad"], hp["dilation"], hp["n_H"], hp["n_W"]
    dcols = as_float("dcols", dcols, ndim=2, meaning="(m·n_H·n_W, f·f·n_C_prev)")
    check_shape("dcols", dcols, (m * n_H * n_W, f * f * n_C_prev), "(m·n_H·n_W, f·f·n_C_prev)")
    blocks = dcols.reshape(m, n_H, n_W, f, f, n_C_prev)
    dA_pad = np.zeros((m, n_H_prev + 2 * p, n_W_prev + 2 * p, n_C_prev), dtype=dcols.dtype)
    for i in range(f):            # tap (i, j) of every window at once
        for j in range(f):
            dA_pad[:, i * d:i * d + s * (n_H - 1) + 1:s, j * d:j * d + s * (n_W - 1) + 1:s, :] += blocks[:, :, :, i, j, :]
    return _unpad(dA_pad, p)


def conv_forward(A_prev, W, b, stride=1, pad=0, dilation=1):
    """Convolution as one matrix product: Z = im2col(A_prev) · W + b.

    Every window becomes a row of ``cols`` (:func:`im2col`) and every filter a
    column of W_mat = W.reshape(f·f·n_C_prev, n_C), so one product gives every
    output of every example:

        Z_mat = cols · W_mat + b      ((m·n_H·n_W, f·f·n_C_prev) · (f·f·n_C_prev, n_C)),

    and Z is Z_mat with its rows put back on the (m, n_H, n_W) grid.

    Args and returns: as :func:`conv_forward_naive`, whose result it equals.
    """
    A_prev, W, b, hp = _check_conv(A_prev, W, b, stride, pad, dilation)
    m, n_C = A_prev.shape[0], W.shape[3]
    cols = im2col(A_prev, W.shape[0], hp["stride"], hp["pad"], hp["dilation"])
    Z = cols @ W.reshape(-1, n_C) + b.reshape(n_C)
    return Z.reshape(m, hp["n_H"], hp["n_W"], n_C), (A_prev, W, b, hp)


def conv_backward(dZ, cache):
    """Gradients of a convolution from the gradient of its output, with the same matrices.

    With cols and W_mat as in :func:`conv_forward` and dZ_mat = dZ as an
    (m·n_H·n_W, n_C) matrix, the product rule of Z_mat = cols · W_mat + b gives

    * dW_mat = colsᵀ · dZ_mat and db = the sum of dZ_mat's rows;
    * dcols = dZ_mat · W_matᵀ, and dA_prev is each row of dcols added back
      onto the pixels it came from (:func:`col2im`).

    Args:
        dZ: ∂J/∂Z, (m, n_H, n_W, n_C). cache: from :func:`conv_forward`
            or :func:`conv_forward_naive`.

    Returns:
        {"dA_prev": A_prev's shape, "dW": W's shape, "db": b's shape}.
    """
    dZ, A_prev, W, b, hp = _check_cache(dZ, cache, "conv_forward or conv_forward_naive")
    f, n_C = W.shape[0], W.shape[3]
    s, p, d = hp["stride"], hp["pad"], hp["dilation"]
    cols = im2col(A_prev, f, s, p, d)
    W_mat = W.reshape(-1, n_C)
    dZ_mat = dZ.reshape(-1, n_C)
    dW = (cols.T @ dZ_mat).reshape(W.shape)
    db = dZ_mat.sum(axis=0).reshape(b.shape)
    dA_prev = col2im(dZ_mat @ W_mat.T, A_prev.shape, f, s, p, d)
    return {"dA_prev": dA_prev, "dW": dW, "db": db}


# ---------------------------------------------------------------- kinds of convolution

def depthwise_conv_forward(A_prev, W, b, stride=1, pad=0, dilation=1):
    r"""Depthwise convolution: channel k is filtered by its own f × f filter only.

    :math:`Z_{h,w,k} = b_k + \sum_{i,j} A^{pad}_{hs+id,\,ws+jd,\,k} W_{i,j,k}`.
    It costs f·f·n_C_prev weights instead of f·f·n_C_prev·n_C; followed by a
    1 × 1 convolution it is the depthwise-separable convolution of Xception.

    Args:
        A_prev: (m, n_H_prev, n_W_prev, n_C_prev). W: (f, f, n_C_prev).
        b: (n_C_prev,) or (1, 1, 1, n_C_prev). stride, pad, dilation: as for
            :func:`conv_forward`.

    Returns:
        (Z, cache): Z of shape (m, n_H, n_W, n_C_prev); cache = (A_prev, W, b, hparameters).
    """
    A_prev, W, b, hp = _check_depthwise(A_prev, W, b, stride, pad, dilation)
    s, p, d, n_H, n_W = hp["stride"], hp["pad"], hp["dilation"], hp["n_H"], hp["n_W"]
    f = W.shape[0]
    A_pad = zero_pad(A_prev, p)
    Z = np.zeros((A_prev.shape[0], n_H, n_W, A_prev.shape[3]), dtype=A_prev.dtype)
    for i in range(f):            # f·f whole-array products, one per filter tap
        for j in range(f):
            Z += A_pad[:, i * d:i * d + s * (n_H - 1) + 1:s, j * d:j * d + s * (n_W - 1) + 1:s, :] * W[i, j]
    return Z + b.reshape(-1), (A_prev, W, b, hp)


def _check_depthwise(A_prev, W, b, stride, pad, dilation):
    A_prev = as_float("A_prev", A_prev, ndim=4, meaning="(m, n_H_prev, n_W_prev, n_C_prev)")
    W = as_float("W", W, ndim=3, meaning="(f, f, n_C_prev)")
    if W.shape[0] != W.shape[1] or W.shape[2] != A_prev.shape[3]:
        raise ValueError(f"W: expected shape (f, f, {A_prev.shape[3]}) (n_C_prev = A_prev's "
                         f"channels), got {W.shape}")
    b = as_float("b", b)
    dtype = common_float(A_prev, W, b)
    b = _check_bias(b, W.shape[2], dtype)
    hp = _hparameters(*A_prev.shape[1:3], W.shape[0], stride, pad, dilation)
    return A_prev.astype(dtype, copy=False), W.astype(dtype, copy=False), b, hp


def depthwise_conv_backward(dZ, cache):
    """Gradients of :func:`depthwise_conv_forward`.

    Args:
        dZ: ∂J/∂Z, (m, n_H, n_W, n_C_prev). cache: from :func:`depthwise_conv_forward`.

    Returns:
        {"dA_prev": A_prev's shape, "dW": (f, f, n_C_prev), "db": b's shape}.
    """
    dZ, A_prev, W, b, hp = _check_cache(dZ, cache, "depthwise_conv_forward", channels=2)
    s, p, d, n_H, n_W = hp["stride"], hp["pad"], hp["dilation"], hp["n_H"], hp["n_W"]
    f = W.shape[0]
    A_pad = zero_pad(A_prev, p)
    dA_pad = np.zeros_like(A_pad)
    dW = np.zeros_like(W)
    for i in range(f):
        for j in range(f):
            window = (slice(None), slice(i * d, i * d + s * (n_H - 1) + 1, s),
                      slice(j * d, j * d + s * (n_W - 1) + 1, s), slice(None))
            dA_pad[window] += dZ * W[i, j]
            dW[i, j] = np.sum(A_pad[window] * dZ, axis=(0, 1, 2))
    db = dZ.sum(axis=(0, 1, 2)).reshape(b.shape)
    return {"dA_prev": _unpad(dA_pad, p), "dW": dW, "db": db}


def parameter_count(f, n_C_prev, n_C, kind="standard"):
    """Weights and biases of one layer mapping n_C_prev channels to n_C with f × f filters.

    * "standard": f·f·n_C_prev·n_C + n_C;
    * "depthwise": f·f·n_C_prev + n_C_prev (then n_C = n_C_prev);
    * "separable": depthwise, then a 1 × 1 convolution: f·f·n_C_prev + n_C_prev
      + n_C_prev·n_C + n_C.
    """
    f, n_C_prev, n_C = (check_positive_int(k, v) for k, v in
                        (("f", f), ("n_C_prev", n_C_prev), ("n_C", n_C)))
    check_choice("kind", kind, KINDS)
    depthwise = f * f * n_C_prev + n_C_prev
    counts = {"standard": f * f * n_C_prev * n_C + n_C, "depthwise": depthwise,
              "separable": depthwise + n_C_prev * n_C + n_C}
    return counts[kind]


def conv_transpose_output_size(n, f, pad=0, stride=1):
    """Output length of a transposed convolution: (n − 1)s − 2p + f (the inverse of
    :func:`conv_output_size` when that one divides exactly)."""
    n, f = check_positive_int("n", n), check_positive_int("f", f)
    s, p = check_positive_int("stride", stride), check_positive_int("pad", pad, minimum=0)
    out = (n - 1) * s - 2 * p + f
    if out < 1:
        raise ValueError(f"pad: {p} crops away the whole output ((n − 1)s + f = {out + 2 * p})")
    return out


def conv_transpose_forward(A_prev, W, b, stride=1, pad=0):
    r"""Transposed convolution ("deconvolution"): each input pixel paints a filter-sized patch.

    Input pixel (h, w) adds :math:`A_{h,w,:} \cdot W_{i,j,:,:}` to output pixel
    (h s + i − p, w s + j − p); overlapping patches add up. It is the adjoint of a
    convolution with the same W (transposed): its forward pass is
    :func:`conv_backward`'s dA_prev, and it upsamples by the stride s.

    Args:
        A_prev: (m, n_H_prev, n_W_prev, n_C_prev). W: (f, f, n_C_prev, n_C).
        b: (1, 1, 1, n_C) or (n_C,). stride: s >= 1. pad: the integer p cropped
            from every side of the output.

    Returns:
        (Z, cache): Z of shape (m, n_H, n_W, n_C), n_H = (n_H_prev − 1)s − 2p + f;
        cache = (A_prev, W, b, hparameters).
    """
    A_prev = as_float("A_prev", A_prev, ndim=4, meaning="(m, n_H_prev, n_W_prev, n_C_prev)")
    W = as_float("W", W, ndim=4, meaning="(f, f, n_C_prev, n_C)")
    if W.shape[0] != W.shape[1] or W.shape[2] != A_prev.shape[3]:
        raise ValueError(f"W: expected shape (f, f, {A_prev.shape[3]}, n_C) with n_C_prev = "
                         f"A_prev's channels, got {W.shape}")
    b_float = as_float("b", b)
    dtype = common_float(A_prev, W, b_float)
    n_C = W.shape[3]
    b = _check_bias(b_float, n_C, dtype)
    A_prev, W = A_prev.astype(dtype, copy=False), W.astype(dtype, copy=False)
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f = W.shape[0]
    s = check_positive_int("stride", stride)
    p = check_positive_int("pad", pad, minimum=0)
    n_H = conv_transpose_output_size(n_H_prev, f, p, s)
    n_W = conv_transpose_output_size(n_W_prev, f, p, s)
    full = np.zeros((m, (n_H_prev - 1) * s + f, (n_W_prev - 1) * s + f, n_C), dtype=dtype)
    for i in range(f):            # f·f strided slice additions, one per filter tap
        for j in range(f):
            full[:, i:i + s * (n_H_prev - 1) + 1:s, j:j + s * (n_W_prev - 1) + 1:s, :] += A_prev @ W[i, j]
    Z = full[:, p:p + n_H, p:p + n_W, :] + b.reshape(-1)
    return Z, (A_prev, W, b, {"stride": s, "pad": p, "dilation": 1, "n_H": n_H, "n_W": n_W})


def conv_transpose_backward(dZ, cache):
    """Gradients of :func:`conv_transpose_forward`.

    Args:
        dZ: ∂J/∂Z, (m, n_H, n_W, n_C). cache: from :func:`conv_transpose_forward`.

    Returns:
        {"dA_prev": A_prev's shape, "dW": W's shape, "db": b's shape}.
    """
    dZ, A_prev, W, b, hp = _check_cache(dZ, cache, "conv_transpose_forward")
    s, p = hp["stride"], hp["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    full = np.pad(dZ, ((0, 0), (p, p), (p, p), (0, 0)))
    dA = np.zeros_like(A_prev)
    dW = np.zeros_like(W)
    A_flat = A_prev.reshape(-1, n_C_prev)
    for i in range(f):
        for j in range(f):
            patch = full[:, i:i + s * (n_H_prev - 1) + 1:s, j:j + s * (n_W_prev - 1) + 1:s, :]
            dA += patch @ W[i, j].T
            dW[i, j] = A_flat.T @ patch.reshape(-1, W.shape[3])
    db = dZ.sum(axis=(0, 1, 2)).reshape(b.shape)
    return {"dA_prev": dA, "dW": dW, "db": db}


# ---------------------------------------------------------------- a filter that learns

def learn_filter(images, targets, f=3, learning_rate=0.1, num_iterations=300, seed=0):
    r"""Learn one f × f filter (and bias) by gradient descent so that conv(images) ≈ targets.

    Minimises the mean squared error
    :math:`J = \frac{1}{2 m n_H n_W}\sum (Z - T)^2` with Z = ``conv_forward``
    (images, W, b) (stride 1, no padding), from a small random start. The
    cost's gradient dZ = (Z − T)/(m n_H n_W) carries the 1/m; :func:`conv_backward`
    turns it into dW and db.

    Args:
        images: (m, n_H_prev, n_W_prev, 1) grey images.
        targets: (m, n_H_prev − f + 1, n_W_prev − f + 1, 1), e.g. the images
            filtered with a Sobel filter.
        f: filter size. learning_rate: α > 0. num_iterations: gradient steps.
        seed: seed of the random start (an int >= 0 or None).

    Returns:
        (W, b, costs): W of shape (f, f, 1, 1), b (1, 1, 1, 1), and the cost
        before each step (a list of ``num_iterations`` floats).
    """
    images = as_float("images", images, ndim=4, meaning="(m, n_H_prev, n_W_prev, 1)")
    if images.shape[3] != 1:
        raise ValueError(f"images: expected one channel, (m, n_H_prev, n_W_prev, 1), got {images.shape}")
    f = check_positive_int("f", f)
    if f > min(images.shape[1:3]):
        raise ValueError(f"f: the filter ({f} × {f}) is larger than the images {images.shape[1:3]}")
    targets = as_float("targets", targets, ndim=4, meaning="(m, n_H, n_W, 1)")
    check_shape("targets", targets, (images.shape[0], images.shape[1] - f + 1, images.shape[2] - f + 1, 1),
                f"(the output of an f = {f} filter on the images)")
    check_positive("learning_rate", learning_rate)
    num_iterations = check_positive_int("num_iterations", num_iterations)
    rng = np.random.default_rng(check_seed(seed))
    dtype = common_float(images, targets)
    W = rng.normal(0, 0.1, (f, f, 1, 1)).astype(dtype)
    b = np.zeros((1, 1, 1, 1), dtype=dtype)
    costs = []
    for _ in range(num_iterations):
        Z, cache = conv_forward(images, W, b)
        diff = Z - targets
        costs.append(0.5 * float(np.mean(diff ** 2)))
        grads = conv_backward(diff / diff.size, cache)
        W -= learning_rate * grads["dW"]
        b -= learning_rate * grads["db"]
    return W, b, costs
