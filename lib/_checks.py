"""Input checks shared by the lib modules: one clear error per kind of mistake.

Every message names the argument and says what was expected, in the book's
notation, so a reader who passes X as (m, n_x) learns what went wrong. The
public functions of lib call these once, at their edge; inner loops run on
private kernels that trust their input.

dtype rule: float32 in gives float32 out. :func:`as_float` keeps float32 and
float64 arrays as they are and turns everything else numeric (ints, bools,
lists) into float64; :func:`common_float` picks the dtype for a computation
from several arrays (float32 only when all of them are float32).
"""
import functools
import inspect
import numbers

import numpy as np


def as_float(name, value, ndim=None, meaning="", finite=True, empty=False):
    """Return ``value`` as a float32 or float64 ndarray, checked.

    Args:
        name: the argument's name, for the message.
        value: an array-like of numbers.
        ndim: the rank expected, or None for any.
        meaning: the expected shape in the book's notation, e.g. "(n_x, m)".
        finite: refuse NaN and infinity.
        empty: accept an array with no entries.

    Raises:
        TypeError: value is not numeric (strings, None, objects, complex).
        ValueError: wrong rank, empty, or NaN/inf.
    """
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected an array of real numbers, got {type(value).__name__}"
                        f" of dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        want = f" {meaning}" if meaning else ""
        raise ValueError(f"{name}: expected a {ndim}-d array{want}, got shape {arr.shape}")
    if not empty and arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty array{' ' + meaning if meaning else ''},"
                         f" got shape {arr.shape}")
    if finite:
        check_finite(name, arr)
    return arr


def as_array(name, value, ndim=None, dtype=float):
    """Return ``value`` as an ndarray of ``dtype``, checking its rank when ``ndim`` is given."""
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected an array of numbers, got {type(value).__name__}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-d array, got shape {arr.shape}")
    return arr


def common_float(*arrays):
    """The float dtype for a computation on ``arrays``: float32 only if every one is float32."""
    if all(np.asarray(a).dtype == np.float32 for a in arrays):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def check_finite(name, arr):
    """Raise if ``arr`` holds NaN or infinity."""
    if not np.isfinite(arr).all():
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


def check_probabilities(name, arr):
    """Raise unless every entry of ``arr`` lies in [0, 1] (a probability, such as ŷ)."""
    if arr.size and not (np.min(arr) >= 0 and np.max(arr) <= 1):
        raise ValueError(f"{name}: expected probabilities in [0, 1], "
                         f"got range [{np.min(arr):g}, {np.max(arr):g}]")
    return arr


def check_one_hot(name, arr, axis=0):
    """Raise unless ``arr`` is one-hot along ``axis``: entries 0 or 1, exactly one 1 per column."""
    if not (np.all((arr == 0) | (arr == 1)) and np.all(np.sum(arr, axis=axis) == 1)):
        raise ValueError(f"{name}: expected one-hot columns along axis {axis} "
                         "(entries 0 or 1, exactly one 1 in each)")
    return arr


def as_indices(name, value, n_classes, ndim=None, meaning=""):
    """Return integer labels or indices as an int64 array, each in [0, n_classes).

    Floats are accepted only when they hold whole numbers (2.0, not 1.5);
    negative indices are refused rather than wrapped round to the last class.
    """
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected integer indices, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        want = f" {meaning}" if meaning else ""
        raise ValueError(f"{name}: expected a {ndim}-d array{want}, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name}: expected at least one index, got shape {arr.shape}")
    if arr.dtype.kind == "f" and not (np.all(np.isfinite(arr)) and np.all(arr == np.round(arr))):
        raise ValueError(f"{name}: expected whole numbers (class indices), got non-integer values")
    arr = arr.astype(np.int64)
    if arr.min() < 0 or arr.max() >= n_classes:
        raise ValueError(f"{name}: expected integers in [0, {n_classes - 1}], "
                         f"got range [{arr.min()}, {arr.max()}]")
    return arr


