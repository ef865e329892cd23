r"""The convolution of :mod:`lib.conv`, tuned for speed: the one the CNN of chapter ``17_convolutional_networks`` trains with.

:mod:`lib.conv` is the convolution as taught; this module computes the same
numbers (``tests/test_fast_conv.py`` asserts that values and gradients agree
over strides, padding and dilation), as CS231n keeps ``fast_layers.py`` beside
``layers.py``. Same arguments, same cache form ``(A_prev, W, b, hparameters)``,
same gradients ``{"dA_prev", "dW", "db"}``.

What makes it faster than :func:`lib.conv.conv_forward`:

* **Channels first, positions innermost.** The padded input is copied once,
  per chunk of examples, to channels-first order, flattened to (n_C_prev,
  positions). The columns are then (f·f·n_C_prev + 1, positions), and each
  filter tap (i, j) fills n_C_prev rows with long contiguous copies.
* **With stride 1, every pixel of the padded input is a position.** Then the
  input under tap (i, j), at all positions of all examples at once, is one
  contiguous slice of the flat input, shifted by (i·n_W_pad + j)·d, and
  im2col is f·f plain copies. The real outputs are the top-left n_H × n_W
  corner of each example's grid; the other positions are computed and dropped
  (in the backward pass they get gradient 0). They cost n_H_pad·n_W_pad /
  (n_H·n_W) − 1 more arithmetic (13% for 32 × 32 images and 3 × 3 filters,
  31% for 28 × 28 and 5 × 5), less than strided copies would.
* **The bias trick.** The columns end with a row of ones and the filter matrix
  with the biases, so the product adds b, and in the backward pass the same
  product's last row is db.
* **Chunks of examples, scratch memory kept.** The columns of a few examples
  (``_CHUNK_BYTES``) are built, multiplied and dropped while they are in the
  processor's cache; the backward pass rebuilds them (cheaper than keeping
  them). The scratch arrays (the padded chunk, the columns, the products) are
  kept between calls, one set per thread and dtype, no larger than a chunk
  needs: a fresh MB-sized array costs a page fault for every 4 KiB it
  touches, which on (64, 28, 28, 1) → 8 filters of 3 × 3 took longer than
  the convolution itself (3.8 ms of CPU time per forward + backward instead
  of 0.9 ms, one thread). Nothing else is kept and no setting of the process
  is changed; the outputs are new arrays on every call.
* **No np.add.at.** The backward pass adds each tap's block of the column
  gradient back with one strided (or, with stride 1, contiguous) addition.

Everything stays in the inputs' dtype: float32 in, float32 out.
"""
import threading

import numpy as np

from lib.conv import _check_cache, _check_conv

_CHUNK_BYTES = 4 * 2 ** 20
"""Size of the column block built at once (columns of this many bytes, a few examples)."""


def conv_forward(A_prev, W, b, stride=1, pad=0, dilation=1):
    """Convolution, fast; the same arguments, result and cache as :func:`lib.conv.conv_forward`.

    Z_{h,w,c} = b_c + Σ_{i,j,k} A_pad[h·s + i·d, w·s + j·d, k] · W[i, j, k, c], computed
    chunk by chunk as one product [cols; 1]ᵀ · [W_mat; b] (see the module's notes).

    Args:
        A_prev: (m, n_H_prev, n_W_prev, n_C_prev). W: (f, f, n_C_prev, n_C).
        b: (1, 1, 1, n_C) or (n_C,). stride: s >= 1. pad: p >= 0 or
            "valid"/"same"/"full". dilation: d >= 1.

    Returns:
        (Z, cache): Z of shape (m, n_H, n_W, n_C); cache = (A_prev, W, b, hparameters).
    """
    A_prev, W, b, hp = _check_conv(A_prev, W, b, stride, pad, dilation)
    return _forward(A_prev, W, b, hp), (A_prev, W, b, hp)


