r"""Initialisation and input normalisation: what a deep network looks like before it learns.

Chapter ``12_initialization`` uses it. The weights themselves come from
``lib.deep.initialize_deep`` (``init='zeros' | 'small' | 'xavier' | 'he'`` or a
standard deviation); this module measures what they do and prepares the inputs.

*Per-layer statistics.* For an L-layer network (``lib.deep``: hidden layers
:math:`A^{[l]} = g(Z^{[l]})`, :math:`Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}`, a
sigmoid output and the mean cross-entropy J), :func:`layer_statistics` gives,
layer by layer, the spread of the activations on the way forward and of the
gradients :math:`dZ^{[l]} = \partial J/\partial Z^{[l]}` and :math:`dW^{[l]}` on
the way back. With zero-mean weights independent of the activations,

.. math:: \operatorname{Var}(z^{[l]}_i) = n^{[l-1]} \operatorname{Var}(w^{[l]})\, \mathbb E\big[(a^{[l-1]})^2\big],

so the spread stays level from layer to layer when
:math:`\operatorname{Var}(w^{[l]}) = 1/n^{[l-1]}` for tanh (Xavier, Glorot & Bengio
2010) and :math:`2/n^{[l-1]}` for ReLU (He et al. 2015), and shrinks or grows
geometrically otherwise.

*Input normalisation.* :func:`fit_normalization` estimates each feature's mean
:math:`\mu_j` and standard deviation :math:`\sigma_j` on the **training** set;
:func:`apply_normalization` maps any set (training, dev, test, one new example)
with those same numbers, :math:`x_j \mapsto (x_j - \mu_j)/\sigma_j`;
:func:`fold_normalization` moves the map into the first layer's weights.

Public functions check their input once, at their edge (``lib._checks``);
float32 in gives float32 out.
"""
import numpy as np

from lib import deep, losses
from lib._checks import (as_float, check_labels, check_positive, check_positive_int,
                         check_shape, checked_by)
from lib.activations import get_activation

STATISTICS = ("A_mean", "A_std", "Z_std", "dZ_std", "dW_std")
"""The keys of :func:`layer_statistics`'s result, each an array of L numbers (one per layer)."""


# --------------------------------------------------------------------- checks
def _check_network_and_data(X, Y, parameters, activation):
    """X and parameters checked by ``deep.deep_forward``'s own edge (same argument names), Y here."""
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    deep.deep_forward(X[:, :1], parameters, activation, "linear")     # raises by name: X, parameters, activation
    L = 0
    while f"W{L + 1}" in parameters:                                   # W1 … WL, as deep counts them
        L += 1
    parameters = {k: np.asarray(parameters[k], dtype=X.dtype) for l in range(1, L + 1) for k in (f"W{l}", f"b{l}")}
    Y = as_float("Y", Y, ndim=2, meaning="(n_y, m)")
    check_shape("Y", Y, (parameters[f"W{L}"].shape[0], X.shape[1]), "(n_y, m): n_y = W^[L]'s rows, m = X's columns")
    check_labels("Y", Y)
    return X, Y.astype(X.dtype, copy=False), parameters


def _check_statistics(X, Y, parameters, activation):
    X, Y, parameters = _check_network_and_data(X, Y, parameters, activation)
    return {"X": X, "Y": Y, "parameters": parameters, "activation": activation}


def _check_mu_sigma(mu, sigma, n_x, dtype):
    mu = as_float("mu", mu, ndim=2, meaning="(n_x, 1)")
    check_shape("mu", mu, (n_x, 1), "(n_x, 1), n_x = X's rows")
    sigma = as_float("sigma", sigma, ndim=2, meaning="(n_x, 1)")
    check_shape("sigma", sigma, (n_x, 1), "(n_x, 1), n_x = X's rows")
    if not np.all(sigma > 0):
        raise ValueError(f"sigma: expected every standard deviation > 0 (fit_normalization gives 1 for a "
                         f"constant feature), got minimum {np.min(sigma):g}")
    return mu.astype(dtype, copy=False), sigma.astype(dtype, copy=False)


def _check_fit(X):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    if X.shape[1] < 2:
        raise ValueError(f"X: expected at least 2 examples (columns) to estimate a spread, got shape {X.shape}")
    return {"X": X}


def _check_apply(X, mu, sigma):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    mu, sigma = _check_mu_sigma(mu, sigma, X.shape[0], X.dtype)
    return {"X": X, "mu": mu, "sigma": sigma}


def _check_fold(W, b, mu, sigma):
    W = as_float("W", W, ndim=2, meaning="(n^[1], n_x)")
    b = as_float("b", b, ndim=2, meaning="(n^[1], 1)")
    check_shape("b", b, (W.shape[0], 1), "(n^[1], 1), n^[1] = W's rows")
    mu, sigma = _check_mu_sigma(mu, sigma, W.shape[1], np.result_type(W, b))
    return {"W": W, "b": b.astype(W.dtype, copy=False), "mu": mu.astype(W.dtype, copy=False),
            "sigma": sigma.astype(W.dtype, copy=False)}


