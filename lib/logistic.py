r"""Logistic regression as a single neuron, trained by gradient descent.

Chapter ``04_gradient_descent`` (gradient descent) uses the loop versions and the descent path;
chapter ``05_vectorization`` (vectorisation) contrasts them with the vectorised ones and trains
:func:`model` on pictures; chapters ``06_activation_functions`` and ``07_shallow_networks`` use it as the baseline. Notation:
X is (n_x, m), one example per column, Y is (1, m) with labels 0/1, w is
(n_x, 1), b a scalar.

For all m examples at once (chapter ``05_vectorization``, the lecture's §2.8):

.. math::

    Z = w^T X + b,\quad A = \sigma(Z),\quad
    J = \frac1m \sum_i \mathcal{L}(a^{(i)}, y^{(i)}),\quad
    dZ = \frac1m (A - Y),\quad dw = X\, dZ^T,\quad db = \sum_i dZ^{(i)}.

As everywhere in lib (``notation.md``), ``dZ`` is :math:`\partial J/\partial Z`
for the *mean* cost J, so it carries the 1/m and dw and db do not divide
again. The lecture writes :math:`dZ = A - Y` and puts the 1/m into dw and db:
the numbers are the same. The same sums written as explicit loops over the m
examples and the n_x features (§2.6) are :func:`propagate_loop`; the tests
check the two agree.

Every public function checks its input once, at the edge (the
``@checked_by(...)`` line above it, which names the argument at fault); its
body, the maths, is also reachable unchecked as ``function.unchecked``, which
is what the training loops call on every step.
"""
import numpy as np

from lib._checks import (as_float, check_labels, check_positive, check_positive_int, check_range,
                         check_shape, common_float)
from lib.activations import get_activation
from lib._checks import checked_by

sigmoid, _ = get_activation("sigmoid")   # σ without input checks: the functions below check theirs first


# --------------------------------------------------------------------- checks
def _check_w(w):
    w = as_float("w", w, ndim=2, meaning="(n_x, 1), a column")
    if w.shape[1] != 1:
        raise ValueError(f"w: expected a column of shape (n_x, 1), got {w.shape}")
    return w


def _check_X(X, n_x, name="X"):
    """X as a float array (n_x, m); says so when it looks transposed, (m, n_x)."""
    X = as_float(name, X, ndim=2, meaning="(n_x, m)")
    if X.shape[0] != n_x:
        hint = ""
        if X.shape[1] == n_x:
            hint = " (it looks like (m, n_x): examples must be columns, pass X.T)"
        raise ValueError(f"{name}: expected shape (n_x, m) = ({n_x}, any) to match w of shape "
                         f"({n_x}, 1), got {X.shape}{hint}")
    return X


def _check_Y(Y, m, name="Y"):
    """Y of shape (1, m) holding only 0 and 1."""
    Y = as_float(name, Y, ndim=2, meaning="(1, m)")
    check_shape(name, Y, (1, m), "(1, m), one label per column of X")
    return check_labels(name, Y)


def _check_parameters_and_X(w, b, X):
    """w, b, X checked and in one float dtype (float32 only if w and X both are)."""
    w, b = _check_w(w), float(check_range("b", b))
    X = _check_X(X, w.shape[0])
    dtype = common_float(w, X)
    return w.astype(dtype, copy=False), b, X.astype(dtype, copy=False)


def _check_data(w, b, X, Y):
    w, b, X = _check_parameters_and_X(w, b, X)
    Y = _check_Y(Y, X.shape[1]).astype(X.dtype, copy=False)
    return {"w": w, "b": b, "X": X, "Y": Y}


def _check_predict(w, b, X):
    w, b, X = _check_parameters_and_X(w, b, X)
    return {"w": w, "b": b, "X": X}


def _check_hyper_parameters(num_iterations, learning_rate, print_cost, record_every):
    if not isinstance(print_cost, (bool, np.bool_)):
        raise TypeError(f"print_cost: expected True or False, got {type(print_cost).__name__} "
                        f"{print_cost!r}")
    return {"num_iterations": check_positive_int("num_iterations", num_iterations, minimum=0),
            "learning_rate": float(check_positive("learning_rate", learning_rate)),
            "print_cost": bool(print_cost),
            "record_every": check_positive_int("record_every", record_every)}


