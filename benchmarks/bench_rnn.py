"""The RNN's forward pass + BPTT: batched against one sequence at a time, the cells' loop against the hoisted products, and lib against PyTorch.

Shapes of the issue: 32 sequences of length T_x = 50, n_x = 27 inputs (one-hot
characters), n_a = 64 hidden units, n_y = 27 outputs; the work is
``lib.rnn.loss_and_gradients`` (forward, sequence loss, output layer, BPTT).
A second comparison, for the same batch: the per-step loop of
``rnn_cell_forward`` / ``rnn_cell_backward`` against ``rnn_forward`` /
``rnn_backward``, which move the input products and the weight gradients of
all steps into single matrix products.

:func:`torch_rows` gives ``benchmarks.bench_torch`` its rows: ``rnn_forward``
+ ``rnn_backward`` in float32 against the same recurrence in PyTorch, a loop
of ``torch.tanh(x_t @ W_ax.T + a @ W_aa.T + b_a)`` with autograd, on the same
weights; the layout conversion for torch ((T_x, m, n) tensors) is done once,
outside the timed function. The upstream gradient ``da`` that lib's side
takes is laid out as ``rnn_output_backward`` returns it in training (a view
of the array lib stores by rows, (T_x, m, n_a)); a plain C-ordered
(n_a, m, T_x) ``da`` costs one transposition more (:func:`run` prints it).
"""
import numpy as np

from benchmarks.harness import compare
from lib import rnn

M, T_X, N_X, N_A = 32, 50, 27, 64

#: (title, m, T_x, n_x, n_a) of the rows against PyTorch.
TORCH_SHAPES = [("RNN B 32, T 50, 27 -> 64", 32, 50, 27, 64),
                ("RNN B 64, T 100, 64 -> 256", 64, 100, 64, 256)]


def _data(seed=0):
    rng = np.random.default_rng(seed)
    params = rnn.initialize_rnn(N_X, N_A, N_X, seed=seed)
    symbols = rng.integers(0, N_X, size=(M, T_X + 1))
    x = np.eye(N_X)[symbols[:, :-1]].transpose(2, 0, 1)
    return params, x, symbols[:, 1:]


def per_step(cell_forward, cell_backward, x, da, a0, parameters):
    """Forward and BPTT with a cell pair, one step at a time (the teaching form); the weight gradients summed."""
    caches, a_prev = [], a0
    for t in range(x.shape[2]):
        a_prev, cache = cell_forward(x[:, :, t], a_prev, parameters)
        caches.append(cache)
    g_next, total = np.zeros_like(a0), None
    for t in reversed(range(x.shape[2])):
        g = cell_backward(da[:, :, t] + g_next, caches[t])
        g_next = g["da_prev"]
        total = g if total is None else {k: total[k] + g[k] for k in g if k not in ("dxt", "da_prev")}
    return total


def _float32_problem(m, T_x, n_x, n_a, seed=0):
    """x (n_x, m, T_x), a0, the cell's parameters and the upstream da, float32, in lib's layouts."""
    rng = np.random.default_rng(seed)
    p = {k: v.astype(np.float32) for k, v in rnn.initialize_rnn(n_x, n_a, 1, seed=seed).items()
         if k in ("W_ax", "W_aa", "b_a")}
    p["b_a"] += np.float32(0.1) * rng.standard_normal(p["b_a"].shape, dtype=np.float32)
    x = rng.standard_normal((n_x, m, T_x), dtype=np.float32)
    a0 = np.zeros((n_a, m), dtype=np.float32)
    da_rows = rng.standard_normal((T_x, m, n_a), dtype=np.float32)
    return x, a0, p, rnn._from_rows(da_rows)             # da as rnn_output_backward lays it out


