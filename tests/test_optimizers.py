"""lib.optimizers: gradient descent, momentum, RMSprop, Adam, the learning-rate schedules and clipping."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from contract import assert_refused, bad
from lib.optimizers import (OPTIMIZERS, adam_update, clip_by_norm, clip_by_value, exponential_decay,
                            exponentially_weighted_average, get_update,
                            global_norm, learning_rate_decay, momentum_update, optimizer_path, rmsprop_update,
                            sgd_update, step_decay)


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



# ------------------------------------------------------------ momentum, RMSprop, Adam by hand

def _steps(update, gradients, **hyper):
    """theta = 1.0 after each of the scalar gradients, one state throughout."""
    params, state, out = {"w": np.array([1.0])}, {}, []
    for g in gradients:
        update(params, {"dw": np.array([g])}, state, **hyper)
        out.append(params["w"][0])
    return out, state


def test_momentum_three_steps_by_hand():
    # beta = 0.5, alpha = 0.1, gradients 2, -1, 4:
    # v1 = 0.5*0 + 0.5*2 = 1    -> w = 1 - 0.1*1 = 0.9
    # v2 = 0.5*1 + 0.5*(-1) = 0 -> w = 0.9
    # v3 = 0.5*0 + 0.5*4 = 2    -> w = 0.9 - 0.1*2 = 0.7
    path, state = _steps(momentum_update, [2.0, -1.0, 4.0], learning_rate=0.1, beta=0.5)
    np.testing.assert_allclose(path, [0.9, 0.9, 0.7], rtol=1e-15)
    assert state["k"] == 3 and state[("v", "w")].tolist() == [2.0] and ("r", "w") not in state


def test_rmsprop_three_steps_by_hand():
    # beta2 = 0.5, alpha = 0.1, gradients 2, -1, 4 (epsilon 1e-12, negligible):
    # s1 = 0.5*4 = 2             -> w = 1 - 0.1*2/sqrt(2)
    # s2 = 0.5*2 + 0.5*1 = 1.5   -> w += 0.1*1/sqrt(1.5)
    # s3 = 0.5*1.5 + 0.5*16 = 8.75 -> w -= 0.1*4/sqrt(8.75)
    path, state = _steps(rmsprop_update, [2.0, -1.0, 4.0], learning_rate=0.1, beta2=0.5, epsilon=1e-12)
    w1 = 1 - 0.1 * 2 / np.sqrt(2)
    w2 = w1 + 0.1 / np.sqrt(1.5)
    w3 = w2 - 0.1 * 4 / np.sqrt(8.75)
    np.testing.assert_allclose(path, [w1, w2, w3], rtol=1e-10)
    np.testing.assert_allclose(state[("r", "w")], [np.sqrt(8.75)])       # the state keeps r = sqrt(s)
    assert ("v", "w") not in state


def test_adam_two_steps_by_hand():
    # beta1 = 0.5, beta2 = 0.75, alpha = 0.1, gradients 2, -2 (epsilon 1e-12):
    # k=1: v = 1, s = 0.25*4 = 1; v_hat = 1/0.5 = 2, s_hat = 1/0.25 = 4 -> w = 1 - 0.1*2/2 = 0.9
    # k=2: v = 0.5 - 1 = -0.5, s = 0.75 + 1 = 1.75; v_hat = -0.5/0.75 = -2/3,
    #      s_hat = 1.75/0.4375 = 4                                      -> w = 0.9 + 0.1*(2/3)/2
    path, _ = _steps(adam_update, [2.0, -2.0], learning_rate=0.1, beta1=0.5, beta2=0.75, epsilon=1e-12)
    np.testing.assert_allclose(path, [0.9, 0.9 + 0.1 / 3], rtol=1e-10)


def test_momentum_with_beta_zero_is_gradient_descent():
    rng = np.random.default_rng(0)
    a, b = {"W": rng.normal(size=(3, 2))}, None
    b = {"W": a["W"].copy()}
    state = {}
    for _ in range(5):
        g = {"dW": rng.normal(size=(3, 2))}
        momentum_update(a, g, state, learning_rate=0.3, beta=0.0)
        sgd_update(b, g, 0.3)
        np.testing.assert_allclose(a["W"], b["W"], rtol=1e-15)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_velocity_of_a_constant_gradient_is_biased_by_one_minus_beta_to_the_k(seed):
    # v_k = (1 - beta^k) g: the average of a constant sequence, biased towards its zero start
    rng = np.random.default_rng(seed)
    beta, g = rng.uniform(0, 0.999), rng.normal(size=(2, 3))
    params, state = {"W": np.zeros((2, 3))}, {}
    for k in range(1, 8):
        momentum_update(params, {"dW": g}, state, learning_rate=1.0, beta=beta)
        np.testing.assert_allclose(state[("v", "W")], (1 - beta ** k) * g, rtol=1e-12, atol=1e-300)


def test_rmsprop_first_step_is_alpha_over_root_one_minus_beta2():
    params = {"W": np.array([1.0, -1.0])}
    rmsprop_update(params, {"dW": np.array([5.0, -0.001])}, {}, learning_rate=0.1, beta2=0.9, epsilon=1e-12)
    step = 0.1 / np.sqrt(0.1)                                       # no bias correction: 3.16 alpha
    np.testing.assert_allclose(params["W"], [1.0 - step, -1.0 + step], rtol=1e-8)


@pytest.mark.parametrize("update, hyper", [(momentum_update, {"beta": 0.9}), (rmsprop_update, {"beta2": 0.9})])
@pytest.mark.parametrize("dtype, size", [(np.float64, 1e300), (np.float32, 1e37)])
def test_huge_gradients_give_finite_steps(update, hyper, dtype, size):
    params = {"W": np.array([1.0, 1.0], dtype=dtype)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        state = {}
        for _ in range(3):
            update(params, {"dW": np.array([size, -size], dtype=dtype)}, state, learning_rate=1e-300
                   if dtype == np.float64 and update is momentum_update else 0.1, **hyper)
    assert np.all(np.isfinite(params["W"]))
    assert all(np.all(np.isfinite(v)) for k, v in state.items() if k != "k")


def test_new_optimisers_keep_float32():
    for update in (momentum_update, rmsprop_update):
        params = {"W": np.ones(3, dtype=np.float32)}
        state = {}
        for _ in range(2):
            update(params, {"dW": np.full(3, 0.5)}, state, learning_rate=np.float64(0.1))  # float64 gradient
        assert params["W"].dtype == np.float32
        assert all(v.dtype == np.float32 for k, v in state.items() if k != "k")


def test_a_state_from_another_optimiser_is_refused():
    params, grads = {"W": np.ones(2)}, {"dW": np.ones(2)}
    rms = rmsprop_update(params, grads, {}, learning_rate=0.1)
    with pytest.raises(ValueError, match="state"):
        momentum_update(params, grads, rms)
    mom = momentum_update(params, grads, {})
    with pytest.raises(ValueError, match="state"):
        adam_update(params, grads, mom)                    # k = 1 but no ("r", "W")
    adam = adam_update(params, grads, {})
    with pytest.raises(ValueError, match="state"):
        rmsprop_update(params, grads, adam)


def test_get_update_is_each_optimisers_body():
    rng = np.random.default_rng(3)
    for name, public in (("momentum", momentum_update), ("rmsprop", rmsprop_update), ("adam", adam_update)):
        a, s_a = {"W": rng.normal(size=(2, 2))}, {}
        b, s_b = {"W": a["W"].copy()}, {}
        for _ in range(4):
            g = {"dW": rng.normal(size=(2, 2))}
            get_update(name)(a, g, s_a, 0.05)
            public(b, g, s_b, 0.05)
        np.testing.assert_array_equal(a["W"], b["W"])
    params, state = {"W": np.ones(2)}, {}
    get_update("gd")(params, {"dW": np.ones(2)}, state, 0.5)
    assert params["W"].tolist() == [0.5, 0.5] and state == {"k": 1}
    assert set(OPTIMIZERS) == {"gd", "momentum", "rmsprop", "adam"}


# ------------------------------------------------------------ the path on a cost function

def _bowl(p):
    """J = (x^2 + 100 y^2)/2, a narrow valley along x (condition number 100); gradient (x, 100 y)."""
    x, y = p["xy"]
    return 0.5 * (x ** 2 + 100 * y ** 2), {"dxy": np.array([x, 100 * y])}


def test_optimizer_path_repeats_the_update_and_keeps_every_iterate():
    start = {"xy": np.array([-4.0, 1.0])}
    path, costs = optimizer_path(_bowl, start, 3, "momentum", learning_rate=0.05, beta=0.5)
    assert path["xy"].shape == (4, 2) and costs.shape == (4,)
    np.testing.assert_array_equal(path["xy"][0], [-4.0, 1.0])
    assert start["xy"].tolist() == [-4.0, 1.0]                         # the start is left unchanged
    by_hand, state = {"xy": np.array([-4.0, 1.0])}, {}
    for k in range(1, 4):
        momentum_update(by_hand, _bowl(by_hand)[1], state, 0.05, 0.5)
        np.testing.assert_allclose(path["xy"][k], by_hand["xy"], rtol=1e-15)
    np.testing.assert_allclose(costs, [_bowl({"xy": xy})[0] for xy in path["xy"]])
    gd, gd_costs = optimizer_path(_bowl, start, 1, "gd", learning_rate=0.005)
    np.testing.assert_allclose(gd["xy"][1], [-4.0 + 0.02, 1.0 - 0.005 * 100])


def test_on_a_narrow_valley_momentum_and_adam_beat_the_best_gradient_descent():
    # gradient descent needs alpha < 2/100 for the steep direction (or it diverges), and then
    # crawls along x at a rate 1 - alpha per step; momentum (beta = 0.9) and Adam can take longer steps
    start = {"xy": np.array([-10.0, 1.0])}

    def best(name, highest):
        return min(optimizer_path(_bowl, start, 100, name, learning_rate=rate)[1][-1]
                   for rate in np.geomspace(1e-3, highest, 12))

    gd = best("gd", 0.0199)
    assert best("momentum", 0.3) < gd / 10 and best("adam", 1.0) < gd / 10


def test_optimizer_path_keeps_float32():
    path, _ = optimizer_path(lambda p: (float(np.sum(p["w"] ** 2)), {"dw": 2 * p["w"]}),
                             {"w": np.ones(2, dtype=np.float32)}, 3, "adam", 0.1)
    assert path["w"].dtype == np.float32


# ------------------------------------------------------------ learning-rate schedules

def test_schedules_by_hand():
    assert learning_rate_decay(0.2, 0, 1.0) == 0.2
    assert learning_rate_decay(0.2, 3, 1.0) == pytest.approx(0.2 / 4)        # 0.2 / (1 + 1*3)
    assert learning_rate_decay(0.2, 10, 0.0) == 0.2
    assert exponential_decay(0.2, 2, 0.5) == pytest.approx(0.05)             # 0.2 * 0.5^2
    assert exponential_decay(0.2, 5, 1.0) == 0.2
    assert step_decay(0.2, 9, 0.5, 10) == 0.2                                # floor(9/10) = 0
    assert step_decay(0.2, 10, 0.5, 10) == pytest.approx(0.1)
    assert step_decay(0.2, 25, 0.5, 10) == pytest.approx(0.05)               # floor(25/10) = 2


@settings(max_examples=40, deadline=None)
@given(st.floats(1e-4, 10), st.floats(0.0, 5.0), st.integers(0, 1000))
def test_inverse_time_decay_halves_at_one_over_the_rate_and_never_rises(alpha0, decay_rate, epoch):
    assert learning_rate_decay(alpha0, epoch + 1, decay_rate) <= learning_rate_decay(alpha0, epoch, decay_rate)
    assert 0 < learning_rate_decay(alpha0, epoch, decay_rate) <= alpha0
    if decay_rate > 0 and float(1 / decay_rate).is_integer():
        assert learning_rate_decay(alpha0, int(1 / decay_rate), decay_rate) == pytest.approx(alpha0 / 2)


# ------------------------------------------------------------ the exponentially weighted average

def test_average_by_hand_and_its_correction():
    # beta = 0.5 on 4, 8: v1 = 0.5*4 = 2, v2 = 0.5*2 + 0.5*8 = 5; corrected 2/0.5 = 4, 5/0.75 = 20/3
    np.testing.assert_allclose(exponentially_weighted_average([4.0, 8.0], 0.5), [2.0, 5.0], rtol=1e-15)
    np.testing.assert_allclose(exponentially_weighted_average([4.0, 8.0], 0.5, bias_correction=True),
                               [4.0, 20 / 3], rtol=1e-15)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_corrected_average_of_a_constant_is_the_constant_and_momentum_keeps_the_plain_one(seed):
    rng = np.random.default_rng(seed)
    beta, c = rng.uniform(0, 0.999), rng.normal() * 10.0 ** rng.uniform(-5, 5)
    T = int(rng.integers(1, 60))
    np.testing.assert_allclose(exponentially_weighted_average(np.full(T, c), beta, True), c, rtol=1e-12)
    plain = exponentially_weighted_average(np.full(T, c), beta)
    np.testing.assert_allclose(plain, c * (1 - beta ** np.arange(1, T + 1)), rtol=1e-12)
    grads = rng.normal(size=(T, 2, 3))                      # momentum's velocity is the plain average
    params, state = {"W": np.zeros((2, 3))}, {}
    for g in grads:
        momentum_update(params, {"dW": g}, state, learning_rate=0.1, beta=beta)
    np.testing.assert_allclose(state[("v", "W")], exponentially_weighted_average(grads, beta)[-1],
                               rtol=1e-10, atol=1e-12)


def test_average_keeps_float32():
    assert exponentially_weighted_average(np.ones(5, dtype=np.float32), 0.9, True).dtype == np.float32

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
    bad(momentum_update, "beta", _p(), _G, {}, beta=1.0),
    bad(momentum_update, "beta", _p(), _G, {}, beta=-0.5),
    bad(momentum_update, "learning_rate", _p(), _G, {}, learning_rate=0.0),
    bad(momentum_update, "grads", _p(), {"dW": np.ones((3, 2))}, {}),
    bad(momentum_update, "state", _p(), _G, {("r", "W"): np.zeros((2, 3))}),          # RMSprop's
    bad(momentum_update, "state", _p(), _G, [], error=TypeError),
    bad(rmsprop_update, "beta2", _p(), _G, {}, beta2=1.0),
    bad(rmsprop_update, "epsilon", _p(), _G, {}, epsilon=-1e-8),
    bad(rmsprop_update, "learning_rate", _p(), _G, {}, learning_rate=np.inf),
    bad(rmsprop_update, "parameters", {"W": np.ones((2, 3), dtype=np.int64)}, _G, {}, error=TypeError),
    bad(rmsprop_update, "state", _p(), _G, {"k": 2}),                                  # steps, no moments
    bad(get_update, "optimizer", "sgd"),
    bad(get_update, "optimizer", "Adam"),
    bad(get_update, "optimizer", None),
    bad(optimizer_path, "cost_and_grads", None, _p(), 3, error=TypeError),
    bad(optimizer_path, "parameters", _bowl, {}, 3),
    bad(optimizer_path, "num_iterations", _bowl, {"xy": np.zeros(2)}, -1),
    bad(optimizer_path, "optimizer", _bowl, {"xy": np.zeros(2)}, 3, "nesterov"),
    bad(optimizer_path, "learning_rate", _bowl, {"xy": np.zeros(2)}, 3, "gd", 0.0),
    bad(optimizer_path, "beta", _bowl, {"xy": np.zeros(2)}, 3, "adam", 0.1, beta=0.9),   # Adam's are beta1, beta2
    bad(optimizer_path, "beta1", _bowl, {"xy": np.zeros(2)}, 3, "adam", 0.1, beta1=1.0),
    bad(learning_rate_decay, "alpha0", 0.0, 1, 0.1),
    bad(learning_rate_decay, "epoch", 0.1, -1, 0.1),
    bad(learning_rate_decay, "epoch", 0.1, 1.5, 0.1, error=TypeError),
    bad(learning_rate_decay, "decay_rate", 0.1, 1, -0.1),
    bad(exponential_decay, "decay_rate", 0.1, 1, 0.0),
    bad(exponential_decay, "decay_rate", 0.1, 1, 1.5),
    bad(exponential_decay, "alpha0", np.nan, 1, 0.9),
    bad(exponential_decay, "epoch", 0.1, -3, 0.9),
    bad(step_decay, "drop", 0.1, 1, 0.0),
    bad(step_decay, "epochs_per_drop", 0.1, 1, 0.5, 0),
    bad(step_decay, "epoch", 0.1, None, error=TypeError),
    bad(step_decay, "alpha0", -0.1, 1),
    bad(exponentially_weighted_average, "values", [], 0.9),
    bad(exponentially_weighted_average, "values", 3.0, 0.9),
    bad(exponentially_weighted_average, "values", [1.0, np.nan], 0.9),
    bad(exponentially_weighted_average, "beta", [1.0, 2.0], 1.0),
    bad(exponentially_weighted_average, "bias_correction", [1.0, 2.0], 0.9, "yes", error=TypeError),
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