def _check_training(w, b, X, Y, num_iterations, learning_rate, print_cost=False, record_every=100):
    return {**_check_data(w, b, X, Y),
            **_check_hyper_parameters(num_iterations, learning_rate, print_cost, record_every)}


def _check_descent_path(w, b, X, Y, num_iterations, learning_rate, record_every=1):
    arguments = _check_training(w, b, X, Y, num_iterations, learning_rate, False, record_every)
    del arguments["print_cost"]
    return arguments


def _check_initialize(dim, dtype=np.float64):
    dim = check_positive_int("dim", dim)
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype: expected float32 or float64, got {dtype!r}") from None
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype: expected float32 or float64, got {dtype}")
    return {"dim": dim, "dtype": dtype}


def _check_accuracy(Y_pred, Y):
    Y = check_labels("Y", as_float("Y", Y, meaning="(1, m)"))
    Y_pred = as_float("Y_pred", Y_pred, meaning="(1, m)")
    check_shape("Y_pred", Y_pred, Y.shape, "(the shape of Y)")
    return {"Y_pred": check_labels("Y_pred", Y_pred), "Y": Y}


def _check_model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
                 print_cost=False, record_every=100):
    X_train = as_float("X_train", X_train, ndim=2, meaning="(n_x, m_train)")
    n_x = X_train.shape[0]
    X_test = as_float("X_test", X_test, ndim=2, meaning="(n_x, m_test)")
    if X_test.shape[0] != n_x:
        raise ValueError(f"X_test: expected shape (n_x, m_test) = ({n_x}, any) to match X_train "
                         f"{X_train.shape}, got {X_test.shape}")
    dtype = common_float(X_train, X_test)
    Y_train = _check_Y(Y_train, X_train.shape[1], "Y_train")
    Y_test = _check_Y(Y_test, X_test.shape[1], "Y_test")
    data = {name: arr.astype(dtype, copy=False) for name, arr in
            (("X_train", X_train), ("Y_train", Y_train), ("X_test", X_test), ("Y_test", Y_test))}
    return {**data, **_check_hyper_parameters(num_iterations, learning_rate, print_cost, record_every)}


# ------------------------------------------------------------------ the model
@checked_by(_check_initialize)
def initialize_with_zeros(dim, dtype=np.float64):
    """Start gradient descent at zero: w = 0 of shape (dim, 1), b = 0.0.

    Zeros are fine for logistic regression (a single neuron has no symmetry
    to break, unlike the hidden layers of chapter ``07_shallow_networks``).

    Args:
        dim: n_x, the number of features, an integer >= 1.
        dtype: float64 (the default) or float32, the dtype of w.

    Returns:
        (w, b): w of shape (dim, 1), zeros; b = 0.0.
    """
    return np.zeros((dim, 1), dtype=dtype), 0.0


@checked_by(_check_data)
def propagate(w, b, X, Y):
    r"""Forward and backward pass over all m examples at once (vectorised).

    Forward: :math:`Z = w^T X + b` (b broadcast along the m columns),
    :math:`A = \sigma(Z)` and the cost
    :math:`J = \frac1m\sum_i \mathcal{L}(a^{(i)}, y^{(i)})`, each loss taken
    from the logit, :math:`\mathcal{L} = \log(1 + e^{z}) - y z`, so that a
    confident mistake costs a large finite number, never ``inf``.

    Backward: :math:`dZ = \frac1m (A - Y)`, :math:`dw = X\,dZ^T`,
    :math:`db = \sum_i dZ^{(i)}`.

    Args:
        w: weights, (n_x, 1). b: bias, a scalar.
        X: inputs, (n_x, m), one example per column.
        Y: labels, (1, m), each 0 or 1.

    Returns:
        (grads, cost): grads = {"dw": (n_x, 1) array in X's dtype, "db": float}, cost a float.
    """
    m = X.shape[1]
    Z = w.T @ X + b                                      # (1, n_x) @ (n_x, m) -> (1, m)
    A = sigmoid(Z)                                       # (1, m)
    cost = float(np.mean(np.logaddexp(0.0, Z) - Y * Z))  # J, finite for any Z
    dZ = (A - Y) / m                                     # (1, m): dJ/dZ, the 1/m of the mean
    dw = X @ dZ.T                                        # (n_x, m) @ (m, 1) -> (n_x, 1)
    db = float(np.sum(dZ))
    return {"dw": dw, "db": db}, cost


