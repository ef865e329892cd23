"""Convolution speed: the lecture's loops, the taught im2col, the tuned lib.fast_conv, and PyTorch.

``run()`` (``python3 dev.py bench conv``, about a minute) compares, in float32 and float64:

1. ``conv.conv_forward_naive`` (the loops) against ``fast_conv.conv_forward``, on 4 images
   (target: the fast form at least 100× faster per image);
2. ``conv.conv_forward`` + ``conv.conv_backward`` (the plain im2col a chapter shows)
   against ``fast_conv.conv_forward`` + ``fast_conv.conv_backward`` (the CNN trains with these).

``torch_rows(torch)`` gives the rows of ``benchmarks/bench_torch.py``: forward + backward
(dA_prev, dW and db) of ``lib.fast_conv`` against ``torch.nn.functional.conv2d`` and autograd,
float32, on the same arrays (NCHW for torch, converted before timing: it is torch's own
layout), each row with its ceiling: the matrix products ``lib.fast_conv`` does, in bare
``np.matmul`` on ready-made arrays of the same shapes, layouts and chunks.

Both libraries allocate their outputs and temporaries afresh on every call. With glibc's
default settings, freed blocks of a few MB go back to the operating system and the next
call pays a page fault for every 4 KiB it touches; torch's times depend on this more than
lib's. :func:`keep_freed_memory` opts this process (and only it, never lib) into keeping
freed memory for reuse, to compare the two without that cost::

    python -c "import torch; torch.set_num_threads(2); from benchmarks import bench_torch as b, bench_conv as c; c.keep_freed_memory(); ..."
"""
import numpy as np

from benchmarks.bench_torch import Row
from benchmarks.harness import compare
from lib import conv, fast_conv

SHAPES = [
    # (title, A_prev shape, f, n_C, pad)
    ("(64, 28, 28, 1) -> 8 x 3x3, pad 1", (64, 28, 28, 1), 3, 8, 1),
    ("17_convolutional_networks (64, 28, 28, 3) -> 8 x 5x5, same", (64, 28, 28, 3), 5, 8, 2),
]

TORCH_SHAPES = [
    # (title, A_prev shape, n_C, f, pad); stride 1
    ("conv (64, 28, 28, 1) -> 8, 3x3, pad 1", (64, 28, 28, 1), 8, 3, 1),
    ("conv (64, 28, 28, 3) -> 8, 5x5, pad 2", (64, 28, 28, 3), 8, 5, 2),
    ("conv (32, 32, 32, 16) -> 32, 3x3, pad 1", (32, 32, 32, 16), 32, 3, 1),
]


def keep_freed_memory(mmap_threshold=64 * 2 ** 20, trim_threshold=256 * 2 ** 20):
    """Ask glibc to serve blocks below ``mmap_threshold`` bytes from its heap and to keep up
    to ``trim_threshold`` freed bytes for reuse, for this benchmark process only.

    Returns True where it took effect (glibc), False elsewhere.
    """
    import ctypes
    import ctypes.util

    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(-3, int(mmap_threshold))) and bool(mallopt(-1, int(trim_threshold)))


