"""Tests of lib.gradcheck on functions whose gradients are known."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.gradcheck as gradcheck
from contract import assert_refused, bad


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


def test_numerical_gradient_on_a_transposed_view():
    # the old bug: x.reshape(-1) copied a transpose, so f never saw the perturbation
    # and the gradient came back as zeros
    base = np.arange(1.0, 7.0).reshape(2, 3)
    x = base.T                                                  # (3, 2), not contiguous
    assert not x.flags.c_contiguous
    num = gradcheck.numerical_gradient(lambda: np.sum(base ** 2), x)
    np.testing.assert_allclose(num, 2 * x, rtol=1e-8)
    np.testing.assert_array_equal(base, np.arange(1.0, 7.0).reshape(2, 3))    # restored


def test_numerical_gradient_on_a_slice_of_several_columns():
    M = np.random.default_rng(1).normal(size=(4, 6))
    x = M[:, 1:4]                                               # a view of three columns
    weights = np.arange(24.0).reshape(4, 6)
    num = gradcheck.numerical_gradient(lambda: np.sum(weights * M), x)
    np.testing.assert_allclose(num, weights[:, 1:4], rtol=1e-8)
    every_other = M[::2, ::2]                                   # strided in both axes
    num = gradcheck.numerical_gradient(lambda: np.sum(weights * M), every_other)
    np.testing.assert_allclose(num, weights[::2, ::2], rtol=1e-8)


def test_numerical_gradient_array_of_a_layer():
    rng = np.random.default_rng(1)
    W, x = rng.normal(size=(3, 4)), rng.normal(size=(4, 5))
    dout = rng.normal(size=(3, 5))
    num = gradcheck.numerical_gradient_array(lambda: W @ x, W, dout)
    assert gradcheck.relative_error(dout @ x.T, num) < 1e-8
    num_t = gradcheck.numerical_gradient_array(lambda: W @ x, x.T, dout)     # x.T is a view of x
    assert gradcheck.relative_error((W.T @ dout).T, num_t) < 1e-8


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_numerical_gradient_of_a_linear_map_is_its_matrix(seed):
    rng = np.random.default_rng(seed)
    n, k = rng.integers(1, 5, 2)
    A, x = rng.normal(size=(k, n)), rng.normal(size=n)
    dout = rng.normal(size=k)
    num = gradcheck.numerical_gradient_array(lambda: A @ x, x, dout)
    np.testing.assert_allclose(num, A.T @ dout, rtol=1e-6, atol=1e-9)


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
    assert set(gradcheck.gradient_check(f, params, {"b": right["b"]})) == {"b"}    # a subset is checked


def test_relative_error_values_and_shape_check():
    assert gradcheck.relative_error(np.ones(3), np.ones(3)) == 0.0
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error(np.array([1.0]), np.array([-1.0])) == pytest.approx(1.0)
    assert gradcheck.relative_error(np.array([3.0, 0.0]), np.array([0.0, 4.0])) == pytest.approx(5 / 7)
    # scale-free, and no overflow for gradients of 1e200
    assert gradcheck.relative_error(np.array([1e200, 0.0]), np.array([1e200, 1e190])) == pytest.approx(5e-11)
    with pytest.raises(ValueError, match="numeric"):
        gradcheck.relative_error(np.ones(3), np.ones(4))


def test_numerical_gradient_refuses_what_f_cannot_see_change():
    with pytest.raises(TypeError, match="x: expected a float64 ndarray"):
        gradcheck.numerical_gradient(lambda: 0.0, np.ones(3, dtype=np.float32))
    with pytest.raises(TypeError, match="x: expected the float64 ndarray that f reads"):
        gradcheck.numerical_gradient(lambda: 0.0, [1.0, 2.0])
    frozen = np.ones(3)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="x: expected a writeable array"):
        gradcheck.numerical_gradient(lambda: 0.0, frozen)


_x = np.ones(3)
_frozen = np.ones(3)
_frozen.flags.writeable = False


def _zero():
    return 0.0


BAD_INPUTS = [
    bad(gradcheck.numerical_gradient, "f", None, np.ones(3), error=TypeError),
    bad(gradcheck.numerical_gradient, "f", lambda: np.ones(2), np.ones(3), error=TypeError),  # not a scalar
    bad(gradcheck.numerical_gradient, "f", lambda: np.nan, np.ones(3)),
    bad(gradcheck.numerical_gradient, "x", _zero, [1.0, 2.0], error=TypeError),
    bad(gradcheck.numerical_gradient, "x", _zero, np.ones(3, dtype=np.float32), error=TypeError),
    bad(gradcheck.numerical_gradient, "x", _zero, _frozen),
    bad(gradcheck.numerical_gradient, "x", _zero, np.zeros(0)),
    bad(gradcheck.numerical_gradient, "x", _zero, np.array([1.0, np.nan])),
    bad(gradcheck.numerical_gradient, "eps", _zero, np.ones(3), eps=0.0),
    bad(gradcheck.numerical_gradient, "eps", _zero, np.ones(3), eps="1e-6", error=TypeError),
    bad(gradcheck.numerical_gradient_array, "f", "W @ x", np.ones(3), np.ones(3), error=TypeError),
    bad(gradcheck.numerical_gradient_array, "x", lambda: np.ones(3), [1.0], np.ones(3), error=TypeError),
    bad(gradcheck.numerical_gradient_array, "x", lambda: np.ones(3), np.ones(3, dtype=int), np.ones(3),
        error=TypeError),
    bad(gradcheck.numerical_gradient_array, "dout", lambda: np.ones(3), np.ones(3), np.ones(4)),
    bad(gradcheck.numerical_gradient_array, "dout", lambda: np.ones((3, 1)), np.ones(3), np.ones(3)),
    bad(gradcheck.numerical_gradient_array, "dout", lambda: np.ones(3), np.ones(3), np.array([1.0, np.nan, 0.0])),
    bad(gradcheck.numerical_gradient_array, "dout", lambda: np.ones(3), np.ones(3), "ones", error=TypeError),
    bad(gradcheck.numerical_gradient_array, "eps", lambda: np.ones(3), np.ones(3), np.ones(3), eps=-1e-6),
    bad(gradcheck.relative_error, "numeric", np.ones(3), np.ones(4)),
    bad(gradcheck.relative_error, "numeric", np.ones(3), np.array([1.0, np.nan, 1.0])),
    bad(gradcheck.relative_error, "numeric", np.ones(3), None, error=TypeError),
    bad(gradcheck.relative_error, "analytic", np.array([np.inf]), np.ones(1)),
    bad(gradcheck.relative_error, "analytic", np.zeros(0), np.zeros(0)),
    bad(gradcheck.relative_error, "analytic", "1.0", np.ones(1), error=TypeError),
    bad(gradcheck.gradient_check, "f", 3.0, {"x": np.ones(2)}, {"x": np.ones(2)}, error=TypeError),
    bad(gradcheck.gradient_check, "params", _zero, [np.ones(2)], {"x": np.ones(2)}, error=TypeError),
    bad(gradcheck.gradient_check, "grads", _zero, {"x": np.ones(2)}, [np.ones(2)], error=TypeError),
    bad(gradcheck.gradient_check, "grads", _zero, {"x": np.ones(2)}, {}),
    bad(gradcheck.gradient_check, "grads", _zero, {"x": np.ones(2)}, {"dx": np.ones(2)}),    # unknown name
    bad(gradcheck.gradient_check, "grads", _zero, {"x": np.ones(2)}, {"x": np.ones(3)}),  # shape
    bad(gradcheck.gradient_check, "grads", _zero, {"x": np.ones(2)}, {"x": np.array([np.nan, 0.0])}),
    bad(gradcheck.gradient_check, "params", _zero, {"x": np.ones(2, dtype=np.float32)},
        {"x": np.ones(2)}, error=TypeError),
    bad(gradcheck.gradient_check, "params", _zero, {"x": [1.0, 2.0]}, {"x": np.ones(2)}, error=TypeError),
    bad(gradcheck.gradient_check, "eps", _zero, {"x": np.ones(2)}, {"x": np.ones(2)}, eps=0),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
