r"""Batch normalisation: the layer, and a deep network that uses it.

Taught in chapter ``14_batch_normalization`` (Ioffe & Szegedy 2015). For the
pre-activations Z of one layer, (n^[l], m) with the m examples of a
mini-batch as columns, training mode normalises every unit (row) over the
batch, then scales and shifts it by learned parameters:

.. math::

    \mu = \frac1m \sum_{i=1}^m z^{(i)},\qquad
    \sigma^2 = \frac1m \sum_{i=1}^m (z^{(i)} - \mu)^2,\qquad
    Z_{\text{norm}} = \frac{Z - \mu}{\sqrt{\sigma^2 + \varepsilon}},\qquad
    \tilde Z = \gamma \odot Z_{\text{norm}} + \beta,

with :math:`\mu, \sigma^2, \gamma, \beta` of shape (n^[l], 1), broadcast along
the columns. Test mode uses running averages of :math:`\mu` and
:math:`\sigma^2` instead of the batch's, so one example can be classified.

**The running statistics.** For one layer, ``running`` is a dict ``{"mean": (n^[l], 1),
"var": (n^[l], 1)}``. In training mode, when a dict is passed, it is updated
in place after the batch statistics are computed: an empty dict is filled
with the first batch's :math:`\mu, \sigma^2`; afterwards each entry becomes
the exponentially weighted average
:math:`\text{mean} \leftarrow \rho\,\text{mean} + (1-\rho)\,\mu` (the same for
var), with :math:`\rho` = ``momentum`` the weight of the past (0.9: about the
last ten batches). ``running=None`` updates nothing. In test mode ``running``
is read, never written, and must hold both entries. For the network,
``running`` is one flat dict ``{"mean1", "var1", "mean2", …}``, like ``parameters``.

**The network.** Hidden layer l computes :math:`Z^{[l]} = W^{[l]}A^{[l-1]}`
(no bias: :math:`\beta^{[l]}` takes its place), :math:`\tilde Z^{[l]} =
\mathrm{BN}(Z^{[l]})`, :math:`A^{[l]} = g(\tilde Z^{[l]})`; the output layer
is ``lib.deep``'s linear layer :math:`Z^{[L]} = W^{[L]}A^{[L-1]} + b^{[L]}`
(logits; sigmoid and cross-entropy come with the cost). A parameter dict
without ``gamma{l}`` makes layer l a plain ``lib.deep`` layer with a bias, so
the same code trains the network with and without batch normalisation.

Contract (CONTRIBUTING): ``X_forward -> (out, cache)``, ``X_backward(dout,
cache) -> grads`` keyed ``"d" + name``; no layer divides by m for the cost
(the 1/m inside the backward pass below is the derivative of the batch mean
that the forward pass takes, not the cost's). float32 in gives float32 out.
"""
import numpy as np

from lib._checks import (as_float, check_choice, check_labels, check_positive, check_positive_int,
                         check_range, check_seed, check_shape, checked_by, make_rng)
from lib.activations import ACTIVATIONS, get_activation
from lib.deep import initialize_deep, layer_backward, layer_forward
from lib.losses import sigmoid_cross_entropy
from lib.minibatch import minibatches
from lib.optimizers import adam_update, sgd_update

MODES = ("train", "test")
OPTIMIZERS = ("sgd", "adam")
ACTIVATION_NAMES = tuple(ACTIVATIONS)


# --------------------------------------------------------------------- checks
def _check_running(running, n, mode, dtype, name="running"):
    if running is None:
        if mode == "test":
            raise ValueError(f"{name}: test mode needs the running statistics "
                             "{'mean': (n^[l], 1), 'var': (n^[l], 1)} that training mode filled, got None")
        return None
    if not isinstance(running, dict):
        raise TypeError(f"{name}: expected a dict {{'mean', 'var'}} (empty before training), "
                        f"got {type(running).__name__}")
    has = ("mean" in running, "var" in running)
    if (mode == "test" and not all(has)) or any(has) != all(has):
        raise ValueError(f"{name}: expected both 'mean' and 'var' (or, before training, an empty dict), "
                         f"got keys {sorted(running)}")
    for key in ("mean", "var"):
        if key in running:
            arr = as_float(f"{name}[{key!r}]", running[key])
            check_shape(f"{name}[{key!r}]", arr, (n, 1), "(n^[l], 1)")
            if key == "var" and np.min(arr) < 0:
                raise ValueError(f"{name}['var']: expected variances >= 0, got min {np.min(arr):g}")
    return running


