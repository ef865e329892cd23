"""Scaled dot-product attention, forward + backward: batched matmul against one example at a time.

Shapes: batch m = 32, T_q = T_k = 20 positions, d_k = d_v = 64 (float64).
The baseline is the plain formulation, a Python loop over the 32 examples
with 2-d matrix products (``lib.attention.scaled_dot_product_attention_loop``
and its backward); the candidate is the batched form the chapter uses, the
same arithmetic as stacked ``matmul`` calls over all examples at once.
"""
import numpy as np

from benchmarks.harness import compare
from lib import attention as A


def run():
    rng = np.random.default_rng(0)
    m, T, d = 32, 20, 64
    Q, K, V = (rng.standard_normal((m, T, d)) for _ in range(3))
    dout = rng.standard_normal((m, T, d))
    mask = np.tril(np.ones((T, T), dtype=bool))

    def loop():
        out, w = A.scaled_dot_product_attention_loop(Q, K, V, mask)
        return A.scaled_dot_product_attention_loop_backward(dout, Q, K, V, w)

    def batched():
        _, cache = A.scaled_dot_product_attention(Q, K, V, mask)
        return A.scaled_dot_product_attention_backward(dout, cache)

    g_loop, g_batch = loop(), batched()
    assert all(np.allclose(g_loop[k], g_batch[k]) for k in g_loop)
    return compare(f"scaled dot-product attention forward + backward, m={m}, T={T}, d={d}, float64",
                   loop, batched, names=("loop over examples (2-d @)", "batched matmul"),
                   per_call=m, unit="sequences")


if __name__ == "__main__":
    run()
