"""Tests for lib.deep, the L-layer network: the layer contract, the layers composed with
every loss the package trains on (one 1/m), linear collapse, active fractions, bad input."""
import warnings

import numpy as np
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.deep as deep
from contract import Layer, assert_refused, bad
from lib import losses
from lib.data import make_circles, make_moons
from lib.gradcheck import gradient_check

RTOL = 1e-7


# --------------------------------------------------------------------- the contract
def _layer_args(activation):
    def make_args(rng, dtype):
        return {"A_prev": rng.standard_normal((3, 5)).astype(dtype),
                "W": rng.standard_normal((4, 3)).astype(dtype),
                "b": rng.standard_normal((4, 1)).astype(dtype),
                "activation": activation}
    return make_args


def _network_args(rng, dtype):
    parameters = deep.initialize_deep([3, 4, 3, 2], seed=int(rng.integers(1000)), init="xavier", bias_std=0.5)
    return {"X": rng.standard_normal((3, 5)).astype(dtype),
            "parameters": {k: v.astype(dtype) for k, v in parameters.items()},
            "activation": "tanh", "output_activation": "sigmoid"}


LAYERS = [Layer(deep.layer_forward, deep.layer_backward, _layer_args(g), ("A_prev", "W", "b"),
                name=f"layer_forward[{g}]")
          for g in ("relu", "tanh", "sigmoid", "leaky_relu", "linear")]
LAYERS.append(Layer(deep.deep_forward, deep.deep_backward, _network_args, ("X", "parameters")))


# --------------------------------------------------------------------- the composition test
def _three_layers(seed, n_y):
    """X (3, 6) and a 3-layer network 3 → 5 (relu) → 4 (tanh) → n_y (linear: the logits)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3, 6))
    parameters = deep.initialize_deep([3, 5, 4, n_y], seed=seed, init="xavier", bias_std=0.5)
    return rng, X, parameters


def _forward(X, parameters):
    A1, c1 = deep.layer_forward(X, parameters["W1"], parameters["b1"], "relu")
    A2, c2 = deep.layer_forward(A1, parameters["W2"], parameters["b2"], "tanh")
    Z3, c3 = deep.layer_forward(A2, parameters["W3"], parameters["b3"], "linear")
    return Z3, (c1, c2, c3)


def _backward(dZ3, caches):
    grads, dA = {}, dZ3
    for l in (3, 2, 1):
        g = deep.layer_backward(dA, caches[l - 1])
        grads[f"dW{l}"], grads[f"db{l}"], dA = g["dW"], g["db"], g["dA_prev"]
    return grads


def _sigmoid_loss(rng, n_y, m):
    Y = (rng.random((n_y, m)) > 0.5).astype(float)
    return lambda Z: losses.sigmoid_cross_entropy(Z, Y)


def _softmax_loss(rng, n_y, m):
    Y = np.eye(n_y)[:, rng.integers(0, n_y, m)]
    return lambda Z: losses.softmax_cross_entropy(Z, Y)


@pytest.mark.parametrize("make_loss, n_y", [(_sigmoid_loss, 1), (_sigmoid_loss, 2), (_softmax_loss, 3)],
                         ids=["sigmoid_cross_entropy", "sigmoid_cross_entropy-2-outputs", "softmax_cross_entropy"])
def test_layers_composed_with_each_loss_give_the_gradient_of_the_cost(make_loss, n_y):
    """relu, tanh and a linear output layer, then the loss: the loss's dZ carries the 1/m, the
    layers add none, and the whole network's gradients match the numerical ones."""
    rng, X, parameters = _three_layers(seed=4, n_y=n_y)
    loss = make_loss(rng, n_y, X.shape[1])
    Z3, caches = _forward(X, parameters)
    _, dZ3 = loss(Z3)
    grads = _backward(dZ3, caches)
    errors = gradient_check(lambda: loss(_forward(X, parameters)[0])[0], parameters,
                            {k: grads["d" + k] for k in parameters})
    assert max(errors.values()) < RTOL, errors


@pytest.mark.parametrize("make_loss, n_y", [(_sigmoid_loss, 1), (_softmax_loss, 3)],
                         ids=["sigmoid_cross_entropy", "softmax_cross_entropy"])
