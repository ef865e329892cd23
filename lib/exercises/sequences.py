r"""Checkers for Part V, sequence models: one-hot sequences, the RNN cell, one step of BPTT, the LSTM cell.

* :func:`check_one_hot_sequences` (chapter ``18_sequence_models``): index
  sequences (m, T_x) to the one-hot array (n_x, m, T_x);
* :func:`check_rnn_cell_forward` (chapter ``19_recurrent_networks``):
  :math:`a^{<t>} = \tanh(W_{aa} a^{<t-1>} + W_{ax} x^{<t>} + b_a)`;
* :func:`check_rnn_step_backward` (chapter ``20_backprop_through_time``): one
  step of backpropagation through time, the backward pass of one RNN cell fed
  by both paths that reach :math:`a^{<t>}`; also gradient-checked numerically;
* :func:`check_lstm_cell_forward` (chapter ``21_lstm``): the three gates, the
  candidate, the new memory cell and the new state.

None of them refuses a Python loop: these chapters are not about
vectorisation, and a loop over the time steps (or over the examples, for the
one-hot encoding) is legitimate there.

Besides the common diagnoses, each checker knows the typical wrong versions of
its function (the bias missing, σ where tanh belongs, W_aa and W_ax swapped,
the (1 − a²) factor forgotten, the forget and update gates swapped …). On a
failing case it computes what each wrong version returns there and names the
first that gives exactly the learner's wrong entry (and differs from the right
one). The first case of the RNN checkers has n_x = n_a, so that a swapped or
transposed weight matrix gives wrong numbers, which can be named, rather than
a shape error; on the other cases a shape error from a matrix product gets a
hint about which matrix multiplies which.
"""
import copy
import functools
import io
import itertools
import re
import warnings
from contextlib import redirect_stdout

import numpy as np

from lib import lstm, rnn, text
from lib.exercises._feedback import Case, Mismatch, check
from lib.gradcheck import numerical_gradient_array, relative_error


# ------------------------------------------------------------------ shared by the checkers of Part V

def _same(got, expected):
    """True if ``got`` has ``expected``'s shape and values (float64, loose tolerances, NaN equal to NaN)."""
    try:
        got = np.asarray(got, dtype=np.float64)
        expected = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=1e-5, atol=1e-8, equal_nan=True))


_STEP = re.compile(r"\[(\d+)\]|\['([^']*)'\]")


def _entry(result, where):
    """The part of ``result`` at the path ``where`` of a mismatch ("[0]", "['dW_aa']", "" for the whole)."""
    for index, key in _STEP.findall(where):
        result = result[int(index)] if index else result[key]
    return result


def known_mistakes(mistakes):
    """A diagnosis naming the first of ``mistakes`` that explains the learner's wrong entry on the failing case.

    ``mistakes``: list of ``(message, wrong)``, ``wrong(*case.args, **case.kwargs)``
    returning what the mistaken function returns, in the reference's form (it
    may raise where the mistake cannot happen, a product of the wrong shapes).
    The mistake is named only if its entry at the mismatch equals the
    learner's and differs from the right one.
    """
    def diagnosis(mismatch, case):
        for message, wrong in mistakes:
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    value = _entry(wrong(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs)), mismatch.where)
            except Exception:       # the mistake does not apply to this case
                continue
            if _same(mismatch.got, value) and not _same(mismatch.expected, value):
                return message
        return None
    return diagnosis


def safe(diagnosis):
    """``diagnosis``, returning None instead of raising on a result of an unexpected form: a checker never raises."""
    @functools.wraps(diagnosis)
    def guarded(mismatch, case):
        try:
            return diagnosis(mismatch, case)
        except Exception:       # an unforeseen form of the learner's result: no hint, the plain reason stands
            return None
    return guarded


_SHAPE_ERRORS = ("matmul", "aligned", "broadcast", "mismatch", "concatenat", "dimension")


