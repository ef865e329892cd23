r"""Losses and costs: the loss is on one example, the cost is its mean over m.

Chapter 3 (logistic regression) introduces them. The cross-entropy

.. math:: \mathcal{L}(a, y) = -\big(y \log a + (1 - y) \log(1 - a)\big)

is computed from probabilities (clipped away from 0 and 1) or, better, from
the logit z with :math:`a = \sigma(z)`, as
:math:`\max(z, 0) - z y + \log(1 + e^{-|z|})`, which is exact for any z.
"""
import numpy as np

from lib._checks import as_array, check_finite, check_labels

_TINY = 1e-12


def _pair(a_name, a, y):
    a = as_array(a_name, a)
    y = as_array("y", y)
    if a.shape != y.shape:
        raise ValueError(f"y: expected the shape of {a_name}, {a.shape}, got {y.shape}")
    check_finite(a_name, a)
    check_labels("y", y)
    return a, y


def binary_cross_entropy(a, y):
    r"""Per-example loss :math:`-(y\log a + (1-y)\log(1-a))`.

    Args:
        a: predicted probabilities ŷ, any shape, typically (1, m).
        y: labels in {0, 1}, the shape of ``a``.

    Returns:
        array of the losses, the shape of ``a``; ``a`` is clipped to
        [1e-12, 1 − 1e-12] so a confident mistake costs about 27.6, not ∞.
    """
    a, y = _pair("a", a, y)
    a = np.clip(a, _TINY, 1.0 - _TINY)
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
    return float(np.mean(binary_cross_entropy_with_logits(z, y)))


def squared_error(a, y):
    r"""Per-example :math:`\frac12 (a - y)^2`, the loss chapter 3 shows to be a poor fit
    for logistic regression (its cost is not convex in w). Shapes as in
    :func:`binary_cross_entropy`."""
    a, y = _pair("a", a, y)
    return 0.5 * (a - y) ** 2


def softmax_cross_entropy(z, y_onehot, axis=0):
    r"""Mean cross-entropy of softmax(z) against one-hot labels, and its gradient.

    :math:`J = -\frac1m \sum_i \sum_k y_k^{(i)} \log \mathrm{softmax}(z^{(i)})_k`,
    computed with log-sum-exp so any finite logits give a finite cost.

    Args:
        z: logits, (n_y, m) with the classes along ``axis``.
        y_onehot: one-hot labels, z's shape.
        axis: the class axis.

    Returns:
        (cost, dz): the float cost and :math:`\partial J/\partial z = (\mathrm{softmax}(z) - y)/m`.
    """
    z = as_array("z", z)
    y = as_array("y_onehot", y_onehot)
    if z.shape != y.shape:
        raise ValueError(f"y_onehot: expected the shape of z, {z.shape}, got {y.shape}")
    m = z.size // z.shape[axis]
    shifted = z - np.max(z, axis=axis, keepdims=True)
    log_sum = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    log_probs = shifted - log_sum
    value = -float(np.sum(y * log_probs)) / m
    dz = (np.exp(log_probs) - y) / m
    return value, dz


def logistic_cost_surface(X, Y, w_values, b_values, loss="cross_entropy"):
    r"""The cost of a one-input logistic neuron on a grid of (w, b): the cost surface.

    For every w in ``w_values`` and b in ``b_values``,
    :math:`J(w, b) = \frac1m \sum_i \mathcal{L}(\sigma(w x^{(i)} + b), y^{(i)})`,
    with the cross-entropy computed from the logit (exact for any z) or the
    squared error :math:`\frac12(a - y)^2`. Chapter 3 uses it to show that the
    squared error makes J non-convex and the cross-entropy does not.

    Args:
        X: (1, m) inputs, one feature. Y: (1, m) labels in {0, 1}.
        w_values: (k_w,) weights to try. b_values: (k_b,) biases to try.
        loss: "cross_entropy" or "squared_error".

    Returns:
        J of shape (k_b, k_w): row j, column i is the cost at (w_values[i], b_values[j]).
    """
    from lib.activations import sigmoid

    X = check_finite("X", as_array("X", X, ndim=2))
    if X.shape[0] != 1:
        raise ValueError(f"X: expected shape (1, m), one feature, got {X.shape}")
    Y = as_array("Y", Y, ndim=2)
    if Y.shape != X.shape:
        raise ValueError(f"Y: expected shape {X.shape} (1, m), got {Y.shape}")
    check_labels("Y", Y)
    w = check_finite("w_values", as_array("w_values", w_values, ndim=1))
    b = check_finite("b_values", as_array("b_values", b_values, ndim=1))
    # logits for every (b, w, example): shape (k_b, k_w, m)
    Z = w[None, :, None] * X[0][None, None, :] + b[:, None, None]
    y = Y[0][None, None, :]
    if loss == "cross_entropy":
        losses = np.maximum(Z, 0.0) - Z * y + np.log1p(np.exp(-np.abs(Z)))
    elif loss == "squared_error":
        losses = 0.5 * (sigmoid(Z) - y) ** 2
    else:
        raise ValueError(f"loss: expected 'cross_entropy' or 'squared_error', got {loss!r}")
    return losses.mean(axis=-1)
