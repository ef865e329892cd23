"""Tests of lib.neuron: the neuron as a function and neurons stacked (chapter ``01_neural_networks``)."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.neuron as neuron
from contract import assert_refused, bad
from lib.activations import sigmoid


def test_relu_neuron_is_max_of_zero_and_line():
    X = np.array([[-2.0, 0.0, 1.0, 3.0]])
    a = neuron.relu_neuron(X, np.array([[2.0]]), -1.0)
    np.testing.assert_array_equal(a, [[0.0, 0.0, 1.0, 5.0]])
    assert a.shape == (1, 4)


def test_neuron_forward_with_sigmoid_matches_formula():
    rng = np.random.default_rng(0)
    X, w = rng.normal(size=(3, 5)), rng.normal(size=(3, 1))
    np.testing.assert_allclose(neuron.neuron_forward(X, w, 0.5, g="sigmoid"), sigmoid(w.T @ X + 0.5))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_relu_neuron_never_negative_and_zero_exactly_where_the_line_is(seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1e3, 1e3, (2, 6))
    w = rng.uniform(-10, 10, (2, 1))
    b = float(rng.uniform(-100, 100))
    a = neuron.relu_neuron(X, w, b)
    z = w.T @ X + b
    assert np.all(a >= 0)
    np.testing.assert_array_equal(a == 0, z <= 0)


def test_make_housing_shapes_seed_and_rule():
    X, Y = neuron.make_housing(50, seed=3)
    assert X.shape == Y.shape == (1, 50)
    np.testing.assert_array_equal(X, neuron.make_housing(50, seed=3)[0])
    assert np.all(Y >= 0)
    X0, Y0 = neuron.make_housing(50, noise=0.0, seed=3)
    np.testing.assert_allclose(Y0, np.maximum(0, neuron.HOUSING_W * X0 + neuron.HOUSING_B))
    assert neuron.make_housing(5, seed=None)[0].shape == (1, 5)


def test_fit_relu_neuron_recovers_the_true_neuron():
    X, Y = neuron.make_housing(80, noise=0.0, seed=1)
    w, b = neuron.fit_relu_neuron(X, Y, n_knots=2000)
    assert w.shape == (1, 1)
    assert abs(w[0, 0] - neuron.HOUSING_W) < 0.01
    assert abs(b - neuron.HOUSING_B) < 1.0


def test_fit_relu_neuron_beats_a_straight_line_on_noisy_data():
    X, Y = neuron.make_housing(80, seed=2)
    w, b = neuron.fit_relu_neuron(X, Y)
    fit = neuron.mean_squared_error(neuron.relu_neuron(X, w, b), Y)
    coef = np.polyfit(X[0], Y[0], 1)
    line = neuron.mean_squared_error(np.polyval(coef, X), Y)
    assert fit < line


@pytest.mark.parametrize("targets, expected_b", [([1.0, 2.0, 3.0, 6.0], 3.0), ([-1.0, -2.0, 0.5, -1.5], 0.0)])
def test_fit_relu_neuron_on_a_constant_input_is_the_best_flat_neuron(targets, expected_b):
    # all x equal: no knot can bend the line, so the best neuron is flat at max(0, mean y)
    X, Y = np.full((1, 4), 7.0), np.array([targets])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w, b = neuron.fit_relu_neuron(X, Y)
    assert w[0, 0] == 0.0 and b == pytest.approx(expected_b)
    assert np.all(np.isfinite(w)) and np.isfinite(b)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w1, b1 = neuron.fit_relu_neuron(np.array([[3.0]]), np.array([[5.0]]))   # one house
    assert w1[0, 0] == 0.0 and b1 == 5.0


def test_fit_relu_neuron_on_constant_targets_is_flat():
    X = np.array([[1.0, 2.0, 5.0, 9.0]])
    w, b = neuron.fit_relu_neuron(X, np.full((1, 4), 4.0))
    np.testing.assert_allclose(neuron.relu_neuron(X, w, b), 4.0)


def test_stacked_forward_agrees_with_loops_and_shapes():
    rng = np.random.default_rng(4)
    X = neuron.make_housing_features(7, seed=0)
    assert X.shape == (4, 7)
    layers = [(rng.normal(size=(3, 4)), rng.normal(size=(3, 1))),
              (rng.normal(size=(1, 3)), rng.normal(size=(1, 1)))]
    A = neuron.stacked_forward(X, layers)
    assert [a.shape for a in A] == [(4, 7), (3, 7), (1, 7)]
    np.testing.assert_allclose(A[1], neuron.loop_layer_forward(X, *layers[0]), rtol=1e-12)
    np.testing.assert_allclose(A[2], neuron.loop_layer_forward(A[1], *layers[1]), rtol=1e-12)
    np.testing.assert_array_equal(A[1], neuron.layer_forward(X, *layers[0]))


def test_mean_squared_error():
    assert neuron.mean_squared_error(np.array([[1.0, 3.0]]), np.array([[0.0, 1.0]])) == 2.5


def test_float32_in_float32_out():
    rng = np.random.default_rng(1)
    X, w = rng.normal(size=(3, 5)).astype(np.float32), rng.normal(size=(3, 1)).astype(np.float32)
    assert neuron.neuron_forward(X, w, 0.5, "sigmoid").dtype == np.float32
    assert neuron.relu_neuron(X, w, 0.5).dtype == np.float32
    W, b = rng.normal(size=(2, 3)).astype(np.float32), np.zeros((2, 1), np.float32)
    assert neuron.layer_forward(X, W, b).dtype == np.float32
    assert neuron.loop_layer_forward(X, W, b, "tanh").dtype == np.float32
    assert all(A.dtype == np.float32 for A in neuron.stacked_forward(X, [(W, b)]))
    Xh, Yh = (a.astype(np.float32) for a in neuron.make_housing(30, seed=0))
    w_fit, b_fit = neuron.fit_relu_neuron(Xh, Yh)
    assert w_fit.dtype == np.float32 and isinstance(b_fit, float)
    # one float64 operand makes the computation float64
    assert neuron.layer_forward(X, W.astype(np.float64), b).dtype == np.float64


X4 = np.zeros((4, 5))
W31, W34, B31 = np.zeros((3, 1)), np.zeros((3, 4)), np.zeros((3, 1))
X_NAN = np.array([[np.nan, 1.0]])
XH, YH = neuron.make_housing(10, seed=0)

BAD_INPUTS = [
    bad(neuron.neuron_forward, "w", np.zeros((3, 4)), np.zeros((1, 3)), 0.0),
    bad(neuron.neuron_forward, "b", np.zeros((3, 4)), W31, np.zeros(2), error=TypeError),
    bad(neuron.neuron_forward, "X", X_NAN, np.ones((1, 1)), 0.0),
    bad(neuron.neuron_forward, "X", np.zeros(4), np.ones((1, 1)), 0.0),
    bad(neuron.neuron_forward, "g", np.zeros((3, 4)), W31, 0.0, g="softplus"),
    bad(neuron.relu_neuron, "w", np.zeros((3, 4)), np.zeros((2, 1)), 0.0),
    bad(neuron.relu_neuron, "X", np.zeros((1, 0)), np.ones((1, 1)), 0.0),
    bad(neuron.relu_neuron, "b", np.zeros((1, 2)), np.ones((1, 1)), np.nan),
    bad(neuron.make_housing, "m", 0),
    bad(neuron.make_housing, "noise", 10, noise=-1.0),
    bad(neuron.make_housing, "noise", 10, noise=np.inf),
    bad(neuron.make_housing, "seed", 10, seed=-1),
    bad(neuron.make_housing, "seed", 10, seed=1.5, error=TypeError),
    bad(neuron.fit_relu_neuron, "Y", XH, YH[:, :5]),
    bad(neuron.fit_relu_neuron, "X", np.vstack([XH, XH]), YH),
    bad(neuron.fit_relu_neuron, "X", np.array([[1.0, np.inf]]), np.zeros((1, 2))),
    bad(neuron.fit_relu_neuron, "n_knots", XH, YH, n_knots=1),
    bad(neuron.make_housing_features, "m", 0),
    bad(neuron.make_housing_features, "m", 2.5, error=TypeError),
    bad(neuron.make_housing_features, "seed", 5, seed=-3),
    bad(neuron.layer_forward, "W", X4, np.zeros((3, 5)), B31),
    bad(neuron.layer_forward, "b", X4, W34, np.zeros((1, 3))),
    bad(neuron.layer_forward, "A_prev", np.full((4, 5), np.nan), W34, B31),
    bad(neuron.layer_forward, "g", X4, W34, B31, g="rleu"),
    bad(neuron.stacked_forward, "layers", X4, []),
    bad(neuron.stacked_forward, "layers", X4, W34, error=TypeError),
    bad(neuron.stacked_forward, "layers", X4, [(np.zeros((3, 5)), B31)]),
    bad(neuron.stacked_forward, "layers", X4, [(W34, B31), (np.zeros((1, 4)), np.zeros((1, 1)))]),
    bad(neuron.stacked_forward, "layers", X4, [(W34,)]),
    bad(neuron.stacked_forward, "X", np.full((4, 5), np.inf), [(W34, B31)]),
    bad(neuron.loop_layer_forward, "W", X4, np.zeros((3, 5)), B31),
    bad(neuron.loop_layer_forward, "W", X4, np.full((3, 4), np.nan), B31),
    bad(neuron.loop_layer_forward, "b", X4, W34, np.zeros((3, 2))),
    bad(neuron.mean_squared_error, "Y", np.zeros((1, 3)), np.zeros((1, 4))),
    bad(neuron.mean_squared_error, "A", X_NAN, np.zeros((1, 2))),
    bad(neuron.mean_squared_error, "A", np.zeros((1, 0)), np.zeros((1, 0))),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
