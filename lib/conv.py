r"""Convolution in numpy: the lecture's loops, the fast form, its backward pass and its kinds.

Chapter 9 (edge detection) uses the edge filters, :func:`conv_forward_naive` and
:func:`learn_filter`; chapter 10 (padding and stride) :func:`zero_pad`,
:func:`conv_output_size`, dilation, :func:`depthwise_conv_forward` and
:func:`conv_transpose_forward`; chapter 11 trains a CNN on :func:`conv_forward`
and :func:`conv_backward`.

Notation: images ``A_prev`` are (m, n_H_prev, n_W_prev, n_C_prev), filters ``W``
are (f, f, n_C_prev, n_C), biases ``b`` are (1, 1, 1, n_C) (or (n_C,)). With
padding p, stride s and dilation d, the filter covers f_d = d(f − 1) + 1 pixels
and output pixel (h, w) of channel c is

.. math:: Z_{h,w,c} = b_c + \sum_{i,j<f}\sum_{k<n_C^{prev}}
          A^{pad}_{hs + id,\; ws + jd,\; k}\, W_{i,j,k,c},

a cross-correlation, as deep learning calls "convolution". The output is
n_H = ⌊(n_H_prev + 2p − f_d)/s⌋ + 1 high (:func:`conv_output_size`).
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from lib._checks import check_finite, check_positive, check_positive_int
from lib._memory import keep_freed_memory

# The fast form allocates MB-sized temporaries on every call: keep freed ones for
# reuse rather than paying page faults for fresh memory each time (lib/_memory.py).
keep_freed_memory()

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


def edge_filter(name):
    """One of :data:`EDGE_FILTERS` as a fresh (3, 3) float64 array, by name."""
    if name not in EDGE_FILTERS:
        raise ValueError(f"name: expected one of {sorted(EDGE_FILTERS)}, got {name!r}")
    return EDGE_FILTERS[name].copy()


def as_filter_bank(kernel):
    """A single 2-D kernel (f, f) as a one-filter bank W of shape (f, f, 1, 1), b = 0."""
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"kernel: expected a square (f, f) array, got shape {kernel.shape}")
    return kernel[:, :, None, None], np.zeros((1, 1, 1, 1))


# ---------------------------------------------------------------- checks and sizes

def _float(name, x, ndim):
    """``x`` as a float array of rank ``ndim``: float32 stays float32, anything else float64."""
    arr = np.asarray(x)
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-d array, got shape {arr.shape}")
    return arr


def resolve_padding(pad, f, dilation=1):
    """The padding p as an integer, from a number or from "valid", "same" or "full".

    * "valid": p = 0, the filter stays inside the image;
    * "same": p = (f_d − 1)/2, so that a stride-1 output has the input's size
      (f_d = d(f − 1) + 1 must be odd);
    * "full": p = f_d − 1, every output touches at least one input pixel.
    """
    f = check_positive_int("f", f)
    dilation = check_positive_int("dilation", dilation)
    f_d = dilation * (f - 1) + 1
    if isinstance(pad, str):
        if pad == "valid":
            return 0
        if pad == "same":
            if f_d % 2 == 0:
                raise ValueError(f"pad: 'same' needs an odd effective filter size, got f_d = {f_d}")
            return (f_d - 1) // 2
        if pad == "full":
            return f_d - 1
        raise ValueError(f"pad: expected an integer >= 0 or 'valid', 'same', 'full', got {pad!r}")
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


def _check_conv(A_prev, W, b, stride, pad, dilation):
    """Check the arguments of a convolution; return them cleaned, with p and the output size."""
    A_prev = _float("A_prev", A_prev, 4)
    W = _float("W", W, 4)
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W: expected square filters (f, f, n_C_prev, n_C), got shape {W.shape}")
    if W.shape[2] != A_prev.shape[3]:
        raise ValueError(f"W: expected n_C_prev = {A_prev.shape[3]} input channels "
                         f"(A_prev's last axis), got W of shape {W.shape}")
    b = np.asarray(b, dtype=W.dtype)
    n_C = W.shape[3]
    if b.shape not in ((n_C,), (1, 1, 1, n_C)):
        raise ValueError(f"b: expected shape (1, 1, 1, {n_C}) or ({n_C},), got {b.shape}")
    f = W.shape[0]
    s = check_positive_int("stride", stride)
    d = check_positive_int("dilation", dilation)
    p = resolve_padding(pad, f, d)
    n_H = conv_output_size(A_prev.shape[1], f, p, s, d)
    n_W = conv_output_size(A_prev.shape[2], f, p, s, d)
    return A_prev, W, b, {"stride": s, "pad": p, "dilation": d, "n_H": n_H, "n_W": n_W}


# ---------------------------------------------------------------- the lecture's loops

def zero_pad(X, pad):
    """Pad the height and width of a batch of images with ``pad`` zeros on every side.

    Args:
        X: images (m, n_H, n_W, n_C). pad: the integer p >= 0.

    Returns:
        (m, n_H + 2p, n_W + 2p, n_C), X's dtype.
    """
    X = _float("X", X, 4)
    p = check_positive_int("pad", pad, minimum=0)
    return np.pad(X, ((0, 0), (p, p), (p, p), (0, 0)))


def conv_single_step(a_slice, W, b):
    r"""One output number: :math:`\sum (a\_slice \odot W) + b`.

    Args:
        a_slice: the window of the input under the filter, (f, f, n_C_prev).
        W: one filter, (f, f, n_C_prev). b: its bias, a number or (1, 1, 1).

    Returns:
        a float.
    """
    a_slice = np.asarray(a_slice, dtype=float)
    W = np.asarray(W, dtype=float)
    if a_slice.shape != W.shape:
        raise ValueError(f"W: expected the shape of a_slice, {a_slice.shape}, got {W.shape}")
    return float(np.sum(a_slice * W) + np.asarray(b, dtype=float).reshape(-1)[0])


def conv_forward_naive(A_prev, W, b, stride=1, pad=0, dilation=1):
    """Convolution with the lecture's four loops (example, row, column, filter), for teaching.

    Args:
        A_prev: (m, n_H_prev, n_W_prev, n_C_prev). W: (f, f, n_C_prev, n_C).
        b: (1, 1, 1, n_C) or (n_C,). stride: s. pad: p or "valid"/"same"/"full".
        dilation: d, the gap between the filter's taps (1: none).

    Returns:
        (Z, cache): Z of shape (m, n_H, n_W, n_C); cache for :func:`conv_backward`.
    """
    A_prev, W, b, hp = _check_conv(A_prev, W, b, stride, pad, dilation)
    s, p, d, n_H, n_W = hp["stride"], hp["pad"], hp["dilation"], hp["n_H"], hp["n_W"]
    f, n_C = W.shape[0], W.shape[3]
    A_pad = zero_pad(A_prev, p)
    bias = b.reshape(-1)
    Z = np.zeros((A_prev.shape[0], n_H, n_W, n_C), dtype=np.result_type(A_prev, W))
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

    Same arguments and results as :func:`conv_backward`.
    """
    A_prev, W, b, hp = cache
    dZ = _check_dZ(dZ, A_prev, W, hp)
    s, p, d = hp["stride"], hp["pad"], hp["dilation"]
    f = W.shape[0]
    A_pad = zero_pad(A_prev, p)
    dA_pad = np.zeros_like(A_pad, dtype=dZ.dtype)
    dW = np.zeros(W.shape, dtype=dZ.dtype)
    for i in range(A_prev.shape[0]):
        for h in range(hp["n_H"]):
            for w in range(hp["n_W"]):
                rows = slice(h * s, h * s + d * (f - 1) + 1, d)
                cols = slice(w * s, w * s + d * (f - 1) + 1, d)
                for c in range(W.shape[3]):
                    dA_pad[i, rows, cols, :] += W[..., c] * dZ[i, h, w, c]
                    dW[..., c] += A_pad[i, rows, cols, :] * dZ[i, h, w, c]
    db = dZ.sum(axis=(0, 1, 2)).reshape(b.shape)
    return _unpad(dA_pad, p), dW, db


