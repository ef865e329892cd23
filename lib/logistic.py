r"""Logistic regression as a single neuron, trained by gradient descent.

Chapter 4 (gradient descent) uses the loop versions and the descent path;
chapter 5 (vectorisation) contrasts them with the vectorised ones and trains
:func:`model` on pictures. Notation: X is (n_x, m), one example per column,
Y is (1, m) with labels 0/1, w is (n_x, 1), b a scalar.

For all m examples at once (chapter 5, the lecture's §2.8):

.. math::

    Z = w^T X + b,\quad A = \sigma(Z),\quad
    J = \frac1m \sum_i \mathcal{L}(a^{(i)}, y^{(i)}),\quad
    dZ = A - Y,\quad dw = \frac1m X\, dZ^T,\quad db = \frac1m \sum_i dZ^{(i)}.

The same sums written as explicit loops over the m examples and the n_x
features (§2.6) are :func:`propagate_loop`; the tests check the two agree.
"""
import numpy as np

from lib._checks import as_array, check_finite, check_labels, check_positive, check_shape
from lib.activations import sigmoid
from lib.losses import binary_cross_entropy_with_logits, cost_with_logits


# ---------------------------------------------------------------- input checks
def _check_params(w, b):
    """w as a float64 column (n_x, 1), b as a finite float."""
    w = as_array("w", w)
    if w.ndim != 2 or w.shape[1] != 1:
        raise ValueError(f"w: expected a column of shape (n_x, 1), got {w.shape}")
    check_finite("w", w)
    b_arr = np.asarray(b, dtype=float)
    if b_arr.size != 1:
        raise ValueError(f"b: expected a scalar, got shape {b_arr.shape}")
    b = float(b_arr.reshape(()))
    if not np.isfinite(b):
        raise ValueError(f"b: expected a finite number, got {b!r}")
    return w, b


def _check_X(X, n_x, name="X"):
    """X as float64 (n_x, m); says so when it looks transposed, (m, n_x)."""
    X = as_array(name, X, ndim=2)
    if X.shape[0] != n_x:
        hint = ""
        if X.shape[1] == n_x:
            hint = " (it looks like (m, n_x): examples must be columns, pass X.T)"
        raise ValueError(f"{name}: expected shape (n_x, m) = ({n_x}, any) to match w of shape "
                         f"({n_x}, 1), got {X.shape}{hint}")
    return check_finite(name, X)


def _check_Y(Y, m, name="Y"):
    """Y as float64 (1, m) holding only 0 and 1."""
    Y = as_array(name, Y)
    check_shape(name, Y, (1, m), "(1, m), one label per column of X")
    check_finite(name, Y)
    return check_labels(name, Y)


def _check_inputs(w, b, X, Y=None, x_name="X", y_name="Y"):
    w, b = _check_params(w, b)
    X = _check_X(X, w.shape[0], x_name)
    if Y is None:
        return w, b, X
    return w, b, X, _check_Y(Y, X.shape[1], y_name)


def _check_iterations(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name}: expected an integer >= 0, got {value!r}")
    return int(value)


