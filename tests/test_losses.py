"""Tests of lib.losses: stable cross-entropy, squared error, softmax cross-entropy."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lib.losses as losses
from lib.activations import sigmoid
from lib.gradcheck import numerical_gradient, relative_error

logits = arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e4, 1e4))


@settings(max_examples=60, deadline=None)
@given(logits, st.data())
def test_logit_loss_finite_and_non_negative(z, data):
    y = data.draw(arrays(np.float64, z.shape, elements=st.sampled_from([0.0, 1.0])))
    loss = losses.binary_cross_entropy_with_logits(z, y)
    assert loss.shape == z.shape
    assert np.all(np.isfinite(loss)) and np.all(loss >= 0)
    assert np.isfinite(losses.cost_with_logits(z, y))


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-20, 20)), st.data())
def test_logit_form_agrees_with_probability_form(z, data):
    # where σ(z) is not rounded to 0 or 1, both forms are accurate
    y = data.draw(arrays(np.float64, z.shape, elements=st.sampled_from([0.0, 1.0])))
    np.testing.assert_allclose(losses.binary_cross_entropy_with_logits(z, y),
                               losses.binary_cross_entropy(sigmoid(z), y), rtol=1e-6, atol=1e-9)


def test_extreme_logits_exact():
    z = np.array([[1000.0, -1000.0, 1000.0, -1000.0]])
    y = np.array([[1.0, 0.0, 0.0, 1.0]])
    np.testing.assert_allclose(losses.binary_cross_entropy_with_logits(z, y), [[0, 0, 1000, 1000]])


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(0, 1)), st.data())
def test_probability_losses_finite_non_negative(a, data):
    y = data.draw(arrays(np.float64, a.shape, elements=st.sampled_from([0.0, 1.0])))
    bce = losses.binary_cross_entropy(a, y)
    assert np.all(np.isfinite(bce)) and np.all(bce >= 0)
    assert np.all(bce < 27.7)      # the clip at 1e-12 caps a confident mistake near -log(1e-12)
    se = losses.squared_error(a, y)
    assert np.all(se >= 0) and np.all(se <= 0.5)


def test_cost_is_mean_of_losses():
    a = np.array([[0.9, 0.2, 0.6]])
    y = np.array([[1.0, 0.0, 1.0]])
    expected = -np.mean(np.log([0.9, 0.8, 0.6]))
    assert losses.cost(a, y) == pytest.approx(expected)
    z = np.log(a / (1 - a))
    assert losses.cost_with_logits(z, y) == pytest.approx(expected)


def test_losses_reject_bad_input():
    with pytest.raises(ValueError, match="y"):
        losses.cost(np.array([[0.5, 0.5]]), np.array([[1.0, 2.0]]))     # label 2
    with pytest.raises(ValueError, match="y"):
        losses.cost(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0, 1.0]]))
    with pytest.raises(ValueError, match="a"):
        losses.cost(np.array([[np.nan, 0.5]]), np.array([[1.0, 0.0]]))
    with pytest.raises(ValueError, match="z"):
        losses.cost_with_logits(np.array([[np.nan]]), np.array([[1.0]]))
    with pytest.raises(ValueError, match="y_onehot"):
        losses.softmax_cross_entropy(np.zeros((3, 4)), np.zeros((3, 5)))


def test_softmax_cross_entropy_value_gradient_and_stability():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 6))
    y = np.eye(4)[:, rng.integers(0, 4, 6)]
    value, dz = losses.softmax_cross_entropy(z, y)
    p = np.exp(z) / np.exp(z).sum(axis=0)
    assert value == pytest.approx(-np.mean(np.sum(y * np.log(p), axis=0)))
    num = numerical_gradient(lambda: losses.softmax_cross_entropy(z, y)[0], z)
    assert relative_error(dz, num) < 1e-7
    big, _ = losses.softmax_cross_entropy(1e4 * z, y)
    assert np.isfinite(big)


def test_logistic_cost_surface_matches_pointwise_costs():
    X = np.array([[-2.0, -0.5, 0.3, 1.5, 2.5]])
    Y = np.array([[0.0, 1.0, 0.0, 1.0, 1.0]])
    ws, bs = np.linspace(-5, 5, 7), np.linspace(-2, 2, 3)
    J = losses.logistic_cost_surface(X, Y, ws, bs)
    S = losses.logistic_cost_surface(X, Y, ws, bs, loss="squared_error")
    assert J.shape == S.shape == (3, 7)
    for j, b in enumerate(bs):
        for i, w in enumerate(ws):
            assert J[j, i] == pytest.approx(losses.cost_with_logits(w * X + b, Y))
            assert S[j, i] == pytest.approx(np.mean(losses.squared_error(sigmoid(w * X + b), Y)))


def test_cross_entropy_cost_convex_along_w():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(1, 30))
    Y = (rng.uniform(size=(1, 30)) < sigmoid(2 * X)).astype(float)
    ws = np.linspace(-30, 30, 601)
    J = losses.logistic_cost_surface(X, Y, ws, [0.3])[0]
    assert np.min(np.diff(J, 2)) > -1e-12


def test_logistic_cost_surface_rejects_bad_input():
    with pytest.raises(ValueError, match="X"):
        losses.logistic_cost_surface(np.zeros((2, 3)), np.zeros((1, 3)), [0.0], [0.0])
    with pytest.raises(ValueError, match="Y"):
        losses.logistic_cost_surface(np.zeros((1, 3)), np.full((1, 3), 0.5), [0.0], [0.0])
    with pytest.raises(ValueError, match="loss"):
        losses.logistic_cost_surface(np.zeros((1, 3)), np.zeros((1, 3)), [0.0], [0.0], loss="hinge")