def _check_bn_forward(Z, gamma, beta, epsilon, mode, running, momentum):
    Z = as_float("Z", Z, ndim=2, meaning="(n^[l], m)")
    dtype = Z.dtype
    gamma = check_shape("gamma", as_float("gamma", gamma, meaning="(n^[l], 1)"), (Z.shape[0], 1),
                        "(n^[l], 1), n^[l] = Z's rows")
    beta = check_shape("beta", as_float("beta", beta, meaning="(n^[l], 1)"), (Z.shape[0], 1),
                       "(n^[l], 1), n^[l] = Z's rows")
    epsilon = float(check_positive("epsilon", epsilon))
    mode = check_choice("mode", mode, MODES)
    if mode == "train" and Z.shape[1] < 2:
        raise ValueError(f"Z: training mode needs a mini-batch of m >= 2 examples (one example has "
                         f"variance 0, so every output would be beta), got shape {Z.shape}; "
                         "use mode='test' to classify one example")
    running = _check_running(running, Z.shape[0], mode, dtype)
    momentum = float(check_range("momentum", momentum, 0, 1, high_open=True))
    return dict(Z=Z, gamma=gamma.astype(dtype, copy=False), beta=beta.astype(dtype, copy=False),
                epsilon=epsilon, mode=mode, running=running, momentum=momentum)


def _check_bn_cache(cache):
    if not (isinstance(cache, tuple) and len(cache) == 4 and cache[0] in MODES
            and all(isinstance(a, np.ndarray) for a in cache[1:])):
        raise TypeError(f"cache: expected the cache (mode, Z_norm, gamma, inv_std) that batchnorm_forward "
                        f"returns, got {type(cache).__name__}")
    return cache


def _check_bn_backward(dout, cache):
    cache = _check_bn_cache(cache)
    dout = as_float("dout", dout, ndim=2, meaning="(n^[l], m)")
    check_shape("dout", dout, cache[1].shape, "(n^[l], m), the shape of the layer's output")
    return dict(dout=dout.astype(cache[1].dtype, copy=False), cache=cache)