# ---------------------------------------------------------------- the model
def initialize_with_zeros(dim):
    """Start gradient descent at zero: w = 0 of shape (dim, 1), b = 0.0.

    Zeros are fine for logistic regression (a single neuron has no symmetry
    to break, unlike the hidden layers of chapter 7).

    Args:
        dim: n_x, the number of features, an integer >= 1.

    Returns:
        (w, b): w of shape (dim, 1), float64 zeros; b = 0.0.
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dim: expected an integer n_x >= 1, got {dim!r}")
    return np.zeros((int(dim), 1)), 0.0


def propagate(w, b, X, Y):
    r"""Forward and backward pass over all m examples at once (vectorised).

    Forward: :math:`Z = w^T X + b` (b broadcast along the m columns),
    :math:`A = \sigma(Z)`, :math:`J = \frac1m\sum_i \mathcal{L}(a^{(i)}, y^{(i)})`,
    the cost taken from the logits Z so that a confident mistake costs a
    large finite number, never ``inf``.

    Backward: :math:`dZ = A - Y`, :math:`dw = \frac1m X\,dZ^T`,
    :math:`db = \frac1m\sum_i dZ^{(i)}`.

    Args:
        w: weights, (n_x, 1). b: bias, a scalar.
        X: inputs, (n_x, m), one example per column.
        Y: labels, (1, m), each 0 or 1.

    Returns:
        (grads, cost): grads = {"dw": (n_x, 1) array, "db": float}, cost a float.
    """
    w, b, X, Y = _check_inputs(w, b, X, Y)
    return _propagate(w, b, X, Y)


def _propagate(w, b, X, Y):
    """:func:`propagate` without the input checks, for the training loops that
    checked once (the NaN scan of a large X costs as much as the pass itself)."""
    m = X.shape[1]
    Z = w.T @ X + b                  # (1, n_x) @ (n_x, m) -> (1, m)
    A = sigmoid(Z)                   # (1, m)
    cost = cost_with_logits(Z, Y)    # stable for any Z
    dZ = A - Y                       # (1, m): dJ/dZ times m
    dw = X @ dZ.T / m                # (n_x, m) @ (m, 1) -> (n_x, 1)
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}, cost


def propagate_loop(w, b, X, Y):
    r"""The same forward and backward pass as :func:`propagate`, with explicit loops.

    This is the lecture's §2.6 algorithm: one loop over the m examples and,
    inside it, two loops over the n_x features (one for
    :math:`z^{(i)} = \sum_j w_j x_j^{(i)} + b`, one for
    :math:`dw_j \mathrel{+}= x_j^{(i)} dz^{(i)}`), accumulating

    .. math:: J \mathrel{+}= \mathcal{L}(a^{(i)}, y^{(i)}),\quad
              dz^{(i)} = a^{(i)} - y^{(i)},\quad db \mathrel{+}= dz^{(i)}

    and dividing by m at the end. The arrays are turned into Python lists
    first, so the loops run on plain floats: that is the fair "pure Python"
    version (indexing an ndarray element by element is several times slower
    still). Chapter 5 times it against :func:`propagate`.

    Args and returns: as :func:`propagate` (same checks, same shapes).
    """
    w, b, X, Y = _check_inputs(w, b, X, Y)
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
        J += float(binary_cross_entropy_with_logits(z, y))
        dz = a - y
        for j in range(n_x):               # dw += x dz, one feature at a time
            dw[j] += x[j] * dz
        db += dz
    dw = np.array(dw).reshape(n_x, 1) / m
    return {"dw": dw, "db": db / m}, J / m


def optimize(w, b, X, Y, num_iterations, learning_rate, print_cost=False, record_every=100):
    r"""Gradient descent: repeat :math:`w := w - \alpha\,dw`, :math:`b := b - \alpha\,db`.

    Args:
        w: starting weights, (n_x, 1) (not changed: a copy is updated).
        b: starting bias, a scalar.
        X: (n_x, m) inputs. Y: (1, m) labels 0/1.
        num_iterations: number of steps, an integer >= 0.
        learning_rate: α > 0.
        print_cost: print the cost each time it is recorded.
        record_every: record the cost at iterations 0, record_every, 2·record_every…

    Returns:
        (params, grads, costs): params = {"w": (n_x, 1), "b": float}, the
        result; grads = {"dw", "db"} at the last step taken (at the start
        when num_iterations is 0); costs, a list of floats, the cost before
        each recorded step.
    """
    w, b, X, Y = _check_inputs(w, b, X, Y)
    num_iterations = _check_iterations("num_iterations", num_iterations)
    check_positive("learning_rate", learning_rate)
    if isinstance(record_every, bool) or not isinstance(record_every, (int, np.integer)) \
            or record_every < 1:
        raise ValueError(f"record_every: expected an integer >= 1, got {record_every!r}")
    w = w.copy()
    costs = []
    grads, cost = None, None
    for i in range(num_iterations):
        grads, cost = _propagate(w, b, X, Y)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
        if i % record_every == 0:
            costs.append(cost)
            if print_cost:
                print(f"cost after iteration {i}: {cost:.6f}")
    if grads is None:
        grads, _ = _propagate(w, b, X, Y)
    return {"w": w, "b": b}, grads, costs


def descent_path(w, b, X, Y, num_iterations, learning_rate):
    r"""Every iterate of gradient descent, to draw its path over the cost surface.

    Args: as :func:`optimize` (w (n_x, 1), b scalar, X (n_x, m), Y (1, m)).

    Returns:
        (ws, bs, costs): ws of shape (num_iterations + 1, n_x), the weights
        before each step and after the last; bs and costs of shape
        (num_iterations + 1,), the bias and the cost :math:`J(w, b)` at each.
    """
    w, b, X, Y = _check_inputs(w, b, X, Y)
    num_iterations = _check_iterations("num_iterations", num_iterations)
    check_positive("learning_rate", learning_rate)
    ws, bs, costs = [], [], []
    w = w.copy()
    for _ in range(num_iterations + 1):
        grads, cost = _propagate(w, b, X, Y)
        ws.append(w[:, 0].copy())
        bs.append(b)
        costs.append(cost)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
    return np.array(ws), np.array(bs), np.array(costs)


def predict_proba(w, b, X):
    r""":math:`\hat Y = A = \sigma(w^T X + b)`, the probability that y = 1, shape (1, m).

    Args: w (n_x, 1), b scalar, X (n_x, m).
    """
    w, b, X = _check_inputs(w, b, X)
    return sigmoid(w.T @ X + b)


def predict(w, b, X):
    r"""Labels :math:`\hat y^{(i)} = 1` where :math:`a^{(i)} > 0.5`, else 0.

    Args:
        w: (n_x, 1). b: scalar. X: (n_x, m).

    Returns:
        (1, m) float array of 0.0 and 1.0 (exactly 0.5, z = 0, gives 0).
    """
    return (predict_proba(w, b, X) > 0.5).astype(float)


def accuracy(Y_pred, Y):
    """Share of the m columns where the predicted label equals the true one, a float in [0, 1].

    Args: Y_pred and Y, both (1, m).
    """
    Y_pred = as_array("Y_pred", Y_pred)
    Y = as_array("Y", Y)
    if Y_pred.shape != Y.shape:
        raise ValueError(f"Y_pred: expected the shape of Y, {Y.shape}, got {Y_pred.shape}")
    return float(np.mean(Y_pred == Y))


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
          print_cost=False, record_every=100, snapshot_every=None):
    """Train logistic regression from zeros and report it on the training and test sets.

    Args:
        X_train: (n_x, m_train). Y_train: (1, m_train).
        X_test: (n_x, m_test). Y_test: (1, m_test).
        num_iterations, learning_rate, print_cost, record_every: as :func:`optimize`.
        snapshot_every: if given (a multiple of ``record_every``), also keep
            the parameters at iterations 0, snapshot_every, 2·snapshot_every…
            and at the end, to show how the model changes while it learns.

    Returns:
        dict with "costs" (list, every ``record_every`` iterations), "w"
        (n_x, 1), "b", "Y_prediction_train" (1, m_train), "Y_prediction_test"
        (1, m_test), "train_accuracy" and "test_accuracy" (floats in [0, 1]),
        the hyper-parameters "learning_rate", "num_iterations", "record_every",
        and "snapshots": a list of (iteration, w, b) (empty without snapshot_every).
    """
    X_train = as_array("X_train", X_train, ndim=2)
    w, b = initialize_with_zeros(X_train.shape[0])
    _check_inputs(w, b, X_train, Y_train, "X_train", "Y_train")
    _check_inputs(w, b, X_test, Y_test, "X_test", "Y_test")    # fail before training, not after
    num_iterations = _check_iterations("num_iterations", num_iterations)
    chunk = num_iterations
    if snapshot_every is not None:
        if isinstance(snapshot_every, bool) or not isinstance(snapshot_every, (int, np.integer)) \
                or snapshot_every < 1 or snapshot_every % record_every:
            raise ValueError(f"snapshot_every: expected a positive multiple of record_every "
                             f"({record_every}), got {snapshot_every!r}")
        chunk = int(snapshot_every)
    # Training in chunks gives the same iterates as one call: optimize is
    # deterministic and carries nothing but (w, b) from one step to the next.
    costs, snapshots, done = [], [(0, w.copy(), b)], 0
    while True:
        steps = min(chunk, num_iterations - done)
        params, _, chunk_costs = optimize(w, b, X_train, Y_train, steps, learning_rate,
                                          record_every=record_every)
        if print_cost:
            for k, c in enumerate(chunk_costs):
                print(f"cost after iteration {done + k * record_every}: {c:.6f}")
        w, b = params["w"], params["b"]
        costs += chunk_costs
        done += steps
        if steps:
            snapshots.append((done, w.copy(), b))
        if done >= num_iterations:
            break
    if snapshot_every is None:
        snapshots = []
    pred_train = predict(w, b, X_train)
    pred_test = predict(w, b, X_test)
    return {"costs": costs, "w": w, "b": b,
            "Y_prediction_train": pred_train, "Y_prediction_test": pred_test,
            "train_accuracy": accuracy(pred_train, Y_train),
            "test_accuracy": accuracy(pred_test, Y_test),
            "learning_rate": learning_rate, "num_iterations": num_iterations,
            "record_every": record_every, "snapshots": snapshots}