def _real_scalar(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__} {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return float(value)


def check_positive(name, value):
    """Raise unless ``value`` is a finite number greater than 0."""
    if _real_scalar(name, value) <= 0:
        raise ValueError(f"{name}: expected a number > 0, got {value!r}")
    return value


def check_range(name, value, low=None, high=None, low_open=False, high_open=False):
    """Raise unless ``value`` is a finite number in the interval given.

    ``check_range("beta1", b, 0, 1, high_open=True)`` accepts 0 ≤ β₁ < 1.
    """
    v = _real_scalar(name, value)
    too_low = low is not None and (v <= low if low_open else v < low)
    too_high = high is not None and (v >= high if high_open else v > high)
    if too_low or too_high:
        left = "-inf" if low is None else f"{low:g}"
        right = "inf" if high is None else f"{high:g}"
        interval = f"{'(' if low_open or low is None else '['}{left}, {right}{')' if high_open or high is None else ']'}"
        raise ValueError(f"{name}: expected a number in {interval}, got {value!r}")
    return value


def check_positive_int(name, value, minimum=1):
    """Raise unless ``value`` is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected an integer >= {minimum}, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name}: expected an integer >= {minimum}, got {value!r}")
    return int(value)


def check_seed(seed, name="seed"):
    """Raise unless ``seed`` is None or an integer >= 0; return it."""
    if seed is None:
        return None
    return check_positive_int(name, seed, minimum=0)


def make_rng(seed, name="seed"):
    """``np.random.default_rng(seed)`` after :func:`check_seed` (None gives fresh entropy)."""
    return np.random.default_rng(check_seed(seed, name))


def check_choice(name, value, choices):
    """Raise unless ``value`` is one of ``choices``; the message lists them."""
    if not isinstance(value, str) or value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}: expected one of {valid}, got {value!r}")
    return value


def check_strings(name, value):
    """Return ``value``, a non-empty list or tuple of str, as a list; refused by name otherwise."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name}: expected a list of str, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name}: expected at least one string, got an empty list")
    for i, text in enumerate(value):
        if not isinstance(text, str):
            raise TypeError(f"{name}: expected a list of str, item {i} is {type(text).__name__} {text!r:.40}")
    return list(value)


def check_parameters(name, parameters, shapes, source=""):
    """Check a parameter dict: every key of ``shapes`` present, with that shape, finite.

    Args:
        name: the argument's name ("parameters").
        parameters: the dict to check.
        shapes: dict key → expected shape (None matches any size), e.g.
            ``{"W1": (n_h, n_x), "b1": (n_h, 1)}``.
        source: the function that makes such a dict, for the message.

    Returns:
        dict key → float ndarray (float32 kept).
    """
    if not isinstance(parameters, dict):
        raise TypeError(f"{name}: expected a dict of arrays{' from ' + source if source else ''}, "
                        f"got {type(parameters).__name__}")
    out = {}
    for key, shape in shapes.items():
        if key not in parameters:
            where = f" (the dict of {source})" if source else ""
            raise ValueError(f"{name}: missing {key!r}; expected keys {list(shapes)}{where}")
        arr = as_float(f"{name}[{key!r}]", parameters[key])
        if shape is not None:
            check_shape(f"{name}[{key!r}]", arr, shape)
        out[key] = arr
    return out



def checked_by(check):
    """Decorator: run ``check`` on the arguments, then the function's body.

    ``check(**arguments)`` raises on bad input and returns the arguments,
    converted (arrays as float ndarrays). The decorated function keeps its
    name, signature and docstring; its body alone, without the checks, is
    ``function.unchecked``, for loops whose input was checked once before.
    """
    def decorate(kernel):
        signature = inspect.signature(kernel)

        @functools.wraps(kernel)
        def public(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return kernel(**check(**bound.arguments))

        public.unchecked = kernel
        return public
    return decorate
