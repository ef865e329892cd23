r"""How every checker works: run the learner's function on cases, compare, explain.

A checker calls :func:`check` with the learner's function, lib's reference
and a list of :class:`Case`. For each case it

1. calls the learner's function on fresh copies of the inputs, catching every
   exception (an untouched skeleton raises ``NotImplementedError``: "not
   implemented yet") and every numpy warning (an overflow);
2. checks that the inputs were not modified;
3. compares the result with the reference's, entry by entry, shape and dtype
   first;
4. on a mismatch, tries the diagnoses in order, the chapter's own first, then
   the common ones (:data:`COMMON`), and prints the first that fits, in the
   chapter's terms.

It prints one line on success and returns ``True``, or prints what went wrong
and returns ``False``; it never raises and never prints the reference's code.
A checker for a chapter about vectorisation also reads the function's source
(:func:`loops_in`) and refuses a Python loop: timing it would be noisy on a
shared machine, and the source says it for certain.
"""
import ast
import copy
import inspect
import textwrap
import warnings
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Case:
    """One call: ``label`` says what it tests, in the words the feedback uses."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    m: int = None      #: the number of examples, for the "1/m" diagnosis (else read from the first 2-d input)


class Mismatch(Exception):
    """A result that differs from the reference's, with the path to the entry ("dW1", "[0]")."""

    def __init__(self, where, got, expected, reason):
        super().__init__(reason)
        self.where, self.got, self.expected, self.reason = where, got, expected, reason


def _say(name, ok, message):
    print(f"{'✓' if ok else '✗'} {name}: {message}")
    return ok


def loops_in(function):
    """The line numbers of the ``for`` and ``while`` loops in ``function``'s source.

    Comprehensions count: ``[f(x) for x in X.T]`` is a loop over the examples as
    much as a ``for`` statement is. Returns None when the source is not
    available (a function typed at an interactive prompt).
    """
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return None
    loops = (ast.For, ast.While, ast.AsyncFor, ast.comprehension)
    lines = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, loops):
            lines.add(getattr(node, "lineno", None) or node.target.lineno)
    return sorted(lines)


