"""The RNN's forward pass + BPTT: a batch of 32 sequences at once versus one sequence at a time.

Shapes of the issue: 32 sequences of length T_x = 50, n_x = 27 inputs (one-hot
characters), n_a = 64 hidden units, n_y = 27 outputs; the work is
``lib.rnn.loss_and_gradients`` (forward, sequence loss, output layer, BPTT).
A second comparison, for the same batch: the per-step loop of
``rnn_cell_forward`` / ``rnn_cell_backward`` against ``rnn_forward`` /
``rnn_backward``, which move the input products and the weight gradients of
all steps into single matrix products.
"""
import numpy as np

from benchmarks.harness import compare
from lib import rnn

M, T_X, N_X, N_A = 32, 50, 27, 64


def _data(seed=0):
    rng = np.random.default_rng(seed)
    params = rnn.initialize_rnn(N_X, N_A, N_X, seed=seed)
    symbols = rng.integers(0, N_X, size=(M, T_X + 1))
    x = np.eye(N_X)[symbols[:, :-1]].transpose(2, 0, 1)
    return params, x, symbols[:, 1:]


def _per_step(x, da, a0, params):
    """Forward and BPTT with the cell functions, one step at a time (the teaching form)."""
    caches, a_prev = [], a0
    for t in range(x.shape[2]):
        a_prev, _, cache = rnn.rnn_cell_forward(x[:, :, t], a_prev, params)
        caches.append(cache)
    g_next, total = np.zeros_like(a0), None
    for t in reversed(range(x.shape[2])):
        g = rnn.rnn_cell_backward(da[:, :, t] + g_next, caches[t])
        g_next = g["da_prev"]
        total = g if total is None else {k: total[k] + g[k] for k in ("dW_ax", "dW_aa", "db_a")}
    return total


def run():
    params, x, y = _data()
    a0 = np.zeros((N_A, M))
    a0_one = np.zeros((N_A, 1))

    def batched():
        rnn.loss_and_gradients(x, y, a0, params)

    def one_at_a_time():
        for i in range(M):
            rnn.loss_and_gradients(x[:, i:i + 1], y[i:i + 1], a0_one, params)

    compare(f"RNN forward + BPTT, {M} sequences of length {T_X}, n_x={N_X}, n_a={N_A}",
            one_at_a_time, batched, names=("one sequence at a time (m=1)", f"batched (m={M})"),
            per_call=M, unit="sequences")

    da = np.random.default_rng(1).standard_normal((N_A, M, T_X))

    def loop_of_cells():
        _per_step(x, da, a0, params)

    def hoisted():
        rnn.rnn_backward(da, rnn.rnn_forward(x, a0, params)[2])

    compare(f"hidden-state forward + BPTT, batch of {M}: per-step cells vs hoisted products",
            loop_of_cells, hoisted, names=("rnn_cell_* per step", "rnn_forward/backward"),
            per_call=M, unit="sequences")


if __name__ == "__main__":
    run()
