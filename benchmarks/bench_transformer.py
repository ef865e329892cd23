"""Multi-head attention, forward + backward in float32: all heads in one batched call against a loop
over the heads; and the translator's cost per training step as the input length T grows.

``run()``:

1. m = 32 sequences, T = 20 positions, d_model = 64, 8 heads, float32, causal
   mask. The baseline is the plain formulation, one head at a time: slice
   the head's columns of W_q, W_k, W_v, run
   ``lib.attention.scaled_dot_product_attention_forward`` on them, concatenate,
   mix with W_o (and the backward pass head by head). The candidate is
   ``lib.transformer.multi_head_attention_forward`` / ``_backward``, which
   projects once for all heads and runs every (example, head) pair in one
   batched call. Both give the same gradients (checked before timing).
2. One training step of ``lib.translator`` (forward, backward, in float32,
   d_model = 32, 4 heads, 2 layers, 64 examples) for T_x = 8 … 128 input
   characters: self-attention's T_x² scores against the linear parts.

``torch_rows(torch)`` (collected by ``benchmarks/bench_torch.py``): the
public pair against the same maths in torch with autograd, float32, no mask;
the ceiling is the projections and the six batched products in bare ``np.matmul``.
"""
import math
import time

import numpy as np

from benchmarks.harness import compare
from lib import attention as A
from lib import transformer as TF
from lib import translator as TR

TORCH_SHAPES = ((32, 20, 64, 8), (16, 128, 64, 8))


def _per_head(X, p, n_heads, mask, dout):
    """Forward and backward one head at a time (the formulation a test checks the layer against)."""
    d_model = X.shape[2]
    d_k = d_model // n_heads
    heads, caches = [], []
    for h in range(n_heads):
        cols = slice(h * d_k, (h + 1) * d_k)
        out, cache = A.scaled_dot_product_attention_forward(X @ p["W_q"][:, cols], X @ p["W_k"][:, cols],
                                                            X @ p["W_v"][:, cols], mask)
        heads.append(out)
        caches.append(cache)
    concat = np.concatenate(heads, axis=2)
    rows = X.reshape(-1, d_model)
    grads = {"dW_o": concat.reshape(-1, d_model).T @ dout.reshape(-1, d_model)}
    dconcat = dout @ p["W_o"].T
    dX = np.zeros_like(X)
    for name in ("dW_q", "dW_k", "dW_v"):
        grads[name] = np.empty_like(p["W_q"])
    for h in range(n_heads):
        cols = slice(h * d_k, (h + 1) * d_k)
        g = A.scaled_dot_product_attention_backward(np.ascontiguousarray(dconcat[:, :, cols]), caches[h])
        for key, W in (("Q", "W_q"), ("K", "W_k"), ("V", "W_v")):
            grads["d" + W][:, cols] = rows.T @ g["d" + key].reshape(-1, d_k)
            dX += g["d" + key] @ p[W][:, cols].T
    grads["dX"] = dX
    return grads


def _mha_run():
    rng = np.random.default_rng(0)
    m, T, d, heads = 32, 20, 64, 8
    X = rng.standard_normal((m, T, d)).astype(np.float32)
    dout = rng.standard_normal((m, T, d)).astype(np.float32)
    p = {k: v.astype(np.float32) for k, v in TF.initialize_multi_head_attention(d, heads, seed=0).items()}
    mask = TF.causal_mask(T)

    def loop():
        return _per_head(X, p, heads, mask, dout)

    def batched():
        _, cache = TF.multi_head_attention_forward(X, X, p, heads, mask=mask)
        g = TF.multi_head_attention_backward(dout, cache)
        return {**g, "dX": g["dX_q"] + g["dX_kv"]}

    a, b = loop(), batched()
    for key in ("dX", "dW_q", "dW_k", "dW_v", "dW_o"):
        assert np.allclose(a[key], b[key], rtol=1e-3, atol=1e-3), key
    return compare(f"multi-head self-attention forward + backward, m={m}, T={T}, d_model={d}, "
                   f"{heads} heads, float32", loop, batched,
                   names=("loop over heads", "all heads batched"), per_call=m, unit="sequences")


