"""Tests for lib.initialization: per-layer statistics, training from given parameters,
input normalisation (fit on training data, apply anywhere, fold into the first layer), the
two-feature cost grid, and bad input refused by name."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.initialization as ini
from contract import assert_refused, bad
from lib import deep, losses
from lib.data import make_flower

SEEDS = st.integers(0, 2**32 - 1)

LAYERS = []      # no forward/backward pair: the network's layers are lib.deep's


def _net(seed=0, dims=(3, 5, 4, 1), init="xavier", bias_std=0.3, m=7):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((dims[-1], m)) > 0.5).astype(float)
    return X, Y, deep.initialize_deep(list(dims), seed=seed, init=init, bias_std=bias_std)


# --------------------------------------------------------------------- layer_statistics
def test_statistics_match_a_hand_written_pass():
    X, Y, p = _net(seed=3)
    stats = ini.layer_statistics(X, Y, p, "tanh")
    A1 = np.tanh(p["W1"] @ X + p["b1"])
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = np.tanh(Z2)
    Z3 = p["W3"] @ A2 + p["b3"]
    A3 = 1 / (1 + np.exp(-Z3))
    dZ3 = (A3 - Y) / X.shape[1]
    dZ2 = (p["W3"].T @ dZ3) * (1 - A2**2)
    dZ1 = (p["W2"].T @ dZ2) * (1 - A1**2)
    np.testing.assert_allclose(stats["A_mean"], [A1.mean(), A2.mean(), A3.mean()], rtol=1e-12)
    np.testing.assert_allclose(stats["A_std"], [A1.std(), A2.std(), A3.std()], rtol=1e-12)
    np.testing.assert_allclose(stats["Z_std"][1:], [Z2.std(), Z3.std()], rtol=1e-12)
    np.testing.assert_allclose(stats["dZ_std"], [dZ1.std(), dZ2.std(), dZ3.std()], rtol=1e-12)
    np.testing.assert_allclose(stats["dW_std"], [(dZ1 @ X.T).std(), (dZ2 @ A1.T).std(), (dZ3 @ A2.T).std()],
                               rtol=1e-12)
    assert set(stats) == set(ini.STATISTICS)


@settings(max_examples=15, deadline=None)
@given(SEEDS, st.sampled_from(["relu", "tanh", "sigmoid", "leaky_relu"]))
def test_dW_statistics_are_those_of_deep_backward(seed, activation):
    X, Y, p = _net(seed=seed % 1000)
    ZL, caches = deep.deep_forward(X, p, activation, "linear")
    grads = deep.deep_backward(losses.sigmoid_cross_entropy(ZL, Y)[1], caches)
    stats = ini.layer_statistics(X, Y, p, activation)
    np.testing.assert_allclose(stats["dW_std"], [grads[f"dW{l}"].std() for l in (1, 2, 3)], rtol=1e-10)


def test_he_keeps_relu_activations_level_and_small_makes_them_vanish():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 400))
    Y = (rng.random((1, 400)) > 0.5).astype(float)
    dims = [200] * 9 + [1]
    he = ini.layer_statistics(X, Y, deep.initialize_deep(dims, seed=1, init="he"), "relu")["Z_std"][:-1]
    small = ini.layer_statistics(X, Y, deep.initialize_deep(dims, seed=1, init="small"), "relu")["Z_std"][:-1]
    assert 0.6 < he[-1] / he[0] < 1.6                    # Var(z) = n · (2/n) · E[a²] = Var(z_prev): level
    # each layer multiplies the spread by 0.01·sqrt(n/2) = 0.1
    np.testing.assert_allclose(small[1:] / small[:-1], 0.1, rtol=0.15)


def test_zero_weights_give_zero_hidden_activations_and_gradients():
    X, Y, p = _net(init="zeros", bias_std=0.0)
    stats = ini.layer_statistics(X, Y, p, "tanh")
    assert np.all(stats["A_std"][:-1] == 0) and np.all(stats["dZ_std"][:-1] == 0)
    assert np.all(stats["dW_std"] == 0)


def test_statistics_keep_float32_and_stay_finite_for_exploding_activations():
    X, Y, p = _net(dims=(3, 50, 50, 50, 50, 1), init=3.0, bias_std=0.0)
    stats = ini.layer_statistics(X.astype(np.float32), Y, {k: v.astype(np.float32) for k, v in p.items()}, "relu")
    assert all(v.dtype == np.float32 and v.shape == (5,) and np.all(np.isfinite(v)) for v in stats.values())
    assert stats["A_std"][3] > 100 * stats["A_std"][0]


# --------------------------------------------------------------------- normalisation
@settings(max_examples=25, deadline=None)
@given(SEEDS)
def test_normalised_training_set_has_mean_0_and_std_1(seed):
    rng = np.random.default_rng(seed)
    n_x, m = rng.integers(1, 6), rng.integers(2, 50)
    X = rng.standard_normal((n_x, m)) * 10.0 ** rng.uniform(-3, 3, (n_x, 1)) + rng.uniform(-100, 100, (n_x, 1))
    mu, sigma = ini.fit_normalization(X)
    assert mu.shape == sigma.shape == (n_x, 1)
    np.testing.assert_allclose(mu, X.mean(axis=1, keepdims=True), rtol=1e-12, atol=1e-12)
    Xn = ini.apply_normalization(X, mu, sigma)
    np.testing.assert_allclose(Xn.mean(axis=1), 0, atol=1e-9)
    np.testing.assert_allclose(Xn.std(axis=1), 1, rtol=1e-9)


def test_hand_computed_statistics_and_the_same_map_for_other_data():
    X = np.array([[1.0, 3.0, 5.0, 7.0], [10.0, 10.0, 30.0, 30.0]])
    mu, sigma = ini.fit_normalization(X)
    np.testing.assert_allclose(mu, [[4.0], [20.0]])
    np.testing.assert_allclose(sigma, [[np.sqrt(5.0)], [10.0]])
    test = np.array([[4.0], [40.0]])                      # one new example, mapped with the training numbers
    np.testing.assert_allclose(ini.apply_normalization(test, mu, sigma), [[0.0], [2.0]])


def test_constant_feature_gets_sigma_1_and_maps_to_0():
    X = np.array([[0.1, 0.1, 0.1], [1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], dtype=np.float32)
    mu, sigma = ini.fit_normalization(X)
    assert sigma[0, 0] == 1 and sigma[2, 0] == 1 and mu.dtype == sigma.dtype == np.float32
    Xn = ini.apply_normalization(X, mu, sigma)
    assert Xn.dtype == np.float32 and np.all(Xn[[0, 2]] == 0)


def test_huge_and_tiny_features_stay_finite():
    X = np.array([[1e200, -1e200, 3e200], [1e-300, 2e-300, 4e-300]])
    mu, sigma = ini.fit_normalization(X)
    Xn = ini.apply_normalization(X, mu, sigma)
    assert np.all(np.isfinite(Xn)) and np.allclose(Xn.std(axis=1), 1)


@settings(max_examples=25, deadline=None)
@given(SEEDS)
def test_folded_layer_on_raw_inputs_equals_the_layer_on_normalised_inputs(seed):
    rng = np.random.default_rng(seed)
    n_x, n_1 = rng.integers(1, 5), rng.integers(1, 4)
    X = rng.standard_normal((n_x, 9)) * rng.uniform(0.1, 50, (n_x, 1)) + rng.uniform(-20, 20, (n_x, 1))
    mu, sigma = ini.fit_normalization(X)
    W, b = rng.standard_normal((n_1, n_x)), rng.standard_normal((n_1, 1))
    W_raw, b_raw = ini.fold_normalization(W, b, mu, sigma)
    np.testing.assert_allclose(W_raw @ X + b_raw, W @ ini.apply_normalization(X, mu, sigma) + b,
                               rtol=1e-9, atol=1e-9)


# --------------------------------------------------------------------- cost grid
def test_cost_grid_matches_the_cost_at_each_point():
    X, Y = make_flower(30, seed=3)
    w1, w2 = np.array([-1.0, 0.0, 2.0]), np.array([0.5, 3.0])
    J = ini.logistic_cost_grid(X, Y, w1, w2, b=0.2)
    assert J.shape == (2, 3)
    for j, b2 in enumerate(w2):
        for i, b1 in enumerate(w1):
            assert J[j, i] == pytest.approx(losses.cost_with_logits(b1 * X[:1] + b2 * X[1:] + 0.2, Y), rel=1e-12)
    assert J[0, 1] != J[1, 1]
    J32 = ini.logistic_cost_grid(X.astype(np.float32), Y, w1.astype(np.float32), w2.astype(np.float32), 1000.0)
    assert J32.dtype == np.float32 and np.all(np.isfinite(J32))


# --------------------------------------------------------------------- bad input
_X, _Y, _P = _net()
_MU, _SIGMA = ini.fit_normalization(_X)

BAD_INPUTS = [
    bad(ini.layer_statistics, "X", _X.T, _Y, _P),
    bad(ini.layer_statistics, "X", np.full_like(_X, np.nan), _Y, _P),
    bad(ini.layer_statistics, "Y", _X, _Y[:, :3], _P),
    bad(ini.layer_statistics, "Y", _X, _Y + 2, _P),
    bad(ini.layer_statistics, "parameters", _X, _Y, {"W1": _P["W1"]}),
    bad(ini.layer_statistics, "activation", _X, _Y, _P, "swish"),
    bad(ini.fit_normalization, "X", _X[:, :1]),
    bad(ini.fit_normalization, "X", _X[0]),
    bad(ini.fit_normalization, "X", np.array([[1.0, np.inf]])),
    bad(ini.fit_normalization, "X", "abc", error=TypeError),
    bad(ini.apply_normalization, "mu", _X, _MU[:2], _SIGMA),
    bad(ini.apply_normalization, "sigma", _X, _MU, np.zeros_like(_SIGMA)),
    bad(ini.apply_normalization, "sigma", _X, _MU, _SIGMA.ravel()),
    bad(ini.apply_normalization, "X", _X[0], _MU, _SIGMA),
    bad(ini.apply_normalization, "X", np.full((3, 2), 1e308), -np.full((3, 1), 1e308), np.full((3, 1), 1e-300)),
    bad(ini.fold_normalization, "b", np.ones((2, 3)), np.ones((3, 1)), _MU, _SIGMA),
    bad(ini.fold_normalization, "mu", np.ones((2, 3)), np.ones((2, 1)), _MU[:2], _SIGMA),
    bad(ini.fold_normalization, "sigma", np.ones((2, 3)), np.ones((2, 1)), _MU, -_SIGMA),
    bad(ini.fold_normalization, "W", np.ones(3), np.ones((1, 1)), _MU, _SIGMA),
    bad(ini.logistic_cost_grid, "X", _X, _Y, [0.0], [0.0]),
    bad(ini.logistic_cost_grid, "Y", _X[:2], _Y[:, :2], [0.0], [0.0]),
    bad(ini.logistic_cost_grid, "w1_values", _X[:2], _Y, [[0.0]], [0.0]),
    bad(ini.logistic_cost_grid, "w2_values", _X[:2], _Y, [0.0], [np.nan]),
    bad(ini.logistic_cost_grid, "b", _X[:2], _Y, [0.0], [0.0], np.inf),
    bad(ini.logistic_cost_grid, "b", _X[:2], _Y, [0.0], [0.0], "0", error=TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
