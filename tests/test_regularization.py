"""Tests for lib.regularization: inverted dropout (its expectation, its mask, its gradient with the
mask fixed), the L2 term and its gradient, the network with dropout, and the training function
(weight decay, early stopping, agreement with lib.deep when nothing regularises)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.regularization as reg
from contract import Layer, assert_refused, bad
from lib import deep, losses
from lib.data import make_flower
from lib.gradcheck import gradient_check

RTOL = 1e-7


# --------------------------------------------------------------------- the contract
def _dropout_args(keep_prob):
    def make_args(rng, dtype):
        return {"A": rng.standard_normal((4, 6)).astype(dtype), "keep_prob": keep_prob, "seed": 3}
    return make_args


def _network_args(rng, dtype):
    parameters = deep.initialize_deep([3, 5, 4, 1], seed=int(rng.integers(1000)), init="xavier", bias_std=0.5)
    return {"X": rng.standard_normal((3, 6)).astype(dtype),
            "parameters": {k: v.astype(dtype) for k, v in parameters.items()},
            "keep_prob": 0.6, "seed": 5, "activation": "tanh"}


LAYERS = [Layer(reg.dropout_forward, reg.dropout_backward, _dropout_args(p), ("A",), name=f"dropout_forward[{p}]")
          for p in (0.5, 0.8, 1.0)]
LAYERS.append(Layer(reg.dropout_network_forward, reg.dropout_network_backward, _network_args, ("X", "parameters")))


# --------------------------------------------------------------------- dropout
def test_keep_prob_one_keeps_everything_unchanged():
    A = np.random.default_rng(0).standard_normal((5, 7))
    out, (D, p) = reg.dropout_forward(A, 1.0, seed=0)
    assert D.all() and p == 1.0
    assert np.array_equal(out, A)


def test_dropped_units_are_zero_and_kept_ones_are_scaled_by_one_over_keep_prob():
    A = np.random.default_rng(1).standard_normal((20, 30)) + 3.0
    out, (D, _) = reg.dropout_forward(A, 0.8, seed=2)
    assert np.all(out[~D] == 0)
    assert np.allclose(out[D], A[D] / 0.8)


def test_inverted_dropout_keeps_the_expectation():
    """E[D A / p] = A: averaged over a million units of value 1, the output's mean is 1 (4 standard errors)."""
    p = 0.7
    out, (D, _) = reg.dropout_forward(np.ones((1000, 1000)), p, seed=0)
    standard_error = np.sqrt(p * (1 - p) / D.size) / p
    assert abs(out.mean() - 1.0) < 4 * standard_error
    assert abs(D.mean() - p) < 4 * np.sqrt(p * (1 - p) / D.size)


def test_a_fixed_seed_gives_a_fixed_mask_and_a_generator_a_new_one_each_call():
    A = np.ones((6, 8))
    assert np.array_equal(reg.dropout_forward(A, 0.5, seed=4)[1][0], reg.dropout_forward(A, 0.5, seed=4)[1][0])
    rng = np.random.default_rng(4)
    first, second = (reg.dropout_forward(A, 0.5, seed=rng)[1][0] for _ in range(2))
    assert not np.array_equal(first, second)


def test_backward_passes_no_gradient_through_a_dropped_unit():
    A = np.random.default_rng(3).standard_normal((6, 9))
    _, cache = reg.dropout_forward(A, 0.5, seed=1)
    dA = reg.dropout_backward(np.ones_like(A), cache)["dA"]
    assert np.all(dA[~cache[0]] == 0) and np.allclose(dA[cache[0]], 2.0)


def test_dropout_works_on_images_and_keeps_float32():
    images = np.random.default_rng(0).random((2, 5, 5, 3)).astype(np.float32)
    out, cache = reg.dropout_forward(images, 0.9, seed=0)
    assert out.shape == images.shape and out.dtype == np.float32
    assert reg.dropout_backward(out, cache)["dA"].dtype == np.float32


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), keep_prob=st.floats(0.05, 1.0))
def test_dropout_is_the_mask_times_a_over_keep_prob(seed, keep_prob):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((int(rng.integers(1, 6)), int(rng.integers(1, 6))))
    out, (D, p) = reg.dropout_forward(A, keep_prob, seed=seed)
    assert np.allclose(out, A * D / p)
    dout = rng.standard_normal(A.shape)
    assert np.allclose(reg.dropout_backward(dout, (D, p))["dA"], dout * D / p)


def test_extreme_activations_stay_finite():
    out, cache = reg.dropout_forward(np.full((3, 3), 1e300), 0.999, seed=0)
    assert np.all(np.isfinite(out))
    assert np.all(np.isfinite(reg.dropout_backward(np.full((3, 3), 1e300), cache)["dA"]))


