"""What the checkers of Parts I and II accept, and what they reject with which diagnosis."""
import io
from contextlib import redirect_stdout

import numpy as np
import pytest

from lib.activations import sigmoid
from lib.exercises import check_propagate, check_sigmoid
from lib.logistic import propagate


def verdict(checker, function):
    out = io.StringIO()
    with redirect_stdout(out):
        ok = checker(function)
    return ok, out.getvalue()


# ----------------------------------------------------------------- sigmoid
def naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def flipped_sigmoid(z):
    return 1 / (1 + np.exp(z))


def float64_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(np.float64)


def in_place_sigmoid(z):
    e = np.exp(-np.abs(z))
    z[...] = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return z


# ----------------------------------------------------------------- propagate
def _cost(A, Y):
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def looped_propagate(w, b, X, Y):
    m = X.shape[1]
    dw, db, cost = np.zeros_like(w), 0.0, 0.0
    for i in range(m):
        a = sigmoid(w[:, 0] @ X[:, i] + b)
        dw[:, 0] += X[:, i] * (a - Y[0, i]) / m
        db += (a - Y[0, i]) / m
        cost += -(Y[0, i] * np.log(a) + (1 - Y[0, i]) * np.log(1 - a)) / m
    return {"dw": dw, "db": db}, float(cost)


def no_one_over_m_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    dZ = A - Y
    return {"dw": X @ dZ.T, "db": np.sum(dZ)}, _cost(A, Y)


def transposed_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    dZ = (A - Y) / X.shape[1]
    return {"dw": dZ @ X.T, "db": np.sum(dZ)}, _cost(A, Y)


def no_bias_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X)
    dZ = (A - Y) / X.shape[1]
    return {"dw": X @ dZ.T, "db": np.sum(dZ)}, _cost(A, Y)


def wrong_sign_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    dZ = (Y - A) / X.shape[1]
    return {"dw": X @ dZ.T, "db": np.sum(dZ)}, _cost(A, Y)


def zeros_propagate(w, b, X, Y):
    return {"dw": np.zeros_like(w), "db": 0.0}, 0.0


def good_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    dZ = (A - Y) / X.shape[1]
    return {"dw": X @ dZ.T, "db": np.sum(dZ, keepdims=True)}, _cost(A, Y)   # db as a 1x1 array


MISTAKES = [
    (check_sigmoid, naive_sigmoid, "For z < 0 compute exp(z)"),
    (check_sigmoid, flipped_sigmoid, "check the sign inside the exponential"),
    (check_sigmoid, float64_sigmoid, "float32 in gave float64 out"),
    (check_sigmoid, in_place_sigmoid, "modified its input"),
    (check_sigmoid, lambda z: np.zeros_like(z), "every entry is 0"),
    (check_sigmoid, lambda z: z, "one of the inputs, unchanged"),
    (check_propagate, looped_propagate, "a Python loop"),
    (check_propagate, no_one_over_m_propagate, "the 1/m"),
    (check_propagate, transposed_propagate, "did you transpose?"),
    (check_propagate, no_bias_propagate, "the bias b is missing"),
    (check_propagate, wrong_sign_propagate, "the sign is wrong"),
    (check_propagate, zeros_propagate, "every entry is 0"),
    (check_propagate, lambda w, b, X, Y: None, "expected a tuple"),
]


@pytest.mark.parametrize("checker, function, diagnosis", MISTAKES,
                         ids=[f"{c.__name__}-{f.__name__}-{i}" for i, (c, f, _) in enumerate(MISTAKES)])
def test_a_typical_mistake_is_rejected_with_its_diagnosis(checker, function, diagnosis):
    ok, said = verdict(checker, function)
    assert ok is False
    assert diagnosis in said, said
    assert said.startswith("✗")


@pytest.mark.parametrize("checker, function", [(check_sigmoid, sigmoid), (check_propagate, propagate),
                                               (check_propagate, good_propagate)])
def test_lib_and_equivalent_forms_are_accepted(checker, function):
    ok, said = verdict(checker, function)
    assert ok is True, said


def test_a_checker_never_raises_on_what_it_is_given():
    for thing in (None, 3, "sigmoid", lambda: 1, lambda z: 1 / 0):
        ok, said = verdict(check_sigmoid, thing)
        assert ok is False and said.startswith("✗")
