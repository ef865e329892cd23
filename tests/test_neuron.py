"""Tests of lib.neuron: the neuron as a function and neurons stacked (chapter 1)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lib.neuron as neuron
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
@given(arrays(np.float64, (2, 6), elements=st.floats(-1e3, 1e3)),
       arrays(np.float64, (2, 1), elements=st.floats(-10, 10)),
       st.floats(-100, 100))
def test_relu_neuron_never_negative(X, w, b):
    assert np.all(neuron.relu_neuron(X, w, b) >= 0)


def test_neuron_rejects_bad_shapes_and_values():
    X = np.zeros((3, 4))
    with pytest.raises(ValueError, match="w"):
        neuron.relu_neuron(X, np.zeros((1, 3)), 0.0)      # a row, not a column
    with pytest.raises(ValueError, match="b"):
        neuron.relu_neuron(X, np.zeros((3, 1)), np.zeros(2))
    with pytest.raises(ValueError, match="X"):
        neuron.relu_neuron(np.array([[np.nan, 1.0]]), np.ones((1, 1)), 0.0)
    with pytest.raises(ValueError, match="X"):
        neuron.relu_neuron(np.zeros(4), np.ones((1, 1)), 0.0)
    with pytest.raises(ValueError, match="g"):
        neuron.neuron_forward(X, np.zeros((3, 1)), 0.0, g="softplus")


def test_make_housing_shapes_seed_and_rule():
    X, Y = neuron.make_housing(50, seed=3)
    assert X.shape == Y.shape == (1, 50)
    np.testing.assert_array_equal(X, neuron.make_housing(50, seed=3)[0])
    assert np.all(Y >= 0)
    X0, Y0 = neuron.make_housing(50, noise=0.0, seed=3)
    np.testing.assert_allclose(Y0, np.maximum(0, neuron.HOUSING_W * X0 + neuron.HOUSING_B))
    with pytest.raises(ValueError, match="m"):
        neuron.make_housing(0)
    with pytest.raises(ValueError, match="noise"):
        neuron.make_housing(10, noise=-1.0)


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
    with pytest.raises(ValueError, match="Y"):
        neuron.fit_relu_neuron(X, Y[:, :10])
    with pytest.raises(ValueError, match="X"):
        neuron.fit_relu_neuron(np.vstack([X, X]), Y)


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


def test_layer_forward_rejects_bad_shapes():
    X = np.zeros((4, 5))
    with pytest.raises(ValueError, match="W"):
        neuron.layer_forward(X, np.zeros((3, 5)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="b"):
        neuron.layer_forward(X, np.zeros((3, 4)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="layers"):
        neuron.stacked_forward(X, [])
    with pytest.raises(ValueError, match="Y"):
        neuron.mean_squared_error(np.zeros((1, 3)), np.zeros((1, 4)))
