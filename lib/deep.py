r"""An L-layer fully connected network, to look inside deep ReLU stacks.

Chapter 6 (activation functions) uses it to test the source's claim that the
share of active ReLU units falls by 2^N after N layers, and to show that a
stack of layers without a non-linearity is still one linear map. In the
book's notation, for layer l = 1 … L,

.. math:: Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]},\qquad A^{[l]} = g^{[l]}(Z^{[l]}),

with :math:`A^{[0]} = X` of shape (n_x, m), W^[l] (n^[l], n^[l-1]), b^[l]
(n^[l], 1). The hidden layers share one activation; the output layer is a
sigmoid unit and the cost the mean cross-entropy.

One layer follows the package's contract (CONTRIBUTING, "The contract"):
``layer_forward(A_prev, W, b, activation) -> (A, cache)`` and
``layer_backward(dA, cache) -> {"dA_prev", "dW", "db"}``; so does the whole
stack, :func:`deep_forward` and :func:`deep_backward`. A backward pass is the
chain rule and nothing else: ``dA`` is :math:`\partial J/\partial A` for the
*mean* cost J, so the 1/m comes in once, with the cost's gradient
(:math:`dZ^{[L]} = \frac1m (A^{[L]} - Y)` for the sigmoid output with the
cross-entropy, as ``losses.sigmoid_cross_entropy`` returns it), and no layer
divides by m. Public functions check their input once; the training loop
:func:`deep_model` calls their unchecked bodies (``function.unchecked``).
"""
import numpy as np

from lib._checks import (as_float, check_choice, check_labels, check_parameters, check_positive,
                         check_positive_int, check_probabilities, check_range, check_seed, check_shape,
                         make_rng)
from lib.activations import ACTIVATIONS, get_activation
from lib.losses import cost as _cross_entropy_cost
from lib._checks import checked_by

INITIALISATIONS = ("he", "xavier", "small", "zeros")
"""He: std sqrt(2/n^[l-1]) (He et al. 2015); Xavier: sqrt(1/n^[l-1]) (Glorot & Bengio 2010);
small: 0.01; zeros: all weights 0."""

ACTIVATION_NAMES = tuple(ACTIVATIONS)
"""The names ``activation`` accepts: those of ``lib.activations.ACTIVATIONS``."""

_sigmoid, _ = get_activation("sigmoid")     # the unchecked kernel, for the training loop


# --------------------------------------------------------------------- checks
def _check_activation(activation, name="activation"):
    return check_choice(name, activation, ACTIVATION_NAMES)


def _num_layers(parameters, name="parameters"):
    if not isinstance(parameters, dict):
        raise TypeError(f"{name}: expected a dict W1, b1, …, WL, bL (from initialize_deep), "
                        f"got {type(parameters).__name__}")
    L = 0
    while f"W{L + 1}" in parameters:
        L += 1
    if L == 0:
        raise ValueError(f"{name}: expected keys W1, b1, …, WL, bL (from initialize_deep), found no 'W1'")
    return L


def _check_deep_parameters(parameters, n_x=None, name="parameters"):
    """W1, b1, …, WL, bL: finite, W^[l] (n^[l], n^[l-1]) and b^[l] (n^[l], 1) fitting each other."""
    L = _num_layers(parameters, name)
    checked, n_prev = {}, n_x
    for l in range(1, L + 1):
        W = check_parameters(name, parameters, {f"W{l}": (None, n_prev)}, "initialize_deep")[f"W{l}"]
        b = check_parameters(name, parameters, {f"b{l}": (W.shape[0], 1)}, "initialize_deep")[f"b{l}"]
        checked[f"W{l}"], checked[f"b{l}"], n_prev = W, b, W.shape[0]
    return checked


def _check_X(X, parameters):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    return check_shape("X", X, (parameters["W1"].shape[1], None), "(n_x, m), n_x = W1's columns")


def _check_labels_for(Y, AL_or_X, n_y=None, name="Y"):
    """Labels 0/1, (n_y, m) with m the columns of the other argument, in its float dtype."""
    Y = as_float(name, Y, ndim=2, meaning="(n_y, m)")
    check_shape(name, Y, (n_y, AL_or_X.shape[1]), "(n_y, m)")
    return check_labels(name, Y).astype(AL_or_X.dtype, copy=False)


