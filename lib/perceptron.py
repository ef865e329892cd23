r"""The M-P neuron, the logic gates of the source, and Rosenblatt's perceptron rule.

Chapter ``08_perceptron`` (the perceptron) uses it. An M-P neuron (McCulloch & Pitts 1943)
with inputs :math:`x_1 … x_n`, weights :math:`w_1 … w_n` and threshold θ outputs

.. math:: y = f\Big(\sum_{i=1}^n w_i x_i - \theta\Big),

f being the step function (1 when its argument is >= 0, else 0) or, in
practice, the sigmoid. Writing θ as the weight :math:`w_{n+1}` of a dummy
input fixed at −1.0 turns learning the threshold into learning a weight; the
perceptron rule :math:`w_i \leftarrow w_i + \eta (y - \hat y) x_i`
(Rosenblatt 1958) learns them all. Inputs follow the book's notation: X is
(n, m), one column per example.

Every public function checks its input once, at the edge (the
``@checked_by(...)`` line above it, which names the argument at fault); its
body is also reachable unchecked as ``function.unchecked``. The neurons
compute in the dtype of their inputs x or X (float32 kept), the weights cast to it.
"""
from dataclasses import dataclass, field

import numpy as np

from lib._checks import (as_float, check_choice, check_labels, check_positive, check_positive_int,
                         check_range, check_shape)
from lib.activations import get_activation
from lib._checks import checked_by

# The source's weights (§3.3), exactly: y = step(w1 x1 + w2 x2 - θ).
AND_W = (1.0, 1.0)
"""AND (x1 ∧ x2): w1 = w2 = 1 …"""
AND_THETA = 2.0
"""… θ = 2: only x1 = x2 = 1 reaches the threshold (1 + 1 − 2 = 0, and step(0) = 1)."""
OR_W = (1.0, 1.0)
"""OR (x1 ∨ x2): w1 = w2 = 1 …"""
OR_THETA = 0.5
"""… θ = 0.5: one active input is enough."""
NOT_X1_W = (-0.6, 0.0)
"""NOT x1 (¬x1): w1 = −0.6, w2 = 0 (x2 is ignored) …"""
NOT_X1_THETA = -0.5
"""… θ = −0.5: x1 = 0 gives 0.5 >= 0 (y = 1), x1 = 1 gives −0.1 < 0 (y = 0)."""

GATES = {"AND": (AND_W, AND_THETA), "OR": (OR_W, OR_THETA), "NOT x1": (NOT_X1_W, NOT_X1_THETA)}
"""Gate name → (weights (w1, w2), threshold θ), as in the source."""

BINARY_INPUTS = np.array([[0.0, 0.0, 1.0, 1.0],
                          [0.0, 1.0, 0.0, 1.0]])
"""The four inputs (x1, x2) of a two-input truth table, one per column: (2, 4)."""

_ACTIVATIONS = {"step": get_activation("step")[0], "sigmoid": get_activation("sigmoid")[0]}
"""The M-P neuron's activations by name (unchecked kernels: the functions below check first)."""
_step = _ACTIVATIONS["step"]


# --------------------------------------------------------------------- checks
def _check_weights(name, w, n=None, meaning="(n,)"):
    """Weights as a 1-d float array (n,): a flat array, or a column (n, 1)."""
    w = as_float(name, w, meaning=meaning)
    if not (w.ndim == 1 or (w.ndim == 2 and w.shape[1] == 1)):
        raise ValueError(f"{name}: expected shape {meaning}, got {w.shape}")
    w = w.reshape(-1)
    if n is not None and w.size != n:
        raise ValueError(f"{name}: expected {n} weights {meaning}, got shape {w.shape}")
    return w


def _check_activation(activation):
    if callable(activation):
        return activation
    if not isinstance(activation, str):
        raise TypeError(f"activation: expected 'step', 'sigmoid' or a function, "
                        f"got {type(activation).__name__} {activation!r}")
    return check_choice("activation", activation, list(_ACTIVATIONS))


def _check_mp_neuron(x, w, theta, activation="step"):
    w = _check_weights("w", w, meaning="(n,)")
    n = w.size
    x = as_float("x", x, meaning=f"({n},) or ({n}, m)")
    if x.ndim not in (1, 2) or x.shape[0] != n:
        raise ValueError(f"x: expected shape ({n},) or ({n}, m) to match the {n} weights of w, "
                         f"got {x.shape}")
    return {"x": x, "w": w.astype(x.dtype, copy=False), "theta": float(check_range("theta", theta)),
            "activation": _check_activation(activation)}


