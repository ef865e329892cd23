r"""A neuron as a function, and neurons stacked into a network.

Chapter 1 (what is a neural network) uses this module. A neuron maps its
inputs to one number,

.. math:: a = g(w^T x + b),

with weights :math:`w` of shape (n_x, 1), a bias :math:`b` and an activation
:math:`g`. The lecture's first example is one ReLU neuron that predicts a
house's price from its size: zero below some size, then a straight line.
Stacking such neurons, layer after layer, gives a network.

Shapes follow the book: X is (n_x, m), one column per example; a layer's
weights W are (n[l], n[l-1]) and its biases b are (n[l], 1).
"""
import numpy as np

from lib._checks import as_array, check_finite, check_positive_int, check_shape
from lib.activations import get_activation

HOUSING_W = 2.5
"""Slope of the true price line in :func:`make_housing`: thousand euros per m²."""

HOUSING_B = -100.0
"""Bias of the true price line in :func:`make_housing` (so prices start at 40 m²)."""

HOUSING_FEATURES = ("size (m²)", "bedrooms", "zip code", "wealth")
"""The four inputs of :func:`make_housing_features`, in row order."""


def _activation(g):
    return get_activation(g, argument="g")[0]


def neuron_forward(X, w, b, g="relu"):
    r"""One neuron on m examples: :math:`a = g(w^T X + b)`.

    Args:
        X: (n_x, m) inputs, one column per example.
        w: (n_x, 1) weights, a column.
        b: the bias, a number.
        g: the activation's name: "relu", "sigmoid", "tanh", "leaky_relu" or "step".

    Returns:
        a: (1, m), the neuron's output for each example.
    """
    X = check_finite("X", as_array("X", X, ndim=2))
    w = check_finite("w", as_array("w", w, ndim=2))
    check_shape("w", w, (X.shape[0], 1), "(n_x, 1): a column, one weight per row of X")
    if not np.isscalar(b) and np.ndim(b) != 0:
        raise ValueError(f"b: expected a number, got shape {np.shape(b)}")
    return _activation(g)(w.T @ X + float(b))


def relu_neuron(X, w, b):
    r"""The ReLU neuron of the housing example: :math:`a = \max(0, w^T X + b)`.

    Args:
        X: (n_x, m) inputs (n_x = 1 for "price from size"). w: (n_x, 1). b: a number.

    Returns:
        (1, m) outputs, never negative.
    """
    return neuron_forward(X, w, b, g="relu")


def make_housing(m=60, noise=15.0, seed=0):
    r"""House sizes and prices that follow one ReLU neuron, plus noise.

    Sizes are uniform in [20, 200] m²; the price, in thousand euros, is
    :math:`\max(0,\ 2.5\,\text{size} - 100 + \varepsilon)` with Gaussian
    :math:`\varepsilon` of std ``noise``: the lecture's made-up rule that a
    house below some size is worth nothing and each m² above it adds the same.
    The true parameters are :data:`HOUSING_W` and :data:`HOUSING_B`.

    Args:
        m: number of houses. noise: std of the price noise (≥ 0). seed: the random seed.

    Returns:
        (X, Y): X of shape (1, m), the sizes in m²; Y of shape (1, m), the prices.
    """
    m = check_positive_int("m", m)
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise: expected a number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    size = np.sort(rng.uniform(20.0, 200.0, m))
    price = np.maximum(0.0, HOUSING_W * size + HOUSING_B + rng.normal(0.0, noise, m))
    return size[None, :], price[None, :]


def fit_relu_neuron(X, Y, n_knots=400):
    r"""Least-squares fit of a one-input ReLU neuron :math:`\hat y = \max(0, w x + b)`, w ≥ 0.

    With w > 0 the neuron is :math:`w \max(0, x - c)`, a line that starts at
    the knot :math:`c = -b/w`. For a fixed knot the best slope has a closed
    form, :math:`w = \sum_i h_i y_i / \sum_i h_i^2` with :math:`h_i = \max(0, x_i - c)`;
    so we try ``n_knots`` knots between min x and max x and keep the one with
    the least squared error. No gradient descent is needed yet (chapter 4).

    Args:
        X: (1, m) inputs. Y: (1, m) targets. n_knots: how many knots to try (≥ 2).

    Returns:
        (w, b): w of shape (1, 1) and the float b, ready for :func:`relu_neuron`.
    """
    X = check_finite("X", as_array("X", X, ndim=2))
    check_shape("X", X, (1, None), "(1, m): one input per column")
    Y = check_finite("Y", as_array("Y", Y, ndim=2))
    check_shape("Y", Y, X.shape, "(1, m), like X")
    n_knots = check_positive_int("n_knots", n_knots, minimum=2)
    x, y = X[0], Y[0]
    # all knots at once: H[k, i] = max(0, x_i - c_k), the hinge of knot k
    knots = np.linspace(x.min(), x.max(), n_knots, endpoint=False)
    H = np.maximum(0.0, x[None, :] - knots[:, None])
    slopes = np.maximum(0.0, H @ y) / np.sum(H * H, axis=1)  # the first knot has h_i > 0
    sse = np.sum((slopes[:, None] * H - y[None, :]) ** 2, axis=1)
    best = int(np.argmin(sse))
    w = slopes[best]
    return np.array([[w]]), float(-w * knots[best])