def _check_layer_cache(cache, name="cache"):
    if not (isinstance(cache, tuple) and len(cache) == 4 and all(isinstance(a, np.ndarray) for a in cache[:3])
            and cache[3] in ACTIVATION_NAMES):
        raise TypeError(f"{name}: expected the cache (A_prev, W, Z, activation) that layer_forward returns, "
                        f"got {type(cache).__name__}")
    A_prev, W, Z, _ = cache
    if not (A_prev.ndim == W.ndim == Z.ndim == 2 and W.shape[1] == A_prev.shape[0]
            and Z.shape == (W.shape[0], A_prev.shape[1])):
        raise ValueError(f"{name}: its arrays do not fit together: A_prev {A_prev.shape}, W {W.shape}, "
                         f"Z {Z.shape}; expected the cache that layer_forward returns")
    return cache


def _check_layer_forward(A_prev, W, b, activation):
    A_prev = as_float("A_prev", A_prev, ndim=2, meaning="(n^[l-1], m)")
    W = as_float("W", W, ndim=2, meaning="(n^[l], n^[l-1])")
    check_shape("W", W, (None, A_prev.shape[0]), "(n^[l], n^[l-1]), n^[l-1] = A_prev's rows")
    b = as_float("b", b, meaning="(n^[l], 1)")
    check_shape("b", b, (W.shape[0], 1), "(n^[l], 1), n^[l] = W's rows")
    return {"A_prev": A_prev, "W": W, "b": b, "activation": _check_activation(activation)}


def _check_layer_backward(dA, cache):
    cache = _check_layer_cache(cache)
    dA = as_float("dA", dA, ndim=2, meaning="(n^[l], m)")
    check_shape("dA", dA, cache[2].shape, "(n^[l], m), the shape of the layer's output A")
    return {"dA": dA, "cache": cache}


def _check_deep_forward(X, parameters, activation, output_activation):
    parameters = _check_deep_parameters(parameters)
    return {"X": _check_X(X, parameters), "parameters": parameters,
            "activation": _check_activation(activation),
            "output_activation": _check_activation(output_activation, "output_activation")}


def _check_deep_backward(dAL, caches):
    if not isinstance(caches, (list, tuple)) or len(caches) == 0:
        raise TypeError(f"caches: expected the list of layer caches that deep_forward returns, "
                        f"got {type(caches).__name__}")
    for l, cache in enumerate(caches):
        _check_layer_cache(cache, f"caches[{l}]")
        if l and cache[0].shape != caches[l - 1][2].shape:
            raise ValueError(f"caches[{l}]: its input {cache[0].shape} is not the output {caches[l - 1][2].shape} "
                             f"of caches[{l - 1}]; expected the list that deep_forward returns")
    dAL = as_float("dAL", dAL, ndim=2, meaning="(n^[L], m)")
    check_shape("dAL", dAL, caches[-1][2].shape, "(n^[L], m), the shape of the network's output")
    return {"dAL": dAL, "caches": list(caches)}


def _check_deep_cost(AL, Y):
    AL = as_float("AL", AL, ndim=2, meaning="(n_y, m)")
    check_probabilities("AL", AL)
    return {"AL": AL, "Y": _check_labels_for(Y, AL, AL.shape[0])}


def _check_predict(parameters, X, activation):
    parameters = _check_deep_parameters(parameters)
    return {"parameters": parameters, "X": _check_X(X, parameters), "activation": _check_activation(activation)}


def _check_hidden(X, parameters, activation):
    return {"activation": _check_activation(activation), **_check_relu_network(X, parameters)}


def _check_relu_network(X, parameters):
    parameters = _check_deep_parameters(parameters)
    return {"X": _check_X(X, parameters), "parameters": parameters}


def _check_init(init):
    if isinstance(init, str):
        return check_choice("init", init, INITIALISATIONS)
    if isinstance(init, bool) or not isinstance(init, (int, float, np.integer, np.floating)):
        raise TypeError(f"init: expected one of {INITIALISATIONS} or a standard deviation > 0, got {init!r}")
    return float(check_positive("init", init))


