r"""Pooling layers: max and average over f × f windows, with their backward passes.

Chapter ``17_convolutional_networks`` (convolutional networks) uses them between convolutions. For images
A_prev of shape (m, n_H_prev, n_W_prev, n_C), window f and stride s, each channel
is pooled on its own:

.. math:: A_{h,w,c} = \max_{i,j<f} A^{prev}_{hs+i,\;ws+j,\;c}
          \quad\text{or}\quad \frac{1}{f^2}\sum_{i,j<f} A^{prev}_{hs+i,\;ws+j,\;c},

with n_H = ⌊(n_H_prev − f)/s⌋ + 1. Pooling has no parameters to learn.

``pool_forward`` returns ``(A, cache)`` and ``pool_backward(dA, cache)`` returns
``{"dA_prev": …}``; the cache has one form, ``(A_prev, hparameters)``.
"""
import numpy as np

from lib._checks import as_float, check_choice, check_positive_int, check_shape

MODES = ("max", "average")


def pool_forward_naive(A_prev, f=2, stride=2, mode="max"):
    """Pooling with the lecture's loops over examples, rows, columns and channels.

    Same arguments and result as :func:`pool_forward`.
    """
    A_prev, hp = _check_pool(A_prev, f, stride, mode)
    f, s, n_H, n_W = hp["f"], hp["stride"], hp["n_H"], hp["n_W"]
    reduce = np.max if mode == "max" else np.mean
    A = np.zeros((A_prev.shape[0], n_H, n_W, A_prev.shape[3]), dtype=A_prev.dtype)
    for i in range(A_prev.shape[0]):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(A_prev.shape[3]):
                    A[i, h, w, c] = reduce(A_prev[i, h * s:h * s + f, w * s:w * s + f, c])
    return A, (A_prev, hp)


def pool_forward(A_prev, f=2, stride=2, mode="max"):
    """Max or average pooling of every channel over f × f windows moved by ``stride``.

    Args:
        A_prev: (m, n_H_prev, n_W_prev, n_C). f: window size. stride: s.
        mode: "max" or "average".

    Returns:
        (A, cache): A of shape (m, n_H, n_W, n_C), n_H = ⌊(n_H_prev − f)/s⌋ + 1;
        cache = (A_prev, hparameters) for :func:`pool_backward`.
    """
    A_prev, hp = _check_pool(A_prev, f, stride, mode)
    return _pool(A_prev, hp), (A_prev, hp)


def _pool(A_prev, hp):
    f, s, n_H, n_W, mode = hp["f"], hp["stride"], hp["n_H"], hp["n_W"], hp["mode"]
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
    return A


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
        dA: ∂J/∂A, (m, n_H, n_W, n_C). cache: from :func:`pool_forward` or
            :func:`pool_forward_naive`.

    Returns:
        {"dA_prev": (m, n_H_prev, n_W_prev, n_C)}.
    """
    if not (isinstance(cache, tuple) and len(cache) == 2 and isinstance(cache[0], np.ndarray)
            and isinstance(cache[1], dict)):
        raise TypeError("cache: expected the (A_prev, hparameters) that pool_forward returned, "
                        f"got {type(cache).__name__}")
    A_prev, hp = cache
    f, s, n_H, n_W, mode = hp["f"], hp["stride"], hp["n_H"], hp["n_W"], hp["mode"]
    dA = as_float("dA", dA, ndim=4, meaning="(m, n_H, n_W, n_C)")
    check_shape("dA", dA, (A_prev.shape[0], n_H, n_W, A_prev.shape[3]), "(the pooled output's shape)")
    dA = dA.astype(A_prev.dtype, copy=False)
    dA_prev = np.zeros_like(A_prev)
    if mode == "max":
        A = _pool(A_prev, hp)
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
    return {"dA_prev": dA_prev}


def _check_pool(A_prev, f, stride, mode):
    A_prev = as_float("A_prev", A_prev, ndim=4, meaning="(m, n_H_prev, n_W_prev, n_C)")
    f = check_positive_int("f", f)
    s = check_positive_int("stride", stride)
    check_choice("mode", mode, MODES)
    n_H_prev, n_W_prev = A_prev.shape[1:3]
    if f > n_H_prev or f > n_W_prev:
        raise ValueError(f"f: the pool window {f} × {f} does not fit in the input "
                         f"{n_H_prev} × {n_W_prev} (A_prev of shape {A_prev.shape})")
    hp = {"f": f, "stride": s, "mode": mode,
          "n_H": (n_H_prev - f) // s + 1, "n_W": (n_W_prev - f) // s + 1}
    return A_prev, hp
