r"""The two-layer neural network: one tanh hidden layer, one sigmoid output.

Chapter ``07_shallow_networks`` (shallow networks) teaches it; chapters ``06_activation_functions`` and ``08_perceptron`` reuse it. In the
book's notation, for X of shape (n_x, m):

.. math::

    Z^{[1]} = W^{[1]} X + b^{[1]},\quad A^{[1]} = \tanh Z^{[1]},\quad
    Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]},\quad A^{[2]} = \sigma(Z^{[2]})

with W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1). The cost is the
mean cross-entropy; backpropagation runs the chain rule back through the two
layers. As everywhere in lib, ``dX`` means :math:`\partial J/\partial X` for
the *mean* cost J, so the 1/m enters once, in the cost's gradient
:math:`dZ^{[2]} = \frac1m (A^{[2]} - Y)`, and no layer divides by m again
(``notation.md``). The per-example loops (:func:`forward_propagation_loop`,
:func:`backward_propagation_loop`, :func:`neuron_by_neuron_output`) compute
the same numbers one example (or one neuron) at a time; the chapter and the
benchmark compare them with the vectorised forms.

Every public function checks its input once, at the edge (the
``@checked_by(...)`` line above it); its body, the maths, is also reachable
unchecked as ``function.unchecked``, which is what the training loop
:func:`nn_model` calls on every step.
"""

import numpy as np

from lib._checks import (as_float, check_labels, check_parameters, check_positive, checked_by,
                         check_positive_int, check_probabilities, check_seed, check_shape, make_rng)
from lib.activations import get_activation
from lib.losses import cost as _cross_entropy_cost

PARAMETER_NAMES = ("W1", "b1", "W2", "b2")

sigmoid, _ = get_activation("sigmoid")   # σ without input checks: the functions below check theirs first


# --------------------------------------------------------------------- checks
def _check_X(X, n_x=None, name="X"):
    X = as_float(name, X, ndim=2, meaning="(n_x, m)")
    if n_x is not None:
        check_shape(name, X, (n_x, None), "(n_x, m), n_x = W1's columns")
    return X


def _check_Y(Y, n_y, X, name="Y"):
    """Labels 0/1 of shape (n_y, m), m = X's columns, in X's float dtype (0 and 1 are exact in both)."""
    Y = as_float(name, Y, ndim=2, meaning="(n_y, m)")
    check_shape(name, Y, (n_y, X.shape[1]), "(n_y, m), m as in X" if n_y is None else "(n_y, m), n_y = W2's rows")
    return check_labels(name, Y).astype(X.dtype, copy=False)


def _check_parameters(parameters, n_x=None, n_h=None, n_y=None, name="parameters"):
    """The four arrays, finite, of shapes that fit each other (and n_x, n_h, n_y when given)."""
    if isinstance(parameters, dict):
        missing = [k for k in PARAMETER_NAMES if k not in parameters]
        if missing:
            raise ValueError(f"{name}: missing {missing}; expected keys {list(PARAMETER_NAMES)} "
                             "(the dict of initialize_parameters)")
    W1 = check_parameters(name, parameters, {"W1": (n_h, n_x)}, "initialize_parameters")["W1"]
    n_h, n_x = W1.shape
    W2 = check_parameters(name, parameters, {"W2": (n_y, n_h)}, "initialize_parameters")["W2"]
    n_y = W2.shape[0]
    rest = check_parameters(name, parameters, {"b1": (n_h, 1), "b2": (n_y, 1)}, "initialize_parameters")
    return {"W1": W1, "b1": rest["b1"], "W2": W2, "b2": rest["b2"]}


def _check_learning_rate(learning_rate):
    return float(check_positive("learning_rate", learning_rate))


def _check_sizes(n_x, n_h, n_y):
    return (check_positive_int("n_x", n_x), check_positive_int("n_h", n_h), check_positive_int("n_y", n_y))


def _check_forward(X, parameters):
    parameters = _check_parameters(parameters)
    return {"X": _check_X(X, parameters["W1"].shape[1]), "parameters": parameters}


def _check_cost(A2, Y):
    A2 = as_float("A2", A2, ndim=2, meaning="(n_y, m)")
    check_probabilities("A2", A2)
    Y = as_float("Y", Y, ndim=2, meaning="(n_y, m)")
    check_shape("Y", Y, A2.shape, "(n_y, m), A2's shape")
    return {"A2": A2, "Y": check_labels("Y", Y)}


def _check_data(parameters, X, Y):
    parameters = _check_parameters(parameters)
    X = _check_X(X, parameters["W1"].shape[1])
    return parameters, X, _check_Y(Y, parameters["W2"].shape[0], X)


