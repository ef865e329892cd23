"""Tests for lib.logistic: gradients (one 1/m), loop = vectorised, training, dtype, bad input."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.logistic as L
from contract import assert_refused, bad
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
@pytest.mark.parametrize("propagate", [L.propagate, L.propagate_loop])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_centred_differences_of_the_mean_cost(propagate, seed):
    w, b, X, Y = _problem(n_x=6, m=15, seed=seed)
    grads, _ = propagate(w, b, X, Y)
    params = {"w": w, "b": np.array([b])}

    def J():
        return L.propagate(params["w"], params["b"][0], X, Y)[1]

    errors = gradient_check(J, params, {"w": grads["dw"], "b": np.array([grads["db"]])})
    assert errors["w"] < 1e-7 and errors["b"] < 1e-7, errors


def test_gradients_are_of_the_mean_cost():
    # the 1/m convention: dw, db are dJ/dw, dJ/db for the *mean* loss, so the
    # same examples twice over give the same cost and the same gradients
    w, b, X, Y = _problem(n_x=4, m=9, seed=5)
    g1, J1 = L.propagate(w, b, X, Y)
    g2, J2 = L.propagate(w, b, np.hstack([X, X]), np.hstack([Y, Y]))
    np.testing.assert_allclose(g2["dw"], g1["dw"], rtol=1e-12)
    assert g2["db"] == pytest.approx(g1["db"], rel=1e-12) and J2 == pytest.approx(J1, rel=1e-12)


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


@pytest.mark.parametrize("propagate", [L.propagate, L.propagate_loop])
def test_extreme_logits_give_finite_exact_results_without_warnings(propagate):
    # z = ±1000: one confident mistake costs 1000, one confident right answer 0
    X = np.array([[1000.0, -1000.0, 1000.0]])
    Y = np.array([[0.0, 1.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grads, cost = propagate(np.ones((1, 1)), 0.0, X, Y)
    assert cost == pytest.approx(2000.0 / 3)
    # dz = (a - y)/m = (1, -1, 0)/3 exactly, so dw = x·dz summed, db = sum dz
    assert grads["dw"][0, 0] == pytest.approx(2000.0 / 3) and grads["db"] == pytest.approx(0.0, abs=1e-15)


def test_unchecked_kernel_is_the_same_function():
    w, b, X, Y = _problem()
    g, J = L.propagate(w, b, X, Y)
    g2, J2 = L.propagate.unchecked(w, b, X, Y)
    np.testing.assert_array_equal(g["dw"], g2["dw"])
    assert g["db"] == g2["db"] and J == J2


def test_initialize_with_zeros():
    w, b = L.initialize_with_zeros(7)
    assert w.shape == (7, 1) and not w.any() and b == 0.0 and isinstance(b, float)
    assert w.dtype == np.float64 and L.initialize_with_zeros(2, np.float32)[0].dtype == np.float32


# ------------------------------------------------------------- loop = vectorised
@settings(max_examples=25, deadline=None)
@given(n_x=st.integers(1, 8), m=st.integers(1, 10), seed=st.integers(0, 2**32 - 1))
def test_loop_agrees_with_vectorised(n_x, m, seed):
    w, b, X, Y = _problem(n_x, m, seed, scale=3.0)
    g_vec, c_vec = L.propagate(w, b, X, Y)
    g_loop, c_loop = L.propagate_loop(w, b, X, Y)
    assert g_loop["dw"].shape == (n_x, 1)
    np.testing.assert_allclose(g_loop["dw"], g_vec["dw"], rtol=1e-10, atol=1e-12)
    assert g_loop["db"] == pytest.approx(g_vec["db"], rel=1e-10, abs=1e-12)
    assert c_loop == pytest.approx(c_vec, rel=1e-10, abs=1e-12)


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


def test_optimize_prints_the_recorded_costs(capsys):
    w, b, X, Y = _problem()
    _, _, costs = L.optimize(w, b, X, Y, 25, 0.1, print_cost=True, record_every=10)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"cost after iteration {i}" for i in (0, 10, 20)]
    assert [float(line.split(":")[1]) for line in lines] == pytest.approx(costs, abs=1e-6)


def test_descent_path_matches_optimize():
    w, b, X, Y = _problem(n_x=2, m=20)
    ws, bs, costs = L.descent_path(w, b, X, Y, num_iterations=30, learning_rate=0.3)
    params, _, rec = L.optimize(w, b, X, Y, 30, 0.3, record_every=1)
    assert ws.shape == (31, 2) and bs.shape == (31,) and costs.shape == (31,)
    np.testing.assert_allclose(ws[-1], params["w"][:, 0], rtol=1e-12)
    assert bs[-1] == pytest.approx(params["b"], rel=1e-12)
    np.testing.assert_allclose(costs[:-1], rec, rtol=1e-12)


def test_descent_path_record_every_keeps_every_kth_iterate_and_the_last():
    w, b, X, Y = _problem(n_x=3, m=20, seed=4)
    ws, bs, costs = L.descent_path(w, b, X, Y, num_iterations=25, learning_rate=0.2)
    ws10, bs10, costs10 = L.descent_path(w, b, X, Y, 25, 0.2, record_every=10)
    kept = [0, 10, 20, 25]
    np.testing.assert_array_equal(ws10, ws[kept])
    np.testing.assert_array_equal(bs10, bs[kept])
    np.testing.assert_array_equal(costs10, costs[kept])


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


def test_model_is_optimize_from_zeros():
    X, Y = make_blobs(m=80, std=1.5, seed=2)
    result = L.model(X[:, :60], Y[:, :60], X[:, 60:], Y[:, 60:], num_iterations=95,
                     learning_rate=0.3, record_every=5)
    params, _, costs = L.optimize(*L.initialize_with_zeros(2), X[:, :60], Y[:, :60], 95, 0.3,
                                  record_every=5)
    np.testing.assert_array_equal(result["w"], params["w"])
    assert result["b"] == params["b"] and result["costs"] == costs
    assert result["test_accuracy"] == L.accuracy(L.predict(params["w"], params["b"], X[:, 60:]),
                                                 Y[:, 60:])


def test_model_print_cost(capsys):
    X, Y = make_blobs(m=40, seed=1)
    L.model(X, Y, X, Y, num_iterations=40, learning_rate=0.1, print_cost=True, record_every=10)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        f"cost after iteration {i}" for i in (0, 10, 20, 30)]


def test_accuracy():
    assert L.accuracy(np.array([[1, 0, 1, 1]]), np.array([[1, 1, 1, 0]])) == 0.5
    assert L.accuracy(np.ones((1, 3)), np.ones((1, 3))) == 1.0


# ------------------------------------------------------------- dtype
def test_float32_in_float32_out():
    w, b, X, Y = _problem(n_x=3, m=20, seed=6)
    w32, X32, Y32 = w.astype(np.float32), X.astype(np.float32), Y.astype(np.float32)
    for propagate in (L.propagate, L.propagate_loop):
        grads, cost = propagate(w32, b, X32, Y32)
        assert grads["dw"].dtype == np.float32 and isinstance(cost, float)
        np.testing.assert_allclose(grads["dw"], propagate(w, b, X, Y)[0]["dw"], rtol=1e-4, atol=1e-6)
    params, grads, _ = L.optimize(w32, b, X32, Y32, 5, 0.1)
    assert params["w"].dtype == grads["dw"].dtype == np.float32
    ws, bs, costs = L.descent_path(w32, b, X32, Y32, 5, 0.1)
    assert ws.dtype == bs.dtype == costs.dtype == np.float32
    assert L.predict_proba(w32, b, X32).dtype == L.predict(w32, b, X32).dtype == np.float32
    result = L.model(X32, Y32, X32, Y32, num_iterations=5, learning_rate=0.1)
    assert result["w"].dtype == result["Y_prediction_test"].dtype == np.float32
    # one float64 operand makes the computation float64
    assert L.propagate(w, b, X32, Y32)[0]["dw"].dtype == np.float64


# ------------------------------------------------------------- bad input
def test_X_transposed_is_named_with_a_hint():
    w, b, X, Y = _problem(n_x=5, m=12)
    with pytest.raises(ValueError, match=r"X: expected shape \(n_x, m\).*looks like \(m, n_x\)"):
        L.propagate(w, b, X.T, Y)


W, B, X, Y = _problem(n_x=5, m=12)
X_NAN = X.copy()
X_NAN[1, 2] = np.nan
Y_TWO = Y.copy()
Y_TWO[0, 3] = 2.0
W_NAN = W.copy()
W_NAN[0, 0] = np.nan

BAD_INPUTS = [
    bad(L.initialize_with_zeros, "dim", 0),
    bad(L.initialize_with_zeros, "dim", 2.5, error=TypeError),
    bad(L.initialize_with_zeros, "dim", True, error=TypeError),
    bad(L.initialize_with_zeros, "dtype", 3, dtype=np.int32),
    bad(L.propagate, "X", W, B, X.T, Y),
    bad(L.propagate, "X", W, B, X_NAN, Y),
    bad(L.propagate, "X", W, B, np.zeros((5, 0)), np.zeros((1, 0))),
    bad(L.propagate, "Y", W, B, X, Y[:, :11]),
    bad(L.propagate, "Y", W, B, X, Y[0]),
    bad(L.propagate, "Y", W, B, X, Y_TWO),
    bad(L.propagate, "w", W[:, 0], B, X, Y),
    bad(L.propagate, "w", W.T, B, X, Y),
    bad(L.propagate, "w", W_NAN, B, X, Y),
    bad(L.propagate, "b", W, np.nan, X, Y),
    bad(L.propagate, "b", W, "0", X, Y, error=TypeError),
    bad(L.propagate_loop, "X", W, B, X.T, Y),
    bad(L.propagate_loop, "Y", W, B, X, Y_TWO),
    bad(L.propagate_loop, "w", W_NAN, B, X, Y),
    bad(L.propagate_loop, "b", W, np.inf, X, Y),
    bad(L.optimize, "learning_rate", W, B, X, Y, 10, 0),
    bad(L.optimize, "learning_rate", W, B, X, Y, 10, -0.1),
    bad(L.optimize, "learning_rate", W, B, X, Y, 10, np.nan),
    bad(L.optimize, "num_iterations", W, B, X, Y, -1, 0.1),
    bad(L.optimize, "num_iterations", W, B, X, Y, 2.5, 0.1, error=TypeError),
    bad(L.optimize, "record_every", W, B, X, Y, 10, 0.1, record_every=0),
    bad(L.optimize, "print_cost", W, B, X, Y, 10, 0.1, print_cost="yes", error=TypeError),
    bad(L.optimize, "X", W, B, X_NAN, Y, 10, 0.1),
    bad(L.descent_path, "learning_rate", W, B, X, Y, 10, np.inf),
    bad(L.descent_path, "num_iterations", W, B, X, Y, -1, 0.1),
    bad(L.descent_path, "record_every", W, B, X, Y, 10, 0.1, record_every=0),
    bad(L.descent_path, "Y", W, B, X, Y_TWO, 10, 0.1),
    bad(L.predict_proba, "X", W, B, X.T),
    bad(L.predict_proba, "w", W_NAN, B, X),
    bad(L.predict_proba, "b", W, np.inf, X),
    bad(L.predict, "X", W, B, X[:4]),
    bad(L.predict, "w", W[:, 0], B, X),
    bad(L.predict, "b", W, None, X, error=TypeError),
    bad(L.accuracy, "Y_pred", np.zeros((1, 3)), np.zeros((1, 4))),
    bad(L.accuracy, "Y_pred", np.array([[0.0, 2.0]]), np.zeros((1, 2))),
    bad(L.accuracy, "Y", np.zeros((1, 2)), np.array([[0.0, np.nan]])),
    bad(L.accuracy, "Y", np.zeros((1, 0)), np.zeros((1, 0))),
    bad(L.model, "X_test", X, Y, X[:4], Y, num_iterations=5),
    bad(L.model, "Y_train", X, Y[:, :5], X, Y, num_iterations=5),
    bad(L.model, "Y_test", X, Y, X, Y_TWO, num_iterations=5),
    bad(L.model, "X_train", X_NAN, Y, X, Y, num_iterations=5),
    bad(L.model, "learning_rate", X, Y, X, Y, learning_rate=-1.0),
    bad(L.model, "record_every", X, Y, X, Y, record_every=0),
    bad(L.model, "num_iterations", X, Y, X, Y, num_iterations=-5),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