def with_shape_hint(function, hint):
    """``function``, whose shape errors (a ValueError from a product or a sum) gain ``hint``.

    Everything else, NotImplementedError and numpy's warnings included, passes
    through unchanged, so the checker still says "not implemented yet".
    """
    if not callable(function):
        return function

    @functools.wraps(function)
    def explained(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValueError as err:
            if any(word in str(err) for word in _SHAPE_ERRORS):
                raise ValueError(f"{err}. {hint}") from None
            raise
    return explained


def named(*names, order=None):
    """An ``adapt`` for a function that returns a tuple: it becomes a dict keyed by ``names``.

    The feedback then says which output is wrong by name ("in ['c_next']"), and
    the reference, a dict too, compares them in ``order`` (default: the
    tuple's), the one the others depend on first. Another form is refused with
    the tuple the chapter asks for.
    """
    def adapt(result):
        if not isinstance(result, tuple) or len(result) != len(names):
            got = type(result).__name__ + (f" of {len(result)}" if isinstance(result, tuple) else "")
            raise Mismatch("", result, None, f"expected a tuple ({', '.join(names)}), got {got}")
        by_name = dict(zip(names, result))
        return {name: by_name[name] for name in (order or names)}
    return adapt


def _transposed_square(mismatch, case):
    """A square result (such as dW_aa) that is the transpose of the right one: the shape could not say it."""
    got, expected = mismatch.got, mismatch.expected
    if isinstance(got, np.ndarray) and isinstance(expected, np.ndarray) and expected.ndim == 2 \
            and expected.shape[0] == expected.shape[1] and got.shape == expected.shape \
            and not _same(got, expected) and _same(got.T, expected):
        name = mismatch.where.strip("[]'") or "the result"
        return (f"{name} is the transpose of the right matrix (square, so its shape could not tell): entry (j, k) "
                f"belongs to W[j, k], unit j's weight on input k, so it is dz @ input.T (dW_aa = dz a<t−1>ᵀ)")
    return None


# ------------------------------------------------------------------ chapter 18: one_hot_sequences

def _one_hot(indices, n_x):
    """One-hot (n_x, m, T_x) of any integer array (m, T_x), written without lib (for the wrong versions)."""
    out = np.zeros((n_x,) + indices.shape)
    m_idx, t_idx = np.indices(indices.shape)
    out[indices, m_idx, t_idx] = 1.0
    return out


def _one_hot_cases():
    rng = np.random.default_rng(18)
    words = text.make_words(4, seed=3)
    batch = np.stack([text.encode(w[:6].ljust(6, "\n")) for w in words])       # the chapter's (4, 6) batch
    cases = [("m = 2 sequences of T_x = 3 symbols, n_x = 5", np.array([[0, 4, 2], [1, 1, 3]]), 5),
             ("the chapter's batch: m = 4 words cut to T_x = 6 characters, n_x = 27", batch, 27),
             ("one sequence of one symbol, m = T_x = 1, n_x = 7", np.array([[6]]), 7),
             ("the first and the last symbol (indices 0 and n_x − 1 = 3), m = 3, T_x = 2",
              np.array([[0, 3], [3, 0], [0, 0]]), 4),
             ("m = 8 random sequences of T_x = 12 characters, n_x = 27", rng.integers(0, 27, size=(8, 12)), 27)]
    return [Case(label, (indices, n_x)) for label, indices, n_x in cases]


def check_one_hot_sequences(one_hot_function):
    r"""Check a learner's ``one_hot_sequences(indices, n_x)``: (m, T_x) integers → (n_x, m, T_x).

    :math:`x^{(i)<t>}_k = 1` exactly when example i's symbol at step t is k,
    else 0: every column ``x[:, i, t]`` holds a single 1. The reference is
    ``lib.text.one_hot_sequences``; any numeric dtype is accepted (float64 is
    lib's). Loops are allowed. Diagnoses: the other layouts ((m, n_x, T_x),
    (m, T_x, n_x) as ``np.eye(n_x)[indices]`` gives, (n_x, T_x, m) …: "sequences
    are (n_x, m, T_x)"), a symbol one row off (counting from 1), n_x + 1 rows,
    and columns that do not hold exactly one 1 (an index that set whole slices).
    """
    names = ("n_x", "m", "T_x")

    def layout(mismatch, case):
        got, expected = mismatch.got, mismatch.expected
        if not isinstance(got, np.ndarray) or got.ndim != 3 or got.shape == expected.shape \
                or sorted(got.shape) != sorted(expected.shape):
            return None
        for perm in itertools.permutations(range(3)):
            if tuple(expected.shape[k] for k in perm) == got.shape and _same(got, expected.transpose(perm)):
                laid = ", ".join(names[k] for k in perm)
                return (f"the array is laid out as ({laid}), shape {got.shape}: sequences are (n_x, m, T_x) = "
                        f"{expected.shape}, the symbol first, the example second, the time step last")
        return (f"shape {got.shape}, expected (n_x, m, T_x) = {expected.shape}: sequences are (n_x, m, T_x), "
                f"the symbol first, the example second, the time step last")

    def extra_row(mismatch, case):
        got, expected = mismatch.got, mismatch.expected
        if isinstance(got, np.ndarray) and got.shape == (expected.shape[0] + 1,) + expected.shape[1:]:
            return (f"{got.shape[0]} rows, n_x + 1: symbols are numbered 0 to n_x − 1, so n_x = "
                    f"{expected.shape[0]} rows hold them all (row 0 is the first symbol)")
        return None

    def one_per_column(mismatch, case):
        got, expected = mismatch.got, mismatch.expected
        if isinstance(got, np.ndarray) and got.shape == expected.shape and np.any(got) \
                and not np.allclose(np.sum(got, axis=0), 1):
            return ("some columns x[:, i, t] do not hold exactly one 1: set one entry per (example, step), "
                    "indexing all three axes at once, x[indices, i, t] with i and t arrays of shape (m, T_x) "
                    "(np.indices(indices.shape) gives both)")
        return None

    mistakes = [
        ("off by one: symbol k belongs in row k, counting from 0 (the newline, index 0, is row 0)",
         lambda indices, n_x: _one_hot((indices - 1) % n_x, n_x)),
        ("off by one: symbol k belongs in row k, counting from 0 (the newline, index 0, is row 0)",
         lambda indices, n_x: _one_hot((indices + 1) % n_x, n_x)),
    ]
    return check("one_hot_sequences", one_hot_function, text.one_hot_sequences, _one_hot_cases(),
                 diagnoses=(safe(layout), safe(extra_row), known_mistakes(mistakes), safe(one_per_column)))


# ------------------------------------------------------------------ chapter 19: rnn_cell_forward

def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _rnn_cell(xt, a_prev, p, bias=True, act=np.tanh, swap=False, t_aa=False, t_ax=False, x_term=True,
              a_term=True):
    """The cell with one of the typical mistakes switched on (for the diagnoses)."""
    W_aa, W_ax = (p["W_ax"], p["W_aa"]) if swap else (p["W_aa"], p["W_ax"])
    W_aa, W_ax = W_aa.T if t_aa else W_aa, W_ax.T if t_ax else W_ax
    z = (W_aa @ a_prev if a_term else 0) + (W_ax @ xt if x_term else 0) + (p["b_a"] if bias else 0)
    return act(z)


def _rnn_parameters(rng, n_x, n_a, dtype=np.float64, scale=1.0):
    p = rnn.initialize_rnn(n_x, n_a, n_x, seed=int(rng.integers(1000)))
    p = {k: p[k] for k in ("W_ax", "W_aa", "b_a")}
    p["W_aa"] = p["W_aa"] * scale
    p["W_ax"] = p["W_ax"] * scale
    p["b_a"] = 0.5 * rng.standard_normal((n_a, 1))                 # not zero, so a missing bias shows
    return {k: v.astype(dtype) for k, v in p.items()}


def _rnn_step_inputs(seed, n_x, n_a, m, dtype=np.float64, scale=1.0):
    rng = np.random.default_rng(seed)
    p = _rnn_parameters(rng, n_x, n_a, dtype, scale)
    xt = rng.standard_normal((n_x, m)).astype(dtype)
    a_prev = (0.8 * rng.standard_normal((n_a, m))).astype(dtype)
    return xt, a_prev, p


def _rnn_forward_cases():
    rng = np.random.default_rng(19)
    one_hot = text.one_hot_sequences(rng.integers(0, 27, size=(32, 1)), 27)[:, :, 0]
    _, a32, p32 = _rnn_step_inputs(3, 27, 64, 32)
    return [Case("n_x = n_a = 4, m = 3 (square weights)", _rnn_step_inputs(1, 4, 4, 3)),
            Case("n_x = 3, n_a = 5, m = 2", _rnn_step_inputs(2, 3, 5, 2)),
            Case("one-hot characters: n_x = 27, n_a = 64, m = 32", (one_hot, a32, p32)),
            Case("a single example, m = 1", _rnn_step_inputs(4, 6, 5, 1)),
            Case("float32 inputs and parameters", _rnn_step_inputs(5, 3, 4, 5, dtype=np.float32)),
            Case("large weights: saturated units, a<t> = ±1", _rnn_step_inputs(6, 3, 4, 3, scale=300.0))]


def _reference_rnn_cell_forward(xt, a_prev, parameters):
    return rnn.rnn_cell_forward(xt, a_prev, parameters)[0]


def _first_of_pair(result):
    """Accept lib's form (a_next, cache) as well as a_next alone."""
    return result[0] if isinstance(result, tuple) and len(result) == 2 else result


RNN_SHAPES = ("W_aa (n_a, n_a) multiplies a_prev (n_a, m) and W_ax (n_a, n_x) multiplies xt (n_x, m); "
              "each product is (n_a, m)")


def check_rnn_cell_forward(rnn_cell_function):
    r"""Check a learner's ``rnn_cell_forward(xt, a_prev, parameters) -> a_next``.

    :math:`a^{<t>} = \tanh(W_{aa} a^{<t-1>} + W_{ax} x^{<t>} + b_a)`, with xt
    (n_x, m), a_prev (n_a, m), parameters "W_ax" (n_a, n_x), "W_aa" (n_a, n_a),
    "b_a" (n_a, 1), and a_next (n_a, m) in the inputs' dtype. The reference is
    ``lib.rnn.rnn_cell_forward``; lib's form ``(a_next, cache)`` is accepted
    too. Loops are allowed (there is nothing to loop over). Diagnoses: the bias
    b_a missing, σ instead of tanh, no tanh at all, W_aa and W_ax swapped,
    W_aa or W_ax transposed, one of the two terms missing; shape errors get a
    hint saying which matrix multiplies which.
    """
    mistakes = [
        ("the bias b_a is missing: a<t> = tanh(W_aa a<t−1> + W_ax x<t> + b_a)",
         lambda xt, a, p: _rnn_cell(xt, a, p, bias=False)),
        ("this is σ, not tanh: the RNN's state is squashed by tanh, into (−1, 1)",
         lambda xt, a, p: _rnn_cell(xt, a, p, act=_sigmoid)),
        ("the tanh is missing: a<t> = tanh(z<t>), not the pre-activation z<t> itself",
         lambda xt, a, p: _rnn_cell(xt, a, p, act=lambda z: z)),
        ("W_aa and W_ax are swapped: W_aa multiplies the previous state a<t−1>, W_ax the input x<t>",
         lambda xt, a, p: _rnn_cell(xt, a, p, swap=True)),
        ("W_aa is transposed: the product is W_aa a<t−1>, row j of W_aa gives unit j's input",
         lambda xt, a, p: _rnn_cell(xt, a, p, t_aa=True)),
        ("W_ax is transposed: the product is W_ax x<t>, with W_ax of shape (n_a, n_x)",
         lambda xt, a, p: _rnn_cell(xt, a, p, t_ax=True)),
        ("the input term W_ax x<t> is missing", lambda xt, a, p: _rnn_cell(xt, a, p, x_term=False)),
        ("the recurrent term W_aa a<t−1> is missing: without it the cell forgets everything it read",
         lambda xt, a, p: _rnn_cell(xt, a, p, a_term=False)),
    ]
    return check("rnn_cell_forward", with_shape_hint(rnn_cell_function, RNN_SHAPES),
                 _reference_rnn_cell_forward, _rnn_forward_cases(), diagnoses=(known_mistakes(mistakes),),
                 adapt=_first_of_pair)


# ------------------------------------------------------------------ chapter 20: one step of BPTT

def _step_backward(da_t, da_from_next, cache, tanh_prime="a", add_next=True, add_before=True, t_aa=True,
                   t_ax=True, dW_aa_from="a_prev", db_axis=1, divide_by_m=False):
    """One step of BPTT with one of the typical mistakes switched on (for the diagnoses)."""
    p, a = cache["parameters"], cache["a_next"]
    da = da_t + da_from_next if add_next and add_before else da_t
    factor = {"a": 1 - a ** 2, "none": 1, "tanh(a)": 1 - np.tanh(a) ** 2}[tanh_prime]
    dz = da * factor + (da_from_next if add_next and not add_before else 0)
    if divide_by_m:
        dz = dz / a.shape[1]
    return {"dxt": (p["W_ax"].T if t_ax else p["W_ax"]) @ dz,
            "da_prev": (p["W_aa"].T if t_aa else p["W_aa"]) @ dz,
            "dW_ax": dz @ cache["xt"].T, "dW_aa": dz @ cache[dW_aa_from].T,
            "db_a": np.sum(dz, axis=db_axis, keepdims=True)}


def _reference_step_backward(da_t, da_from_next, cache):
    return rnn.rnn_cell_backward(da_t + da_from_next, cache)


def _step_case(label, seed, n_x, n_a, m, dtype=np.float64, scale=1.0, last_step=False):
    rng = np.random.default_rng(seed + 100)
    xt, a_prev, p = _rnn_step_inputs(seed, n_x, n_a, m, dtype, scale)
    _, cache = rnn.rnn_cell_forward(xt, a_prev, p)
    da_t = rng.standard_normal((n_a, m)).astype(dtype)
    da_from_next = np.zeros((n_a, m), dtype) if last_step else rng.standard_normal((n_a, m)).astype(dtype)
    return Case(label, (da_t, da_from_next, cache), m=m)


def _step_cases():
    return [_step_case("n_x = n_a = 4, m = 3 (square weights)", 11, 4, 4, 3),
            _step_case("n_x = 3, n_a = 5, m = 2", 12, 3, 5, 2),
            _step_case("n_x = 27, n_a = 64, m = 16", 13, 27, 64, 16),
            _step_case("the last step, t = T_x: no gradient from a step after it (da_from_next = 0)", 14, 3, 4, 3,
                       last_step=True),
            _step_case("a single example, m = 1", 15, 5, 3, 1),
            _step_case("float32 cache and gradients", 16, 3, 4, 5, dtype=np.float32),
            _step_case("large weights: saturated units, 1 − a² ≈ 0", 17, 3, 4, 3, scale=300.0)]


def _numerical_check(step_function):
    """Relative errors of the learner's gradients against centred differences, one float64 step; None if n/a."""
    xt, a_prev, p = _rnn_step_inputs(21, 3, 4, 2)
    rng = np.random.default_rng(22)
    da_t, da_from_next = rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    _, cache = rnn.rnn_cell_forward(xt, a_prev, p)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            grads = step_function(da_t.copy(), da_from_next.copy(), copy.deepcopy(cache))
    except Exception:        # the comparison with lib already said what went wrong
        return None
    if not isinstance(grads, dict):
        return None
    points = {"dxt": xt, "da_prev": a_prev, "dW_ax": p["W_ax"], "dW_aa": p["W_aa"], "db_a": p["b_a"]}
    errors = {}
    for name, point in points.items():
        try:
            g = np.asarray(grads[name], dtype=np.float64)
        except (KeyError, TypeError, ValueError):
            errors[name] = None
            continue
        if g.shape != point.shape or not np.all(np.isfinite(g)):
            errors[name] = None
            continue
        numeric = numerical_gradient_array(lambda: rnn.rnn_cell_forward(xt, a_prev, p)[0], point,
                                           da_t + da_from_next)
        errors[name] = relative_error(g, numeric)
    return errors


def check_rnn_step_backward(step_backward_function):
    r"""Check a learner's ``rnn_step_backward(da_t, da_from_next, cache) -> grads``: one step of BPTT.

    Two gradients reach :math:`a^{<t>}`: ``da_t`` from its own prediction
    (:math:`W_{ya}^T d\ell^{<t>}`) and ``da_from_next`` from the step after
    (:math:`W_{aa}^T dz^{<t+1>}`, zeros at :math:`t = T_x`), each (n_a, m). With
    :math:`dz = (\text{da\_t} + \text{da\_from\_next}) \odot (1 - (a^{<t>})^2)`:
    ``dxt`` :math:`= W_{ax}^T dz` (n_x, m), ``da_prev`` :math:`= W_{aa}^T dz`
    (n_a, m), what step t−1 receives as its ``da_from_next``;
    ``dW_ax`` :math:`= dz\, x^{<t>T}`, ``dW_aa`` :math:`= dz\, a^{<t-1>T}`,
    ``db_a`` :math:`= \sum_{\text{columns}} dz` (n_a, 1). ``cache`` is
    ``lib.rnn.rnn_cell_forward``'s: "xt", "a_prev", "a_next", "parameters".
    The reference is ``lib.rnn.rnn_cell_backward(da_t + da_from_next, cache)``;
    when the learner's function agrees with it, a numerical gradient check
    (``lib.gradcheck``) of its five gradients on a float64 step confirms it,
    and when it does not, the same check says which gradients are wrong. Loops
    are allowed. Diagnoses: the (1 − a²) factor forgotten, or written
    1 − tanh(a)² (a is already the tanh), the gradient from the next step
    forgotten or added after the factor, W_aa or W_ax not transposed, dW_aa
    from a<t> instead of a<t−1>, a transposed dW_aa, db_a summed over the wrong
    axis, a 1/m that belongs to the cost.
    """
    mistakes = [
        ("the gradient arriving from the next step is missing: a<t> feeds both its prediction and a<t+1>, so "
         "∂J/∂a<t> = da_t + da_from_next",
         lambda da_t, da_n, c: _step_backward(da_t, da_n, c, add_next=False)),
        ("the (1 − a²) factor is missing: dz = ∂J/∂a<t> ⊙ (1 − (a<t>)²), the derivative of tanh",
         lambda da_t, da_n, c: _step_backward(da_t, da_n, c, tanh_prime="none")),
        ("tanh'(z) is 1 − (a<t>)² with a<t> = tanh(z) as it stands: cache['a_next'] is already the tanh, "
         "do not apply tanh to it again",
         lambda da_t, da_n, c: _step_backward(da_t, da_n, c, tanh_prime="tanh(a)")),
        ("da_from_next is added after the (1 − a²) factor: add the two gradients that reach a<t> first, then "
         "multiply their sum by the derivative of tanh",
         lambda da_t, da_n, c: _step_backward(da_t, da_n, c, add_before=False)),
        ("the transpose on W_aa is missing: the gradient goes back through W_aa as W_aaᵀ dz",
         lambda da_t, da_n, c: _step_backward(da_t, da_n, c, t_aa=False)),
        ("the transpose on W_ax is missing: dxt = W_axᵀ dz, of shape (n_x, m)",
         lambda da_t, da_n, c: _step_backward(da_t, da_n, c, t_ax=False)),
        ("dW_aa multiplies dz by the state the step read, a<t−1> (cache['a_prev']), not by a<t>",
         lambda da_t, da_n, c: _step_backward(da_t, da_n, c, dW_aa_from="a_next")),
        ("db_a sums dz over the examples, the columns (axis=1), keeping the shape (n_a, 1)",
         lambda da_t, da_n, c: _step_backward(da_t, da_n, c, db_axis=0)),
        ("divided by m: no layer divides by m, the 1/m is already in the cost's gradient that da_t carries",
         lambda da_t, da_n, c: _step_backward(da_t, da_n, c, divide_by_m=True)),
    ]
    hint = ("dz is (n_a, m); W_axᵀ dz is (n_x, m), W_aaᵀ dz is (n_a, m), dz x<t>ᵀ is (n_a, n_x), "
            "dz a<t−1>ᵀ is (n_a, n_a)")
    out = io.StringIO()
    with redirect_stdout(out):
        ok = check("rnn_step_backward", with_shape_hint(step_backward_function, hint), _reference_step_backward,
                   _step_cases(), diagnoses=(known_mistakes(mistakes), safe(_transposed_square)))
    said = out.getvalue()
    if "not implemented yet" in said or not callable(step_backward_function):
        print(said, end="")
        return ok
    errors = _numerical_check(step_backward_function)
    if ok and errors and all(e is not None and e < 1e-7 for e in errors.values()):
        print(said.rstrip("\n").rstrip(".") + f"; the numerical gradient check agrees (largest relative error "
              f"{max(errors.values()):.0e}).")
        return True
    if ok:          # agrees with lib but not with the centred differences: cannot happen unless lib is wrong
        print(f"✗ rnn_step_backward: the numerical gradient check disagrees: {_errors_line(errors)}")
        return False
    print(said, end="")
    if errors:
        print(f"  numerical gradient check of your gradients: {_errors_line(errors)}")
    return False


def _errors_line(errors):
    if errors is None:
        return "could not be run"
    return ", ".join(f"{name} {'wrong shape or missing' if e is None else ('✓' if e < 1e-7 else '✗')}"
                     f"{'' if e is None else f' ({e:.0e})'}" for name, e in errors.items())


# ------------------------------------------------------------------ chapter 21: lstm_cell_forward

def _lstm_cell(xt, a_prev, c_prev, p, swap_gates=False, tanh_c=True, carry=True, stack="ax", candidate=np.tanh,
               bias=True, forget_what="c", out_from="c_next"):
    """The LSTM step with one of the typical mistakes switched on (for the diagnoses)."""
    concat = np.concatenate([a_prev, xt] if stack == "ax" else [xt, a_prev])
    b = (lambda g: p[f"b_{g}"]) if bias else (lambda g: 0)
    gamma_f = _sigmoid(p["W_f"] @ concat + b("f"))
    gamma_u = _sigmoid(p["W_u"] @ concat + b("u"))
    c_tilde = candidate(p["W_c"] @ concat + b("c"))
    gamma_o = _sigmoid(p["W_o"] @ concat + b("o"))
    if swap_gates:
        gamma_f, gamma_u = gamma_u, gamma_f
    kept = c_prev if forget_what == "c" else a_prev
    c_next = (gamma_f * kept if carry else 0) + gamma_u * c_tilde
    c_shown = c_next if out_from == "c_next" else c_prev
    a_next = gamma_o * (np.tanh(c_shown) if tanh_c else c_shown)
    return {"c_next": c_next, "a_next": a_next}


def _lstm_inputs(seed, n_x, n_a, m, dtype=np.float64, scale=1.0, first_step=False):
    rng = np.random.default_rng(seed)
    p = lstm.initialize_lstm(n_x, n_a, seed=seed)
    for name in p:                      # every weight and bias away from its initial value, so each term counts
        p[name] = ((p[name] + 0.5 * rng.standard_normal(p[name].shape)) * scale).astype(dtype)
    xt = rng.standard_normal((n_x, m)).astype(dtype)
    a_prev = np.zeros((n_a, m), dtype) if first_step else (0.8 * rng.standard_normal((n_a, m))).astype(dtype)
    c_prev = np.zeros((n_a, m), dtype) if first_step else (1.5 * rng.standard_normal((n_a, m))).astype(dtype)
    return xt, a_prev, c_prev, p


def _lstm_cases():
    return [Case("n_x = 3, n_a = 5, m = 4", _lstm_inputs(1, 3, 5, 4)),
            Case("n_x = n_a = 4, m = 2", _lstm_inputs(2, 4, 4, 2)),
            Case("one-hot-sized: n_x = 27, n_a = 32, m = 16", _lstm_inputs(3, 27, 32, 16)),
            Case("the first step: a<0> = c<0> = 0", _lstm_inputs(4, 3, 4, 3, first_step=True)),
            Case("a single example, m = 1", _lstm_inputs(5, 2, 3, 1)),
            Case("float32 inputs and parameters", _lstm_inputs(6, 3, 4, 5, dtype=np.float32)),
            Case("large weights: saturated gates (pre-activations up to about ±50)",
                 _lstm_inputs(7, 3, 4, 3, scale=12.0))]


def _reference_lstm_cell_forward(xt, a_prev, c_prev, parameters):
    a_next, cache = lstm.lstm_cell_forward(xt, a_prev, c_prev, parameters)
    return {"c_next": np.array(lstm.cell_state(cache)), "a_next": a_next}


def check_lstm_cell_forward(lstm_cell_function):
    r"""Check a learner's ``lstm_cell_forward(xt, a_prev, c_prev, parameters) -> (a_next, c_next)``.

    With :math:`[a^{<t-1>}; x^{<t>}]` the state stacked on the input ((n_a + n_x), m):
    :math:`\Gamma_g = \sigma(W_g [a^{<t-1>}; x^{<t>}] + b_g)` for g = f, u, o,
    :math:`\tilde c^{<t>} = \tanh(W_c [a^{<t-1>}; x^{<t>}] + b_c)`,
    :math:`c^{<t>} = \Gamma_f \odot c^{<t-1>} + \Gamma_u \odot \tilde c^{<t>}`,
    :math:`a^{<t>} = \Gamma_o \odot \tanh c^{<t>}`. xt (n_x, m), a_prev and
    c_prev (n_a, m), parameters as ``lib.lstm.initialize_lstm`` makes them
    (``W_*`` (n_a, n_a + n_x), ``b_*`` (n_a, 1)); a_next and c_next (n_a, m)
    in the inputs' dtype. The reference is ``lib.lstm.lstm_cell_forward`` and
    ``lib.lstm.cell_state``; c_next is compared first, a_next depending on it.
    Loops are allowed. The saturated case keeps the
    pre-activations within about ±50, where even the plain 1 / (1 + exp(−z)) is finite.
    Diagnoses: the forget and update gates swapped, the tanh missing on the
    cell state before the output gate, c<t−1> not carried, Γ_f applied to
    a<t−1> instead of c<t−1>, the output read from c<t−1>, the stack in the
    order [x; a], σ for the candidate, the biases missing, the two results
    returned in the wrong order.
    """
    mistakes = [
        ("the forget and update gates are swapped: Γ_f (from W_f, b_f) multiplies the old memory c<t−1>, "
         "Γ_u (from W_u, b_u) the candidate c̃<t>",
         lambda *args: _lstm_cell(*args, swap_gates=True)),
        ("the tanh on the cell state is missing: a<t> = Γ_o ⊙ tanh(c<t>), not Γ_o ⊙ c<t>",
         lambda *args: _lstm_cell(*args, tanh_c=False)),
        ("the old memory is not carried: c<t> = Γ_f ⊙ c<t−1> + Γ_u ⊙ c̃<t>, the term Γ_f ⊙ c<t−1> is missing",
         lambda *args: _lstm_cell(*args, carry=False)),
        ("Γ_f multiplies the memory c<t−1> (c_prev), not the hidden state a<t−1>",
         lambda *args: _lstm_cell(*args, forget_what="a")),
        ("a<t> shows the new memory: Γ_o ⊙ tanh(c<t>) with c<t> just computed, not c<t−1>",
         lambda *args: _lstm_cell(*args, out_from="c_prev")),
        ("the stack is in the wrong order: [a<t−1>; x<t>], the state first (W's first n_a columns multiply "
         "a<t−1>, the last n_x columns x<t>)",
         lambda *args: _lstm_cell(*args, stack="xa")),
        ("the candidate c̃<t> uses tanh, not σ: it is what could be written, between −1 and 1",
         lambda *args: _lstm_cell(*args, candidate=_sigmoid)),
        ("the biases b_f, b_u, b_c, b_o are missing", lambda *args: _lstm_cell(*args, bias=False)),
        ("a_next and c_next are swapped: return the tuple (a_next, c_next), the state first",
         lambda *args: {"c_next": _lstm_cell(*args)["a_next"], "a_next": _lstm_cell(*args)["c_next"]}),
    ]
    hint = ("[a_prev; xt] is (n_a + n_x, m), stacked along axis 0; each W_g (n_a, n_a + n_x) multiplies it, "
            "giving (n_a, m)")
    return check("lstm_cell_forward", with_shape_hint(lstm_cell_function, hint), _reference_lstm_cell_forward,
                 _lstm_cases(), diagnoses=(known_mistakes(mistakes),),
                 adapt=named("a_next", "c_next", order=("c_next", "a_next")),
                 overflow_hint="an exponential overflowed: compute σ(z) = 1 / (1 + exp(−z)) with np.exp, and tanh "
                               "with np.tanh (not from exponentials of z)")