# --------------------------------------------------------------------- the layer
@checked_by(_check_bn_forward)
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5, mode="train", running=None, momentum=0.9):
    r"""Batch normalisation of one layer's pre-activations, :math:`\tilde Z = \gamma \odot Z_{\text{norm}} + \beta`.

    Training mode: :math:`\mu` and :math:`\sigma^2` are the batch's, the means of
    every row over the m columns; ``running`` (if a dict) is then updated in
    place, :math:`\text{mean} \leftarrow \rho\,\text{mean} + (1-\rho)\mu`,
    :math:`\text{var} \leftarrow \rho\,\text{var} + (1-\rho)\sigma^2`
    (an empty dict takes the first batch's values). Test mode: :math:`\mu, \sigma^2`
    are ``running["mean"]``, ``running["var"]``, so each column is
    normalised on its own and any m >= 1 works.

    Args:
        Z: (n^[l], m), the pre-activations :math:`Z^{[l]} = W^{[l]}A^{[l-1]}`;
            m >= 2 in training mode.
        gamma: :math:`\gamma^{[l]}` (n^[l], 1), the scale. beta: :math:`\beta^{[l]}` (n^[l], 1), the shift.
        epsilon: :math:`\varepsilon > 0`, added to :math:`\sigma^2` so a unit
            constant over the batch does not divide by 0.
        mode: 'train' (batch statistics) or 'test' (running statistics).
        running: dict {'mean': (n^[l], 1), 'var': (n^[l], 1)}, empty before training,
            or None (training mode only: keep no running statistics).
        momentum: :math:`\rho \in [0, 1)`, the weight of the past in the running averages.

    Returns:
        (out, cache): out :math:`\tilde Z` (n^[l], m); cache the tuple
        (mode, Z_norm, gamma, inv_std), inv_std :math:`= 1/\sqrt{\sigma^2+\varepsilon}` (n^[l], 1),
        for :func:`batchnorm_backward` only.
    """
    if mode == "train":
        mu = np.mean(Z, axis=1, keepdims=True)                    # (n^[l], 1)
        var = np.mean((Z - mu) ** 2, axis=1, keepdims=True)       # (n^[l], 1), the 1/m variance
        if running is not None:
            if "mean" not in running:
                running["mean"], running["var"] = mu.copy(), var.copy()
            else:
                running["mean"] = momentum * running["mean"] + (1 - momentum) * mu
                running["var"] = momentum * running["var"] + (1 - momentum) * var
    else:
        mu = np.asarray(running["mean"], dtype=Z.dtype)
        var = np.asarray(running["var"], dtype=Z.dtype)
    inv_std = 1.0 / np.sqrt(var + epsilon)                        # (n^[l], 1)
    Z_norm = (Z - mu) * inv_std                                   # (n^[l], m), each row mean 0, variance ≈ 1
    return gamma * Z_norm + beta, (mode, Z_norm, gamma, inv_std)


@checked_by(_check_bn_backward)
def batchnorm_backward(dout, cache):
    r"""Backward through batch normalisation, in compact form.

    With :math:`\hat Z = Z_{\text{norm}}` and :math:`d\hat Z = \gamma \odot d\tilde Z`,
    training mode (the batch's :math:`\mu, \sigma^2` depend on Z):

    .. math::

        dZ = \frac{1}{m\sqrt{\sigma^2+\varepsilon}}\Big(m\, d\hat Z - \textstyle\sum_i d\hat Z^{(i)}
             - \hat Z \odot \sum_i \big(d\hat Z \odot \hat Z\big)^{(i)}\Big),

    test mode (constants): :math:`dZ = d\hat Z / \sqrt{\sigma^2+\varepsilon}`; both
    modes: :math:`d\gamma = \sum_i (d\tilde Z \odot \hat Z)^{(i)}`,
    :math:`d\beta = \sum_i d\tilde Z^{(i)}` (sums over the m columns). The
    :math:`1/m` is that of :math:`\mu` and :math:`\sigma^2`, means the layer takes;
    the cost's own :math:`1/m` is already in ``dout``.

    Args:
        dout: (n^[l], m), :math:`d\tilde Z = \partial J/\partial \tilde Z`.
        cache: from :func:`batchnorm_forward`.

    Returns:
        dict dZ (n^[l], m), dgamma (n^[l], 1), dbeta (n^[l], 1).
    """
    mode, Z_norm, gamma, inv_std = cache
    dZ_norm = gamma * dout                                        # (n^[l], m)
    if mode == "train":
        m = dout.shape[1]
        dZ = (inv_std / m) * (m * dZ_norm - np.sum(dZ_norm, axis=1, keepdims=True)
                              - Z_norm * np.sum(dZ_norm * Z_norm, axis=1, keepdims=True))
    else:
        dZ = dZ_norm * inv_std
    return {"dZ": dZ,
            "dgamma": np.sum(dout * Z_norm, axis=1, keepdims=True),
            "dbeta": np.sum(dout, axis=1, keepdims=True)}


# --------------------------------------------------------------------- the network: checks
def _num_layers(parameters, name="parameters"):
    if not isinstance(parameters, dict):
        raise TypeError(f"{name}: expected a dict W1, gamma1, beta1, …, WL, bL (from initialize_bn_network), "
                        f"got {type(parameters).__name__}")
    L = 0
    while f"W{L + 1}" in parameters:
        L += 1
    if L == 0:
        raise ValueError(f"{name}: expected keys W1, gamma1, beta1, …, WL, bL (from initialize_bn_network), "
                         "found no 'W1'")
    return L


