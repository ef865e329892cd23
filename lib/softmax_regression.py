r"""Softmax regression: K classes with one linear layer and a softmax.

Chapter ``10_softmax_regression`` teaches it; the CNN chapter uses it as its
baseline. For X of shape (n_x, m), one example per column, and K = n_y classes,

.. math::

    Z = W X + b \;(n_y, m),\qquad \hat Y = \mathrm{softmax}(Z) \;(n_y, m),\qquad
    J = -\frac1m \sum_{i=1}^m \sum_{k=1}^{n_y} y^{(i)}_k \log \hat y^{(i)}_k,

with W of shape (n_y, n_x), b of shape (n_y, 1) and Y the one-hot labels
(:func:`lib.data.one_hot`). The softmax is :func:`lib.activations.softmax`;
the cost and its gradient :math:`dZ = \frac1m(\hat Y - Y)` are
:func:`lib.losses.softmax_cross_entropy`. The layer follows the package's
contract: :func:`softmax_regression_forward` returns :math:`(\hat Y, cache)`
and :func:`softmax_regression_backward` takes :math:`\partial J/\partial \hat Y`
through the softmax's Jacobian :math:`\mathrm{diag}(s) - s s^T`; training uses
the fused gradient of the cost instead, which is exact for any logits.
"""
import numpy as np

from lib._checks import (as_float, as_indices, check_choice, check_one_hot, check_parameters, check_positive,
                         check_positive_int, check_shape, checked_by, common_float, make_rng)
from lib.activations import softmax, softmax_backward
from lib.data import one_hot
from lib.losses import softmax_cross_entropy
from lib.minibatch import minibatch_indices
from lib.optimizers import adam_update

DTYPES = ("float32", "float64")


# --------------------------------------------------------------------- checks
def _check_parameters(parameters, name="parameters"):
    """{"W": (n_y, n_x), "b": (n_y, 1)}, finite, fitting each other."""
    if not isinstance(parameters, dict) or "W" not in parameters:
        check_parameters(name, parameters, {"W": None, "b": None}, "initialize_softmax_regression")
    W = as_float(f"{name}['W']", parameters["W"], ndim=2, meaning="(n_y, n_x)")
    return check_parameters(name, parameters, {"W": W.shape, "b": (W.shape[0], 1)},
                            "initialize_softmax_regression")


def _check_X(X, parameters):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    return check_shape("X", X, (parameters["W"].shape[1], None), "(n_x, m), n_x = W's columns")


def _check_labels(labels, m, n_classes, name="labels"):
    labels = as_indices(name, labels, n_classes, ndim=1, meaning="(m,)")
    if labels.size != m:
        raise ValueError(f"{name}: expected {m} labels (one per example), got {labels.size}")
    return labels


def _check_dtype(dtype):
    name = np.dtype(dtype).name if isinstance(dtype, (type, np.dtype)) else dtype
    check_choice("dtype", name, DTYPES)
    return np.dtype(name)


def _check_initialize(n_x, n_classes, dtype=np.float64):
    return {"n_x": check_positive_int("n_x", n_x), "n_classes": check_positive_int("n_classes", n_classes, 2),
            "dtype": _check_dtype(dtype)}


def _check_forward(X, parameters):
    parameters = _check_parameters(parameters)
    return {"X": _check_X(X, parameters), "parameters": parameters}


def _check_backward(dY_hat, cache):
    if not (isinstance(cache, tuple) and len(cache) == 3 and all(isinstance(a, np.ndarray) for a in cache)):
        raise TypeError(f"cache: expected the tuple (X, W, Y_hat) that softmax_regression_forward returns, "
                        f"got {type(cache).__name__}")
    X, W, Y_hat = cache
    dY_hat = as_float("dY_hat", dY_hat, ndim=2, meaning="(n_y, m)")
    check_shape("dY_hat", dY_hat, Y_hat.shape, "(n_y, m), Y_hat's shape")
    return {"dY_hat": dY_hat.astype(Y_hat.dtype, copy=False), "cache": cache}


def _check_cost(X, Y_onehot, parameters):
    parameters = _check_parameters(parameters)
    X = _check_X(X, parameters)
    Y_onehot = as_float("Y_onehot", Y_onehot, ndim=2, meaning="(n_y, m)")
    check_shape("Y_onehot", Y_onehot, (parameters["W"].shape[0], X.shape[1]), "(n_y, m)")
    check_one_hot("Y_onehot", Y_onehot)
    return {"X": X, "Y_onehot": Y_onehot, "parameters": parameters}


def _check_train(X, labels, n_classes, num_iterations, learning_rate, record_every, parameters):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    n_classes = check_positive_int("n_classes", n_classes, minimum=2)
    labels = _check_labels(labels, X.shape[1], n_classes)
    num_iterations = check_positive_int("num_iterations", num_iterations)
    learning_rate = float(check_positive("learning_rate", learning_rate))
    record_every = check_positive_int("record_every", record_every)
    if parameters is not None:
        parameters = _check_parameters(parameters)
        check_shape("parameters['W']", parameters["W"], (n_classes, X.shape[0]), "(n_y, n_x)")
        dtype = common_float(X, parameters["W"], parameters["b"])
        X = X.astype(dtype, copy=False)
        parameters = {k: v.astype(dtype) for k, v in parameters.items()}   # a copy: the caller's stays
    return {"X": X, "labels": labels, "n_classes": n_classes, "num_iterations": num_iterations,
            "learning_rate": learning_rate, "record_every": record_every, "parameters": parameters}


