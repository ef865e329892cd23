"""lib.optimizers: Adam, shared by the CNN, the RNNs and the translator."""
import numpy as np
import pytest

from lib.optimizers import adam_update


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


def test_gradients_keyed_by_parameter_name_and_float32_kept():
    params = {"W": np.ones(3, dtype=np.float32)}
    state = adam_update(params, {"W": np.ones(3, dtype=np.float32)}, {}, learning_rate=0.5, grad_prefix="")
    assert params["W"].dtype == np.float32 and state[("v", "W")].dtype == np.float32
    assert np.allclose(params["W"], 0.5)


def test_learning_rate_must_be_positive():
    with pytest.raises(ValueError, match="learning_rate"):
        adam_update({"W": np.ones(2)}, {"dW": np.ones(2)}, {}, learning_rate=0)
