r"""An L-layer fully connected network, to look inside deep ReLU stacks.

Chapter 6 (activation functions) uses it to test the source's claim that the
share of active ReLU units falls by 2^N after N layers, and to show that a
stack of layers without a non-linearity is still one linear map. Layers are
in CS231n's form, ``layer_forward -> (A, cache)`` and
``layer_backward(dA, cache) -> (dA_prev, dW, db)``; in the book's notation,
for layer l = 1 … L,

.. math:: Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]},\qquad A^{[l]} = g^{[l]}(Z^{[l]}),

with :math:`A^{[0]} = X` of shape (n_x, m), W^[l] (n^[l], n^[l-1]), b^[l]
(n^[l], 1). The hidden layers share one activation; the output layer is a
sigmoid unit and the cost the mean cross-entropy.
"""
import numpy as np

from lib._checks import as_array, check_finite, check_labels, check_positive, check_positive_int, check_shape
from lib.activations import get_activation as _activation
from lib.losses import cost

INITIALISATIONS = ("he", "xavier", "small", "zeros")
"""He: std sqrt(2/n^[l-1]) (He et al. 2015); Xavier: sqrt(1/n^[l-1]) (Glorot & Bengio 2010);
small: 0.01; zeros: all weights 0."""


def _num_layers(parameters):
    L = 0
    while f"W{L + 1}" in parameters:
        L += 1
    if L == 0:
        raise ValueError("parameters: expected keys W1, b1, …, WL, bL, found no W1")
    return L


def _check_X(X, parameters):
    X = as_array("X", X, ndim=2)
    check_finite("X", X)
    n_x = np.shape(parameters["W1"])[1]
    return check_shape("X", X, (n_x, None), "(n_x, m), n_x = W1's columns")


def initialize_deep(layer_dims, seed=0, init="he", bias_std=0.0):
    r"""Random weights for an L-layer network; biases zero unless ``bias_std`` > 0.

    Args:
        layer_dims: [n^[0], n^[1], …, n^[L]], each >= 1 (n^[0] = n_x).
        seed: the random seed.
        init: 'he' (std :math:`\sqrt{2/n^{[l-1]}}`, for ReLU), 'xavier'
            (:math:`\sqrt{1/n^{[l-1]}}`, for tanh), 'small' (0.01) or 'zeros';
            or a float, the standard deviation itself.
        bias_std: standard deviation of Gaussian biases (0: all biases zero).
            With zero biases, which units fire depends only on the weights'
            direction, not their scale, so 'he', 'xavier' and 'small' give the
            same active units for the same seed.

    Returns:
        dict W1 (n^[1], n^[0]), b1 (n^[1], 1), …, WL, bL.
    """
    dims = [check_positive_int(f"layer_dims[{i}]", n) for i, n in enumerate(layer_dims)]
    if len(dims) < 2:
        raise ValueError(f"layer_dims: expected at least [n_x, n_y], got {list(layer_dims)}")
    if not (np.isscalar(bias_std) and np.isfinite(bias_std) and bias_std >= 0):
        raise ValueError(f"bias_std: expected a number >= 0, got {bias_std!r}")
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(dims)):
        fan_in = dims[l - 1]
        if init == "he":
            std = np.sqrt(2.0 / fan_in)
        elif init == "xavier":
            std = np.sqrt(1.0 / fan_in)
        elif init == "small":
            std = 0.01
        elif init == "zeros":
            std = 0.0
        elif isinstance(init, (int, float)) and not isinstance(init, bool) and init > 0:
            std = float(init)
        else:
            raise ValueError(f"init: expected one of {INITIALISATIONS} or a std > 0, got {init!r}")
        params[f"W{l}"] = rng.standard_normal((dims[l], fan_in)) * std
        params[f"b{l}"] = rng.standard_normal((dims[l], 1)) * bias_std
    return params


