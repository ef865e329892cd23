"""Convolution speed: the lecture's loops against im2col, and im2col against its own matmuls.

Two figures, on the shape of the issue, (64, 28, 28, 1) → 8 filters of 3×3, pad 1,
and on chapter 11's first layer, (64, 28, 28, 3) → 8 filters of 5×5, "same",
each in float32 and float64:

1. ``conv_forward`` against ``conv_forward_naive`` (target: at least 100× faster);
2. ``conv_forward`` + ``conv_backward`` against the three bare matrix products they
   contain, multiplied with ``np.matmul`` on ready-made arrays of the same shapes and
   layouts (target: at most 3× their time: the data movement around the products, im2col
   and col2im, costs no more than twice the arithmetic).
   For comparison it also times the same products in the per-example orientation, the
   fastest layout of them, a stricter ceiling.

Run with ``python3 dev.py bench conv``; it takes about a minute and a half.
"""
import numpy as np

from benchmarks.harness import compare
from lib import conv
from lib.conv import conv_backward, conv_forward, conv_forward_naive

SHAPES = [
    # (title, A_prev shape, f, n_C, pad)
    ("issue shape (64, 28, 28, 1) -> 8 x 3x3, pad 1", (64, 28, 28, 1), 3, 8, 1),
    ("chapter 11 (64, 28, 28, 3) -> 8 x 5x5, same", (64, 28, 28, 3), 5, 8, 2),
]


def _arrays(shape, f, n_C, dtype, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=shape).astype(dtype)
    W = rng.normal(size=(f, f, shape[3], n_C)).astype(dtype)
    b = rng.normal(size=(1, 1, 1, n_C)).astype(dtype)
    return A, W, b


def _bare_matmuls(A, W, b, pad, dZ):
    """The products of forward + backward, on ready-made arrays of the same shapes and layouts.

    The columns come from a real forward pass (one block per chunk of examples), so the
    products are exactly those ``conv_forward`` and ``conv_backward`` compute:
    colsᵀ · W_mat (or W_matᵀ · cols, for long columns), cols · dZ_mat (one product per
    example) and W · dZ_matᵀ.
    """
    _, cache = conv_forward(A, W, b, 1, pad)
    blocks = cache[4]
    m, n_C = A.shape[0], W.shape[3]
    K = blocks[0].shape[0] - 1
    W_mat = np.concatenate([W.reshape(K, n_C), b.reshape(1, n_C)])
    W_mat_T = np.ascontiguousarray(W_mat.T)
    W_rows = np.ascontiguousarray(W_mat[:K])
    P = sum(cols.shape[1] for cols in blocks) // m                  # positions per example
    rng = np.random.default_rng(1)
    dZ_mats = [rng.normal(size=(cols.shape[1], n_C)).astype(dZ.dtype) for cols in blocks]

    def run():
        for cols, dZ_mat in zip(blocks, dZ_mats):
            n = cols.shape[1] // P
            if K + 1 <= conv._SHORT_COLUMNS:
                np.matmul(cols.T, W_mat)
            else:
                np.matmul(W_mat_T, cols)
            np.matmul(cols.reshape(K + 1, n, P).transpose(1, 0, 2), dZ_mat.reshape(n, P, n_C))
            np.matmul(W_rows, dZ_mat.T)
    return run


def _bare_matmuls_per_example(A, W, dZ):
    """The same three products in the per-example orientation, W_mat · cols_e with the
    output positions along the rows of cols_e: the fastest layout of them we measured,
    a stricter ceiling than the design's own (it needs channels-first outputs, which
    cost a transpose each way)."""
    m, n_H, n_W, _ = dZ.shape
    K, n_C = W[..., 0].size, W.shape[3]
    rng = np.random.default_rng(1)
    W_mat = rng.normal(size=(n_C, K)).astype(dZ.dtype)
    W_mat_T = np.ascontiguousarray(W_mat.T)
    cols = rng.normal(size=(m, K, n_H * n_W)).astype(dZ.dtype)
    dZ_mat = rng.normal(size=(m, n_C, n_H * n_W)).astype(dZ.dtype)

    def run():
        np.matmul(W_mat, cols)
        np.matmul(cols, dZ_mat.transpose(0, 2, 1))
        np.matmul(W_mat_T, dZ_mat)
    return run


def run():
    results = {}
    for title, shape, f, n_C, pad in SHAPES:
        m, n_H, n_W, n_C_prev = shape
        for dtype in (np.float32, np.float64):
            name = np.dtype(dtype).name
            A, W, b = _arrays(shape, f, n_C, dtype)
            Z, cache = conv_forward(A, W, b, 1, pad)
            dZ = np.random.default_rng(2).normal(size=Z.shape).astype(dtype)
            speed = compare(f"conv forward, {title}, {name}",
                            lambda: conv_forward_naive(A, W, b, 1, pad),
                            lambda: conv_forward(A, W, b, 1, pad),
                            names=("conv_forward_naive (loops)", "conv_forward (im2col)"),
                            rounds=3, per_call=m, unit="images")

            def both():
                _, c = conv_forward(A, W, b, 1, pad)
                conv_backward(dZ, c)

            ceiling = compare(f"forward + backward vs their bare matmuls, {title}, {name}",
                              _bare_matmuls(A, W, b, pad, dZ), both,
                              names=("bare np.matmul x3", "conv_forward + conv_backward"),
                              rounds=7, per_call=m, unit="images")
            strict = compare(f"forward + backward vs the products per example, {title}, {name}",
                             _bare_matmuls_per_example(A, W, dZ), both,
                             names=("bare np.matmul x3, per example", "conv_forward + conv_backward"),
                             rounds=7, per_call=m, unit="images")
            results[(title, name)] = (speed["ratio"], 1 / ceiling["ratio"], 1 / strict["ratio"])
    print("\nsummary (targets: naive/fast >= 100, (fwd+bwd)/matmuls <= 3)")
    for (title, name), (speedup, overhead, strict) in results.items():
        print(f"  {title:<48} {name:<8} naive/fast {speedup:8.0f}x   "
              f"(fwd+bwd)/matmuls {overhead:5.2f}x   (per-example products: {strict:5.2f}x)")
    return results


if __name__ == "__main__":
    run()