def _check_predict(X, parameters):
    parameters = _check_parameters(parameters)
    return {"X": _check_X(X, parameters), "parameters": parameters}


def _check_confusion(labels, predictions, n_classes):
    n_classes = check_positive_int("n_classes", n_classes, minimum=2)
    labels = as_indices("labels", labels, n_classes, ndim=1, meaning="(m,)")
    predictions = _check_labels(predictions, labels.size, n_classes, "predictions")
    return {"labels": labels, "predictions": predictions, "n_classes": n_classes}


# --------------------------------------------------------------------- the model
@checked_by(_check_initialize)
def initialize_softmax_regression(n_x, n_classes, dtype=np.float64):
    r"""Zero parameters of softmax regression: W = 0 (n_y, n_x), b = 0 (n_y, 1).

    Zeros are a fine start here, unlike for hidden layers: the cost is convex
    in (W, b), and row k of :math:`dW = \frac1m(\hat Y - Y) X^T` differs from
    row j as soon as the classes' examples differ, so no symmetry has to be broken.

    Args:
        n_x: the number of input features, an int >= 1.
        n_classes: n_y = K, the number of classes, an int >= 2.
        dtype: "float32" or "float64" (or the numpy types).

    Returns:
        dict W (n_y, n_x), b (n_y, 1), both zero.
    """
    return {"W": np.zeros((n_classes, n_x), dtype), "b": np.zeros((n_classes, 1), dtype)}


@checked_by(_check_forward)
def softmax_regression_forward(X, parameters):
    r"""Class probabilities :math:`\hat Y = \mathrm{softmax}(W X + b)`, one column per example.

    Args:
        X: (n_x, m), one example per column.
        parameters: W (n_y, n_x), b (n_y, 1), from :func:`initialize_softmax_regression`.

    Returns:
        (Y_hat, cache): Y_hat (n_y, m), each column non-negative and summing to 1;
        cache the tuple (X, W, Y_hat), for :func:`softmax_regression_backward` only.
    """
    Z = parameters["W"] @ X + parameters["b"]          # (n_y, n_x) @ (n_x, m) + (n_y, 1) -> (n_y, m)
    Y_hat = softmax(Z, axis=0)                           # every column sums to 1
    return Y_hat, (X, parameters["W"], Y_hat)


@checked_by(_check_backward)
def softmax_regression_backward(dY_hat, cache):
    r"""Backward through the softmax, then the linear layer: the chain rule, nothing else.

    Column by column, :math:`dz = J_s^T d\hat y` with the softmax's Jacobian
    :math:`J_s = \mathrm{diag}(s) - s s^T` (symmetric), which is
    :math:`dz = s \odot (d\hat y - s^T d\hat y)` without forming the matrix
    (:func:`lib.activations.softmax_backward`); then

    .. math:: dW = dZ\, X^T,\qquad db = \textstyle\sum_i dZ^{(i)},\qquad dX = W^T dZ .

    ``dY_hat`` is :math:`\partial J/\partial \hat Y` for the mean cost J (it
    carries the 1/m); no division by m here.

    Args:
        dY_hat: (n_y, m), :math:`\partial J/\partial \hat Y`.
        cache: from :func:`softmax_regression_forward`.

    Returns:
        dict dX (n_x, m), dW (n_y, n_x), db (n_y, 1).
    """
    X, W, Y_hat = cache
    dZ = softmax_backward(dY_hat, Y_hat, axis=0)         # (n_y, m): the Jacobian of each column
    return {"dX": W.T @ dZ,                              # (n_x, m)
            "dW": dZ @ X.T,                              # (n_y, n_x)
            "db": np.sum(dZ, axis=1, keepdims=True)}     # (n_y, 1)


@checked_by(_check_cost)
def softmax_regression_cost(X, Y_onehot, parameters):
    r"""The cost J and its gradients, through the fused gradient :math:`dZ = \frac1m(\hat Y - Y)`.

    .. math::

        Z = W X + b,\quad J = -\frac1m\sum_i\sum_k y^{(i)}_k \log \mathrm{softmax}(z^{(i)})_k,\quad
        dW = dZ\,X^T,\quad db = \textstyle\sum_i dZ^{(i)} .

    The cost is computed from the logits with log-sum-exp
    (:func:`lib.losses.softmax_cross_entropy`), so it is finite for any finite Z.

    Args:
        X: (n_x, m). Y_onehot: (n_y, m), one-hot columns (:func:`lib.data.one_hot`).
        parameters: W (n_y, n_x), b (n_y, 1).

    Returns:
        (cost, grads): the float J >= 0 and the dict dW (n_y, n_x), db (n_y, 1).
    """
    Z = parameters["W"] @ X + parameters["b"]                     # (n_y, m), the logits
    cost, dZ = softmax_cross_entropy(Z, Y_onehot)                 # dZ = (softmax(Z) - Y) / m
    return cost, {"dW": dZ @ X.T, "db": dZ.sum(axis=1, keepdims=True)}


