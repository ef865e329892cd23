"""Tests for lib.nn, the two-layer network: shapes, gradients (one 1/m), loops, training, dtype, bad input."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.nn as nn
from contract import assert_refused, bad
from lib import deep, losses
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
    r = nn.initialize_parameters(5, 7, 1, seed=None)
    assert r["W1"].shape == (7, 5) and not np.array_equal(r["W1"], p["W1"])
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


def test_backward_propagation_is_the_layers_composed_with_the_loss():
    """The chapter's two-layer formulas are lib.deep's layers with losses.sigmoid_cross_entropy:
    the same 1/m convention in both (dZ2 = (A2 - Y)/m, no layer dividing)."""
    X, Y, p = small_problem(m=9)
    _, cache = nn.forward_propagation(X, p)
    grads = nn.backward_propagation(p, cache, X, Y)
    A1, c1 = deep.layer_forward(X, p["W1"], p["b1"], "tanh")
    Z2, c2 = deep.layer_forward(A1, p["W2"], p["b2"], "linear")
    cost, dZ2 = losses.sigmoid_cross_entropy(Z2, Y)
    g2 = deep.layer_backward(dZ2, c2)
    g1 = deep.layer_backward(g2["dA_prev"], c1)
    for name, value in (("dW1", g1["dW"]), ("db1", g1["db"]), ("dW2", g2["dW"]), ("db2", g2["db"])):
        np.testing.assert_allclose(grads[name], value, rtol=1e-12, atol=1e-15, err_msg=name)
    assert cost == pytest.approx(nn.compute_cost(cache["A2"], Y), rel=1e-12)


def test_one_step_of_nn_model_descends_the_gradient_of_the_cost():
    """nn_model's update is θ - α dθ with dθ the gradient of the mean cost: the 1/m is in, once."""
    X, Y, start = small_problem(m=8, seed=2)
    alpha = 0.7
    after, costs = nn.nn_model(X, Y, n_h=4, num_iterations=1, learning_rate=alpha, parameters=start)
    step = {k: (start[k] - after[k]) / alpha for k in start}
    errors = gradient_check(lambda: nn.compute_cost(nn.forward_propagation(X, start)[0], Y), start, step)
    assert max(errors.values()) < 1e-7, errors
    assert costs == [pytest.approx(nn.compute_cost(nn.forward_propagation(X, start)[0], Y))]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), copies=st.integers(2, 4))
def test_repeating_the_examples_leaves_the_mean_cost_and_its_gradient_unchanged(seed, copies):
    X, Y, p = small_problem(m=5, seed=seed)
    Xk, Yk = np.tile(X, copies), np.tile(Y, copies)
    g1 = nn.backward_propagation(p, nn.forward_propagation(X, p)[1], X, Y)
    gk = nn.backward_propagation(p, nn.forward_propagation(Xk, p)[1], Xk, Yk)
    for k in g1:
        np.testing.assert_allclose(gk[k], g1[k], rtol=1e-9, atol=1e-15)
    gl = nn.backward_propagation_loop(p, Xk, Yk)
    for k in g1:
        np.testing.assert_allclose(gl[k], g1[k], rtol=1e-9, atol=1e-15)


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
    b1, b2 = nn.neuron_by_neuron_output(X[:, 3:4], p)          # (n_x, 1) works too
    assert np.array_equal(a1, b1) and np.array_equal(a2, b2)
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
    assert len(costs) == 30 and costs[-1] < 0.5 * costs[0]
    assert np.all(np.diff(costs[:5]) < 0)          # it starts by descending
    assert np.mean(nn.predict(p, Xte) == Yte) > 0.8


def test_nn_model_copies_its_starting_point_and_records_every_record_every():
    X, Y, p = small_problem()
    before = {k: v.copy() for k, v in p.items()}
    _, costs = nn.nn_model(X, Y, 4, num_iterations=7, parameters=p, record_every=3)
    assert len(costs) == 3                           # iterations 0, 3, 6
    assert all(np.array_equal(p[k], before[k]) for k in p)
    _, none = nn.nn_model(X, Y, 4, num_iterations=0)
    assert none == []


def test_zero_initialisation_keeps_hidden_units_identical():
    X, Y = make_flower(100, seed=2)
    for value in (0.0, 0.3):
        start = nn.initialize_parameters_constant(2, 5, 1, value)
        p, _ = nn.nn_model(X, Y, 5, 200, 1.2, parameters=start)
        assert np.allclose(p["W1"], p["W1"][0]) and np.allclose(p["b1"], p["b1"][0])
        assert np.allclose(p["W2"], p["W2"][0, 0])
    assert np.all(p["W1"] != 0.3)                  # they moved, but all together


def test_the_unchecked_kernels_compute_what_the_public_functions_do():
    X, Y, p = small_problem()
    A2, cache = nn.forward_propagation(X, p)
    np.testing.assert_array_equal(nn.forward_propagation.unchecked(X, p)[0], A2)
    g, g2 = nn.backward_propagation(p, cache, X, Y), nn.backward_propagation.unchecked(p, cache, X, Y)
    assert all(np.array_equal(g[k], g2[k]) for k in g)