def _check_layer_dims(layer_dims):
    if not isinstance(layer_dims, (list, tuple, np.ndarray)):
        raise TypeError(f"layer_dims: expected a list [n_x, n^[1], …, n_y], got {type(layer_dims).__name__}")
    dims = [check_positive_int(f"layer_dims[{i}]", n) for i, n in enumerate(layer_dims)]
    if len(dims) < 2:
        raise ValueError(f"layer_dims: expected at least [n_x, n_y], got {list(layer_dims)}")
    return dims


def _check_model(X, Y, layer_dims, num_iterations, learning_rate, seed, init, activation, record_every):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    Y = _check_labels_for(Y, X)
    dims = _check_layer_dims(layer_dims)
    if dims[0] != X.shape[0] or dims[-1] != Y.shape[0]:
        raise ValueError(f"layer_dims: expected [{X.shape[0]}, …, {Y.shape[0]}] (X's and Y's rows), "
                         f"got {dims}")
    return {"X": X, "Y": Y, "layer_dims": dims,
            "num_iterations": check_positive_int("num_iterations", num_iterations, minimum=0),
            "learning_rate": float(check_positive("learning_rate", learning_rate)), "seed": check_seed(seed),
            "init": _check_init(init), "activation": _check_activation(activation),
            "record_every": check_positive_int("record_every", record_every)}


# --------------------------------------------------------------------- parameters
def initialize_deep(layer_dims, seed=0, init="he", bias_std=0.0):
    r"""Random weights for an L-layer network; biases zero unless ``bias_std`` > 0.

    :math:`W^{[l]} \sim \text{std}\cdot\mathcal N(0, 1)`, of shape (n^[l], n^[l-1]).

    Args:
        layer_dims: [n^[0], n^[1], …, n^[L]], each >= 1 (n^[0] = n_x), at least two.
        seed: the random seed, an int >= 0 or None.
        init: 'he' (std :math:`\sqrt{2/n^{[l-1]}}`, for ReLU), 'xavier'
            (:math:`\sqrt{1/n^{[l-1]}}`, for tanh), 'small' (0.01) or 'zeros';
            or a number > 0, the standard deviation itself.
        bias_std: standard deviation of Gaussian biases, >= 0 (0: all biases zero).
            With zero biases, which units fire depends only on the weights'
            direction, not their scale, so 'he', 'xavier' and 'small' give the
            same active units for the same seed.

    Returns:
        dict (float64) W1 (n^[1], n^[0]), b1 (n^[1], 1), …, WL, bL.
    """
    dims = _check_layer_dims(layer_dims)
    init = _check_init(init)
    bias_std = float(check_range("bias_std", bias_std, low=0))
    rng = make_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        fan_in = dims[l - 1]
        std = {"he": np.sqrt(2.0 / fan_in), "xavier": np.sqrt(1.0 / fan_in),
               "small": 0.01, "zeros": 0.0}.get(init, init)
        parameters[f"W{l}"] = rng.standard_normal((dims[l], fan_in)) * std
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * bias_std
    return parameters


# --------------------------------------------------------------------- one layer
@checked_by(_check_layer_forward)
def layer_forward(A_prev, W, b, activation="relu"):
    r"""One layer: :math:`Z = W A_{prev} + b`, :math:`A = g(Z)`.

    Args:
        A_prev: (n^[l-1], m), the previous layer's activations (X for l = 1).
        W: (n^[l], n^[l-1]). b: (n^[l], 1), broadcast along the m columns.
        activation: g, a name of ``lib.activations.ACTIVATIONS``
            ('sigmoid', 'tanh', 'relu', 'leaky_relu', 'step', 'linear').

    Returns:
        (A, cache): A (n^[l], m); cache the tuple (A_prev, W, Z, activation),
        for :func:`layer_backward` only.
    """
    g, _ = get_activation(activation)
    Z = W @ A_prev + b                     # (n^[l], n^[l-1]) @ (n^[l-1], m) -> (n^[l], m)
    return g(Z), (A_prev, W, Z, activation)


