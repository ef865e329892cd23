"""Tests for lib.perceptron: the source's gates, the perceptron rule, XOR."""
import numpy as np
import pytest

import lib.perceptron as P
from lib.data import make_blobs

TRUTH = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NOT x1": [1, 1, 0, 0]}
XOR = np.array([0.0, 1.0, 1.0, 0.0])


def test_source_weights_exactly():
    assert P.AND_W == (1.0, 1.0) and P.AND_THETA == 2.0
    assert P.OR_W == (1.0, 1.0) and P.OR_THETA == 0.5
    assert P.NOT_X1_W == (-0.6, 0.0) and P.NOT_X1_THETA == -0.5


@pytest.mark.parametrize("gate", list(TRUTH))
def test_gates_truth_tables(gate):
    w, theta = P.GATES[gate]
    assert np.array_equal(P.truth_table(w, theta), TRUTH[gate])
    for (x1, x2), y in zip(P.BINARY_INPUTS.T, TRUTH[gate]):
        assert P.mp_neuron([x1, x2], w, theta) == y


def test_sigmoid_activation_and_dummy_input():
    w, theta = P.AND_W, P.AND_THETA
    s = P.truth_table(w, theta, "sigmoid")
    assert np.all((s > 0) & (s < 1)) and s[3] == 0.5 and np.all(s[:3] < 0.5)
    Xh = P.add_dummy_input(P.BINARY_INPUTS)
    assert Xh.shape == (3, 4) and np.all(Xh[2] == -1.0)
    w_hat = np.array([*w, theta])
    assert np.allclose(w_hat @ Xh, np.array(w) @ P.BINARY_INPUTS - theta)


@pytest.mark.parametrize("gate", ["AND", "OR"])
def test_perceptron_learns_and_or(gate):
    r = P.perceptron_train(P.BINARY_INPUTS, TRUTH[gate], learning_rate=0.1, epochs=50)
    assert r.converged and r.errors[-1] == 0 and "converged" in r.message
    assert np.array_equal(P.perceptron_predict(P.BINARY_INPUTS, r.w, r.theta), TRUTH[gate])
    assert r.history.shape == (r.epochs + 1, 3)
    assert np.allclose(r.history[-1], [*r.w, r.theta])


def test_perceptron_on_separable_blobs():
    X, Y = make_blobs(100, centers=((-2, -2), (2, 2)), std=0.5, seed=0)
    r = P.perceptron_train(X, Y, learning_rate=0.5, epochs=100)
    assert r.converged
    assert np.array_equal(P.perceptron_predict(X, r.w, r.theta), Y[0])


def test_perceptron_fails_on_xor_and_stops():
    r = P.perceptron_train(P.BINARY_INPUTS, XOR, learning_rate=0.1, epochs=30)
    assert not r.converged and r.epochs == 30 and len(r.errors) == 30
    assert "did not converge" in r.message
    assert np.all(r.errors > 0)
    assert not np.array_equal(P.perceptron_predict(P.BINARY_INPUTS, r.w, r.theta), XOR)


def test_xor_network():
    y, H = P.xor_network(P.BINARY_INPUTS)
    assert np.array_equal(y, XOR)
    assert np.array_equal(H[0], TRUTH["OR"]) and np.array_equal(H[1], [1, 1, 1, 0])


def test_bad_input():
    with pytest.raises(ValueError, match="x"):
        P.mp_neuron([1.0, 0.0, 1.0], P.AND_W, P.AND_THETA)
    with pytest.raises(ValueError, match="theta"):
        P.mp_neuron([1.0, 0.0], P.AND_W, np.nan)
    with pytest.raises(ValueError, match="activation"):
        P.mp_neuron([1.0, 0.0], P.AND_W, 1.0, "relu6")
    with pytest.raises(ValueError, match="y"):
        P.perceptron_train(P.BINARY_INPUTS, [0, 1, 2, 1])
    with pytest.raises(ValueError, match="y"):
        P.perceptron_train(P.BINARY_INPUTS, [0, 1, 1])
    with pytest.raises(ValueError, match="epochs"):
        P.perceptron_train(P.BINARY_INPUTS, TRUTH["AND"], epochs=0)
    with pytest.raises(ValueError, match="learning_rate"):
        P.perceptron_train(P.BINARY_INPUTS, TRUTH["AND"], learning_rate=-1.0)
    with pytest.raises(ValueError, match="w0"):
        P.perceptron_train(P.BINARY_INPUTS, TRUTH["AND"], w0=[0.0, 0.0])
    with pytest.raises(ValueError, match="X"):
        P.perceptron_train(np.array([[np.nan, 0, 1, 1], [0, 1, 0, 1]]), TRUTH["AND"])
    with pytest.raises(ValueError, match="X"):
        P.xor_network(np.zeros((3, 4)))