# --------------------------------------------------------------------- dtype and extremes
def test_float32_in_float32_out():
    X, Y, p = small_problem()
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    p32 = {k: v.astype(np.float32) for k, v in p.items()}
    A2, cache = nn.forward_propagation(X32, p32)
    assert A2.dtype == np.float32 and all(v.dtype == np.float32 for v in cache.values())
    grads = nn.backward_propagation(p32, cache, X32, Y)          # labels in float64 are fine
    assert all(g.dtype == np.float32 for g in grads.values())
    assert all(v.dtype == np.float32 for v in nn.update_parameters(p32, grads, 0.1).values())
    assert all(g.dtype == np.float32 for g in nn.backward_propagation_loop(p32, X32, Y32).values())
    assert nn.forward_propagation_loop(X32, p32).dtype == np.float32
    assert all(a.dtype == np.float32 for a in nn.neuron_by_neuron_output(X32[:, 0], p32))
    assert nn.predict(p32, X32).dtype == np.float32
    for step in (nn.train_step, nn.train_step_loop):
        assert all(v.dtype == np.float32 for v in step(p32, X32, Y32, 0.5).values())
    trained, costs = nn.nn_model(X32, Y, n_h=4, num_iterations=3)
    assert all(v.dtype == np.float32 for v in trained.values()) and all(isinstance(c, float) for c in costs)
    assert isinstance(nn.compute_cost(A2, Y32), float)


def test_extreme_valid_inputs_give_finite_results_without_warnings():
    X = np.array([[1e4, -1e4, 0.0, 1e-300], [1e4, -1e4, 5.0, 0.0]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])
    p = nn.initialize_parameters(2, 3, 1, seed=0, scale=100.0)       # saturated tanh, logits of size 100s
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A2, cache = nn.forward_propagation(X, p)
        assert np.all((A2 >= 0) & (A2 <= 1))
        assert np.isfinite(nn.compute_cost(A2, Y))
        grads = nn.backward_propagation(p, cache, X, Y)
        assert all(np.all(np.isfinite(g)) for g in grads.values())
        trained, costs = nn.nn_model(X, Y, n_h=3, num_iterations=50, parameters=p)
        assert all(np.isfinite(c) for c in costs) and all(np.all(np.isfinite(v)) for v in trained.values())
        assert nn.compute_cost(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])) == pytest.approx(27.631, abs=1e-3)


# --------------------------------------------------------------------- bad input
_X, _Y, _P = small_problem()
_A2, _CACHE = nn.forward_propagation(_X, _P)
_G = nn.backward_propagation(_P, _CACHE, _X, _Y)


def _with(**changes):
    return {**_P, **changes}


def _grads(**changes):
    return {**_G, **changes}