def _check_network_parameters(parameters, n_x, name="parameters"):
    """W^[l] (n^[l], n^[l-1]); gamma^[l], beta^[l] (n^[l], 1) for l < L, or b^[l]; bL for the output."""
    L = _num_layers(parameters, name)
    checked, n_prev = {}, n_x
    for l in range(1, L + 1):
        key = f"W{l}"
        W = check_shape(f"{name}[{key!r}]", as_float(f"{name}[{key!r}]", parameters[key], ndim=2),
                        (None, n_prev), f"(n^[{l}], n^[{l - 1}])")
        checked[key], n = W, W.shape[0]
        names = ("gamma", "beta") if (f"gamma{l}" in parameters and l < L) else ("b",)
        for p in names:
            key = f"{p}{l}"
            if key not in parameters:
                raise ValueError(f"{name}: missing {key!r}; layer {l} needs "
                                 f"{' and '.join(repr(q + str(l)) for q in names)} (n^[{l}], 1)")
            checked[key] = check_shape(f"{name}[{key!r}]", as_float(f"{name}[{key!r}]", parameters[key]),
                                       (n, 1), f"(n^[{l}], 1)")
        n_prev = n
    extra = sorted(set(parameters) - set(checked))
    if extra:
        raise ValueError(f"{name}: unexpected keys {extra}; expected W1, gamma1, beta1, …, WL, bL")
    return checked


def _bn_layers(parameters):
    return [l for l in range(1, _num_layers(parameters) + 1) if f"gamma{l}" in parameters]


def _check_network_running(running, parameters, mode):
    layers = _bn_layers(parameters)
    if running is None:
        if mode == "test" and layers:
            raise ValueError("running: test mode needs the running statistics {'mean1', 'var1', …} "
                             "that training filled, got None")
        return None
    if not isinstance(running, dict):
        raise TypeError(f"running: expected a dict {{'mean1', 'var1', …}} (empty before training), "
                        f"got {type(running).__name__}")
    for l in layers:
        stats = {k: running[f"{k}{l}"] for k in ("mean", "var") if f"{k}{l}" in running}
        if mode == "test" and len(stats) < 2:
            raise ValueError(f"running: test mode needs 'mean{l}' and 'var{l}', got keys {sorted(running)}")
        for key, arr in stats.items():
            arr = as_float(f"running[{key + str(l)!r}]", arr)
            check_shape(f"running[{key + str(l)!r}]", arr, (parameters[f"gamma{l}"].shape[0], 1), f"(n^[{l}], 1)")
            if key == "var" and np.min(arr) < 0:
                raise ValueError(f"running['var{l}']: expected variances >= 0, got min {np.min(arr):g}")
        if len(stats) == 1:
            raise ValueError(f"running: expected both 'mean{l}' and 'var{l}' or neither, got keys {sorted(running)}")
    return running


def _check_network_forward(X, parameters, running, mode, activation, momentum, epsilon):
    parameters = _check_network_parameters(parameters, None)
    X = check_shape("X", as_float("X", X, ndim=2, meaning="(n_x, m)"), (parameters["W1"].shape[1], None),
                    "(n_x, m), n_x = W1's columns")
    mode = check_choice("mode", mode, MODES)
    if mode == "train" and _bn_layers(parameters) and X.shape[1] < 2:
        raise ValueError(f"X: training mode needs a mini-batch of m >= 2 examples, got shape {X.shape}; "
                         "use mode='test' to classify one example")
    return dict(X=X, parameters={k: v.astype(X.dtype, copy=False) for k, v in parameters.items()},
                running=_check_network_running(running, parameters, mode), mode=mode,
                activation=check_choice("activation", activation, ACTIVATION_NAMES),
                momentum=float(check_range("momentum", momentum, 0, 1, high_open=True)),
                epsilon=float(check_positive("epsilon", epsilon)))


