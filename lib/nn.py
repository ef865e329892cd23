r"""The two-layer neural network: one tanh hidden layer, one sigmoid output.

Chapter 7 (shallow networks) teaches it; chapters 6 and 8 reuse it. In the
book's notation, for X of shape (n_x, m):

.. math::

    Z^{[1]} = W^{[1]} X + b^{[1]},\quad A^{[1]} = \tanh Z^{[1]},\quad
    Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]},\quad A^{[2]} = \sigma(Z^{[2]})

with W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1). The cost is the
mean cross-entropy and backpropagation runs the chain rule back through the
two layers. The per-example loops (:func:`forward_propagation_loop`,
:func:`backward_propagation_loop`, :func:`neuron_by_neuron_output`) compute
the same numbers one example (or one neuron) at a time; the chapter and the
benchmark compare them with the vectorised forms.
"""
import numpy as np

from lib._checks import as_array, check_finite, check_labels, check_positive, check_positive_int, check_shape
from lib.activations import sigmoid
from lib.losses import cost as _cross_entropy_cost

PARAMETER_NAMES = ("W1", "b1", "W2", "b2")


# --------------------------------------------------------------------- checks
def _check_X(X):
    X = as_array("X", X, ndim=2)
    if X.shape[1] == 0:
        raise ValueError(f"X: expected shape (n_x, m) with m >= 1, got {X.shape}")
    return check_finite("X", X)


def _check_XY(X, Y):
    X = _check_X(X)
    Y = as_array("Y", Y, ndim=2)
    check_shape("Y", Y, (None, X.shape[1]), "(n_y, m), m as in X")
    check_finite("Y", Y)
    check_labels("Y", Y)
    return X, Y


def _check_parameters(parameters, n_x=None):
    """Check the four arrays' shapes against each other (and against n_x when given)."""
    missing = [k for k in PARAMETER_NAMES if k not in parameters]
    if missing:
        raise ValueError(f"parameters: missing {missing}, expected keys {list(PARAMETER_NAMES)}")
    W1 = as_array("parameters['W1']", parameters["W1"], ndim=2)
    n_h = W1.shape[0]
    if n_x is not None:
        check_shape("parameters['W1']", W1, (n_h, n_x), "(n_h, n_x), n_x = X's rows")
    n_x = W1.shape[1]
    W2 = as_array("parameters['W2']", parameters["W2"], ndim=2)
    check_shape("parameters['W2']", W2, (None, n_h), "(n_y, n_h)")
    n_y = W2.shape[0]
    b1 = check_shape("parameters['b1']", as_array("parameters['b1']", parameters["b1"]), (n_h, 1), "(n_h, 1)")
    b2 = check_shape("parameters['b2']", as_array("parameters['b2']", parameters["b2"]), (n_y, 1), "(n_y, 1)")
    for name, arr in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)):
        check_finite(f"parameters['{name}']", arr)
    return W1, b1, W2, b2


# ------------------------------------------------------------- the network
def layer_sizes(X, Y, n_h=4):
    """The three layer sizes read from the data.

    Args:
        X: (n_x, m) inputs. Y: (n_y, m) labels. n_h: the hidden size chosen.

    Returns:
        (n_x, n_h, n_y).
    """
    X, Y = _check_XY(X, Y)
    return X.shape[0], check_positive_int("n_h", n_h), Y.shape[0]


def initialize_parameters(n_x, n_h, n_y, seed=2, scale=0.01):
    r"""Small random weights, zero biases: :math:`W^{[l]} \sim \text{scale}\cdot\mathcal N(0, 1)`.

    Random, because identical units receive identical gradients and stay
    identical (see :func:`initialize_parameters_constant`); small, because
    tanh and sigmoid saturate for large :math:`|z|`, where their slope is ~0.

    Args:
        n_x, n_h, n_y: the input, hidden and output sizes (each >= 1).
        seed: the random seed. scale: the standard deviation of the weights.

    Returns:
        dict with W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1).
    """
    n_x = check_positive_int("n_x", n_x)
    n_h = check_positive_int("n_h", n_h)
    n_y = check_positive_int("n_y", n_y)
    check_positive("scale", scale)
    rng = np.random.default_rng(seed)
    return {"W1": rng.standard_normal((n_h, n_x)) * scale, "b1": np.zeros((n_h, 1)),
            "W2": rng.standard_normal((n_y, n_h)) * scale, "b2": np.zeros((n_y, 1))}


def initialize_parameters_constant(n_x, n_h, n_y, value=0.0):
    """Every weight equal to ``value`` (zero by default), biases zero: the symmetric start.

    All hidden units then compute the same function and receive the same
    gradient, so gradient descent keeps them identical for ever. Returns the
    dict of :func:`initialize_parameters`.
    """
    n_x = check_positive_int("n_x", n_x)
    n_h = check_positive_int("n_h", n_h)
    n_y = check_positive_int("n_y", n_y)
    if not np.isfinite(value):
        raise ValueError(f"value: expected a finite number, got {value!r}")
    return {"W1": np.full((n_h, n_x), float(value)), "b1": np.zeros((n_h, 1)),
            "W2": np.full((n_y, n_h), float(value)), "b2": np.zeros((n_y, 1))}