def test_deep_forward_and_backward_compose_with_a_loss_on_the_logits(make_loss, n_y):
    rng, X, parameters = _three_layers(seed=7, n_y=n_y)
    loss = make_loss(rng, n_y, X.shape[1])
    ZL, caches = deep.deep_forward(X, parameters, "tanh", output_activation="linear")
    grads = deep.deep_backward(loss(ZL)[1], caches)
    errors = gradient_check(lambda: loss(deep.deep_forward(X, parameters, "tanh", "linear")[0])[0],
                            {**parameters, "X": X}, {k: grads["d" + k] for k in [*parameters, "X"]})
    assert max(errors.values()) < RTOL, errors


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_one_step_of_deep_model_descends_the_gradient_of_deep_cost(activation):
    """deep_model's step, θ - α dθ, with dθ the gradient of the probability-form cost deep_cost:
    the training loop's dZ^[L] = (A^[L] - Y)/m is the cost's gradient, 1/m once."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((3, 6))
    Y = (rng.random((1, 6)) > 0.5).astype(float)
    dims, alpha = [3, 5, 4, 1], 0.5
    start = deep.initialize_deep(dims, seed=2, init="xavier")
    after, costs = deep.deep_model(X, Y, dims, num_iterations=1, learning_rate=alpha, seed=2, init="xavier",
                                   activation=activation)
    step = {k: (start[k] - after[k]) / alpha for k in start}
    errors = gradient_check(lambda: deep.deep_cost(deep.deep_forward(X, start, activation)[0], Y), start, step)
    assert max(errors.values()) < RTOL, errors
    assert costs == [pytest.approx(deep.deep_cost(deep.deep_forward(X, start, activation)[0], Y))]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), copies=st.integers(2, 4))
def test_gradients_are_of_the_mean_cost_so_repeating_the_data_changes_nothing(seed, copies):
    """J is a mean over the m examples: the same examples repeated give the same J and gradients
    (a layer that divided by m again, or a loss that forgot to, would scale them)."""
    rng, X, parameters = _three_layers(seed=seed, n_y=1)
    Y = (rng.random((1, X.shape[1])) > 0.5).astype(float)

    def grads_of(X, Y):
        ZL, caches = deep.deep_forward(X, parameters, "relu", "linear")
        cost, dZL = losses.sigmoid_cross_entropy(ZL, Y)
        return cost, deep.deep_backward(dZL, caches)

    cost1, g1 = grads_of(X, Y)
    costk, gk = grads_of(np.tile(X, copies), np.tile(Y, copies))
    assert costk == pytest.approx(cost1, rel=1e-12)
    for k in g1:
        if k != "dX":
            np.testing.assert_allclose(gk[k], g1[k], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(gk["dX"], np.tile(g1["dX"], copies) / copies, rtol=1e-9, atol=1e-15)


def test_layer_backward_is_the_chain_rule_without_1_over_m():
    rng = np.random.default_rng(3)
    A_prev, W, b = rng.standard_normal((3, 8)), rng.standard_normal((2, 3)), rng.standard_normal((2, 1))
    A, cache = deep.layer_forward(A_prev, W, b, "linear")
    dA = rng.standard_normal(A.shape)
    g = deep.layer_backward(dA, cache)
    np.testing.assert_allclose(g["dW"], dA @ A_prev.T)
    np.testing.assert_allclose(g["db"], dA.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(g["dA_prev"], W.T @ dA)


# --------------------------------------------------------------------- what 06_activation_functions uses
def test_initialisation_scales():
    p = deep.initialize_deep([400, 300, 1], seed=0, init="he")
    assert np.isclose(np.std(p["W1"]), np.sqrt(2 / 400), rtol=0.02)
    p = deep.initialize_deep([400, 300, 1], seed=0, init="xavier")
    assert np.isclose(np.std(p["W1"]), np.sqrt(1 / 400), rtol=0.02)
    p = deep.initialize_deep([400, 300, 1], seed=0, init=0.3)
    assert np.isclose(np.std(p["W1"]), 0.3, rtol=0.02)
    assert np.all(deep.initialize_deep([4, 3, 1], init="zeros")["W1"] == 0)
    assert np.all(deep.initialize_deep([4, 3, 1])["b1"] == 0)
    assert np.isclose(np.std(deep.initialize_deep([4, 300, 1], bias_std=0.5)["b1"]), 0.5, rtol=0.15)
    a, b = deep.initialize_deep([4, 3, 1], seed=None), deep.initialize_deep([4, 3, 1], seed=None)
    assert not np.array_equal(a["W1"], b["W1"])          # None: fresh entropy


def test_linear_stack_collapses_to_one_affine_map():
    rng = np.random.default_rng(0)
    p = deep.initialize_deep([2, 6, 6, 6, 1], seed=3, bias_std=0.5)
    X = rng.standard_normal((2, 50))
    W, b = deep.collapse_linear(p)
    Z_out, _ = deep.deep_forward(X, p, "linear", output_activation="linear")
    assert np.allclose(Z_out, W @ X + b)
    assert W.shape == (1, 2) and b.shape == (1, 1)


def test_active_fractions():
    p = deep.initialize_deep([2, 64, 64, 64, 1], seed=0)
    X = np.random.default_rng(0).standard_normal((2, 500))
    f = deep.active_fraction(X, p)
    paths = deep.active_path_fraction(X, p)
    assert f.shape == (3,) and paths.shape == (3,)
    assert np.isclose(paths[0], f[0])                  # one layer: the same thing
    assert np.all(np.diff(paths) < 0)                  # paths can only be lost
    Zs = deep.hidden_preactivations(X, p)
    assert [Z.shape for Z in Zs] == [(64, 500)] * 3
    per_example = [np.mean(Z > 0, axis=0) for Z in Zs]
    assert np.isclose(paths[2], np.mean(per_example[0] * per_example[1] * per_example[2]))
    assert np.all(deep.dead_fraction(X, p) <= 1 - f + 1e-12)
    # a zero-bias ReLU net fires the same units whatever the weights' scale
    q = deep.initialize_deep([2, 64, 64, 64, 1], seed=0, init="small")
    assert np.array_equal(deep.active_fraction(X, q), f)


def test_dead_units_are_found():
    p = deep.initialize_deep([2, 5, 1], seed=0)
    p["b1"][:2] = -100.0                               # two units can never fire on these inputs
    X = np.random.default_rng(1).uniform(-1, 1, (2, 50))
    assert deep.dead_fraction(X, p)[0] == pytest.approx(2 / 5)


def test_training_a_deep_relu_network_fits_circles():
    X, Y = make_circles(200, seed=0)
    p, costs = deep.deep_model(X, Y, [2, 8, 8, 1], num_iterations=1500, learning_rate=0.3, seed=0)
    assert len(costs) == 15 and costs[-1] < 0.5 * costs[0]
    assert np.mean(deep.deep_predict(p, X) == Y) > 0.9


def test_deep_model_records_the_cost_every_record_every_iterations():
    X, Y = make_circles(40, seed=0)
    _, costs = deep.deep_model(X, Y, [2, 3, 1], num_iterations=10, record_every=3)
    assert len(costs) == 4                              # iterations 0, 3, 6, 9
    _, none = deep.deep_model(X, Y, [2, 3, 1], num_iterations=0)
    assert none == []


# --------------------------------------------------------------------- dtype and extremes
def test_float32_in_float32_out():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 30)).astype(np.float32)
    Y = (rng.random((1, 30)) > 0.5).astype(np.float32)
    p32 = {k: v.astype(np.float32) for k, v in deep.initialize_deep([2, 4, 3, 1], seed=1, bias_std=0.1).items()}
    trained, costs = deep.deep_model(X, Y, [2, 4, 3, 1], num_iterations=5)
    assert all(v.dtype == np.float32 for v in trained.values()) and all(isinstance(c, float) for c in costs)
    assert deep.deep_predict(p32, X).dtype == np.float32
    assert all(Z.dtype == np.float32 for Z in deep.hidden_preactivations(X, p32))
    for f in (deep.active_fraction, deep.active_path_fraction, deep.dead_fraction):
        assert f(X, p32).dtype == np.float32, f.__name__
    assert all(a.dtype == np.float32 for a in deep.collapse_linear(p32))
    AL, _ = deep.deep_forward(X, p32)
    assert isinstance(deep.deep_cost(AL, Y), float)


def test_extreme_valid_inputs_give_finite_results_without_warnings():
    X = np.array([[1e3, -1e3, 0.0], [5e2, -5e2, 1e-300]])
    Y = np.array([[1.0, 0.0, 1.0]])
    p = deep.initialize_deep([2, 4, 1], seed=0, init=10.0)          # output logits far beyond ±40
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AL, caches = deep.deep_forward(X, p, "tanh")
        assert np.all((AL >= 0) & (AL <= 1))
        cost = deep.deep_cost(AL, Y)
        assert np.isfinite(cost) and cost < 30 * 3
        grads = deep.deep_backward(np.ones_like(AL), caches)
        assert all(np.all(np.isfinite(g)) for g in grads.values())
        trained, costs = deep.deep_model(X, Y, [2, 4, 1], num_iterations=20, init=10.0, activation="tanh")
        assert all(np.isfinite(c) for c in costs) and all(np.all(np.isfinite(v)) for v in trained.values())
        assert deep.deep_cost(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])) == pytest.approx(27.631, abs=1e-3)


def test_the_unchecked_kernels_compute_what_the_public_functions_do():
    rng, X, parameters = _three_layers(seed=5, n_y=1)
    AL, caches = deep.deep_forward(X, parameters, "relu")
    AL2, _ = deep.deep_forward.unchecked(X, parameters, "relu", "sigmoid")
    np.testing.assert_array_equal(AL, AL2)
    dAL = rng.standard_normal(AL.shape)
    g, g2 = deep.deep_backward(dAL, caches), deep.deep_backward.unchecked(dAL, caches)
    assert all(np.array_equal(g[k], g2[k]) for k in g)



# --------------------------------------------------------------------- the whole network, every hidden activation
def _four_layers(seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3, 7))
    Y = (rng.random((1, 7)) > 0.5).astype(float)
    # std 1: with Xavier's smaller weights three sigmoid layers (sigma' <= 1/4 each) shrink dW1 to ~1e-4,
    # where the centred difference's rounding error alone reaches a relative 1e-7
    parameters = deep.initialize_deep([3, 5, 4, 3, 1], seed=seed, init=1.0, bias_std=0.5)
    return X, Y, parameters


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_gradient_check_of_the_whole_network_through_the_sigmoid_output(activation):
    """deep_forward to probabilities A^[L], the cost deep_cost, dA^[L] = (A - Y)/(m A (1 - A)) by hand,
    then deep_backward: every dW^[l], db^[l] and dX matches the centred differences."""
    X, Y, parameters = _four_layers(seed=11)
    AL, caches = deep.deep_forward(X, parameters, activation, "sigmoid")
    dAL = (AL - Y) / (X.shape[1] * AL * (1 - AL))
    grads = deep.deep_backward(dAL, caches)
    errors = gradient_check(lambda: deep.deep_cost(deep.deep_forward(X, parameters, activation)[0], Y),
                            {**parameters, "X": X}, {k: grads["d" + k] for k in [*parameters, "X"]})
    assert max(errors.values()) < RTOL, errors


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_gradient_check_of_the_whole_network_from_the_logits(activation):
    """The form the chapter and deep_model use: dZ^[L] = (A^[L] - Y)/m from the loss, then deep_backward."""
    X, Y, parameters = _four_layers(seed=12)
    ZL, caches = deep.deep_forward(X, parameters, activation, "linear")
    _, dZL = losses.sigmoid_cross_entropy(ZL, Y)
    np.testing.assert_allclose(dZL, (1 / (1 + np.exp(-ZL)) - Y) / X.shape[1])
    grads = deep.deep_backward(dZL, caches)
    errors = gradient_check(
        lambda: losses.sigmoid_cross_entropy(deep.deep_forward(X, parameters, activation, "linear")[0], Y)[0],
        parameters, {k: grads["d" + k] for k in parameters})
    assert max(errors.values()) < RTOL, errors


def test_the_recursion_dZ_l_is_W_next_transposed_dZ_next_times_g_prime():
    """deep_backward's dZ^[l] obeys dZ^[l] = W^[l+1]T dZ^[l+1] * g'(Z^[l]) layer by layer."""
    X, Y, parameters = _four_layers(seed=13)
    ZL, caches = deep.deep_forward(X, parameters, "tanh", "linear")
    dZ = losses.sigmoid_cross_entropy(ZL, Y)[1]
    for l in range(len(caches) - 1, 0, -1):           # layers L-1 … 1 (caches[l - 1] is layer l)
        A_prev, W, Z, _ = caches[l - 1]
        dZ_next, W_next = dZ, parameters[f"W{l + 1}"]
        dZ = W_next.T @ dZ_next * (1 - np.tanh(Z) ** 2)
        g = deep.layer_backward(W_next.T @ dZ_next, caches[l - 1])
        np.testing.assert_allclose(g["dW"], dZ @ A_prev.T, rtol=1e-12)
        np.testing.assert_allclose(g["db"], dZ.sum(axis=1, keepdims=True), rtol=1e-12)


# --------------------------------------------------------------------- what depth buys
def test_tent_map_by_hand():
    assert deep.tent_map(0.25) == 0.5 and deep.tent_map(0.25, 2) == 1.0 and deep.tent_map(0.25, 3) == 0.0
    assert deep.tent_map(0.3, 0) == 0.3
    x = np.linspace(0, 1, 9)
    np.testing.assert_array_equal(deep.tent_map(x, 2), [0, .5, 1, .5, 0, .5, 1, .5, 0])
    assert deep.tent_map(np.float32([0.1, 0.7]), 3).dtype == np.float32


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_the_deep_narrow_network_computes_the_composed_tent_with_2_to_the_k_pieces(k):
    p = deep.tent_map_network(k)
    assert [p[f"W{l}"].shape for l in range(1, k + 2)] == [(2, 1)] + [(2, 2)] * (k - 1) + [(1, 2)]
    x = np.linspace(0, 1, 2**k * 8 + 1)[None, :]
    out, _ = deep.deep_forward(x, p, "relu", "linear")
    np.testing.assert_allclose(out, deep.tent_map(x, k), atol=1e-12)
    kinks = deep.linear_pieces(p)
    np.testing.assert_allclose(kinks, np.arange(1, 2**k) / 2**k, atol=1e-12)     # 2^k - 1 kinks


def test_interpolating_network_goes_through_its_points_with_one_unit_per_kink():
    knots = np.array([0.0, 0.2, 0.5, 0.6, 1.0])
    values = np.array([1.0, -1.0, 0.5, 0.5, 2.0])
    p = deep.interpolating_network(knots, values)
    assert p["W1"].shape == (4, 1) and p["W2"].shape == (1, 4)
    x = np.linspace(0, 1, 101)[None, :]
    out, _ = deep.deep_forward(x, p, "relu", "linear")
    np.testing.assert_allclose(out[0], np.interp(x[0], knots, values), atol=1e-12)
    np.testing.assert_allclose(deep.linear_pieces(p), [0.2, 0.5, 0.6])    # 0.5-0.6 flat, still a kink each side
    p32 = deep.interpolating_network(knots.astype(np.float32), values.astype(np.float32))
    assert all(v.dtype == np.float32 for v in p32.values())
    assert deep.linear_pieces(p32).dtype == np.float32


def test_linear_pieces_by_hand():
    p = {"W1": np.array([[1.0]]), "b1": np.array([[-0.3]]), "W2": np.array([[2.0]]), "b2": np.array([[0.0]])}
    np.testing.assert_allclose(deep.linear_pieces(p), [0.3])
    assert deep.linear_pieces(p, 0.5, 1.0).size == 0                     # the kink is outside
    p["W2"][:] = 0.0
    assert deep.linear_pieces(p).size == 0                               # a dead output: one piece


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), depth=st.integers(1, 4), width=st.integers(1, 6))
def test_linear_pieces_are_the_kinks_of_the_network(seed, depth, width):
    """The output is linear between the kinks found (the interpolant through them equals it on a fine grid),
    and a one-hidden-layer network of n units has at most n kinks."""
    p = deep.initialize_deep([1] + [width] * depth + [1], seed=seed, bias_std=1.0)
    kinks = deep.linear_pieces(p, -2.0, 2.0)
    assert np.all(np.diff(kinks) > 0) and np.all((kinks > -2) & (kinks < 2))
    points = np.concatenate([[-2.0], kinks, [2.0]])
    at_points, _ = deep.deep_forward(points[None, :], p, "relu", "linear")
    x = np.linspace(-2, 2, 2001)
    out, _ = deep.deep_forward(x[None, :], p, "relu", "linear")
    np.testing.assert_allclose(out[0], np.interp(x, points, at_points[0]), atol=1e-9 * (1 + np.abs(out).max()))
    if depth == 1:
        assert kinks.size <= width

# --------------------------------------------------------------------- bad input
_P = deep.initialize_deep([3, 4, 1], seed=0)
_X = np.zeros((3, 5))
_Y = np.zeros((1, 5))
_A, _CACHE = deep.layer_forward(np.ones((3, 5)), np.ones((4, 3)), np.zeros((4, 1)))
_AL, _CACHES = deep.deep_forward(_X, _P)


def _with(**changes):
    return {**_P, **changes}


# --------------------------------------------------------------------- deep_model from given parameters
def test_starting_from_initialize_deeps_parameters_is_the_default_start():
    X, Y = make_circles(60, seed=2)
    dims = [2, 6, 5, 1]
    trained, costs = deep.deep_model(X, Y, dims, num_iterations=30, learning_rate=0.3, seed=4, init="he",
                                     activation="tanh", record_every=7)
    mine, my_costs = deep.deep_model(X, Y, dims, num_iterations=30, learning_rate=0.3, activation="tanh",
                                     record_every=7, parameters=deep.initialize_deep(dims, seed=4, init="he"))
    np.testing.assert_allclose(my_costs, costs, rtol=1e-12)
    for k in trained:
        np.testing.assert_allclose(mine[k], trained[k], rtol=1e-10, atol=1e-14)


def test_equal_starting_units_stay_equal_and_the_input_is_untouched():
    X, Y = make_circles(80, seed=1)
    start = {k: v + (0.3 if k.startswith("W") else 0.0)
             for k, v in deep.initialize_deep([2, 4, 3, 1], init="zeros").items()}
    before = {k: v.copy() for k, v in start.items()}
    trained, costs = deep.deep_model(X, Y, [2, 4, 3, 1], num_iterations=50, learning_rate=0.5, activation="tanh",
                                     parameters=start)
    assert all(np.array_equal(before[k], start[k]) for k in start)
    for l in (1, 2):
        assert np.allclose(trained[f"W{l}"], trained[f"W{l}"][0]) and not np.allclose(trained[f"W{l}"], 0.3)
    assert costs[0] == pytest.approx(losses.sigmoid_cross_entropy(deep.deep_forward(X, start, "tanh", "linear")[0],
                                                                  Y)[0])


def test_deep_model_from_given_parameters_keeps_float32():
    X, Y = make_circles(40, seed=1)
    p = {k: v.astype(np.float32) for k, v in deep.initialize_deep([2, 3, 1], seed=0).items()}
    trained, _ = deep.deep_model(X.astype(np.float32), Y, [2, 3, 1], num_iterations=3, parameters=p)
    assert all(v.dtype == np.float32 for v in trained.values())



# --------------------------------------------------------------------- train_deep: mini-batches, any optimiser

def test_one_batch_of_all_examples_with_gd_is_deep_models_batch_gradient_descent():
    # B >= m: one step per epoch on the whole set (in shuffled column order, which no sum minds)
    X, Y = make_moons(m=60, seed=2)
    ours, costs = deep.train_deep(X, Y, [2, 5, 3, 1], "gd", learning_rate=0.3, num_epochs=25, batch_size=100, seed=4)
    theirs, their_costs = deep.deep_model(X, Y, [2, 5, 3, 1], num_iterations=25, learning_rate=0.3, seed=4,
                                     record_every=1)
    for k in theirs:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(costs, their_costs, rtol=1e-10)


@pytest.mark.parametrize("optimizer, rate", [("gd", 0.3), ("momentum", 0.3), ("rmsprop", 0.01), ("adam", 0.01)])
def test_training_lowers_the_cost_and_counts_its_steps(optimizer, rate):
    X, Y = make_moons(m=100, seed=1)
    _, costs = deep.train_deep(X, Y, [2, 6, 1], optimizer, learning_rate=rate, num_epochs=30, batch_size=16, seed=0)
    assert len(costs) == 30 * math.ceil(100 / 16)
    per_epoch = np.array(costs).reshape(30, -1).mean(axis=1)
    assert per_epoch[-1] < 0.6 * per_epoch[0]


def test_training_is_deterministic_and_keeps_float32():
    X, Y = make_moons(m=50, seed=1)
    p1, c1 = deep.train_deep(X, Y, [2, 4, 1], "adam", 0.01, num_epochs=3, batch_size=16, seed=7, beta1=0.8)
    p2, c2 = deep.train_deep(X, Y, [2, 4, 1], "adam", 0.01, num_epochs=3, batch_size=16, seed=7, beta1=0.8)
    assert c1 == c2 and all(np.array_equal(p1[k], p2[k]) for k in p1)
    p32, c32 = deep.train_deep(X.astype(np.float32), Y.astype(np.float32), [2, 4, 1], "momentum", 0.1,
                          num_epochs=3, batch_size=16, seed=7)
    assert all(v.dtype == np.float32 for v in p32.values())
    np.testing.assert_allclose(c32, deep.train_deep(X, Y, [2, 4, 1], "momentum", 0.1, num_epochs=3,
                                               batch_size=16, seed=7)[1], rtol=1e-4)


def test_decay_lowers_the_rate_of_later_epochs():
    # with decay, later epochs take smaller steps: the parameters differ from the constant rate's
    X, Y = make_moons(m=40, seed=1)
    same, _ = deep.train_deep(X, Y, [2, 3, 1], "gd", 0.5, num_epochs=1, batch_size=40, seed=0, decay_rate=10.0)
    const, _ = deep.train_deep(X, Y, [2, 3, 1], "gd", 0.5, num_epochs=1, batch_size=40, seed=0)
    assert all(np.array_equal(same[k], const[k]) for k in same)          # epoch 0: alpha0 either way
    later, _ = deep.train_deep(X, Y, [2, 3, 1], "gd", 0.5, num_epochs=2, batch_size=40, seed=0, decay_rate=1.0)
    full, _ = deep.train_deep(X, Y, [2, 3, 1], "gd", 0.5, num_epochs=2, batch_size=40, seed=0)
    step_later = later["W1"] - same["W1"]
    step_full = full["W1"] - same["W1"]
    np.testing.assert_allclose(step_later, step_full / 2, rtol=1e-9, atol=1e-15)   # epoch 1: alpha0 / (1 + 1)


_X_MB, _Y_MB = make_moons(m=20, seed=0)

BAD_INPUTS = [
    bad(deep.train_deep, "X", _X.T, _Y, [2, 3, 1]),
    bad(deep.train_deep, "X", np.full((2, 20), np.nan), _Y_MB, [2, 3, 1]),
    bad(deep.train_deep, "Y", _X_MB, _Y_MB[:, :10], [2, 3, 1]),
    bad(deep.train_deep, "Y", _X_MB, _Y_MB * 2, [2, 3, 1]),
    bad(deep.train_deep, "layer_dims", _X_MB, _Y_MB, [2, 3, 2]),
    bad(deep.train_deep, "layer_dims", _X_MB, _Y_MB, [2]),
    bad(deep.train_deep, "optimizer", _X_MB, _Y_MB, [2, 3, 1], "sgd"),
    bad(deep.train_deep, "batch_size", _X_MB, _Y_MB, [2, 3, 1], batch_size=0),
    bad(deep.train_deep, "learning_rate", _X_MB, _Y_MB, [2, 3, 1], learning_rate=-1.0),
    bad(deep.train_deep, "decay_rate", _X_MB, _Y_MB, [2, 3, 1], decay_rate=-0.5),
    bad(deep.train_deep, "num_epochs", _X_MB, _Y_MB, [2, 3, 1], num_epochs=-1),
    bad(deep.train_deep, "beta", _X_MB, _Y_MB, [2, 3, 1], "momentum", beta=1.0),
    bad(deep.train_deep, "beta", _X_MB, _Y_MB, [2, 3, 1], "adam", beta=0.9),               # Adam's are beta1, beta2
    bad(deep.train_deep, "seed", _X_MB, _Y_MB, [2, 3, 1], seed=-2),
    bad(deep.deep_model, "parameters", np.ones((2, 8)), np.zeros((1, 8)), [2, 3, 1],
        parameters={"W1": np.ones((4, 2)), "b1": np.zeros((4, 1)), "W2": np.ones((1, 4)), "b2": np.zeros((1, 1))}),
    bad(deep.deep_model, "parameters", np.ones((2, 8)), np.zeros((1, 8)), [2, 3, 1], parameters={"W1": np.ones((3, 2))}),
    bad(deep.deep_model, "parameters", np.ones((2, 8)), np.zeros((1, 8)), [2, 3, 1], parameters=[1, 2], error=TypeError),
    bad(deep.initialize_deep, "layer_dims", [3]),
    bad(deep.initialize_deep, "layer_dims", [3, 0, 1]),
    bad(deep.initialize_deep, "layer_dims", [3, 2.5, 1], error=TypeError),
    bad(deep.initialize_deep, "init", [3, 4, 1], init="orthogonal"),
    bad(deep.initialize_deep, "init", [3, 4, 1], init=-0.1),
    bad(deep.initialize_deep, "bias_std", [3, 4, 1], bias_std=-1.0),
    bad(deep.initialize_deep, "bias_std", [3, 4, 1], bias_std=np.nan),
    bad(deep.initialize_deep, "seed", [3, 4, 1], seed=-1),
    bad(deep.initialize_deep, "seed", [3, 4, 1], seed=1.5, error=TypeError),

    bad(deep.layer_forward, "b", np.ones((3, 5)), np.ones((4, 3)), np.zeros(5)),
    bad(deep.layer_forward, "b", np.ones((3, 5)), np.ones((4, 3)), np.zeros((4, 5))),
    bad(deep.layer_forward, "W", np.ones((3, 5)), np.ones((4, 2)), np.zeros((4, 1))),
    bad(deep.layer_forward, "A_prev", np.ones(3), np.ones((4, 3)), np.zeros((4, 1))),
    bad(deep.layer_forward, "A_prev", np.full((3, 5), np.nan), np.ones((4, 3)), np.zeros((4, 1))),
    bad(deep.layer_forward, "A_prev", np.ones((3, 0)), np.ones((4, 3)), np.zeros((4, 1))),
    bad(deep.layer_forward, "W", np.ones((3, 5)), np.full((4, 3), np.inf), np.zeros((4, 1))),
    bad(deep.layer_forward, "activation", np.ones((3, 5)), np.ones((4, 3)), np.zeros((4, 1)), "softplus"),

    bad(deep.layer_backward, "dA", np.ones((4, 4)), _CACHE),
    bad(deep.layer_backward, "dA", np.full((4, 5), np.nan), _CACHE),
    bad(deep.layer_backward, "cache", np.ones((4, 5)), _CACHE[:3], error=TypeError),
    bad(deep.layer_backward, "cache", np.ones((4, 5)), (*_CACHE[:3], "softplus"), error=TypeError),
    bad(deep.layer_backward, "cache", np.ones((4, 5)), (_CACHE[0], _CACHE[1].T, _CACHE[2], "relu")),

    bad(deep.deep_forward, "X", np.zeros((2, 5)), _P),
    bad(deep.deep_forward, "X", np.full((3, 5), np.nan), _P),
    bad(deep.deep_forward, "activation", _X, _P, "softplus"),
    bad(deep.deep_forward, "output_activation", _X, _P, output_activation="softmax"),
    bad(deep.deep_forward, "parameters", _X, {}),
    bad(deep.deep_forward, "parameters", _X, _with(b1=np.zeros(4))),
    bad(deep.deep_forward, "parameters", _X, _with(W2=np.zeros((1, 3)))),
    bad(deep.deep_forward, "parameters", _X, {"W1": _P["W1"], "W2": _P["W2"], "b2": _P["b2"]}),
    bad(deep.deep_forward, "parameters", _X, [_P["W1"]], error=TypeError),

    bad(deep.deep_backward, "dAL", np.ones((1, 4)), _CACHES),
    bad(deep.deep_backward, "dAL", np.full((1, 5), np.inf), _CACHES),
    bad(deep.deep_backward, "caches", np.ones((1, 5)), [], error=TypeError),
    bad(deep.deep_backward, "caches", np.ones((1, 5)), [_CACHES[0], ("A", "W")], error=TypeError),
    bad(deep.deep_backward, "caches", np.ones((1, 5)), [_CACHES[1], _CACHES[1]]),

    bad(deep.deep_cost, "AL", np.array([[1.5, -0.5]]), np.array([[1.0, 0.0]])),
    bad(deep.deep_cost, "AL", np.array([[np.nan, 0.5]]), np.array([[1.0, 0.0]])),
    bad(deep.deep_cost, "AL", np.zeros((1, 0)), np.zeros((1, 0))),
    bad(deep.deep_cost, "Y", np.array([[0.5, 0.5]]), np.array([[1.0, 0.5]])),
    bad(deep.deep_cost, "Y", np.array([[0.5, 0.5]]), np.array([[1.0, 0.0, 1.0]])),

    bad(deep.deep_model, "layer_dims", _X, _Y, [2, 4, 1], 1),
    bad(deep.deep_model, "layer_dims", _X, _Y, [3, 4, 2], 1),
    bad(deep.deep_model, "Y", _X, np.full((1, 5), 0.5), [3, 4, 1], 1),
    bad(deep.deep_model, "Y", _X, np.zeros((1, 4)), [3, 4, 1], 1),
    bad(deep.deep_model, "X", np.full((3, 5), np.nan), _Y, [3, 4, 1], 1),
    bad(deep.deep_model, "learning_rate", _X, _Y, [3, 4, 1], 1, learning_rate=0.0),
    bad(deep.deep_model, "num_iterations", _X, _Y, [3, 4, 1], -1),
    bad(deep.deep_model, "num_iterations", _X, _Y, [3, 4, 1], 2.5, error=TypeError),
    bad(deep.deep_model, "record_every", _X, _Y, [3, 4, 1], 1, record_every=0),
    bad(deep.deep_model, "seed", _X, _Y, [3, 4, 1], 1, seed=-3),
    bad(deep.deep_model, "init", _X, _Y, [3, 4, 1], 1, init="glorot"),
    bad(deep.deep_model, "activation", _X, _Y, [3, 4, 1], 1, activation="rleu"),

    bad(deep.deep_predict, "X", _P, np.zeros((4, 5))),
    bad(deep.deep_predict, "X", _P, np.array([[np.inf] * 5] * 3)),
    bad(deep.deep_predict, "parameters", {"W1": _P["W1"]}, _X),
    bad(deep.deep_predict, "activation", _P, _X, "swish"),

    bad(deep.hidden_preactivations, "X", np.zeros((2, 5)), _P),
    bad(deep.hidden_preactivations, "parameters", _X, _with(W1=np.full((4, 3), np.nan))),
    bad(deep.hidden_preactivations, "activation", _X, _P, "Relu"),

    bad(deep.active_fraction, "X", np.zeros(3), _P),
    bad(deep.active_fraction, "X", np.zeros((3, 0)), _P),
    bad(deep.active_fraction, "parameters", _X, _with(b1=np.zeros((3, 1)))),

    bad(deep.active_path_fraction, "X", np.zeros((5, 3)), _P),
    bad(deep.active_path_fraction, "X", [["a"] * 5] * 3, _P, error=TypeError),
    bad(deep.active_path_fraction, "parameters", _X, {"b1": _P["b1"]}),

    bad(deep.dead_fraction, "X", np.full((3, 5), np.nan), _P),
    bad(deep.dead_fraction, "parameters", _X, _with(W2=np.zeros((1, 4, 1)))),
    bad(deep.dead_fraction, "parameters", _X, None, error=TypeError),

    bad(deep.collapse_linear, "parameters", {}),
    bad(deep.collapse_linear, "parameters", _with(W2=np.zeros((1, 5)))),
    bad(deep.collapse_linear, "parameters", _with(b2=np.array([[np.nan]]))),

    bad(deep.tent_map, "x", [0.5, 1.5]),
    bad(deep.tent_map, "x", np.nan),
    bad(deep.tent_map, "k", 0.5, -1),
    bad(deep.tent_map, "k", 0.5, 1.0, error=TypeError),

    bad(deep.tent_map_network, "k", 0),
    bad(deep.tent_map_network, "k", 2.0, error=TypeError),
    bad(deep.tent_map_network, "k", True, error=TypeError),

    bad(deep.interpolating_network, "knots", [0.0], [1.0]),
    bad(deep.interpolating_network, "knots", [0.0, 0.5, 0.5], [1.0, 2.0, 3.0]),
    bad(deep.interpolating_network, "knots", [[0.0, 1.0]], [1.0, 2.0]),
    bad(deep.interpolating_network, "values", [0.0, 1.0], [1.0, 2.0, 3.0]),
    bad(deep.interpolating_network, "values", [0.0, 1.0], [1.0, np.inf]),

    bad(deep.linear_pieces, "parameters", _P),                           # three inputs, not one
    bad(deep.linear_pieces, "parameters", deep.initialize_deep([1, 3, 2])),
    bad(deep.linear_pieces, "parameters", {}),
    bad(deep.linear_pieces, "high", deep.tent_map_network(2), 1.0, 0.0),
    bad(deep.linear_pieces, "low", deep.tent_map_network(2), np.nan, 1.0),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


def test_an_unknown_activation_is_refused_with_the_valid_names():
    with pytest.raises(ValueError, match="activation") as info:
        deep.layer_forward(np.ones((3, 5)), np.ones((4, 3)), np.zeros((4, 1)), "softplus")
    for name in ("sigmoid", "tanh", "relu", "leaky_relu", "linear"):
        assert name in str(info.value)
