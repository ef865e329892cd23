"""One training step of chapter ``22_attention``'s date translator: lib against PyTorch CPU, and float64 against float32.

The step is the one ``lib.seq2seq.train`` takes: forward (bidirectional GRU
encoder, additive attention, GRU decoder with teacher forcing), the mean
cross-entropy, backward, the gradients clipped to a global norm of 5
(``lib.optimizers.clip_by_norm``) and one Adam step
(``lib.optimizers.adam_update``, α = 0.01). The lib side calls the public
functions: ``seq2seq_loss``, ``clip_by_norm``, ``adam_update``. The model is
chapter ``22_attention``'s: n_a = 32 per encoder direction, n_s = 64, n_e = 32, 42 input and
11 output symbols, on a mini-batch of 64 training dates padded to the longest
(T_x = 27) and T_y = 10.

``torch_rows(torch)``: the same model written in torch with autograd, the same
maths to the letter (the lecture's GRU, :math:`a = a_{prev} + z(\\tilde a - a_{prev})`
with the reset gate inside :math:`U_h (r \\odot a_{prev})`, which ``torch.nn.GRU``
does not compute; the backward encoder reading each date within its own
length; masked additive attention), written as well as torch allows: the
input products of all steps hoisted before the loops, the three gates of a
GRU in one product, both encoder directions as one batched product, the
attention keys computed once; ``clip_grad_norm_`` and ``torch.optim.Adam``.
Before timing, the two losses and gradients are compared on the same
float32 weights. The ceiling is the matrix products of lib's step, at the
same shapes, in bare ``np.matmul``.

``run()``: lib's step in float64 (the chapter trains in float64) against the
same step in float32.
"""
import numpy as np

from benchmarks.harness import compare
from lib import dates as D
from lib import seq2seq as S
from lib.optimizers import adam_update, clip_by_norm
from lib.text import one_hot_sequences

SIZES = {"n_a": 32, "n_s": 64, "n_e": 32}
BATCH = 64
CLIP, LEARNING_RATE = 5.0, 0.01


def _batch():
    """The first 64 training dates of chapter ``22_attention``, trimmed to the longest: X, mask, Y."""
    data = S.prepare(D.load_dates(10000, 1000, 1000, seed=0)["train"][:BATCH])
    T = int(data["mask"].sum(axis=1).max())
    X = one_hot_sequences(data["x"][:, :T], len(D.INPUT_VOCAB))
    return X, data["mask"][:, :T], data["y"]


def _lib_step(dtype):
    parameters = {k: v.astype(dtype) for k, v in S.initialize_seq2seq(**SIZES, seed=0).items()}
    X, mask, Y = _batch()
    X = X.astype(dtype)
    state = {}

    def step():
        cost, grads = S.seq2seq_loss(parameters, X, mask, Y)
        grads, _ = clip_by_norm(grads, CLIP)
        adam_update(parameters, grads, state, LEARNING_RATE)
        return cost

    return step


def run():
    X, mask, _ = _batch()
    return compare(f"seq2seq training step, m={BATCH}, T_x={X.shape[2]}, T_y={D.T_Y}, "
                   f"n_a={SIZES['n_a']}, n_s={SIZES['n_s']}, n_e={SIZES['n_e']}",
                   _lib_step(np.float64), _lib_step(np.float32), names=("float64", "float32"),
                   per_call=BATCH, unit="dates")


# ---------------------------------------------------------------- the same model in torch