@checked_by(_check_layer_backward)
def layer_backward(dA, cache):
    r"""Backward through one layer: the chain rule, nothing else.

    .. math::

        dZ = dA \odot g'(Z),\quad dW = dZ\, A_{prev}^T,\quad
        db = \textstyle\sum_i dZ^{(i)},\quad dA_{prev} = W^T dZ

    No 1/m here: ``dA`` is already :math:`\partial J/\partial A` for the mean
    cost J, so its 1/m (brought in by the cost's gradient) flows into every
    sum over the examples.

    Args:
        dA: (n^[l], m), :math:`\partial J/\partial A^{[l]}`.
        cache: from :func:`layer_forward`.

    Returns:
        dict dA_prev (n^[l-1], m), dW (n^[l], n^[l-1]), db (n^[l], 1).
    """
    A_prev, W, Z, activation = cache
    _, g_prime = get_activation(activation)
    dZ = dA * g_prime(Z)                                  # (n^[l], m)
    return {"dA_prev": W.T @ dZ,                          # (n^[l-1], m)
            "dW": dZ @ A_prev.T,                          # (n^[l], n^[l-1])
            "db": np.sum(dZ, axis=1, keepdims=True)}      # (n^[l], 1)


# --------------------------------------------------------------------- the network
@checked_by(_check_deep_forward)
def deep_forward(X, parameters, activation="relu", output_activation="sigmoid"):
    """The forward pass of the L-layer network: :func:`layer_forward` for l = 1 … L.

    Args:
        X: (n_x, m). parameters: W1 (n^[1], n_x), b1 (n^[1], 1), …, WL, bL, from :func:`initialize_deep`.
        activation: the hidden layers' activation (``'linear'`` makes the whole stack linear).
        output_activation: the output layer's; ``'sigmoid'`` gives probabilities,
            ``'linear'`` the logits :math:`Z^{[L]}`, for a loss that takes logits
            (``losses.sigmoid_cross_entropy``, ``losses.softmax_cross_entropy``).

    Returns:
        (AL, caches): AL (n^[L], m); caches the list of the L layer caches,
        for :func:`deep_backward`.
    """
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = layer_forward.unchecked(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                           activation if l < L else output_activation)
        caches.append(cache)
    return A, caches


@checked_by(_check_deep_backward)
def deep_backward(dAL, caches):
    r"""The backward pass of the L-layer network: :func:`layer_backward` for l = L … 1.

    Args:
        dAL: (n^[L], m), :math:`\partial J/\partial A^{[L]}` for the mean cost J
            (so it carries the 1/m).
        caches: from :func:`deep_forward`.

    Returns:
        dict dX (n_x, m) and dW1, db1, …, dWL, dbL, each the shape of its parameter.
    """
    grads, dA = {}, dAL
    for l in range(len(caches), 0, -1):
        layer = layer_backward.unchecked(dA, caches[l - 1])
        grads[f"dW{l}"], grads[f"db{l}"], dA = layer["dW"], layer["db"], layer["dA_prev"]
    grads["dX"] = dA
    return grads


@checked_by(_check_deep_cost)
def deep_cost(AL, Y):
    r"""Mean cross-entropy :math:`J = -\frac1m\sum_i \big(y^{(i)}\log a^{[L](i)} + (1 - y^{(i)})\log(1 - a^{[L](i)})\big)`.

    Args:
        AL: (n_y, m) output probabilities, in [0, 1]; clipped to [1e-12, 1 − 1e-12].
        Y: (n_y, m) labels in {0, 1}.

    Returns:
        the cost, a float.
    """
    return _cross_entropy_cost(AL, Y)


@checked_by(_check_model)
def deep_model(X, Y, layer_dims, num_iterations=2000, learning_rate=0.1, seed=0, init="he",
               activation="relu", record_every=100):
    r"""Train the L-layer network (sigmoid output, cross-entropy) by batch gradient descent.

    Each step: the forward pass to the logits :math:`Z^{[L]}`, then
    :math:`A^{[L]} = \sigma(Z^{[L]})`, the cost's gradient
    :math:`dZ^{[L]} = \frac1m (A^{[L]} - Y)` (never through
    :math:`1/(a(1-a))`, which overflows near 0 and 1), the backward pass, and
    :math:`\theta := \theta - \alpha\, d\theta`.

    Args:
        X: (n_x, m). Y: (n_y, m) labels in {0, 1}. layer_dims: [n_x, n^[1], …, n_y]
            with n_x = X's rows and n_y = Y's rows.
        num_iterations: gradient steps (>= 0). learning_rate: α > 0.
        seed, init: as in :func:`initialize_deep`. activation: the hidden layers'.
        record_every: the cost is recorded every this many iterations (>= 1).

    Returns:
        (parameters, costs): the trained parameters (in X's dtype) and the
        costs recorded at iterations 0, record_every, 2·record_every, ….
    """
    parameters = {k: v.astype(X.dtype) for k, v in initialize_deep(layer_dims, seed, init).items()}
    m = X.shape[1]
    costs = []
    for i in range(num_iterations):
        ZL, caches = deep_forward.unchecked(X, parameters, activation, "linear")
        AL = _sigmoid(ZL)
        if i % record_every == 0:
            costs.append(deep_cost.unchecked(AL, Y))
        dZL = (AL - Y) / m                      # dJ/dZ^[L]: the 1/m of the mean cost, once
        grads = deep_backward.unchecked(dZL, caches)
        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
    return parameters, costs


