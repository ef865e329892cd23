r"""Activation functions and their derivatives.

Chapter ``03_logistic_regression`` (the sigmoid) and 6 (activation functions) teach these; every
network in the book uses them. Each ``f`` has ``f_derivative(z)`` beside it,
the elementwise :math:`f'(z)`. All are stable: ``sigmoid(±1000)`` is exactly 1
or 0 and ``softmax`` of logits near ±1e4 is finite, without warnings.

The public functions check their input (``z``: real numbers, finite, not
empty) and keep float32 as float32. Code that calls an activation inside a
training loop, on arrays it has already checked, takes the unchecked kernels
from :func:`get_activation` instead: the same arithmetic without the checks.
"""
import numpy as np

from lib._checks import as_float, check_choice, check_probabilities, check_range


def _z(z):
    """``z`` as a float ndarray (float32 kept, anything else numeric as float64), finite, not empty."""
    return as_float("z", z)


def _slope(slope):
    """The leaky ReLU's slope as a Python float in [0, 1) (a float, so float32 arrays stay float32)."""
    return float(check_range("slope", slope, 0, 1, high_open=True))


def _axis(axis, ndim):
    """Refuse an axis that ``z`` does not have, by name."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis: expected an integer, got {type(axis).__name__} {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis: expected an axis of z, in [{-ndim}, {ndim - 1}], got {axis}")
    return int(axis)


def sigmoid(z):
    r"""Logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`, elementwise.

    Computed as :math:`e^{-|z|}`-based branches so that ``exp`` never
    overflows: for :math:`z \ge 0`, :math:`1/(1+e^{-z})`; for :math:`z<0`,
    :math:`e^{z}/(1+e^{z})`.

    Args:
        z: array of any shape (a scalar works too), for example Z of shape (1, m).

    Returns:
        array of z's shape, values in [0, 1].
    """
    z = _z(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z):
    r""":math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))`, elementwise; z of any shape."""
    s = _sigmoid(_z(z))
    return s * (1.0 - s)


def tanh(z):
    r"""Hyperbolic tangent :math:`\tanh z = (e^z - e^{-z})/(e^z + e^{-z})`; z of any shape."""
    return np.tanh(_z(z))


def tanh_derivative(z):
    r""":math:`\tanh'(z) = 1 - \tanh^2 z`, elementwise; z of any shape."""
    t = np.tanh(_z(z))
    return 1.0 - t * t


def relu(z):
    r"""Rectified linear unit :math:`\max(0, z)`, elementwise; z of any shape."""
    return np.maximum(0.0, _z(z))


def relu_derivative(z):
    r""":math:`\mathrm{relu}'(z) = 1` for :math:`z > 0`, else 0 (0 chosen at z = 0)."""
    z = _z(z)
    return (z > 0).astype(z.dtype)


def leaky_relu(z, slope=0.01):
    r"""Leaky ReLU :math:`\max(\text{slope}\cdot z, z)` for 0 <= slope < 1; z of any shape.

    A small slope for :math:`z < 0` keeps a gradient flowing through units
    that a plain ReLU would switch off.
    """
    slope = _slope(slope)
    z = _z(z)
    return np.where(z > 0, z, slope * z)


def leaky_relu_derivative(z, slope=0.01):
    r"""Leaky ReLU's derivative: 1 for :math:`z > 0`, ``slope`` otherwise; z of any shape."""
    slope = _slope(slope)
    z = _z(z)
    return np.where(z > 0, 1.0, slope).astype(z.dtype)


def identity(z):
    r"""The "linear activation" :math:`g(z) = z`: with it, a stack of layers stays linear."""
    return np.array(_z(z))  # a copy, so changing the output never changes z


def identity_derivative(z):
    r""":math:`g'(z) = 1` everywhere, z of any shape."""
    return np.ones_like(_z(z))


def step(z):
    r"""Heaviside step, the M-P neuron's ideal activation: 1 where :math:`z \ge 0`, else 0."""
    z = _z(z)
    return (z >= 0).astype(z.dtype)


def step_derivative(z):
    """The step's derivative: 0 everywhere it exists (why gradient descent cannot use it)."""
    return np.zeros_like(_z(z))