# --------------------------------------------------------------------- the L2 term
def test_l2_cost_by_hand_and_biases_are_not_penalised():
    parameters = {"W1": np.array([[1.0, 2.0], [3.0, 4.0]]), "b1": np.array([[100.0], [100.0]]),
                  "W2": np.array([[1.0, 0.0]]), "b2": np.array([[7.0]])}
    # (λ / 2m) (1 + 4 + 9 + 16 + 1) = (2 / 8) · 31
    assert reg.l2_cost(parameters, lambd=2.0, m=4) == pytest.approx(7.75)
    assert reg.l2_cost(parameters, lambd=0.0, m=4) == 0.0


def test_add_l2_gradient_is_the_gradient_of_l2_cost_and_leaves_its_input_alone():
    rng = np.random.default_rng(0)
    parameters = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1)),
                  "W2": rng.standard_normal((1, 3)), "b2": rng.standard_normal((1, 1))}
    zeros = {"d" + k: np.zeros_like(v) for k, v in parameters.items()}
    grads = reg.add_l2_gradient(zeros, parameters, lambd=0.7, m=5)
    assert all(np.all(g == 0) for g in zeros.values())
    assert np.allclose(grads["dW1"], 0.7 / 5 * parameters["W1"]) and np.all(grads["db1"] == 0)
    errors = gradient_check(lambda: reg.l2_cost(parameters, 0.7, 5), parameters,
                            {k: grads["d" + k] for k in ("W1", "W2")})
    assert max(errors.values()) < RTOL


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_l2_cost_is_linear_in_lambda_and_inverse_in_m(seed):
    rng = np.random.default_rng(seed)
    parameters = {"W1": rng.standard_normal((4, 3)), "b1": rng.standard_normal((4, 1))}
    base = reg.l2_cost(parameters, 1.0, 1)
    assert base >= 0
    assert reg.l2_cost(parameters, 3.0, 6) == pytest.approx(base * 3.0 / 6)


def test_l2_keeps_float32():
    parameters = {"W1": np.ones((2, 2), np.float32), "b1": np.zeros((2, 1), np.float32)}
    grads = reg.add_l2_gradient({"dW1": np.ones((2, 2), np.float32), "db1": np.zeros((2, 1), np.float32)},
                                parameters, 0.5, 2)
    assert grads["dW1"].dtype == np.float32 and np.allclose(grads["dW1"], 1.25)