def forward_propagation(X, parameters):
    r"""The forward pass for all m examples at once.

    :math:`Z^{[1]} = W^{[1]}X + b^{[1]}`, :math:`A^{[1]} = \tanh Z^{[1]}`,
    :math:`Z^{[2]} = W^{[2]}A^{[1]} + b^{[2]}`, :math:`A^{[2]} = \sigma(Z^{[2]})`;
    each b is broadcast along the m columns.

    Args:
        X: (n_x, m) inputs. parameters: W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1).

    Returns:
        (A2, cache): A2 of shape (n_y, m), the predicted probabilities; cache
        a dict with Z1, A1 (n_h, m) and Z2, A2 (n_y, m) for the backward pass.
    """
    X = _check_X(X)
    W1, b1, W2, b2 = _check_parameters(parameters, X.shape[0])
    Z1 = W1 @ X + b1
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    r"""Cross-entropy cost :math:`J = -\frac1m \sum_i \big(y^{(i)}\log a^{[2](i)} + (1-y^{(i)})\log(1-a^{[2](i)})\big)`.

    Args:
        A2: (n_y, m) predicted probabilities. Y: (n_y, m) labels in {0, 1}.

    Returns:
        the cost, a float (the mean over all entries; for n_y = 1, over the m examples).
    """
    A2 = as_array("A2", A2, ndim=2)
    Y = as_array("Y", Y, ndim=2)
    check_shape("Y", Y, A2.shape, "(n_y, m), A2's shape")
    check_finite("A2", A2)
    return _cross_entropy_cost(A2, Y)


def backward_propagation(parameters, cache, X, Y):
    r"""Backpropagation through the two layers, for all m examples at once.

    .. math::

        dZ^{[2]} = A^{[2]} - Y,\quad dW^{[2]} = \tfrac1m dZ^{[2]} A^{[1]T},\quad
        db^{[2]} = \tfrac1m \textstyle\sum_i dZ^{[2](i)}

        dZ^{[1]} = W^{[2]T} dZ^{[2]} \odot (1 - A^{[1]2}),\quad
        dW^{[1]} = \tfrac1m dZ^{[1]} X^T,\quad db^{[1]} = \tfrac1m \textstyle\sum_i dZ^{[1](i)}

    (:math:`1 - A^{[1]2}` is tanh's derivative, read from the cache.)

    Args:
        parameters: as in :func:`forward_propagation`. cache: its cache.
        X: (n_x, m) inputs. Y: (n_y, m) labels.

    Returns:
        dict with dW1 (n_h, n_x), db1 (n_h, 1), dW2 (n_y, n_h), db2 (n_y, 1).
    """
    X, Y = _check_XY(X, Y)
    W1, b1, W2, b2 = _check_parameters(parameters, X.shape[0])
    check_shape("Y", Y, (W2.shape[0], X.shape[1]), "(n_y, m)")
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = (W2.T @ dZ2) * (1.0 - A1 ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2):
    r"""One gradient-descent step, :math:`\theta := \theta - \alpha\, d\theta` for each parameter.

    Args:
        parameters: dict W1, b1, W2, b2. grads: dict dW1, db1, dW2, db2 (same shapes).
        learning_rate: α > 0.

    Returns:
        a new dict of parameters (the input is not changed).
    """
    check_positive("learning_rate", learning_rate)
    _check_parameters(parameters)
    out = {}
    missing = [f"d{name}" for name in PARAMETER_NAMES if f"d{name}" not in grads]
    if missing:
        raise ValueError(f"grads: missing {missing}, expected keys dW1, db1, dW2, db2")
    for name in PARAMETER_NAMES:
        g = as_array(f"grads['d{name}']", grads[f"d{name}"])
        check_shape(f"grads['d{name}']", g, np.shape(parameters[name]), f"the shape of {name}")
        out[name] = np.asarray(parameters[name], dtype=float) - learning_rate * g
    return out