def _check_gradients(parameters, X, Y):
    parameters, X, Y = _check_data(parameters, X, Y)
    return {"parameters": parameters, "X": X, "Y": Y}


def _check_backward(parameters, cache, X, Y):
    parameters, X, Y = _check_data(parameters, X, Y)
    (n_h, _), (n_y, m) = parameters["W1"].shape, Y.shape
    cache = check_parameters("cache", cache, {"A1": (n_h, m), "A2": (n_y, m)}, "forward_propagation")
    check_probabilities("cache['A2']", cache["A2"])
    return {"parameters": parameters, "cache": cache, "X": X, "Y": Y}


def _check_update(parameters, grads, learning_rate):
    parameters = _check_parameters(parameters)
    grads = check_parameters("grads", grads, {"d" + k: v.shape for k, v in parameters.items()},
                             "backward_propagation")
    return {"parameters": parameters, "grads": grads, "learning_rate": _check_learning_rate(learning_rate)}


def _check_step(parameters, X, Y, learning_rate):
    parameters, X, Y = _check_data(parameters, X, Y)
    return {"parameters": parameters, "X": X, "Y": Y, "learning_rate": _check_learning_rate(learning_rate)}


def _check_model(X, Y, n_h, num_iterations, learning_rate, seed, parameters, record_every):
    X = _check_X(X)
    Y = _check_Y(Y, None, X)
    n_h = check_positive_int("n_h", n_h)
    if parameters is not None:
        parameters = _check_parameters(parameters, X.shape[0], n_h, Y.shape[0])
    return {"X": X, "Y": Y, "n_h": n_h,
            "num_iterations": check_positive_int("num_iterations", num_iterations, minimum=0),
            "learning_rate": _check_learning_rate(learning_rate), "seed": check_seed(seed),
            "parameters": parameters,
            "record_every": check_positive_int("record_every", record_every)}


def _check_one_example(x, parameters):
    parameters = _check_parameters(parameters)
    n_x = parameters["W1"].shape[1]
    x = as_float("x", x, meaning="(n_x,) or (n_x, 1)")
    if x.shape not in ((n_x,), (n_x, 1)):
        raise ValueError(f"x: expected shape ({n_x},) or ({n_x}, 1), one example (n_x = W1's columns), "
                         f"got {x.shape}")
    return {"x": x.reshape(-1), "parameters": parameters}


# ------------------------------------------------------------- the network
def layer_sizes(X, Y, n_h=4):
    """The three layer sizes read from the data.

    Args:
        X: (n_x, m) inputs. Y: (n_y, m) labels in {0, 1}. n_h: the hidden size chosen (>= 1).

    Returns:
        (n_x, n_h, n_y).
    """
    X = _check_X(X)
    Y = _check_Y(Y, None, X)
    return X.shape[0], check_positive_int("n_h", n_h), Y.shape[0]


def initialize_parameters(n_x, n_h, n_y, seed=2, scale=0.01):
    r"""Small random weights, zero biases: :math:`W^{[l]} \sim \text{scale}\cdot\mathcal N(0, 1)`.

    Random, because identical units receive identical gradients and stay
    identical (see :func:`initialize_parameters_constant`); small, because
    tanh and sigmoid saturate for large :math:`|z|`, where their slope is ~0.

    Args:
        n_x, n_h, n_y: the input, hidden and output sizes (each >= 1).
        seed: the random seed, an int >= 0 or None. scale: the standard deviation of the weights (> 0).

    Returns:
        dict (float64) with W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1).
    """
    n_x, n_h, n_y = _check_sizes(n_x, n_h, n_y)
    scale = float(check_positive("scale", scale))
    rng = make_rng(seed)
    return {"W1": rng.standard_normal((n_h, n_x)) * scale, "b1": np.zeros((n_h, 1)),
            "W2": rng.standard_normal((n_y, n_h)) * scale, "b2": np.zeros((n_y, 1))}


def initialize_parameters_constant(n_x, n_h, n_y, value=0.0):
    """Every weight equal to ``value`` (zero by default), biases zero: the symmetric start.

    All hidden units then compute the same function and receive the same
    gradient, so gradient descent keeps them identical for ever. Returns the
    dict of :func:`initialize_parameters` (float64).
    """
    n_x, n_h, n_y = _check_sizes(n_x, n_h, n_y)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"value: expected a number, got {type(value).__name__} {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"value: expected a finite number, got {value!r}")
    return {"W1": np.full((n_h, n_x), float(value)), "b1": np.zeros((n_h, 1)),
            "W2": np.full((n_y, n_h), float(value)), "b2": np.zeros((n_y, 1))}


