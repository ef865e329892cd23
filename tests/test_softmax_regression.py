"""Tests of lib.softmax_regression: the layer contract, the two gradient routes, training, the confusion matrix."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lib.softmax_regression as sr
from contract import Layer, assert_refused, bad
from lib import logistic
from lib.data import make_spirals, one_hot, train_test_split
from lib.gradcheck import gradient_check


def _args(rng, dtype):
    return {"X": rng.standard_normal((3, 5)).astype(dtype),
            "parameters": {"W": rng.standard_normal((4, 3)).astype(dtype),
                           "b": rng.standard_normal((4, 1)).astype(dtype)}}


LAYERS = [Layer(sr.softmax_regression_forward, sr.softmax_regression_backward, _args, ("X", "parameters"))]


def _problem(seed, n_x=3, n_y=4, m=7):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    labels = rng.integers(0, n_y, m)
    parameters = {"W": rng.standard_normal((n_y, n_x)), "b": rng.standard_normal((n_y, 1))}
    return X, labels, one_hot(labels, n_y), parameters


def test_cost_gradient_check():
    X, _, Y, parameters = _problem(0)
    _, grads = sr.softmax_regression_cost(X, Y, parameters)
    errors = gradient_check(lambda: sr.softmax_regression_cost(X, Y, parameters)[0], parameters,
                            {k: grads["d" + k] for k in parameters})
    assert max(errors.values()) < 1e-7, errors


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_jacobian_route_gives_the_fused_gradient(seed):
    # dŶ = ∂J/∂Ŷ = −Y / (m Ŷ), pushed through diag(s) − s sᵀ, is dZ = (Ŷ − Y)/m: the same dW and db
    X, _, Y, parameters = _problem(seed)
    Y_hat, cache = sr.softmax_regression_forward(X, parameters)
    through_jacobian = sr.softmax_regression_backward(-Y / (X.shape[1] * Y_hat), cache)
    _, fused = sr.softmax_regression_cost(X, Y, parameters)
    assert np.allclose(through_jacobian["dW"], fused["dW"]) and np.allclose(through_jacobian["db"], fused["db"])


def test_zero_parameters_by_hand():
    # W = 0, b = 0: every class has probability 1/K, J = log K, dZ = (1/K − Y)/m
    X = np.array([[1.0, -2.0], [0.5, 3.0]])
    Y = one_hot([0, 2], 3)
    parameters = sr.initialize_softmax_regression(2, 3)
    Y_hat, _ = sr.softmax_regression_forward(X, parameters)
    assert np.allclose(Y_hat, 1 / 3)
    cost, grads = sr.softmax_regression_cost(X, Y, parameters)
    assert np.isclose(cost, np.log(3))
    dZ = (1 / 3 - Y) / 2
    assert np.allclose(grads["dW"], dZ @ X.T) and np.allclose(grads["db"], [[-1 / 6], [1 / 3], [-1 / 6]])
    assert np.allclose(grads["dW"][1], [(1 / 3) * (1.0 - 2.0) / 2, (1 / 3) * (0.5 + 3.0) / 2])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_probabilities_and_predictions(seed):
    X, _, _, parameters = _problem(seed, m=11)
    Y_hat, _ = sr.softmax_regression_forward(X, parameters)
    assert np.all(Y_hat >= 0) and np.allclose(Y_hat.sum(axis=0), 1)
    assert np.array_equal(sr.predict_softmax_regression(X, parameters), Y_hat.argmax(axis=0))
    shifted = {"W": parameters["W"], "b": parameters["b"] + 5.0}      # the same constant added to every logit
    assert np.allclose(sr.softmax_regression_forward(X, shifted)[0], Y_hat)


def test_extreme_logits_are_finite_without_warnings():
    X = np.array([[1.0, -1.0, 0.5]])
    parameters = {"W": np.array([[1000.0], [-1000.0], [0.0]]), "b": np.zeros((3, 1))}
    Y = one_hot([1, 1, 2], 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Y_hat, cache = sr.softmax_regression_forward(X, parameters)
        cost, grads = sr.softmax_regression_cost(X, Y, parameters)
        sr.softmax_regression_backward(np.ones_like(Y_hat), cache)
    assert np.allclose(Y_hat[:, 0], [1, 0, 0]) and np.allclose(Y_hat[:, 1], [0, 1, 0])
    assert np.isfinite(cost) and np.isclose(cost, (2000 + 0 + 500) / 3)   # −log ŷ: 2000, 0, 500 (ŷ₃ = e^{−500})
    assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_float32_is_kept():
    X, labels, Y, parameters = _problem(1)
    X32 = X.astype(np.float32)
    p32 = {k: v.astype(np.float32) for k, v in parameters.items()}
    assert sr.initialize_softmax_regression(3, 4, np.float32)["W"].dtype == np.float32
    _, grads = sr.softmax_regression_cost(X32, Y, p32)
    assert all(g.dtype == np.float32 for g in grads.values())
    trained, _ = sr.train_softmax_regression(X32, labels, 4, num_iterations=5)
    assert all(v.dtype == np.float32 for v in trained.values())
    trained, _ = sr.train_softmax_regression_adam(X32, labels, 4, num_epochs=2, batch_size=3)
    assert all(v.dtype == np.float32 for v in trained.values())


def test_training_resumes_where_it_stopped_and_leaves_its_start_alone():
    X, labels, _, parameters = _problem(2, m=20)
    start = {k: v.copy() for k, v in parameters.items()}
    all_at_once, costs = sr.train_softmax_regression(X, labels, 4, num_iterations=20, learning_rate=0.3,
                                                     parameters=parameters, record_every=5)
    half, _ = sr.train_softmax_regression(X, labels, 4, num_iterations=10, learning_rate=0.3, parameters=parameters)
    resumed, _ = sr.train_softmax_regression(X, labels, 4, num_iterations=10, learning_rate=0.3, parameters=half)
    assert all(np.allclose(all_at_once[k], resumed[k]) for k in parameters)
    assert all(np.array_equal(parameters[k], start[k]) for k in parameters)
    assert len(costs) == 4 and costs[-1] < costs[0]


def test_two_classes_are_logistic_regression_at_twice_the_learning_rate():
    # K = 2: ŷ₁ = σ(z₁ − z₀), and w₁ − w₀ follows logistic regression's gradient descent with step 2α
    X, labels = make_spirals(m=80, n_classes=2, turns=0.0, noise=0.3, seed=0)
    parameters, _ = sr.train_softmax_regression(X, labels, 2, num_iterations=50, learning_rate=0.4)
    params, _, _ = logistic.optimize(np.zeros((2, 1)), 0.0, X, labels[None, :].astype(float),
                                     num_iterations=50, learning_rate=0.8)
    assert np.allclose(parameters["W"][1] - parameters["W"][0], params["w"][:, 0])
    assert np.isclose(parameters["b"][1, 0] - parameters["b"][0, 0], params["b"])


def test_learns_four_wedges_on_held_out_data():
    X, labels = make_spirals(m=400, n_classes=4, turns=0.0, noise=0.1, seed=3)
    X_train, y_train, X_test, y_test = train_test_split(X, labels, 0.25, seed=0)
    parameters, costs = sr.train_softmax_regression(X_train, y_train, 4, num_iterations=300, learning_rate=1.0)
    accuracy = np.mean(sr.predict_softmax_regression(X_test, parameters) == y_test)
    assert accuracy > 0.9 and costs[-1] < 0.5 * costs[0]


def test_first_adam_step_moves_every_parameter_by_the_learning_rate():
    # one batch of all m examples, one epoch: Adam's first step is −α g/(|g| + ε) ≈ −α sign(g)
    X, labels, Y, _ = _problem(4, m=6)
    zeros = sr.initialize_softmax_regression(3, 4)
    _, grads = sr.softmax_regression_cost(X, Y, zeros)
    parameters, costs = sr.train_softmax_regression_adam(X, labels, 4, num_epochs=1, batch_size=6,
                                                         learning_rate=0.01)
    assert np.allclose(parameters["W"], -0.01 * np.sign(grads["dW"]), atol=1e-8)
    assert np.allclose(parameters["b"], -0.01 * np.sign(grads["db"]), atol=1e-8)
    assert np.isclose(costs[0], np.log(4))


def test_adam_training_is_seeded_and_learns():
    X, labels = make_spirals(m=200, n_classes=4, turns=0.0, noise=0.1, seed=1)
    a, costs = sr.train_softmax_regression_adam(X, labels, 4, num_epochs=20, batch_size=32, learning_rate=0.05, seed=3)
    b, _ = sr.train_softmax_regression_adam(X, labels, 4, num_epochs=20, batch_size=32, learning_rate=0.05, seed=3)
    c, _ = sr.train_softmax_regression_adam(X, labels, 4, num_epochs=20, batch_size=32, learning_rate=0.05, seed=4)
    assert all(np.array_equal(a[k], b[k]) for k in a) and not np.array_equal(a["W"], c["W"])
    assert len(costs) == 20 and costs[-1] < 0.5 * costs[0]


def test_confusion_matrix_by_hand():
    C = sr.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    assert np.array_equal(C, [[1, 1, 0], [0, 1, 0], [1, 0, 2]]) and C.dtype == np.int64


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 6))
def test_confusion_matrix_counts(seed, K):
    rng = np.random.default_rng(seed)
    labels, predictions = rng.integers(0, K, 40), rng.integers(0, K, 40)
    C = sr.confusion_matrix(labels, predictions, K)
    assert C.sum() == 40 and np.trace(C) == np.sum(labels == predictions)
    assert np.array_equal(C.sum(axis=1), np.bincount(labels, minlength=K))       # rows: the true classes
    assert np.array_equal(C.sum(axis=0), np.bincount(predictions, minlength=K))  # columns: the predictions


# ---------------------------------------------------------------- bad input

_X = np.zeros((3, 4))
_P = {"W": np.zeros((2, 3)), "b": np.zeros((2, 1))}
_Y = one_hot([0, 1, 0, 1], 2)
_L = [0, 1, 0, 1]
_YH, _CACHE = sr.softmax_regression_forward(_X, _P)

BAD_INPUTS = [
    bad(sr.initialize_softmax_regression, "n_x", 0, 3),
    bad(sr.initialize_softmax_regression, "n_x", 2.5, 3, error=TypeError),
    bad(sr.initialize_softmax_regression, "n_classes", 2, 1),
    bad(sr.initialize_softmax_regression, "dtype", 2, 3, dtype="float16"),
    bad(sr.softmax_regression_forward, "X", np.zeros((4, 4)), _P),
    bad(sr.softmax_regression_forward, "X", np.full((3, 4), np.nan), _P),
    bad(sr.softmax_regression_forward, "X", np.zeros(3), _P),
    bad(sr.softmax_regression_forward, "parameters", _X, {"W": _P["W"]}),
    bad(sr.softmax_regression_forward, "parameters", _X, {"W": _P["W"], "b": np.zeros((3, 1))}),
    bad(sr.softmax_regression_forward, "parameters", _X, [1, 2], error=TypeError),
    bad(sr.softmax_regression_backward, "dY_hat", np.zeros((2, 5)), _CACHE),
    bad(sr.softmax_regression_backward, "dY_hat", np.full((2, 4), np.inf), _CACHE),
    bad(sr.softmax_regression_backward, "cache", _YH, (1, 2), error=TypeError),
    bad(sr.softmax_regression_cost, "Y_onehot", _X, np.zeros((2, 4)), _P),                 # not one-hot
    bad(sr.softmax_regression_cost, "Y_onehot", _X, one_hot([0, 1, 0], 2), _P),
    bad(sr.softmax_regression_cost, "X", np.zeros((2, 4)), _Y, _P),
    bad(sr.softmax_regression_cost, "parameters", _X, _Y, {"b": np.zeros((2, 1))}),
    bad(sr.train_softmax_regression, "X", np.zeros(4), _L, 2),
    bad(sr.train_softmax_regression, "labels", _X, [0, 1, 2], 2),
    bad(sr.train_softmax_regression, "labels", _X, [0, 1, 0, 2], 2),
    bad(sr.train_softmax_regression, "labels", _X, [0, 1, 0, -1], 2),
    bad(sr.train_softmax_regression, "n_classes", _X, [0, 0, 0, 0], 1),
    bad(sr.train_softmax_regression, "num_iterations", _X, _L, 2, num_iterations=0),
    bad(sr.train_softmax_regression, "learning_rate", _X, _L, 2, learning_rate=-0.1),
    bad(sr.train_softmax_regression, "record_every", _X, _L, 2, record_every=0),
    bad(sr.train_softmax_regression, "parameters['W']", _X, _L, 2,
        parameters={"W": np.zeros((3, 3)), "b": np.zeros((3, 1))}),
    bad(sr.train_softmax_regression_adam, "X", np.zeros(5), [0, 1], 2),
    bad(sr.train_softmax_regression_adam, "labels", _X, [0, 1, 2], 2),
    bad(sr.train_softmax_regression_adam, "num_epochs", _X, _L, 2, num_epochs=0),
    bad(sr.train_softmax_regression_adam, "batch_size", _X, _L, 2, batch_size=0),
    bad(sr.train_softmax_regression_adam, "n_classes", _X, [0, 0, 0, 0], 1),
    bad(sr.train_softmax_regression_adam, "seed", _X, _L, 2, seed=-1),
    bad(sr.predict_softmax_regression, "X", np.zeros((4, 2)), _P),
    bad(sr.predict_softmax_regression, "X", np.full((3, 2), np.nan), _P),
    bad(sr.predict_softmax_regression, "parameters", _X, {"W": np.zeros((2, 3))}),
    bad(sr.predict_softmax_regression, "parameters", _X, {"W": np.zeros((2, 3)), "b": np.zeros((3, 1))}),
    bad(sr.confusion_matrix, "labels", [0, 3], [0, 1], 3),
    bad(sr.confusion_matrix, "labels", [[0, 1]], [0, 1], 3),
    bad(sr.confusion_matrix, "predictions", [0, 1], [0, 1, 1], 3),
    bad(sr.confusion_matrix, "predictions", [0, 1], [0, 1.5], 3),
    bad(sr.confusion_matrix, "n_classes", [0, 1], [0, 1], 1),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