def make_housing_features(m=200, seed=0):
    r"""Houses described by four inputs: size, bedrooms, zip code and the area's wealth.

    Rows of X (see :data:`HOUSING_FEATURES`): size in m² (uniform in [30, 200]),
    number of bedrooms (1 to 5, growing with size), a zip code read as a
    number in [0, 1] (how central the area is) and the area's wealth in [0, 1].

    Args:
        m: number of houses. seed: the random seed.

    Returns:
        X of shape (4, m).
    """
    m = check_positive_int("m", m)
    rng = np.random.default_rng(seed)
    size = rng.uniform(30.0, 200.0, m)
    bedrooms = np.clip(np.round(size / 40.0 + rng.normal(0.0, 0.5, m)), 1, 5)
    zip_code = rng.uniform(0.0, 1.0, m)
    wealth = np.clip(0.6 * zip_code + rng.uniform(0.0, 0.4, m), 0.0, 1.0)
    return np.vstack([size, bedrooms, zip_code, wealth])


def layer_forward(A_prev, W, b, g="relu"):
    r"""One layer of neurons on m examples: :math:`A = g(W A_{prev} + b)`.

    Row j of W holds neuron j's weights, so the layer is n[l] neurons side
    by side; ``b`` is broadcast along the m columns.

    Args:
        A_prev: (n[l-1], m) the previous layer's outputs (X for the first layer).
        W: (n[l], n[l-1]) weights. b: (n[l], 1) biases. g: the activation's name.

    Returns:
        A: (n[l], m).
    """
    A_prev = check_finite("A_prev", as_array("A_prev", A_prev, ndim=2))
    W = check_finite("W", as_array("W", W, ndim=2))
    check_shape("W", W, (None, A_prev.shape[0]), "(n[l], n[l-1]): one column per input row")
    b = check_finite("b", as_array("b", b, ndim=2))
    check_shape("b", b, (W.shape[0], 1), "(n[l], 1): one bias per neuron")
    return _activation(g)(W @ A_prev + b)


def stacked_forward(X, layers, g="relu"):
    r"""Neurons stacked into a network: apply :func:`layer_forward` layer after layer.

    Args:
        X: (n_x, m) inputs.
        layers: a list of (W, b) pairs, W^[l] of shape (n[l], n[l-1]) and
            b^[l] of shape (n[l], 1), for l = 1 .. L.
        g: the activation of every layer.

    Returns:
        the list [A^[0] = X, A^[1], ..., A^[L]], each (n[l], m).
    """
    if len(layers) == 0:
        raise ValueError("layers: expected at least one (W, b) pair")
    activations = [as_array("X", X, ndim=2)]
    for W, b in layers:
        activations.append(layer_forward(activations[-1], W, b, g))
    return activations


def loop_layer_forward(A_prev, W, b, g="relu"):
    """:func:`layer_forward` with explicit loops over neurons and examples (same result).

    Each output is one neuron on one example, :math:`g(\\sum_k W_{jk} a_k + b_j)`:
    the picture of a network as many small neurons. Shapes as in :func:`layer_forward`.
    """
    A_prev = check_finite("A_prev", as_array("A_prev", A_prev, ndim=2))
    W = as_array("W", W, ndim=2)
    check_shape("W", W, (None, A_prev.shape[0]), "(n[l], n[l-1]): one column per input row")
    b = as_array("b", b, ndim=2)
    check_shape("b", b, (W.shape[0], 1), "(n[l], 1): one bias per neuron")
    f = _activation(g)
    out = np.zeros((W.shape[0], A_prev.shape[1]))
    for j in range(W.shape[0]):
        for i in range(A_prev.shape[1]):
            out[j, i] = f(sum(W[j, k] * A_prev[k, i] for k in range(W.shape[1])) + b[j, 0])
    return out


def mean_squared_error(A, Y):
    r"""Mean of :math:`(a - y)^2` over all entries; A and Y of the same shape, e.g. (1, m)."""
    A = as_array("A", A)
    Y = as_array("Y", Y)
    if A.shape != Y.shape:
        raise ValueError(f"Y: expected the shape of A, {A.shape}, got {Y.shape}")
    return float(np.mean((A - Y) ** 2))

