r"""Regularisation: inverted dropout, the L2 term, and a deep network trained with both.

Taught in chapter ``11_regularization`` (generalisation). The network is
:mod:`lib.deep`'s, reused through its public layer functions; this module adds
what makes it generalise:

* **L2 regularisation (weight decay).** The cost becomes

  .. math:: J = \frac1m \sum_{i=1}^m \mathcal L(\hat y^{(i)}, y^{(i)})
            + \frac{\lambda}{2m} \sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2 ,

  with :math:`\lVert W \rVert_F^2 = \sum_{j,k} W_{jk}^2` (the squared Frobenius
  norm), m the number of training examples and λ >= 0. Only the weights are
  penalised, not the biases. Its gradient adds :math:`\frac{\lambda}{m} W^{[l]}`
  to each :math:`dW^{[l]}`, so a gradient step is
  :math:`W := (1 - \alpha\lambda/m) W - \alpha\, dW_{\text{data}}`: the weights
  shrink by a constant factor every step, hence "weight decay".
  (:func:`l2_cost`, :func:`add_l2_gradient`.)
* **Inverted dropout** (Srivastava et al. 2014). During training every unit of
  a hidden layer is kept with probability ``keep_prob`` and its activation
  divided by ``keep_prob``, so that :math:`\mathbb E[\tilde A] = A` and nothing
  changes at test time. (:func:`dropout_forward`, :func:`dropout_backward`.)
* **Early stopping.** :func:`train_regularized` records the cost on a dev set
  and, given a ``patience``, stops when it has not improved for that many
  records and returns the parameters with the best dev cost.

Layers follow the package's contract (CONTRIBUTING, "The contract"):
``X_forward(...) -> (out, cache)``, ``X_backward(dout, cache) -> grads``, and
no backward pass divides by m (the cost's gradient carries the 1/m once).
"""
import numpy as np

from lib._checks import (as_float, check_choice, check_labels, check_parameters, check_positive, check_positive_int,
                         check_range, check_seed, check_shape, checked_by)
from lib.activations import get_activation
from lib.deep import (ACTIVATION_NAMES, deep_cost, deep_forward, initialize_deep, layer_backward,
                      layer_forward)

_KEEP_PROB = "keep_prob"
_sigmoid, _ = get_activation("sigmoid")     # the unchecked kernel, for the training loop


# --------------------------------------------------------------------- checks
def _check_keep_prob(keep_prob):
    return float(check_range(_KEEP_PROB, keep_prob, 0, 1, low_open=True))