def _check_network_backward(dZL, caches):
    if not isinstance(caches, list) or not caches:
        raise TypeError(f"caches: expected the list of layer caches that bn_network_forward returns, "
                        f"got {type(caches).__name__}")
    for l, cache in enumerate(caches):
        if not (isinstance(cache, tuple) and cache and cache[0] in ("bn", "plain")):
            raise TypeError(f"caches[{l}]: expected a layer cache from bn_network_forward, "
                            f"got {type(cache).__name__}")
    dZL = as_float("dZL", dZL, ndim=2, meaning="(n^[L], m)")
    out_shape = caches[-1][1][2].shape                   # the output layer's Z
    check_shape("dZL", dZL, out_shape, "(n^[L], m), the shape of the network's output")
    return dict(dZL=dZL, caches=caches)


def _check_layer_dims(layer_dims):
    if not isinstance(layer_dims, (list, tuple)):
        raise TypeError(f"layer_dims: expected a list [n_x, n^[1], …, n_y], got {type(layer_dims).__name__}")
    dims = [check_positive_int(f"layer_dims[{i}]", n) for i, n in enumerate(layer_dims)]
    if len(dims) < 2:
        raise ValueError(f"layer_dims: expected at least [n_x, n_y], got {list(layer_dims)}")
    return dims


# --------------------------------------------------------------------- the network
def initialize_bn_network(layer_dims, seed=0, init="he", batch_norm=True):
    r"""Parameters for an L-layer network, with batch normalisation in its hidden layers.

    The weights come from ``lib.deep.initialize_deep`` (same seed, same W's with
    or without batch normalisation). With ``batch_norm``, hidden layer l has
    :math:`\gamma^{[l]} = 1`, :math:`\beta^{[l]} = 0` and no bias; without, a zero
    bias :math:`b^{[l]}`. The output layer always has a bias :math:`b^{[L]}`.

    Args:
        layer_dims: [n^[0], n^[1], …, n^[L]], each >= 1 (n^[0] = n_x), at least two.
        seed: an int >= 0 or None. init: as ``initialize_deep`` ('he', 'xavier', 'small', 'zeros' or a std).
        batch_norm: True for W1, gamma1, beta1, …, WL, bL; False for W1, b1, …, WL, bL.

    Returns:
        dict of float64 arrays: W^[l] (n^[l], n^[l-1]); gamma^[l], beta^[l] or b^[l] (n^[l], 1).
    """
    dims = _check_layer_dims(layer_dims)
    if not isinstance(batch_norm, bool):
        raise TypeError(f"batch_norm: expected True or False, got {type(batch_norm).__name__} {batch_norm!r}")
    deep = initialize_deep(dims, seed=seed, init=init)
    L = len(dims) - 1
    parameters = {}
    for l in range(1, L + 1):
        parameters[f"W{l}"] = deep[f"W{l}"]
        if batch_norm and l < L:
            parameters[f"gamma{l}"] = np.ones((dims[l], 1))
            parameters[f"beta{l}"] = np.zeros((dims[l], 1))
        else:
            parameters[f"b{l}"] = deep[f"b{l}"]
    return parameters