def conv_backward(dZ, cache, input_grad=True):
    """Gradients of the convolution, fast; as :func:`lib.conv.conv_backward`.

    With the same matrices as the forward pass: [dW_mat; db] = [cols; 1] · dZ_mat,
    and dA_prev is W_mat · dZ_matᵀ added back onto the pixels each column came from.

    Args:
        dZ: ∂J/∂Z, (m, n_H, n_W, n_C). cache: from :func:`conv_forward` (or
            from :func:`lib.conv.conv_forward`, which has the same form).
        input_grad: False skips dA_prev, which a network's first layer does
            not need (it saves about a third of the work).

    Returns:
        {"dA_prev": A_prev's shape, "dW": W's shape, "db": b's shape}
        (without "dA_prev" when ``input_grad`` is False).
    """
    dZ, A_prev, W, b, hp = _check_cache(dZ, cache, "conv_forward")
    if not isinstance(input_grad, (bool, np.bool_)):
        raise TypeError(f"input_grad: expected True or False, got {type(input_grad).__name__}")
    return _backward(dZ, A_prev, W, b, hp, bool(input_grad))


# ---------------------------------------------------------------- the kernels (no checks)

_scratch = threading.local()


def _buffer(name, shape, dtype):
    """A scratch array of ``shape``, kept between calls (per thread), so its pages are touched once.

    Its content is whatever the last call left: callers overwrite what they read.
    """
    size = int(np.prod(shape))
    key = (name, np.dtype(dtype).str)
    store = _scratch.__dict__
    if key not in store or store[key].size < size:
        store[key] = np.empty(size, dtype)
    return store[key][:size].reshape(shape)


