r"""A neuron as a function, and neurons stacked into a network.

Chapter ``01_neural_networks`` (what is a neural network) uses this module. A neuron maps its
inputs to one number,

.. math:: a = g(w^T x + b),

with weights :math:`w` of shape (n_x, 1), a bias :math:`b` and an activation
:math:`g`. The lecture's first example is one ReLU neuron that predicts a
house's price from its size: zero below some size, then a straight line.
Stacking such neurons, layer after layer, gives a network.

Shapes follow the book: X is (n_x, m), one column per example; a layer's
weights W are (n[l], n[l-1]) and its biases b are (n[l], 1).

Every public function checks its input once, at the edge (the
``@checked_by(...)`` line above it, which names the argument at fault: a
shape that does not fit, NaN or infinity, an unknown activation); its body is
the maths, also reachable unchecked as ``function.unchecked``. float32 in
gives float32 out.
"""
import numpy as np

from lib._checks import (as_float, check_choice, check_positive_int, check_range, check_seed,
                         check_shape, common_float, make_rng)
from lib.activations import get_activation
from lib._checks import checked_by

ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu", "step", "linear")
"""The activations g a neuron may use, by name."""

HOUSING_W = 2.5
"""Slope of the true price line in :func:`make_housing`: thousand euros per m²."""

HOUSING_B = -100.0
"""Bias of the true price line in :func:`make_housing` (so prices start at 40 m²)."""

HOUSING_FEATURES = ("size (m²)", "bedrooms", "zip code", "wealth")
"""The four inputs of :func:`make_housing_features`, in row order."""



# --------------------------------------------------------------------- checks
def _check_g(g):
    return check_choice("g", g, ACTIVATIONS)


def _check_weights(W, b, n_prev, w_name="W", b_name="b"):
    """W (n[l], n[l-1]) with n[l-1] = n_prev, and b (n[l], 1), finite."""
    W = as_float(w_name, W, ndim=2, meaning="(n[l], n[l-1])")
    check_shape(w_name, W, (None, n_prev), f"(n[l], n[l-1]): one column per input row, n[l-1] = {n_prev}")
    b = as_float(b_name, b, ndim=2, meaning="(n[l], 1)")
    check_shape(b_name, b, (W.shape[0], 1), "(n[l], 1): one bias per neuron")
    return W, b


def _check_layer(A_prev, W, b, g="relu"):
    """A_prev (n[l-1], m), W (n[l], n[l-1]), b (n[l], 1), finite, in one float dtype."""
    A_prev = as_float("A_prev", A_prev, ndim=2, meaning="(n[l-1], m)")
    W, b = _check_weights(W, b, A_prev.shape[0])
    dtype = common_float(A_prev, W, b)
    return {"A_prev": A_prev.astype(dtype, copy=False), "W": W.astype(dtype, copy=False),
            "b": b.astype(dtype, copy=False), "g": _check_g(g)}


def _check_neuron(X, w, b, g="relu"):
    """X (n_x, m), w (n_x, 1), b a finite number, g a known activation."""
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    w = as_float("w", w, ndim=2, meaning="(n_x, 1)")
    check_shape("w", w, (X.shape[0], 1), "(n_x, 1): a column, one weight per row of X")
    b = float(check_range("b", b))
    dtype = common_float(X, w)
    return {"X": X.astype(dtype, copy=False), "w": w.astype(dtype, copy=False), "b": b, "g": _check_g(g)}


def _check_relu_neuron(X, w, b):
    arguments = _check_neuron(X, w, b)
    del arguments["g"]
    return arguments


def _check_housing(m=60, noise=15.0, seed=0):
    return {"m": check_positive_int("m", m), "noise": float(check_range("noise", noise, low=0)),
            "seed": check_seed(seed)}


def _check_features(m=200, seed=0):
    return {"m": check_positive_int("m", m), "seed": check_seed(seed)}


def _check_fit(X, Y, n_knots=400):
    X = as_float("X", X, ndim=2, meaning="(1, m)")
    check_shape("X", X, (1, None), "(1, m): one input per column")
    Y = as_float("Y", Y, ndim=2, meaning="(1, m)")
    check_shape("Y", Y, X.shape, "(1, m), like X")
    dtype = common_float(X, Y)
    return {"X": X.astype(dtype, copy=False), "Y": Y.astype(dtype, copy=False),
            "n_knots": check_positive_int("n_knots", n_knots, minimum=2)}


