r"""An L-layer fully connected network: forward with caches, backward, and what depth buys.

``chapters/09_deep_networks.ipynb`` derives and runs it: the forward pass with
its caches, the backward pass, a gradient check of the whole network, and
(:func:`tent_map`, :func:`tent_map_network`, :func:`interpolating_network`,
:func:`linear_pieces`) a function a deep narrow ReLU network computes with 2k
units where a one-hidden-layer network needs about 2^k.
``chapters/06_activation_functions.ipynb`` uses it to test the source's claim
that the share of active ReLU units falls by 2^N after N layers, and to show
that a stack of layers without a non-linearity is still one linear map. In the
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
from lib.losses import sigmoid_cross_entropy
from lib.minibatch import minibatch_indices
from lib.optimizers import OPTIMIZERS, _check_hyper, get_update, learning_rate_decay
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


def _check_model(X, Y, layer_dims, num_iterations, learning_rate, seed, init, activation, record_every,
                 parameters=None):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    Y = _check_labels_for(Y, X)
    dims = _check_layer_dims(layer_dims)
    if dims[0] != X.shape[0] or dims[-1] != Y.shape[0]:
        raise ValueError(f"layer_dims: expected [{X.shape[0]}, …, {Y.shape[0]}] (X's and Y's rows), "
                         f"got {dims}")
    if parameters is not None:
        parameters = _check_deep_parameters(parameters, n_x=X.shape[0])
        given = [X.shape[0]] + [parameters[f"W{l}"].shape[0] for l in range(1, len(parameters) // 2 + 1)]
        if given != dims:
            raise ValueError(f"parameters: expected the layers {dims} of layer_dims, got {given}")
    return {"X": X, "Y": Y, "layer_dims": dims, "parameters": parameters,
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
               activation="relu", record_every=100, parameters=None):
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
        parameters: where to start, W1 (n^[1], n_x), b1 (n^[1], 1), …, fitting
            ``layer_dims`` (not changed: new arrays are returned); None (the
            default) draws them with :func:`initialize_deep` (``seed``, ``init``).
            A chosen start shows, for instance, that equal weights stay equal.

    Returns:
        (parameters, costs): the trained parameters (in X's dtype) and the
        costs recorded at iterations 0, record_every, 2·record_every, ….
    """
    if parameters is None:
        parameters = initialize_deep(layer_dims, seed, init)
    parameters = {k: v.astype(X.dtype) for k, v in parameters.items()}
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


def _check_train_deep(X, Y, layer_dims, optimizer, learning_rate, num_epochs, batch_size, seed, decay_rate,
                 activation, hyper):
    # checked_by hands **hyper over as one dict; the body gets it back as keywords
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise ValueError(f"layer_dims: expected a list [n_x, n^[1], …, 1] of at least two sizes, got {layer_dims!r}")
    for size in layer_dims:
        check_positive_int("layer_dims", size)
    if layer_dims[-1] != 1:
        raise ValueError(f"layer_dims: expected one output unit, [n_x, …, 1], got {list(layer_dims)}")
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    check_shape("X", X, (layer_dims[0], None), f"(n_x, m) with n_x = layer_dims[0] = {layer_dims[0]}")
    Y = as_float("Y", Y, ndim=2, meaning="(1, m)")
    check_shape("Y", Y, (1, X.shape[1]), "(1, m), one label per column of X")
    check_labels("Y", Y)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer: expected one of {', '.join(map(repr, OPTIMIZERS))}, got {optimizer!r}")
    if activation not in ("relu", "tanh", "sigmoid", "leaky_relu"):
        raise ValueError(f"activation: expected 'relu', 'tanh', 'sigmoid' or 'leaky_relu', got {activation!r}")
    return dict(X=X, Y=Y.astype(X.dtype), layer_dims=[int(n) for n in layer_dims], optimizer=optimizer,
                learning_rate=float(check_positive("learning_rate", learning_rate)),
                num_epochs=check_positive_int("num_epochs", num_epochs, minimum=0),
                batch_size=check_positive_int("batch_size", batch_size),
                seed=check_seed(seed), decay_rate=float(check_range("decay_rate", decay_rate, low=0)),
                activation=activation, **_check_hyper(optimizer, hyper))


