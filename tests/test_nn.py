"""Tests for lib.nn, the two-layer network: shapes, gradients, loops, training, bad input."""
import numpy as np
import pytest

import lib.nn as nn
from lib.data import make_flower, train_test_split
from lib.gradcheck import gradient_check


def small_problem(n_x=3, n_h=4, m=7, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    params = nn.initialize_parameters(n_x, n_h, 1, seed=seed, scale=0.5)
    params["b1"] = rng.standard_normal((n_h, 1))
    params["b2"] = rng.standard_normal((1, 1))
    return X, Y, params


def test_layer_sizes_and_initialisation_shapes():
    X, Y = np.zeros((5, 3)), np.zeros((1, 3))
    assert nn.layer_sizes(X, Y) == (5, 4, 1)
    assert nn.layer_sizes(X, Y, n_h=7) == (5, 7, 1)
    p = nn.initialize_parameters(5, 7, 1, seed=1)
    assert {k: v.shape for k, v in p.items()} == {"W1": (7, 5), "b1": (7, 1), "W2": (1, 7), "b2": (1, 1)}
    assert np.all(p["b1"] == 0) and 0 < np.std(p["W1"]) < 0.05
    q = nn.initialize_parameters(5, 7, 1, seed=1)
    assert all(np.array_equal(p[k], q[k]) for k in p)
    z = nn.initialize_parameters_constant(5, 7, 1)
    assert all(np.all(v == 0) for v in z.values())


def test_forward_shapes_and_range():
    X, Y, p = small_problem()
    A2, cache = nn.forward_propagation(X, p)
    assert A2.shape == (1, 7) and cache["A1"].shape == (4, 7) and cache["Z1"].shape == (4, 7)
    assert np.all((A2 > 0) & (A2 < 1))
    assert np.allclose(cache["A1"], np.tanh(p["W1"] @ X + p["b1"]))


def test_cost_matches_definition():
    A2 = np.array([[0.9, 0.2, 0.6]])
    Y = np.array([[1.0, 0.0, 1.0]])
    expected = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
    assert np.isclose(nn.compute_cost(A2, Y), expected)


def test_backward_propagation_gradient_check():
    X, Y, p = small_problem()
    _, cache = nn.forward_propagation(X, p)
    grads = nn.backward_propagation(p, cache, X, Y)
    errors = gradient_check(lambda: nn.compute_cost(nn.forward_propagation(X, p)[0], Y),
                            p, {k: grads["d" + k] for k in nn.PARAMETER_NAMES})
    assert max(errors.values()) < 1e-7, errors


def test_loops_agree_with_vectorised():
    X, Y, p = small_problem(m=11)
    A2, cache = nn.forward_propagation(X, p)
    assert np.allclose(nn.forward_propagation_loop(X, p), A2)
    vec = nn.backward_propagation(p, cache, X, Y)
    loop = nn.backward_propagation_loop(p, X, Y)
    for k in vec:
        assert np.allclose(vec[k], loop[k], atol=1e-12)
    a1, a2 = nn.neuron_by_neuron_output(X[:, 3], p)
    assert np.allclose(a1, cache["A1"][:, 3]) and np.allclose(a2, A2[:, 3])
    s1, s2 = nn.train_step(p, X, Y, 0.5), nn.train_step_loop(p, X, Y, 0.5)
    assert all(np.allclose(s1[k], s2[k]) for k in s1)


def test_update_parameters_is_a_step_against_the_gradient():
    X, Y, p = small_problem()
    grads = {"d" + k: np.ones_like(v) for k, v in p.items()}
    q = nn.update_parameters(p, grads, 0.1)
    assert all(np.allclose(q[k], p[k] - 0.1) for k in p)
    assert q["W1"] is not p["W1"]


def test_training_learns_the_flower_and_beats_chance():
    X, Y = make_flower(400, seed=1)
    Xtr, Ytr, Xte, Yte = train_test_split(X, Y, 0.25, seed=0)
    p, costs = nn.nn_model(Xtr, Ytr, n_h=4, num_iterations=3000, learning_rate=1.2, seed=3)
    assert costs[-1] < 0.5 * costs[0]
    assert np.all(np.diff(costs[:5]) < 0)          # it starts by descending
    assert np.mean(nn.predict(p, Xte) == Yte) > 0.8


def test_zero_initialisation_keeps_hidden_units_identical():
    X, Y = make_flower(100, seed=2)
    for value in (0.0, 0.3):
        start = nn.initialize_parameters_constant(2, 5, 1, value)
        p, _ = nn.nn_model(X, Y, 5, 200, 1.2, parameters=start)
        assert np.allclose(p["W1"], p["W1"][0]) and np.allclose(p["b1"], p["b1"][0])
        assert np.allclose(p["W2"], p["W2"][0, 0])
    assert np.all(p["W1"] != 0.3)                  # they moved, but all together


def test_bad_input():
    X, Y, p = small_problem()
    with pytest.raises(ValueError, match="Y"):
        nn.layer_sizes(X, Y[:, :5])
    with pytest.raises(ValueError, match="n_h"):
        nn.initialize_parameters(3, 0, 1)
    with pytest.raises(ValueError, match="n_h"):
        nn.nn_model(X, Y, n_h=0, num_iterations=1)
    with pytest.raises(ValueError, match="W1"):
        nn.forward_propagation(X[:2], p)
    with pytest.raises(ValueError, match="W2"):
        nn.forward_propagation(X, {**p, "W2": np.zeros((1, 3))})
    with pytest.raises(ValueError, match="b1"):
        nn.forward_propagation(X, {**p, "b1": np.zeros((4,))})
    with pytest.raises(ValueError, match="Y"):
        nn.nn_model(X, Y * 2, num_iterations=1)
    with pytest.raises(ValueError, match="X"):
        nn.forward_propagation(np.full((3, 2), np.nan), p)
    with pytest.raises(ValueError, match="X"):
        nn.forward_propagation(np.zeros(3), p)
    with pytest.raises(ValueError, match="learning_rate"):
        nn.update_parameters(p, {"d" + k: v for k, v in p.items()}, 0.0)
    with pytest.raises(ValueError, match="dW1"):
        nn.update_parameters(p, {**{"d" + k: v for k, v in p.items()}, "dW1": np.zeros(2)}, 0.1)
    with pytest.raises(ValueError, match="parameters"):
        nn.predict({"W1": p["W1"]}, X)
    with pytest.raises(ValueError, match="grads"):
        nn.update_parameters(p, {"dW1": p["W1"]}, 0.1)
    with pytest.raises(ValueError, match="Y"):
        nn.compute_cost(np.full((1, 3), 0.5), np.ones((1, 4)))