BAD_INPUTS = [
    bad(nn.layer_sizes, "Y", _X, _Y[:, :5]),
    bad(nn.layer_sizes, "Y", _X, _Y * 2),
    bad(nn.layer_sizes, "X", np.zeros(3), _Y),
    bad(nn.layer_sizes, "n_h", _X, _Y, n_h=0),
    bad(nn.layer_sizes, "X", np.full((3, 7), np.nan), _Y),

    bad(nn.initialize_parameters, "n_h", 3, 0, 1),
    bad(nn.initialize_parameters, "n_x", 2.5, 4, 1, error=TypeError),
    bad(nn.initialize_parameters, "scale", 3, 4, 1, scale=0.0),
    bad(nn.initialize_parameters, "seed", 3, 4, 1, seed=-1),
    bad(nn.initialize_parameters, "seed", 3, 4, 1, seed="one", error=TypeError),

    bad(nn.initialize_parameters_constant, "n_y", 3, 4, 0),
    bad(nn.initialize_parameters_constant, "value", 3, 4, 1, np.nan),
    bad(nn.initialize_parameters_constant, "value", 3, 4, 1, "0.5", error=TypeError),

    bad(nn.forward_propagation, "X", _X[:2], _P),
    bad(nn.forward_propagation, "X", np.full((3, 2), np.nan), _P),
    bad(nn.forward_propagation, "X", np.zeros(3), _P),
    bad(nn.forward_propagation, "X", np.zeros((3, 0)), _P),
    bad(nn.forward_propagation, "parameters", _X, _with(W2=np.zeros((1, 3)))),
    bad(nn.forward_propagation, "parameters", _X, _with(b1=np.zeros((4,)))),
    bad(nn.forward_propagation, "parameters", _X, _with(W1=np.full((4, 3), np.inf))),
    bad(nn.forward_propagation, "parameters", _X, {"W1": _P["W1"]}),
    bad(nn.forward_propagation, "parameters", _X, list(_P.values()), error=TypeError),

    bad(nn.compute_cost, "A2", np.array([[1.5, -0.5]]), np.array([[1.0, 0.0]])),
    bad(nn.compute_cost, "A2", np.array([[np.nan, 0.5]]), np.array([[1.0, 0.0]])),
    bad(nn.compute_cost, "A2", np.zeros((1, 0)), np.zeros((1, 0))),
    bad(nn.compute_cost, "Y", np.full((1, 3), 0.5), np.ones((1, 4))),
    bad(nn.compute_cost, "Y", np.full((1, 3), 0.5), np.array([[0.0, 2.0, 1.0]])),

    bad(nn.backward_propagation, "Y", _P, _CACHE, _X, _Y[:, :5]),
    bad(nn.backward_propagation, "Y", _P, _CACHE, _X, -_Y),
    bad(nn.backward_propagation, "X", _P, _CACHE, _X[:2], _Y),
    bad(nn.backward_propagation, "cache", _P, {"A2": _A2}, _X, _Y),
    bad(nn.backward_propagation, "cache", _P, {**_CACHE, "A1": _CACHE["A1"][:, :3]}, _X, _Y),
    bad(nn.backward_propagation, "cache", _P, {**_CACHE, "A2": _A2 + 1.0}, _X, _Y),
    bad(nn.backward_propagation, "parameters", _with(b2=np.array([[np.nan]])), _CACHE, _X, _Y),

    bad(nn.update_parameters, "learning_rate", _P, _G, 0.0),
    bad(nn.update_parameters, "learning_rate", _P, _G, np.inf),
    bad(nn.update_parameters, "learning_rate", _P, _G, "fast", error=TypeError),
    bad(nn.update_parameters, "grads", _P, _grads(dW1=np.zeros(2))),
    bad(nn.update_parameters, "grads", _P, {"dW1": _G["dW1"]}),
    bad(nn.update_parameters, "grads", _P, _grads(db2=np.array([[np.nan]]))),
    bad(nn.update_parameters, "parameters", {"W1": _P["W1"]}, _G),

    bad(nn.nn_model, "n_h", _X, _Y, n_h=0, num_iterations=1),
    bad(nn.nn_model, "Y", _X, _Y * 2, num_iterations=1),
    bad(nn.nn_model, "Y", _X, _Y[:, :3], num_iterations=1),
    bad(nn.nn_model, "X", np.full((3, 7), np.inf), _Y, num_iterations=1),
    bad(nn.nn_model, "num_iterations", _X, _Y, num_iterations=-1),
    bad(nn.nn_model, "learning_rate", _X, _Y, num_iterations=1, learning_rate=-1.0),
    bad(nn.nn_model, "seed", _X, _Y, num_iterations=1, seed=-2),
    bad(nn.nn_model, "record_every", _X, _Y, num_iterations=1, record_every=0),
    bad(nn.nn_model, "parameters", _X, _Y, n_h=5, num_iterations=1, parameters=_P),
    bad(nn.nn_model, "parameters", _X, _Y, num_iterations=1, parameters=_with(W2=np.zeros((2, 4)))),

    bad(nn.predict, "parameters", {"W1": _P["W1"]}, _X),
    bad(nn.predict, "X", _P, _X[:2]),
    bad(nn.predict, "X", _P, np.full((3, 7), np.nan)),

    bad(nn.neuron_by_neuron_output, "x", _X[:, :2], _P),
    bad(nn.neuron_by_neuron_output, "x", _X[:2, 0], _P),
    bad(nn.neuron_by_neuron_output, "x", np.array([np.nan, 0.0, 1.0]), _P),
    bad(nn.neuron_by_neuron_output, "parameters", _X[:, 0], _with(b2=np.zeros((2, 1)))),

    bad(nn.forward_propagation_loop, "X", _X[:2], _P),
    bad(nn.forward_propagation_loop, "X", np.zeros((3, 0)), _P),
    bad(nn.forward_propagation_loop, "parameters", _X, _with(W1=np.zeros((4, 3, 1)))),

    bad(nn.backward_propagation_loop, "Y", _P, _X, _Y[:, :3]),
    bad(nn.backward_propagation_loop, "Y", _P, _X, np.full((1, 7), 0.5)),
    bad(nn.backward_propagation_loop, "X", _P, np.full((3, 7), np.nan), _Y),
    bad(nn.backward_propagation_loop, "parameters", {}, _X, _Y),

    bad(nn.train_step, "learning_rate", _P, _X, _Y, 0.0),
    bad(nn.train_step, "Y", _P, _X, _Y[:, :2]),
    bad(nn.train_step, "X", _P, _X[:1], _Y),

    bad(nn.train_step_loop, "learning_rate", _P, _X, _Y, -0.5),
    bad(nn.train_step_loop, "Y", _P, _X, _Y + 0.5),
    bad(nn.train_step_loop, "parameters", _with(b1=np.zeros((3, 1))), _X, _Y),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


def test_a_bad_seed_is_refused_before_training():
    X, Y = make_flower(400, seed=1)
    with pytest.raises(ValueError, match="seed"):
        nn.nn_model(X, Y, num_iterations=10**9, seed=-1)     # would run for hours if it trained first