def _check_grid(X, Y, w1_values, w2_values, b):
    X = as_float("X", X, ndim=2, meaning="(2, m)")
    check_shape("X", X, (2, None), "(2, m): two features")
    Y = as_float("Y", Y, ndim=2, meaning="(1, m)")
    check_shape("Y", Y, (1, X.shape[1]), "(1, m), m = X's columns")
    check_labels("Y", Y)
    w1 = as_float("w1_values", w1_values, ndim=1, meaning="(k_1,)")
    w2 = as_float("w2_values", w2_values, ndim=1, meaning="(k_2,)")
    if isinstance(b, bool) or not isinstance(b, (int, float, np.integer, np.floating)) or not np.isfinite(b):
        raise (TypeError if not isinstance(b, (int, float, np.integer, np.floating)) or isinstance(b, bool)
               else ValueError)(f"b: expected a finite number, the bias, got {b!r}")
    return {"X": X, "Y": Y.astype(X.dtype, copy=False), "w1_values": w1.astype(X.dtype, copy=False),
            "w2_values": w2.astype(X.dtype, copy=False), "b": float(b)}


# --------------------------------------------------------------------- inside the network
def _spread(arr):
    """(mean, std) of every entry, accumulated in float64 so that large activations do not overflow."""
    scale = float(np.max(np.abs(arr)))
    if scale == 0.0:
        return 0.0, 0.0
    scaled = arr.astype(np.float64) / scale
    return float(np.mean(scaled)) * scale, float(np.std(scaled)) * scale


@checked_by(_check_statistics)
def layer_statistics(X, Y, parameters, activation="relu"):
    r"""Layer by layer, the spread of the activations (forward) and of the gradients (backward).

    One forward and one backward pass of ``lib.deep``'s network on the batch
    (X, Y): hidden layers :math:`A^{[l]} = g(Z^{[l]})`, output
    :math:`A^{[L]} = \sigma(Z^{[L]})`, cost the mean cross-entropy J, so
    :math:`dZ^{[L]} = \frac1m (A^{[L]} - Y)` and, going back,
    :math:`dA^{[l]} = W^{[l+1]T} dZ^{[l+1]}`,
    :math:`dZ^{[l]} = dA^{[l]} \odot g'(Z^{[l]})`,
    :math:`dW^{[l]} = dZ^{[l]} A^{[l-1]T}`.
    Every mean and standard deviation is taken over all the entries of the
    array (units and examples together).

    Args:
        X: (n_x, m) a batch of inputs.
        Y: (n_y, m) its labels, 0 or 1.
        parameters: W1 (n^[1], n_x), b1 (n^[1], 1), …, WL, bL, as ``deep.initialize_deep`` makes them.
        activation: the hidden layers' activation, a name of ``lib.activations.ACTIVATIONS``.

    Returns:
        dict of arrays of shape (L,), in X's dtype; entry l-1 is layer l:
        ``A_mean``, ``A_std`` (of :math:`A^{[l]}`), ``Z_std`` (of :math:`Z^{[l]}`),
        ``dZ_std`` (of :math:`dZ^{[l]}`), ``dW_std`` (of :math:`dW^{[l]}`).
    """
    g, g_prime = get_activation(activation)
    L = len(parameters) // 2
    ZL, caches = deep.deep_forward.unchecked(X, parameters, activation, "linear")
    Zs = deep.hidden_preactivations.unchecked(X, parameters, activation) + [ZL]
    As = [g(Z) for Z in Zs[:-1]] + [get_activation("sigmoid")[0](ZL)]
    _, dA = losses.sigmoid_cross_entropy(ZL, Y)              # dZ^[L]: the output layer is linear here
    dZs, dWs = [None] * L, [None] * L
    dZs[L - 1] = dA
    for l in range(L, 0, -1):                                  # layer l = caches[l - 1]
        grads = deep.layer_backward.unchecked(dA, caches[l - 1])
        dWs[l - 1], dA = grads["dW"], grads["dA_prev"]         # dA is now dA^[l-1]
        if l > 1:
            dZs[l - 2] = dA * g_prime(Zs[l - 2])
    stats = {key: [] for key in STATISTICS}
    for A, Z, dZ, dW in zip(As, Zs, dZs, dWs):
        mean, std = _spread(A)
        stats["A_mean"].append(mean)
        stats["A_std"].append(std)
        stats["Z_std"].append(_spread(Z)[1])
        stats["dZ_std"].append(_spread(dZ)[1])
        stats["dW_std"].append(_spread(dW)[1])
    return {key: np.array(values, dtype=X.dtype) for key, values in stats.items()}