class _Plan:
    """Sizes, chunking and the reused buffers of one call."""

    def __init__(self, A_prev, W, hp):
        self.m, self.n_H_prev, self.n_W_prev, self.n_C_prev = A_prev.shape
        self.f, self.n_C = W.shape[0], W.shape[3]
        self.K = self.f * self.f * self.n_C_prev
        self.s, self.p, self.d = hp["stride"], hp["pad"], hp["dilation"]
        self.n_H, self.n_W = hp["n_H"], hp["n_W"]
        self.n_H_pad, self.n_W_pad = self.n_H_prev + 2 * self.p, self.n_W_prev + 2 * self.p
        self.shifted = self.s == 1
        if self.shifted:          # every pixel of the padded input is a position
            self.grid = (self.n_H_pad, self.n_W_pad)
            self.tail = self.d * (self.f - 1) * (self.n_W_pad + 1)
        else:
            self.grid = (self.n_H, self.n_W)
            self.tail = 0
        self.P = self.grid[0] * self.grid[1]
        self.dtype = A_prev.dtype
        per_example = (self.K + 1) * self.P * self.dtype.itemsize
        self.n = max(1, min(self.m, _CHUNK_BYTES // per_example))
        # The forward product as (positions, n_C), Z's own layout, or as (n_C, positions)
        # followed by a transposing copy: OpenBLAS is slower at the first when its columns
        # are long and the filters few (measured with numpy's OpenBLAS on 2 cores).
        self.rows_out = self.K + 1 <= 24 or self.n_C >= 16

    def chunks(self):
        for start in range(0, self.m, self.n):
            yield slice(start, min(start + self.n, self.m))

    def buffer(self, name, shape):
        return _buffer(name, shape, self.dtype)

    def input_buffers(self):
        """(flat, cols): the padded chunk, channels first, flat, with ``tail`` spare zeros
        after it; and the columns, whose last row is ones."""
        flat = self.buffer("flat", (self.n_C_prev, self.n * self.n_H_pad * self.n_W_pad + self.tail))
        flat.fill(0)
        cols = self.buffer("cols", (self.K + 1, self.n * self.P))
        cols[self.K] = 1
        return flat, cols

    def padded(self, flat, k):
        """The first k images of ``flat`` as (n_C_prev, k, n_H_pad, n_W_pad) (a view)."""
        return flat[:, :k * self.n_H_pad * self.n_W_pad].reshape(self.n_C_prev, k, self.n_H_pad, self.n_W_pad)

    def taps(self, padded_or_flat, k):
        """(i, j, view) for each filter tap: the input under that tap at every position."""
        f, d, s = self.f, self.d, self.s
        for i in range(f):
            for j in range(f):
                if self.shifted:
                    start = (i * self.n_W_pad + j) * d
                    yield i, j, padded_or_flat[:, start:start + k * self.P]
                else:
                    yield i, j, padded_or_flat[:, :, i * d:i * d + s * (self.n_H - 1) + 1:s,
                                               j * d:j * d + s * (self.n_W - 1) + 1:s]

    def columns(self, A_rows, flat, cols):
        """Fill the columns of the examples ``A_rows`` (k, n_H_prev, n_W_prev, n_C_prev)."""
        k, p = A_rows.shape[0], self.p
        padded = self.padded(flat, k)
        padded[:, :, p:p + self.n_H_prev, p:p + self.n_W_prev] = A_rows.transpose(3, 0, 1, 2)
        L = k * self.P
        blocks = cols[:self.K, :L].reshape(self.f, self.f, self.n_C_prev, -1)
        source = flat if self.shifted else padded
        for i, j, view in self.taps(source, k):
            if self.shifted:
                blocks[i, j] = view
            else:
                blocks[i, j].reshape(view.shape)[...] = view
        return cols[:, :L]


def _forward(A_prev, W, b, hp):
    plan = _Plan(A_prev, W, hp)
    K, n_C = plan.K, plan.n_C
    W_mat = np.concatenate([W.reshape(K, n_C), b.reshape(1, n_C)])     # the bias trick
    Z = np.empty((plan.m, plan.n_H, plan.n_W, n_C), plan.dtype)
    flat, cols_buffer = plan.input_buffers()
    if plan.rows_out:
        out = plan.buffer("out", (plan.n * plan.P, n_C))
    else:
        W_mat = np.ascontiguousarray(W_mat.T)
        out = plan.buffer("out", (n_C, plan.n * plan.P))
    for rows in plan.chunks():
        k = rows.stop - rows.start
        cols = plan.columns(A_prev[rows], flat, cols_buffer)
        if plan.rows_out:         # (positions, n_C): already Z's layout
            grid = np.matmul(cols.T, W_mat, out=out[:k * plan.P]).reshape(k, *plan.grid, n_C)
            Z[rows] = grid[:, :plan.n_H, :plan.n_W]
        else:                     # (n_C, positions), then one transposing copy
            grid = np.matmul(W_mat, cols, out=out[:, :k * plan.P]).reshape(n_C, k, *plan.grid)
            Z[rows] = grid[:, :, :plan.n_H, :plan.n_W].transpose(1, 2, 3, 0)
    return Z


def _backward(dZ, A_prev, W, b, hp, input_grad=True):
    plan = _Plan(A_prev, W, hp)
    K, n_C, P = plan.K, plan.n_C, plan.P
    W_rows = W.reshape(K, n_C)
    flat, cols_buffer = plan.input_buffers()
    dW_mat = np.zeros((K + 1, n_C), plan.dtype)
    part = np.empty_like(dW_mat)
    if plan.shifted:              # dZ on the grid of positions: the dropped ones get gradient 0
        dZ_grid = plan.buffer("dZ_grid", (plan.n, *plan.grid, n_C))
        dZ_grid.fill(0)
    else:
        dZ = np.ascontiguousarray(dZ)
    if input_grad:
        dA_prev = np.empty(A_prev.shape, plan.dtype)
        dflat = plan.buffer("dflat", flat.shape)
        dcols_buffer = plan.buffer("dcols", (K, plan.n * P))
    for rows in plan.chunks():
        k = rows.stop - rows.start
        L = k * P
        cols = plan.columns(A_prev[rows], flat, cols_buffer)
        if plan.shifted:
            dZ_grid[:k, :plan.n_H, :plan.n_W] = dZ[rows]
            dZ_mat = dZ_grid[:k].reshape(L, n_C)
        else:
            dZ_mat = dZ[rows].reshape(L, n_C)
        dW_mat += np.matmul(cols, dZ_mat, out=part)            # its last row, from the ones, is db
        if input_grad:
            dcols = np.matmul(W_rows, dZ_mat.T, out=dcols_buffer[:, :L])
            blocks = dcols.reshape(plan.f, plan.f, plan.n_C_prev, -1)
            dpadded = plan.padded(dflat, k)
            if plan.shifted:      # tap (0, 0) covers the first L pixels: copy it, add the others
                dflat[:, :L] = blocks[0, 0]
                dflat[:, L:L + plan.tail] = 0
                for i, j, view in plan.taps(dflat, k):
                    if i or j:
                        view += blocks[i, j]
            else:
                dflat.fill(0)
                for i, j, view in plan.taps(dpadded, k):
                    view += blocks[i, j].reshape(view.shape)
            p = plan.p
            dA_prev[rows] = dpadded[:, :, p:p + plan.n_H_prev, p:p + plan.n_W_prev].transpose(1, 2, 3, 0)
    grads = {"dW": dW_mat[:K].reshape(W.shape), "db": dW_mat[K].reshape(b.shape)}
    if input_grad:
        grads = {"dA_prev": dA_prev, **grads}
    return grads