def layer_forward(A_prev, W, b, activation="relu"):
    r"""One layer: :math:`Z = W A_{prev} + b`, :math:`A = g(Z)`.

    Args:
        A_prev: (n^[l-1], m). W: (n^[l], n^[l-1]). b: (n^[l], 1).
        activation: a name of ``lib.activations.ACTIVATIONS``.

    Returns:
        (A, cache): A (n^[l], m); cache (A_prev, W, Z, activation).
    """
    g, _ = _activation(activation)
    Z = W @ A_prev + b
    return g(Z), (A_prev, W, Z, activation)


def layer_backward(dA, cache):
    r"""Backward through one layer: :math:`dZ = dA \odot g'(Z)`,
    :math:`dW = \frac1m dZ A_{prev}^T`, :math:`db = \frac1m\sum_i dZ`, :math:`dA_{prev} = W^T dZ`.

    (The 1/m is here because ``dA`` is the gradient of the *summed* loss at
    this layer; :func:`deep_backward` passes it that way.)

    Returns:
        (dA_prev (n^[l-1], m), dW (n^[l], n^[l-1]), db (n^[l], 1)).
    """
    A_prev, W, Z, activation = cache
    _, g_prime = _activation(activation)
    dZ = dA * g_prime(Z)
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def deep_forward(X, parameters, activation="relu"):
    """The forward pass of the L-layer network: hidden layers ``activation``, output sigmoid.

    Args:
        X: (n_x, m). parameters: from :func:`initialize_deep`.
        activation: the hidden layers' activation (``'linear'`` makes the whole stack linear).

    Returns:
        (AL, caches): AL (n^[L], m) output probabilities; caches a list of L
        layer caches, ``caches[l-1][2]`` being Z^[l].
    """
    X = _check_X(X, parameters)
    L = _num_layers(parameters)
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = layer_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                 activation if l < L else "sigmoid")
        caches.append(cache)
    return A, caches


def deep_cost(AL, Y):
    """Mean cross-entropy of AL (n_y, m) against labels Y (n_y, m); AL is clipped to [1e-12, 1 - 1e-12]."""
    AL = as_array("AL", AL, ndim=2)
    Y = as_array("Y", Y, ndim=2)
    check_shape("Y", Y, AL.shape, "(n_y, m), AL's shape")
    check_labels("Y", Y)
    return cost(AL, Y)


def deep_backward(AL, Y, caches):
    r"""Gradients of the mean cross-entropy for every layer.

    Starts from :math:`dZ^{[L]} = A^{[L]} - Y` (sigmoid with cross-entropy),
    written as :math:`dA^{[L]}` such that :math:`dA \odot \sigma'(Z) = A - Y`,
    then runs :func:`layer_backward` from layer L down to 1.

    Args:
        AL: (n_y, m) outputs. Y: (n_y, m) labels. caches: from :func:`deep_forward`.

    Returns:
        dict dW1, db1, …, dWL, dbL, each the shape of its parameter.
    """
    AL = as_array("AL", AL, ndim=2)
    Y = as_array("Y", Y, ndim=2)
    check_shape("Y", Y, AL.shape, "(n_y, m), AL's shape")
    check_labels("Y", Y)
    L = len(caches)
    grads = {}
    # output layer: dZ = A - Y directly (avoids dividing by a(1 - a) near 0)
    A_prev, W, Z, _ = caches[-1]
    m = A_prev.shape[1]
    dZ = AL - Y
    grads[f"dW{L}"] = dZ @ A_prev.T / m
    grads[f"db{L}"] = np.sum(dZ, axis=1, keepdims=True) / m
    dA = W.T @ dZ
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = layer_backward(dA, caches[l - 1])
    return grads