@checked_by(_check_data)
def propagate_loop(w, b, X, Y):
    r"""The same forward and backward pass as :func:`propagate`, with explicit loops.

    This is the lecture's §2.6 algorithm: one loop over the m examples and,
    inside it, two loops over the n_x features (one for
    :math:`z^{(i)} = \sum_j w_j x_j^{(i)} + b`, one for
    :math:`dw_j \mathrel{+}= x_j^{(i)} dz^{(i)}`), accumulating

    .. math:: J \mathrel{+}= \mathcal{L}(a^{(i)}, y^{(i)}),\quad
              dz^{(i)} = \tfrac1m (a^{(i)} - y^{(i)}),\quad db \mathrel{+}= dz^{(i)}

    and dividing the summed loss by m at the end. (The lecture takes
    :math:`dz^{(i)} = a^{(i)} - y^{(i)}` and divides dw and db by m at the
    end instead: the same numbers.) The arrays are turned into Python lists
    first, so the loops run on plain floats: that is the fair "pure Python"
    version (indexing an ndarray element by element is several times slower
    still). Chapter ``05_vectorization`` times it against :func:`propagate`.

    Args and returns: as :func:`propagate` (same checks, same shapes).
    """
    n_x, m = X.shape
    w_list = w[:, 0].tolist()              # n_x floats
    columns = X.T.tolist()                 # m lists of n_x floats: x^(i)
    labels = Y[0].tolist()                 # m floats
    J, db = 0.0, 0.0
    dw = [0.0] * n_x
    for i in range(m):
        x, y = columns[i], labels[i]
        z = b
        for j in range(n_x):               # z = w^T x + b, one product at a time
            z += w_list[j] * x[j]
        a = float(sigmoid(z))
        J += float(np.logaddexp(0.0, z)) - y * z
        dz = (a - y) / m                   # dJ/dz^(i)
        for j in range(n_x):               # dw += x dz, one feature at a time
            dw[j] += x[j] * dz
        db += dz
    dw = np.array(dw, dtype=X.dtype).reshape(n_x, 1)
    return {"dw": dw, "db": db}, J / m


