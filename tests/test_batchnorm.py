"""Tests for lib.batchnorm: the layer contract (train and test mode, and the whole network),
hand-computed values, the identity γ = σ, β = μ, the running statistics, training, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.batchnorm as bn
from contract import Layer, assert_refused, bad
from lib.data import make_moons
from lib.gradcheck import gradient_check
from lib.losses import sigmoid_cross_entropy


# --------------------------------------------------------------------- the contract
def _bn_args(mode):
    def make_args(rng, dtype):
        n, m = 4, 6
        args = {"Z": (3 * rng.standard_normal((n, m)) + 1).astype(dtype),
                "gamma": rng.standard_normal((n, 1)).astype(dtype),
                "beta": rng.standard_normal((n, 1)).astype(dtype), "mode": mode}
        if mode == "test":
            args["running"] = {"mean": rng.standard_normal((n, 1)).astype(dtype),
                               "var": (rng.random((n, 1)) + 0.5).astype(dtype)}
        return args
    return make_args


def _network_args(mode, batch_norm=True):
    def make_args(rng, dtype):
        parameters = bn.initialize_bn_network([3, 5, 4, 2], seed=int(rng.integers(1000)), batch_norm=batch_norm)
        parameters = {k: (v + 0.3 * rng.standard_normal(v.shape)).astype(dtype) for k, v in parameters.items()}
        args = {"X": rng.standard_normal((3, 7)).astype(dtype), "parameters": parameters, "mode": mode,
                "activation": "tanh"}
        if mode == "test":
            args["running"] = {}
            for l, n in ((1, 5), (2, 4)):
                args["running"][f"mean{l}"] = rng.standard_normal((n, 1)).astype(dtype)
                args["running"][f"var{l}"] = (rng.random((n, 1)) + 0.5).astype(dtype)
        return args
    return make_args


LAYERS = [Layer(bn.batchnorm_forward, bn.batchnorm_backward, _bn_args(mode), ("Z", "gamma", "beta"),
                name=f"batchnorm_forward[{mode}]") for mode in bn.MODES]
LAYERS += [Layer(bn.bn_network_forward, bn.bn_network_backward, _network_args(mode), ("X", "parameters"),
                 name=f"bn_network_forward[{mode}]") for mode in bn.MODES]
LAYERS.append(Layer(bn.bn_network_forward, bn.bn_network_backward, _network_args("train", False),
                    ("X", "parameters"), name="bn_network_forward[no BN]"))


# --------------------------------------------------------------------- the layer
def test_hand_computed_values():
    """One unit, batch [1, 3]: μ = 2, σ² = 1, Z_norm = [-1, 1]/√(1 + ε)."""
    out, _ = bn.batchnorm_forward(np.array([[1.0, 3.0]]), np.array([[2.0]]), np.array([[0.5]]), epsilon=1e-5)
    expected = 2.0 * np.array([[-1.0, 1.0]]) / np.sqrt(1 + 1e-5) + 0.5
    np.testing.assert_allclose(out, expected, rtol=1e-14)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 32 - 1))
def test_train_mode_output_has_mean_beta_and_std_gamma(seed):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((5, 30)) * rng.uniform(0.5, 50) + rng.uniform(-100, 100)
    gamma, beta = rng.uniform(0.5, 2, (5, 1)), rng.standard_normal((5, 1))
    out, _ = bn.batchnorm_forward(Z, gamma, beta, epsilon=1e-12)
    np.testing.assert_allclose(out.mean(axis=1, keepdims=True), beta, atol=1e-9)
    np.testing.assert_allclose(out.std(axis=1, keepdims=True), gamma, rtol=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 32 - 1))
def test_gamma_sigma_beta_mu_gives_the_identity(seed):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((3, 8)) * 4 + 2
    eps = 1e-5
    mu, var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
    out, _ = bn.batchnorm_forward(Z, np.sqrt(var + eps), mu, epsilon=eps)
    np.testing.assert_allclose(out, Z, rtol=1e-12, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2 ** 32 - 1))
def test_train_mode_dZ_sums_to_zero_and_is_orthogonal_to_Z_norm(seed):
    """Shifting or scaling a row of Z does not change Z_norm, so dZ is orthogonal to 1 and to Z_norm."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((4, 9))
    out, cache = bn.batchnorm_forward(Z, rng.standard_normal((4, 1)), rng.standard_normal((4, 1)), epsilon=1e-12)
    dZ = bn.batchnorm_backward(rng.standard_normal(out.shape), cache)["dZ"]
    np.testing.assert_allclose(dZ.sum(axis=1), 0, atol=1e-10)
    np.testing.assert_allclose(np.sum(dZ * cache[1], axis=1), 0, atol=1e-8)