def _compare(got, expected, where, rtol, atol):
    """Raise :class:`Mismatch` at the first entry of ``got`` that differs from ``expected``."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            raise Mismatch(where, got, expected, f"expected a dict with keys {sorted(expected)}, "
                                                 f"got {type(got).__name__}")
        missing = sorted(set(expected) - set(got))
        if missing:
            raise Mismatch(where, got, expected, f"the dict has no key {missing[0]!r} "
                                                 f"(expected keys {sorted(expected)})")
        for key in expected:
            _compare(got[key], expected[key], f"{where}[{key!r}]", rtol, atol)
        return
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            raise Mismatch(where, got, expected, f"expected a tuple of {len(expected)} values, got "
                                                 f"{type(got).__name__}"
                                                 + (f" of {len(got)}" if isinstance(got, tuple) else ""))
        for i, (g, e) in enumerate(zip(got, expected)):
            _compare(g, e, f"{where}[{i}]", rtol, atol)
        return
    expected = np.asarray(expected)
    if got is None:
        raise Mismatch(where, got, expected, "returned None: is a `return` missing?")
    try:
        got_array = np.asarray(got)
    except Exception:
        raise Mismatch(where, got, expected, f"expected an array, got {type(got).__name__}") from None
    if got_array.dtype == object or not np.issubdtype(got_array.dtype, np.number) and got_array.dtype != bool:
        raise Mismatch(where, got, expected, f"expected an array of numbers, got {type(got).__name__}")
    if got_array.shape != expected.shape:
        raise Mismatch(where, got_array, expected, f"shape {got_array.shape}, expected {expected.shape}")
    if expected.dtype == np.float32 and got_array.dtype != np.float32:
        raise Mismatch(where, got_array, expected,
                       f"float32 in gave {got_array.dtype} out: a float64 constant (a numpy scalar such as "
                       f"np.float64(1), or np.ones without dtype) promoted it; keep the input's dtype")
    if not np.all(np.isfinite(got_array[np.isfinite(expected)])):
        raise Mismatch(where, got_array, expected, "the result holds inf or NaN where it should be finite")
    if expected.dtype == bool or got_array.dtype == bool:    # masks: compare as numbers (allclose subtracts)
        got_array, expected = got_array.astype(np.float64), expected.astype(np.float64)
    tolerance = max(rtol, 1e-5) if expected.dtype == np.float32 else rtol
    if not np.allclose(got_array, expected, rtol=tolerance, atol=atol, equal_nan=True):
        worst = np.unravel_index(np.argmax(np.abs(got_array - expected)), expected.shape) if expected.ndim else ()
        raise Mismatch(where, got_array, expected,
                       f"wrong values (at index {tuple(int(i) for i in worst)}: "
                       f"{float(got_array[worst]):.6g}, expected {float(expected[worst]):.6g})")


# ------------------------------------------------------------------ diagnoses
# Each takes (mismatch, case) and returns a hint in the chapter's terms, or None.

def _arrays(mismatch):
    got, expected = mismatch.got, mismatch.expected
    if not isinstance(expected, np.ndarray) or not isinstance(got, np.ndarray):
        return None, None
    if not np.issubdtype(got.dtype, np.number):
        return None, None
    return got.astype(np.float64), expected.astype(np.float64)


def transposed(mismatch, case):
    got, expected = _arrays(mismatch)
    if got is not None and got.shape != expected.shape and got.shape == expected.shape[::-1]:
        return (f"the shape is {got.shape} where {expected.shape} was expected: did you transpose? "
                f"(examples are columns)")
    return None


def lost_an_axis(mismatch, case):
    got, expected = _arrays(mismatch)
    if got is not None and got.shape != expected.shape and got.size == expected.size:
        return (f"the right number of entries in the wrong shape, {got.shape} instead of {expected.shape}: "
                f"keep the axes (keepdims=True, or reshape)")
    return None


def scaled_by_m(mismatch, case):
    got, expected = _arrays(mismatch)
    m = _examples(case)
    if got is None or got.shape != expected.shape or not m or m == 1 or not np.any(expected):
        return None
    if np.allclose(got, expected * m, rtol=1e-5, atol=1e-12):
        return f"off by a factor m = {m}: the 1/m of the mean over the examples is missing"
    if np.allclose(got, expected / m, rtol=1e-5, atol=1e-12):
        return f"off by a factor 1/m = 1/{m}: the 1/m is applied twice"
    return None


def wrong_sign(mismatch, case):
    got, expected = _arrays(mismatch)
    if got is not None and got.shape == expected.shape and np.any(expected) \
            and np.allclose(got, -expected, rtol=1e-5, atol=1e-12):
        return "the sign is wrong: every entry is the negative of the right one"
    return None


def all_zeros(mismatch, case):
    got, expected = _arrays(mismatch)
    if got is not None and got.shape == expected.shape and not np.any(got) and np.any(expected):
        return "every entry is 0: is the computation still a placeholder?"
    return None


def returned_an_input(mismatch, case):
    got, _ = _arrays(mismatch)
    if got is None:
        return None
    for arg in case.args:
        if isinstance(arg, np.ndarray) and arg.shape == got.shape and np.array_equal(arg, got):
            return "the result is one of the inputs, unchanged"
    return None


def overflowed(mismatch, case):
    got, expected = _arrays(mismatch)
    if got is not None and got.shape == expected.shape and not np.all(np.isfinite(got)) \
            and np.all(np.isfinite(expected)):
        return f"inf or NaN on this case: {OVERFLOW_HINT}"
    return None


#: The diagnoses every checker tries after its own, in this order.
COMMON = (overflowed, transposed, lost_an_axis, returned_an_input, all_zeros, wrong_sign, scaled_by_m)


def _examples(case):
    """m: the case's own, or read from its first 2-d array (examples are columns), else None."""
    if case.m is not None:
        return case.m
    for arg in case.args:
        if isinstance(arg, np.ndarray) and arg.ndim == 2:
            return arg.shape[1]
    return None