# --------------------------------------------------------------------- the whole regularised cost
def test_the_regularised_cost_with_dropout_passes_the_gradient_check_with_the_mask_fixed():
    """J = cross-entropy(σ(Z^[L])) + (λ/2m) Σ ||W||², through dropout with a fixed seed: one 1/m, from the loss."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 7))
    Y = (rng.random((1, 7)) > 0.5).astype(float)
    parameters = deep.initialize_deep([2, 6, 5, 1], seed=1, init="xavier", bias_std=0.5)
    lambd, m = 0.4, X.shape[1]

    def cost():
        ZL, _ = reg.dropout_network_forward(X, parameters, keep_prob=0.7, seed=11, activation="tanh")
        weights = {k: v for k, v in parameters.items() if k.startswith("W")}
        return losses.sigmoid_cross_entropy(ZL, Y)[0] + reg.l2_cost(weights, lambd, m)

    ZL, caches = reg.dropout_network_forward(X, parameters, keep_prob=0.7, seed=11, activation="tanh")
    _, dZL = losses.sigmoid_cross_entropy(ZL, Y)
    grads = reg.dropout_network_backward(dZL, caches)
    grads = reg.add_l2_gradient(grads, {k: v for k, v in parameters.items() if k.startswith("W")}, lambd, m)
    errors = gradient_check(cost, parameters, {k: grads["d" + k] for k in parameters})
    assert max(errors.values()) < RTOL, errors


def test_with_keep_prob_one_the_network_is_lib_deep():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((3, 5))
    parameters = deep.initialize_deep([3, 4, 2], seed=0, bias_std=0.3)
    ZL, caches = reg.dropout_network_forward(X, parameters, keep_prob=1.0)
    ZL_deep, caches_deep = deep.deep_forward(X, parameters, "relu", "linear")
    assert np.array_equal(ZL, ZL_deep)
    dZ = rng.standard_normal(ZL.shape)
    ours, theirs = reg.dropout_network_backward(dZ, caches), deep.deep_backward(dZ, caches_deep)
    assert all(np.allclose(ours[k], theirs[k]) for k in theirs)


# --------------------------------------------------------------------- training
@pytest.fixture(scope="module")
def flower():
    X, Y = make_flower(400, noise=0.3, seed=1)
    return X[:, ::5], Y[:, ::5], X[:, 1::2], Y[:, 1::2]         # 80 to train on, 200 for dev


def test_without_regularisation_training_is_lib_deep_deep_model(flower):
    X, Y, _, _ = flower
    ours, _ = reg.train_regularized(X, Y, [2, 8, 1], num_iterations=50, learning_rate=0.5, seed=3)
    theirs, _ = deep.deep_model(X, Y, [2, 8, 1], num_iterations=50, learning_rate=0.5, seed=3)
    assert all(np.allclose(ours[k], theirs[k]) for k in theirs)


def test_one_step_of_weight_decay_by_hand(flower):
    X, Y, _, _ = flower
    lambd, alpha, m = 2.0, 0.3, X.shape[1]
    trained, _ = reg.train_regularized(X, Y, [2, 4, 1], num_iterations=1, learning_rate=alpha, lambd=lambd, seed=0)
    start = deep.initialize_deep([2, 4, 1], seed=0)
    ZL, caches = deep.deep_forward(X, start, "relu", "linear")
    grads = deep.deep_backward(losses.sigmoid_cross_entropy(ZL, Y)[1], caches)
    for l in (1, 2):
        W = start[f"W{l}"]
        assert np.allclose(trained[f"W{l}"], (1 - alpha * lambd / m) * W - alpha * grads[f"dW{l}"])
        assert np.allclose(trained[f"b{l}"], start[f"b{l}"] - alpha * grads[f"db{l}"])


def test_l2_shrinks_the_weights(flower):
    X, Y, _, _ = flower
    norms = []
    for lambd in (0.0, 1.0, 10.0):
        p, _ = reg.train_regularized(X, Y, [2, 20, 1], num_iterations=300, learning_rate=0.5, lambd=lambd,
                                     activation="tanh", init="xavier", seed=1)
        norms.append(sum(np.sum(p[k] ** 2) for k in p if k.startswith("W")))
    assert norms[0] > norms[1] > norms[2]


def test_early_stopping_returns_the_parameters_of_the_best_dev_cost(flower):
    X, Y, X_dev, Y_dev = flower
    p, history = reg.train_regularized(X, Y, [2, 50, 1], num_iterations=3000, learning_rate=1.0,
                                       X_dev=X_dev, Y_dev=Y_dev, patience=3, activation="tanh", init="xavier",
                                       seed=3, record_every=100)
    best = int(np.argmin(history["dev_cost"]))
    assert history["best_iteration"] == history["iteration"][best]
    assert history["stopped_at"] == history["best_iteration"] + 3 * 100 < 3000
    AL, _ = deep.deep_forward(X_dev, p, "tanh", "sigmoid")
    assert deep.deep_cost(AL, Y_dev) == pytest.approx(min(history["dev_cost"]))


def test_without_patience_every_step_runs_and_the_history_is_complete(flower):
    X, Y, X_dev, Y_dev = flower
    _, history = reg.train_regularized(X, Y, [2, 5, 1], num_iterations=250, learning_rate=0.5, X_dev=X_dev,
                                       Y_dev=Y_dev, keep_prob=0.8, lambd=0.1, record_every=100)
    assert history["iteration"] == [0, 100, 200, 250]
    assert len(history["train_cost"]) == len(history["dev_cost"]) == 4
    assert history["stopped_at"] == history["best_iteration"] == 250


def test_training_keeps_float32(flower):
    X, Y, X_dev, Y_dev = flower
    p, history = reg.train_regularized(X.astype(np.float32), Y.astype(np.float32), [2, 5, 1], num_iterations=20,
                                       keep_prob=0.5, lambd=0.5, X_dev=X_dev.astype(np.float32),
                                       Y_dev=Y_dev.astype(np.float32), record_every=10)
    assert all(v.dtype == np.float32 for v in p.values())
    assert all(np.isfinite(history["train_cost"]))


# --------------------------------------------------------------------- bad input
_P = {"W1": np.ones((3, 2)), "b1": np.zeros((3, 1)), "W2": np.ones((1, 3)), "b2": np.zeros((1, 1))}
_G = {"dW1": np.ones((3, 2)), "db1": np.zeros((3, 1)), "dW2": np.ones((1, 3)), "db2": np.zeros((1, 1))}
_X, _Y = np.ones((2, 4)), np.array([[0.0, 1.0, 1.0, 0.0]])
_ZL, _CACHES = reg.dropout_network_forward(_X, _P, 0.5, seed=0)
_A_CACHE = reg.dropout_forward(np.ones((2, 3)), 0.5, seed=0)[1]

BAD_INPUTS = [
    bad(reg.dropout_forward, "keep_prob", np.ones((2, 3)), 0.0),
    bad(reg.dropout_forward, "keep_prob", np.ones((2, 3)), 1.5),
    bad(reg.dropout_forward, "keep_prob", np.ones((2, 3)), -0.2),
    bad(reg.dropout_forward, "keep_prob", np.ones((2, 3)), "0.5", error=TypeError),
    bad(reg.dropout_forward, "A", np.array([[1.0, np.nan]]), 0.5),
    bad(reg.dropout_forward, "A", np.ones((0, 3)), 0.5),
    bad(reg.dropout_forward, "seed", np.ones((2, 3)), 0.5, seed=-1),

    bad(reg.dropout_backward, "dout", np.ones((3, 2)), _A_CACHE),
    bad(reg.dropout_backward, "dout", np.full((2, 3), np.inf), _A_CACHE),
    bad(reg.dropout_backward, "cache", np.ones((2, 3)), (np.ones((2, 3)), 0.5), error=TypeError),
    bad(reg.dropout_backward, "keep_prob", np.ones((2, 3)), (_A_CACHE[0], 2.0)),

    bad(reg.l2_cost, "lambd", _P, -1.0, 10),
    bad(reg.l2_cost, "lambd", _P, np.nan, 10),
    bad(reg.l2_cost, "m", _P, 0.1, 0),
    bad(reg.l2_cost, "m", _P, 0.1, 2.5, error=TypeError),
    bad(reg.l2_cost, "parameters", {"b1": np.zeros((3, 1))}, 0.1, 10),
    bad(reg.l2_cost, "parameters", [np.ones((2, 2))], 0.1, 10, error=TypeError),
    bad(reg.l2_cost, "parameters['W1']", {"W1": np.array([[np.nan]])}, 0.1, 10),

    bad(reg.add_l2_gradient, "grads", {"db1": np.zeros((3, 1))}, _P, 0.1, 4),
    bad(reg.add_l2_gradient, "grads['dW1']", {**_G, "dW1": np.ones((2, 3))}, _P, 0.1, 4),
    bad(reg.add_l2_gradient, "grads", None, _P, 0.1, 4, error=TypeError),
    bad(reg.add_l2_gradient, "lambd", _G, _P, -0.5, 4),
    bad(reg.add_l2_gradient, "m", _G, _P, 0.5, -4),

    bad(reg.dropout_network_forward, "X", np.ones((3, 4)), _P),
    bad(reg.dropout_network_forward, "X", np.ones(4), _P),
    bad(reg.dropout_network_forward, "keep_prob", _X, _P, keep_prob=0.0),
    bad(reg.dropout_network_forward, "parameters", _X, {"b1": np.zeros((3, 1))}),
    bad(reg.dropout_network_forward, "parameters['b2']", _X, {**_P, "b2": np.zeros((2, 1))}),
    bad(reg.dropout_network_forward, "activation", _X, _P, activation="softplus"),

    bad(reg.dropout_network_backward, "dZL", np.ones((2, 4)), _CACHES),
    bad(reg.dropout_network_backward, "dZL", np.full((1, 4), np.nan), _CACHES),
    bad(reg.dropout_network_backward, "caches", _ZL, "not caches", error=TypeError),
    bad(reg.dropout_network_backward, "caches", _ZL, [], error=TypeError),
    bad(reg.dropout_network_backward, "caches", _ZL, [(1, None)], error=TypeError),

    bad(reg.train_regularized, "keep_prob", _X, _Y, [2, 3, 1], keep_prob=0.0),
    bad(reg.train_regularized, "keep_prob", _X, _Y, [2, 3, 1], keep_prob=1.01),
    bad(reg.train_regularized, "lambd", _X, _Y, [2, 3, 1], lambd=-0.1),
    bad(reg.train_regularized, "Y", _X, np.array([[0.0, 2.0, 1.0, 0.0]]), [2, 3, 1]),
    bad(reg.train_regularized, "Y", _X, np.ones((1, 5)), [2, 3, 1]),
    bad(reg.train_regularized, "layer_dims", _X, _Y, [3, 3, 1]),
    bad(reg.train_regularized, "patience", _X, _Y, [2, 3, 1], patience=3),
    bad(reg.train_regularized, "patience", _X, _Y, [2, 3, 1], X_dev=_X, Y_dev=_Y, patience=0),
    bad(reg.train_regularized, "X_dev", _X, _Y, [2, 3, 1], X_dev=_X),
    bad(reg.train_regularized, "X_dev", _X, _Y, [2, 3, 1], X_dev=np.ones((3, 4)), Y_dev=_Y),
    bad(reg.train_regularized, "Y_dev", _X, _Y, [2, 3, 1], X_dev=_X, Y_dev=np.ones((1, 3))),
    bad(reg.train_regularized, "learning_rate", _X, _Y, [2, 3, 1], learning_rate=0),
    bad(reg.train_regularized, "num_iterations", _X, _Y, [2, 3, 1], num_iterations=-1),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