@checked_by(_check_predict)
def deep_predict(parameters, X, activation="relu"):
    """Labels 0/1: 1 where the output probability exceeds 0.5.

    Args:
        parameters: from :func:`deep_model`. X: (n_x, m). activation: the hidden layers'.

    Returns:
        (n_y, m) array of 0.0 / 1.0 in X's dtype.
    """
    AL, _ = deep_forward.unchecked(X, parameters, activation, "sigmoid")
    return (AL > 0.5).astype(AL.dtype)


# --------------------------------------------------------------------- looking inside
@checked_by(_check_hidden)
def hidden_preactivations(X, parameters, activation="relu"):
    """The hidden layers' pre-activations.

    Args:
        X: (n_x, m). parameters: W1, b1, …, WL, bL. activation: the hidden layers'.

    Returns:
        list of the L-1 arrays Z^[1], …, Z^[L-1], each (n^[l], m).
    """
    _, caches = deep_forward.unchecked(X, parameters, activation, "sigmoid")
    return [Z for _, _, Z, _ in caches[:-1]]


@checked_by(_check_relu_network)
def active_fraction(X, parameters):
    r"""Share of active ReLU units in each hidden layer: the mean of :math:`[Z^{[l]} > 0]`.

    Args:
        X: (n_x, m) inputs. parameters: an L-layer ReLU network.

    Returns:
        (L-1,) array in X's dtype; entry l-1 is the fraction of (unit, example)
        pairs of hidden layer l whose pre-activation is positive.
    """
    Zs = hidden_preactivations.unchecked(X, parameters, "relu")
    return np.array([np.mean(Z > 0) for Z in Zs], dtype=X.dtype)


@checked_by(_check_relu_network)
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
        (L-1,) array in X's dtype; entry N-1 is the mean share of active paths
        through the first N hidden layers.
    """
    Zs = hidden_preactivations.unchecked(X, parameters, "relu")
    per_example = np.array([np.mean(Z > 0, axis=0) for Z in Zs])      # (L-1, m)
    return np.mean(np.cumprod(per_example, axis=0), axis=1).astype(X.dtype)


@checked_by(_check_relu_network)
def dead_fraction(X, parameters):
    """Share of units in each hidden layer that are inactive on *every* example of X.

    Args:
        X: (n_x, m) inputs. parameters: an L-layer ReLU network.

    Returns:
        (L-1,) array in X's dtype.
    """
    Zs = hidden_preactivations.unchecked(X, parameters, "relu")
    return np.array([np.mean(np.all(Z <= 0, axis=1)) for Z in Zs], dtype=X.dtype)


def collapse_linear(parameters):
    r"""The single affine map equal to a stack of linear layers (hidden activation 'linear').

    :math:`W = W^{[L]} \cdots W^{[1]}` and
    :math:`b = \sum_l W^{[L]}\cdots W^{[l+1]} b^{[l]}`, so that
    :math:`Z^{[L]} = W X + b` for every X.

    Args:
        parameters: W1 (n^[1], n^[0]), b1 (n^[1], 1), …, WL, bL.

    Returns:
        (W (n^[L], n^[0]), b (n^[L], 1)), float32 only if every parameter is.
    """
    parameters = _check_deep_parameters(parameters)
    W, b = parameters["W1"], parameters["b1"]
    for l in range(2, len(parameters) // 2 + 1):
        W_l = parameters[f"W{l}"]
        W, b = W_l @ W, W_l @ b + parameters[f"b{l}"]
    return W, b