def step_seconds(T_x, m=64, T_y=10, repeats=5, seed=0):
    """Median seconds of one translator training step (forward + backward) on inputs of T_x characters."""
    rng = np.random.default_rng(seed)
    p = {k: v.astype(np.float32) for k, v in TR.initialize_translator(d_model=32, n_heads=4, d_ff=64,
                                                                       n_layers=2, seed=0).items()}
    x = rng.integers(1, TR.N_X, size=(m, T_x))
    mask = np.ones((m, T_x), bool)
    y = rng.integers(0, TR.N_Y, size=(m, T_y))
    TR._loss(p, x, mask, y, 4)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        TR._loss(p, x, mask, y, 4)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def run():
    _mha_run()
    print("\ntranslator training step (d_model 32, 4 heads, 2 + 2 layers, m = 64, T_y = 10, float32)")
    for T_x in (8, 16, 32, 64, 128):
        print(f"  T_x = {T_x:4d}: {1e3 * step_seconds(T_x):7.1f} ms per step")


def _torch_row(torch, m, T, d, heads):
    from benchmarks.bench_torch import Row

    rng = np.random.default_rng(0)
    X, dout = (rng.standard_normal((m, T, d)).astype(np.float32) for _ in range(2))
    p = {k: v.astype(np.float32) for k, v in TF.initialize_multi_head_attention(d, heads, seed=0).items()}
    d_k = d // heads

    def lib_side():
        _, cache = TF.multi_head_attention_forward(X, X, p, heads)
        return TF.multi_head_attention_backward(dout, cache)

    tX = torch.from_numpy(X.copy()).requires_grad_()
    tW = {k: torch.from_numpy(v.copy()).requires_grad_() for k, v in p.items()}
    t_dout = torch.from_numpy(dout.copy())

    def split(A):
        return A.reshape(m, T, heads, d_k).transpose(1, 2)

    def torch_side():
        for t in (tX, *tW.values()):
            t.grad = None
        Q, K, V = (split(tX @ tW[k]) for k in ("W_q", "W_k", "W_v"))
        P = torch.softmax((Q @ K.transpose(-1, -2)) / math.sqrt(d_k), dim=-1)
        out = (P @ V).transpose(1, 2).reshape(m, T, d) @ tW["W_o"]
        out.backward(t_dout)
        return tX.grad, tW["W_q"].grad

    rows = X.reshape(-1, d)
    W_qkv = np.concatenate([p["W_q"], p["W_k"], p["W_v"]], axis=1)
    QKV = np.empty((m * T, 3 * d), np.float32)
    Qh, Kh, Vh = (np.ascontiguousarray(rng.standard_normal((m * heads, T, d_k)).astype(np.float32))
                  for _ in range(3))
    S = np.empty((m * heads, T, T), np.float32)
    dP = np.empty_like(S)
    O, dQ, dK, dV = (np.empty((m * heads, T, d_k), np.float32) for _ in range(4))

    def ceiling():                                  # projections and attention products, nothing else
        np.matmul(rows, W_qkv, out=QKV)
        np.matmul(Qh, Kh.transpose(0, 2, 1), out=S)
        np.matmul(S, Vh, out=O)
        np.matmul(S.transpose(0, 2, 1), Vh, out=dV)
        np.matmul(Vh, Vh.transpose(0, 2, 1), out=dP)
        np.matmul(dP, Kh, out=dQ)
        np.matmul(dP.transpose(0, 2, 1), Qh, out=dK)
        _ = rows.T @ QKV                            # the weight gradients
        _ = QKV @ W_qkv.T                           # dX

    ours = lib_side()
    dX_t, dWq_t = torch_side()
    assert np.allclose(ours["dX_q"] + ours["dX_kv"], dX_t.numpy(), rtol=1e-3, atol=1e-3)
    assert np.allclose(ours["dW_q"], dWq_t.numpy(), rtol=1e-3, atol=1e-3)
    return Row(f"multi-head attn B {m}, T {T}, d {d}, {heads} heads (fp32)", lib_side, torch_side, ceiling)


def torch_rows(torch):
    """Rows for ``benchmarks/bench_torch.py``: the two shapes of the issue."""
    return [_torch_row(torch, m, T, d, h) for m, T, d, h in TORCH_SHAPES]


if __name__ == "__main__":
    run()