def _check_stacked(X, layers, g="relu"):
    X = as_float("X", X, ndim=2, meaning="(n_x, m)")
    if not isinstance(layers, (list, tuple)):
        raise TypeError(f"layers: expected a list of (W, b) pairs, got {type(layers).__name__}")
    if len(layers) == 0:
        raise ValueError("layers: expected at least one (W, b) pair, got an empty list")
    checked, n_prev = [], X.shape[0]
    for l, pair in enumerate(layers, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"layers[{l - 1}]: expected a pair (W{l}, b{l}), got {type(pair).__name__}")
        W, b = _check_weights(*pair, n_prev, f"layers[{l - 1}][0] (W{l})", f"layers[{l - 1}][1] (b{l})")
        checked.append((W, b))
        n_prev = W.shape[0]
    dtype = common_float(X, *(array for pair in checked for array in pair))
    return {"X": X.astype(dtype, copy=False),
            "layers": [(W.astype(dtype, copy=False), b.astype(dtype, copy=False)) for W, b in checked],
            "g": _check_g(g)}


def _check_mse(A, Y):
    A = as_float("A", A)
    Y = as_float("Y", Y)
    check_shape("Y", Y, A.shape, "(the shape of A)")
    return {"A": A, "Y": Y}


# ---------------------------------------------------------------- one neuron
@checked_by(_check_neuron)
def neuron_forward(X, w, b, g="relu"):
    r"""One neuron on m examples: :math:`a = g(w^T X + b)`.

    Args:
        X: (n_x, m) inputs, one column per example.
        w: (n_x, 1) weights, a column.
        b: the bias, a number.
        g: the activation's name, one of :data:`ACTIVATIONS` ("relu", "sigmoid", …).

    Returns:
        a: (1, m), the neuron's output for each example, in X's dtype.
    """
    g, _ = get_activation(g)       # the function called g, e.g. "relu": max(0, z)
    return g(w.T @ X + b)          # (1, n_x) @ (n_x, m) -> (1, m)


@checked_by(_check_relu_neuron)
def relu_neuron(X, w, b):
    r"""The ReLU neuron of the housing example: :math:`a = \max(0, w^T X + b)`.

    Args:
        X: (n_x, m) inputs (n_x = 1 for "price from size"). w: (n_x, 1). b: a number.

    Returns:
        (1, m) outputs, never negative.
    """
    return neuron_forward.unchecked(X, w, b, "relu")


@checked_by(_check_housing)
def make_housing(m=60, noise=15.0, seed=0):
    r"""House sizes and prices that follow one ReLU neuron, plus noise.

    Sizes are uniform in [20, 200] m²; the price, in thousand euros, is
    :math:`\max(0,\ 2.5\,\text{size} - 100 + \varepsilon)` with Gaussian
    :math:`\varepsilon` of std ``noise``: the lecture's made-up rule that a
    house below some size is worth nothing and each m² above it adds the same.
    The true parameters are :data:`HOUSING_W` and :data:`HOUSING_B`.

    Args:
        m: number of houses (>= 1). noise: std of the price noise (>= 0).
        seed: the random seed, an int >= 0 or None.

    Returns:
        (X, Y): X of shape (1, m), the sizes in m²; Y of shape (1, m), the prices (float64).
    """
    rng = make_rng(seed)
    size = np.sort(rng.uniform(20.0, 200.0, m))
    price = np.maximum(0.0, HOUSING_W * size + HOUSING_B + rng.normal(0.0, noise, m))
    return size[None, :], price[None, :]