@checked_by(_check_training)
def optimize(w, b, X, Y, num_iterations, learning_rate, print_cost=False, record_every=100):
    r"""Gradient descent: repeat :math:`w := w - \alpha\,dw`, :math:`b := b - \alpha\,db`.

    Args:
        w: starting weights, (n_x, 1) (not changed: a new array is returned).
        b: starting bias, a scalar.
        X: (n_x, m) inputs. Y: (1, m) labels 0/1.
        num_iterations: number of gradient steps, an integer >= 0.
        learning_rate: α > 0.
        print_cost: print the cost each time it is recorded.
        record_every: record the cost at iterations 0, record_every, 2·record_every…
            (an integer >= 1).

    Returns:
        (params, grads, costs): params = {"w": (n_x, 1), "b": float}, the
        result; grads = {"dw", "db"} at the last step taken (at the start
        when num_iterations is 0); costs, a list of floats, the cost before
        each recorded step.
    """
    costs = []
    grads = None
    for i in range(num_iterations):
        grads, cost = propagate.unchecked(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % record_every == 0:
            costs.append(cost)
            if print_cost:
                print(f"cost after iteration {i}: {cost:.6f}")
    if grads is None:                      # no step taken: the gradient at the start
        grads, _ = propagate.unchecked(w, b, X, Y)
    return {"w": w, "b": b}, grads, costs


@checked_by(_check_descent_path)
def descent_path(w, b, X, Y, num_iterations, learning_rate, record_every=1):
    r"""The iterates of gradient descent, to draw its path or to watch a model learn.

    Runs the steps of :func:`optimize` and keeps (w, b) and the cost
    :math:`J(w, b)` at iterations 0, record_every, 2·record_every, … and
    after the last step.

    Args:
        w, b, X, Y, num_iterations, learning_rate: as :func:`optimize`
            (w (n_x, 1), b a scalar, X (n_x, m), Y (1, m)).
        record_every: keep every this many iterates (an integer >= 1; the
            default 1 keeps all num_iterations + 1 of them).

    Returns:
        (ws, bs, costs): ws of shape (k, n_x), the weights at each iterate
        kept; bs and costs of shape (k,), the bias and the cost at each; in
        X's dtype. With record_every = 1, k = num_iterations + 1.
    """
    ws, bs, costs = [], [], []
    for i in range(num_iterations + 1):
        grads, cost = propagate.unchecked(w, b, X, Y)
        if i % record_every == 0 or i == num_iterations:
            ws.append(w[:, 0])
            bs.append(b)
            costs.append(cost)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    return np.array(ws), np.array(bs, dtype=X.dtype), np.array(costs, dtype=X.dtype)


@checked_by(_check_predict)
def predict_proba(w, b, X):
    r""":math:`\hat Y = A = \sigma(w^T X + b)`, the probability that y = 1.

    Args: w (n_x, 1), b scalar, X (n_x, m).

    Returns:
        (1, m) array in X's dtype, values in [0, 1].
    """
    return sigmoid(w.T @ X + b)


@checked_by(_check_predict)
def predict(w, b, X):
    r"""Labels :math:`\hat y^{(i)} = 1` where :math:`a^{(i)} > 0.5`, else 0.

    Args:
        w: (n_x, 1). b: scalar. X: (n_x, m).

    Returns:
        (1, m) array of 0.0 and 1.0 in X's dtype (exactly 0.5, z = 0, gives 0).
    """
    A = predict_proba.unchecked(w, b, X)
    return (A > 0.5).astype(X.dtype)


@checked_by(_check_accuracy)
def accuracy(Y_pred, Y):
    """Share of the m columns where the predicted label equals the true one, a float in [0, 1].

    Args: Y_pred and Y, both (1, m), labels 0 or 1.
    """
    return float(np.mean(Y_pred == Y))


@checked_by(_check_model)
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
          print_cost=False, record_every=100):
    """Train logistic regression from zeros and report it on the training and test sets.

    Args:
        X_train: (n_x, m_train). Y_train: (1, m_train).
        X_test: (n_x, m_test). Y_test: (1, m_test).
        num_iterations, learning_rate, print_cost, record_every: as :func:`optimize`.

    Returns:
        dict with "costs" (list, every ``record_every`` iterations), "w"
        (n_x, 1), "b", "Y_prediction_train" (1, m_train), "Y_prediction_test"
        (1, m_test), "train_accuracy" and "test_accuracy" (floats in [0, 1]),
        and the hyper-parameters "learning_rate", "num_iterations", "record_every".
    """
    w, b = initialize_with_zeros.unchecked(X_train.shape[0], X_train.dtype)
    params, _, costs = optimize.unchecked(w, b, X_train, Y_train, num_iterations, learning_rate,
                                          print_cost, record_every)
    w, b = params["w"], params["b"]
    Y_prediction_train = predict.unchecked(w, b, X_train)
    Y_prediction_test = predict.unchecked(w, b, X_test)
    return {"costs": costs, "w": w, "b": b,
            "Y_prediction_train": Y_prediction_train, "Y_prediction_test": Y_prediction_test,
            "train_accuracy": accuracy.unchecked(Y_prediction_train, Y_train),
            "test_accuracy": accuracy.unchecked(Y_prediction_test, Y_test),
            "learning_rate": learning_rate, "num_iterations": num_iterations,
            "record_every": record_every}
