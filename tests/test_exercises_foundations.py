"""What the checkers of Parts I and II accept, and what they reject with which diagnosis."""
import numpy as np
import pytest

from checking import assert_rejected, verdict
from lib.activations import leaky_relu, leaky_relu_derivative, relu_derivative, sigmoid
from lib.exercises import (check_backward_propagation, check_images_to_columns, check_layer_forward,
                           check_leaky_relu_derivative, check_perceptron_train, check_propagate,
                           check_propagate_loop, check_sigmoid)
from lib.images import images_to_columns
from lib.logistic import propagate, propagate_loop
from lib.nn import backward_propagation
from lib.perceptron import perceptron_train


# ----------------------------------------------------------------- sigmoid
def naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def flipped_sigmoid(z):
    return 1 / (1 + np.exp(z))


def float64_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(np.float64)


def in_place_sigmoid(z):
    e = np.exp(-np.abs(z))
    z[...] = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return z


# ----------------------------------------------------------------- propagate
def _cost(A, Y):
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def looped_propagate(w, b, X, Y):
    m = X.shape[1]
    dw, db, cost = np.zeros_like(w), 0.0, 0.0
    for i in range(m):
        a = sigmoid(w[:, 0] @ X[:, i] + b)
        dw[:, 0] += X[:, i] * (a - Y[0, i]) / m
        db += (a - Y[0, i]) / m
        cost += -(Y[0, i] * np.log(a) + (1 - Y[0, i]) * np.log(1 - a)) / m
    return {"dw": dw, "db": db}, float(cost)


def no_one_over_m_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    dZ = A - Y
    return {"dw": X @ dZ.T, "db": np.sum(dZ)}, _cost(A, Y)


def transposed_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    dZ = (A - Y) / X.shape[1]
    return {"dw": dZ @ X.T, "db": np.sum(dZ)}, _cost(A, Y)


def no_bias_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X)
    dZ = (A - Y) / X.shape[1]
    return {"dw": X @ dZ.T, "db": np.sum(dZ)}, _cost(A, Y)


def wrong_sign_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    dZ = (Y - A) / X.shape[1]
    return {"dw": X @ dZ.T, "db": np.sum(dZ)}, _cost(A, Y)


def zeros_propagate(w, b, X, Y):
    return {"dw": np.zeros_like(w), "db": 0.0}, 0.0


def good_propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    dZ = (A - Y) / X.shape[1]
    return {"dw": X @ dZ.T, "db": np.sum(dZ, keepdims=True)}, _cost(A, Y)   # db as a 1x1 array


# ----------------------------------------------------------------- layer_forward (chapter 01)
def good_layer_forward(A_prev, W, b):
    return np.maximum(0, W @ A_prev + b)


def looped_layer_forward(A_prev, W, b):          # the picture of the chapter: one neuron, one example at a time
    A = np.zeros((W.shape[0], A_prev.shape[1]), dtype=A_prev.dtype)
    for j in range(W.shape[0]):
        for i in range(A_prev.shape[1]):
            A[j, i] = max(0, W[j] @ A_prev[:, i] + b[j, 0])
    return A


MISTAKES_LAYER = [
    (check_layer_forward, lambda A_prev, W, b: W @ A_prev + b, "the ReLU is missing"),
    (check_layer_forward, lambda A_prev, W, b: np.maximum(0, W @ A_prev), "the bias b is missing"),
    (check_layer_forward, lambda A_prev, W, b: np.maximum(0, W.T @ A_prev + b), "row j of W holds neuron j's weights"),
    (check_layer_forward, lambda A_prev, W, b: np.maximum(0, W @ A_prev + b).T, "did you transpose?"),
    (check_layer_forward, lambda A_prev, W, b: sigmoid(W @ A_prev + b), "this is the sigmoid of Z"),
    (check_layer_forward, lambda A_prev, W, b: np.zeros((W.shape[0], A_prev.shape[1])), "every entry is 0"),
    (check_layer_forward, lambda A_prev, W, b: A_prev, "one of the inputs, unchanged"),
]


# ----------------------------------------------------------------- images_to_columns (chapter 02)
def looped_images_to_columns(images):
    return np.stack([picture.reshape(-1) for picture in images], axis=1)


