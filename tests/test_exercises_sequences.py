"""What the checkers of Part V (sequence models) accept, and what they reject with which diagnosis."""
import numpy as np
import pytest

from checking import assert_rejected, verdict
from lib import lstm, rnn, text
from lib.exercises import (check_lstm_cell_forward, check_one_hot_sequences, check_rnn_cell_forward,
                           check_rnn_step_backward)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ----------------------------------------------------------------- one_hot_sequences (chapter 18)
def eye_one_hot(indices, n_x):
    return np.eye(n_x)[indices]                                   # (m, T_x, n_x)


def examples_first_one_hot(indices, n_x):
    return np.eye(n_x)[indices].transpose(0, 2, 1)                # (m, n_x, T_x)


def time_second_one_hot(indices, n_x):
    return np.eye(n_x)[indices].transpose(2, 1, 0)                # (n_x, T_x, m)


def one_based_one_hot(indices, n_x):
    return np.eye(n_x)[indices - 1].transpose(2, 0, 1)            # symbol k in row k - 1


def extra_row_one_hot(indices, n_x):
    return np.eye(n_x + 1)[indices + 1].transpose(2, 0, 1)        # rows 1 … n_x, an empty row 0


def slices_one_hot(indices, n_x):
    x = np.zeros((n_x,) + indices.shape)
    x[indices, :, :] = 1.0                                        # whole (m, T_x) slices, not one entry each
    return x


def looped_one_hot(indices, n_x):
    m, T_x = indices.shape
    x = np.zeros((n_x, m, T_x))
    for i in range(m):
        for t in range(T_x):
            x[indices[i, t], i, t] = 1
    return x


def bool_one_hot(indices, n_x):
    return np.arange(n_x)[:, None, None] == indices[None, :, :]


# ----------------------------------------------------------------- rnn_cell_forward (chapter 19)
def no_bias_cell(xt, a_prev, p):
    return np.tanh(p["W_aa"] @ a_prev + p["W_ax"] @ xt)


def sigmoid_cell(xt, a_prev, p):
    return sigmoid(p["W_aa"] @ a_prev + p["W_ax"] @ xt + p["b_a"])


def no_tanh_cell(xt, a_prev, p):
    return p["W_aa"] @ a_prev + p["W_ax"] @ xt + p["b_a"]


def swapped_cell(xt, a_prev, p):
    return np.tanh(p["W_ax"] @ a_prev + p["W_aa"] @ xt + p["b_a"])


def transposed_W_aa_cell(xt, a_prev, p):
    return np.tanh(p["W_aa"].T @ a_prev + p["W_ax"] @ xt + p["b_a"])


def transposed_W_ax_cell(xt, a_prev, p):
    return np.tanh(p["W_aa"] @ a_prev + p["W_ax"].T @ xt + p["b_a"])


def no_recurrence_cell(xt, a_prev, p):
    return np.tanh(p["W_ax"] @ xt + p["b_a"])


def rows_cell(xt, a_prev, p):
    return np.tanh(a_prev.T @ p["W_aa"].T + xt.T @ p["W_ax"].T + p["b_a"].T)     # (m, n_a)


def float64_cell(xt, a_prev, p):
    return np.tanh(p["W_aa"] @ a_prev + p["W_ax"] @ xt + p["b_a"]).astype(np.float64)


def in_place_cell(xt, a_prev, p):
    a_prev += p["W_ax"] @ xt
    return np.tanh(p["W_aa"] @ (a_prev - p["W_ax"] @ xt) + p["W_ax"] @ xt + p["b_a"])


def square_only_cell(xt, a_prev, p):
    # right where n_x = n_a; elsewhere the product W_aa @ xt fails on its shapes
    return np.tanh(p["W_aa"] @ a_prev + p["W_ax"] @ xt + p["b_a"] + 0 * (p["W_aa"] @ xt))


# ----------------------------------------------------------------- rnn_step_backward (chapter 20)
def step(da_t, da_from_next, cache, factor=lambda a: 1 - a ** 2, add_next=True, after=False, t_aa=True,
         dW_aa_state="a_prev", db=lambda dz: np.sum(dz, axis=1, keepdims=True), scale=1.0):
    p, a = cache["parameters"], cache["a_next"]
    if after:
        dz = da_t * factor(a) + da_from_next
    else:
        dz = ((da_t + da_from_next) if add_next else da_t) * factor(a)
    dz = dz * scale
    return {"dxt": p["W_ax"].T @ dz, "da_prev": (p["W_aa"].T if t_aa else p["W_aa"]) @ dz,
            "dW_ax": dz @ cache["xt"].T, "dW_aa": dz @ cache[dW_aa_state].T, "db_a": db(dz)}


def good_step(da_t, da_from_next, cache):
    return step(da_t, da_from_next, cache)


def no_tanh_prime_step(da_t, da_from_next, cache):
    return step(da_t, da_from_next, cache, factor=lambda a: 1)


def tanh_twice_step(da_t, da_from_next, cache):
    return step(da_t, da_from_next, cache, factor=lambda a: 1 - np.tanh(a) ** 2)