@checked_by(_check_train_deep)
def train_deep(X, Y, layer_dims, optimizer="adam", learning_rate=0.01, num_epochs=100, batch_size=64,
               seed=0, decay_rate=0.0, activation="relu", **hyper):
    r"""Train ``lib.deep``'s L-layer network (sigmoid output, cross-entropy) by mini-batch descent.

    Each epoch e draws :func:`lib.minibatch.minibatch_indices`; for each batch
    :math:`(X^{\{t\}}, Y^{\{t\}})` of :math:`m_t` examples: the forward pass to
    the logits, the batch cost :math:`J^{\{t\}}` and
    :math:`dZ^{[L]} = \frac{1}{m_t}(A^{[L]} - Y^{\{t\}})`, the backward pass, and one
    step of ``optimizer`` with the learning rate
    :math:`\alpha_e = \alpha_0 / (1 + \text{decay\_rate}\cdot e)`.

    Args:
        X: (n_x, m). Y: (1, m) labels in {0, 1}.
        layer_dims: [n_x, n^[1], …, 1].
        optimizer: ``"gd"``, ``"momentum"``, ``"rmsprop"`` or ``"adam"``.
        learning_rate: α₀ > 0. num_epochs: passes over the data, an int >= 0.
        batch_size: B, an int >= 1 (B >= m: batch gradient descent).
        seed: an int >= 0 or None; the same seed gives the same initial
            weights (He) and the same batches, whatever the optimiser.
        decay_rate: >= 0, of :func:`lib.optimizers.learning_rate_decay` (0: a constant rate).
        activation: the hidden layers' activation.
        **hyper: the optimiser's hyper-parameters (``beta``; ``beta1``, ``beta2``, ``epsilon``).

    Returns:
        (parameters, costs): the trained parameters (X's dtype) and the cost of
        every mini-batch before its step, a list of num_epochs · ⌈m/B⌉ floats
        (epoch e's are ``costs[e * ⌈m/B⌉ : (e + 1) * ⌈m/B⌉]``).
    """
    parameters = {k: v.astype(X.dtype) for k, v in initialize_deep(layer_dims, seed).items()}
    update = get_update(optimizer)
    rng = make_rng(None if seed is None else seed + 1)       # the batches' own stream
    state, costs = {}, []
    for epoch in range(num_epochs):
        alpha = learning_rate_decay.unchecked(learning_rate, epoch, decay_rate)
        for idx in minibatch_indices(X.shape[1], batch_size, rng):
            ZL, caches = deep_forward.unchecked(X[:, idx], parameters, activation, "linear")
            cost, dZL = sigmoid_cross_entropy(ZL, Y[:, idx])     # dZL carries the 1/m_t
            update(parameters, deep_backward.unchecked(dZL, caches), state, alpha, **hyper)
            costs.append(cost)
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


# --------------------------------------------------------------------- what depth buys
def _check_tent_map(x, k):
    x = as_float("x", x, meaning="(any shape), values in [0, 1]")
    if np.any((x < 0) | (x > 1)):
        raise ValueError(f"x: expected values in [0, 1] (the tent map's domain), "
                         f"got values in [{float(np.min(x)):g}, {float(np.max(x)):g}]")
    return {"x": x, "k": check_positive_int("k", k, minimum=0)}


@checked_by(_check_tent_map)
def tent_map(x, k=1):
    r"""The tent map composed k times, :math:`t^{k} = t \circ \cdots \circ t`, elementwise on [0, 1].

    .. math:: t(x) = 2\min(x, 1 - x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - \tfrac12)
              \quad (0 \le x \le 1)

    :math:`t^k` is a sawtooth with :math:`2^{k-1}` teeth of height 1 and
    :math:`2^k` linear pieces, with slopes :math:`\pm 2^k`.

    Args:
        x: array of any shape (a scalar works), values in [0, 1].
        k: how many times t is applied, an int >= 0 (0: the identity).

    Returns:
        array of x's shape and float dtype, values in [0, 1].
    """
    for _ in range(k):
        x = 2 * np.minimum(x, 1 - x)
    return x


def _check_tent_network(k):
    return {"k": check_positive_int("k", k, minimum=1)}


@checked_by(_check_tent_network)
def tent_map_network(k):
    r"""A deep, narrow ReLU network that computes :math:`t^k` exactly: k hidden layers of 2 units.

    Layer 1 computes :math:`\mathrm{ReLU}(x)` and :math:`\mathrm{ReLU}(x - \frac12)`; every later
    hidden layer first rebuilds :math:`t = 2a_1 - 4a_2` of the previous layer (folded into its
    weights, :math:`W = [[2, -4], [2, -4]]`, :math:`b = [[0], [-\frac12]]`) and applies the same two
    units to it; the linear output layer :math:`W^{[k+1]} = [2, -4]` gives :math:`t^k(x)`.
    Run it with ``deep_forward(X, parameters, "relu", output_activation="linear")``,
    X of shape (1, m), values in [0, 1].

    Args:
        k: the number of tents composed, an int >= 1.

    Returns:
        dict (float64) W1 (2, 1), b1 (2, 1), W2 … Wk (2, 2), b2 … bk (2, 1),
        W_{k+1} (1, 2), b_{k+1} (1, 1): layer_dims [1, 2, …, 2, 1], 2k hidden units.
    """
    shift = np.array([[0.0], [-0.5]])
    parameters = {"W1": np.ones((2, 1)), "b1": shift.copy()}
    for l in range(2, k + 1):
        parameters[f"W{l}"] = np.array([[2.0, -4.0], [2.0, -4.0]])
        parameters[f"b{l}"] = shift.copy()
    parameters[f"W{k + 1}"] = np.array([[2.0, -4.0]])
    parameters[f"b{k + 1}"] = np.zeros((1, 1))
    return parameters