@checked_by(_check_train)
def train_softmax_regression(X, labels, n_classes, num_iterations=1000, learning_rate=0.5,
                             record_every=10, parameters=None):
    r"""Softmax regression trained by plain (batch) gradient descent on all m examples.

    Each step: :math:`W \leftarrow W - \alpha\,dW`, :math:`b \leftarrow b - \alpha\,db`,
    with the gradients of :func:`softmax_regression_cost`.

    Args:
        X: (n_x, m). labels: (m,) integers in [0, n_classes).
        n_classes: n_y >= 2. num_iterations: gradient steps, >= 1.
        learning_rate: α > 0. record_every: record the cost every this many steps, >= 1.
        parameters: where to start (a dict W (n_y, n_x), b (n_y, 1), copied, not changed),
            or None for zeros (:func:`initialize_softmax_regression`).

    Returns:
        (parameters, costs): the trained W, b and the costs at steps 0, record_every, ….
    """
    Y = one_hot(labels, n_classes).astype(X.dtype)               # (n_y, m)
    if parameters is None:
        parameters = initialize_softmax_regression.unchecked(X.shape[0], n_classes, X.dtype)
    costs = []
    for i in range(num_iterations):
        cost, grads = softmax_regression_cost.unchecked(X, Y, parameters)
        if i % record_every == 0:
            costs.append(cost)
        parameters["W"] -= learning_rate * grads["dW"]
        parameters["b"] -= learning_rate * grads["db"]
    return parameters, costs


def train_softmax_regression_adam(X, labels, n_classes, num_epochs=30, batch_size=64,
                                  learning_rate=0.003, seed=0):
    """Softmax regression trained by mini-batch Adam (taught in ``13_optimization``).

    The CNN chapter's baseline, on images unrolled into columns. Each epoch cuts
    a fresh random order of the m examples into batches
    (:func:`lib.minibatch.minibatch_indices`); each batch takes one
    :func:`lib.optimizers.adam_update` step with the gradients of
    :func:`softmax_regression_cost`, starting from zeros.

    Args:
        X: (n_x, m), one example per column (images unrolled with
            :func:`lib.images.images_to_columns`). labels: (m,) integers in
            [0, n_classes). n_classes: n_y >= 2. num_epochs: passes over the data, >= 1.
        batch_size: examples per step, >= 1. learning_rate: Adam's α > 0.
        seed: seeds the shuffling (an int >= 0 or None).

    Returns:
        (parameters, costs): W (n_y, n_x), b (n_y, 1) and the mean cost of each epoch.
    """
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    n_classes = check_positive_int("n_classes", n_classes, minimum=2)
    labels = _check_labels(labels, X.shape[1], n_classes)
    num_epochs = check_positive_int("num_epochs", num_epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    check_positive("learning_rate", learning_rate)
    rng = make_rng(seed)
    parameters = initialize_softmax_regression.unchecked(X.shape[0], n_classes, X.dtype)
    state, costs = {}, []
    for _ in range(num_epochs):
        total = 0.0
        for idx in minibatch_indices(X.shape[1], batch_size, rng):
            cost, grads = softmax_regression_cost.unchecked(X[:, idx], one_hot(labels[idx], n_classes),
                                                            parameters)
            adam_update.unchecked(parameters, grads, state, learning_rate)
            total += cost * idx.size
        costs.append(total / X.shape[1])
    return parameters, costs


@checked_by(_check_predict)
def predict_softmax_regression(X, parameters):
    r"""The most probable class of each column of X: :math:`\arg\max_k z_k`, the same as :math:`\arg\max_k \hat y_k`.

    The softmax keeps the order of the logits, so the prediction needs no exponential.

    Args:
        X: (n_x, m). parameters: W (n_y, n_x), b (n_y, 1).

    Returns:
        (m,) int64, class indices in [0, n_y).
    """
    return (parameters["W"] @ X + parameters["b"]).argmax(axis=0)


@checked_by(_check_confusion)
def confusion_matrix(labels, predictions, n_classes):
    r"""Counts of (true class, predicted class): :math:`C_{jk} = \#\{i : y^{(i)} = j,\ \hat y^{(i)} = k\}`.

    The diagonal holds the correct predictions (its sum over m is the
    accuracy); row j sums to the number of examples of class j; an entry off
    the diagonal, row j, column k, counts examples of class j taken for class k.

    Args:
        labels: (m,) the true classes, integers in [0, n_classes).
        predictions: (m,) the predicted classes, integers in [0, n_classes).
        n_classes: K >= 2.

    Returns:
        (K, K) int64 array: rows the true classes, columns the predicted ones.
    """
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(C, (labels, predictions), 1)               # one count per example, at (y, ŷ)
    return C