@checked_by(_check_network_forward)
def bn_network_forward(X, parameters, running=None, mode="train", activation="relu", momentum=0.9,
                       epsilon=1e-5):
    r"""The forward pass to the logits :math:`Z^{[L]}`.

    Layer l with :math:`\gamma^{[l]}`: :math:`Z^{[l]} = W^{[l]}A^{[l-1]}`,
    :math:`\tilde Z^{[l]} = \mathrm{BN}(Z^{[l]})` (:func:`batchnorm_forward`),
    :math:`A^{[l]} = g(\tilde Z^{[l]})`. Any other layer: ``lib.deep.layer_forward``,
    :math:`A^{[l]} = g(W^{[l]}A^{[l-1]} + b^{[l]})`, linear for the output layer L.

    Args:
        X: (n_x, m); m >= 2 in training mode.
        parameters: from :func:`initialize_bn_network`.
        running: dict 'mean1', 'var1', …, one (n^[l], 1) pair per BN layer (see
            :func:`batchnorm_forward`): updated in place in training mode (``{}``
            before training; None: not kept), read in test mode.
        mode: 'train' or 'test'. activation: g of the hidden layers.
        momentum: ρ of the running averages. epsilon: ε > 0.

    Returns:
        (ZL, caches): the logits ZL (n^[L], m); caches, one per layer, for
        :func:`bn_network_backward`.
    """
    L = len([k for k in parameters if k.startswith("W")])
    g, _ = get_activation(activation)
    A, caches = X, []
    for l in range(1, L + 1):
        W = parameters[f"W{l}"]
        if f"gamma{l}" in parameters:
            stats = None if running is None else {k: running[f"{k}{l}"] for k in ("mean", "var")
                                                  if f"{k}{l}" in running}
            Z = W @ A                                             # (n^[l], m): no bias, beta^[l] replaces it
            Z_tilde, bn_cache = batchnorm_forward.unchecked(Z, parameters[f"gamma{l}"], parameters[f"beta{l}"],
                                                            epsilon, mode, stats, momentum)
            if running is not None and mode == "train":
                running[f"mean{l}"], running[f"var{l}"] = stats["mean"], stats["var"]
            caches.append(("bn", (A, W, Z_tilde, activation), bn_cache))
            A = g(Z_tilde)
        else:
            A, cache = layer_forward.unchecked(A, W, parameters[f"b{l}"], activation if l < L else "linear")
            caches.append(("plain", cache))
    return A, caches


@checked_by(_check_network_backward)
def bn_network_backward(dZL, caches):
    r"""The backward pass, l = L … 1: ``lib.deep.layer_backward`` for a plain layer; for a BN layer

    .. math::

        d\tilde Z^{[l]} = dA^{[l]} \odot g'(\tilde Z^{[l]}),\quad
        (dZ^{[l]}, d\gamma^{[l]}, d\beta^{[l]}) = \mathrm{BN\_backward}(d\tilde Z^{[l]}),\quad
        dW^{[l]} = dZ^{[l]} A^{[l-1]T},\quad dA^{[l-1]} = W^{[l]T} dZ^{[l]}.

    Args:
        dZL: (n^[L], m), :math:`\partial J/\partial Z^{[L]}` for the mean cost (it carries the 1/m).
        caches: from :func:`bn_network_forward`.

    Returns:
        dict dX (n_x, m) and "d" + name for every parameter, each its parameter's shape.
    """
    grads, dA = {}, dZL
    for l in range(len(caches), 0, -1):
        cache = caches[l - 1]
        if cache[0] == "plain":
            layer = layer_backward.unchecked(dA, cache[1])
            grads[f"dW{l}"], grads[f"db{l}"], dA = layer["dW"], layer["db"], layer["dA_prev"]
        else:
            (A_prev, W, Z_tilde, activation), bn_cache = cache[1], cache[2]
            _, g_prime = get_activation(activation)
            bn = batchnorm_backward.unchecked(dA * g_prime(Z_tilde), bn_cache)
            grads[f"dgamma{l}"], grads[f"dbeta{l}"] = bn["dgamma"], bn["dbeta"]
            grads[f"dW{l}"] = bn["dZ"] @ A_prev.T                 # (n^[l], n^[l-1])
            dA = W.T @ bn["dZ"]                                   # (n^[l-1], m)
    grads["dX"] = dA
    return grads