def _check_truth_table(w, theta, activation="step"):
    w = _check_weights("w", w, BINARY_INPUTS.shape[0], meaning="(2,), the weights (w1, w2)")
    return {"w": w, "theta": float(check_range("theta", theta)),
            "activation": _check_activation(activation)}


def _check_X(X):
    return {"X": as_float("X", X, ndim=2, meaning="(n, m)")}


def _check_train(X, y, learning_rate=0.1, num_epochs=100, w0=None):
    X = as_float("X", X, ndim=2, meaning="(n, m), one example per column")
    n, m = X.shape
    y = as_float("y", y, meaning="(m,) or (1, m)")
    if y.shape not in ((m,), (1, m)):
        raise ValueError(f"y: expected shape ({m},) or (1, {m}) to match X's m, got {y.shape}")
    y = check_labels("y", y.reshape(-1))
    if w0 is not None:
        w0 = _check_weights("w0", w0, n + 1, meaning=f"({n + 1},) = [w, theta]")
    return {"X": X, "y": y.astype(X.dtype, copy=False),
            "learning_rate": float(check_positive("learning_rate", learning_rate)),
            "num_epochs": check_positive_int("num_epochs", num_epochs),
            "w0": None if w0 is None else w0.astype(X.dtype, copy=False)}


def _check_predict(X, w, theta):
    X = as_float("X", X, ndim=2, meaning="(n, m)")
    w = _check_weights("w", w, X.shape[0], meaning="(n,), one weight per row of X")
    return {"X": X, "w": w.astype(X.dtype, copy=False), "theta": float(check_range("theta", theta))}


def _check_xor(X, W1, theta1, w2, theta2):
    W1 = as_float("W1", W1, ndim=2, meaning="(n_h, n)")
    n_h, n = W1.shape
    X = as_float("X", X, ndim=2, meaning=f"({n}, m)")
    check_shape("X", X, (n, None), f"(n, m): one row per column of W1, n = {n}")
    theta1 = _check_weights("theta1", theta1, n_h, meaning="(n_h,), one threshold per hidden unit")
    w2 = _check_weights("w2", w2, n_h, meaning="(n_h,), one weight per hidden unit")
    return {"X": X, "W1": W1.astype(X.dtype, copy=False), "theta1": theta1.astype(X.dtype, copy=False),
            "w2": w2.astype(X.dtype, copy=False), "theta2": float(check_range("theta2", theta2))}


# ----------------------------------------------------------- the M-P neuron
@checked_by(_check_mp_neuron)
def mp_neuron(x, w, theta, activation="step"):
    r"""The M-P neuron: :math:`y = f(\sum_i w_i x_i - \theta)`.

    Args:
        x: (n,) one input, or (n, m) m inputs as columns.
        w: (n,) the weights. theta: the threshold θ, a number.
        activation: 'step' (the ideal: 1 excited, 0 inhibited), 'sigmoid'
            (the smooth "squashing function"), or any function of an array.

    Returns:
        a float for one input, or an (m,) array in x's dtype for m inputs.
    """
    f = _ACTIVATIONS.get(activation, activation)   # a name, or a function
    y = f(w @ x - theta)                           # (n,) @ (n, m) -> (m,)
    return float(y) if x.ndim == 1 else np.asarray(y, dtype=x.dtype)


@checked_by(_check_truth_table)
def truth_table(w, theta, activation="step"):
    """The neuron's outputs on the four binary inputs of :data:`BINARY_INPUTS`.

    Args:
        w: (2,) the weights (w1, w2). theta: the threshold, a number.
        activation: as in :func:`mp_neuron`.

    Returns:
        (4,) array in w's dtype: y for (x1, x2) = (0, 0), (0, 1), (1, 0), (1, 1).
    """
    return mp_neuron.unchecked(BINARY_INPUTS.astype(w.dtype), w, theta, activation)


@checked_by(_check_X)
def add_dummy_input(X):
    r"""Append the dummy input −1.0 as a last row: (n, m) → (n + 1, m), X's dtype kept.

    Then :math:`\sum_{i \le n} w_i x_i - \theta = \sum_{i \le n+1} w_i x_i` with
    :math:`w_{n+1} = \theta`, :math:`x_{n+1} = -1`.
    """
    return np.vstack([X, -np.ones((1, X.shape[1]), dtype=X.dtype)])