def _rng(seed):
    """A numpy Generator: ``seed`` itself when it is one, else ``default_rng(seed)`` (int >= 0 or None)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_seed(seed))


def _check_seed_or_rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    return check_seed(seed)


def _check_dropout_forward(A, keep_prob, seed):
    return {"A": as_float("A", A, meaning="(n^[l], m)"), "keep_prob": _check_keep_prob(keep_prob),
            "seed": _check_seed_or_rng(seed)}


def _check_dropout_cache(cache):
    if not (isinstance(cache, tuple) and len(cache) == 2 and isinstance(cache[0], np.ndarray)
            and cache[0].dtype == bool):
        raise TypeError(f"cache: expected the cache (D, keep_prob) that dropout_forward returns, "
                        f"got {type(cache).__name__}")
    _check_keep_prob(cache[1])
    return cache


def _check_dropout_backward(dout, cache):
    cache = _check_dropout_cache(cache)
    dout = as_float("dout", dout, meaning="the shape of dropout_forward's output")
    check_shape("dout", dout, cache[0].shape, "(the shape of dropout_forward's output)")
    return {"dout": dout, "cache": cache}


def _weights(parameters):
    """The weight matrices of a parameter dict: every key that starts with 'W' (biases are not penalised)."""
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters: expected a dict of arrays W1, b1, …, got {type(parameters).__name__}")
    names = [k for k in parameters if isinstance(k, str) and k.startswith("W")]
    if not names:
        raise ValueError(f"parameters: expected weights named 'W…' (W1, W2, …), got keys {list(parameters)}")
    return check_parameters("parameters", parameters, {k: None for k in names})


def _check_l2(parameters, lambd, m):
    return {"parameters": _weights(parameters), "lambd": float(check_range("lambd", lambd, 0)),
            "m": check_positive_int("m", m)}


def _check_add_l2(grads, parameters, lambd, m):
    checked = _check_l2(parameters, lambd, m)
    if not isinstance(grads, dict):
        raise TypeError(f"grads: expected a dict dW1, db1, …, got {type(grads).__name__}")
    for name, W in checked["parameters"].items():
        if "d" + name not in grads:
            raise ValueError(f"grads: missing 'd{name}' for the weight {name!r}; expected keys 'd' + name")
        dW = as_float(f"grads['d{name}']", grads["d" + name])
        check_shape(f"grads['d{name}']", dW, W.shape, f"(the shape of {name})")
    return {"grads": grads, **checked}


def _num_layers(parameters):
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters: expected a dict W1, b1, …, WL, bL (from initialize_deep), "
                        f"got {type(parameters).__name__}")
    L = 0
    while f"W{L + 1}" in parameters:
        L += 1
    if L == 0:
        raise ValueError(f"parameters: expected keys W1, b1, …, WL, bL (from initialize_deep), found no 'W1'")
    return L


def _check_network_parameters(parameters, n_x):
    L = _num_layers(parameters)
    shapes, n_prev = {}, n_x
    for l in range(1, L + 1):
        W = check_parameters("parameters", parameters, {f"W{l}": (None, n_prev)}, "initialize_deep")[f"W{l}"]
        shapes[f"W{l}"], shapes[f"b{l}"], n_prev = W.shape, (W.shape[0], 1), W.shape[0]
    return check_parameters("parameters", parameters, shapes, "initialize_deep")


def _check_network_forward(X, parameters, keep_prob, seed, activation):
    parameters = _check_network_parameters(parameters, None)
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    check_shape("X", X, (parameters["W1"].shape[1], None), "(n_x, m), n_x = W1's columns")
    return {"X": X, "parameters": parameters,
            "keep_prob": _check_keep_prob(keep_prob), "seed": _check_seed_or_rng(seed),
            "activation": check_choice("activation", activation, ACTIVATION_NAMES)}


def _check_network_backward(dZL, caches):
    if not (isinstance(caches, list) and caches
            and all(isinstance(c, tuple) and len(c) == 2 and isinstance(c[0], tuple) and len(c[0]) == 4
                    and isinstance(c[0][2], np.ndarray) for c in caches)):
        raise TypeError(f"caches: expected the list of (layer cache, dropout cache) that "
                        f"dropout_network_forward returns, got {type(caches).__name__}")
    dZL = as_float("dZL", dZL, ndim=2, meaning="(n^[L], m)")
    check_shape("dZL", dZL, caches[-1][0][2].shape, "(n^[L], m), the shape of the network's output")
    return {"dZL": dZL, "caches": caches}


def _check_train(X, Y, layer_dims, num_iterations, learning_rate, lambd, keep_prob, X_dev, Y_dev, patience,
                 seed, init, activation, record_every):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    Y = as_float("Y", Y, ndim=2, meaning="(1, m)")
    check_shape("Y", Y, (None, X.shape[1]), "(n_y, m), m = X's columns")
    check_labels("Y", Y)
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise ValueError(f"layer_dims: expected a list [n_x, n^[1], …, n_y], got {layer_dims!r}")
    dims = [check_positive_int(f"layer_dims[{i}]", n) for i, n in enumerate(layer_dims)]
    if dims[0] != X.shape[0] or dims[-1] != Y.shape[0]:
        raise ValueError(f"layer_dims: expected [{X.shape[0]}, …, {Y.shape[0]}] (X's and Y's rows), got {dims}")
    if (X_dev is None) != (Y_dev is None):
        raise ValueError("X_dev: expected X_dev and Y_dev together (both or neither)")
    if X_dev is not None:
        X_dev = as_float("X_dev", X_dev, ndim=2, meaning="(n_x, m_dev)")
        check_shape("X_dev", X_dev, (X.shape[0], None), "(n_x, m_dev), n_x = X's rows")
        Y_dev = as_float("Y_dev", Y_dev, ndim=2, meaning="(n_y, m_dev)")
        check_shape("Y_dev", Y_dev, (Y.shape[0], X_dev.shape[1]), "(n_y, m_dev)")
        check_labels("Y_dev", Y_dev)
        Y_dev = Y_dev.astype(X_dev.dtype, copy=False)
    if patience is not None:
        patience = check_positive_int("patience", patience)
        if X_dev is None:
            raise ValueError("patience: early stopping needs a dev set (X_dev, Y_dev)")
    return {"X": X, "Y": Y.astype(X.dtype, copy=False), "layer_dims": dims,
            "num_iterations": check_positive_int("num_iterations", num_iterations, minimum=0),
            "learning_rate": float(check_positive("learning_rate", learning_rate)),
            "lambd": float(check_range("lambd", lambd, 0)), "keep_prob": _check_keep_prob(keep_prob),
            "X_dev": X_dev, "Y_dev": Y_dev, "patience": patience, "seed": check_seed(seed),
            "init": init, "activation": check_choice("activation", activation, ACTIVATION_NAMES),
            "record_every": check_positive_int("record_every", record_every)}


# --------------------------------------------------------------------- inverted dropout
@checked_by(_check_dropout_forward)
def dropout_forward(A, keep_prob=0.8, seed=0):
    r"""Inverted dropout: keep each unit with probability ``keep_prob``, scale the kept ones by 1/keep_prob.

    .. math::

        D_{jk} \sim \text{Bernoulli}(p),\qquad \tilde A = \frac{D \odot A}{p},
        \qquad \mathbb E[\tilde A_{jk}] = \frac{p\,A_{jk} + (1 - p)\cdot 0}{p} = A_{jk},

    with p = ``keep_prob``. Because the expectation is unchanged, the network
    is used as it is at test time (no dropout, no rescaling).

    Args:
        A: the activations to drop, any shape: (n^[l], m) for a dense layer,
            (m, n_H, n_W, n_C) for a convolutional one.
        keep_prob: p, the probability of keeping a unit, in (0, 1]; 1 keeps all.
        seed: an int >= 0, None (fresh randomness) or a ``numpy.random.Generator``
            (a training loop passes one, so that every step draws a new mask).
            A fixed int gives a fixed mask, which is what a gradient check needs.

    Returns:
        (out, cache): out :math:`\tilde A`, A's shape and dtype; cache the tuple
        (D, keep_prob), D the boolean mask, for :func:`dropout_backward`.
    """
    D = _rng(seed).random(A.shape) < keep_prob          # True with probability keep_prob
    return A * D / A.dtype.type(keep_prob), (D, keep_prob)


@checked_by(_check_dropout_backward)
def dropout_backward(dout, cache):
    r"""Backward through inverted dropout: the same mask, the same scaling.

    :math:`\tilde A = D \odot A / p` is linear in A, so :math:`dA = D \odot d\tilde A / p`:
    a dropped unit passes no gradient back.

    Args:
        dout: :math:`\partial J/\partial \tilde A`, the shape of the forward output.
        cache: (D, keep_prob) from :func:`dropout_forward`.

    Returns:
        dict dA, dout's shape and dtype.
    """
    D, keep_prob = cache
    return {"dA": dout * D / dout.dtype.type(keep_prob)}


# --------------------------------------------------------------------- the L2 term
@checked_by(_check_l2)
def l2_cost(parameters, lambd, m):
    r"""The L2 penalty :math:`\frac{\lambda}{2m}\sum_l \lVert W^{[l]}\rVert_F^2`, added to the mean loss.

    The book's convention (the lecture's): the regularised cost is
    :math:`J = \frac1m\sum_i \mathcal L^{(i)} + \frac{\lambda}{2m}\sum_l \lVert W^{[l]}\rVert_F^2`,
    so both terms scale with 1/m and λ keeps its meaning as the training set grows.

    Args:
        parameters: dict of arrays; every key that starts with 'W' is a weight and
            is penalised (W1 (n^[1], n^[0]), …, or a CNN's filters); biases are not.
        lambd: λ >= 0 (``lambda`` is a Python keyword).
        m: the number of training examples, an int >= 1.

    Returns:
        the penalty, a float (0.0 when λ = 0).
    """
    return lambd / (2 * m) * sum(float(np.sum(np.square(W))) for W in parameters.values())


@checked_by(_check_add_l2)
def add_l2_gradient(grads, parameters, lambd, m):
    r"""The gradient of the L2 term added to each weight's gradient: :math:`dW^{[l]} + \frac{\lambda}{m} W^{[l]}`.

    :math:`\partial/\partial W\ \big(\tfrac{\lambda}{2m}\lVert W\rVert_F^2\big) = \tfrac{\lambda}{m} W`.

    Args:
        grads: dict of gradients keyed ``"d" + name`` (dW1, db1, …), each the shape of its parameter.
        parameters: the parameters (see :func:`l2_cost`). lambd: λ >= 0. m: training examples, >= 1.

    Returns:
        a new dict: every dW… with :math:`\frac{\lambda}{m}W` added (in dW's dtype),
        every other gradient (db…) unchanged; ``grads`` itself is not modified.
    """
    out = dict(grads)
    for name, W in parameters.items():
        dW = np.asarray(grads["d" + name])
        out["d" + name] = dW + (lambd / m * W).astype(dW.dtype, copy=False)
    return out


# --------------------------------------------------------------------- the network with dropout
@checked_by(_check_network_forward)
def dropout_network_forward(X, parameters, keep_prob=1.0, seed=0, activation="relu"):
    r"""The L-layer network of :mod:`lib.deep` with inverted dropout after every hidden layer.

    For l = 1 … L−1: :math:`A^{[l]} = g(W^{[l]} A^{[l-1]} + b^{[l]})`, then
    :math:`A^{[l]} := D^{[l]} \odot A^{[l]} / p` (:func:`dropout_forward`); the
    output layer gives the logits :math:`Z^{[L]} = W^{[L]} A^{[L-1]} + b^{[L]}`
    (no dropout on the input or the output). Each layer is
    ``lib.deep.layer_forward``.

    Args:
        X: (n_x, m). parameters: W1 (n^[1], n_x), b1 (n^[1], 1), …, WL, bL (from
            ``lib.deep.initialize_deep``).
        keep_prob: p in (0, 1] (1: no dropout). seed: an int >= 0, None or a
            ``numpy.random.Generator``; one generator draws the masks of all layers.
        activation: the hidden layers' activation.

    Returns:
        (ZL, caches): the logits (n^[L], m); caches the list of L pairs
        (layer cache, dropout cache or None), for :func:`dropout_network_backward`.
    """
    rng = _rng(seed)
    L = len([k for k in parameters if k.startswith("W")])
    A, caches = X, []
    for l in range(1, L + 1):
        A, layer_cache = layer_forward.unchecked(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                                 activation if l < L else "linear")
        drop_cache = None
        if l < L and keep_prob < 1:
            A, drop_cache = dropout_forward.unchecked(A, keep_prob, rng)
        caches.append((layer_cache, drop_cache))
    return A, caches


@checked_by(_check_network_backward)
def dropout_network_backward(dZL, caches):
    r"""Backward through :func:`dropout_network_forward`: for l = L … 1, the layer, then its dropout mask.

    Args:
        dZL: (n^[L], m), :math:`\partial J/\partial Z^{[L]}` (it carries the 1/m).
        caches: from :func:`dropout_network_forward`.

    Returns:
        dict dX (n_x, m) and dW1, db1, …, dWL, dbL, each the shape of its parameter.
    """
    grads, dA = {}, dZL
    for l in range(len(caches), 0, -1):
        layer_cache, drop_cache = caches[l - 1]
        if drop_cache is not None:                      # the mask applied after layer l
            dA = dropout_backward.unchecked(dA, drop_cache)["dA"]
        layer = layer_backward.unchecked(dA, layer_cache)
        grads[f"dW{l}"], grads[f"db{l}"], dA = layer["dW"], layer["db"], layer["dA_prev"]
    grads["dX"] = dA
    return grads


def _only_weights(parameters):
    return {k: v for k, v in parameters.items() if k.startswith("W")}


def _cost(parameters, X, Y, activation):
    """The mean cross-entropy of the network without dropout (the network as it is used)."""
    AL, _ = deep_forward.unchecked(X, parameters, activation, "sigmoid")
    return deep_cost.unchecked(AL, Y)


def _record(history, i, parameters, X, Y, X_dev, Y_dev, lambd, activation):
    """Append step i's regularised training cost (and dev cost) to history; return the dev cost (inf if none)."""
    history["iteration"].append(i)
    history["train_cost"].append(_cost(parameters, X, Y, activation)
                                 + l2_cost.unchecked(_only_weights(parameters), lambd, X.shape[1]))
    if X_dev is None:
        return np.inf
    history["dev_cost"].append(_cost(parameters, X_dev, Y_dev, activation))
    return history["dev_cost"][-1]


@checked_by(_check_train)
def train_regularized(X, Y, layer_dims, num_iterations=2000, learning_rate=0.1, lambd=0.0, keep_prob=1.0,
                      X_dev=None, Y_dev=None, patience=None, seed=0, init="he", activation="relu",
                      record_every=100):
    r"""Train the L-layer network (sigmoid output) by batch gradient descent with L2, dropout and early stopping.

    Each step: a fresh dropout mask (:func:`dropout_network_forward`), the
    logits, :math:`A^{[L]} = \sigma(Z^{[L]})`, :math:`dZ^{[L]} = \frac1m (A^{[L]} - Y)`,
    the backward pass, :math:`\frac{\lambda}{m}W^{[l]}` added to every
    :math:`dW^{[l]}` (:func:`add_l2_gradient`), and
    :math:`\theta := \theta - \alpha\, d\theta`.

    Every ``record_every`` steps (and at step 0) it records, without dropout,
    the regularised training cost :math:`J` (cross-entropy plus :func:`l2_cost`)
    and, given a dev set, the dev cross-entropy (no penalty: it measures the
    model, not the training objective). **Early stopping**: with ``patience``,
    training stops after ``patience`` records without a new best dev cost, and
    the parameters of the best record are returned.

    Args:
        X: (n_x, m). Y: (n_y, m) labels in {0, 1}. layer_dims: [n_x, n^[1], …, n_y].
        num_iterations: gradient steps (>= 0). learning_rate: α > 0.
        lambd: λ >= 0, the L2 strength (0: none). keep_prob: p in (0, 1] (1: no dropout).
        X_dev, Y_dev: an optional dev set, (n_x, m_dev) and (n_y, m_dev).
        patience: None (train all steps, return the last parameters) or an int >= 1
            (early stopping; needs the dev set).
        seed: seeds the initialisation and the masks (an int >= 0 or None).
        init: as in ``lib.deep.initialize_deep``. activation: the hidden layers'.
        record_every: steps between two records (>= 1).

    Returns:
        (parameters, history): the parameters (in X's dtype); history a dict
        with "iteration" (the steps recorded), "train_cost", "dev_cost" (empty
        without a dev set), "best_iteration" (the step whose parameters are
        returned) and "stopped_at" (the steps actually run).
    """
    parameters = {k: v.astype(X.dtype) for k, v in initialize_deep(layer_dims, seed, init).items()}
    rng = np.random.default_rng(seed)                  # the dropout masks, a new one every step
    m = X.shape[1]
    history = {"iteration": [], "train_cost": [], "dev_cost": [], "best_iteration": 0, "stopped_at": 0}
    best, best_cost, waited = parameters, np.inf, 0
    for i in range(num_iterations + 1):
        if i % record_every == 0 or i == num_iterations:
            dev = _record(history, i, parameters, X, Y, X_dev, Y_dev, lambd, activation)
            if dev < best_cost:                                  # (dev is inf without a dev set)
                best, best_cost, waited, history["best_iteration"] = parameters, dev, 0, i
            else:
                waited += 1
            if patience is not None and waited >= patience:
                break                                            # early stopping
        if i == num_iterations:
            break
        ZL, caches = dropout_network_forward.unchecked(X, parameters, keep_prob, rng, activation)
        dZL = (_sigmoid(ZL) - Y) / m                   # dJ/dZ^[L]: the 1/m of the mean cost, once
        grads = dropout_network_backward.unchecked(dZL, caches)
        if lambd:
            grads = add_l2_gradient.unchecked(grads, _only_weights(parameters), lambd, m)
        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
    history["stopped_at"] = i
    if patience is None:
        history["best_iteration"] = i
        return parameters, history
    return best, history
