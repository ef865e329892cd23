r"""Activation functions and their derivatives.

Chapters 3 (the sigmoid) and 6 (activation functions) teach these; every
network in the book uses them. Each ``f`` has ``f_derivative(z)`` beside it,
the elementwise :math:`f'(z)`. All are stable: ``sigmoid(±1000)`` is exactly 1
or 0 and ``softmax`` of logits near 1e4 is finite, without warnings.
"""
import numpy as np


def _float(z):
    """z as a floating array: float32 stays float32 (the CNN trains in it), anything else is float64."""
    z = np.asarray(z)
    return z if z.dtype in (np.float32, np.float64) else z.astype(np.float64)


def _as_float_of(mask, z):
    return mask.astype(_float(z).dtype)


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
    z = _float(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z):
    r""":math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))`, elementwise; z of any shape."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    r"""Hyperbolic tangent :math:`\tanh z = (e^z - e^{-z})/(e^z + e^{-z})`; z of any shape."""
    return np.tanh(_float(z))


def tanh_derivative(z):
    r""":math:`\tanh'(z) = 1 - \tanh^2 z`, elementwise; z of any shape."""
    t = np.tanh(_float(z))
    return 1.0 - t * t


def relu(z):
    r"""Rectified linear unit :math:`\max(0, z)`, elementwise; z of any shape."""
    return np.maximum(0.0, _float(z))


def relu_derivative(z):
    r""":math:`\mathrm{relu}'(z) = 1` for :math:`z > 0`, else 0 (0 chosen at z = 0)."""
    return _as_float_of(_float(z) > 0, z)


def _check_slope(slope):
    if not (np.isscalar(slope) and 0 <= slope < 1):
        raise ValueError(f"slope: expected a number in [0, 1), got {slope!r}")


def leaky_relu(z, slope=0.01):
    r"""Leaky ReLU :math:`\max(\text{slope}\cdot z, z)` for 0 <= slope < 1; z of any shape.

    A small slope for :math:`z < 0` keeps a gradient flowing through units
    that a plain ReLU would switch off.
    """
    _check_slope(slope)
    z = _float(z)
    return np.where(z > 0, z, slope * z)


def leaky_relu_derivative(z, slope=0.01):
    r"""Leaky ReLU's derivative: 1 for :math:`z > 0`, ``slope`` otherwise; z of any shape."""
    _check_slope(slope)
    z = _float(z)
    return np.where(z > 0, 1.0, slope).astype(z.dtype)


def identity(z):
    r"""The "linear activation" :math:`g(z) = z`: with it, a stack of layers stays linear."""
    return np.array(_float(z))  # a copy, so changing the output never changes z


def identity_derivative(z):
    r""":math:`g'(z) = 1` everywhere, z of any shape."""
    return np.ones_like(_float(z))


def step(z):
    r"""Heaviside step, the M-P neuron's ideal activation: 1 where :math:`z \ge 0`, else 0."""
    return _as_float_of(_float(z) >= 0, z)


def step_derivative(z):
    """The step's derivative: 0 everywhere it exists (why gradient descent cannot use it)."""
    return np.zeros_like(_float(z))


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
    z = _float(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_backward(dout, s, axis=0):
    r"""Gradient through softmax: given :math:`s = \mathrm{softmax}(z)` and
    :math:`\partial J/\partial s`, return :math:`\partial J/\partial z = s \odot (d - \sum s \odot d)`.

    Args:
        dout: upstream gradient, the shape of ``s``.
        s: the softmax output.
        axis: the axis the softmax was taken along.
    """
    dout = np.asarray(dout, dtype=float)
    s = np.asarray(s, dtype=float)
    if dout.shape != s.shape:
        raise ValueError(f"dout: expected the shape of s, {s.shape}, got {dout.shape}")
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
    z = _float(z)
    if z.ndim != 1:
        raise ValueError(f"z: expected a 1-d array of n logits (n,), got shape {z.shape}")
    s = softmax(z, axis=0)
    return np.diag(s) - np.outer(s, s)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "step": (step, step_derivative),
    "linear": (identity, identity_derivative),
}
"""Name → (function, derivative), for code that picks an activation by name."""


def get_activation(name, argument="activation"):
    """(function, derivative) of the activation called ``name`` in :data:`ACTIVATIONS`.

    ``argument`` is the caller's parameter name, so a typo is reported as, for
    example, ``g: expected one of [...], got 'rleu'``.
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"{argument}: expected one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]