def _torch_side(torch, x, a0, p, da):
    """The same recurrence in torch, a loop with autograd; tensors (T_x, m, n) made here, outside the timing."""
    tx = torch.tensor(np.ascontiguousarray(x.transpose(2, 1, 0)), requires_grad=True)        # (T_x, m, n_x)
    ta0 = torch.tensor(np.ascontiguousarray(a0.T), requires_grad=True)                       # (m, n_a)
    w_ax, w_aa = (torch.tensor(p[k], requires_grad=True) for k in ("W_ax", "W_aa"))
    b_a = torch.tensor(p["b_a"][:, 0], requires_grad=True)
    tda = torch.tensor(np.ascontiguousarray(da.transpose(2, 1, 0)))                          # (T_x, m, n_a)
    leaves = (tx, ta0, w_ax, w_aa, b_a)

    def run():
        a, states = ta0, []
        for t in range(tx.shape[0]):
            a = torch.tanh(tx[t] @ w_ax.T + a @ w_aa.T + b_a)
            states.append(a)
        torch.autograd.backward(torch.stack(states), tda)
        for leaf in leaves:
            leaf.grad = None
    return run


def _ceiling(x, a0, p, da):
    """The products of forward + backward in bare np.matmul, on ready-made arrays of the same shapes."""
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    rng = np.random.default_rng(1)
    x_rows = rnn._flat(rnn._rows(x))                     # (T_x·m, n_x)
    a = rng.standard_normal((T_x, m, n_a), dtype=np.float32)
    dz = rng.standard_normal((T_x, m, n_a), dtype=np.float32)
    a_rows, dz_rows = rnn._flat(a), rnn._flat(dz)
    W_ax, W_aa = p["W_ax"], p["W_aa"]

    def run():
        x_rows @ W_ax.T                                  # the input terms of all steps
        for t in range(T_x):
            a[t] @ W_aa.T                                # forward, step by step
        for t in range(T_x):
            dz[t] @ W_aa                                 # backward, step by step
        dz_rows.T @ x_rows                               # dW_ax
        dz_rows.T @ a_rows                               # dW_aa
        dz_rows @ W_ax                                   # dx
    return run


def sequence_rows(shapes, problem, forward, backward, torch_side, ceiling):
    """benchmarks.bench_torch rows for a recurrent layer: ``forward`` + ``backward`` on each shape's problem."""
    from benchmarks.bench_torch import Row

    rows = []
    for title, m, T_x, n_x, n_a in shapes:
        x, a0, p, da = problem(m, T_x, n_x, n_a)

        def lib_side(x=x, a0=a0, p=p, da=da):
            backward(da, forward(x, a0, p)[1])

        rows.append(Row(title, lib_side, torch_side(x, a0, p, da), ceiling(x, a0, p, da)))
    return rows


def torch_rows(torch):
    """Rows for ``benchmarks.bench_torch``: rnn_forward + rnn_backward against torch, float32."""
    return sequence_rows(TORCH_SHAPES, _float32_problem, rnn.rnn_forward, rnn.rnn_backward,
                         lambda *arrays: _torch_side(torch, *arrays), _ceiling)


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
        per_step(rnn.rnn_cell_forward, rnn.rnn_cell_backward, x, da, a0, params)

    def hoisted():
        rnn.rnn_backward(da, rnn.rnn_forward(x, a0, params)[1])

    compare(f"hidden-state forward + BPTT, batch of {M}: per-step cells vs hoisted products",
            loop_of_cells, hoisted, names=("rnn_cell_* per step", "rnn_forward/backward"),
            per_call=M, unit="sequences")

    title, m, T_x, n_x, n_a = TORCH_SHAPES[-1]
    x32, a0_32, p32, da_view = _float32_problem(m, T_x, n_x, n_a)
    da_c = np.ascontiguousarray(da_view)

    def with_view():
        rnn.rnn_backward(da_view, rnn.rnn_forward(x32, a0_32, p32)[1])

    def with_c_order():
        rnn.rnn_backward(da_c, rnn.rnn_forward(x32, a0_32, p32)[1])

    compare(f"{title}, float32: da laid out as in training vs a C-ordered (n_a, m, T_x) da",
            with_c_order, with_view, names=("C-ordered da", "view of rows"))


if __name__ == "__main__":
    run()
