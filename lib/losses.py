r"""Losses and costs: the loss is on one example, the cost is its mean over m.

Chapter ``03_logistic_regression`` (logistic regression) introduces them. The cross-entropy

.. math:: \mathcal{L}(a, y) = -\big(y \log a + (1 - y) \log(1 - a)\big)

is computed from probabilities (clipped away from 0 and 1) or, better, from
the logit z with :math:`a = \sigma(z)`, as
:math:`\max(z, 0) - z y + \log(1 + e^{-|z|})`, which is exact for any z.

The networks train on the two losses that return the cost and its gradient
together, :func:`sigmoid_cross_entropy` (binary outputs) and
:func:`softmax_cross_entropy` (one class of n_y). Following the package's
convention (``notation.md``), that gradient carries the 1/m:
:math:`dZ = \frac1m(A - Y)`, and no layer divides by m again.

Every function refuses, naming the argument: arrays of different shapes,
empty arrays, NaN or infinity, labels other than 0 and 1, probabilities
outside [0, 1], labels that are not one-hot. float32 inputs give float32
arrays out.
"""
import numpy as np

from lib._checks import (as_float, check_choice, check_labels, check_one_hot, check_probabilities,
                         check_shape, common_float)


def _pair(a_name, a, y, y_name="y"):
    """(a, y) checked: same shape, finite, not empty, y in {0, 1}, in a's float dtype (0 and 1 are exact in any)."""
    a = as_float(a_name, a)
    y = as_float(y_name, y)
    if a.shape != y.shape:
        raise ValueError(f"{y_name}: expected the shape of {a_name}, {a.shape}, got {y.shape}")
    check_labels(y_name, y)
    return a, y.astype(a.dtype, copy=False)


def _softplus_loss(z, y):
    """:math:`\\max(z,0) - zy + \\log(1+e^{-|z|})`, the cross-entropy of σ(z) against y, exact for any z."""
    return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))


def binary_cross_entropy(a, y):
    r"""Per-example loss :math:`-(y\log a + (1-y)\log(1-a))`.

    Args:
        a: predicted probabilities ŷ in [0, 1], any shape, typically (1, m).
        y: labels in {0, 1}, the shape of ``a``.

    Returns:
        array of the losses, the shape of ``a``; ``a`` is clipped to
        [1e-12, 1 − 1e-12] so a confident mistake costs about 27.6, not ∞
        (in float32, where 1 − 1e-12 rounds to 1, to [1e-7, 1 − 1e-7]: about 16.1).
    """
    a, y = _pair("a", a, y)
    check_probabilities("a", a)
    tiny = 1e-12 if a.dtype == np.float64 else 1e-7
    a = np.clip(a, tiny, 1.0 - tiny)
    return -(y * np.log(a) + (1.0 - y) * np.log1p(-a))


def cost(a, y):
    r"""Cost :math:`J = \frac{1}{m}\sum_{i=1}^m \mathcal{L}(a^{(i)}, y^{(i)})`, a float.

    Args:
        a: (1, m) predicted probabilities. y: (1, m) labels.
    """
    return float(np.mean(binary_cross_entropy(a, y)))


def binary_cross_entropy_with_logits(z, y):
    r"""Per-example loss from the logit: :math:`\mathcal{L}(\sigma(z), y)`, exact for any z.

    Uses :math:`\max(z,0) - zy + \log(1+e^{-|z|})`, so z = ±1000 gives 0 or
    1000 exactly, with no overflow.

    Args:
        z: logits, any shape, typically (1, m). y: labels in {0, 1}, z's shape.
    """
    z, y = _pair("z", z, y)
    return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))


def cost_with_logits(z, y):
    r"""Mean of :func:`binary_cross_entropy_with_logits` over the m examples, a float."""
    return float(np.mean(binary_cross_entropy_with_logits(z, y), dtype=np.float64))


def squared_error(a, y):
    r"""Per-example :math:`\frac12 (a - y)^2`, the loss chapter ``03_logistic_regression`` shows to be a poor fit
    for logistic regression (its cost is not convex in w).

    Args:
        a: predicted probabilities ŷ in [0, 1], any shape, typically (1, m).
        y: labels in {0, 1}, the shape of ``a``.
    """
    a, y = _pair("a", a, y)
    check_probabilities("a", a)
    return 0.5 * (a - y) ** 2


