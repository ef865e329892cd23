"""Tests of lib.gradcheck on functions whose gradients are known."""
import numpy as np
import pytest

import lib.gradcheck as gradcheck


def test_numerical_gradient_of_quadratic():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4))
    A = A + A.T
    x = rng.normal(size=4)
    num = gradcheck.numerical_gradient(lambda: 0.5 * x @ A @ x, x)
    assert gradcheck.relative_error(A @ x, num) < 1e-8


def test_numerical_gradient_of_elementwise_functions_any_shape():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    num = gradcheck.numerical_gradient(lambda: np.sum(np.sin(x)), x)
    assert num.shape == x.shape
    assert gradcheck.relative_error(np.cos(x), num) < 1e-8


def test_numerical_gradient_restores_x():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    gradcheck.numerical_gradient(lambda: np.sum(x ** 3), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_array_of_a_layer():
    rng = np.random.default_rng(1)
    W, x = rng.normal(size=(3, 4)), rng.normal(size=(4, 5))
    dout = rng.normal(size=(3, 5))
    num = gradcheck.numerical_gradient_array(lambda: W @ x, W, dout)
    assert gradcheck.relative_error(dout @ x.T, num) < 1e-8


def test_gradient_check_passes_a_right_gradient_and_fails_a_wrong_one():
    rng = np.random.default_rng(2)
    params = {"w": rng.normal(size=(3, 1)), "b": np.array([0.5])}
    X = rng.normal(size=(3, 4))

    def f():
        return float(np.sum((params["w"].T @ X + params["b"]) ** 2))

    r = params["w"].T @ X + params["b"]
    right = {"w": 2 * X @ r.T, "b": np.array([2 * r.sum()])}
    errors = gradcheck.gradient_check(f, params, right)
    assert set(errors) == {"w", "b"} and max(errors.values()) < 1e-7
    wrong = {"w": X @ r.T, "b": right["b"]}                  # a factor 2 missing
    assert gradcheck.gradient_check(f, params, wrong)["w"] > 1e-2


def test_relative_error_values_and_shape_check():
    assert gradcheck.relative_error(np.ones(3), np.ones(3)) == 0.0
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error(np.array([1.0]), np.array([-1.0])) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="numeric"):
        gradcheck.relative_error(np.ones(3), np.ones(4))


def test_numerical_gradient_rejects_non_float64():
    with pytest.raises(ValueError, match="x"):
        gradcheck.numerical_gradient(lambda: 0.0, np.ones(3, dtype=np.float32))
    with pytest.raises(ValueError, match="x"):
        gradcheck.numerical_gradient(lambda: 0.0, [1.0, 2.0])
