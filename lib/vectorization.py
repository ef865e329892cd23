r"""A for-loop against one array operation: the dot product of chapter 5.

Chapter 5 (vectorisation, the lecture's §2.7) times the two on vectors of a
million entries. Both compute

.. math:: a \cdot b = \sum_{j=1}^{n} a_j b_j ;

:func:`dot_loop` visits the n products one at a time in the Python
interpreter, :func:`dot_vectorized` hands the whole sum to numpy's compiled
(SIMD, BLAS) code. The tests check that they agree.
"""
import numpy as np

from lib._checks import as_array, check_finite


def _check_pair(a, b):
    a = check_finite("a", as_array("a", a, ndim=1))
    b = check_finite("b", as_array("b", b, ndim=1))
    if a.shape != b.shape:
        raise ValueError(f"b: expected shape (n,) = {a.shape} to match a, got {b.shape}")
    return a, b


def dot_loop(a, b):
    r""":math:`\sum_j a_j b_j` with an explicit Python loop over the n entries.

    Args:
        a, b: sequences of n numbers (lists, or 1-d arrays of shape (n,)).
            Pass lists to time the interpreter alone: iterating an ndarray
            also boxes every entry into a numpy scalar, which is slower still.

    Returns:
        the dot product, a float.
    """
    if len(a) != len(b):
        raise ValueError(f"b: expected {len(a)} entries to match a, got {len(b)}")
    total = 0.0
    for a_j, b_j in zip(a, b):      # one multiply-add per trip through the interpreter
        total += a_j * b_j
    return float(total)


def dot_vectorized(a, b):
    r""":math:`\sum_j a_j b_j` as one call to ``np.dot`` (compiled, SIMD).

    Args:
        a, b: arrays of shape (n,).

    Returns:
        the dot product, a float.
    """
    a, b = _check_pair(a, b)
    return float(np.dot(a, b))
