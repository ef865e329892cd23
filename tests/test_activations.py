"""Tests for lib.activations: values, derivatives against lib.gradcheck, stability, checks."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.activations as act
from contract import Bad, assert_refused, bad
from lib.gradcheck import numerical_gradient, numerical_gradient_array, relative_error

SMOOTH = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
ELEMENTWISE = [act.sigmoid, act.sigmoid_derivative, act.tanh, act.tanh_derivative, act.relu,
               act.relu_derivative, act.leaky_relu, act.leaky_relu_derivative, act.identity,
               act.identity_derivative, act.step, act.step_derivative, act.softmax]


def test_known_values():
    assert act.sigmoid(0.0) == 0.5
    assert np.allclose(act.tanh([0.0, 1.0]), [0.0, np.tanh(1.0)])
    assert np.array_equal(act.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    assert np.allclose(act.leaky_relu([-2.0, 3.0], slope=0.1), [-0.2, 3.0])
    assert np.array_equal(act.step([-1e-9, 0.0, 2.0]), [0.0, 1.0, 1.0])
    assert np.array_equal(act.identity([[1.5, -2.0]]), [[1.5, -2.0]])
    assert np.allclose(act.softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75])
    assert np.allclose(act.sigmoid(np.log(3.0)), 0.75)             # 1 / (1 + 1/3)


def test_identity_returns_a_copy():
    z = np.array([1.0, 2.0])
    out = act.identity(z)
    out[0] = 5.0
    assert z[0] == 1.0


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
    for axis in (0, 1, -1):
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
        assert act.sigmoid_derivative(z)[0] == 0.0
        assert np.allclose(act.tanh(z)[[0, -1]], [-1.0, 1.0])
        sm = act.softmax(np.array([[1e4, 1e4 - 1.0], [-1e4, 0.0]]), axis=1)
        assert np.all(np.isfinite(sm)) and np.allclose(sm.sum(axis=1), 1.0)
        assert np.allclose(sm[0], [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))])
        assert np.array_equal(act.softmax(np.array([1e4, -1e4])), [1.0, 0.0])
        # a saturated softmax passes (almost) no gradient back, and nothing overflows
        s2 = act.softmax(np.array([[1e4], [-1e4]]))
        ds = act.softmax_backward(np.array([[1e3], [-1e3]]), s2)
        assert np.all(np.isfinite(ds)) and np.allclose(ds, 0.0)


def test_extreme_inputs_in_float32_without_warnings():
    z = np.array([-1e30, -100.0, 0.0, 100.0, 1e30], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.sigmoid(z)
        assert s.dtype == np.float32 and s[0] == 0.0 and s[-1] == 1.0
        sm = act.softmax(z)
        assert sm.dtype == np.float32 and sm[-1] == 1.0


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 30), st.floats(0.1, 1e4))
def test_sigmoid_properties(seed, n, scale):
    z = np.random.default_rng(seed).uniform(-scale, scale, n)
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no overflow warning, ever
        s = act.sigmoid(z)
        s_neg = act.sigmoid(-z)
    assert np.all(np.isfinite(s))
    assert np.all((s >= 0.0) & (s <= 1.0))
    assert np.allclose(s_neg, 1.0 - s, atol=1e-12)
    assert np.all(np.diff(s[np.argsort(z)]) >= 0)             # non-decreasing


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 5), st.integers(1, 5), st.integers(0, 1),
       st.floats(-1e3, 1e3))
def test_softmax_sums_to_one_and_is_shift_invariant(seed, rows, cols, axis, shift):
    z = np.random.default_rng(seed).uniform(-1e3, 1e3, (rows, cols))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.softmax(z, axis=axis)
        shifted = act.softmax(z + shift, axis=axis)
    assert np.all(s >= 0)
    assert np.allclose(s.sum(axis=axis), 1.0)
    assert np.allclose(s, shifted, atol=1e-9)
    # the largest logit gets the largest probability
    assert np.array_equal(np.argmax(s, axis=axis), np.argmax(z, axis=axis))


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_keep_the_floating_dtype(name, dtype):
    # The CNN trains in float32: an activation that silently upcasts makes it several times slower.
    f, df = act.ACTIVATIONS[name]
    g, dg = act.get_activation(name)
    z = np.linspace(-3, 3, 7, dtype=dtype)
    assert f(z).dtype == dtype and df(z).dtype == dtype
    assert g(z).dtype == dtype and dg(z).dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_family_keeps_the_floating_dtype(dtype):
    z = np.linspace(-3, 3, 6, dtype=dtype).reshape(2, 3)
    s = act.softmax(z)
    assert s.dtype == dtype
    assert act.softmax_backward(np.ones_like(z), s).dtype == dtype
    assert act.softmax_derivative(z[0]).dtype == dtype
    assert act.leaky_relu(z, slope=np.float64(0.2)).dtype == dtype     # a numpy slope does not promote


def test_integer_input_is_computed_in_float64():
    assert act.relu(np.array([-2, 3])).dtype == np.float64
    assert act.sigmoid([0, 1]).dtype == np.float64


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_kernels_compute_what_the_public_functions_compute(name):
    f, df = act.ACTIVATIONS[name]
    g, dg = act.get_activation(name)
    z = np.random.default_rng(3).uniform(-4, 4, (3, 5))
    z[0, 0] = 0.0                                  # the kink and the step's edge
    np.testing.assert_array_equal(g(z), f(z))
    np.testing.assert_array_equal(dg(z), df(z))


def test_kernels_do_not_check():
    # get_activation's pair is for inner loops: it trusts its input, so a NaN passes through
    g, _ = act.get_activation("relu")
    assert np.isnan(g(np.array([np.nan]))[0])
    with pytest.raises(ValueError, match="^z"):
        act.relu(np.array([np.nan]))


def test_get_activation_names_the_argument_and_lists_the_choices():
    f, df = act.get_activation("tanh")
    z = np.array([-1.0, 0.5])
    np.testing.assert_array_equal(f(z), act.tanh(z))
    with pytest.raises(ValueError, match="g: expected one of .*'relu'.*'linear'"):
        act.get_activation("rleu", argument="g")


def test_bad_input_messages_say_what_was_expected():
    with pytest.raises(ValueError, match=r"slope: expected a number in \[0, 1\)"):
        act.leaky_relu([1.0], slope=2.0)
    with pytest.raises(ValueError, match="z: contains NaN"):
        act.sigmoid([0.0, np.nan])
    with pytest.raises(ValueError, match=r"axis: expected an axis of z, in \[-2, 1\], got 2"):
        act.softmax(np.zeros((2, 3)), axis=2)


_Z = np.array([[0.5, -1.0]])
_S = np.array([[0.3, 0.7]])
BAD_INPUTS = [
    *[case for f in ELEMENTWISE for case in (
        bad(f, "z", [0.0, np.nan]),
        bad(f, "z", np.array([[1.0, np.inf]])),
        bad(f, "z", np.zeros((2, 0))),
        bad(f, "z", "0.5", error=TypeError),
    )],
    bad(act.leaky_relu, "slope", _Z, slope=1.0),
    bad(act.leaky_relu, "slope", _Z, slope=-0.1),
    bad(act.leaky_relu, "slope", _Z, slope="0.1", error=TypeError),
    bad(act.leaky_relu_derivative, "slope", _Z, slope=np.nan),
    bad(act.leaky_relu_derivative, "slope", _Z, slope=[0.1], error=TypeError),
    bad(act.softmax, "axis", _Z, axis=2),
    bad(act.softmax, "axis", _Z, axis=-3),
    bad(act.softmax, "axis", _Z, axis=0.5, error=TypeError),
    bad(act.softmax_backward, "dout", np.ones((1, 3)), _S),
    bad(act.softmax_backward, "dout", np.array([[np.nan, 0.0]]), _S),
    bad(act.softmax_backward, "dout", np.ones((2, 1)), _S),
    bad(act.softmax_backward, "s", _Z, np.array([[1.5, -0.5]])),
    bad(act.softmax_backward, "s", _Z, np.array([[np.nan, 1.0]])),
    bad(act.softmax_backward, "s", _Z, np.zeros((1, 0))),
    bad(act.softmax_backward, "axis", _Z, _S, axis=3),
    bad(act.softmax_derivative, "z", np.zeros((2, 2))),
    bad(act.softmax_derivative, "z", np.array([0.0, np.inf])),
    bad(act.softmax_derivative, "z", np.zeros(0)),
    bad(act.softmax_derivative, "z", ["a", "b"], error=TypeError),
    bad(act.get_activation, "activation", "rleu"),
    bad(act.get_activation, "activation", "ReLU"),
    bad(act.get_activation, "activation", None),
    # get_activation's own keyword is called "argument", so these are spelled out (bad() takes that name)
    Bad(act.get_activation, "g", ("softmax",), {"argument": "g"}),
    Bad(act.get_activation, "argument", ("relu",), {"argument": 3}, TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
