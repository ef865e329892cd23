"""Numerical gradients, to check every backward pass in the book.

Chapter ``04_gradient_descent`` (gradient descent) introduces the check; every later chapter's tests
use it: a hand-written gradient agrees with the centred difference

    dJ/dθ_i ≈ (J(θ + ε e_i) − J(θ − ε e_i)) / (2ε)

to a relative error below 1e-7 in float64, or the backward pass is wrong.
"""
import numpy as np

from lib._checks import as_float, check_positive


def _callable(name, f):
    if not callable(f):
        raise TypeError(f"{name}: expected a function of no arguments, got {type(f).__name__} {f!r}")
    return f


def _point(name, x):
    """The array f reads: a float64 ndarray, writeable, not empty, finite."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name}: expected the float64 ndarray that f reads (changed in place), "
                        f"got {type(x).__name__}")
    if x.dtype != np.float64:
        raise TypeError(f"{name}: expected a float64 ndarray (float32 is too coarse for a "
                        f"gradient check), got dtype {x.dtype}")
    if not x.flags.writeable:
        raise ValueError(f"{name}: expected a writeable array (f must see it change), got a read-only one")
    if x.size == 0:
        raise ValueError(f"{name}: expected a non-empty array, got shape {x.shape}")
    as_float(name, x)                        # finite
    return x


def _scalar(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        shape = getattr(value, "shape", None)
        raise TypeError(f"f: expected f() to return a scalar (the cost), got {type(value).__name__}"
                        f"{f' of shape {shape}' if shape is not None else ''}") from None
    if not np.isfinite(value):
        raise ValueError(f"f: expected a finite scalar, got {value!r}")
    return value


def _centred_differences(f, x, eps):
    """The kernel: ``x`` checked; perturb each entry of x itself, in place, and restore it."""
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


def numerical_gradient(f, x, eps=1e-6):
    """Centred-difference gradient of a scalar function at ``x``.

    Args:
        f: a function of no arguments returning a float; it must read ``x``,
            which is changed in place (one entry at a time) and restored.
        x: float64 ndarray of any shape, the point (a view, such as a transpose
            or a slice, works: the entries of x itself are changed).
        eps: the step ε > 0.

    Returns:
        ndarray of ``x``'s shape: ``(f(x + ε e_i) − f(x − ε e_i)) / 2ε`` at each i.
    """
    _callable("f", f)
    _point("x", x)
    check_positive("eps", eps)
    return _centred_differences(f, x, eps)


def numerical_gradient_array(f, x, dout, eps=1e-6):
    """Centred-difference gradient of ``sum(f() * dout)`` with respect to ``x``.

    For an array-valued layer ``out = f()``, this is the gradient that its
    backward pass must return when handed the upstream gradient ``dout``
    (the shape of ``out``).

    Args:
        f: a function of no arguments returning an array ``out``; it reads ``x``.
        x: float64 ndarray of any shape, the point (changed in place and restored).
        dout: the upstream gradient ∂J/∂out, exactly the shape of ``f()``.
        eps: the step ε > 0.

    Returns:
        ndarray of ``x``'s shape.
    """
    _callable("f", f)
    _point("x", x)
    check_positive("eps", eps)
    dout = as_float("dout", dout).astype(np.float64, copy=False)
    out_shape = np.shape(f())
    if dout.shape != out_shape:
        raise ValueError(f"dout: expected the shape of f()'s output, {out_shape}, got {dout.shape}")
    return _centred_differences(lambda: np.sum(f() * dout), x, eps)


def relative_error(analytic, numeric):
    """Relative error ``‖a − n‖ / max(‖a‖ + ‖n‖, tiny)`` between two gradients.

    Below 1e-7 means the two agree to float64 precision; around 1e-2 or more
    means the backward pass has a bug.

    Args:
        analytic: the gradient a backward pass returned, any shape.
        numeric: the numerical gradient, the shape of ``analytic``.

    Returns:
        a float in [0, 1].
    """
    a = as_float("analytic", analytic).astype(np.float64, copy=False)
    n = as_float("numeric", numeric).astype(np.float64, copy=False)
    if a.shape != n.shape:
        raise ValueError(f"numeric: expected shape {a.shape} (analytic's), got {n.shape}")
    # scaled by the largest entry, so gradients of 1e200 do not overflow the norms
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(n))))
    if scale == 0:
        return 0.0
    a, n = a / scale, n / scale
    return float(np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n)))


def gradient_check(f, params, grads, eps=1e-6):
    """Check analytic gradients of a scalar ``f`` against numerical ones.

    Args:
        f: a function of no arguments returning the scalar (the cost); it
            reads the arrays in ``params``.
        params: dict name → float64 ndarray, changed in place and restored.
        grads: dict name → the analytic gradient of ``f`` for that name
            (the same shape as ``params[name]``); names of ``params`` left out
            are not checked.
        eps: the step ε > 0.

    Returns:
        dict name → relative error, one per entry of ``grads``.
    """
    _callable("f", f)
    if not isinstance(params, dict):
        raise TypeError(f"params: expected a dict name → float64 ndarray, got {type(params).__name__}")
    if not isinstance(grads, dict):
        raise TypeError(f"grads: expected a dict name → gradient, got {type(grads).__name__}")
    if not grads:
        raise ValueError("grads: expected at least one gradient to check, got an empty dict")
    check_positive("eps", eps)
    for name, g in grads.items():
        if name not in params:
            raise ValueError(f"grads: {name!r} is not a key of params {sorted(params)}")
        _point(f"params[{name!r}]", params[name])
        g = as_float(f"grads[{name!r}]", g)
        if g.shape != params[name].shape:
            raise ValueError(f"grads[{name!r}]: expected shape {params[name].shape} "
                             f"(params[{name!r}]'s), got {g.shape}")
    return {name: relative_error(grads[name], _centred_differences(f, params[name], eps))
            for name in grads}
