"""Tests for lib.perceptron: the source's gates, the perceptron rule, XOR."""
import warnings

import numpy as np
import pytest

import lib.perceptron as P
from contract import assert_refused, bad
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
    r = P.perceptron_train(P.BINARY_INPUTS, TRUTH[gate], learning_rate=0.1, num_epochs=50)
    assert r.converged and r.errors[-1] == 0 and "converged" in r.message
    assert np.array_equal(P.perceptron_predict(P.BINARY_INPUTS, r.w, r.theta), TRUTH[gate])
    assert r.history.shape == (r.num_epochs + 1, 3)
    assert np.allclose(r.history[-1], [*r.w, r.theta])


def test_perceptron_on_separable_blobs():
    X, Y = make_blobs(100, centers=((-2, -2), (2, 2)), std=0.5, seed=0)
    r = P.perceptron_train(X, Y, learning_rate=0.5, num_epochs=100)
    assert r.converged
    assert np.array_equal(P.perceptron_predict(X, r.w, r.theta), Y[0])


def test_perceptron_fails_on_xor_and_stops():
    r = P.perceptron_train(P.BINARY_INPUTS, XOR, learning_rate=0.1, num_epochs=30)
    assert not r.converged and r.num_epochs == 30 and len(r.errors) == 30
    assert "did not converge" in r.message
    assert np.all(r.errors > 0)
    assert not np.array_equal(P.perceptron_predict(P.BINARY_INPUTS, r.w, r.theta), XOR)


def test_xor_network():
    y, H = P.xor_network(P.BINARY_INPUTS)
    assert np.array_equal(y, XOR)
    assert np.array_equal(H[0], TRUTH["OR"]) and np.array_equal(H[1], [1, 1, 1, 0])


def test_mp_neuron_one_input_gives_a_float_and_callables_work():
    y = P.mp_neuron([1.0, 1.0], P.AND_W, P.AND_THETA)
    assert y == 1.0 and isinstance(y, float)
    relu = P.mp_neuron(P.BINARY_INPUTS, P.AND_W, 1.0, activation=lambda z: np.maximum(z, 0))
    np.testing.assert_array_equal(relu, [0.0, 0.0, 0.0, 1.0])


def test_perceptron_train_accepts_a_row_of_labels_and_a_start():
    r = P.perceptron_train(P.BINARY_INPUTS, np.array([TRUTH["OR"]]), w0=[0.3, -0.2, 0.1])
    assert r.converged and np.allclose(r.history[0], [0.3, -0.2, 0.1])


def test_float32_in_float32_out():
    X32 = P.BINARY_INPUTS.astype(np.float32)
    w32 = np.array(P.AND_W, dtype=np.float32)
    assert P.mp_neuron(X32, P.AND_W, P.AND_THETA).dtype == np.float32
    assert P.mp_neuron(X32, P.AND_W, P.AND_THETA, "sigmoid").dtype == np.float32
    assert P.truth_table(w32, P.AND_THETA).dtype == np.float32
    assert P.add_dummy_input(X32).dtype == np.float32
    r = P.perceptron_train(X32, TRUTH["AND"], num_epochs=50)
    assert r.converged and r.w.dtype == r.history.dtype == np.float32
    assert P.perceptron_predict(X32, r.w, r.theta).dtype == np.float32
    y, H = P.xor_network(X32)
    assert y.dtype == H.dtype == np.float32 and np.array_equal(y, XOR)


def test_extreme_weights_are_finite_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = P.mp_neuron(P.BINARY_INPUTS, (1000.0, 1000.0), 500.0, "sigmoid")
    assert 0 < s[0] < 1e-200 and np.all(s[1:] == 1.0)


B = P.BINARY_INPUTS
X_NAN = np.array([[np.nan, 0, 1, 1], [0, 1, 0, 1]])

BAD_INPUTS = [
    bad(P.mp_neuron, "x", [1.0, 0.0, 1.0], P.AND_W, P.AND_THETA),
    bad(P.mp_neuron, "x", np.zeros((2, 2, 2)), P.AND_W, P.AND_THETA),
    bad(P.mp_neuron, "x", [np.nan, 0.0], P.AND_W, P.AND_THETA),
    bad(P.mp_neuron, "w", [1.0, 0.0], [1.0, np.inf], 1.0),
    bad(P.mp_neuron, "theta", [1.0, 0.0], P.AND_W, np.nan),
    bad(P.mp_neuron, "theta", [1.0, 0.0], P.AND_W, "2", error=TypeError),
    bad(P.mp_neuron, "activation", [1.0, 0.0], P.AND_W, 1.0, "relu6"),
    bad(P.mp_neuron, "activation", [1.0, 0.0], P.AND_W, 1.0, 3, error=TypeError),
    bad(P.truth_table, "w", (1.0, 1.0, 1.0), 1.0),
    bad(P.truth_table, "w", (1.0, np.nan), 1.0),
    bad(P.truth_table, "theta", P.AND_W, None, error=TypeError),
    bad(P.truth_table, "activation", P.AND_W, 1.0, "tanh"),
    bad(P.add_dummy_input, "X", np.zeros(4)),
    bad(P.add_dummy_input, "X", np.zeros((2, 0))),
    bad(P.add_dummy_input, "X", X_NAN),
    bad(P.perceptron_train, "X", np.zeros((2, 0)), np.zeros(0)),
    bad(P.perceptron_train, "X", X_NAN, TRUTH["AND"]),
    bad(P.perceptron_train, "X", np.zeros(4), TRUTH["AND"]),
    bad(P.perceptron_train, "y", B, [0, 1, 2, 1]),
    bad(P.perceptron_train, "y", B, [0, 1, 1]),
    bad(P.perceptron_train, "y", B, np.zeros((4, 1))),
    bad(P.perceptron_train, "num_epochs", B, TRUTH["AND"], num_epochs=0),
    bad(P.perceptron_train, "num_epochs", B, TRUTH["AND"], num_epochs=2.5, error=TypeError),
    bad(P.perceptron_train, "learning_rate", B, TRUTH["AND"], learning_rate=-1.0),
    bad(P.perceptron_train, "w0", B, TRUTH["AND"], w0=[0.0, 0.0]),
    bad(P.perceptron_train, "w0", B, TRUTH["AND"], w0=[0.0, np.nan, 0.0]),
    bad(P.perceptron_predict, "w", B, [1.0, 1.0, 1.0], 1.0),
    bad(P.perceptron_predict, "X", np.zeros(4), [1.0], 1.0),
    bad(P.perceptron_predict, "theta", B, [1.0, 1.0], np.inf),
    bad(P.xor_network, "X", np.zeros((3, 4))),
    bad(P.xor_network, "X", X_NAN),
    bad(P.xor_network, "X", B, W1=np.ones((2, 3))),
    bad(P.xor_network, "W1", B, W1=np.ones(2)),
    bad(P.xor_network, "theta1", B, theta1=[0.5]),
    bad(P.xor_network, "w2", B, w2=[1.0, np.nan]),
    bad(P.xor_network, "theta2", B, theta2=np.nan),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
