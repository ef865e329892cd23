r"""The M-P neuron, the logic gates of the source, and Rosenblatt's perceptron rule.

Chapter 8 (the perceptron) uses it. An M-P neuron (McCulloch & Pitts 1943)
with inputs :math:`x_1 … x_n`, weights :math:`w_1 … w_n` and threshold θ outputs

.. math:: y = f\Big(\sum_{i=1}^n w_i x_i - \theta\Big),

f being the step function (1 when its argument is >= 0, else 0) or, in
practice, the sigmoid. Writing θ as the weight :math:`w_{n+1}` of a dummy
input fixed at −1.0 turns learning the threshold into learning a weight; the
perceptron rule :math:`w_i \leftarrow w_i + \eta (y - \hat y) x_i`
(Rosenblatt 1958) learns them all. Inputs follow the book's notation: X is
(n, m), one column per example.
"""
from dataclasses import dataclass, field

import numpy as np

from lib._checks import as_array, check_finite, check_labels, check_positive, check_positive_int
from lib.activations import sigmoid, step

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

_ACTIVATIONS = {"step": step, "sigmoid": sigmoid}


def mp_neuron(x, w, theta, activation="step"):
    r"""The M-P neuron: :math:`y = f(\sum_i w_i x_i - \theta)`.

    Args:
        x: (n,) one input, or (n, m) m inputs as columns.
        w: (n,) the weights. theta: the threshold θ, a number.
        activation: 'step' (the ideal: 1 excited, 0 inhibited), 'sigmoid'
            (the smooth "squashing function"), or any function of an array.

    Returns:
        a float for one input, or an (m,) array for m inputs.
    """
    w = as_array("w", w).reshape(-1)
    x = as_array("x", x)
    if x.ndim not in (1, 2) or x.shape[0] != w.size:
        raise ValueError(f"x: expected shape ({w.size},) or ({w.size}, m) to match w, got {x.shape}")
    check_finite("x", x)
    check_finite("w", w)
    if not (np.isscalar(theta) and np.isfinite(theta)):
        raise ValueError(f"theta: expected a finite number, got {theta!r}")
    if isinstance(activation, str):
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation: expected 'step', 'sigmoid' or a function, got {activation!r}")
        activation = _ACTIVATIONS[activation]
    y = activation(w @ x - theta)
    return float(y) if x.ndim == 1 else np.asarray(y, dtype=float)


def truth_table(w, theta, activation="step"):
    """The neuron's outputs on the four binary inputs of :data:`BINARY_INPUTS`.

    Returns:
        (4,) array: y for (x1, x2) = (0, 0), (0, 1), (1, 0), (1, 1).
    """
    return mp_neuron(BINARY_INPUTS, w, theta, activation)


def add_dummy_input(X):
    r"""Append the dummy input −1.0 as a last row: (n, m) → (n + 1, m).

    Then :math:`\sum_{i \le n} w_i x_i - \theta = \sum_{i \le n+1} w_i x_i` with
    :math:`w_{n+1} = \theta`, :math:`x_{n+1} = -1`.
    """
    X = as_array("X", X, ndim=2)
    return np.vstack([X, -np.ones((1, X.shape[1]))])


@dataclass
class PerceptronResult:
    """What :func:`perceptron_train` returns.

    Attributes:
        w: (n,) learned weights. theta: the learned threshold (= w_{n+1}).
        converged: True when an epoch made no mistake.
        epochs: epochs run. errors: mistakes in each epoch (epochs,).
        history: (epochs + 1, n + 1) the extended weights [w, θ] before
            training and after each epoch.
        message: a sentence saying what happened.
    """
    w: np.ndarray
    theta: float
    converged: bool
    epochs: int
    errors: np.ndarray
    history: np.ndarray = field(repr=False)
    message: str = ""


def perceptron_train(X, y, learning_rate=0.1, epochs=100, w0=None):
    r"""Rosenblatt's perceptron rule, in the dummy-input form.

    With :math:`\hat x = [x; -1]` and :math:`\hat w = [w; \theta]`, each
    example in turn gives :math:`\hat y = \mathrm{step}(\hat w^T \hat x)` and
    the update :math:`\hat w \leftarrow \hat w + \eta (y - \hat y) \hat x`,
    which changes nothing when the prediction is right. Training stops after
    the first epoch without a mistake (the data are then split by the line)
    or after ``epochs`` epochs: on data that no line can split, such as
    XOR, it reports ``converged=False`` instead of looping for ever.

    Args:
        X: (n, m) inputs, one example per column. y: (m,) or (1, m) labels 0/1.
        learning_rate: η > 0. epochs: the most passes over the data (>= 1).
        w0: (n + 1,) starting [w, θ]; zeros when None.

    Returns:
        a :class:`PerceptronResult`.
    """
    X = as_array("X", X, ndim=2)
    check_finite("X", X)
    n, m = X.shape
    y = as_array("y", y)
    if y.size != m or y.ndim > 2 or (y.ndim == 2 and y.shape[0] != 1):
        raise ValueError(f"y: expected shape ({m},) or (1, {m}) to match X's m, got {y.shape}")
    y = check_labels("y", y.reshape(-1))
    check_positive("learning_rate", learning_rate)
    epochs = check_positive_int("epochs", epochs)
    X_hat = add_dummy_input(X)
    w_hat = np.zeros(n + 1) if w0 is None else as_array("w0", w0).reshape(-1).copy()
    if w_hat.size != n + 1:
        raise ValueError(f"w0: expected shape ({n + 1},) = [w, theta], got {np.shape(w0)}")
    history, errors = [w_hat.copy()], []
    converged = False
    for _ in range(epochs):
        mistakes = 0
        for i in range(m):
            y_hat = step(w_hat @ X_hat[:, i])
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
               f"did not converge: still {errors[-1]} mistakes in epoch {run} of {epochs}")
    return PerceptronResult(w=w_hat[:n].copy(), theta=float(w_hat[n]), converged=converged,
                            epochs=run, errors=np.array(errors), history=np.array(history),
                            message=message)


def perceptron_predict(X, w, theta):
    """Labels step(w^T x − θ) for X (n, m); returns (m,) of 0.0 / 1.0."""
    return mp_neuron(as_array("X", X, ndim=2), w, theta, "step")


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


def xor_network(X, W1=XOR_W1, theta1=XOR_THETA1, w2=XOR_W2, theta2=XOR_THETA2):
    r"""Two layers of M-P neurons: :math:`h = \mathrm{step}(W_1 x - \theta_1)`, :math:`y = \mathrm{step}(w_2^T h - \theta_2)`.

    Args:
        X: (2, m) binary inputs. The weights default to the XOR network above.

    Returns:
        (y, H): y (m,) the outputs, H (2, m) the hidden units' outputs.
    """
    X = as_array("X", X, ndim=2)
    if X.shape[0] != 2:
        raise ValueError(f"X: expected shape (2, m), got {X.shape}")
    H = step(np.asarray(W1) @ X - np.asarray(theta1).reshape(-1, 1))
    return mp_neuron(H, w2, theta2, "step"), H