def nn_model(X, Y, n_h=4, num_iterations=10000, learning_rate=1.2, seed=3,
             parameters=None, record_every=100):
    """Train the two-layer network by batch gradient descent.

    Args:
        X: (n_x, m) inputs. Y: (n_y, m) labels in {0, 1}.
        n_h: hidden size (>= 1). num_iterations: gradient steps.
        learning_rate: α. seed: seed of :func:`initialize_parameters`.
        parameters: a starting point instead of the random one (for the
            symmetry experiment of chapter 7); copied, not changed.
        record_every: the cost is recorded every this many iterations.

    Returns:
        (parameters, costs): the trained dict W1, b1, W2, b2 and the list of
        costs recorded at iterations 0, record_every, 2·record_every, ….
    """
    X, Y = _check_XY(X, Y)
    num_iterations = check_positive_int("num_iterations", num_iterations, minimum=0)
    record_every = check_positive_int("record_every", record_every)
    check_positive("learning_rate", learning_rate)
    n_x, n_h, n_y = layer_sizes(X, Y, n_h)
    if parameters is None:
        parameters = initialize_parameters(n_x, n_h, n_y, seed)
    else:
        _check_parameters(parameters, n_x)
        parameters = {k: np.array(parameters[k], dtype=float) for k in PARAMETER_NAMES}
    costs = []
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        if i % record_every == 0:
            costs.append(compute_cost(A2, Y))
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def predict(parameters, X):
    """Labels from the trained network: 1 where :math:`A^{[2]} > 0.5`, else 0.

    Args:
        parameters: dict W1, b1, W2, b2. X: (n_x, m) inputs.

    Returns:
        (n_y, m) array of 0.0 / 1.0.
    """
    A2, _ = forward_propagation(X, parameters)
    return (A2 > 0.5).astype(float)


# ------------------------------------------------ one example / one neuron at a time
def neuron_by_neuron_output(x, parameters):
    r"""The network's output for one example, computed one neuron at a time.

    Hidden unit i computes :math:`z_i^{[1]} = w_i^{[1]T} x + b_i^{[1]}`,
    :math:`a_i^{[1]} = \tanh z_i^{[1]}` (:math:`w_i^{[1]T}` is row i of W1);
    then the output unit does the same with :math:`a^{[1]}`. This is the
    picture of the lecture before it stacks the rows into :math:`W^{[1]}`.

    Args:
        x: (n_x,) or (n_x, 1), one example. parameters: dict W1, b1, W2, b2.

    Returns:
        (a1, a2): (n_h,) hidden activations and (n_y,) outputs.
    """
    x = as_array("x", x).reshape(-1)
    W1, b1, W2, b2 = _check_parameters(parameters, x.size)
    a1 = np.zeros(W1.shape[0])
    for i in range(W1.shape[0]):
        a1[i] = np.tanh(np.dot(W1[i], x) + b1[i, 0])
    a2 = np.zeros(W2.shape[0])
    for k in range(W2.shape[0]):
        a2[k] = sigmoid(np.dot(W2[k], a1) + b2[k, 0])
    return a1, a2


def forward_propagation_loop(X, parameters):
    """The forward pass with a Python loop over the m examples (same result as
    :func:`forward_propagation`'s A2, (n_y, m))."""
    X = _check_X(X)
    W1, b1, W2, b2 = _check_parameters(parameters, X.shape[0])
    A2 = np.zeros((W2.shape[0], X.shape[1]))
    for i in range(X.shape[1]):
        x = X[:, i:i + 1]                      # (n_x, 1), one column
        a1 = np.tanh(W1 @ x + b1)
        A2[:, i:i + 1] = sigmoid(W2 @ a1 + b2)
    return A2


def backward_propagation_loop(parameters, X, Y):
    """The gradients of the cost with a Python loop over the m examples.

    Runs forward and backward for each column x^(i) and averages the m
    per-example gradients: the sums that :func:`backward_propagation` does
    with matrix products. Returns the same dict dW1, db1, dW2, db2.
    """
    X, Y = _check_XY(X, Y)
    W1, b1, W2, b2 = _check_parameters(parameters, X.shape[0])
    m = X.shape[1]
    grads = {"dW1": np.zeros_like(W1), "db1": np.zeros_like(b1),
             "dW2": np.zeros_like(W2), "db2": np.zeros_like(b2)}
    for i in range(m):
        x, y = X[:, i:i + 1], Y[:, i:i + 1]
        a1 = np.tanh(W1 @ x + b1)
        a2 = sigmoid(W2 @ a1 + b2)
        dz2 = a2 - y
        dz1 = (W2.T @ dz2) * (1.0 - a1 ** 2)
        grads["dW2"] += dz2 @ a1.T
        grads["db2"] += dz2
        grads["dW1"] += dz1 @ x.T
        grads["db1"] += dz1
    return {k: v / m for k, v in grads.items()}


def train_step(parameters, X, Y, learning_rate=1.2):
    """One vectorised gradient step on all m examples; returns the new parameters."""
    _, cache = forward_propagation(X, parameters)
    return update_parameters(parameters, backward_propagation(parameters, cache, X, Y), learning_rate)


def train_step_loop(parameters, X, Y, learning_rate=1.2):
    """The same step as :func:`train_step`, its gradients computed one example at a time."""
    return update_parameters(parameters, backward_propagation_loop(parameters, X, Y), learning_rate)