@checked_by(_check_forward)
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
    W1, b1, W2, b2 = (parameters[k] for k in PARAMETER_NAMES)
    Z1 = W1 @ X + b1                  # (n_h, n_x) @ (n_x, m) -> (n_h, m)
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1 + b2                 # (n_y, n_h) @ (n_h, m) -> (n_y, m)
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@checked_by(_check_cost)
def compute_cost(A2, Y):
    r"""Cross-entropy cost :math:`J = -\frac1m \sum_i \big(y^{(i)}\log a^{[2](i)} + (1-y^{(i)})\log(1-a^{[2](i)})\big)`.

    Args:
        A2: (n_y, m) predicted probabilities, in [0, 1]. Y: (n_y, m) labels in {0, 1}.

    Returns:
        the cost, a float (the mean over all entries; for n_y = 1, over the m
        examples). A2 is clipped to [1e-12, 1 − 1e-12], so a confident
        mistake costs about 27.6, not infinity.
    """
    return _cross_entropy_cost(A2, Y)


@checked_by(_check_backward)
def backward_propagation(parameters, cache, X, Y):
    r"""Backpropagation through the two layers, for all m examples at once.

    .. math::

        dZ^{[2]} = \tfrac1m (A^{[2]} - Y),\quad dW^{[2]} = dZ^{[2]} A^{[1]T},\quad
        db^{[2]} = \textstyle\sum_i dZ^{[2](i)}

        dZ^{[1]} = W^{[2]T} dZ^{[2]} \odot (1 - A^{[1]2}),\quad
        dW^{[1]} = dZ^{[1]} X^T,\quad db^{[1]} = \textstyle\sum_i dZ^{[1](i)}

    :math:`dZ^{[2]}` is the gradient of the mean cost, so it carries the 1/m
    and no later line divides again (the lecture writes
    :math:`dZ^{[2]} = A^{[2]} - Y` and puts the 1/m into each dW and db: the
    same numbers). :math:`1 - A^{[1]2}` is tanh's derivative, read from the cache.

    Args:
        parameters: as in :func:`forward_propagation`. cache: its cache (A1 (n_h, m), A2 (n_y, m)).
        X: (n_x, m) inputs. Y: (n_y, m) labels in {0, 1}.

    Returns:
        dict with dW1 (n_h, n_x), db1 (n_h, 1), dW2 (n_y, n_h), db2 (n_y, 1).
    """
    W2 = parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    m = X.shape[1]
    dZ2 = (A2 - Y) / m                            # (n_y, m): dJ/dZ2, the 1/m of the mean cost
    dW2 = dZ2 @ A1.T                              # (n_y, m) @ (m, n_h) -> (n_y, n_h)
    db2 = np.sum(dZ2, axis=1, keepdims=True)      # (n_y, 1)
    dZ1 = (W2.T @ dZ2) * (1.0 - A1 ** 2)          # (n_h, m)
    dW1 = dZ1 @ X.T                               # (n_h, m) @ (m, n_x) -> (n_h, n_x)
    db1 = np.sum(dZ1, axis=1, keepdims=True)      # (n_h, 1)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


@checked_by(_check_update)
def update_parameters(parameters, grads, learning_rate=1.2):
    r"""One gradient-descent step, :math:`\theta := \theta - \alpha\, d\theta` for each parameter.

    Args:
        parameters: dict W1, b1, W2, b2. grads: dict dW1, db1, dW2, db2 (same shapes).
        learning_rate: α > 0.

    Returns:
        a new dict of parameters (the input is not changed).
    """
    return {name: parameters[name] - learning_rate * grads["d" + name] for name in PARAMETER_NAMES}


@checked_by(_check_model)
def nn_model(X, Y, n_h=4, num_iterations=10000, learning_rate=1.2, seed=3,
             parameters=None, record_every=100):
    """Train the two-layer network by batch gradient descent.

    Args:
        X: (n_x, m) inputs. Y: (n_y, m) labels in {0, 1}.
        n_h: hidden size (>= 1). num_iterations: gradient steps (>= 0).
        learning_rate: α > 0. seed: seed of :func:`initialize_parameters` (an int >= 0 or None).
        parameters: a starting point instead of the random one (for the
            symmetry experiment of chapter ``07_shallow_networks``): W1 (n_h, n_x), b1 (n_h, 1),
            W2 (n_y, n_h), b2 (n_y, 1); copied, not changed.
        record_every: the cost is recorded every this many iterations (>= 1).

    Returns:
        (parameters, costs): the trained dict W1, b1, W2, b2 (in X's dtype)
        and the list of costs recorded at iterations 0, record_every,
        2·record_every, ….
    """
    if parameters is None:
        parameters = initialize_parameters(X.shape[0], n_h, Y.shape[0], seed)
    parameters = {k: parameters[k].astype(X.dtype) for k in PARAMETER_NAMES}   # a copy, in X's dtype
    costs = []
    for i in range(num_iterations):
        A2, cache = forward_propagation.unchecked(X, parameters)
        if i % record_every == 0:
            costs.append(compute_cost.unchecked(A2, Y))
        grads = backward_propagation.unchecked(parameters, cache, X, Y)
        parameters = update_parameters.unchecked(parameters, grads, learning_rate)
    return parameters, costs