def _check_dZ(dZ, A_prev, W, hp):
    dZ = _float("dZ", dZ, 4)
    want = (A_prev.shape[0], hp["n_H"], hp["n_W"], W.shape[3])
    if dZ.shape != want:
        raise ValueError(f"dZ: expected shape {want} (Z's), got {dZ.shape}")
    return dZ


def _unpad(X_pad, p):
    return X_pad[:, p:X_pad.shape[1] - p, p:X_pad.shape[2] - p, :] if p else X_pad


# ---------------------------------------------------------------- the fast form

_CHUNK_BYTES = 8 * 2 ** 20
"""Largest block of columns built at once; bigger batches are done in chunks of examples
(keeps the temporaries in cache, which matters most in float64)."""


_SHORT_COLUMNS = 24
"""Up to this many rows (f·f·n_C_prev + 1), :func:`conv_forward` computes colsᵀ · W_mat,
whose rows already come out in Z's layout. For longer columns BLAS is 1.3–2.8× faster at
W_matᵀ · cols, and the transposing copy that follows costs less than that (measured with
numpy's OpenBLAS on 2 cores)."""


def _chunks(m, bytes_per_example):
    step = max(1, _CHUNK_BYTES // max(bytes_per_example, 1))
    return [slice(i, min(i + step, m)) for i in range(0, m, step)]


def im2col(A_pad_t, f, n_H, n_W, stride=1, dilation=1):
    """Unroll every filter window into a column, output positions innermost.

    Args:
        A_pad_t: the padded input with channels second, (m, n_C_prev, n_H_pad, n_W_pad).
        f, n_H, n_W, stride, dilation: the convolution's filter and output sizes.

    Returns:
        cols of shape (m, f·f·n_C_prev, n_H·n_W): row (i, j, k) holds, for every
        output position (h, w), input pixel (h s + i d, w s + j d) of channel k,
        so that ``W.reshape(-1, n_C).T @ cols`` is the convolution of every
        example at once (one batched matmul).
    """
    m, n_C_prev = A_pad_t.shape[:2]
    s, d = stride, dilation
    f_d = d * (f - 1) + 1
    # win[m, k, h, w, i, j] = A_pad_t[m, k, h + i, w + j] (a view); then step by s and d
    win = sliding_window_view(A_pad_t, (f_d, f_d), axis=(2, 3))
    win = win[:, :, ::s, ::s, ::d, ::d][:, :, :n_H, :n_W]
    # one copy to (m, i, j, k, h, w): positions innermost and contiguous
    cols = np.ascontiguousarray(win.transpose(0, 4, 5, 1, 2, 3))
    return cols.reshape(m, f * f * n_C_prev, n_H * n_W)


def col2im_add(dA_pad_t, dcols, f, n_H, n_W, stride=1, dilation=1):
    """The adjoint of :func:`im2col`: add each column back onto the pixels it came from.

    Args:
        dA_pad_t: (m, n_C_prev, n_H_pad, n_W_pad), added to in place.
        dcols: (m, f·f·n_C_prev, n_H·n_W).

    Done as f·f strided slice additions, one per filter tap (i, j): each adds a
    whole (m, n_C_prev, n_H, n_W) block, which is far faster than ``np.add.at``.
    """
    m, n_C_prev = dA_pad_t.shape[:2]
    s, d = stride, dilation
    blocks = dcols.reshape(m, f, f, n_C_prev, n_H, n_W)
    for i in range(f):
        for j in range(f):
            dA_pad_t[:, :, i * d:i * d + s * (n_H - 1) + 1:s,
                     j * d:j * d + s * (n_W - 1) + 1:s] += blocks[:, i, j]
    return dA_pad_t


def _zero_images(n_C, m, n_H_pad, n_W_pad, tail, dtype):
    """(flat, padded): zeros of shape (n_C, m·n_H_pad·n_W_pad + tail), each channel's m
    images one after the other and then ``tail`` spare zeros, and the same memory
    seen as (n_C, m, n_H_pad, n_W_pad)."""
    flat = np.zeros((n_C, m * n_H_pad * n_W_pad + tail), dtype=dtype)
    return flat, flat[:, :m * n_H_pad * n_W_pad].reshape(n_C, m, n_H_pad, n_W_pad)


def _padded_channels_first(A_prev, p, dtype, tail):
    """A_prev (m, n_H_prev, n_W_prev, n_C) zero-padded by p, as :func:`_zero_images` lays it out."""
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    flat, padded = _zero_images(n_C, m, n_H_prev + 2 * p, n_W_prev + 2 * p, tail, dtype)
    padded[:, :, p:p + n_H_prev, p:p + n_W_prev] = A_prev.transpose(3, 0, 1, 2)
    return flat, padded


def _layout(A_prev, f, hp):
    """Where conv_forward puts the output positions of each example in its columns.

    With stride 1, every pixel of the padded input is a position (``grid`` is the
    padded size): then the input under tap (i, j) at all positions of all examples is
    one contiguous slice of the flat input, shifted by (i·n_W_pad + j)·d, which makes
    the columns a few long copies. The output is the grid's top-left n_H × n_W
    corner; the other positions are junk that is dropped, and their windows reach
    past the last image by at most ``tail`` pixels. Otherwise the grid is exactly
    the output, and the columns come from :func:`im2col`.
    """
    p, d = hp["pad"], hp["dilation"]
    n_H_pad, n_W_pad = A_prev.shape[1] + 2 * p, A_prev.shape[2] + 2 * p
    if hp["stride"] == 1:
        f_d = d * (f - 1) + 1
        return {"shifted": True, "grid": (n_H_pad, n_W_pad), "tail": (f_d - 1) * (n_W_pad + 1)}
    return {"shifted": False, "grid": (hp["n_H"], hp["n_W"]), "tail": 0}


def _columns(flat, padded, f, hp, layout, rows):
    """The columns of the examples ``rows`` with a row of ones under them (the bias trick).

    Returns:
        (f·f·n_C_prev + 1, n·P) for n examples of P = n_H_grid·n_W_grid positions:
        column (e, h, w) is the window under output position (h, w) of example e,
        entry (i, j, k) its pixel under tap (i, j) in channel k, and last a 1.
    """
    n_C_prev, _, _, n_W_pad = padded.shape
    n = rows.stop - rows.start
    P = layout["grid"][0] * layout["grid"][1]
    K = f * f * n_C_prev
    cols = np.empty((K + 1, n * P), dtype=flat.dtype)
    cols[K] = 1
    if layout["shifted"]:
        taps = cols[:K].reshape(f, f, n_C_prev, n * P)
        for i in range(f):
            for j in range(f):
                start = rows.start * P + (i * n_W_pad + j) * hp["dilation"]
                taps[i, j] = flat[:, start:start + n * P]
    else:
        per_example = im2col(padded[:, rows].transpose(1, 0, 2, 3), f, hp["n_H"], hp["n_W"],
                             hp["stride"], hp["dilation"])                   # (n, K, P)
        cols[:K].reshape(K, n, P)[...] = per_example.transpose(1, 0, 2)
    return cols


def _add_columns(dflat, dpadded, dcols, f, hp, layout, rows):
    """The adjoint of :func:`_columns` (without the ones): add dcols (K, n·P) onto the pixels."""
    n_C_prev, _, _, n_W_pad = dpadded.shape
    n = rows.stop - rows.start
    P = layout["grid"][0] * layout["grid"][1]
    if layout["shifted"]:
        taps = dcols.reshape(f, f, n_C_prev, n * P)
        for i in range(f):
            for j in range(f):
                start = rows.start * P + (i * n_W_pad + j) * hp["dilation"]
                dflat[:, start:start + n * P] += taps[i, j]
    else:
        col2im_add(dpadded[:, rows].transpose(1, 0, 2, 3),
                   dcols.reshape(-1, n, P).transpose(1, 0, 2), f, hp["n_H"], hp["n_W"],
                   hp["stride"], hp["dilation"])


def conv_forward(A_prev, W, b, stride=1, pad=0, dilation=1):
    """Convolution as one matrix product (im2col), the form that trains a CNN.

    Every window of every example is unrolled into a column of ``cols``, with a 1
    appended; the filters are unrolled into the columns of W_mat, with the biases
    appended as one more row (the bias trick). Then Z, seen as an (m·n_H·n_W, n_C)
    matrix, is

        Z_mat = colsᵀ · W_mat     ((m·n_H·n_W, f·f·n_C_prev + 1) · (f·f·n_C_prev + 1, n_C)),

    one product for the whole batch (large float batches a few examples at a time),
    whose rows come out in Z's own order. For long columns (more than
    ``_SHORT_COLUMNS`` rows) BLAS is faster at the transposed product W_matᵀ · cols,
    followed by a transposing copy. With stride 1 the columns are built for every
    pixel of the padded input, which is several times faster, and Z keeps the
    n_H × n_W corner that holds the real outputs (:func:`_layout`). float32 inputs
    stay float32.

    Args and returns: as :func:`conv_forward_naive`, whose result it equals.
    """
    A_prev, W, b, hp = _check_conv(A_prev, W, b, stride, pad, dilation)
    m = A_prev.shape[0]
    f, n_C_prev, n_C = W.shape[0], W.shape[2], W.shape[3]
    K = f * f * n_C_prev
    dtype = np.result_type(A_prev, W)       # one dtype: mixed-type matmul skips BLAS
    W_mat = np.concatenate([W.reshape(K, n_C), b.reshape(1, n_C)]).astype(dtype, copy=False)
    layout = _layout(A_prev, f, hp)
    flat, padded = _padded_channels_first(A_prev, hp["pad"], dtype, layout["tail"])
    P = layout["grid"][0] * layout["grid"][1]
    positions_as_rows = K + 1 <= _SHORT_COLUMNS
    W_mat_T = None if positions_as_rows else np.ascontiguousarray(W_mat.T)
    grid = layout["grid"]
    out = np.empty((m, *grid, n_C) if positions_as_rows else (n_C, m, *grid), dtype=dtype)
    all_cols = []                 # kept for the backward pass, which then need not rebuild them
    for rows in _chunks(m, (K + 1) * P * np.dtype(dtype).itemsize):
        all_cols.append(_columns(flat, padded, f, hp, layout, rows))
        if positions_as_rows:
            np.matmul(all_cols[-1].T, W_mat, out=out[rows].reshape(-1, n_C))
        else:
            np.matmul(W_mat_T, all_cols[-1], out=out[:, rows].reshape(n_C, -1))
    if not positions_as_rows:
        out = out.transpose(1, 2, 3, 0)
    Z = np.ascontiguousarray(out[:, :hp["n_H"], :hp["n_W"]])      # no copy if already so
    return Z, (A_prev, W, b, hp, all_cols)


def conv_backward(dZ, cache, input_grad=True):
    r"""Gradients of a convolution from the gradient of its output.

    With cols and W_mat as in :func:`conv_forward` and dZ as the (m·n_H·n_W, n_C)
    matrix dZ_mat:

    * dW_mat = cols · dZ_mat, whose last row, from the row of ones, is db = Σ dZ;
    * dcols = W · dZ_matᵀ (W_mat without its bias row), and dA_prev is each column
      of dcols added back onto the input pixels it came from, then un-padded.

    Args:
        dZ: ∂J/∂Z, (m, n_H, n_W, n_C). cache: from :func:`conv_forward`
            (or :func:`conv_forward_naive`).
        input_grad: False skips dA_prev (returned as None), which a network's
            first layer does not need: it saves a third of the work.

    Returns:
        (dA_prev, dW, db) with the shapes of A_prev, W and b.
    """
    A_prev, W, b, hp = cache[:4]
    dZ = _check_dZ(dZ, A_prev, W, hp)
    m, n_H_prev, n_W_prev = A_prev.shape[:3]
    f, n_C_prev, n_C = W.shape[0], W.shape[2], W.shape[3]
    K, p = f * f * n_C_prev, hp["pad"]
    dtype = np.result_type(A_prev, W, dZ)
    saved = cache[4] if len(cache) > 4 and cache[4][0].dtype == dtype else None
    layout = _layout(A_prev, f, hp)
    if saved is None:             # a cache from conv_forward_naive: build the columns again
        flat, padded = _padded_channels_first(A_prev, p, dtype, layout["tail"])
    if layout["shifted"]:         # dZ on the grid of positions; the junk ones get gradient 0
        dZ_grid = np.zeros((m, *layout["grid"], n_C), dtype=dtype)
        dZ_grid[:, :hp["n_H"], :hp["n_W"]] = dZ
    else:
        dZ_grid = np.ascontiguousarray(dZ, dtype=dtype)
    if input_grad:
        dflat, dpadded = _zero_images(n_C_prev, m, n_H_prev + 2 * p, n_W_prev + 2 * p,
                                      layout["tail"], dtype)
    W_rows = W.reshape(K, n_C).astype(dtype, copy=False)        # W_mat without the bias row
    P = layout["grid"][0] * layout["grid"][1]
    dW_mat = np.zeros((K + 1, n_C), dtype=dtype)
    for k, rows in enumerate(_chunks(m, (K + 1) * P * np.dtype(dtype).itemsize)):
        cols = saved[k] if saved is not None else _columns(flat, padded, f, hp, layout, rows)
        n = rows.stop - rows.start
        dZ_mat = dZ_grid[rows].reshape(n * P, n_C)
        # cols · dZ_mat as one small product per example, summed: BLAS does these much
        # faster than a single product with an n·P-long inner dimension
        dW_mat += np.matmul(cols.reshape(K + 1, n, P).transpose(1, 0, 2),
                            dZ_mat.reshape(n, P, n_C)).sum(axis=0)
        if input_grad:
            _add_columns(dflat, dpadded, W_rows @ dZ_mat.T, f, hp, layout, rows)
    dA_prev = None
    if input_grad:
        dA_prev = dpadded[:, :, p:p + n_H_prev, p:p + n_W_prev].transpose(1, 2, 3, 0)
    return dA_prev, dW_mat[:K].reshape(W.shape), dW_mat[K].reshape(b.shape)


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
        (Z, cache): Z of shape (m, n_H, n_W, n_C_prev).
    """
    A_prev, W, b, hp = _check_depthwise(A_prev, W, b, stride, pad, dilation)
    s, p, d, n_H, n_W = hp["stride"], hp["pad"], hp["dilation"], hp["n_H"], hp["n_W"]
    f = W.shape[0]
    A_pad = zero_pad(A_prev, p)
    Z = np.zeros((A_prev.shape[0], n_H, n_W, A_prev.shape[3]), dtype=np.result_type(A_prev, W))
    for i in range(f):            # f·f whole-array products, one per filter tap
        for j in range(f):
            Z += A_pad[:, i * d:i * d + s * (n_H - 1) + 1:s, j * d:j * d + s * (n_W - 1) + 1:s, :] * W[i, j]
    return Z + b.reshape(-1), (A_prev, W, b, hp)


def _check_depthwise(A_prev, W, b, stride, pad, dilation):
    W = _float("W", W, 3)
    n_C_prev = W.shape[2]
    b = np.asarray(b, dtype=W.dtype)
    if b.shape not in ((n_C_prev,), (1, 1, 1, n_C_prev)):
        raise ValueError(f"b: expected shape (1, 1, 1, {n_C_prev}) or ({n_C_prev},), got {b.shape}")
    # the checks of an ordinary convolution with one output channel per input channel
    A_prev, _, _, hp = _check_conv(A_prev, W[:, :, :, None], np.zeros(1, W.dtype),
                                   stride, pad, dilation)
    return A_prev, W, b, hp


def depthwise_conv_backward(dZ, cache):
    """Gradients of :func:`depthwise_conv_forward`: returns (dA_prev, dW, db)."""
    A_prev, W, b, hp = cache
    s, p, d, n_H, n_W = hp["stride"], hp["pad"], hp["dilation"], hp["n_H"], hp["n_W"]
    dZ = _float("dZ", dZ, 4)
    want = (A_prev.shape[0], n_H, n_W, A_prev.shape[3])
    if dZ.shape != want:
        raise ValueError(f"dZ: expected shape {want} (Z's), got {dZ.shape}")
    f = W.shape[0]
    A_pad = zero_pad(A_prev, p)
    dA_pad = np.zeros(A_pad.shape, dtype=np.result_type(A_pad, dZ))
    dW = np.zeros(W.shape, dtype=dA_pad.dtype)
    for i in range(f):
        for j in range(f):
            window = (slice(None), slice(i * d, i * d + s * (n_H - 1) + 1, s),
                      slice(j * d, j * d + s * (n_W - 1) + 1, s), slice(None))
            dA_pad[window] += dZ * W[i, j]
            dW[i, j] = np.sum(A_pad[window] * dZ, axis=(0, 1, 2))
    db = dZ.sum(axis=(0, 1, 2)).reshape(b.shape)
    return _unpad(dA_pad, p), dW, db


def parameter_count(f, n_C_prev, n_C, kind="standard"):
    """Weights and biases of one layer mapping n_C_prev channels to n_C with f × f filters.

    * "standard": f·f·n_C_prev·n_C + n_C;
    * "depthwise": f·f·n_C_prev + n_C_prev (then n_C = n_C_prev);
    * "separable": depthwise, then a 1 × 1 convolution: f·f·n_C_prev + n_C_prev
      + n_C_prev·n_C + n_C.
    """
    f, n_C_prev, n_C = (check_positive_int(k, v) for k, v in
                        (("f", f), ("n_C_prev", n_C_prev), ("n_C", n_C)))
    depthwise = f * f * n_C_prev + n_C_prev
    counts = {"standard": f * f * n_C_prev * n_C + n_C, "depthwise": depthwise,
              "separable": depthwise + n_C_prev * n_C + n_C}
    if kind not in counts:
        raise ValueError(f"kind: expected one of {sorted(counts)}, got {kind!r}")
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
        (Z, cache): Z of shape (m, n_H, n_W, n_C), n_H = (n_H_prev − 1)s − 2p + f.
    """
    A_prev = _float("A_prev", A_prev, 4)
    W = _float("W", W, 4)
    if W.shape[0] != W.shape[1] or W.shape[2] != A_prev.shape[3]:
        raise ValueError(f"W: expected shape (f, f, {A_prev.shape[3]}, n_C) with n_C_prev = "
                         f"A_prev's channels, got {W.shape}")
    n_C = W.shape[3]
    b = np.asarray(b, dtype=W.dtype)
    if b.shape not in ((n_C,), (1, 1, 1, n_C)):
        raise ValueError(f"b: expected shape (1, 1, 1, {n_C}) or ({n_C},), got {b.shape}")
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f = W.shape[0]
    s = check_positive_int("stride", stride)
    p = check_positive_int("pad", pad, minimum=0)
    n_H = conv_transpose_output_size(n_H_prev, f, p, s)
    n_W = conv_transpose_output_size(n_W_prev, f, p, s)
    full = np.zeros((m, (n_H_prev - 1) * s + f, (n_W_prev - 1) * s + f, n_C),
                    dtype=np.result_type(A_prev, W))
    for i in range(f):            # f·f strided slice additions, one per filter tap
        for j in range(f):
            full[:, i:i + s * (n_H_prev - 1) + 1:s, j:j + s * (n_W_prev - 1) + 1:s, :] += A_prev @ W[i, j]
    Z = full[:, p:p + n_H, p:p + n_W, :] + b.reshape(-1)
    return Z, (A_prev, W, b, {"stride": s, "pad": p, "n_H": n_H, "n_W": n_W})


def conv_transpose_backward(dZ, cache):
    """Gradients of :func:`conv_transpose_forward`: returns (dA_prev, dW, db)."""
    A_prev, W, b, hp = cache
    s, p = hp["stride"], hp["pad"]
    dZ = _float("dZ", dZ, 4)
    want = (A_prev.shape[0], hp["n_H"], hp["n_W"], W.shape[3])
    if dZ.shape != want:
        raise ValueError(f"dZ: expected shape {want} (Z's), got {dZ.shape}")
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    full = np.pad(dZ, ((0, 0), (p, p), (p, p), (0, 0)))
    dA = np.zeros(A_prev.shape, dtype=np.result_type(A_prev, dZ))
    dW = np.zeros(W.shape, dtype=dA.dtype)
    A_flat = A_prev.reshape(-1, n_C_prev)
    for i in range(f):
        for j in range(f):
            patch = full[:, i:i + s * (n_H_prev - 1) + 1:s, j:j + s * (n_W_prev - 1) + 1:s, :]
            dA += patch @ W[i, j].T
            dW[i, j] = A_flat.T @ patch.reshape(-1, W.shape[3])
    db = dZ.sum(axis=(0, 1, 2)).reshape(b.shape)
    return dA, dW, db


# ---------------------------------------------------------------- a filter that learns

def learn_filter(images, targets, f=3, learning_rate=0.1, iterations=300, seed=0):
    r"""Learn one f × f filter (and bias) by gradient descent so that conv(images) ≈ targets.

    Minimises the mean squared error
    :math:`J = \frac{1}{2 m n_H n_W}\sum (Z - T)^2` with Z = ``conv_forward``
    (images, W, b) (stride 1, no padding), from a small random start.

    Args:
        images: (m, n_H_prev, n_W_prev, 1) grey images.
        targets: (m, n_H_prev − f + 1, n_W_prev − f + 1, 1), e.g. the images
            filtered with a Sobel filter.
        f: filter size. learning_rate: α > 0. iterations: gradient steps.
        seed: seed of the random start.

    Returns:
        (W, b, costs): W of shape (f, f, 1, 1), b (1, 1, 1, 1), and the cost
        before each step (a list of ``iterations`` floats).
    """
    images = _float("images", images, 4)
    targets = _float("targets", targets, 4)
    f = check_positive_int("f", f)
    check_positive("learning_rate", learning_rate)
    iterations = check_positive_int("iterations", iterations)
    check_finite("images", images)
    want = (images.shape[0], images.shape[1] - f + 1, images.shape[2] - f + 1, 1)
    if images.shape[3] != 1 or targets.shape != want:
        raise ValueError(f"targets: expected shape {want} for one-channel images of shape "
                         f"{images.shape} and f = {f}, got {targets.shape}")
    rng = np.random.default_rng(seed)
    W = rng.normal(0, 0.1, (f, f, 1, 1))
    b = np.zeros((1, 1, 1, 1))
    costs = []
    for _ in range(iterations):
        Z, cache = conv_forward(images, W, b)
        diff = Z - targets
        costs.append(0.5 * float(np.mean(diff ** 2)))
        _, dW, db = conv_backward(diff / diff.size, cache, input_grad=False)
        W -= learning_rate * dW
        b -= learning_rate * db
    return W, b, costs
