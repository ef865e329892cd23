"""Numerical gradients, to check every backward pass in the book.

Chapter 4 (gradient descent) introduces the check; every later chapter's tests
use it: a hand-written gradient agrees with the centred difference

    dJ/dθ_i ≈ (J(θ + ε e_i) − J(θ − ε e_i)) / (2ε)

to a relative error below 1e-7 in float64, or the backward pass is wrong.
"""
import numpy as np

from lib._checks import check_positive


def _scalar(value):
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"f: expected a finite scalar, got {value!r}")
    return value


def numerical_gradient(f, x, eps=1e-6):
    """Centred-difference gradient of a scalar function at ``x``.

    Args:
        f: a function of no arguments returning a float; it must read ``x``,
            which is changed in place (one entry at a time) and restored.
        x: float64 ndarray of any shape, the point.
        eps: the step ε.

    Returns:
        ndarray of ``x``'s shape: ``(f(x + ε e_i) − f(x − ε e_i)) / 2ε`` at each i.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError("x: expected a float64 ndarray that f reads, got "
                         f"{type(x).__name__} of dtype {getattr(x, 'dtype', None)}")
    if not x.flags.writeable:
        raise ValueError("x: expected a writeable array (f must see it change), got a read-only one")
    check_positive("eps", eps)
    grad = np.zeros(x.shape)
    # Index x itself, never a reshaped copy: a transposed or sliced x would not
    # see the perturbation through x.reshape(-1).
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = _scalar(f())
        x[i] = old - eps
        minus = _scalar(f())
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def numerical_gradient_array(f, x, dout, eps=1e-6):
    """Centred-difference gradient of ``sum(f() * dout)`` with respect to ``x``.

    For an array-valued layer ``out = f()``, this is the gradient that its
    backward pass must return when handed the upstream gradient ``dout``
    (the shape of ``out``).
    """
    dout = np.asarray(dout, dtype=np.float64)
    return numerical_gradient(lambda: np.sum(f() * dout), x, eps)


def relative_error(analytic, numeric):
    """Relative error ``‖a − n‖ / max(‖a‖ + ‖n‖, tiny)`` between two gradients.

    Below 1e-7 means the two agree to float64 precision; around 1e-2 or more
    means the backward pass has a bug.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"numeric: expected shape {a.shape} (analytic's), got {n.shape}")
    denom = max(np.linalg.norm(a) + np.linalg.norm(n), 1e-300)
    return float(np.linalg.norm(a - n) / denom)


def gradient_check(f, params, grads, eps=1e-6):
    """Check analytic gradients of a scalar ``f`` against numerical ones.

    Args:
        f: a function of no arguments returning the scalar (the cost); it
            reads the arrays in ``params``.
        params: dict name → float64 ndarray, changed in place and restored.
        grads: dict name → the analytic gradient of ``f`` for that name
            (the same shape as ``params[name]``).

    Returns:
        dict name → relative error, one per entry of ``grads``.
    """
    return {name: relative_error(grads[name], numerical_gradient(f, params[name], eps))
            for name in grads}