@checked_by(_check_fit)
def fit_relu_neuron(X, Y, n_knots=400):
    r"""Least-squares fit of a one-input ReLU neuron :math:`\hat y = \max(0, w x + b)`, w ≥ 0.

    With w > 0 the neuron is :math:`w \max(0, x - c)`, a line that starts at
    the knot :math:`c = -b/w`. For a fixed knot the best slope has a closed
    form, :math:`w = \sum_i h_i y_i / \sum_i h_i^2` with :math:`h_i = \max(0, x_i - c)`;
    so we try ``n_knots`` knots between min x and max x and keep the one with
    the least squared error. With w = 0 the neuron is flat, :math:`\hat y = \max(0, b)`,
    best at :math:`b = \max(0, \bar y)`: that is the answer when all x are equal.
    No gradient descent is needed yet (chapter ``04_gradient_descent``).

    Args:
        X: (1, m) inputs. Y: (1, m) targets. n_knots: how many knots to try (≥ 2).

    Returns:
        (w, b): w of shape (1, 1), in X's dtype, and the float b, ready for :func:`relu_neuron`.
    """
    x, y = X[0], Y[0]
    # all knots at once: H[k, i] = max(0, x_i - c_k), the hinge of knot k
    knots = np.linspace(x.min(), x.max(), n_knots, endpoint=False)
    H = np.maximum(0.0, x[None, :] - knots[:, None])
    h2 = np.sum(H * H, axis=1)                  # 0 only if all x are equal
    slopes = np.divide(np.maximum(0.0, H @ y), h2, out=np.zeros_like(h2), where=h2 > 0)
    sse = np.sum((slopes[:, None] * H - y[None, :]) ** 2, axis=1)
    best = int(np.argmin(sse))
    w, b = slopes[best], -slopes[best] * knots[best]
    flat = max(0.0, float(np.mean(y)))          # the best flat neuron, w = 0
    if np.sum((flat - y) ** 2) < sse[best]:
        w, b = 0.0, flat
    return np.array([[w]], dtype=X.dtype), float(b)


@checked_by(_check_features)
def make_housing_features(m=200, seed=0):
    r"""Houses described by four inputs: size, bedrooms, zip code and the area's wealth.

    Rows of X (see :data:`HOUSING_FEATURES`): size in m² (uniform in [30, 200]),
    number of bedrooms (1 to 5, growing with size), a zip code read as a
    number in [0, 1] (how central the area is) and the area's wealth in [0, 1].

    Args:
        m: number of houses (>= 1). seed: the random seed, an int >= 0 or None.

    Returns:
        X of shape (4, m), float64.
    """
    rng = make_rng(seed)
    size = rng.uniform(30.0, 200.0, m)
    bedrooms = np.clip(np.round(size / 40.0 + rng.normal(0.0, 0.5, m)), 1, 5)
    zip_code = rng.uniform(0.0, 1.0, m)
    wealth = np.clip(0.6 * zip_code + rng.uniform(0.0, 0.4, m), 0.0, 1.0)
    return np.vstack([size, bedrooms, zip_code, wealth])


# ---------------------------------------------------------- neurons stacked
@checked_by(_check_layer)
def layer_forward(A_prev, W, b, g="relu"):
    r"""One layer of neurons on m examples: :math:`A = g(W A_{prev} + b)`.

    Row j of W holds neuron j's weights, so the layer is n[l] neurons side
    by side; ``b`` is broadcast along the m columns.

    Args:
        A_prev: (n[l-1], m) the previous layer's outputs (X for the first layer).
        W: (n[l], n[l-1]) weights. b: (n[l], 1) biases. g: the activation's name.

    Returns:
        A: (n[l], m), in A_prev's dtype.
    """
    g, _ = get_activation(g)
    return g(W @ A_prev + b)       # (n[l], n[l-1]) @ (n[l-1], m) -> (n[l], m)


@checked_by(_check_stacked)
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
    g, _ = get_activation(g)               # the function called g, e.g. "relu": max(0, z)
    activations = [X]
    for W, b in layers:                    # A[l] = g(W[l] A[l-1] + b[l])
        activations.append(g(W @ activations[-1] + b))
    return activations


@checked_by(_check_layer)
def loop_layer_forward(A_prev, W, b, g="relu"):
    """:func:`layer_forward` with explicit loops over neurons and examples (same result).

    Each output is one neuron on one example, :math:`g(\\sum_k W_{jk} a_k + b_j)`:
    the picture of a network as many small neurons. Shapes as in :func:`layer_forward`.
    """
    g, _ = get_activation(g)
    out = np.zeros((W.shape[0], A_prev.shape[1]), dtype=A_prev.dtype)
    for j in range(W.shape[0]):            # neuron j
        for i in range(A_prev.shape[1]):   # example i
            out[j, i] = g(sum(W[j, k] * A_prev[k, i] for k in range(W.shape[1])) + b[j, 0])
    return out


@checked_by(_check_mse)
def mean_squared_error(A, Y):
    r"""Mean of :math:`(a - y)^2` over all entries, a float.

    Args:
        A: predictions, any shape, e.g. (1, m). Y: targets, A's shape.
    """
    return float(np.mean((A - Y) ** 2))
