"""Tests for lib.activations: values, derivatives against lib.gradcheck, stability."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

import lib.activations as act
from lib.gradcheck import numerical_gradient, numerical_gradient_array, relative_error

SMOOTH = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]


def test_known_values():
    assert act.sigmoid(0.0) == 0.5
    assert np.allclose(act.tanh([0.0, 1.0]), [0.0, np.tanh(1.0)])
    assert np.array_equal(act.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    assert np.allclose(act.leaky_relu([-2.0, 3.0], slope=0.1), [-0.2, 3.0])
    assert np.array_equal(act.step([-1e-9, 0.0, 2.0]), [0.0, 1.0, 1.0])
    assert np.array_equal(act.identity([[1.5, -2.0]]), [[1.5, -2.0]])
    assert np.allclose(act.softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75])


@pytest.mark.parametrize("name", SMOOTH)
def test_derivative_matches_numerical_gradient(name):
    f, f_prime = act.ACTIVATIONS[name]
    # points away from ReLU's kink at 0, where the derivative is not defined
    z = np.array([[-2.3, -0.7, -0.2], [0.15, 0.9, 3.1]])
    numeric = numerical_gradient_array(lambda: f(z), z, np.ones_like(z))
    assert relative_error(f_prime(z), numeric) < 1e-7


def test_step_derivative_is_zero_away_from_zero():
    z = np.array([-3.0, -0.5, 0.5, 2.0])
    numeric = numerical_gradient_array(lambda: act.step(z), z, np.ones_like(z))
    assert np.array_equal(act.step_derivative(z), numeric)


def test_softmax_backward_matches_numerical_gradient():
    rng = np.random.default_rng(0)
    for axis in (0, 1):
        z = rng.standard_normal((4, 5))
        dout = rng.standard_normal((4, 5))
        numeric = numerical_gradient_array(lambda: act.softmax(z, axis=axis), z, dout)
        analytic = act.softmax_backward(dout, act.softmax(z, axis=axis), axis=axis)
        assert relative_error(analytic, numeric) < 1e-7


def test_softmax_derivative_is_the_jacobian():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    J = act.softmax_derivative(z)
    for i in range(z.size):
        row = numerical_gradient(lambda: act.softmax(z)[i], z)
        assert relative_error(J[i], row) < 1e-7
    # the backward pass is the Jacobian-vector product
    d = np.array([1.0, -2.0, 0.5, 3.0])
    assert np.allclose(J.T @ d, act.softmax_backward(d, act.softmax(z)))


def test_extreme_inputs_are_finite_and_exact_without_warnings():
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.sigmoid(z)
        assert s[0] == 0.0 and s[-1] == 1.0
        assert np.all(np.isfinite(act.sigmoid_derivative(z)))
        assert np.allclose(act.tanh(z)[[0, -1]], [-1.0, 1.0])
        sm = act.softmax(np.array([[1e4, 1e4 - 1.0], [-1e4, 0.0]]), axis=1)
        assert np.all(np.isfinite(sm)) and np.allclose(sm.sum(axis=1), 1.0)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 30), elements=st.floats(-1e4, 1e4)))
def test_sigmoid_properties(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no overflow warning, ever
        s = act.sigmoid(z)
        s_neg = act.sigmoid(-z)
    assert np.all(np.isfinite(s))
    assert np.all((s >= 0.0) & (s <= 1.0))
    assert np.allclose(s_neg, 1.0 - s, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)),
              elements=st.floats(-1e3, 1e3)),
       st.integers(0, 1), st.floats(-1e3, 1e3))
def test_softmax_sums_to_one_and_is_shift_invariant(z, axis, shift):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.softmax(z, axis=axis)
        shifted = act.softmax(z + shift, axis=axis)
    assert np.all(s >= 0)
    assert np.allclose(s.sum(axis=axis), 1.0)
    assert np.allclose(s, shifted, atol=1e-9)


def test_bad_input():
    with pytest.raises(ValueError, match="slope"):
        act.leaky_relu([1.0], slope=2.0)
    with pytest.raises(ValueError, match="slope"):
        act.leaky_relu_derivative([1.0], slope=-0.1)
    with pytest.raises(ValueError, match="z"):
        act.softmax_derivative(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="dout"):
        act.softmax_backward(np.zeros(3), np.ones(4) / 4)


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_keep_the_floating_dtype(name, dtype):
    # The CNN trains in float32: an activation that silently upcasts makes it several times slower.
    f, df = act.ACTIVATIONS[name]
    z = np.linspace(-3, 3, 7, dtype=dtype)
    assert f(z).dtype == dtype and df(z).dtype == dtype
    assert act.softmax(z).dtype == dtype


def test_integer_input_is_computed_in_float64():
    assert act.relu(np.array([-2, 3])).dtype == np.float64


def test_get_activation_names_the_argument():
    f, df = act.get_activation("tanh")
    assert f is act.tanh and df is act.tanh_derivative
    with pytest.raises(ValueError, match="g: expected one of"):
        act.get_activation("rleu", argument="g")