def no_next_step(da_t, da_from_next, cache):
    return step(da_t, da_from_next, cache, add_next=False)


def added_after_step(da_t, da_from_next, cache):
    return step(da_t, da_from_next, cache, after=True)


def no_transpose_step(da_t, da_from_next, cache):
    return step(da_t, da_from_next, cache, t_aa=False)


def a_next_step(da_t, da_from_next, cache):
    return step(da_t, da_from_next, cache, dW_aa_state="a_next")


def transposed_dW_aa_step(da_t, da_from_next, cache):
    grads = step(da_t, da_from_next, cache)
    grads["dW_aa"] = grads["dW_aa"].T
    return grads


def flat_db_step(da_t, da_from_next, cache):
    return step(da_t, da_from_next, cache, db=lambda dz: np.sum(dz, axis=1))


def over_m_step(da_t, da_from_next, cache):
    return step(da_t, da_from_next, cache, scale=1 / da_t.shape[1])


def zeros_step(da_t, da_from_next, cache):
    return {k: np.zeros_like(v) for k, v in rnn.rnn_cell_backward(da_t, cache).items()}


# ----------------------------------------------------------------- lstm_cell_forward (chapter 21)
def lstm_step(xt, a_prev, c_prev, p, swap=False, tanh_c=True, carry=True, order="ax", candidate=np.tanh):
    concat = np.concatenate([a_prev, xt] if order == "ax" else [xt, a_prev])
    gamma_f = sigmoid(p["W_f"] @ concat + p["b_f"])
    gamma_u = sigmoid(p["W_u"] @ concat + p["b_u"])
    c_tilde = candidate(p["W_c"] @ concat + p["b_c"])
    gamma_o = sigmoid(p["W_o"] @ concat + p["b_o"])
    if swap:
        gamma_f, gamma_u = gamma_u, gamma_f
    c_next = (gamma_f * c_prev if carry else 0) + gamma_u * c_tilde
    return gamma_o * (np.tanh(c_next) if tanh_c else c_next), c_next


def good_lstm(xt, a_prev, c_prev, p):
    return lstm_step(xt, a_prev, c_prev, p)


def swapped_gates_lstm(xt, a_prev, c_prev, p):
    return lstm_step(xt, a_prev, c_prev, p, swap=True)


def no_tanh_lstm(xt, a_prev, c_prev, p):
    return lstm_step(xt, a_prev, c_prev, p, tanh_c=False)


def forgetful_lstm(xt, a_prev, c_prev, p):
    return lstm_step(xt, a_prev, c_prev, p, carry=False)


def xa_lstm(xt, a_prev, c_prev, p):
    return lstm_step(xt, a_prev, c_prev, p, order="xa")


def sigmoid_candidate_lstm(xt, a_prev, c_prev, p):
    return lstm_step(xt, a_prev, c_prev, p, candidate=sigmoid)


def c_then_a_lstm(xt, a_prev, c_prev, p):
    return lstm_step(xt, a_prev, c_prev, p)[::-1]


def lib_form_lstm(xt, a_prev, c_prev, p):
    return lstm.lstm_cell_forward(xt, a_prev, c_prev, p)          # (a_next, cache), not (a_next, c_next)