MISTAKES_IMAGES = [
    (check_images_to_columns, lambda images: images.reshape(images.shape[0], -1), "(m, n_x)"),
    (check_images_to_columns, lambda images: images.reshape(-1, images.shape[0]), "fills X row by row"),
    (check_images_to_columns, lambda images: images.transpose(0, 3, 1, 2).reshape(images.shape[0], -1).T,
     "the lecture's order"),
    (check_images_to_columns, lambda images: images.T.reshape(-1, images.shape[0]), "in another order"),
    (check_images_to_columns, lambda images: images.reshape(-1), "one column per picture"),
    (check_images_to_columns, lambda images: images, "the pictures as they came"),
    (check_images_to_columns, lambda images: np.zeros((images[0].size, images.shape[0])), "every entry is 0"),
]


# ----------------------------------------------------------------- propagate_loop (chapter 04)
def _loop(w, b, X, Y, dz_of, average_cost=True, accumulate=True, bias=True):
    n_x, m = X.shape
    dw, db, cost = np.zeros_like(w), 0.0, 0.0
    for i in range(m):
        z = float(w[:, 0] @ X[:, i]) + (b if bias else 0.0)
        a = 1 / (1 + np.exp(-z))
        y = Y[0, i]
        cost += -(y * np.log(a) + (1 - y) * np.log(1 - a))
        dz = dz_of(a, y) / m
        if accumulate:
            dw[:, 0] += X[:, i] * dz
            db += dz
        else:
            dw[:, 0] = X[:, i] * dz
            db = dz
    return {"dw": dw, "db": db}, cost / m if average_cost else cost


def good_propagate_loop(w, b, X, Y):
    return _loop(w, b, X, Y, lambda a, y: a - y)


MISTAKES_LOOP = [
    (check_propagate_loop, lambda w, b, X, Y: _loop(w, b, X, Y, lambda a, y: a - y, bias=False),
     "the bias b is missing"),
    (check_propagate_loop, lambda w, b, X, Y: _loop(w, b, X, Y, lambda a, y: (a - y) * a * (1 - a)),
     "the σ′ = a(1 − a) cancels"),
    (check_propagate_loop, lambda w, b, X, Y: _loop(w, b, X, Y, lambda a, y: a - y, accumulate=False),
     "only the last example's share"),
    (check_propagate_loop, lambda w, b, X, Y: _loop(w, b, X, Y, lambda a, y: y - a), "the sign is wrong"),
    (check_propagate_loop, lambda w, b, X, Y: _loop(w, b, X, Y, lambda a, y: (a - y) * X.shape[1]), "the 1/m"),
    (check_propagate_loop, lambda w, b, X, Y: _loop(w, b, X, Y, lambda a, y: a - y, average_cost=False), "the 1/m"),
    (check_propagate_loop, lambda w, b, X, Y: ({"dw": np.zeros_like(w), "db": 0.0}, 0.0), "every entry is 0"),
    (check_propagate_loop, lambda w, b, X, Y: _loop(w, b, X, Y, lambda a, y: (a - y) * a * (1 - a)),
     "a gradient check of your function"),
]


# ----------------------------------------------------------------- leaky_relu_derivative (chapter 06)
def good_leaky_relu_derivative(z, slope=0.01):
    return np.where(z > 0, 1, slope).astype(z.dtype)


MISTAKES_LEAKY = [
    (check_leaky_relu_derivative, lambda z, slope=0.01: np.where(z >= 0, 1, slope).astype(z.dtype), "at z = 0"),
    (check_leaky_relu_derivative, lambda z, slope=0.01: relu_derivative(z), "that is ReLU's derivative"),
    (check_leaky_relu_derivative, lambda z, slope=0.01: leaky_relu(z, slope), "this is leaky ReLU itself"),
    (check_leaky_relu_derivative, lambda z, slope=0.01: np.where(z > 0, 1, 0.01).astype(z.dtype), "is ignored"),
    (check_leaky_relu_derivative, lambda z, slope=0.01: np.where(z > 0, 1.0, slope), "float32 in gave float64 out"),
    (check_leaky_relu_derivative, lambda z, slope=0.01: np.where(z > 0, slope, 1).astype(z.dtype), "swapped"),
    (check_leaky_relu_derivative, lambda z, slope=0.01: np.zeros_like(z), "every entry is 0"),
    (check_leaky_relu_derivative, lambda z, slope=0.01: z, "one of the inputs, unchanged"),
]


