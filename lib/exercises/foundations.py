"""Checkers for Parts I and II: logistic regression and shallow networks."""
import numpy as np

from lib.activations import sigmoid
from lib.exercises._feedback import Case, check
from lib.logistic import propagate


def _sigmoid_cases():
    rng = np.random.default_rng(0)
    return [Case("a (1, 5) row of logits", (rng.standard_normal((1, 5)),)),
            Case("a scalar, z = 0", (np.array(0.0),)),
            Case("a (3, 4) matrix", (rng.standard_normal((3, 4)) * 3,)),
            Case("float32 logits", (rng.standard_normal((2, 3)).astype(np.float32),)),
            Case("logits of ±1000", (np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]]),))]


def check_sigmoid(sigmoid_function):
    """Check a learner's ``sigmoid(z)`` = 1 / (1 + exp(-z)), elementwise, any shape, stable at ±1000."""
    def no_exp_of_minus_z(mismatch, case):
        got = mismatch.got
        if isinstance(got, np.ndarray) and got.shape == mismatch.expected.shape \
                and np.allclose(got, np.exp(case.args[0]) / 1.0, rtol=1e-6):
            return "this is exp(z), not 1 / (1 + exp(-z))"
        if isinstance(got, np.ndarray) and got.shape == mismatch.expected.shape \
                and np.allclose(got, 1 - mismatch.expected, rtol=1e-6, atol=1e-12):
            return "this is σ(−z) = 1 − σ(z): check the sign inside the exponential"
        return None
    return check("sigmoid", sigmoid_function, sigmoid, _sigmoid_cases(), diagnoses=(no_exp_of_minus_z,),
                 overflow_hint="np.exp(-z) overflows for z = -1000. For z < 0 compute exp(z) / (1 + exp(z)) "
                               "instead, so exp only ever sees -|z|")


def _propagate_cases():
    rng = np.random.default_rng(1)
    cases = []
    for label, n_x, m, dtype in [("n_x = 2, m = 3", 2, 3, np.float64), ("n_x = 5, m = 40", 5, 40, np.float64),
                                 ("float32, n_x = 4, m = 10", 4, 10, np.float32)]:
        w = (rng.standard_normal((n_x, 1)) * 0.5).astype(dtype)
        X = rng.standard_normal((n_x, m)).astype(dtype)
        Y = (rng.random((1, m)) < 0.5).astype(dtype)
        cases.append(Case(label, (w, 0.3, X, Y), m=m))
    return cases


def _reference_propagate(w, b, X, Y):
    grads, cost = propagate(w, b, X, Y)
    return {"dw": grads["dw"], "db": np.float64(grads["db"])}, np.float64(cost)


def check_propagate(propagate_function):
    """Check a learner's vectorised ``propagate(w, b, X, Y) -> (grads, cost)``, no loop over the examples.

    grads = {"dw": (n_x, 1), "db": a number}; cost = (1/m) Σ L(a, y), with
    dZ = (A − Y)/m, dw = X dZᵀ, db = Σ dZ (lib.logistic.propagate).
    """
    def no_bias(mismatch, case):
        w, b, X, Y = case.args
        if mismatch.where.endswith("[0]['dw']") or mismatch.where.endswith("[1]"):
            got = np.asarray(mismatch.got, dtype=np.float64)
            without_b = _reference_propagate(w, 0.0, X, Y)
            expected = without_b[0]["dw"] if "dw" in mismatch.where else without_b[1]
            if got.shape == np.shape(expected) and np.allclose(got, expected, rtol=1e-5):
                return "the bias b is missing from Z = wᵀX + b"
        return None

    def scalar_db(result):
        grads, cost = result if isinstance(result, tuple) and len(result) == 2 else (None, None)
        if isinstance(grads, dict) and np.size(grads.get("db", 0.0)) == 1:
            grads = {**grads, "db": np.asarray(grads["db"], dtype=np.float64).reshape(())}  # 1x1 is fine too
            return grads, np.asarray(cost, dtype=np.float64).reshape(()) if np.size(cost) == 1 else cost
        return result

    return check("propagate", propagate_function, _reference_propagate, _propagate_cases(),
                 diagnoses=(no_bias,), forbid_loops=True, adapt=scalar_db)