MISTAKES = [
    (check_one_hot_sequences, eye_one_hot, "laid out as (m, T_x, n_x)"),
    (check_one_hot_sequences, examples_first_one_hot, "laid out as (m, n_x, T_x)"),
    (check_one_hot_sequences, time_second_one_hot, "sequences are (n_x, m, T_x)"),
    (check_one_hot_sequences, one_based_one_hot, "off by one"),
    (check_one_hot_sequences, extra_row_one_hot, "n_x + 1"),
    (check_one_hot_sequences, slices_one_hot, "exactly one 1"),
    (check_one_hot_sequences, lambda indices, n_x: np.zeros((n_x,) + indices.shape), "every entry is 0"),
    (check_one_hot_sequences, lambda indices, n_x: indices, "one of the inputs, unchanged"),
    (check_rnn_cell_forward, no_bias_cell, "the bias b_a is missing"),
    (check_rnn_cell_forward, sigmoid_cell, "this is σ, not tanh"),
    (check_rnn_cell_forward, no_tanh_cell, "the tanh is missing"),
    (check_rnn_cell_forward, swapped_cell, "W_aa and W_ax are swapped"),
    (check_rnn_cell_forward, transposed_W_aa_cell, "W_aa is transposed"),
    (check_rnn_cell_forward, transposed_W_ax_cell, "W_ax is transposed"),
    (check_rnn_cell_forward, no_recurrence_cell, "the recurrent term W_aa a<t−1> is missing"),
    (check_rnn_cell_forward, rows_cell, "did you transpose?"),
    (check_rnn_cell_forward, float64_cell, "float32 in gave float64 out"),
    (check_rnn_cell_forward, in_place_cell, "modified its input"),
    (check_rnn_cell_forward, square_only_cell, "W_aa (n_a, n_a) multiplies a_prev"),
    (check_rnn_cell_forward, lambda xt, a_prev, p: np.zeros_like(a_prev), "every entry is 0"),
    (check_rnn_cell_forward, lambda xt, a_prev, p: a_prev, "one of the inputs, unchanged"),
    (check_rnn_step_backward, no_tanh_prime_step, "the (1 − a²) factor is missing"),
    (check_rnn_step_backward, tanh_twice_step, "already the tanh"),
    (check_rnn_step_backward, no_next_step, "the gradient arriving from the next step is missing"),
    (check_rnn_step_backward, added_after_step, "added after the (1 − a²) factor"),
    (check_rnn_step_backward, no_transpose_step, "the transpose on W_aa is missing"),
    (check_rnn_step_backward, a_next_step, "not by a<t>"),
    (check_rnn_step_backward, transposed_dW_aa_step, "dW_aa is the transpose of the right matrix"),
    (check_rnn_step_backward, flat_db_step, "keepdims=True"),
    (check_rnn_step_backward, over_m_step, "no layer divides by m"),
    (check_rnn_step_backward, zeros_step, "every entry is 0"),
    (check_rnn_step_backward, lambda da_t, da_from_next, cache: None, "expected a dict"),
    (check_lstm_cell_forward, swapped_gates_lstm, "the forget and update gates are swapped"),
    (check_lstm_cell_forward, no_tanh_lstm, "the tanh on the cell state is missing"),
    (check_lstm_cell_forward, forgetful_lstm, "the old memory is not carried"),
    (check_lstm_cell_forward, xa_lstm, "the state first"),
    (check_lstm_cell_forward, sigmoid_candidate_lstm, "the candidate c̃<t> uses tanh"),
    (check_lstm_cell_forward, c_then_a_lstm, "a_next and c_next are swapped"),
    (check_lstm_cell_forward, lib_form_lstm, "expected an array of numbers"),
    (check_lstm_cell_forward, lambda xt, a_prev, c_prev, p: (np.zeros_like(a_prev), np.zeros_like(c_prev)),
     "every entry is 0"),
    (check_lstm_cell_forward, lambda xt, a_prev, c_prev, p: (a_prev, c_prev), "one of the inputs, unchanged"),
    (check_lstm_cell_forward, lambda xt, a_prev, c_prev, p: a_prev, "expected a tuple (a_next, c_next)"),
]


def _name(function):
    return getattr(function, "__name__", "function")


@pytest.mark.parametrize("checker, function, diagnosis", MISTAKES,
                         ids=[f"{c.__name__}-{_name(f)}-{i}" for i, (c, f, _) in enumerate(MISTAKES)])
def test_a_typical_mistake_is_rejected_with_its_diagnosis(checker, function, diagnosis):
    assert_rejected(checker, function, diagnosis)


def _lib_lstm(xt, a_prev, c_prev, p):
    a_next, cache = lstm.lstm_cell_forward(xt, a_prev, c_prev, p)
    return a_next, lstm.cell_state(cache)


ACCEPTED = [(check_one_hot_sequences, text.one_hot_sequences), (check_one_hot_sequences, looped_one_hot),
            (check_one_hot_sequences, bool_one_hot),
            (check_rnn_cell_forward, rnn.rnn_cell_forward),              # lib's (a_next, cache) form
            (check_rnn_cell_forward, lambda xt, a_prev, p: rnn.rnn_cell_forward(xt, a_prev, p)[0]),
            (check_rnn_step_backward, lambda da_t, da_from_next, cache: rnn.rnn_cell_backward(da_t + da_from_next,
                                                                                             cache)),
            (check_rnn_step_backward, good_step),
            (check_lstm_cell_forward, _lib_lstm), (check_lstm_cell_forward, good_lstm)]


@pytest.mark.parametrize("checker, function", ACCEPTED, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(ACCEPTED)])
def test_lib_and_equivalent_forms_are_accepted(checker, function):
    ok, said = verdict(checker, function)
    assert ok is True, said
    assert said.startswith("✓")


def test_the_backward_step_is_also_checked_numerically():
    ok, said = verdict(check_rnn_step_backward, good_step)
    assert ok and "the numerical gradient check agrees" in said
    ok, said = verdict(check_rnn_step_backward, no_transpose_step)
    assert not ok
    assert "numerical gradient check of your gradients" in said and "da_prev ✗" in said and "dW_aa ✓" in said


@pytest.mark.parametrize("checker", [check_one_hot_sequences, check_rnn_cell_forward, check_rnn_step_backward,
                                     check_lstm_cell_forward])
def test_a_checker_never_raises_on_what_it_is_given(checker):
    def not_yet(*args):
        raise NotImplementedError

    assert verdict(checker, not_yet) == (False, f"✗ {checker.__name__[6:]}: not implemented yet\n")
    for thing in (None, 3, "rnn", lambda: 1, lambda *args: 1 / 0, lambda *args: "text", lambda *args: (1, 2, 3),
                  lambda *args: {"dxt": None}, lambda *args: [[1.0]]):
        ok, said = verdict(checker, thing)
        assert ok is False and said.startswith("✗")
