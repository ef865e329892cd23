"""Scaled dot-product attention, forward + backward: batched matmul against one example at a time,
and against PyTorch CPU.

``run()``: batch m = 32, T_q = T_k = 20 positions, d_k = d_v = 64 (float64),
causal mask. The baseline is the plain formulation, a Python loop over the 32
examples with 2-d matrix products
(``lib.attention.scaled_dot_product_attention_loop_forward`` and its
backward); the candidate is the batched form the chapter shows, the same
arithmetic as stacked ``matmul`` calls over all examples at once.

``torch_rows(torch)`` (collected by ``benchmarks/bench_torch.py``): float32,
no mask, the public pair ``scaled_dot_product_attention_forward`` /
``_backward`` against the same maths in torch with autograd
(``softmax(Q K^T / sqrt(d)) V``, then ``backward``); the ceiling is the six
batched products of the two passes in bare ``np.matmul``.
"""
import math

import numpy as np

from benchmarks.harness import compare
from lib import attention as A

TORCH_SHAPES = ((32, 20, 64), (16, 128, 64))


def run():
    rng = np.random.default_rng(0)
    m, T, d = 32, 20, 64
    Q, K, V = (rng.standard_normal((m, T, d)) for _ in range(3))
    dout = rng.standard_normal((m, T, d))
    mask = np.tril(np.ones((T, T), dtype=bool))

    def loop():
        _, cache = A.scaled_dot_product_attention_loop_forward(Q, K, V, mask)
        return A.scaled_dot_product_attention_loop_backward(dout, cache)

    def batched():
        _, cache = A.scaled_dot_product_attention_forward(Q, K, V, mask)
        return A.scaled_dot_product_attention_backward(dout, cache)

    g_loop, g_batch = loop(), batched()
    assert all(np.allclose(g_loop[k], g_batch[k]) for k in g_loop)
    return compare(f"scaled dot-product attention forward + backward, m={m}, T={T}, d={d}, float64",
                   loop, batched, names=("loop over examples (2-d @)", "batched matmul"),
                   per_call=m, unit="sequences")


def _torch_row(torch, m, T, d):
    from benchmarks.bench_torch import Row

    rng = np.random.default_rng(0)
    Q, K, V, dout = (rng.standard_normal((m, T, d)).astype(np.float32) for _ in range(4))
    scale = 1.0 / math.sqrt(d)

    def lib_side():
        _, cache = A.scaled_dot_product_attention_forward(Q, K, V)
        return A.scaled_dot_product_attention_backward(dout, cache)

    # layout conversion (numpy → tensors) outside the timed function
    tQ, tK, tV = (torch.from_numpy(x.copy()).requires_grad_() for x in (Q, K, V))
    t_dout = torch.from_numpy(dout.copy())

    def torch_side():
        for t in (tQ, tK, tV):
            t.grad = None
        P = torch.softmax((tQ @ tK.transpose(-1, -2)) * scale, dim=-1)
        (P @ tV).backward(t_dout)
        return tQ.grad, tK.grad, tV.grad

    KT, VT = np.ascontiguousarray(K.transpose(0, 2, 1)), np.ascontiguousarray(V.transpose(0, 2, 1))
    S = np.empty((m, T, T), np.float32)
    dP = np.empty((m, T, T), np.float32)
    out, dQ, dK, dV = (np.empty((m, T, d), np.float32) for _ in range(4))

    def ceiling():                                   # the six products, nothing else
        np.matmul(Q, KT, out=S)
        np.matmul(S, V, out=out)
        np.matmul(S.transpose(0, 2, 1), dout, out=dV)
        np.matmul(dout, VT, out=dP)
        np.matmul(dP, K, out=dQ)
        np.matmul(dP.transpose(0, 2, 1), Q, out=dK)

    ours = lib_side()
    theirs = torch_side()
    for key, g in zip(("dQ", "dK", "dV"), theirs):   # the same maths: the same gradients
        assert ours[key].dtype == np.float32
        assert np.allclose(ours[key], g.numpy(), rtol=1e-3, atol=1e-4), key
    return Row(f"attention B {m}, T {T}, d {d} (float32, fwd + bwd)", lib_side, torch_side, ceiling)


def torch_rows(torch):
    """Rows for ``benchmarks/bench_torch.py``: the two shapes of the issue."""
    return [_torch_row(torch, m, T, d) for m, T, d in TORCH_SHAPES]


if __name__ == "__main__":
    run()