def _torch_model(torch, parameters, X, mask, Y):
    """Tensors of the parameters (requires_grad) and the loss, a function of no arguments."""
    F = torch.nn.functional
    P = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items()}
    n_x, m, T = X.shape
    n_y, T_y = parameters["out.W_y"].shape[0], Y.shape[1]
    rows, perm = np.arange(m)[:, None], S._reverse_within_length(mask)
    # layout conversion and constant inputs, outside the timed function
    Xs = torch.tensor(np.stack([X, X[:, rows, perm]]).reshape(2, n_x, m * T))
    t_rows, t_perm = torch.tensor(np.broadcast_to(rows, perm.shape).copy()), torch.tensor(perm)
    blocked = torch.tensor(np.where(mask, 0.0, -np.inf).astype(X.dtype))              # (m, T)
    Y_prev = S.shift_right(one_hot_sequences(Y, n_y)).astype(X.dtype)
    t_Y_prev = torch.tensor(Y_prev.transpose(0, 2, 1).reshape(n_y, T_y * m).copy())   # columns (t, i)
    target = torch.tensor(Y.T.reshape(-1))                                          # row t·m + i

    def gates(part):
        W = torch.cat([P[f"{part}.W_{g}"] for g in "zrh"])
        b = torch.cat([P[f"{part}.b_{g}"] for g in "zrh"])
        U_zr = torch.cat([P[f"{part}.U_z"], P[f"{part}.U_r"]])
        return W, b, U_zr, P[f"{part}.U_h"]

    def gru_step(g, a, U_zr, U_h, n):
        zr = torch.sigmoid(g[..., :2 * n, :] + U_zr @ a)
        z, r = zr[..., :n, :], zr[..., n:, :]
        a_tilde = torch.tanh(g[..., 2 * n:, :] + U_h @ (r * a))
        return a + z * (a_tilde - a)

    def loss():
        enc = [gates(part) for part in ("enc_f", "enc_b")]
        W, b, U_zr, U_h = (torch.stack(arrays) for arrays in zip(*enc))
        n = U_h.shape[-1]
        gx = (torch.bmm(W, Xs) + b).reshape(2, 3 * n, m, T)
        a = Xs.new_zeros(2, n, m)
        states = []
        for t in range(T):
            a = gru_step(gx[..., t], a, U_zr, U_h, n)
            states.append(a)
        A = torch.stack(states, dim=-1)                                   # (2, n, m, T)
        a_enc = torch.cat([A[0], A[1][:, t_rows, t_perm]])               # (2n, m, T)
        n_a2, n_e = 2 * n, P["att.W_s"].shape[0]
        keys = (P["att.W_a"] @ a_enc.reshape(n_a2, m * T)).reshape(n_e, m, T)
        a_m = a_enc.permute(1, 0, 2)                                     # (m, 2n, T)
        W, b, U_zr, U_h = gates("dec")
        n_s = U_h.shape[0]
        W_c = W[:, :n_a2]
        gy = (W[:, n_a2:] @ t_Y_prev + b).reshape(3 * n_s, T_y, m)
        s = Xs.new_zeros(n_s, m)
        states = []
        for t in range(T_y):
            h = torch.tanh(keys + (P["att.W_s"] @ s + P["att.b"])[:, :, None])
            e = (P["att.v"].T @ h.reshape(n_e, m * T)).reshape(m, T) + blocked
            alpha = torch.softmax(e, dim=1)
            c = torch.bmm(a_m, alpha[:, :, None])[:, :, 0].T             # (2n, m)
            s = gru_step(gy[:, t] + W_c @ c, s, U_zr, U_h, n_s)
            states.append(s)
        logits = P["out.W_y"] @ torch.stack(states) + P["out.b_y"]        # (T_y, n_y, m)
        return F.cross_entropy(logits.permute(0, 2, 1).reshape(T_y * m, n_y), target)

    return P, loss