def sigmoid_cross_entropy(z, y):
    r"""Mean cross-entropy of σ(z) against binary labels, and its gradient: the binary
    twin of :func:`softmax_cross_entropy`.

    .. math::

        J = \frac1m \sum_{i=1}^m \sum_{k=1}^{n_y} \mathcal{L}\big(\sigma(z_k^{(i)}), y_k^{(i)}\big),
        \qquad dz = \frac{\partial J}{\partial z} = \frac{\sigma(z) - y}{m},

    each loss computed from the logit as :math:`\max(z,0) - zy + \log(1+e^{-|z|})`,
    so any finite logits (±1000 included) give a finite, exact cost without warnings.
    With one output (n_y = 1) J is :func:`cost_with_logits`.

    Args:
        z: logits (n_y, m): n_y independent binary outputs (usually 1) for m examples.
        y: labels in {0, 1}, z's shape.

    Returns:
        (cost, dz): the float cost and dz of z's shape and dtype.
    """
    z = as_float("z", z, ndim=2, meaning="(n_y, m)")
    z, y = _pair("z", z, y)
    m = z.shape[1]
    value = float(np.sum(_softplus_loss(z, y), dtype=np.float64)) / m
    e = np.exp(-np.abs(z))
    a = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))   # σ(z), without overflow
    return value, (a - y) / m


def softmax_cross_entropy(z, y_onehot, axis=0):
    r"""Mean cross-entropy of softmax(z) against one-hot labels, and its gradient.

    :math:`J = -\frac1m \sum_i \sum_k y_k^{(i)} \log \mathrm{softmax}(z^{(i)})_k`,
    computed with log-sum-exp so any finite logits give a finite cost.

    Args:
        z: logits, (n_y, m) with the classes along ``axis`` (any rank: every
            position off the class axis counts as one of the m examples).
        y_onehot: one-hot labels, z's shape: entries 0 or 1, exactly one 1
            along ``axis`` for each example.
        axis: the class axis.

    Returns:
        (cost, dz): the float cost (≥ 0) and :math:`\partial J/\partial z = (\mathrm{softmax}(z) - y)/m`,
        of z's shape and dtype.
    """
    z = as_float("z", z)
    y = as_float("y_onehot", y_onehot)
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis: expected an integer, got {type(axis).__name__} {axis!r}")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis: expected an axis of z, in [{-z.ndim}, {z.ndim - 1}], got {axis}")
    check_shape("y_onehot", y, z.shape, "(the shape of z)")
    check_one_hot("y_onehot", y, axis=axis)
    y = y.astype(z.dtype, copy=False)
    m = z.size // z.shape[axis]
    shifted = z - np.max(z, axis=axis, keepdims=True)
    log_sum = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    log_probs = shifted - log_sum
    value = -float(np.sum(y * log_probs, dtype=np.float64)) / m
    dz = (np.exp(log_probs) - y) / m
    return value, dz


def logistic_cost_surface(X, Y, w_values, b_values, loss="cross_entropy"):
    r"""The cost of a one-input logistic neuron on a grid of (w, b): the cost surface.

    For every w in ``w_values`` and b in ``b_values``,
    :math:`J(w, b) = \frac1m \sum_i \mathcal{L}(\sigma(w x^{(i)} + b), y^{(i)})`,
    with the cross-entropy computed from the logit (exact for any z) or the
    squared error :math:`\frac12(a - y)^2`. Chapter ``03_logistic_regression`` uses it to show that the
    squared error makes J non-convex and the cross-entropy does not.

    Args:
        X: (1, m) inputs, one feature. Y: (1, m) labels in {0, 1}.
        w_values: (k_w,) weights to try. b_values: (k_b,) biases to try.
        loss: "cross_entropy" or "squared_error".

    Returns:
        J of shape (k_b, k_w): row j, column i is the cost at (w_values[i], b_values[j]);
        float32 when X, w_values and b_values all are.
    """
    from lib.activations import get_activation

    sigmoid = get_activation("sigmoid")[0]
    X = check_shape("X", as_float("X", X, ndim=2, meaning="(1, m)"), (1, None), "(1, m), one feature")
    Y = as_float("Y", Y, ndim=2, meaning="(1, m)")
    check_shape("Y", Y, X.shape, "(1, m), as X")
    check_labels("Y", Y)
    w = as_float("w_values", w_values, ndim=1, meaning="(k_w,)")
    b = as_float("b_values", b_values, ndim=1, meaning="(k_b,)")
    check_choice("loss", loss, ["cross_entropy", "squared_error"])
    dtype = common_float(X, w, b)
    X, Y, w, b = (arr.astype(dtype, copy=False) for arr in (X, Y, w, b))
    # logits for every (b, w, example): shape (k_b, k_w, m)
    Z = w[None, :, None] * X[0][None, None, :] + b[:, None, None]
    y = Y[0][None, None, :]
    if loss == "cross_entropy":
        losses = _softplus_loss(Z, y)
    else:
        losses = 0.5 * (sigmoid(Z) - y) ** 2
    return losses.mean(axis=-1)