# ----------------------------------------------------------------- backward_propagation (chapter 07)
def _backward(parameters, cache, X, Y, slope=lambda A1, Z1: 1 - A1 ** 2, db_axis=1, keepdims=True,
              extra_m=1, dW2_of=lambda A1, Z1: A1, sign=1, transpose_dW1=False):
    m = X.shape[1]
    A1, A2, Z1 = cache["A1"], cache["A2"], cache["Z1"]
    dZ2 = sign * (A2 - Y) / m / extra_m
    dZ1 = (parameters["W2"].T @ dZ2) * slope(A1, Z1)
    return {"dW1": X @ dZ1.T if transpose_dW1 else dZ1 @ X.T,
            "db1": np.sum(dZ1, axis=db_axis, keepdims=keepdims),
            "dW2": dZ2 @ dW2_of(A1, Z1).T, "db2": np.sum(dZ2, axis=db_axis, keepdims=keepdims)}


def good_backward_propagation(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y)


MISTAKES_BACKWARD = [
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, slope=lambda A1, Z1: 1.0),
     "dZ1 is missing tanh's slope"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, slope=lambda A1, Z1: 1 - A1),
     "squared, not 1 − A1"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, slope=lambda A1, Z1: A1 * (1 - A1)),
     "the sigmoid's slope"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, dW2_of=lambda A1, Z1: Z1),
     "not its pre-activation Z1"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, db_axis=0), "axis=1, keepdims=True"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, keepdims=False), "keep the axes"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, transpose_dW1=True), "did you transpose?"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, extra_m=1 / X.shape[1]),
     "the 1/m of the mean over the examples is missing"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, extra_m=X.shape[1]), "applied twice"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, sign=-1), "the sign is wrong"),
    (check_backward_propagation, lambda p, c, X, Y: {"d" + k: np.zeros_like(v) for k, v in p.items()},
     "every entry is 0"),
    (check_backward_propagation, lambda p, c, X, Y: _backward(p, c, X, Y, slope=lambda A1, Z1: 1.0),
     "a gradient check of your function against centred differences (lib.gradcheck): dW1"),
]


# ----------------------------------------------------------------- perceptron_train (chapter 08)
def _perceptron(X, y, learning_rate=0.1, num_epochs=100, w0=None, dummy=-1.0, fire=lambda z: z >= 0,
                sign=1, in_place=False, batch=False, learn_theta=True):
    n, m = X.shape
    X_hat = np.vstack([X, np.full((1, m), dummy, dtype=X.dtype)])
    if w0 is None:
        w_hat = np.zeros(n + 1, dtype=X.dtype)
    else:
        w_hat = w0 if in_place else w0.astype(X.dtype)
    for _ in range(num_epochs):
        mistakes = 0
        if batch:
            errors = y - fire(w_hat @ X_hat)
            w_hat = w_hat + learning_rate * (X_hat @ errors)
            mistakes = np.count_nonzero(errors)
        for i in range(0 if batch else m):
            y_hat = 1.0 if fire(w_hat @ X_hat[:, i]) else 0.0
            if y_hat != y[i]:
                update = sign * learning_rate * (y[i] - y_hat) * X_hat[:, i]
                if not learn_theta:
                    update[n] = 0
                w_hat += update
                mistakes += 1
        if mistakes == 0:
            break
    return w_hat[:n], float(w_hat[n])


def good_perceptron_train(X, y, learning_rate=0.1, num_epochs=100, w0=None):
    return _perceptron(X, y, learning_rate, num_epochs, w0)


def column_perceptron_train(X, y, learning_rate=0.1, num_epochs=100, w0=None):
    w, theta = _perceptron(X, y, learning_rate, num_epochs, w0)
    return w[:, None], np.array([theta])                    # w as a column, θ as a 1-element array


def _wrong(**flags):
    return lambda X, y, learning_rate=0.1, num_epochs=100, w0=None: _perceptron(X, y, learning_rate, num_epochs, w0,
                                                                               **flags)


MISTAKES_PERCEPTRON = [
    (check_perceptron_train, _wrong(dummy=1.0), "the dummy input is −1.0"),
    (check_perceptron_train, _wrong(fire=lambda z: z > 0), "step(0) = 1 in this book"),
    (check_perceptron_train, _wrong(sign=-1), "moves the line away from the mistake"),
    (check_perceptron_train, _wrong(batch=True), "one example at a time"),
    (check_perceptron_train, _wrong(learn_theta=False), "the threshold is never learned"),
    (check_perceptron_train, _wrong(in_place=True), "modified its input"),
    (check_perceptron_train, lambda X, y, learning_rate=0.1, num_epochs=100, w0=None:
     (np.zeros(X.shape[0], X.dtype), 0.0), "every entry is 0"),
    (check_perceptron_train, lambda X, y, learning_rate=0.1, num_epochs=100, w0=None: None, "expected a tuple"),
]


