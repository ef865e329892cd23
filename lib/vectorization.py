r"""A for-loop against one array operation: the dot product of chapter ``05_vectorization``.

Chapter ``05_vectorization`` (vectorisation, the lecture's §2.7) times the two on vectors of a
million entries. Both compute

.. math:: a \cdot b = \sum_{j=1}^{n} a_j b_j ;

:func:`dot_loop` visits the n products one at a time in the Python
interpreter, :func:`dot_vectorized` hands the whole sum to numpy's compiled
(SIMD, BLAS) code. The tests check that they agree.

Both refuse, naming the argument: sequences of different lengths, empty ones,
entries that are not real numbers, NaN or infinity. :func:`dot_loop` checks
its entries only when the loop fails or its sum is not finite (the line
``@_entries_checked_on_failure`` above it), so that the time chapter ``05_vectorization``
measures is the interpreter's loop alone, not a scan of a million entries.
"""
import functools
import math

import numpy as np

from lib._checks import as_float


def _check_lengths(a, b):
    """The checks that cost nothing: two sized sequences of the same, non-zero length."""
    for name, value in (("a", a), ("b", b)):
        if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
            raise TypeError(f"{name}: expected a sequence of n numbers (a list or an array of "
                            f"shape (n,)), got {type(value).__name__}")
        if isinstance(value, np.ndarray) and value.ndim != 1:
            raise ValueError(f"{name}: expected a 1-d array (n,), got shape {value.shape}")
    if len(a) == 0:
        raise ValueError("a: expected at least one entry, got an empty sequence")
    if len(b) != len(a):
        raise ValueError(f"b: expected {len(a)} entries to match a, got {len(b)}")


def _check_pair(a, b):
    """a and b as finite float arrays of one shape (n,)."""
    a = as_float("a", a, ndim=1, meaning="(n,)")
    b = as_float("b", b, ndim=1, meaning="(n,)")
    if a.shape != b.shape:
        raise ValueError(f"b: expected shape (n,) = {a.shape} to match a, got {b.shape}")
    return a, b


def _entries_checked_on_failure(loop):
    """Decorator: check the lengths first, and the entries only if ``loop`` fails.

    A TypeError from the loop (an entry that is not a number) or a sum that
    is NaN or infinite sends ``a`` and ``b`` through the full checks, which
    name the argument at fault; a sum that is infinite although every entry is
    finite is a true overflow and is returned, as ``np.dot`` returns it.
    """
    @functools.wraps(loop)
    def public(a, b):
        _check_lengths(a, b)
        try:
            with np.errstate(over="ignore", invalid="ignore"):   # numpy scalars: judged below
                total = loop(a, b)
        except TypeError:
            _check_pair(a, b)
            raise
        if not math.isfinite(total):
            _check_pair(a, b)
        return total

    public.unchecked = loop
    return public


@_entries_checked_on_failure
def dot_loop(a, b):
    r""":math:`\sum_j a_j b_j` with an explicit Python loop over the n entries.

    Args:
        a, b: sequences of n numbers (lists, or 1-d arrays of shape (n,)).
            Pass lists to time the interpreter alone: iterating an ndarray
            also boxes every entry into a numpy scalar, which is slower still.

    Returns:
        the dot product, a float (``inf`` if the sum of finite entries overflows).
    """
    total = 0.0
    for a_j, b_j in zip(a, b):      # one multiply-add per trip through the interpreter
        total += a_j * b_j
    return float(total)


def dot_vectorized(a, b):
    r""":math:`\sum_j a_j b_j` as one call to ``np.dot`` (compiled, SIMD).

    Args:
        a, b: arrays of shape (n,), finite (float32 is kept: the sum is taken in float32).

    Returns:
        the dot product, a float; ``inf`` (without a warning, as :func:`dot_loop`
        gives it) when the sum of finite entries lies beyond the float range.
    """
    a, b = _check_pair(a, b)
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.dot(a, b))