def test_running_statistics_first_batch_then_exponential_average():
    rng = np.random.default_rng(0)
    Z1, Z2 = rng.standard_normal((3, 10)), rng.standard_normal((3, 10)) + 5
    g, b, running = np.ones((3, 1)), np.zeros((3, 1)), {}
    bn.batchnorm_forward(Z1, g, b, running=running, momentum=0.8)
    np.testing.assert_allclose(running["mean"], Z1.mean(axis=1, keepdims=True))
    np.testing.assert_allclose(running["var"], Z1.var(axis=1, keepdims=True))
    bn.batchnorm_forward(Z2, g, b, running=running, momentum=0.8)
    np.testing.assert_allclose(running["mean"], 0.8 * Z1.mean(1, keepdims=True) + 0.2 * Z2.mean(1, keepdims=True))
    np.testing.assert_allclose(running["var"], 0.8 * Z1.var(1, keepdims=True) + 0.2 * Z2.var(1, keepdims=True))


def test_test_mode_uses_running_statistics_and_classifies_one_example():
    rng = np.random.default_rng(1)
    Z = rng.standard_normal((3, 20))
    g, b, running = rng.random((3, 1)) + 0.5, rng.standard_normal((3, 1)), {}
    out_train, _ = bn.batchnorm_forward(Z, g, b, running=running)
    out_test, _ = bn.batchnorm_forward(Z, g, b, mode="test", running=running)
    np.testing.assert_allclose(out_test, out_train, rtol=1e-12)          # running = this batch's statistics
    one, _ = bn.batchnorm_forward(Z[:, :1], g, b, mode="test", running=running)
    np.testing.assert_allclose(one, out_train[:, :1], rtol=1e-12)        # each column on its own
    before = {k: v.copy() for k, v in running.items()}
    bn.batchnorm_forward(Z + 10, g, b, mode="test", running=running)
    assert all(np.array_equal(before[k], running[k]) for k in before)    # test mode never writes


def test_float32_kept_with_running_statistics():
    rng = np.random.default_rng(2)
    Z = rng.standard_normal((3, 8)).astype(np.float32)
    g, b, running = np.ones((3, 1), np.float32), np.zeros((3, 1), np.float32), {}
    for _ in range(3):
        out, _ = bn.batchnorm_forward(Z, g, b, running=running)
    assert out.dtype == running["mean"].dtype == running["var"].dtype == np.float32
    out, _ = bn.batchnorm_forward(Z, g, b, mode="test", running={"mean": np.zeros((3, 1)), "var": np.ones((3, 1))})
    assert out.dtype == np.float32


def test_extreme_and_constant_inputs_are_finite():
    rng = np.random.default_rng(3)
    Z = np.vstack([rng.standard_normal((1, 6)) * 1e100, np.full((1, 6), 7.0), rng.standard_normal((1, 6)) * 1e-100])
    out, cache = bn.batchnorm_forward(Z, np.ones((3, 1)), np.zeros((3, 1)))
    grads = bn.batchnorm_backward(np.ones_like(out), cache)
    assert np.all(np.isfinite(out)) and all(np.all(np.isfinite(g)) for g in grads.values())
    np.testing.assert_allclose(out[1], 0)                                # a constant unit gives β
    np.testing.assert_allclose(out[0].std(), 1, rtol=1e-6)


# --------------------------------------------------------------------- the network
def test_whole_network_cost_gradient_check():
    rng = np.random.default_rng(4)
    X, Y = rng.standard_normal((2, 9)), (rng.random((1, 9)) > 0.5).astype(float)
    P = bn.initialize_bn_network([2, 6, 5, 1], seed=3)
    P = {k: v + 0.2 * rng.standard_normal(v.shape) for k, v in P.items()}
    ZL, caches = bn.bn_network_forward(X, P)
    grads = bn.bn_network_backward(sigmoid_cross_entropy(ZL, Y)[1], caches)
    errors = gradient_check(lambda: sigmoid_cross_entropy(bn.bn_network_forward(X, P)[0], Y)[0], P,
                            {k: grads["d" + k] for k in P})
    assert max(errors.values()) < 1e-7, errors


def test_initialize_shapes_and_same_weights_with_and_without_bn():
    with_bn = bn.initialize_bn_network([2, 5, 4, 1], seed=7)
    plain = bn.initialize_bn_network([2, 5, 4, 1], seed=7, batch_norm=False)
    assert sorted(with_bn) == sorted(["W1", "gamma1", "beta1", "W2", "gamma2", "beta2", "W3", "b3"])
    assert sorted(plain) == sorted(["W1", "b1", "W2", "b2", "W3", "b3"])
    for l in (1, 2, 3):
        np.testing.assert_array_equal(with_bn[f"W{l}"], plain[f"W{l}"])
    assert with_bn["gamma2"].shape == (4, 1) and np.all(with_bn["gamma2"] == 1) and np.all(with_bn["beta1"] == 0)


