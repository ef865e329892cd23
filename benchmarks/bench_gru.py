"""The GRU's forward pass + BPTT: the cells' loop against the sequence functions, and lib against PyTorch.

:func:`run` times ``gru_forward`` / ``gru_backward`` (input products hoisted,
the gates' weights stacked so each step does two recurrent products, weight
gradients as one product each after the loop) against a loop of
``gru_cell_forward`` / ``gru_cell_backward``, on 20_backprop_through_time's shape.

:func:`torch_rows` gives ``benchmarks.bench_torch`` its rows: ``gru_forward``
+ ``gru_backward`` in float32 against the same recurrence in PyTorch, a loop
with autograd over the module docstring's four equations of :mod:`lib.gru`
(``torch.sigmoid(x_t @ W_z.T + a @ U_z.T + b_z)`` …), on the same weights;
the layout conversion for torch ((T_x, m, n) tensors) is done once, outside
the timed function. Shapes: 20_backprop_through_time's long-gap task (a batch of 64
sequences of 50 steps, n_x = 5 → n_a = 32) and B 64, T 100, 64 → 256. The
upstream gradient ``da`` is laid out as lib's layers return it (a view of a
array lib stores by rows), as in :mod:`benchmarks.bench_rnn`.
"""
import numpy as np

from benchmarks.bench_rnn import per_step, sequence_rows
from benchmarks.harness import compare
from lib import gru, rnn

#: (title, m, T_x, n_x, n_a) of the rows against PyTorch.
TORCH_SHAPES = [("GRU B 64, T 50, 5 -> 32 (20_backprop_through_time)", 64, 50, 5, 32),
                ("GRU B 64, T 100, 64 -> 256", 64, 100, 64, 256)]


def _problem(m, T_x, n_x, n_a, dtype=np.float32, seed=0):
    """x (n_x, m, T_x), a0, the GRU's parameters and the upstream da, in lib's layouts."""
    rng = np.random.default_rng(seed)
    p = {k: (v + 0.1 * rng.standard_normal(v.shape)).astype(dtype)
         for k, v in gru.initialize_gru(n_x, n_a, seed=seed).items()}
    x = rng.standard_normal((n_x, m, T_x)).astype(dtype)
    a0 = np.zeros((n_a, m), dtype=dtype)
    da = rnn._from_rows(rng.standard_normal((T_x, m, n_a)).astype(dtype))
    return x, a0, p, da


def _torch_side(torch, x, a0, p, da):
    """The GRU's equations in torch, a loop with autograd; tensors (T_x, m, n) made here, outside the timing."""
    tx = torch.tensor(np.ascontiguousarray(x.transpose(2, 1, 0)), requires_grad=True)        # (T_x, m, n_x)
    ta0 = torch.tensor(np.ascontiguousarray(a0.T), requires_grad=True)
    w = {k: torch.tensor(v if k[0] != "b" else v[:, 0], requires_grad=True) for k, v in p.items()}
    tda = torch.tensor(np.ascontiguousarray(da.transpose(2, 1, 0)))
    leaves = [tx, ta0, *w.values()]

    def run():
        a, states = ta0, []
        for t in range(tx.shape[0]):
            xt = tx[t]
            z = torch.sigmoid(xt @ w["W_z"].T + a @ w["U_z"].T + w["b_z"])
            r = torch.sigmoid(xt @ w["W_r"].T + a @ w["U_r"].T + w["b_r"])
            a_tilde = torch.tanh(xt @ w["W_h"].T + (r * a) @ w["U_h"].T + w["b_h"])
            a = a + z * (a_tilde - a)
            states.append(a)
        torch.autograd.backward(torch.stack(states), tda)
        for leaf in leaves:
            leaf.grad = None
    return run


def _ceiling(x, a0, p, da):
    """The products of gru_forward + gru_backward in bare np.matmul, on ready-made arrays of the same shapes."""
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    rng = np.random.default_rng(1)
    W, _, U_zr = gru._stacked(p)
    U_h = p["U_h"]
    x_rows = rnn._flat(rnn._rows(x))                     # (T_x·m, n_x)
    a = rng.standard_normal((T_x, m, n_a)).astype(x.dtype)
    d = rng.standard_normal((T_x, m, 3 * n_a)).astype(x.dtype)
    a_rows, d_rows = rnn._flat(a), rnn._flat(d)

    def run():
        x_rows @ W.T                                     # the input terms of all gates and steps
        for t in range(T_x):                             # forward, step by step
            a[t] @ U_zr.T
            a[t] @ U_h.T
        for t in range(T_x):                             # backward, step by step
            d[t, :, 2 * n_a:] @ U_h
            d[t, :, :2 * n_a] @ U_zr
        d_rows.T @ x_rows                                # dW
        d_rows[:, :2 * n_a].T @ a_rows                   # dU_z, dU_r
        d_rows[:, 2 * n_a:].T @ a_rows                   # dU_h
        d_rows @ W                                       # dx
    return run


def torch_rows(torch):
    """Rows for ``benchmarks.bench_torch``: gru_forward + gru_backward against torch, float32."""
    return sequence_rows(TORCH_SHAPES, _problem, gru.gru_forward, gru.gru_backward,
                         lambda *arrays: _torch_side(torch, *arrays), _ceiling)


def run():
    title, m, T_x, n_x, n_a = TORCH_SHAPES[0]
    x, a0, p, da = _problem(m, T_x, n_x, n_a, dtype=np.float64)

    def loop_of_cells():
        per_step(gru.gru_cell_forward, gru.gru_cell_backward, x, da, a0, p)

    def sequence():
        gru.gru_backward(da, gru.gru_forward(x, a0, p)[1])

    compare(f"{title}, float64: per-step cells vs gru_forward/backward",
            loop_of_cells, sequence, names=("gru_cell_* per step", "gru_forward/backward"),
            per_call=m, unit="sequences")


if __name__ == "__main__":
    run()