# --------------------------------------------------------------------- input normalisation
@checked_by(_check_fit)
def fit_normalization(X):
    r"""Each feature's mean and standard deviation, estimated on the training set.

    .. math:: \mu_j = \frac1m \sum_i x_j^{(i)},\qquad
              \sigma_j = \sqrt{\frac1m \sum_i \big(x_j^{(i)} - \mu_j\big)^2}

    A feature that takes one value on every example (a constant column) has
    :math:`\sigma_j = 0`; it gets :math:`\sigma_j = 1` instead, so that
    normalising maps it to 0 (it carries no information) rather than dividing
    by zero. This is the documented choice; scikit-learn's ``StandardScaler``
    makes the same one. Sums are taken in float64, scaled by the feature's
    largest magnitude, so huge features (1e200) give finite results.

    Args:
        X: (n_x, m) the training inputs, m >= 2.

    Returns:
        (mu, sigma): each (n_x, 1) in X's dtype, sigma > 0.
    """
    scale = np.max(np.abs(X), axis=1, keepdims=True).astype(np.float64)        # (n_x, 1)
    safe = np.where(scale > 0, scale, 1.0)
    scaled = X.astype(np.float64) / safe
    mu = np.mean(scaled, axis=1, keepdims=True) * safe
    sigma = np.std(scaled, axis=1, keepdims=True) * safe
    constant = np.all(X == X[:, :1], axis=1, keepdims=True)                       # exactly one value
    sigma = np.where(constant | (sigma == 0), 1.0, sigma)
    return mu.astype(X.dtype), sigma.astype(X.dtype)


@checked_by(_check_apply)
def apply_normalization(X, mu, sigma):
    r"""Normalise with given statistics: :math:`\hat x_j = (x_j - \mu_j)/\sigma_j` for every example.

    Use the :math:`\mu, \sigma` of the **training** set (from
    :func:`fit_normalization`) for the training, dev and test sets alike and
    for every new example: the network learned on that one map.

    Args:
        X: (n_x, m) inputs, any set. mu: (n_x, 1). sigma: (n_x, 1), every entry > 0.

    Returns:
        (n_x, m) in X's dtype.

    Raises:
        ValueError ("X: …") when the result would overflow (X astronomically far from mu).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        X_norm = (X - mu) / sigma                     # (n_x, m) - (n_x, 1): one μ_j per row
    if not np.all(np.isfinite(X_norm)):
        raise ValueError("X: normalising gives values beyond the float range; X is far outside the "
                         "statistics mu, sigma (were they fitted on other data?)")
    return X_norm


@checked_by(_check_fold)
def fold_normalization(W, b, mu, sigma):
    r"""The first layer on raw inputs that equals the given layer on normalised ones.

    .. math:: W\,\frac{x - \mu}{\sigma} + b = \underbrace{\frac{W}{\sigma^T}}_{W_{raw}} x
              + \underbrace{b - W \frac{\mu}{\sigma}}_{b_{raw}}

    (division entry by entry, :math:`\sigma^T` broadcast along the rows of W).

    Args:
        W: (n^[1], n_x) weights learned on normalised inputs (for logistic regression, :math:`w^T`, (1, n_x)).
        b: (n^[1], 1). mu, sigma: (n_x, 1), from :func:`fit_normalization`.

    Returns:
        (W_raw (n^[1], n_x), b_raw (n^[1], 1)) in W's dtype.
    """
    W_raw = W / sigma.T                               # column j divided by σ_j
    return W_raw, b - W_raw @ mu


@checked_by(_check_grid)
def logistic_cost_grid(X, Y, w1_values, w2_values, b=0.0):
    r"""The cost of logistic regression with two features on a grid of weights, the bias fixed.

    For every :math:`w_1` in ``w1_values`` and :math:`w_2` in ``w2_values``,
    :math:`J(w_1, w_2) = \frac1m \sum_i \mathcal L\big(\sigma(w_1 x_1^{(i)} + w_2 x_2^{(i)} + b), y^{(i)}\big)`,
    each loss computed from the logit (exact for any z): the surface whose
    contours show how round or elongated the problem is.

    Args:
        X: (2, m) inputs. Y: (1, m) labels 0/1.
        w1_values: (k_1,). w2_values: (k_2,). b: the bias, a number.

    Returns:
        J of shape (k_2, k_1) in X's dtype: row j, column i is the cost at
        (w1_values[i], w2_values[j]), ready for ``plt.contour(w1_values, w2_values, J)``.
    """
    Z = (w1_values[None, :, None] * X[0][None, None, :] + w2_values[:, None, None] * X[1][None, None, :]
         + X.dtype.type(b))                                                        # (k_2, k_1, m)
    losses_ = losses.binary_cross_entropy_with_logits(Z, np.broadcast_to(Y[0], Z.shape))
    return np.mean(losses_, axis=-1)
