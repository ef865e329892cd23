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


# ===================================================================== helpers for the checkers below
def _close(got, alternative):
    """True when ``got`` is the array ``alternative`` (same shape, same values), else False."""
    try:
        got = np.asarray(got, dtype=np.float64)
        alternative = np.asarray(alternative, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return got.shape == alternative.shape and bool(np.allclose(got, alternative, rtol=1e-5, atol=1e-9))


def _only_dtype_or_zeros(mismatch):
    """True when the chapter's diagnoses should stay silent: the values are right (only the dtype is
    wrong, which the comparison itself explains) or every entry is 0 (the common "placeholder" hint)."""
    got = mismatch.got
    if not isinstance(got, np.ndarray) or not np.issubdtype(got.dtype, np.number):
        return False
    return _close(got, mismatch.expected) or (got.size > 0 and not np.any(got))


def _key(where):
    """The dict key in a mismatch's path ("['dW1']" -> "dW1"; "[0]['dw']" -> "dw"), or None."""
    if "['" not in where:
        return None
    return where.rsplit("['", 1)[1].split("']")[0]


def _index(where):
    """The tuple index in a mismatch's path ("[1]" -> 1), or None."""
    where = where.strip()
    if where.startswith("[") and where[1:2].isdigit():
        return int(where[1:where.index("]")])
    return None


def _after_a_failure(gradient_check, learner):
    """Run a checker's gradient check on a learner that failed, if it is a function; never raises."""
    if callable(learner):
        try:
            gradient_check(learner)
        except Exception:         # lib's own numerical gradient on fixed data: should not fail, and must not raise
            pass


def _gradient_check_report(run_learner, numeric):
    """After a failed check, what a numerical gradient check says of each gradient the learner returned.

    ``run_learner()`` returns the learner's dict of gradients on a small float64
    case; ``numeric`` maps each gradient's name to its centred-difference value
    (lib.gradcheck). Prints one line naming the entries that disagree (relative
    error > 1e-5) and those that agree; prints nothing if the learner's result
    cannot be read (it raised, or is not a dict of arrays of the right shapes).
    Never raises.
    """
    from lib.gradcheck import relative_error
    try:
        with np.errstate(all="ignore"):
            grads = run_learner()
        verdicts = []
        for name, value in numeric.items():
            got = np.asarray(grads[name], dtype=np.float64)
            if got.shape != value.shape:
                if got.size != value.size:
                    return
                got = got.reshape(value.shape)
            verdicts.append((name, relative_error(got, value)))
    except Exception:                     # the learner's code may do anything: then say nothing more
        return
    wrong = [f"{name} (relative error {error:.0e})" for name, error in verdicts if error > 1e-5]
    right = [name for name, error in verdicts if error <= 1e-5]
    if wrong:
        print("  a gradient check of your function against centred differences (lib.gradcheck): "
              + ", ".join(wrong) + (" disagree" if len(wrong) > 1 else " disagrees")
              + (f"; {', '.join(right)} agree{'s' if len(right) == 1 else ''}" if right else ""))


# ===================================================================== chapter 01: a layer of neurons
def _layer_forward_cases():
    from lib.neuron import make_housing_features
    rng = np.random.default_rng(10)
    sizes = np.array([[30.0, 45.0, 80.0, 120.0, 200.0]])
    W1 = np.array([[0.01, 0.5, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0], [0.0, 0.0, 2.0, 3.0]])
    b1 = np.array([[-0.5], [-0.5], [-1.0]])
    return [Case("one ReLU neuron on five house sizes (n[l] = 1, W (1, 1))",
                 (sizes, np.array([[2.5]]), np.array([[-100.0]]))),
            Case("a square W (4, 4) on m = 10 examples",
                 (rng.standard_normal((4, 10)), rng.standard_normal((4, 4)), rng.standard_normal((4, 1)))),
            Case("the chapter's hand-wired layer, W (3, 4), on six houses",
                 (make_housing_features(m=6, seed=0), W1, b1)),
            Case("one example, m = 1, W (5, 3)",
                 (rng.standard_normal((3, 1)), rng.standard_normal((5, 3)), rng.standard_normal((5, 1)))),
            Case("float32, W (3, 2), m = 8",
                 tuple(a.astype(np.float32) for a in (rng.standard_normal((2, 8)), rng.standard_normal((3, 2)),
                                                       rng.standard_normal((3, 1)))))]


def _reference_layer_forward(A_prev, W, b):
    from lib.neuron import layer_forward
    return layer_forward(A_prev, W, b, "relu")


def check_layer_forward(layer_forward_function):
    r"""Check a learner's ``layer_forward(A_prev, W, b)``: a layer of ReLU neurons, A = max(0, W A_prev + b).

    A_prev (n[l-1], m), W (n[l], n[l-1]) (row j: neuron j's weights), b (n[l], 1)
    broadcast along the m columns; A (n[l], m). Compared with
    ``lib.neuron.layer_forward(A_prev, W, b, "relu")`` on a single neuron, a
    square W (so that Wᵀ gives the right shape and wrong values), the chapter's
    hand-wired layer, one example and float32. Loops are allowed (the chapter
    shows the loop form too); only the result is checked.
    """
    def chapter_mistakes(mismatch, case):
        if _only_dtype_or_zeros(mismatch):
            return None
        A_prev, W, b = (np.asarray(a, dtype=np.float64) for a in case.args)
        got = mismatch.got
        if _close(got, W @ A_prev + b):
            return "negative entries: the ReLU is missing, A = max(0, Z) with Z = W A_prev + b"
        if _close(got, np.maximum(0, W @ A_prev)):
            return "the bias b is missing from Z = W A_prev + b"
        if W.shape[0] == W.shape[1] and _close(got, np.maximum(0, W.T @ A_prev + b)):
            return "row j of W holds neuron j's weights, so Z = W A_prev; Wᵀ A_prev is the transpose"
        with np.errstate(over="ignore"):
            sigmoid_of_Z = 1 / (1 + np.exp(-(W @ A_prev + b)))
        if _close(got, sigmoid_of_Z):
            return "this is the sigmoid of Z; the neurons here are ReLUs, max(0, Z)"
        return None
    return check("layer_forward", layer_forward_function, _reference_layer_forward, _layer_forward_cases(),
                 diagnoses=(chapter_mistakes,))


# ===================================================================== chapter 02: pictures into columns
def _images_cases():
    from lib.images import make_shapes
    rng = np.random.default_rng(20)
    return [Case("3 colour pictures of 4 × 5 pixels", (rng.random((3, 4, 5, 3)),), m=3),
            Case("one picture, m = 1", (rng.random((1, 6, 6, 3)),), m=1),
            Case("5 pictures of shapes, 16 × 16 × 3", (make_shapes(m=5, size=16, seed=0)[0],), m=5),
            Case("12 grey pictures, 8 × 8 × 1", (rng.random((12, 8, 8, 1)),), m=12),
            Case("float32 pictures, 4 of 3 × 2 × 3", (rng.random((4, 3, 2, 3)).astype(np.float32),), m=4)]


def _reference_images_to_columns(images):
    from lib.images import images_to_columns
    return images_to_columns(images)


def check_images_to_columns(images_to_columns_function):
    r"""Check a learner's ``images_to_columns(images)``: (m, n_H, n_W, n_C) -> X (n_x, m), n_x = n_H n_W n_C.

    Column i of X is picture i read row by row, each pixel's channels together
    (the order of ``images[i].reshape(-1)``), as ``lib.images.images_to_columns``.
    Diagnoses the classic mistakes: (m, n_x) instead of (n_x, m); a reshape
    straight to (n_x, m), which fills X row by row and mixes the pixels of
    different pictures; the channel planes first (the lecture's order) or
    another order of the pixels; the pictures returned as they came.
    """
    def chapter_mistakes(mismatch, case):
        if _only_dtype_or_zeros(mismatch):
            return None
        images = np.asarray(case.args[0], dtype=np.float64)
        m = images.shape[0]
        got, expected = mismatch.got, mismatch.expected
        if not isinstance(got, np.ndarray) or not isinstance(expected, np.ndarray):
            return None
        if got.shape == images.shape:
            return (f"these are the pictures as they came, {images.shape} = (m, n_H, n_W, n_C): "
                    f"each picture must become one column of X, {expected.shape} = (n_x, m)")
        if got.shape != expected.shape:
            if got.shape == expected.shape[::-1]:
                return (f"the shape is {got.shape} = (m, n_x): one picture per row; the book puts the "
                        f"examples in columns, (n_x, m): transpose")
            if got.size == expected.size:
                return (f"the shape is {got.shape}; X is a matrix of shape (n_x, m) = {expected.shape}, "
                        f"one column per picture")
            return None
        got = got.astype(np.float64)
        if _close(got, images.reshape(-1, m)):
            return ("reshaping straight to (n_x, m) fills X row by row, so a column takes numbers from "
                    "several pictures: reshape to (m, n_x) first (one picture per row), then transpose")
        if all(np.allclose(np.sort(got[:, i]), np.sort(expected[:, i])) for i in range(m)):
            if _close(got, images.transpose(0, 3, 1, 2).reshape(m, -1).T):
                return ("that is the lecture's order, all red values, then green, then blue; the book reads "
                        "each picture row by row with each pixel's channels together, images[i].reshape(-1)")
            return ("column i holds picture i's numbers, but in another order: read each picture row by row, "
                    "each pixel's channels together, as images[i].reshape(-1) does")
        if np.all(np.isin(got, images)):
            return "a column holds numbers from several pictures: column i must be picture i, and only it"
        return None
    return check("images_to_columns", images_to_columns_function, _reference_images_to_columns,
                 _images_cases(), diagnoses=(chapter_mistakes,), rtol=0, atol=0)


# ===================================================================== chapter 04: the loop over the examples
def _propagate_loop_cases():
    rng = np.random.default_rng(40)
    cases = []
    for label, n_x, m, dtype in [("n_x = 2, m = 3", 2, 3, np.float64),
                                 ("one example, n_x = 3, m = 1", 3, 1, np.float64),
                                 ("n_x = 4, m = 25", 4, 25, np.float64),
                                 ("float32, n_x = 3, m = 6", 3, 6, np.float32)]:
        w = (rng.standard_normal((n_x, 1)) * 0.7).astype(dtype)
        X = rng.standard_normal((n_x, m)).astype(dtype)
        Y = (rng.random((1, m)) < 0.5).astype(dtype)
        Y[0, 0] = 1 - Y[0, -1] if m > 1 else Y[0, 0]         # both labels present
        cases.append(Case(label, (w, -0.4, X, Y), m=m))
    return cases


def _reference_propagate_loop(w, b, X, Y):
    from lib.logistic import propagate_loop
    grads, cost = propagate_loop(w, b, X, Y)
    return {"dw": grads["dw"], "db": np.float64(grads["db"])}, np.float64(cost)


def _logistic_variant(w, b, X, Y, dz="a - y", last_only=False):
    """dw, db of logistic regression with one of the chapter's typical slips (float64)."""
    w, X, Y = (np.asarray(a, dtype=np.float64) for a in (w, X, Y))
    m = X.shape[1]
    with np.errstate(all="ignore"):
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
    with np.errstate(all="ignore"):
        dZ = {"a - y": A - Y, "squared": (A - Y) * A * (1 - A), "da": -Y / A + (1 - Y) / (1 - A)}[dz] / m
    if last_only:
        dZ = dZ[:, -1:]
        X = X[:, -1:]
    return {"dw": X @ dZ.T, "db": float(np.sum(dZ))}


def _scalar_db_and_cost(result):
    """Accept db and the cost as a number, a 0-d or a 1x1 array."""
    grads, cost = result if isinstance(result, tuple) and len(result) == 2 else (None, None)
    if isinstance(grads, dict) and np.size(grads.get("db", 0.0)) == 1:
        try:
            grads = {**grads, "db": np.asarray(grads["db"], dtype=np.float64).reshape(())}
            return grads, np.asarray(cost, dtype=np.float64).reshape(()) if np.size(cost) == 1 else cost
        except (TypeError, ValueError):
            return result
    return result


def check_propagate_loop(propagate_loop_function):
    r"""Check a learner's ``propagate_loop(w, b, X, Y) -> (grads, cost)``, the lecture's loop over the examples.

    For each example i: z = wᵀx⁽ⁱ⁾ + b, a = σ(z), dz = (a − y)/m, dw += x⁽ⁱ⁾ dz,
    db += dz, and the loss added to the cost, divided by m at the end.
    grads = {"dw": (n_x, 1), "db": a number}, cost a number; compared with
    ``lib.logistic.propagate_loop`` (the loops are what this chapter teaches, so
    they are allowed; a vectorised answer passes too). Diagnoses a missing bias,
    dz = (a − y)·a(1 − a), dw from the last example only, the 1/m, the sign; on
    failure, a numerical gradient check says which of dw, db is wrong.
    """
    def chapter_mistakes(mismatch, case):
        if _only_dtype_or_zeros(mismatch):
            return None
        w, b, X, Y = case.args
        key = _key(mismatch.where)
        if key not in ("dw", "db"):
            return None
        if _close(mismatch.got, _logistic_variant(w, 0.0, X, Y)[key]):
            return "the bias b is missing from z = wᵀx + b"
        if _close(mismatch.got, _logistic_variant(w, b, X, Y, dz="squared")[key]):
            return ("dz = (a − y)·a(1 − a)? For the cross-entropy the σ′ = a(1 − a) cancels against da: "
                    "dz = a − y (over m)")
        if _close(mismatch.got, _logistic_variant(w, b, X, Y, dz="da")[key]):
            return "that uses da, not dz: dz = da · a(1 − a) = a − y (over m)"
        if X.shape[1] > 1 and _close(mismatch.got, _logistic_variant(w, b, X, Y, last_only=True)[key]):
            return "only the last example's share is left: add each example's share (dw += x dz, db += dz)"
        return None

    def gradient_check(learner):
        from lib.gradcheck import numerical_gradient
        from lib.logistic import propagate
        w, b, X, Y = _propagate_loop_cases()[0].args                  # the first case, float64
        point = {"w": w.copy(), "b": np.array([b])}
        cost = lambda: propagate(point["w"], float(point["b"][0]), X, Y)[1]
        numeric = {"dw": numerical_gradient(cost, point["w"]),
                   "db": numerical_gradient(cost, point["b"]).reshape(())}
        return _gradient_check_report(lambda: learner(w.copy(), b, X.copy(), Y.copy())[0], numeric)

    ok = check("propagate_loop", propagate_loop_function, _reference_propagate_loop, _propagate_loop_cases(),
               diagnoses=(chapter_mistakes,), rtol=1e-6, atol=1e-8, adapt=_scalar_db_and_cost)
    if not ok:
        _after_a_failure(gradient_check, propagate_loop_function)
    return ok


# ===================================================================== chapter 06: leaky ReLU's slope
def _leaky_cases():
    rng = np.random.default_rng(60)
    return [Case("a (2, 3) matrix of both signs", (np.array([[-3.1, -0.8, -0.25], [0.3, 1.7, 4.2]]),)),
            Case("z = 0 and its neighbours", (np.array([[-1e-3, 0.0, 1e-3]]),)),
            Case("slope = 0.2, a (4, 5) matrix", (rng.standard_normal((4, 5)),), {"slope": 0.2}),
            Case("z = ±1000", (np.array([-1000.0, 1000.0]),)),
            Case("float32, slope = 0.1", (rng.standard_normal((3, 4)).astype(np.float32),), {"slope": 0.1})]


def _reference_leaky_relu_derivative(z, slope=0.01):
    from lib.activations import leaky_relu_derivative
    return leaky_relu_derivative(z, slope)


def check_leaky_relu_derivative(leaky_relu_derivative_function):
    r"""Check a learner's ``leaky_relu_derivative(z, slope=0.01)``: 1 where z > 0, ``slope`` elsewhere.

    Elementwise, any shape, z's dtype kept (float32 in, float32 out); at z = 0
    the book takes the left-hand slope, ``slope``, as ``relu_derivative`` takes 0
    there. Compared with ``lib.activations.leaky_relu_derivative``.
    """
    def chapter_mistakes(mismatch, case):
        if _only_dtype_or_zeros(mismatch):
            return None
        z = np.asarray(case.args[0], dtype=np.float64)
        slope = case.kwargs.get("slope", 0.01)
        got = mismatch.got
        if _close(got, np.where(z >= 0, 1.0, slope)):
            return ("at z = 0 the book takes the left-hand slope, `slope` (z > 0, not z >= 0), as "
                    "relu_derivative takes 0 there")
        if _close(got, (z > 0).astype(float)) or _close(got, (z >= 0).astype(float)):
            return "0 where z < 0: that is ReLU's derivative; leaky ReLU's slope there is `slope`"
        if _close(got, np.where(z > 0, z, slope * z)):
            return "this is leaky ReLU itself, max(slope·z, z), not its derivative"
        if slope != 0.01 and _close(got, np.where(z > 0, 1.0, 0.01)):
            return f"the argument slope = {slope} is ignored: 0.01 is written in the function instead"
        if _close(got, np.where(z > 0, slope, 1.0)):
            return "the two sides are swapped: the slope is 1 for z > 0 and `slope` for z < 0"
        return None
    return check("leaky_relu_derivative", leaky_relu_derivative_function, _reference_leaky_relu_derivative,
                 _leaky_cases(), diagnoses=(chapter_mistakes,))


# ===================================================================== chapter 07: the two-layer backward pass
def _two_layer_case(rng, n_x, n_h, n_y, m, dtype=np.float64):
    from lib.nn import forward_propagation
    parameters = {"W1": rng.standard_normal((n_h, n_x)) * 0.8, "b1": rng.standard_normal((n_h, 1)) * 0.5,
                  "W2": rng.standard_normal((n_y, n_h)) * 0.8, "b2": rng.standard_normal((n_y, 1)) * 0.5}
    parameters = {k: v.astype(dtype) for k, v in parameters.items()}
    X = rng.standard_normal((n_x, m)).astype(dtype)
    Y = (rng.random((n_y, m)) < 0.5).astype(dtype)
    _, cache = forward_propagation(X, parameters)
    return parameters, cache, X, Y


def _backward_cases():
    rng = np.random.default_rng(70)
    return [Case("n_x = 3, n_h = 4, m = 5", _two_layer_case(rng, 3, 4, 1, 5), m=5),
            Case("the flower's sizes, n_x = 2, n_h = 4, m = 40", _two_layer_case(rng, 2, 4, 1, 40), m=40),
            Case("one example, m = 1", _two_layer_case(rng, 3, 2, 1, 1), m=1),
            Case("one hidden unit, n_h = 1, m = 6", _two_layer_case(rng, 2, 1, 1, 6), m=6),
            Case("float32, n_x = 2, n_h = 3, m = 6", _two_layer_case(rng, 2, 3, 1, 6, np.float32), m=6)]


def _reference_backward_propagation(parameters, cache, X, Y):
    from lib.nn import backward_propagation
    return backward_propagation(parameters, cache, X, Y)


def _two_layer_variant(parameters, cache, X, Y, slope="tanh", dW2_from="A1"):
    """The two-layer gradients with one of the chapter's typical slips (float64)."""
    P = {k: np.asarray(v, dtype=np.float64) for k, v in parameters.items()}
    A1, A2, Z1 = (np.asarray(cache[k], dtype=np.float64) for k in ("A1", "A2", "Z1"))
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    dZ2 = (A2 - Y) / X.shape[1]
    dW2 = dZ2 @ {"A1": A1, "Z1": Z1}[dW2_from].T
    g_prime = {"tanh": 1 - A1 ** 2, "none": 1.0, "1 - A1": 1 - A1, "sigmoid": A1 * (1 - A1),
               "1 - Z1^2": 1 - Z1 ** 2}[slope]
    dZ1 = (P["W2"].T @ dZ2) * g_prime
    return {"dW1": dZ1 @ X.T, "db1": dZ1.sum(axis=1, keepdims=True), "dW2": dW2,
            "db2": dZ2.sum(axis=1, keepdims=True)}


def check_backward_propagation(backward_propagation_function):
    r"""Check a learner's two-layer ``backward_propagation(parameters, cache, X, Y) -> grads``.

    dZ2 = (A2 − Y)/m, dW2 = dZ2 A1ᵀ, db2 = Σ dZ2 (over the columns),
    dZ1 = W2ᵀ dZ2 ⊙ (1 − A1²), dW1 = dZ1 Xᵀ, db1 = Σ dZ1; grads = {"dW1" (n_h, n_x),
    "db1" (n_h, 1), "dW2" (n_y, n_h), "db2" (n_y, 1)}, compared with
    ``lib.nn.backward_propagation`` on caches of ``lib.nn.forward_propagation``.
    Diagnoses tanh's slope missing or replaced, Z1 for A1, the sum for db over
    the wrong axis, transposes, the 1/m; on failure, a numerical gradient check
    of the cost says which of the four gradients is wrong. No loop is refused:
    the loop over the examples is not this chapter's point, the two layers are.
    """
    def chapter_mistakes(mismatch, case):
        if _only_dtype_or_zeros(mismatch):
            return None
        key = _key(mismatch.where)
        got = mismatch.got
        if key not in ("dW1", "db1", "dW2", "db2") or not isinstance(got, np.ndarray):
            return None
        m = case.args[2].shape[1]
        n = mismatch.expected.shape[0]
        if key.startswith("db") and got.shape in ((1, m), (m,)) and m > 1 and n > 1:
            return f"{key} sums dZ over the examples, the columns: np.sum(dZ, axis=1, keepdims=True)"
        slips = {"none": "dZ1 is missing tanh's slope: dZ1 = W2ᵀ dZ2 ⊙ (1 − A1²)",
                 "1 - A1": "tanh's slope is 1 − A1², squared, not 1 − A1",
                 "sigmoid": "A1(1 − A1) is the sigmoid's slope; the hidden layer is tanh, whose slope is 1 − A1²",
                 "1 - Z1^2": "tanh's slope is 1 − tanh²(Z1) = 1 − A1², from A1, not 1 − Z1²"}
        for slope, hint in slips.items():
            if _close(got, _two_layer_variant(*case.args, slope=slope)[key]):
                return hint
        if key == "dW2" and _close(got, _two_layer_variant(*case.args, dW2_from="Z1")[key]):
            return "dW2 = dZ2 A1ᵀ takes the hidden layer's output A1, not its pre-activation Z1"
        return None

    def gradient_check(learner):
        from lib.gradcheck import numerical_gradient
        from lib.nn import compute_cost, forward_propagation
        parameters, cache, X, Y = _backward_cases()[0].args
        point = {k: v.copy() for k, v in parameters.items()}
        cost = lambda: compute_cost(forward_propagation(X, point)[0], Y)
        numeric = {"d" + k: numerical_gradient(cost, point[k]) for k in point}
        return _gradient_check_report(lambda: learner({k: v.copy() for k, v in parameters.items()},
                                                      {k: v.copy() for k, v in cache.items()}, X.copy(), Y.copy()),
                                      numeric)

    ok = check("backward_propagation", backward_propagation_function, _reference_backward_propagation,
               _backward_cases(), diagnoses=(chapter_mistakes,), rtol=1e-6, atol=1e-9)
    if not ok:
        _after_a_failure(gradient_check, backward_propagation_function)
    return ok


# ===================================================================== chapter 08: the perceptron rule
def _perceptron_variant(X, y, learning_rate=0.1, num_epochs=100, w0=None, dummy=-1.0, fire_at_zero=True,
                        sign=1.0, batch=False, learn_theta=True):
    """Rosenblatt's rule with one of the typical slips; returns (w (n,), theta) in float64."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    n, m = X.shape
    X_hat = np.vstack([X, np.full((1, m), dummy)])
    w_hat = np.zeros(n + 1) if w0 is None else np.array(w0, dtype=np.float64).reshape(-1)
    step = (lambda z: (z >= 0) * 1.0) if fire_at_zero else (lambda z: (z > 0) * 1.0)
    for _ in range(num_epochs):
        if batch:
            errors = y - step(w_hat @ X_hat)
            change = learning_rate * sign * (X_hat @ errors)
            mistakes = np.count_nonzero(errors)
        else:
            change, mistakes = 0.0, 0
            for i in range(m):
                error = y[i] - step(w_hat @ X_hat[:, i])
                if error:
                    update = learning_rate * sign * error * X_hat[:, i]
                    if not learn_theta:
                        update[n] = 0.0
                    w_hat = w_hat + update
                    mistakes += 1
        if batch:
            w_hat = w_hat + change
        if mistakes == 0:
            break
    return w_hat[:n], float(w_hat[n])


def _perceptron_cases():
    from lib.perceptron import BINARY_INPUTS
    rng = np.random.default_rng(80)
    # every number a multiple of 1/4 and every learning rate a power of 2: the sums are exact, so no
    # prediction can flip on a rounding difference between two correct implementations
    X3 = rng.integers(-4, 5, (3, 12)) / 4
    y3 = ((np.array([0.75, -0.5, 0.25]) @ X3 - 0.125) >= 0).astype(float)
    return [Case("OR from w0 = [0.25, -0.5, 0.75]", (BINARY_INPUTS.copy(), np.array([0.0, 1, 1, 1])),
                 {"learning_rate": 0.25, "num_epochs": 20, "w0": np.array([0.25, -0.5, 0.75])}),
            Case("AND from zeros (w0 = None), learning_rate = 0.5", (BINARY_INPUTS.copy(), np.array([0.0, 0, 0, 1])),
                 {"learning_rate": 0.5, "num_epochs": 20}),
            Case("XOR, which no line splits: all 7 epochs run", (BINARY_INPUTS.copy(), np.array([0.0, 1, 1, 0])),
                 {"learning_rate": 0.5, "num_epochs": 7}),
            Case("3 inputs, 12 examples a plane splits", (X3, y3), {"learning_rate": 0.25, "num_epochs": 60}),
            Case("float32 inputs, NOT x1 from w0 = [0.5, 0.5, -0.25]",
                 (BINARY_INPUTS.astype(np.float32), np.array([1.0, 1, 0, 0], dtype=np.float32)),
                 {"learning_rate": 0.5, "num_epochs": 20, "w0": np.array([0.5, 0.5, -0.25], dtype=np.float32)})]


def _reference_perceptron_train(X, y, learning_rate=0.1, num_epochs=100, w0=None):
    from lib.perceptron import perceptron_train
    result = perceptron_train(X, y, learning_rate, num_epochs, w0)
    return result.w, np.float64(result.theta)


def _w_and_theta(result):
    """Accept w as (n,) or (n, 1) and theta as a number or a 1-element array."""
    if not (isinstance(result, tuple) and len(result) == 2):
        return result
    w, theta = result
    try:
        w_array = np.asarray(w)
        if w_array.ndim == 2 and w_array.shape[1] == 1 and np.issubdtype(w_array.dtype, np.number):
            w = w_array[:, 0]
        if np.size(theta) == 1:
            theta = np.float64(np.asarray(theta, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        return result
    return w, theta


def check_perceptron_train(perceptron_train_function):
    r"""Check a learner's ``perceptron_train(X, y, learning_rate, num_epochs, w0) -> (w, theta)``.

    Rosenblatt's rule in the dummy-input form: x̂ = [x; −1], ŵ = [w; θ] (zeros when
    w0 is None); for each example in turn ŷ = step(ŵᵀx̂) with step(0) = 1, and
    ŵ ← ŵ + η (y − ŷ) x̂; stop after the first epoch without a mistake, or after
    num_epochs. X (n, m), y (m,); returns w (n,) in X's dtype and θ a number.
    Compared with ``lib.perceptron.perceptron_train`` on cases whose numbers are
    exact in binary (no tie can flip on rounding). The loops over the epochs and
    the examples are the algorithm, so they are allowed. Diagnoses the dummy
    input +1, step(0) = 0, the sign of the update, one update per epoch instead
    of one per example, a threshold that is never learned.
    """
    slips = [(dict(dummy=1.0), "the dummy input is −1.0 (the threshold is subtracted, w·x − θ); with +1 "
                               "the learned θ comes out with the wrong sign"),
             (dict(fire_at_zero=False), "step(0) = 1 in this book: a neuron fires when its input reaches the "
                                        "threshold, ŵᵀx̂ >= 0, not > 0"),
             (dict(sign=-1.0), "the update is ŵ + η (y − ŷ) x̂: yours moves the line away from the mistake"),
             (dict(batch=True), "one example at a time: update ŵ right after each example, before predicting "
                                "the next, not once per epoch"),
             (dict(learn_theta=False), "the threshold is never learned: θ is the weight of the dummy input and "
                                       "is updated like the others")]

    def chapter_mistakes(mismatch, case):
        if _only_dtype_or_zeros(mismatch) or _index(mismatch.where) is None:
            return None
        try:        # the whole result (w and θ), to tell apart slips that give the same w
            import copy
            with np.errstate(all="ignore"):
                w, theta = _w_and_theta(perceptron_train_function(*copy.deepcopy(case.args),
                                                                  **copy.deepcopy(case.kwargs)))
        except Exception:   # the learner's code may do anything; the comparison already ran it once
            return None
        for flags, hint in slips:
            alternative = _perceptron_variant(*case.args, **case.kwargs, **flags)
            if _close(w, alternative[0]) and _close(theta, alternative[1]):
                return hint
        return None
    return check("perceptron_train", perceptron_train_function, _reference_perceptron_train, _perceptron_cases(),
                 diagnoses=(chapter_mistakes,), adapt=_w_and_theta)
