r"""Losses and costs: the loss is on one example, the cost is its mean over m.

Chapter 3 (logistic regression) introduces them. The cross-entropy

.. math:: \mathcal{L}(a, y) = -\big(y \log a + (1 - y) \log(1 - a)\big)

is computed from probabilities (clipped away from 0 and 1) or, better, from
the logit z with :math:`a = \sigma(z)`, as
:math:`\max(z, 0) - z y + \log(1 + e^{-|z|})`, which is exact for any z.
"""
import numpy as np

from lib._checks import as_array, check_labels

_TINY = 1e-12


def _pair(a_name, a, y):
    a = as_array(a_name, a)
    y = as_array("y", y)
    if a.shape != y.shape:
        raise ValueError(f"y: expected the shape of {a_name}, {a.shape}, got {y.shape}")
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
