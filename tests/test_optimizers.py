"""lib.optimizers: Adam, gradient descent and clipping, shared by the CNN, the RNNs and the translator."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from contract import assert_refused, bad
from lib.optimizers import adam_update, clip_by_norm, clip_by_value, global_norm, sgd_update


def _textbook_adam(theta, gradients, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Adam as the paper writes it: v and s with g², bias-corrected; one trajectory of theta."""
    v = np.zeros_like(theta)
    s = np.zeros_like(theta)
    path = []
    for k, g in enumerate(gradients, start=1):
        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g ** 2
        v_hat = v / (1 - beta1 ** k)
        s_hat = s / (1 - beta2 ** k)
        theta = theta - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
        path.append(theta)
    return path


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_adam_equals_the_textbook_formula(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 5, 2))
    theta0 = rng.normal(size=shape)
    gradients = [rng.normal(scale=10.0 ** rng.uniform(-3, 3), size=shape) for _ in range(20)]
    beta1, beta2 = rng.uniform(0.5, 0.99), rng.uniform(0.9, 0.9999)
    expected = _textbook_adam(theta0, gradients, 0.01, beta1, beta2, 1e-8)
    params, state = {"W": theta0.copy()}, {}
    for g, want in zip(gradients, expected):
        adam_update(params, {"dW": g}, state, learning_rate=0.01, beta1=beta1, beta2=beta2, epsilon=1e-8)
        np.testing.assert_allclose(params["W"], want, rtol=1e-12, atol=1e-12)
    assert state["k"] == 20


def test_adam_minimises_a_quadratic():
    params = {"x": np.array([3.0, -2.0])}
    state = {}
    for _ in range(500):
        adam_update(params, {"dx": 2 * params["x"]}, state, learning_rate=0.05)
    assert np.abs(params["x"]).max() < 1e-2
    assert state["k"] == 500


def test_first_step_moves_each_parameter_by_the_learning_rate():
    # After one step the bias-corrected moments are g and g², so the step is α·g/|g| = α·sign(g).
    params = {"W": np.array([[1.0, -4.0]]), "b": np.array([[0.5]])}
    grads = {"dW": np.array([[3.0, -0.2]]), "db": np.array([[-7.0]])}
    adam_update(params, grads, {}, learning_rate=0.1)
    assert np.allclose(params["W"], [[0.9, -3.9]])
    assert np.allclose(params["b"], [[0.6]])


@pytest.mark.parametrize("dtype, size", [(np.float64, 1e200), (np.float64, 1e300),
                                         (np.float32, 1e30), (np.float32, 1e37)])