def _check_model(X, Y, layer_dims, num_epochs, learning_rate, batch_size, batch_norm, optimizer, seed, init,
                 activation, momentum, epsilon, keep_epochs):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    Y = as_float("Y", Y, ndim=2, meaning="(n_y, m)")
    check_shape("Y", Y, (None, X.shape[1]), "(n_y, m), m = X's columns")
    check_labels("Y", Y)
    dims = _check_layer_dims(layer_dims)
    if dims[0] != X.shape[0] or dims[-1] != Y.shape[0]:
        raise ValueError(f"layer_dims: expected [{X.shape[0]}, …, {Y.shape[0]}] (X's and Y's rows), got {dims}")
    num_epochs = check_positive_int("num_epochs", num_epochs, minimum=0)
    batch_size = check_positive_int("batch_size", batch_size, minimum=2 if batch_norm else 1)
    m = X.shape[1]
    if batch_norm and (m < 2 or (m > batch_size and m % batch_size == 1)):
        raise ValueError(f"batch_size: {batch_size} leaves a last mini-batch of one example (m = {m}), "
                         "whose variance is 0; choose a batch size for which m mod batch_size != 1")
    if not isinstance(keep_epochs, (list, tuple, range)):
        raise TypeError(f"keep_epochs: expected a list of epochs, got {type(keep_epochs).__name__}")
    keep = [check_positive_int(f"keep_epochs[{i}]", e, minimum=0) for i, e in enumerate(keep_epochs)]
    if keep and max(keep) > num_epochs:
        raise ValueError(f"keep_epochs: expected epochs in [0, {num_epochs}], got {max(keep)}")
    if not isinstance(batch_norm, bool):
        raise TypeError(f"batch_norm: expected True or False, got {type(batch_norm).__name__} {batch_norm!r}")
    return dict(X=X, Y=Y.astype(X.dtype, copy=False), layer_dims=dims, num_epochs=num_epochs,
                learning_rate=float(check_positive("learning_rate", learning_rate)), batch_size=batch_size,
                batch_norm=batch_norm, optimizer=check_choice("optimizer", optimizer, OPTIMIZERS),
                seed=check_seed(seed), init=init,
                activation=check_choice("activation", activation, ACTIVATION_NAMES),
                momentum=float(check_range("momentum", momentum, 0, 1, high_open=True)),
                epsilon=float(check_positive("epsilon", epsilon)), keep_epochs=keep)


def _copy(parameters, running):
    return {k: v.copy() for k, v in parameters.items()}, {k: v.copy() for k, v in running.items()}


@checked_by(_check_model)
def bn_model(X, Y, layer_dims, num_epochs=20, learning_rate=0.1, batch_size=64, batch_norm=True,
             optimizer="sgd", seed=0, init="he", activation="relu", momentum=0.9, epsilon=1e-5,
             keep_epochs=()):
    r"""Train the network (sigmoid output, cross-entropy) with mini-batches, with or without BN.

    Every epoch draws its mini-batches from ``lib.minibatch.minibatches``; each
    step runs :func:`bn_network_forward` in training mode (updating the running
    statistics), takes :math:`J` and :math:`dZ^{[L]} = \frac1m(\sigma(Z^{[L]}) - Y)`
    from ``lib.losses.sigmoid_cross_entropy`` (m the batch's size), runs
    :func:`bn_network_backward`, and updates with ``lib.optimizers.sgd_update``
    or ``adam_update``.

    Args:
        X: (n_x, m). Y: (n_y, m) labels in {0, 1}. layer_dims: [n_x, n^[1], …, n_y].
        num_epochs: passes over the training set (>= 0). learning_rate: α > 0.
        batch_size: B (>= 2 with batch normalisation; m mod B must not be 1).
        batch_norm: batch normalisation in every hidden layer, or plain layers with biases.
        optimizer: 'sgd' or 'adam'. seed: an int >= 0 or None (initialisation and batch order).
        init, activation: as :func:`initialize_bn_network` and :func:`bn_network_forward`.
        momentum: ρ of the running averages. epsilon: ε > 0.
        keep_epochs: epochs after which to keep a copy of the parameters and
            running statistics (0: before training).

    Returns:
        dict: "parameters", "running" ('mean1', 'var1', …; empty without BN),
        "costs" (list, the mean mini-batch cost of each epoch), "snapshots"
        (epoch → (parameters, running) for each epoch of ``keep_epochs``).
    """
    rng = make_rng(seed)
    parameters = {k: v.astype(X.dtype) for k, v in
                  initialize_bn_network(layer_dims, seed=int(rng.integers(2 ** 31)), init=init,
                                        batch_norm=batch_norm).items()}
    running, state, costs, snapshots = {}, {}, [], {}
    if 0 in keep_epochs:
        snapshots[0] = _copy(parameters, running)
    for epoch in range(1, num_epochs + 1):
        batches = minibatches(X, Y, batch_size, seed=int(rng.integers(2 ** 31)))
        total = 0.0
        for X_t, Y_t in batches:
            with np.errstate(over="ignore", invalid="ignore"):   # a diverging run is detected below
                ZL, caches = bn_network_forward.unchecked(X_t, parameters, running, "train", activation,
                                                          momentum, epsilon)
            if not np.all(np.isfinite(ZL)):                      # diverged: no later epoch means anything
                costs += [np.nan] * (num_epochs - len(costs))
                return {"parameters": parameters, "running": running, "costs": costs, "snapshots": snapshots}
            cost, dZL = sigmoid_cross_entropy(ZL, Y_t)           # dZL = (σ(ZL) − Y_t) / m_t
            grads = bn_network_backward.unchecked(dZL, caches)
            del grads["dX"]
            if optimizer == "adam":
                adam_update.unchecked(parameters, grads, state, learning_rate, 0.9, 0.999, 1e-8)
            else:
                sgd_update.unchecked(parameters, grads, learning_rate)
            total += cost * X_t.shape[1]
        costs.append(total / X.shape[1])
        if epoch in keep_epochs:
            snapshots[epoch] = _copy(parameters, running)
    return {"parameters": parameters, "running": running, "costs": costs, "snapshots": snapshots}