def deep_model(X, Y, layer_dims, num_iterations=2000, learning_rate=0.1, seed=0, init="he",
               activation="relu", record_every=100):
    """Train the L-layer network by batch gradient descent.

    Args:
        X: (n_x, m). Y: (n_y, m) labels. layer_dims: [n_x, n^[1], …, n_y] with
        n_x = X's rows and n_y = Y's rows. Other arguments as in :func:`initialize_deep`
        and :func:`deep_forward`; learning_rate α > 0.

    Returns:
        (parameters, costs): the trained parameters and the costs recorded every
        ``record_every`` iterations.
    """
    X = as_array("X", X, ndim=2)
    Y = as_array("Y", Y, ndim=2)
    check_shape("Y", Y, (None, X.shape[1]), "(n_y, m), m as in X")
    check_labels("Y", Y)
    check_positive("learning_rate", learning_rate)
    num_iterations = check_positive_int("num_iterations", num_iterations, minimum=0)
    if layer_dims[0] != X.shape[0] or layer_dims[-1] != Y.shape[0]:
        raise ValueError(f"layer_dims: expected [{X.shape[0]}, …, {Y.shape[0]}] (X's and Y's rows), "
                         f"got {list(layer_dims)}")
    parameters = initialize_deep(layer_dims, seed, init)
    costs = []
    for i in range(num_iterations):
        AL, caches = deep_forward(X, parameters, activation)
        if i % record_every == 0:
            costs.append(deep_cost(AL, Y))
        grads = deep_backward(AL, Y, caches)
        for key in parameters:
            parameters[key] = parameters[key] - learning_rate * grads["d" + key]
    return parameters, costs


def deep_predict(parameters, X, activation="relu"):
    """Labels 0/1 (n_y, m): 1 where the output probability exceeds 0.5."""
    AL, _ = deep_forward(X, parameters, activation)
    return (AL > 0.5).astype(float)


def hidden_preactivations(X, parameters, activation="relu"):
    """The hidden layers' Z^[1], …, Z^[L-1], each (n^[l], m), for the input X (n_x, m)."""
    _, caches = deep_forward(X, parameters, activation)
    return [cache[2] for cache in caches[:-1]]


def active_fraction(X, parameters):
    r"""Share of active ReLU units in each hidden layer: the mean of :math:`[Z^{[l]} > 0]`.

    Args:
        X: (n_x, m) inputs. parameters: an L-layer ReLU network.

    Returns:
        (L-1,) array; entry l-1 is the fraction of (unit, example) pairs of
        hidden layer l whose pre-activation is positive.
    """
    return np.array([np.mean(Z > 0) for Z in hidden_preactivations(X, parameters)])


def active_path_fraction(X, parameters):
    r"""Share of input-to-output paths that stay active up to each hidden layer.

    A path picks one unit in every layer. For a fully connected network a
    path through hidden layers 1 … N is active on example i when all N units
    on it are, so the active share of paths is the product of the per-layer
    shares for that example, :math:`\prod_{l \le N} f_l^{(i)}` with
    :math:`f_l^{(i)} = \frac{1}{n^{[l]}}\sum_j [Z^{[l]}_{j i} > 0]`; it is then
    averaged over the m examples.

    Args:
        X: (n_x, m) inputs. parameters: an L-layer ReLU network.

    Returns:
        (L-1,) array; entry N-1 is the mean share of active paths through the first N hidden layers.
    """
    per_example = np.array([np.mean(Z > 0, axis=0) for Z in hidden_preactivations(X, parameters)])
    return np.mean(np.cumprod(per_example, axis=0), axis=1)


def dead_fraction(X, parameters):
    """Share of units in each hidden layer that are inactive on *every* example of X, (L-1,)."""
    return np.array([np.mean(np.all(Z <= 0, axis=1)) for Z in hidden_preactivations(X, parameters)])


def collapse_linear(parameters):
    r"""The single affine map equal to a stack of linear layers (hidden activation 'linear').

    :math:`W = W^{[L]} \cdots W^{[1]}` and
    :math:`b = \sum_l W^{[L]}\cdots W^{[l+1]} b^{[l]}`, so that
    :math:`Z^{[L]} = W X + b` for every X.

    Returns:
        (W (n^[L], n^[0]), b (n^[L], 1)).
    """
    L = _num_layers(parameters)
    W = np.asarray(parameters["W1"], dtype=float)
    b = np.asarray(parameters["b1"], dtype=float)
    for l in range(2, L + 1):
        W_l = np.asarray(parameters[f"W{l}"], dtype=float)
        W, b = W_l @ W, W_l @ b + parameters[f"b{l}"]
    return W, b