def test_first_step_is_the_learning_rate_for_huge_gradients(dtype, size):
    # g² overflows (1e400, 1e60 in float32): the square-root moment must not, or the step is 0 or NaN
    params = {"W": np.array([1.0, 1.0], dtype=dtype)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        state = adam_update(params, {"dW": np.array([size, -size], dtype=dtype)}, {}, learning_rate=0.1)
    np.testing.assert_allclose(params["W"], [0.9, 1.1], rtol=1e-5)
    assert all(np.all(np.isfinite(v)) for k, v in state.items() if k != "k")


def test_float32_stays_float32():
    params = {"W": np.ones(3, dtype=np.float32), "b": np.zeros((1, 1), dtype=np.float32)}
    grads = {"dW": np.ones(3, dtype=np.float32), "db": np.full((1, 1), 2.0)}      # a float64 gradient too
    state = {}
    for _ in range(3):
        adam_update(params, grads, state, learning_rate=np.float64(0.5), beta1=np.float64(0.9))
    assert params["W"].dtype == np.float32 and params["b"].dtype == np.float32
    assert all(v.dtype == np.float32 for k, v in state.items() if k != "k")
    sgd_update(params, grads, learning_rate=np.float64(0.1))
    assert params["W"].dtype == np.float32
    assert clip_by_value({"a": np.ones(2, dtype=np.float32)}, 0.5)["a"].dtype == np.float32
    clipped, _ = clip_by_norm({"a": np.full(2, 10.0, dtype=np.float32)}, 1.0)
    assert clipped["a"].dtype == np.float32


def test_adam_updates_in_place_and_accepts_lists_as_gradients():
    W = np.ones((2, 2))
    params = {"W": W}
    adam_update(params, {"dW": [[1.0, -1.0], [2, 0]]}, {}, learning_rate=0.1)
    assert params["W"] is W
    np.testing.assert_allclose(W, [[0.9, 1.1], [0.9, 1.0]])


def test_sgd_update():
    W, b = np.array([[1.0, 2.0]]), np.array([[0.5]])
    params = {"W": W, "b": b}
    out = sgd_update(params, {"dW": np.array([[10.0, -10.0]]), "db": [[1.0]], "dx": np.ones(7)}, 0.1)
    assert out is params and params["W"] is W                       # in place; extra gradients ignored
    np.testing.assert_allclose(W, [[0.0, 3.0]])
    np.testing.assert_allclose(b, [[0.4]])


def test_clip_by_value():
    grads = {"dW": np.array([[-7.0, 0.5], [3.0, -0.2]]), "db": np.array([12.0])}
    clipped = clip_by_value(grads, 1.0)
    np.testing.assert_array_equal(clipped["dW"], [[-1.0, 0.5], [1.0, -0.2]])
    np.testing.assert_array_equal(clipped["db"], [1.0])
    assert grads["dW"][0, 0] == -7.0                                 # the input is left unchanged


def test_global_norm_and_clip_by_norm_on_ordinary_values():
    grads = {"dW": np.array([[3.0, 0.0]]), "db": np.array([4.0])}
    assert global_norm(grads) == pytest.approx(5.0)
    clipped, norm = clip_by_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped["dW"], [[0.6, 0.0]])
    np.testing.assert_allclose(clipped["db"], [0.8])
    same, norm = clip_by_norm(grads, 10.0)                           # under the bound: unchanged
    np.testing.assert_array_equal(same["dW"], grads["dW"])
    same["dW"][0, 0] = 99.0
    assert grads["dW"][0, 0] == 3.0                                  # a new dict of new arrays
    assert global_norm({"a": np.zeros(3)}) == 0.0
    assert clip_by_norm({"a": np.zeros(3)}, 1.0)[0]["a"].tolist() == [0.0, 0.0, 0.0]


def test_clip_by_norm_on_gradients_whose_squares_overflow():
    # the old rnn.clip_by_norm squared 4e154 to infinity and zeroed the gradient
    grads = {"dW": np.array([3e154, 4e154])}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert global_norm(grads) == pytest.approx(5e154)
        clipped, norm = clip_by_norm(grads, 1.0)
    assert norm == pytest.approx(5e154)
    np.testing.assert_allclose(clipped["dW"], [0.6, 0.8])
    assert np.linalg.norm(clipped["dW"]) == pytest.approx(1.0)
    big32 = {"a": np.array([3e38, 3e38], dtype=np.float32)}          # near float32's largest
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clipped32, _ = clip_by_norm(big32, 1.0)
    np.testing.assert_allclose(clipped32["a"], [2 ** -0.5] * 2, rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(1e-3, 1e3))
def test_clip_by_norm_keeps_the_direction_and_bounds_the_norm(seed, max_norm):
    rng = np.random.default_rng(seed)
    scale = 10.0 ** rng.uniform(-5, 250)
    grads = {f"d{k}": rng.normal(size=tuple(rng.integers(1, 4, 2))) * scale for k in "abc"}
    clipped, norm = clip_by_norm(grads, max_norm)
    assert global_norm(clipped) <= max_norm * (1 + 1e-12)
    factor = min(1.0, max_norm / norm)
    for k in grads:
        np.testing.assert_allclose(clipped[k], grads[k] * factor, rtol=1e-12)


_G = {"dW": np.ones((2, 3))}


def _p():
    return {"W": np.ones((2, 3))}