def _check_interpolating(knots, values):
    knots = as_float("knots", knots, ndim=1, meaning="(n,), strictly increasing")
    if knots.size < 2:
        raise ValueError(f"knots: expected at least 2 points (n,), got shape {knots.shape}")
    if np.any(np.diff(knots) <= 0):
        raise ValueError("knots: expected strictly increasing values, got a step <= 0")
    values = as_float("values", values, ndim=1, meaning="(n,), one per knot")
    check_shape("values", values, knots.shape, "(n,), one value per knot")
    dtype = np.float32 if knots.dtype == values.dtype == np.float32 else np.float64
    return {"knots": knots.astype(dtype, copy=False), "values": values.astype(dtype, copy=False)}


@checked_by(_check_interpolating)
def interpolating_network(knots, values):
    r"""A one-hidden-layer ReLU network (layer_dims [1, n-1, 1]) through n given points.

    With the slopes :math:`s_j = (v_{j+1} - v_j)/(x_{j+1} - x_j)` between the knots, unit j computes
    :math:`\mathrm{ReLU}(x - x_j)` (j = 0 … n-2: one kink each) and the output
    :math:`v_0 + s_0\,\mathrm{ReLU}(x - x_0) + \sum_{j \ge 1} (s_j - s_{j-1})\,\mathrm{ReLU}(x - x_j)`
    is the piecewise-linear interpolant of the points on :math:`[x_0, x_{n-1}]`.
    Each unit adds one kink, so a one-hidden-layer network of n-1 units has
    at most n linear pieces. Run it with ``deep_forward(X, parameters, "relu", "linear")``.

    Args:
        knots: (n,) strictly increasing, n >= 2. values: (n,), the value at each knot.

    Returns:
        dict W1 (n-1, 1), b1 (n-1, 1), W2 (1, n-1), b2 (1, 1), float32 only if both inputs are.
    """
    slopes = np.diff(values) / np.diff(knots)                       # (n-1,)
    changes = np.diff(slopes, prepend=slopes.dtype.type(0))         # s_0, s_1 - s_0, …
    n_units = knots.size - 1
    return {"W1": np.ones((n_units, 1), dtype=knots.dtype), "b1": -knots[:-1, None],
            "W2": changes[None, :], "b2": values[:1, None].copy()}


def _check_linear_pieces(parameters, low, high):
    parameters = _check_deep_parameters(parameters, n_x=1)
    L = len(parameters) // 2
    if parameters[f"W{L}"].shape[0] != 1:
        raise ValueError(f"parameters: expected one output unit, W{L} of shape (1, n^[L-1]), "
                         f"got {parameters[f'W{L}'].shape}")
    low = float(check_range("low", low))
    high = float(check_range("high", high))
    if not high > low:
        raise ValueError(f"high: expected a number > low = {low:g}, got {high!r}")
    return {"parameters": parameters, "low": low, "high": high}


@checked_by(_check_linear_pieces)
def linear_pieces(parameters, low=0.0, high=1.0):
    r"""The kinks of a ReLU network with one input and one output, on [low, high], found exactly.

    A ReLU network of one input is piecewise linear. Going up the layers,
    between two consecutive kinks found so far every pre-activation
    :math:`Z^{[l]}` is linear in x, so a unit of layer l adds a kink where its
    :math:`Z^{[l]}` changes sign inside that interval, at the root of the
    line. Last, the slope of the output on each interval is the backward
    pass's ``dX`` at its midpoint (:math:`W^{[L]} D^{[L-1]} W^{[L-1]} \cdots D^{[1]} W^{[1]}`,
    with :math:`D^{[l]}` the 0/1 mask of active units); the kinks are the
    points where it changes (relative change above 1e-9). Points closer than
    1e-9 (high - low) are merged.

    Args:
        parameters: W1 (n^[1], 1), b1, …, WL (1, n^[L-1]), bL of a network run with
            hidden activation 'relu' and a linear output.
        low, high: the interval, low < high.

    Returns:
        1-d array of the kinks, sorted, strictly inside (low, high), in W1's dtype;
        the output has ``len(kinks) + 1`` linear pieces there.
    """
    L = len(parameters) // 2
    xs = np.array([low, high])
    for l in range(1, L):
        _, caches = deep_forward.unchecked(xs[None, :], parameters, "relu", "linear")
        Z = caches[l - 1][2]                                   # Z^[l] at the points, (n^[l], len(xs))
        za, zb = Z[:, :-1], Z[:, 1:]
        cross = za * zb < 0                                    # a sign change inside the interval
        with np.errstate(divide="ignore", invalid="ignore"):
            roots = xs[:-1] + za / (za - zb) * np.diff(xs)
        xs = np.unique(np.concatenate([xs, roots[cross]]))
        xs = xs[np.concatenate([[True], np.diff(xs) > 1e-9 * (high - low)])]
    mids = (xs[:-1] + xs[1:])[None, :] / 2
    out, caches = deep_forward.unchecked(mids, parameters, "relu", "linear")
    slope = deep_backward.unchecked(np.ones_like(out), caches)["dX"][0]     # d output / dx, each interval
    scale = max(float(np.max(np.abs(slope))), 1e-300)
    changes = np.abs(np.diff(slope)) > 1e-9 * scale
    return xs[1:-1][changes].astype(parameters["W1"].dtype)