def _call(learner, case):
    """(result, None) or (None, exception); numpy warnings become exceptions of their own."""
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            try:
                result = learner(*args, **kwargs)
            except Exception as err:  # the learner's code may raise anything: report, never propagate
                return None, err, args, kwargs
    return result, None, args, kwargs


def _modified(case, args, kwargs):
    """The name (position) of an input the call changed, or None."""
    for i, (before, after) in enumerate(zip(case.args, args)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            return f"argument {i + 1}"
        if isinstance(before, dict):
            for key, value in before.items():
                if isinstance(value, np.ndarray) and not np.array_equal(value, after.get(key), equal_nan=True):
                    return f"argument {i + 1}[{key!r}]"
    for key, before in case.kwargs.items():
        if isinstance(before, np.ndarray) and not np.array_equal(before, kwargs[key], equal_nan=True):
            return f"argument {key!r}"
    return None


OVERFLOW_HINT = ("an exponential overflowed or a log saw 0: subtract the maximum first, or use a form "
                 "in which exp never sees a large positive number")


def check(name, learner, reference, cases, diagnoses=(), forbid_loops=False, rtol=1e-6, atol=1e-9,
          overflow_hint=OVERFLOW_HINT, adapt=None):
    """Run ``learner`` against ``reference`` on ``cases``; print the verdict; return True or False.

    Args:
        name: the function's name as the chapter writes it (``"sigmoid"``).
        learner: the learner's function.
        reference: lib's function, called with the same arguments.
        cases: list of :class:`Case`.
        diagnoses: the chapter's own diagnoses, tried before :data:`COMMON`;
            each ``(mismatch, case) -> str or None``.
        forbid_loops: refuse a ``for``/``while`` loop or a comprehension in
            the learner's source (the chapter is about array operations).
        rtol, atol: the comparison's tolerances (float32 cases get at least 1e-5).
        overflow_hint: what to say when numpy warns (an overflow, a log of 0).
        adapt: applied to the learner's result before the comparison, to accept
            forms the chapter allows (a 1x1 array for a scalar, say).
    """
    if not callable(learner):
        return _say(name, False, f"expected a function, got {type(learner).__name__}")
    if forbid_loops:
        lines = loops_in(learner)
        if lines:
            return _say(name, False, f"a Python loop (line {lines[0]} of the function): this chapter asks for "
                                     f"array operations, a matrix product or a sum over an axis, instead")
    for case in cases:
        result, error, args, kwargs = _call(learner, case)
        if isinstance(error, NotImplementedError):
            return _say(name, False, "not implemented yet")
        if isinstance(error, RuntimeWarning):
            return _say(name, False, f"on {case.label}: numpy warned '{error}': {overflow_hint}")
        if error is not None:
            return _say(name, False, f"on {case.label}: raised {type(error).__name__}: {error}")
        changed = _modified(case, args, kwargs)
        if changed:
            return _say(name, False, f"on {case.label}: it modified its input ({changed}); compute into a "
                                     f"new array instead (an in-place operation such as += or [...] = "
                                     f"writes into the caller's array)")
        expected = reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        try:
            if adapt is not None:
                result = adapt(result)
            _compare(result, expected, "", rtol, atol)
        except Mismatch as mismatch:
            hint = next((h for h in (d(mismatch, case) for d in (*diagnoses, *COMMON)) if h), None)
            where = f" in {mismatch.where.lstrip('.')}" if mismatch.where else ""
            return _say(name, False, f"on {case.label}{where}: {hint or mismatch.reason}")
    return _say(name, True, f"correct on all {len(cases)} cases.")
