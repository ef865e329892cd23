"""Tests for lib.deep, the L-layer network: gradients, linear collapse, active fractions."""
import numpy as np
import pytest

import lib.deep as deep
from lib.data import make_circles
from lib.gradcheck import gradient_check


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_deep_backward_gradient_check(activation):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((3, 6))
    Y = (rng.random((1, 6)) > 0.5).astype(float)
    p = deep.initialize_deep([3, 5, 4, 1], seed=2, init="xavier", bias_std=0.3)
    AL, caches = deep.deep_forward(X, p, activation)
    grads = deep.deep_backward(AL, Y, caches)
    errors = gradient_check(lambda: deep.deep_cost(deep.deep_forward(X, p, activation)[0], Y),
                            p, {k: grads["d" + k] for k in p})
    assert max(errors.values()) < 1e-7, errors


def test_initialisation_scales():
    p = deep.initialize_deep([400, 300, 1], seed=0, init="he")
    assert np.isclose(np.std(p["W1"]), np.sqrt(2 / 400), rtol=0.02)
    p = deep.initialize_deep([400, 300, 1], seed=0, init="xavier")
    assert np.isclose(np.std(p["W1"]), np.sqrt(1 / 400), rtol=0.02)
    assert np.all(deep.initialize_deep([4, 3, 1], init="zeros")["W1"] == 0)
    assert np.all(deep.initialize_deep([4, 3, 1])["b1"] == 0)


def test_linear_stack_collapses_to_one_affine_map():
    rng = np.random.default_rng(0)
    p = deep.initialize_deep([2, 6, 6, 6, 1], seed=3, bias_std=0.5)
    X = rng.standard_normal((2, 50))
    W, b = deep.collapse_linear(p)
    _, caches = deep.deep_forward(X, p, "linear")
    assert np.allclose(caches[-1][2], W @ X + b)
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
    per_example = [np.mean(Z > 0, axis=0) for Z in Zs]
    assert np.isclose(paths[2], np.mean(per_example[0] * per_example[1] * per_example[2]))
    assert np.all(deep.dead_fraction(X, p) <= 1 - f + 1e-12)
    # a zero-bias ReLU net fires the same units whatever the weights' scale
    q = deep.initialize_deep([2, 64, 64, 64, 1], seed=0, init="small")
    assert np.array_equal(deep.active_fraction(X, q), f)


def test_training_a_deep_relu_network_fits_circles():
    X, Y = make_circles(200, seed=0)
    p, costs = deep.deep_model(X, Y, [2, 8, 8, 1], num_iterations=1500, learning_rate=0.3, seed=0)
    assert costs[-1] < 0.5 * costs[0]
    assert np.mean(deep.deep_predict(p, X) == Y) > 0.9


def test_bad_input():
    p = deep.initialize_deep([3, 4, 1])
    with pytest.raises(ValueError, match="X"):
        deep.deep_forward(np.zeros((2, 5)), p)
    with pytest.raises(ValueError, match="activation"):
        deep.deep_forward(np.zeros((3, 5)), p, "softplus")
    with pytest.raises(ValueError, match="init"):
        deep.initialize_deep([3, 4, 1], init="orthogonal")
    with pytest.raises(ValueError, match="layer_dims"):
        deep.initialize_deep([3, 0, 1])
    with pytest.raises(ValueError, match="layer_dims"):
        deep.deep_model(np.zeros((3, 4)), np.zeros((1, 4)), [2, 4, 1], 1)
    with pytest.raises(ValueError, match="Y"):
        deep.deep_model(np.zeros((3, 4)), np.full((1, 4), 0.5), [3, 4, 1], 1)
    with pytest.raises(ValueError, match="bias_std"):
        deep.initialize_deep([3, 4, 1], bias_std=-1.0)
    with pytest.raises(ValueError, match="parameters"):
        deep.collapse_linear({})