def _check_predict(parameters, running, X, activation, epsilon):
    checked = _check_network_forward(X, parameters, running, "test", activation, 0.9, epsilon)
    return dict(parameters=checked["parameters"], running=checked["running"], X=checked["X"],
                activation=checked["activation"], epsilon=checked["epsilon"])


@checked_by(_check_predict)
def bn_predict(parameters, running, X, activation="relu", epsilon=1e-5):
    """Labels 0/1 in test mode (running statistics): 1 where σ(Z^[L]) > 0.5, i.e. Z^[L] > 0.

    Args:
        parameters, running: from :func:`bn_model` (running may be {} without BN).
        X: (n_x, m), any m >= 1 (one example works). activation: g of the hidden layers.
        epsilon: the ε used in training.

    Returns:
        (n_y, m) array of 0.0 / 1.0 in X's dtype.
    """
    ZL, _ = bn_network_forward.unchecked(X, parameters, running, "test", activation, 0.9, epsilon)
    return (ZL > 0).astype(X.dtype)


def _check_hidden(X, parameters, running, mode, activation, epsilon):
    checked = _check_network_forward(X, parameters, running, mode, activation, 0.9, epsilon)
    checked.pop("momentum")
    return checked


@checked_by(_check_hidden)
def hidden_inputs(X, parameters, running=None, mode="test", activation="relu", epsilon=1e-5):
    r"""What each hidden layer's activation g receives: :math:`\tilde Z^{[l]}` with BN, :math:`Z^{[l]}` without.

    Nothing is updated (the running statistics are read in test mode, ignored in training mode).

    Args:
        X: (n_x, m). parameters: from :func:`initialize_bn_network` or :func:`bn_model`.
        running: 'mean1', 'var1', … (needed in test mode with BN).
        mode: 'test' (running statistics) or 'train' (X's own statistics, m >= 2).
        activation: g of the hidden layers. epsilon: ε > 0.

    Returns:
        list of the L-1 arrays, each (n^[l], m).
    """
    _, caches = bn_network_forward.unchecked(X, parameters, None if mode == "train" else running, mode,
                                             activation, 0.9, epsilon)
    return [cache[1][2] for cache in caches[:-1]]                 # Z~ (bn) or Z (plain) of each hidden layer