def test_bn_makes_the_network_blind_to_the_scale_of_W():
    """BN(c·Z) = BN(Z) for c > 0 (up to ε): scaling a hidden W changes no output."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((2, 12))
    P = bn.initialize_bn_network([2, 6, 6, 1], seed=1)
    Q = dict(P, W1=P["W1"] * 100.0)
    np.testing.assert_allclose(bn.bn_network_forward(X, P, epsilon=1e-12)[0],
                               bn.bn_network_forward(X, Q, epsilon=1e-12)[0], rtol=1e-8, atol=1e-10)


@pytest.fixture(scope="module")
def moons():
    return make_moons(300, seed=1)


def test_training_learns_and_predicts_one_example(moons):
    X, Y = moons
    result = bn.bn_model(X, Y, [2, 12, 12, 12, 1], num_epochs=15, learning_rate=0.5, batch_size=50, seed=0,
                         keep_epochs=[0, 15])
    assert result["costs"][-1] < 0.5 * result["costs"][0]
    assert sorted(result["running"]) == ["mean1", "mean2", "mean3", "var1", "var2", "var3"] and sorted(result["snapshots"]) == [0, 15]
    accuracy = np.mean(bn.bn_predict(result["parameters"], result["running"], X) == Y)
    assert accuracy > 0.9
    one = bn.bn_predict(result["parameters"], result["running"], X[:, :1])
    assert one.shape == (1, 1)
    assert one[0, 0] == bn.bn_predict(result["parameters"], result["running"], X)[0, 0]


def test_training_is_deterministic_and_float32_is_kept(moons):
    X, Y = moons
    args = dict(layer_dims=[2, 8, 8, 1], num_epochs=3, learning_rate=0.1, batch_size=50, seed=2)
    a, b = bn.bn_model(X, Y, **args), bn.bn_model(X, Y, **args)
    assert a["costs"] == b["costs"]
    r32 = bn.bn_model(X.astype(np.float32), Y.astype(np.float32), optimizer="adam", **args)
    assert all(v.dtype == np.float32 for v in r32["parameters"].values())
    assert r32["running"]["mean1"].dtype == np.float32


def test_a_diverging_run_stops_with_nan_costs_and_no_warning(moons):
    X, Y = moons
    result = bn.bn_model(X, Y, [2] + [16] * 8 + [1], num_epochs=10, learning_rate=1e6, batch_size=50,
                         batch_norm=False, seed=0)
    assert len(result["costs"]) == 10 and np.isnan(result["costs"][-1])


def test_hidden_inputs_shapes_and_bn_statistics(moons):
    X, _ = moons
    P = bn.initialize_bn_network([2, 7, 5, 1], seed=0)
    Zs = bn.hidden_inputs(X, P, mode="train")
    assert [Z.shape for Z in Zs] == [(7, 300), (5, 300)]
    np.testing.assert_allclose(Zs[1].mean(axis=1), 0, atol=1e-10)        # γ = 1, β = 0 at the start


# --------------------------------------------------------------------- bad input
def test_m_equal_one_in_training_mode_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="Z: training mode needs a mini-batch of m >= 2"):
        bn.batchnorm_forward(np.ones((3, 1)), np.ones((3, 1)), np.zeros((3, 1)))


_Z, _G, _B = np.ones((3, 4)), np.ones((3, 1)), np.zeros((3, 1))
_RUN = {"mean": np.zeros((3, 1)), "var": np.ones((3, 1))}
_P = bn.initialize_bn_network([2, 3, 1], seed=0)
_X, _Y = np.ones((2, 4)), np.array([[0.0, 1.0, 0.0, 1.0]])
_out, _cache = bn.batchnorm_forward(np.arange(12.0).reshape(3, 4), _G, _B)
_ZL, _caches = bn.bn_network_forward(np.arange(8.0).reshape(2, 4), _P)

BAD_INPUTS = [
    bad(bn.batchnorm_forward, "Z", np.ones((3, 1)), _G, _B),                       # m = 1 in training mode
    bad(bn.batchnorm_forward, "Z", np.full((3, 4), np.nan), _G, _B),
    bad(bn.batchnorm_forward, "Z", np.ones(4), _G, _B),
    bad(bn.batchnorm_forward, "gamma", _Z, np.ones((4, 1)), _B),
    bad(bn.batchnorm_forward, "beta", _Z, _G, np.zeros((3,))),                    # no broadcasting
    bad(bn.batchnorm_forward, "epsilon", _Z, _G, _B, epsilon=0),
    bad(bn.batchnorm_forward, "epsilon", _Z, _G, _B, epsilon=-1e-5),
    bad(bn.batchnorm_forward, "mode", _Z, _G, _B, mode="eval"),
    bad(bn.batchnorm_forward, "running", _Z, _G, _B, mode="test"),
    bad(bn.batchnorm_forward, "running", _Z, _G, _B, mode="test", running={"mean": np.zeros((3, 1))}),
    bad(bn.batchnorm_forward, "running['var']", _Z, _G, _B, mode="test",
        running={"mean": np.zeros((3, 1)), "var": -np.ones((3, 1))}),
    bad(bn.batchnorm_forward, "running['mean']", _Z, _G, _B, mode="test", running={**_RUN, "mean": np.zeros((4, 1))}),
    bad(bn.batchnorm_forward, "momentum", _Z, _G, _B, momentum=1.0),
    bad(bn.batchnorm_backward, "dout", np.ones((3, 5)), _cache),
    bad(bn.batchnorm_backward, "dout", np.full((3, 4), np.inf), _cache),
    bad(bn.batchnorm_backward, "cache", np.ones((3, 4)), (1, 2), error=TypeError),
    bad(bn.initialize_bn_network, "layer_dims", [2]),
    bad(bn.initialize_bn_network, "layer_dims[1]", [2, 0, 1]),
    bad(bn.initialize_bn_network, "batch_norm", [2, 3, 1], batch_norm="yes", error=TypeError),
    bad(bn.initialize_bn_network, "init", [2, 3, 1], init="uniform"),
    bad(bn.bn_network_forward, "X", np.ones((3, 4)), _P),
    bad(bn.bn_network_forward, "X", np.ones((2, 1)), _P),                          # m = 1 in training mode
    bad(bn.bn_network_forward, "parameters", _X, {k: v for k, v in _P.items() if k != "gamma1"}),
    bad(bn.bn_network_forward, "parameters['beta1']", _X, {**_P, "beta1": np.zeros((1, 3))}),
    bad(bn.bn_network_forward, "running", _X, _P, mode="test"),
    bad(bn.bn_network_forward, "mode", _X, _P, mode="inference"),
    bad(bn.bn_network_forward, "epsilon", _X, _P, epsilon=0.0),
    bad(bn.bn_network_backward, "dZL", np.ones((2, 4)), _caches),
    bad(bn.bn_network_backward, "dZL", np.full((1, 4), np.nan), _caches),
    bad(bn.bn_network_backward, "caches", np.ones((1, 4)), [], error=TypeError),
    bad(bn.bn_model, "batch_size", _X, _Y, [2, 3, 1], batch_size=1),
    bad(bn.bn_model, "batch_size", np.ones((2, 5)), np.array([[0.0, 1, 0, 1, 0]]), [2, 3, 1], batch_size=2),
    bad(bn.bn_model, "layer_dims", _X, _Y, [3, 3, 1]),
    bad(bn.bn_model, "Y", _X, np.array([[0.0, 2.0, 0.0, 1.0]]), [2, 3, 1]),
    bad(bn.bn_model, "optimizer", _X, _Y, [2, 3, 1], optimizer="rmsprop"),
    bad(bn.bn_model, "learning_rate", _X, _Y, [2, 3, 1], learning_rate=-0.1),
    bad(bn.bn_model, "keep_epochs", _X, _Y, [2, 3, 1], num_epochs=2, keep_epochs=[5]),
    bad(bn.bn_predict, "running", _P, None, _X),
    bad(bn.bn_predict, "X", _P, {"mean1": np.zeros((3, 1)), "var1": np.ones((3, 1))}, np.ones((3, 4))),
    bad(bn.bn_predict, "parameters", [1, 2], {}, _X, error=TypeError),
    bad(bn.bn_predict, "epsilon", _P, {"mean1": np.zeros((3, 1)), "var1": np.ones((3, 1))}, _X, epsilon=-1),
    bad(bn.bn_predict, "running['var1']", _P, {"mean1": np.zeros((3, 1)), "var1": -np.ones((3, 1))}, _X),
    bad(bn.hidden_inputs, "X", np.ones((2, 1)), _P, mode="train"),
    bad(bn.hidden_inputs, "running", _X, _P),
    bad(bn.hidden_inputs, "activation", _X, _P, mode="train", activation="swish"),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