@checked_by(_check_forward)
def predict(parameters, X):
    """Labels from the trained network: 1 where :math:`A^{[2]} > 0.5`, else 0.

    Args:
        parameters: dict W1, b1, W2, b2. X: (n_x, m) inputs.

    Returns:
        (n_y, m) array of 0.0 / 1.0, in X's dtype.
    """
    A2, _ = forward_propagation.unchecked(X, parameters)
    return (A2 > 0.5).astype(A2.dtype)


# ------------------------------------------------ one example / one neuron at a time
@checked_by(_check_one_example)
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
    W1, b1, W2, b2 = (parameters[k] for k in PARAMETER_NAMES)
    a1 = np.zeros(W1.shape[0], dtype=np.result_type(x, W1))
    for i in range(W1.shape[0]):
        a1[i] = np.tanh(np.dot(W1[i], x) + b1[i, 0])
    a2 = np.zeros(W2.shape[0], dtype=np.result_type(a1, W2))
    for k in range(W2.shape[0]):
        a2[k] = sigmoid(np.dot(W2[k], a1) + b2[k, 0])
    return a1, a2


@checked_by(_check_forward)
def forward_propagation_loop(X, parameters):
    """The forward pass with a Python loop over the m examples.

    Args:
        X: (n_x, m) inputs. parameters: dict W1, b1, W2, b2.

    Returns:
        A2 (n_y, m), the same as :func:`forward_propagation`'s.
    """
    W1, b1, W2, b2 = (parameters[k] for k in PARAMETER_NAMES)
    A2 = np.zeros((W2.shape[0], X.shape[1]), dtype=np.result_type(X, W1))
    for i in range(X.shape[1]):
        x = X[:, i:i + 1]                      # (n_x, 1), one column
        a1 = np.tanh(W1 @ x + b1)
        A2[:, i:i + 1] = sigmoid(W2 @ a1 + b2)
    return A2


@checked_by(_check_gradients)
def backward_propagation_loop(parameters, X, Y):
    r"""The gradients of the cost with a Python loop over the m examples.

    Runs forward and backward for each column :math:`x^{(i)}`, whose loss
    enters the mean cost with weight 1/m, so :math:`dz^{[2](i)} = \frac1m (a^{[2](i)} - y^{(i)})`,
    and adds up the m per-example gradients: the sums that
    :func:`backward_propagation` does with matrix products.

    Args:
        parameters: dict W1, b1, W2, b2. X: (n_x, m) inputs. Y: (n_y, m) labels.

    Returns:
        the dict dW1, db1, dW2, db2 of :func:`backward_propagation`.
    """
    W1, b1, W2, b2 = (parameters[k] for k in PARAMETER_NAMES)
    m = X.shape[1]
    grads = {"dW1": np.zeros_like(W1), "db1": np.zeros_like(b1),
             "dW2": np.zeros_like(W2), "db2": np.zeros_like(b2)}
    for i in range(m):
        x, y = X[:, i:i + 1], Y[:, i:i + 1]
        a1 = np.tanh(W1 @ x + b1)
        a2 = sigmoid(W2 @ a1 + b2)
        dz2 = (a2 - y) / m
        dz1 = (W2.T @ dz2) * (1.0 - a1 ** 2)
        grads["dW2"] += dz2 @ a1.T
        grads["db2"] += dz2
        grads["dW1"] += dz1 @ x.T
        grads["db1"] += dz1
    return grads


@checked_by(_check_step)
def train_step(parameters, X, Y, learning_rate=1.2):
    """One vectorised gradient step on all m examples.

    Args:
        parameters: dict W1, b1, W2, b2. X: (n_x, m). Y: (n_y, m) labels. learning_rate: α > 0.

    Returns:
        the new parameters (the input is not changed).
    """
    _, cache = forward_propagation.unchecked(X, parameters)
    grads = backward_propagation.unchecked(parameters, cache, X, Y)
    return update_parameters.unchecked(parameters, grads, learning_rate)


@checked_by(_check_step)
def train_step_loop(parameters, X, Y, learning_rate=1.2):
    """The same step as :func:`train_step`, its gradients computed one example at a time.

    Arguments and result as in :func:`train_step`.
    """
    grads = backward_propagation_loop.unchecked(parameters, X, Y)
    return update_parameters.unchecked(parameters, grads, learning_rate)
