"""The LSTM's forward pass + BPTT: a loop of cells against the sequence functions, and lib against PyTorch.

:func:`run` times ``lstm_forward`` / ``lstm_backward`` (the input products of
the four blocks and all steps hoisted into one product, one recurrent product
per step with the blocks stacked, the weight gradients one product each after
the loop) against a loop of ``lstm_cell_forward`` / the cell's backward step,
on the LSTM chapter's long-gap shape.

:func:`torch_rows` gives ``benchmarks.bench_torch`` its rows: ``lstm_forward``
+ ``lstm_backward`` in float32 against the same recurrence in PyTorch, a loop
with autograd over the six equations of :mod:`lib.lstm`
(``torch.sigmoid(v @ W_f.T + b_f)`` with ``v = [a; x]`` …), on the same
weights; the layout conversion for torch ((T_x, m, n) tensors) is done once,
outside the timed function. Shapes: the chapter's long-gap task (a batch of 32
sequences of 50 steps, n_x = 5 → n_a = 16), its language model (32 windows of
25 characters, 27 → 32) and B 64, T 100, 64 → 256.
"""
import numpy as np

from benchmarks.bench_rnn import sequence_rows
from benchmarks.harness import compare
from lib import lstm

#: (title, m, T_x, n_x, n_a) of the rows against PyTorch.
TORCH_SHAPES = [("LSTM B 32, T 50, 5 -> 16 (long gap)", 32, 50, 5, 16),
                ("LSTM B 32, T 25, 27 -> 32 (language model)", 32, 25, 27, 32),
                ("LSTM B 64, T 100, 64 -> 256", 64, 100, 64, 256)]


def _problem(m, T_x, n_x, n_a, dtype=np.float32, seed=0):
    """x (n_x, m, T_x), a0, the LSTM's parameters and the upstream da, in lib's layouts."""
    rng = np.random.default_rng(seed)
    p = {k: (v + 0.1 * rng.standard_normal(v.shape)).astype(dtype)
         for k, v in lstm.initialize_lstm(n_x, n_a, seed=seed).items()}
    x = rng.standard_normal((n_x, m, T_x)).astype(dtype)
    a0 = np.zeros((n_a, m), dtype=dtype)
    da = rng.standard_normal((n_a, m, T_x)).astype(dtype)
    return x, a0, p, da


def _torch_side(torch, x, a0, p, da):
    """The LSTM's equations in torch, a loop with autograd; tensors (T_x, m, n) made here, outside the timing."""
    tx = torch.tensor(np.ascontiguousarray(x.transpose(2, 1, 0)), requires_grad=True)        # (T_x, m, n_x)
    ta0 = torch.tensor(np.ascontiguousarray(a0.T), requires_grad=True)
    w = {k: torch.tensor(v if k[0] != "b" else v[:, 0], requires_grad=True) for k, v in p.items()}
    tda = torch.tensor(np.ascontiguousarray(da.transpose(2, 1, 0)))
    leaves = [tx, ta0, *w.values()]

    def run():
        a, c, states = ta0, torch.zeros_like(ta0), []
        for t in range(tx.shape[0]):
            v = torch.cat([a, tx[t]], dim=1)                                 # [a<t-1>; x<t>], by rows
            f = torch.sigmoid(v @ w["W_f"].T + w["b_f"])
            u = torch.sigmoid(v @ w["W_u"].T + w["b_u"])
            c_tilde = torch.tanh(v @ w["W_c"].T + w["b_c"])
            o = torch.sigmoid(v @ w["W_o"].T + w["b_o"])
            c = f * c + u * c_tilde
            a = o * torch.tanh(c)
            states.append(a)
        torch.autograd.backward(torch.stack(states), tda)
        for leaf in leaves:
            leaf.grad = None
    return run


def torch_rows(torch):
    """Rows for ``benchmarks.bench_torch``: lstm_forward + lstm_backward against torch, float32."""
    return sequence_rows(TORCH_SHAPES, _problem, lstm.lstm_forward, lstm.lstm_backward,
                         lambda *arrays: _torch_side(torch, *arrays), lambda *arrays: None)


def _per_step(x, a0, p, da):
    """Forward and BPTT with the cell, one step at a time (the teaching form); the weight gradients summed."""
    caches, a_prev, c_prev = [], a0, np.zeros_like(a0)
    for t in range(x.shape[2]):
        a_prev, cache = lstm.lstm_cell_forward(x[:, :, t], a_prev, c_prev, p)
        c_prev = lstm.cell_state(cache)
        caches.append(cache)
    da_next, dc_next, total = np.zeros_like(a0), np.zeros_like(a0), None
    for t in reversed(range(x.shape[2])):
        g = lstm._lstm_cell_backward(da[:, :, t] + da_next, dc_next, caches[t])
        da_next, dc_next = g["da_prev"], g["dc_prev"]
        total = g if total is None else {k: total[k] + g[k] for k in g if k.startswith("d") and k[1] in "Wb"}
    return total


def run():
    title, m, T_x, n_x, n_a = TORCH_SHAPES[0]
    x, a0, p, da = _problem(m, T_x, n_x, n_a, dtype=np.float64)

    def loop_of_cells():
        _per_step(x, a0, p, da)

    def sequence():
        lstm.lstm_backward(da, lstm.lstm_forward(x, a0, p)[1])

    compare(f"{title}, float64: per-step cells vs lstm_forward/backward",
            loop_of_cells, sequence, names=("lstm_cell_* per step", "lstm_forward/backward"),
            per_call=m, unit="sequences")


if __name__ == "__main__":
    run()
