"""Input checks shared by the lib modules: one clear ValueError per kind of mistake.

Every message names the argument and says what was expected, in the book's
notation, so a reader who passes X as (m, n_x) learns what went wrong.
"""
import numpy as np


def as_array(name, value, ndim=None, dtype=float):
    """Return ``value`` as an ndarray, checking its rank when ``ndim`` is given."""
    arr = np.asarray(value, dtype=dtype)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-d array, got shape {arr.shape}")
    return arr


def check_finite(name, arr):
    """Raise if ``arr`` holds NaN or infinity."""
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: contains NaN or infinity")
    return arr


def check_shape(name, arr, expected, meaning=""):
    """Raise unless ``arr.shape == expected``; ``None`` in ``expected`` matches any size."""
    ok = arr.ndim == len(expected) and all(e is None or e == s for e, s in zip(expected, arr.shape))
    if not ok:
        want = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        extra = f" {meaning}" if meaning else ""
        raise ValueError(f"{name}: expected shape {want}{extra}, got {arr.shape}")
    return arr


def check_labels(name, Y):
    """Raise unless every entry of ``Y`` is 0 or 1."""
    if not np.all((Y == 0) | (Y == 1)):
        bad = np.unique(Y[(Y != 0) & (Y != 1)])[:5]
        raise ValueError(f"{name}: expected labels 0 or 1 only, found {bad.tolist()}")
    return Y


def check_positive(name, value):
    """Raise unless ``value`` is a finite number greater than 0."""
    if not (np.isscalar(value) and np.isfinite(value) and value > 0):
        raise ValueError(f"{name}: expected a number > 0, got {value!r}")
    return value


def check_positive_int(name, value, minimum=1):
    """Raise unless ``value`` is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name}: expected an integer >= {minimum}, got {value!r}")
    return int(value)
