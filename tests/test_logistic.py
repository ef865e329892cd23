"""Tests for lib.logistic: gradients, loop = vectorised, training, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.logistic as L
from lib.data import make_blobs
from lib.gradcheck import gradient_check


def _problem(n_x=5, m=12, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(0, scale, (n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    w = rng.normal(0, 0.5, (n_x, 1))
    b = float(rng.normal())
    return w, b, X, Y


# ------------------------------------------------------------- gradients
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_propagate_gradient_check(seed):
    w, b, X, Y = _problem(n_x=6, m=15, seed=seed)
    grads, _ = L.propagate(w, b, X, Y)
    b_arr = np.array([b])
    params = {"w": w, "b": b_arr}

    def J():
        return L.propagate(params["w"], params["b"][0], X, Y)[1]

    errors = gradient_check(J, params, {"w": grads["dw"], "b": np.array([grads["db"]])})
    assert errors["w"] < 1e-7 and errors["b"] < 1e-7, errors


def test_propagate_shapes_and_types():
    w, b, X, Y = _problem(n_x=4, m=9)
    grads, cost = L.propagate(w, b, X, Y)
    assert grads["dw"].shape == (4, 1) and grads["dw"].dtype == np.float64
    assert isinstance(grads["db"], float) and isinstance(cost, float)


def test_propagate_at_zero_costs_log2():
    w, b = L.initialize_with_zeros(3)
    _, _, X, Y = _problem(n_x=3, m=10)
    _, cost = L.propagate(w, b, X, Y)
    assert cost == pytest.approx(np.log(2), rel=1e-12)


def test_propagate_extreme_logits_are_finite():
    # a confident mistake: z = ±1000 must give a large finite cost, no warning
    X = np.array([[1000.0, -1000.0]])
    Y = np.array([[0.0, 1.0]])
    grads, cost = L.propagate(np.ones((1, 1)), 0.0, X, Y)
    assert cost == pytest.approx(1000.0)
    assert np.all(np.isfinite(grads["dw"])) and np.isfinite(grads["db"])


def test_initialize_with_zeros():
    w, b = L.initialize_with_zeros(7)
    assert w.shape == (7, 1) and not w.any() and b == 0.0 and isinstance(b, float)


# ------------------------------------------------------------- loop = vectorised
@settings(max_examples=25, deadline=None)
@given(n_x=st.integers(1, 8), m=st.integers(1, 10), seed=st.integers(0, 10_000))
def test_loop_agrees_with_vectorised(n_x, m, seed):
    w, b, X, Y = _problem(n_x, m, seed, scale=3.0)
    g_vec, c_vec = L.propagate(w, b, X, Y)
    g_loop, c_loop = L.propagate_loop(w, b, X, Y)
    assert g_loop["dw"].shape == (n_x, 1)
    np.testing.assert_allclose(g_loop["dw"], g_vec["dw"], rtol=1e-10, atol=1e-12)
    assert g_loop["db"] == pytest.approx(g_vec["db"], rel=1e-10, abs=1e-12)
    assert c_loop == pytest.approx(c_vec, rel=1e-10, abs=1e-12)


def test_loop_rejects_bad_input_too():
    w, b, X, Y = _problem()
    with pytest.raises(ValueError, match="X"):
        L.propagate_loop(w, b, X.T, Y)


# ------------------------------------------------------------- training
def test_cost_decreases_monotonically_with_small_rate():
    w, b, X, Y = _problem(n_x=3, m=50, seed=3)
    w0, b0 = L.initialize_with_zeros(3)
    _, _, costs = L.optimize(w0, b0, X, Y, num_iterations=200, learning_rate=0.1, record_every=1)
    assert len(costs) == 200
    assert np.all(np.diff(costs) < 0)


def test_optimize_does_not_change_its_input_and_records():
    w, b, X, Y = _problem()
    w_before = w.copy()
    params, grads, costs = L.optimize(w, b, X, Y, num_iterations=250, learning_rate=0.05,
                                      record_every=100)
    np.testing.assert_array_equal(w, w_before)
    assert len(costs) == 3                      # iterations 0, 100, 200
    assert params["w"].shape == w.shape and grads["dw"].shape == w.shape


def test_optimize_zero_iterations_returns_start():
    w, b, X, Y = _problem()
    params, grads, costs = L.optimize(w, b, X, Y, num_iterations=0, learning_rate=0.1)
    np.testing.assert_array_equal(params["w"], w)
    assert params["b"] == b and costs == []
    np.testing.assert_allclose(grads["dw"], L.propagate(w, b, X, Y)[0]["dw"])


def test_descent_path_matches_optimize():
    w, b, X, Y = _problem(n_x=2, m=20)
    ws, bs, costs = L.descent_path(w, b, X, Y, num_iterations=30, learning_rate=0.3)
    params, _, rec = L.optimize(w, b, X, Y, 30, 0.3, record_every=1)
    assert ws.shape == (31, 2) and bs.shape == (31,) and costs.shape == (31,)
    np.testing.assert_allclose(ws[-1], params["w"][:, 0], rtol=1e-12)
    assert bs[-1] == pytest.approx(params["b"], rel=1e-12)
    np.testing.assert_allclose(costs[:-1], rec, rtol=1e-12)


def test_predict_threshold():
    w = np.array([[1.0]])
    X = np.array([[-2.0, -1e-9, 0.0, 1e-9, 3.0]])
    np.testing.assert_array_equal(L.predict(w, 0.0, X), [[0, 0, 0, 1, 1]])
    assert L.predict(w, 0.0, X).shape == (1, 5)


def test_model_learns_separable_blobs():
    X, Y = make_blobs(m=200, centers=((-2.0, -2.0), (2.0, 2.0)), std=0.6, seed=0)
    Xtr, Ytr, Xte, Yte = X[:, :150], Y[:, :150], X[:, 150:], Y[:, 150:]
    result = L.model(Xtr, Ytr, Xte, Yte, num_iterations=500, learning_rate=0.5)
    assert result["train_accuracy"] >= 0.98 and result["test_accuracy"] >= 0.98
    assert result["costs"][-1] < result["costs"][0]
    assert result["Y_prediction_test"].shape == (1, 50)


def test_accuracy():
    assert L.accuracy(np.array([[1, 0, 1, 1]]), np.array([[1, 1, 1, 0]])) == 0.5
    with pytest.raises(ValueError, match="Y_pred"):
        L.accuracy(np.zeros((1, 3)), np.zeros((1, 4)))


# ------------------------------------------------------------- bad input
def test_X_transposed_is_named():
    w, b, X, Y = _problem(n_x=5, m=12)
    with pytest.raises(ValueError, match=r"X: expected shape \(n_x, m\).*looks like \(m, n_x\)"):
        L.propagate(w, b, X.T, Y)
    with pytest.raises(ValueError, match="X"):
        L.predict(w, b, X.T)


def test_w_not_a_column():
    w, b, X, Y = _problem()
    with pytest.raises(ValueError, match=r"w: expected a column of shape \(n_x, 1\)"):
        L.propagate(w[:, 0], b, X, Y)
    with pytest.raises(ValueError, match="w: expected a column"):
        L.propagate(w.T, b, X, Y)


@pytest.mark.parametrize("bad", [np.zeros((12,)), np.zeros((2, 12)), np.zeros((1, 11))])
def test_Y_wrong_shape(bad):
    w, b, X, _ = _problem()
    with pytest.raises(ValueError, match=r"Y: expected shape \(1, 12\)"):
        L.propagate(w, b, X, bad)


def test_Y_not_binary():
    w, b, X, Y = _problem()
    Y = Y.copy()
    Y[0, 3] = 2.0
    with pytest.raises(ValueError, match="Y: expected labels 0 or 1"):
        L.propagate(w, b, X, Y)


@pytest.mark.parametrize("where", ["X", "w", "b", "Y"])
def test_nan_is_named(where):
    w, b, X, Y = _problem()
    w, X, Y = w.copy(), X.copy(), Y.copy()
    if where == "X":
        X[1, 2] = np.nan
    elif where == "w":
        w[0, 0] = np.nan
    elif where == "b":
        b = np.nan
    else:
        Y[0, 0] = np.nan
    with pytest.raises(ValueError, match=where):
        L.propagate(w, b, X, Y)


@pytest.mark.parametrize("rate", [0, -0.1, np.nan, np.inf])
def test_learning_rate_must_be_positive(rate):
    w, b, X, Y = _problem()
    with pytest.raises(ValueError, match="learning_rate"):
        L.optimize(w, b, X, Y, 10, rate)
    with pytest.raises(ValueError, match="learning_rate"):
        L.descent_path(w, b, X, Y, 10, rate)


@pytest.mark.parametrize("n", [-1, 2.5, True])
def test_num_iterations_must_be_a_nonnegative_int(n):
    w, b, X, Y = _problem()
    with pytest.raises(ValueError, match="num_iterations"):
        L.optimize(w, b, X, Y, n, 0.1)


def test_record_every_and_dim_checked():
    w, b, X, Y = _problem()
    with pytest.raises(ValueError, match="record_every"):
        L.optimize(w, b, X, Y, 10, 0.1, record_every=0)
    with pytest.raises(ValueError, match="dim"):
        L.initialize_with_zeros(0)


def test_model_checks_the_test_set_before_training():
    w, b, X, Y = _problem(n_x=5, m=12)
    with pytest.raises(ValueError, match="X_test"):
        L.model(X, Y, X[:4], Y, num_iterations=5)
    with pytest.raises(ValueError, match="Y_train"):
        L.model(X, Y[:, :5], X, Y, num_iterations=5)


def test_model_snapshots_do_not_change_training():
    X, Y = make_blobs(m=80, std=1.5, seed=2)
    plain = L.model(X, Y, X, Y, num_iterations=95, learning_rate=0.3, record_every=5)
    snap = L.model(X, Y, X, Y, num_iterations=95, learning_rate=0.3, record_every=5,
                   snapshot_every=20)
    assert [it for it, _, _ in snap["snapshots"]] == [0, 20, 40, 60, 80, 95]
    np.testing.assert_allclose(snap["costs"], plain["costs"], rtol=1e-12)
    np.testing.assert_allclose(snap["snapshots"][-1][1], plain["w"], rtol=1e-12)
    assert snap["w"] is not None and plain["snapshots"] == []
    with pytest.raises(ValueError, match="snapshot_every"):
        L.model(X, Y, X, Y, num_iterations=10, record_every=5, snapshot_every=7)


def test_model_print_cost_counts_all_iterations(capsys):
    X, Y = make_blobs(m=40, seed=1)
    L.model(X, Y, X, Y, num_iterations=40, learning_rate=0.1, print_cost=True,
            record_every=10, snapshot_every=20)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        f"cost after iteration {i}" for i in (0, 10, 20, 30)]