MISTAKES = [
    (check_sigmoid, naive_sigmoid, "For z < 0 compute exp(z)"),
    (check_sigmoid, flipped_sigmoid, "check the sign inside the exponential"),
    (check_sigmoid, float64_sigmoid, "float32 in gave float64 out"),
    (check_sigmoid, in_place_sigmoid, "modified its input"),
    (check_sigmoid, lambda z: np.zeros_like(z), "every entry is 0"),
    (check_sigmoid, lambda z: z, "one of the inputs, unchanged"),
    (check_propagate, looped_propagate, "a Python loop"),
    (check_propagate, no_one_over_m_propagate, "the 1/m"),
    (check_propagate, transposed_propagate, "did you transpose?"),
    (check_propagate, no_bias_propagate, "the bias b is missing"),
    (check_propagate, wrong_sign_propagate, "the sign is wrong"),
    (check_propagate, zeros_propagate, "every entry is 0"),
    (check_propagate, lambda w, b, X, Y: None, "expected a tuple"),
] + MISTAKES_LAYER + MISTAKES_IMAGES + MISTAKES_LOOP + MISTAKES_LEAKY + MISTAKES_BACKWARD + MISTAKES_PERCEPTRON


@pytest.mark.parametrize("checker, function, diagnosis", MISTAKES,
                         ids=[f"{c.__name__}-{f.__name__}-{i}" for i, (c, f, _) in enumerate(MISTAKES)])
def test_a_typical_mistake_is_rejected_with_its_diagnosis(checker, function, diagnosis):
    assert_rejected(checker, function, diagnosis)


def _lib_perceptron_train(X, y, learning_rate=0.1, num_epochs=100, w0=None):
    result = perceptron_train(X, y, learning_rate, num_epochs, w0)
    return result.w, result.theta


ACCEPTED = [(check_sigmoid, sigmoid), (check_propagate, propagate), (check_propagate, good_propagate),
            (check_layer_forward, good_layer_forward), (check_layer_forward, looped_layer_forward),
            (check_images_to_columns, images_to_columns), (check_images_to_columns, looped_images_to_columns),
            (check_propagate_loop, propagate_loop), (check_propagate_loop, propagate),
            (check_propagate_loop, good_propagate_loop),
            (check_leaky_relu_derivative, leaky_relu_derivative),
            (check_leaky_relu_derivative, good_leaky_relu_derivative),
            (check_backward_propagation, backward_propagation),
            (check_backward_propagation, good_backward_propagation),
            (check_perceptron_train, _lib_perceptron_train), (check_perceptron_train, good_perceptron_train),
            (check_perceptron_train, column_perceptron_train)]


@pytest.mark.parametrize("checker, function", ACCEPTED,
                         ids=[f"{c.__name__}-{f.__name__}-{i}" for i, (c, f) in enumerate(ACCEPTED)])
def test_lib_and_equivalent_forms_are_accepted(checker, function):
    ok, said = verdict(checker, function)
    assert ok is True, said


def test_a_checker_never_raises_on_what_it_is_given():
    for thing in (None, 3, "sigmoid", lambda: 1, lambda z: 1 / 0):
        ok, said = verdict(check_sigmoid, thing)
        assert ok is False and said.startswith("✗")


@pytest.mark.parametrize("checker", [check_layer_forward, check_images_to_columns, check_propagate_loop,
                                     check_leaky_relu_derivative, check_backward_propagation,
                                     check_perceptron_train])
def test_the_chapter_checkers_never_raise_on_what_they_are_given(checker):
    def strings(*args, **kwargs):
        return {"dw": "no", "db": "no", "dW1": "no"}, "no"

    for thing in (None, 3, "function", lambda: 1, lambda *args, **kwargs: 1 / 0, strings,
                  lambda *args, **kwargs: [1, 2], lambda *args, **kwargs: ("a", "b")):
        ok, said = verdict(checker, thing)
        assert ok is False and said.startswith("✗"), said
