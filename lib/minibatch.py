r"""Mini-batches: one pass over the training set in random order, a slice at a time.

Taught in chapter ``13_optimization``; every model the book trains with
mini-batches (softmax regression, the CNN, batch normalisation) draws them here.

An :math:`\text{epoch}` shuffles the m examples with a random permutation
:math:`\pi` and cuts it into :math:`\lceil m / B \rceil` consecutive batches of
B examples (the last one holds the :math:`m - B(\lceil m/B \rceil - 1)` left
over, when B does not divide m), so every example is used exactly once per
epoch. B = m is batch gradient descent (one step per epoch), B = 1 stochastic
gradient descent (m steps per epoch).

:func:`train_deep` trains ``lib.deep``'s L-layer network on mini-batches with
any optimiser of ``lib.optimizers``, for the chapter's learning curves.
"""
import numpy as np

from lib._checks import (as_array, as_float, check_labels, check_positive, check_positive_int, check_range,
                         check_seed, check_shape, checked_by, make_rng)
from lib.deep import deep_backward, deep_forward, initialize_deep
from lib.losses import sigmoid_cross_entropy
from lib.optimizers import OPTIMIZERS, _check_hyper, get_update, learning_rate_decay


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy.random.Generator (np.random.default_rng(seed)), "
                        f"got {type(rng).__name__}")
    return rng


def minibatch_indices(m, batch_size, rng):
    """One epoch's batches of example indices, in random order.

    Args:
        m: the number of examples, an int >= 1.
        batch_size: B, an int >= 1 (B >= m gives one batch of every example).
        rng: a ``numpy.random.Generator`` (its state advances, so successive
            epochs get different orders).

    Returns:
        list of ⌈m/B⌉ int arrays, each (B,) except the last, (m - B(⌈m/B⌉ - 1),);
        together a permutation of 0 … m-1.
    """
    m = check_positive_int("m", m)
    batch_size = check_positive_int("batch_size", batch_size)
    order = _check_rng(rng).permutation(m)
    return [order[i:i + batch_size] for i in range(0, m, batch_size)]


def minibatches(X, Y, batch_size=64, seed=0, example_axis=-1):
    """One epoch of mini-batches (X_t, Y_t), examples drawn in random order.

    Args:
        X: (n_x, m), one example per column (or any array whose ``example_axis``
            counts the m examples, e.g. images (m, n_H, n_W, n_C) with
            ``example_axis=0``).
        Y: (n_y, m) or (m,) labels, the same m along its own last axis
            (its first axis when ``example_axis=0``).
        batch_size: B, an int >= 1.
        seed: an int >= 0 or None.
        example_axis: the axis of X and Y that counts examples: -1 (columns,
            the book's convention) or 0 (images, sequences of rows).

    Returns:
        list of ⌈m/B⌉ pairs (X_t, Y_t), each X_t with B examples (the last one
        the rest), in X's and Y's dtypes; example i of X stays paired with example i of Y.
    """
    if isinstance(example_axis, bool) or example_axis not in (0, -1):
        raise ValueError(f"example_axis: expected 0 or -1, got {example_axis!r}")
    X = as_array("X", X, dtype=None)
    Y = as_array("Y", Y, dtype=None)
    if X.ndim == 0:
        raise ValueError("X: expected an array with an axis of examples, got a scalar")
    if Y.ndim == 0:
        raise ValueError("Y: expected an array with an axis of examples, got a scalar")
    m = X.shape[example_axis]
    if m == 0:
        raise ValueError(f"X: expected at least one example, got shape {X.shape}")
    y_axis = -1 if example_axis == -1 else 0
    if Y.shape[y_axis] != m:
        raise ValueError(f"Y: expected {m} examples along axis {y_axis} (X has {m}), got shape {Y.shape}")
    batches = minibatch_indices(m, batch_size, make_rng(seed))
    return [(np.take(X, idx, axis=example_axis), np.take(Y, idx, axis=y_axis)) for idx in batches]


def _check_train(X, Y, layer_dims, optimizer, learning_rate, num_epochs, batch_size, seed, decay_rate,
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


@checked_by(_check_train)
def train_deep(X, Y, layer_dims, optimizer="adam", learning_rate=0.01, num_epochs=100, batch_size=64,
               seed=0, decay_rate=0.0, activation="relu", **hyper):
    r"""Train ``lib.deep``'s L-layer network (sigmoid output, cross-entropy) by mini-batch descent.

    Each epoch e draws :func:`minibatch_indices`; for each batch
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
