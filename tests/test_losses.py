"""Tests of lib.losses: stable cross-entropy, squared error, the two training losses and their checks."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.losses as losses
from contract import assert_refused, bad
from lib.activations import sigmoid, softmax
from lib.gradcheck import numerical_gradient, relative_error

SEEDS = st.integers(0, 2**32 - 1)


def _logits_and_labels(seed, scale, n=None):
    rng = np.random.default_rng(seed)
    n = n or int(rng.integers(1, 9))
    z = rng.uniform(-scale, scale, (1, n))
    y = rng.integers(0, 2, (1, n)).astype(float)
    return z, y


@settings(max_examples=60, deadline=None)
@given(SEEDS, st.floats(1.0, 1e4))
def test_logit_loss_finite_and_non_negative(seed, scale):
    z, y = _logits_and_labels(seed, scale)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = losses.binary_cross_entropy_with_logits(z, y)
        assert np.isfinite(losses.cost_with_logits(z, y))
        value, dz = losses.sigmoid_cross_entropy(z, y)
    assert loss.shape == z.shape
    assert np.all(np.isfinite(loss)) and np.all(loss >= 0)
    assert value == pytest.approx(np.mean(loss))
    assert np.all(np.abs(dz) <= 1.0 / z.shape[1])


@settings(max_examples=60, deadline=None)
@given(SEEDS)
def test_logit_form_agrees_with_probability_form(seed):
    # where σ(z) is not rounded to 0 or 1, both forms are accurate
    z, y = _logits_and_labels(seed, 20.0)
    np.testing.assert_allclose(losses.binary_cross_entropy_with_logits(z, y),
                               losses.binary_cross_entropy(sigmoid(z), y), rtol=1e-6, atol=1e-9)


def test_extreme_logits_exact():
    z = np.array([[1000.0, -1000.0, 1000.0, -1000.0]])
    y = np.array([[1.0, 0.0, 0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(losses.binary_cross_entropy_with_logits(z, y), [[0, 0, 1000, 1000]])
        value, dz = losses.sigmoid_cross_entropy(z, y)
    assert value == pytest.approx(2000.0 / 4)
    np.testing.assert_array_equal(dz, [[0.0, 0.0, 0.25, -0.25]])     # (σ(z) − y)/m, exactly


@settings(max_examples=60, deadline=None)
@given(SEEDS)
def test_probability_losses_finite_non_negative(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    a = rng.uniform(0, 1, (1, n))
    a[0, 0] = rng.choice([0.0, 1.0])                       # the edges of [0, 1] are valid
    y = rng.integers(0, 2, (1, n)).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
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
    assert losses.sigmoid_cross_entropy(z, y)[0] == pytest.approx(expected)


def test_sigmoid_cross_entropy_gradient_carries_one_over_m():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(1, 7))
    y = rng.integers(0, 2, (1, 7)).astype(float)
    value, dz = losses.sigmoid_cross_entropy(z, y)
    np.testing.assert_allclose(dz, (sigmoid(z) - y) / 7, rtol=1e-15)
    num = numerical_gradient(lambda: losses.sigmoid_cross_entropy(z, y)[0], z)
    assert relative_error(dz, num) < 1e-7


def test_sigmoid_cross_entropy_sums_outputs_and_averages_examples():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 5))                          # n_y = 3 independent outputs, m = 5
    y = rng.integers(0, 2, (3, 5)).astype(float)
    value, dz = losses.sigmoid_cross_entropy(z, y)
    assert value == pytest.approx(np.sum(losses.binary_cross_entropy_with_logits(z, y)) / 5)
    num = numerical_gradient(lambda: losses.sigmoid_cross_entropy(z, y)[0], z)
    assert relative_error(dz, num) < 1e-7


def test_sigmoid_cross_entropy_gradient_is_exact_where_sigmoid_saturates():
    # at z = ±40 σ(z) rounds to 1 or (nearly) 0 in float64; the gradient stays the right size
    z = np.array([[40.0, -40.0, 700.0, -700.0]])
    y = np.array([[0.0, 1.0, 1.0, 0.0]])
    _, dz = losses.sigmoid_cross_entropy(z, y)
    np.testing.assert_allclose(dz, [[0.25, -0.25, 0.0, 0.0]], atol=1e-17)


def test_softmax_cross_entropy_value_gradient_and_stability():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 6))
    y = np.eye(4)[:, rng.integers(0, 4, 6)]
    value, dz = losses.softmax_cross_entropy(z, y)
    p = np.exp(z) / np.exp(z).sum(axis=0)
    assert value == pytest.approx(-np.mean(np.sum(y * np.log(p), axis=0)))
    np.testing.assert_allclose(dz, (softmax(z) - y) / 6, rtol=1e-12, atol=1e-15)
    num = numerical_gradient(lambda: losses.softmax_cross_entropy(z, y)[0], z)
    assert relative_error(dz, num) < 1e-7
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big, dbig = losses.softmax_cross_entropy(1e4 * z, y)
    assert np.isfinite(big) and big >= 0 and np.all(np.isfinite(dbig))


def test_softmax_cross_entropy_along_another_axis_and_rank():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(6, 4))                          # examples as rows, classes along axis 1
    y = np.eye(4)[rng.integers(0, 4, 6)]
    value, dz = losses.softmax_cross_entropy(z, y, axis=1)
    value_t, dz_t = losses.softmax_cross_entropy(z.T, y.T)
    assert value == pytest.approx(value_t)
    np.testing.assert_allclose(dz, dz_t.T)
    z3 = rng.normal(size=(3, 2, 4))                      # (n_y, m, T): m·T positions
    y3 = np.eye(3)[:, rng.integers(0, 3, (2, 4))]
    value3, dz3 = losses.softmax_cross_entropy(z3, y3)
    value2, dz2 = losses.softmax_cross_entropy(z3.reshape(3, 8), y3.reshape(3, 8))
    assert value3 == pytest.approx(value2)
    np.testing.assert_allclose(dz3.reshape(3, 8), dz2)


def test_softmax_cross_entropy_is_never_negative():
    # the old bug: a "label" of -1 was accepted and gave a negative cost; now refused
    with pytest.raises(ValueError, match="y_onehot"):
        losses.softmax_cross_entropy(np.zeros((2, 1)), np.array([[-1.0], [0.0]]))
    value, _ = losses.softmax_cross_entropy(np.array([[50.0], [-50.0]]), np.array([[1.0], [0.0]]))
    assert value >= 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float32_in_float32_out(dtype):
    z = np.array([[0.3, -2.0, 5.0]], dtype=dtype)
    y = np.array([[1.0, 0.0, 0.0]])                              # float64 labels do not promote
    a = sigmoid(z)
    for out in (losses.binary_cross_entropy(a, y), losses.binary_cross_entropy_with_logits(z, y),
                losses.squared_error(a, y), losses.sigmoid_cross_entropy(z, y)[1],
                losses.softmax_cross_entropy(np.vstack([z, -z]), np.vstack([y, 1 - y]))[1],
                losses.logistic_cost_surface(z, y, np.array([1.0], dtype), np.array([0.0], dtype))):
        assert out.dtype == dtype
    assert isinstance(losses.cost(a, y), float) and isinstance(losses.sigmoid_cross_entropy(z, y)[0], float)


def test_float32_confident_mistake_is_finite_without_warnings():
    # in float32, 1 − 1e-12 rounds to 1: the clip must use a bound float32 can hold
    a = np.array([[1.0, 0.0]], dtype=np.float32)
    y = np.array([[0.0, 1.0]], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = losses.binary_cross_entropy(a, y)
    assert loss.dtype == np.float32 and np.all(np.isfinite(loss)) and np.all(loss > 15)


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


def test_messages_say_what_was_expected():
    with pytest.raises(ValueError, match=r"a: expected probabilities in \[0, 1\], got range \[-0.5, 1.5\]"):
        losses.cost(np.array([[1.5, -0.5]]), np.array([[1.0, 0.0]]))
    with pytest.raises(ValueError, match="a: expected a non-empty array"):
        losses.cost(np.zeros((1, 0)), np.zeros((1, 0)))
    with pytest.raises(ValueError, match="y: expected labels 0 or 1 only, found"):
        losses.cost(np.array([[0.5, 0.5]]), np.array([[1.0, 2.0]]))
    with pytest.raises(ValueError, match="y_onehot: expected one-hot"):
        losses.softmax_cross_entropy(np.zeros((2, 2)), np.array([[1.0, 1.0], [1.0, 0.0]]))


_A = np.array([[0.9, 0.2]])
_Y = np.array([[1.0, 0.0]])
_Z = np.array([[0.4, -1.3]])
_Z2 = np.array([[0.4, -1.3], [2.0, 0.1]])
_Y2 = np.array([[1.0, 0.0], [0.0, 1.0]])
_X = np.array([[-1.0, 0.5, 2.0]])
_YX = np.array([[0.0, 1.0, 1.0]])
_W = np.array([0.0, 1.0])

BAD_INPUTS = [
    *[case for f in (losses.binary_cross_entropy, losses.cost, losses.squared_error) for case in (
        bad(f, "a", np.array([[1.5, -0.5]]), _Y),                # probabilities outside [0, 1]
        bad(f, "a", np.array([[np.nan, 0.5]]), _Y),
        bad(f, "a", np.zeros((1, 0)), np.zeros((1, 0))),         # empty: no NaN, no warning
        bad(f, "y", _A, np.array([[1.0, 2.0]])),                 # label 2
        bad(f, "y", _A, np.array([[1.0, 0.0, 1.0]])),            # shape
        bad(f, "a", "0.5", _Y, error=TypeError),
    )],
    *[case for f in (losses.binary_cross_entropy_with_logits, losses.cost_with_logits,
                     losses.sigmoid_cross_entropy) for case in (
        bad(f, "z", np.array([[np.nan, 0.0]]), _Y),
        bad(f, "z", np.array([[np.inf, 0.0]]), _Y),
        bad(f, "z", np.zeros((1, 0)), np.zeros((1, 0))),
        bad(f, "y", _Z, np.array([[0.5, 1.0]])),
        bad(f, "y", _Z, np.array([[1.0], [0.0]])),               # (2, 1) against (1, 2): no broadcasting
        bad(f, "y", _Z, np.array([[-1.0, 0.0]])),
    )],
    bad(losses.sigmoid_cross_entropy, "z", np.array([0.4, -1.3]), np.array([1.0, 0.0])),   # not (n_y, m)
    bad(losses.softmax_cross_entropy, "y_onehot", np.zeros((2, 1)), np.array([[-1.0], [0.0]])),
    bad(losses.softmax_cross_entropy, "y_onehot", _Z2, np.array([[1.0, 1.0], [1.0, 0.0]])),  # two 1s
    bad(losses.softmax_cross_entropy, "y_onehot", _Z2, np.array([[0.5, 1.0], [0.5, 0.0]])),  # soft label
    bad(losses.softmax_cross_entropy, "y_onehot", _Z2, np.eye(2)[:, [0]]),                   # shape
    bad(losses.softmax_cross_entropy, "y_onehot", _Z2, _Y2.T[:, :, None]),
    bad(losses.softmax_cross_entropy, "z", np.array([[np.nan, 0.0], [0.0, 1.0]]), _Y2),
    bad(losses.softmax_cross_entropy, "z", np.zeros((2, 0)), np.zeros((2, 0))),
    bad(losses.softmax_cross_entropy, "z", [["a", "b"]], [[1.0, 0.0]], error=TypeError),
    bad(losses.softmax_cross_entropy, "axis", _Z2, _Y2, axis=2),
    bad(losses.softmax_cross_entropy, "axis", _Z2, _Y2, axis="0", error=TypeError),
    bad(losses.logistic_cost_surface, "X", np.zeros((2, 3)), np.zeros((1, 3)), _W, _W),
    bad(losses.logistic_cost_surface, "X", np.array([[np.nan, 0.0, 1.0]]), _YX, _W, _W),
    bad(losses.logistic_cost_surface, "X", np.zeros((1, 0)), np.zeros((1, 0)), _W, _W),
    bad(losses.logistic_cost_surface, "Y", _X, np.full((1, 3), 0.5), _W, _W),
    bad(losses.logistic_cost_surface, "Y", _X, np.zeros((1, 4)), _W, _W),
    bad(losses.logistic_cost_surface, "Y", _X, np.zeros(3), _W, _W),
    bad(losses.logistic_cost_surface, "w_values", _X, _YX, np.array([[0.0]]), _W),
    bad(losses.logistic_cost_surface, "w_values", _X, _YX, np.array([np.inf]), _W),
    bad(losses.logistic_cost_surface, "w_values", _X, _YX, np.zeros(0), _W),
    bad(losses.logistic_cost_surface, "b_values", _X, _YX, _W, np.array([np.nan])),
    bad(losses.logistic_cost_surface, "b_values", _X, _YX, _W, 0.0),
    bad(losses.logistic_cost_surface, "loss", _X, _YX, _W, _W, loss="hinge"),
    bad(losses.logistic_cost_surface, "loss", _X, _YX, _W, _W, loss=None),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