@dataclass
class PerceptronResult:
    """What :func:`perceptron_train` returns.

    Attributes:
        w: (n,) learned weights. theta: the learned threshold (= w_{n+1}).
        converged: True when an epoch made no mistake.
        num_epochs: epochs run. errors: mistakes in each epoch (num_epochs,).
        history: (num_epochs + 1, n + 1) the extended weights [w, θ] before
            training and after each epoch.
        message: a sentence saying what happened.
    """
    w: np.ndarray
    theta: float
    converged: bool
    num_epochs: int
    errors: np.ndarray
    history: np.ndarray = field(repr=False)
    message: str = ""


@checked_by(_check_train)
def perceptron_train(X, y, learning_rate=0.1, num_epochs=100, w0=None):
    r"""Rosenblatt's perceptron rule, in the dummy-input form.

    With :math:`\hat x = [x; -1]` and :math:`\hat w = [w; \theta]`, each
    example in turn gives :math:`\hat y = \mathrm{step}(\hat w^T \hat x)` and
    the update :math:`\hat w \leftarrow \hat w + \eta (y - \hat y) \hat x`,
    which changes nothing when the prediction is right. Training stops after
    the first epoch without a mistake (the data are then split by the line)
    or after ``num_epochs`` epochs: on data that no line can split, such as
    XOR, it reports ``converged=False`` instead of looping for ever.

    Args:
        X: (n, m) inputs, one example per column (m >= 1). y: (m,) or (1, m) labels 0/1.
        learning_rate: η > 0. num_epochs: the most passes over the data (>= 1).
        w0: (n + 1,) starting [w, θ]; zeros when None.

    Returns:
        a :class:`PerceptronResult` (arrays in X's dtype).
    """
    n, m = X.shape
    X_hat = add_dummy_input.unchecked(X)
    w_hat = np.zeros(n + 1, dtype=X.dtype) if w0 is None else w0.copy()
    history, errors = [w_hat.copy()], []
    converged = False
    for _ in range(num_epochs):
        mistakes = 0
        for i in range(m):
            y_hat = _step(w_hat @ X_hat[:, i])
            if y_hat != y[i]:
                w_hat += learning_rate * (y[i] - y_hat) * X_hat[:, i]
                mistakes += 1
        history.append(w_hat.copy())
        errors.append(mistakes)
        if mistakes == 0:
            converged = True
            break
    run = len(errors)
    plural = "" if run == 1 else "s"
    message = (f"converged after {run} epoch{plural} (epoch {run} made no mistake)" if converged else
               f"did not converge: still {errors[-1]} mistakes in epoch {run} of {num_epochs}")
    return PerceptronResult(w=w_hat[:n].copy(), theta=float(w_hat[n]), converged=converged,
                            num_epochs=run, errors=np.array(errors), history=np.array(history),
                            message=message)


@checked_by(_check_predict)
def perceptron_predict(X, w, theta):
    """Labels :math:`\\mathrm{step}(w^T x - \\theta)` for X (n, m), w (n,); returns (m,) of 0.0 / 1.0."""
    return mp_neuron.unchecked(X, w, theta, "step")


# A two-layer network of M-P neurons for XOR: h1 = OR, h2 = NAND, y = AND(h1, h2).
XOR_W1 = np.array([[1.0, 1.0],
                   [-1.0, -1.0]])
"""Hidden weights (2, 2): row 1 is OR's, row 2 is NAND's (the negated AND)."""
XOR_THETA1 = np.array([0.5, -1.5])
"""Hidden thresholds (2,): OR fires when x1 + x2 >= 0.5; NAND when −x1 − x2 >= −1.5."""
XOR_W2 = np.array([1.0, 1.0])
"""Output weights (2,): an AND of the two hidden units …"""
XOR_THETA2 = 1.5
"""… with threshold 1.5: both must fire."""


@checked_by(_check_xor)
def xor_network(X, W1=XOR_W1, theta1=XOR_THETA1, w2=XOR_W2, theta2=XOR_THETA2):
    r"""Two layers of M-P neurons: :math:`h = \mathrm{step}(W_1 x - \theta_1)`, :math:`y = \mathrm{step}(w_2^T h - \theta_2)`.

    Args:
        X: (n, m) inputs, one per column (n = 2 for XOR). The weights default
            to the XOR network above: W1 (n_h, n), theta1 (n_h,), w2 (n_h,),
            theta2 a number; they are cast to X's dtype.

    Returns:
        (y, H): y (m,) the outputs, H (n_h, m) the hidden units' outputs, in X's dtype.
    """
    H = _step(W1 @ X - theta1[:, None])            # (n_h, n) @ (n, m) -> (n_h, m)
    return mp_neuron.unchecked(H, w2, theta2, "step"), H
