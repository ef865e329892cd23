r"""Pooling layers: max and average over f × f windows, with their backward passes.

Chapter 11 (convolutional networks) uses them between convolutions. For images
A_prev of shape (m, n_H_prev, n_W_prev, n_C), window f and stride s, each channel
is pooled on its own:

.. math:: A_{h,w,c} = \max_{i,j<f} A^{prev}_{hs+i,\;ws+j,\;c}
          \quad\text{or}\quad \frac{1}{f^2}\sum_{i,j<f} A^{prev}_{hs+i,\;ws+j,\;c},

with n_H = ⌊(n_H_prev − f)/s⌋ + 1. Pooling has no parameters to learn.
"""
import numpy as np

from lib._checks import check_positive_int

MODES = ("max", "average")


def pool_forward_naive(A_prev, f=2, stride=2, mode="max"):
    """Pooling with the lecture's loops over examples, rows, columns and channels.

    Same arguments and result as :func:`pool_forward`.
    """
    A_prev, f, s, n_H, n_W = _check_pool(A_prev, f, stride, mode)
    reduce = np.max if mode == "max" else np.mean
    A = np.zeros((A_prev.shape[0], n_H, n_W, A_prev.shape[3]), dtype=A_prev.dtype)
    for i in range(A_prev.shape[0]):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(A_prev.shape[3]):
                    A[i, h, w, c] = reduce(A_prev[i, h * s:h * s + f, w * s:w * s + f, c])
    return A, (A_prev, f, s, mode)


def pool_forward(A_prev, f=2, stride=2, mode="max"):
    """Max or average pooling of every channel over f × f windows moved by ``stride``.

    Args:
        A_prev: (m, n_H_prev, n_W_prev, n_C). f: window size. stride: s.
        mode: "max" or "average".

    Returns:
        (A, cache): A of shape (m, n_H, n_W, n_C), n_H = ⌊(n_H_prev − f)/s⌋ + 1;
        the cache for :func:`pool_backward`.
    """
    A_prev, f, s, n_H, n_W = _check_pool(A_prev, f, stride, mode)
    # f·f whole-array operations, one per window position (i, j), instead of a
    # reduction over a strided view of every window: the same numbers, faster
    A = _tap(A_prev, 0, 0, f, s, n_H, n_W).copy()
    for i in range(f):
        for j in range(f):
            if i or j:
                tap = _tap(A_prev, i, j, f, s, n_H, n_W)
                if mode == "max":
                    np.maximum(A, tap, out=A)
                else:
                    A += tap
    if mode == "average":
        A /= f * f
    return A, (A_prev, f, s, mode)


def _tap(A_prev, i, j, f, s, n_H, n_W):
    """The input pixel at offset (i, j) of every window, (m, n_H, n_W, n_C) (a view)."""
    return A_prev[:, i:i + s * (n_H - 1) + 1:s, j:j + s * (n_W - 1) + 1:s, :]


def pool_backward(dA, cache):
    """Gradient of pooling with respect to its input.

    Max: each window's gradient goes to the one input that was the maximum (the
    first, if several tie), since only it changed the output. Average: it is
    shared equally, dA / f², among the window's f² inputs. Overlapping windows
    (s < f) add their shares. Done as f·f strided slice additions.

    Args:
        dA: ∂J/∂A, (m, n_H, n_W, n_C). cache: from :func:`pool_forward`.

    Returns:
        dA_prev of shape (m, n_H_prev, n_W_prev, n_C).
    """
    A_prev, f, s, mode = cache
    n_H = (A_prev.shape[1] - f) // s + 1
    n_W = (A_prev.shape[2] - f) // s + 1
    dA = np.asarray(dA)
    want = (A_prev.shape[0], n_H, n_W, A_prev.shape[3])
    if dA.shape != want:
        raise ValueError(f"dA: expected shape {want} (the pooled output's), got {dA.shape}")
    dA_prev = np.zeros(A_prev.shape, dtype=np.result_type(A_prev, dA))
    if mode == "max":
        A = pool_forward(A_prev, f, s, "max")[0]
        unclaimed = np.ones(A.shape, dtype=bool)    # windows whose maximum is still to find
    for i in range(f):
        for j in range(f):
            if mode == "max":
                first = unclaimed & (_tap(A_prev, i, j, f, s, n_H, n_W) == A)
                unclaimed &= ~first
                share = dA * first
            else:
                share = dA / (f * f)
            _tap(dA_prev, i, j, f, s, n_H, n_W)[...] += share
    return dA_prev


def _check_pool(A_prev, f, stride, mode):
    A_prev = np.asarray(A_prev)
    if A_prev.dtype not in (np.float32, np.float64):
        A_prev = A_prev.astype(np.float64)
    if A_prev.ndim != 4:
        raise ValueError(f"A_prev: expected a 4-d array (m, n_H_prev, n_W_prev, n_C), "
                         f"got shape {A_prev.shape}")
    f = check_positive_int("f", f)
    s = check_positive_int("stride", stride)
    if mode not in MODES:
        raise ValueError(f"mode: expected one of {MODES}, got {mode!r}")
    n_H_prev, n_W_prev = A_prev.shape[1:3]
    if f > n_H_prev or f > n_W_prev:
        raise ValueError(f"f: the pool window {f} × {f} does not fit in the input "
                         f"{n_H_prev} × {n_W_prev} (A_prev of shape {A_prev.shape})")
    return A_prev, f, s, (n_H_prev - f) // s + 1, (n_W_prev - f) // s + 1