def _arrays(shape, f, n_C, dtype, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal(shape).astype(dtype)
    W = (rng.standard_normal((f, f, shape[3], n_C)) / np.sqrt(f * f * shape[3])).astype(dtype)
    b = rng.standard_normal((1, 1, 1, n_C)).astype(dtype)
    dZ = rng.standard_normal((shape[0], shape[1], shape[2], n_C)).astype(dtype)
    return A, W, b, dZ


def _fast_both(A, W, b, pad, dZ):
    def run():
        Z, cache = fast_conv.conv_forward(A, W, b, 1, pad)
        fast_conv.conv_backward(dZ, cache)
    return run


def _bare_matmuls(A, W, b, pad, dZ):
    """The products of fast_conv's forward + backward, on ready-made arrays.

    The same chunks of examples, the same shapes and memory layouts: per chunk, the
    forward product (colsᵀ · W_mat, or W_matᵀ · cols followed by nothing), cols · dZ_mat
    (dW and db) and W · dZ_matᵀ (the column gradient). Nothing else: no im2col, no
    col2im, no copies, no checks.
    """
    Z, cache = fast_conv.conv_forward(A, W, b, 1, pad)
    plan = fast_conv._Plan(A, W, cache[3])
    K, n_C, dtype = plan.K, plan.n_C, plan.dtype
    rng = np.random.default_rng(1)
    cols = rng.standard_normal((K + 1, plan.n * plan.P)).astype(dtype)
    W_mat = rng.standard_normal((K + 1, n_C)).astype(dtype)
    W_mat_T = np.ascontiguousarray(W_mat.T)
    W_rows = np.ascontiguousarray(W_mat[:K])
    dZ_mat = rng.standard_normal((plan.n * plan.P, n_C)).astype(dtype)
    out_rows = np.empty((plan.n * plan.P, n_C), dtype)
    out_cols = np.empty((n_C, plan.n * plan.P), dtype)
    part = np.empty((K + 1, n_C), dtype)
    dcols = np.empty((K, plan.n * plan.P), dtype)
    sizes = [(rows.stop - rows.start) * plan.P for rows in plan.chunks()]

    def run():
        for L in sizes:
            if plan.rows_out:
                np.matmul(cols[:, :L].T, W_mat, out=out_rows[:L])
            else:
                np.matmul(W_mat_T, cols[:, :L], out=out_cols[:, :L])
        for L in sizes:
            np.matmul(cols[:, :L], dZ_mat[:L], out=part)
            np.matmul(W_rows, dZ_mat[:L].T, out=dcols[:, :L])
    return run


def torch_rows(torch):
    """Rows for benchmarks/bench_torch.py: lib.fast_conv against torch, float32, forward + backward."""
    rows = []
    for title, shape, n_C, f, pad in TORCH_SHAPES:
        A, W, b, dZ = _arrays(shape, f, n_C, np.float32)
        # torch's own layout (NCHW), made once, before timing
        x = torch.from_numpy(np.ascontiguousarray(A.transpose(0, 3, 1, 2))).requires_grad_()
        w = torch.from_numpy(np.ascontiguousarray(W.transpose(3, 2, 0, 1))).requires_grad_()
        bias = torch.from_numpy(b.reshape(-1).copy()).requires_grad_()
        g = torch.from_numpy(np.ascontiguousarray(dZ.transpose(0, 3, 1, 2)))

        def torch_side(x=x, w=w, bias=bias, g=g, pad=pad):
            x.grad = w.grad = bias.grad = None
            torch.nn.functional.conv2d(x, w, bias, padding=pad).backward(g)
        rows.append(Row(title, _fast_both(A, W, b, pad, dZ), torch_side, _bare_matmuls(A, W, b, pad, dZ)))
    return rows


def check_torch_agrees(torch):
    """Assert that each torch row computes what lib computes (values and the three gradients)."""
    for title, shape, n_C, f, pad in TORCH_SHAPES:
        A, W, b, dZ = _arrays((2,) + shape[1:], f, n_C, np.float64)      # two images suffice
        x = torch.from_numpy(np.ascontiguousarray(A.transpose(0, 3, 1, 2))).requires_grad_()
        w = torch.from_numpy(np.ascontiguousarray(W.transpose(3, 2, 0, 1))).requires_grad_()
        bias = torch.from_numpy(b.reshape(-1).copy()).requires_grad_()
        out = torch.nn.functional.conv2d(x, w, bias, padding=pad)
        out.backward(torch.from_numpy(np.ascontiguousarray(dZ.transpose(0, 3, 1, 2))))
        Z, cache = fast_conv.conv_forward(A, W, b, 1, pad)
        grads = fast_conv.conv_backward(dZ, cache)
        np.testing.assert_allclose(Z, out.detach().numpy().transpose(0, 2, 3, 1), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(grads["dA_prev"], x.grad.numpy().transpose(0, 2, 3, 1), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(grads["dW"], w.grad.numpy().transpose(2, 3, 1, 0), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(grads["db"].reshape(-1), bias.grad.numpy(), rtol=1e-9, atol=1e-9)
        print(f"{title}: lib and torch agree")


def run():
    results = {}
    for title, shape, f, n_C, pad in SHAPES:
        for dtype in (np.float32, np.float64):
            name = np.dtype(dtype).name
            A, W, b, dZ = _arrays(shape, f, n_C, dtype)
            few = A[:4]
            loops = compare(f"conv forward, 4 images of {title}, {name}",
                            lambda: conv.conv_forward_naive(few, W, b, 1, pad),
                            lambda: fast_conv.conv_forward(few, W, b, 1, pad),
                            names=("conv.conv_forward_naive", "fast_conv.conv_forward"),
                            rounds=3, per_call=4, unit="images")

            def taught():
                Z, cache = conv.conv_forward(A, W, b, 1, pad)
                conv.conv_backward(dZ, cache)

            tuned = compare(f"forward + backward, {title}, {name}", taught, _fast_both(A, W, b, pad, dZ),
                            names=("conv (im2col as taught)", "fast_conv"),
                            rounds=7, per_call=shape[0], unit="images")
            results[(title, name)] = (loops["ratio"], tuned["ratio"])
    print("\nsummary (target: loops / fast >= 100)")
    for (title, name), (loops, tuned) in results.items():
        print(f"  {title:<46} {name:<8} loops/fast {loops:8.0f}x   taught im2col/fast {tuned:5.2f}x")
    return results


if __name__ == "__main__":
    run()