BAD_INPUTS = [
    bad(adam_update, "grads", {"W": np.ones((2, 3))}, {"dW": np.ones((2, 1))}, {}),      # no broadcasting
    bad(adam_update, "grads", _p(), {"W": np.ones((2, 3))}, {}),                         # keyed "d" + name
    bad(adam_update, "grads", _p(), {"dW": np.full((2, 3), np.nan)}, {}),
    bad(adam_update, "grads", _p(), [np.ones((2, 3))], {}, error=TypeError),
    bad(adam_update, "parameters", {"W": np.full((2, 3), np.inf)}, _G, {}),
    bad(adam_update, "parameters", {}, _G, {}),
    bad(adam_update, "parameters", {"W": [[1.0, 2.0, 3.0]] * 2}, _G, {}, error=TypeError),
    bad(adam_update, "parameters", {"W": np.ones((2, 3), dtype=int)}, _G, {}, error=TypeError),
    bad(adam_update, "state", _p(), _G, None, error=TypeError),
    bad(adam_update, "state", _p(), _G, {("v", "W"): np.zeros((3, 2))}),               # another model's state
    bad(adam_update, "state", _p(), _G, {"k": -1}),
    bad(adam_update, "learning_rate", _p(), _G, {}, learning_rate=0),
    bad(adam_update, "learning_rate", _p(), _G, {}, learning_rate=np.nan),
    bad(adam_update, "beta1", _p(), _G, {}, beta1=1.0),
    bad(adam_update, "beta1", _p(), _G, {}, beta1=-0.1),
    bad(adam_update, "beta2", _p(), _G, {}, beta2=1.5),
    bad(adam_update, "beta2", _p(), _G, {}, beta2="0.999", error=TypeError),
    bad(adam_update, "epsilon", _p(), _G, {}, epsilon=0.0),
    bad(sgd_update, "grads", _p(), {"dW": np.ones(6)}, 0.1),
    bad(sgd_update, "grads", _p(), {"db": np.ones((2, 3))}, 0.1),
    bad(sgd_update, "grads", _p(), {"dW": np.full((2, 3), np.inf)}, 0.1),
    bad(sgd_update, "parameters", None, _G, 0.1, error=TypeError),
    bad(sgd_update, "parameters", {"W": np.array([[np.nan]])}, {"dW": np.ones((1, 1))}, 0.1),
    bad(sgd_update, "learning_rate", _p(), _G, -0.1),
    bad(sgd_update, "learning_rate", _p(), _G, None, error=TypeError),
    bad(clip_by_value, "max_value", _G, 0.0),
    bad(clip_by_value, "max_value", _G, -1.0),
    bad(clip_by_value, "max_value", _G, np.inf),
    bad(clip_by_value, "grads", {"dW": np.array([np.nan])}, 1.0),
    bad(clip_by_value, "grads", {}, 1.0),
    bad(clip_by_value, "grads", np.ones(3), 1.0, error=TypeError),
    bad(clip_by_norm, "max_norm", _G, 0.0),
    bad(clip_by_norm, "max_norm", _G, -1.0),
    bad(clip_by_norm, "max_norm", _G, "5", error=TypeError),
    bad(clip_by_norm, "grads", {"dW": np.array([np.inf, 1.0])}, 1.0),
    bad(clip_by_norm, "grads", {"dW": np.zeros(0)}, 1.0),
    bad(clip_by_norm, "grads", [np.ones(3)], 1.0, error=TypeError),
    bad(global_norm, "grads", {"dW": np.array([np.nan])}),
    bad(global_norm, "grads", {}),
    bad(global_norm, "grads", {"dW": "big"}, error=TypeError),
    bad(global_norm, "grads", None, error=TypeError),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)


def test_a_refused_step_changes_nothing():
    params = {"W": np.ones((2, 3)), "b": np.zeros((2, 1))}
    state = {}
    with pytest.raises(ValueError, match="grads"):
        adam_update(params, {"dW": np.ones((2, 3)), "db": np.full((2, 1), np.nan)}, state)
    assert np.array_equal(params["W"], np.ones((2, 3))) and state == {}