def _ceiling(parameters, X):
    """The matrix products of one lib step (forward and backward), at lib's shapes, nothing else."""
    n_x, m, T = X.shape
    n_a, n_s, n_e = SIZES["n_a"], SIZES["n_s"], SIZES["n_e"]
    n_y, T_y, n_a2 = parameters["out.W_y"].shape[0], D.T_Y, 2 * n_a
    f = X.dtype
    r = np.random.default_rng(0)

    def arr(*shape):
        return r.standard_normal(shape).astype(f)

    # (a, b, repeats): the products of the kernels in lib/seq2seq.py
    products = [
        # encoder forward: hoisted inputs, per step one stacked U_zr and one U_h product
        ((3 * n_a, n_x), (n_x, m * T), 2), ((2, 2 * n_a, n_a), (2, n_a, m), T), ((2, n_a, n_a), (2, n_a, m), T),
        # keys, decoder inputs, per step: query, scores, context, W_c c, U_zr s, U_h (r s)
        ((n_e, n_a2), (n_a2, m * T), 1), ((3 * n_s, n_y), (n_y, T_y * m), 1),
        ((n_e, n_s), (n_s, m), T_y), ((1, n_e), (n_e, m * T), T_y), ((m, n_a2, T), (m, T, 1), T_y),
        ((3 * n_s, n_a2), (n_a2, m), T_y), ((2 * n_s, n_s), (n_s, m), T_y), ((n_s, n_s), (n_s, m), T_y),
        ((T_y, n_y, n_s), (T_y, n_s, m), 1),
        # backward: output layer, per decoder step: U_h^T, U_zr^T, W_c^T, dalpha, dv, W_s^T
        ((n_y, T_y * m), (T_y * m, n_s), 1), ((T_y, n_s, n_y), (T_y, n_y, m), 1),
        ((n_s, n_s), (n_s, m), T_y), ((n_s, 2 * n_s), (2 * n_s, m), T_y), ((n_a2, 3 * n_s), (3 * n_s, m), T_y),
        ((m, 1, n_a2), (m, n_a2, T), T_y), ((n_e, m * T), (m * T, 1), T_y), ((n_s, n_e), (n_e, m), T_y),
        # attention and decoder weight gradients, the context's share of da
        ((n_e, T_y * m), (T_y * m, n_s), 1), ((n_e, m * T), (m * T, n_a2), 1), ((n_a2, n_e), (n_e, m * T), 1),
        ((m, n_a2, T_y), (m, T_y, T), 1), ((3 * n_s, T_y * m), (T_y * m, n_a2 + n_y), 1),
        ((2 * n_s, T_y * m), (T_y * m, n_s), 1), ((n_s, T_y * m), (T_y * m, n_s), 1),
        # encoder backward: per step, stacked U_h^T and U_zr^T; then the weight gradients
        ((2, n_a, n_a), (2, n_a, m), T), ((2, n_a, 2 * n_a), (2, 2 * n_a, m), T),
        ((2, 2 * n_a, T * m), (2, T * m, n_a), 1), ((2, n_a, T * m), (2, T * m, n_a), 1),
        ((3 * n_a, T * m), (T * m, n_x), 2),
    ]
    operands = [(arr(*a), arr(*b), k) for a, b, k in products]

    def ceiling():
        for a, b, k in operands:
            for _ in range(k):
                np.matmul(a, b)

    return ceiling


def torch_rows(torch):
    """One row for ``benchmarks/bench_torch.py``: a training step of chapter ``22_attention``'s model, float32."""
    from benchmarks.bench_torch import Row

    X, mask, Y = _batch()
    X = X.astype(np.float32)
    parameters = {k: v.astype(np.float32) for k, v in S.initialize_seq2seq(**SIZES, seed=0).items()}
    P, loss = _torch_model(torch, parameters, X, mask, Y)

    # the same maths: the same loss and gradients on the same weights (a test, before any timing)
    cost, grads = S.seq2seq_loss(parameters, X, mask, Y)
    t_cost = loss()
    t_cost.backward()
    assert abs(cost - t_cost.item()) < 1e-5 * abs(cost), (cost, t_cost.item())
    for name, p in P.items():
        g, tg = grads["d" + name], p.grad.numpy()
        assert np.linalg.norm(g - tg) <= 1e-3 * np.linalg.norm(tg) + 1e-7, name

    lib_step = _lib_step(np.float32)
    tensors = list(P.values())
    optimizer = torch.optim.Adam(tensors, lr=LEARNING_RATE, foreach=True)

    def torch_step():
        optimizer.zero_grad(set_to_none=True)
        value = loss()
        value.backward()
        torch.nn.utils.clip_grad_norm_(tensors, CLIP, foreach=True)
        optimizer.step()
        return value

    return [Row(f"seq2seq train step B {BATCH}, T_x {X.shape[2]}, T_y {D.T_Y} (float32)",
                lib_step, torch_step, _ceiling(parameters, X))]


if __name__ == "__main__":
    run()