def softmax(z, axis=0):
    r"""Softmax along ``axis``: :math:`\mathrm{softmax}(z)_i = e^{z_i} / \sum_j e^{z_j}`.

    Subtracts the maximum along ``axis`` first, which leaves the result
    unchanged and keeps every exponent :math:`\le 0`, so nothing overflows.

    Args:
        z: array of any shape; by the book's notation the classes are the rows
            of a (n_y, m) matrix, hence the default ``axis=0``.
        axis: the axis that sums to 1.

    Returns:
        array of z's shape, non-negative, summing to 1 along ``axis``.
    """
    z = _z(z)
    axis = _axis(axis, z.ndim)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_backward(dout, s, axis=0):
    r"""Gradient through softmax: given :math:`s = \mathrm{softmax}(z)` and
    :math:`\partial J/\partial s`, return :math:`\partial J/\partial z = s \odot (d - \sum s \odot d)`.

    Args:
        dout: upstream gradient :math:`\partial J/\partial s`, the shape of ``s``.
        s: the softmax output, probabilities along ``axis`` (any shape, e.g. (n_y, m)).
        axis: the axis the softmax was taken along.

    Returns:
        :math:`\partial J/\partial z`, the shape of ``s`` (float32 when both inputs are).
    """
    s = check_probabilities("s", as_float("s", s))
    dout = as_float("dout", dout)
    if dout.shape != s.shape:
        raise ValueError(f"dout: expected the shape of s, {s.shape}, got {dout.shape}")
    axis = _axis(axis, s.ndim)
    if dout.dtype != s.dtype:
        dout, s = dout.astype(np.float64), s.astype(np.float64)
    return s * (dout - np.sum(dout * s, axis=axis, keepdims=True))


def softmax_derivative(z):
    r"""Softmax's derivative for one vector: the Jacobian
    :math:`\partial s_i / \partial z_j = s_i(\delta_{ij} - s_j)`, i.e. :math:`\mathrm{diag}(s) - s s^T`.

    Args:
        z: a 1-d array of n logits (one example's column, flattened).

    Returns:
        (n, n) array; row i is the gradient of :math:`s_i`. For batches use
        :func:`softmax_backward`, which never forms the matrix.
    """
    z = as_float("z", z, ndim=1, meaning="(n,): one example's n logits")
    s = softmax(z, axis=0)
    return np.diag(s) - np.outer(s, s)


# The kernels: the same arithmetic as the public functions, without the checks,
# for code that has checked its arrays once (z: a float ndarray, finite).
def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_in_place(z):
    """z ← σ(z) in place, as σ(z) = ½(1 + tanh(z/2)): stable for any z, no temporaries (recurrent cells run it every step)."""
    z *= 0.5
    np.tanh(z, out=z)
    z += 1.0
    z *= 0.5
    return z


def _sigmoid_derivative(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_derivative(z):
    t = np.tanh(z)
    return 1.0 - t * t


def _relu(z):
    return np.maximum(0.0, z)


def _relu_derivative(z):
    return (z > 0).astype(z.dtype)


def _leaky_relu(z, slope=0.01):
    return np.where(z > 0, z, slope * z)


def _leaky_relu_derivative(z, slope=0.01):
    return np.where(z > 0, 1.0, slope).astype(z.dtype)


def _identity(z):
    return z.copy()


def _step(z):
    return (z >= 0).astype(z.dtype)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "step": (step, step_derivative),
    "linear": (identity, identity_derivative),
}
"""Name → (function, derivative): the public, checked functions, for code that picks one by name."""

_KERNELS = {
    "sigmoid": (_sigmoid, _sigmoid_derivative),
    "tanh": (np.tanh, _tanh_derivative),
    "relu": (_relu, _relu_derivative),
    "leaky_relu": (_leaky_relu, _leaky_relu_derivative),
    "step": (_step, np.zeros_like),
    "linear": (_identity, np.ones_like),
}


def get_activation(name, argument="activation"):
    """(g, g') for the activation called ``name``, as unchecked kernels for inner loops.

    The pair computes exactly what ``ACTIVATIONS[name]`` computes (float32
    kept) but trusts its input: call it on arrays already checked at the
    public edge, such as the pre-activations Z = W A + b of a layer whose
    inputs were checked. Only ``name`` is checked here, once.

    Args:
        name: one of ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"leaky_relu"``,
            ``"step"``, ``"linear"``.
        argument: the caller's parameter name, so that a typo is reported as,
            for example, ``g: expected one of 'sigmoid', ..., got 'rleu'``.

    Returns:
        (g, g_prime): functions of a float ndarray z, each returning an array of z's shape.
    """
    if not isinstance(argument, str):
        raise TypeError(f"argument: expected the caller's parameter name (a str), got {argument!r}")
    check_choice(argument, name, list(_KERNELS))
    return _KERNELS[name]
