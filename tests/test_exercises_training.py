"""What the checkers of Part III (softmax, dropout, input normalisation, Adam) accept, and what they reject with which diagnosis."""
import numpy as np
import pytest

from checking import assert_rejected, verdict
from lib.activations import softmax
from lib.exercises import check_adam_update, check_dropout_forward, check_normalize, check_softmax
from lib.initialization import apply_normalization, fit_normalization
from lib.optimizers import adam_update
from lib.regularization import dropout_forward


# ----------------------------------------------------------------- softmax
def good_softmax(Z):
    e = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def looped_softmax(Z):                       # a loop over the columns is allowed here
    out = np.empty_like(Z)
    for j in range(Z.shape[1]):
        e = np.exp(Z[:, j] - Z[:, j].max())
        out[:, j] = e / e.sum()
    return out


def naive_softmax(Z):
    return np.exp(Z) / np.sum(np.exp(Z), axis=0, keepdims=True)


def global_max_softmax(Z):
    e = np.exp(Z - np.max(Z))
    return e / np.sum(e, axis=0, keepdims=True)


def row_softmax(Z):
    e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def whole_matrix_softmax(Z):
    e = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return e / np.sum(e)


def no_division_softmax(Z):
    return np.exp(Z)


def float64_softmax(Z):
    return good_softmax(Z.astype(np.float64))


def no_keepdims_softmax(Z):
    e = np.exp(Z - np.max(Z, axis=0))        # (K, m) - (m,): broadcasts, right by luck
    return e / np.sum(e, axis=0)


def in_place_softmax(Z):
    Z -= np.max(Z, axis=0, keepdims=True)
    e = np.exp(Z)
    return e / np.sum(e, axis=0, keepdims=True)


# ----------------------------------------------------------------- dropout
def good_dropout(A, keep_prob, rng):
    D = rng.random(A.shape) < keep_prob
    return A * D / keep_prob, (D, keep_prob)


def float_mask_dropout(A, keep_prob, rng):
    D = (rng.random(A.shape) < keep_prob).astype(A.dtype)           # a 0/1 mask of numbers: accepted
    return A * D / keep_prob, (D, keep_prob)


def undivided_dropout(A, keep_prob, rng):
    D = rng.random(A.shape) < keep_prob
    return A * D, (D, keep_prob)


def multiplied_dropout(A, keep_prob, rng):
    D = rng.random(A.shape) < keep_prob
    return A * D * keep_prob, (D, keep_prob)


def flipped_dropout(A, keep_prob, rng):
    D = rng.random(A.shape) > keep_prob                             # drops with probability keep_prob
    return A * D / keep_prob, (D, keep_prob)


def no_cache_dropout(A, keep_prob, rng):
    D = rng.random(A.shape) < keep_prob
    return A * D / keep_prob


def mask_only_cache_dropout(A, keep_prob, rng):
    D = rng.random(A.shape) < keep_prob
    return A * D / keep_prob, D


def other_mask_dropout(A, keep_prob, rng):
    D = rng.binomial(1, keep_prob, A.shape).astype(bool)
    return A * D / keep_prob, (D, keep_prob)


def two_masks_dropout(A, keep_prob, rng):
    out = A * (rng.random(A.shape) < keep_prob) / keep_prob
    return out, (rng.random(A.shape) < keep_prob, keep_prob)        # a second, different mask in the cache


def in_place_dropout(A, keep_prob, rng):
    D = rng.random(A.shape) < keep_prob
    A *= D / keep_prob
    return A.copy(), (D, keep_prob)


# ----------------------------------------------------------------- normalize
def good_normalize(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.std(X_train, axis=1, keepdims=True)
    sigma = np.where(sigma > 0, sigma, 1)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


def columns_normalize(X_train, X_test):
    mu = np.mean(X_train, axis=0, keepdims=True)
    sigma = np.std(X_train, axis=0, keepdims=True)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


def own_statistics_normalize(X_train, X_test):
    def one(X):
        mu, sigma = np.mean(X, axis=1, keepdims=True), np.std(X, axis=1, keepdims=True)
        return (X - mu) / np.where(sigma > 0, sigma, 1)
    return one(X_train), one(X_test)


def variance_normalize(X_train, X_test):
    mu, var = np.mean(X_train, axis=1, keepdims=True), np.var(X_train, axis=1, keepdims=True)
    var = np.where(var > 0, var, 1)
    return (X_train - mu) / var, (X_test - mu) / var


def ddof_normalize(X_train, X_test):
    mu, sigma = np.mean(X_train, axis=1, keepdims=True), np.std(X_train, axis=1, ddof=1, keepdims=True)
    sigma = np.where(sigma > 0, sigma, 1)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


def together_normalize(X_train, X_test):
    both = np.hstack([X_train, X_test])
    mu, sigma = np.mean(both, axis=1, keepdims=True), np.std(both, axis=1, keepdims=True)
    sigma = np.where(sigma > 0, sigma, 1)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


def not_centred_normalize(X_train, X_test):
    sigma = np.std(X_train, axis=1, keepdims=True)
    sigma = np.where(sigma > 0, sigma, 1)
    return X_train / sigma, X_test / sigma


def no_keepdims_normalize(X_train, X_test):
    mu, sigma = np.mean(X_train, axis=1), np.std(X_train, axis=1)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


def zero_sigma_normalize(X_train, X_test):
    mu, sigma = np.mean(X_train, axis=1, keepdims=True), np.std(X_train, axis=1, keepdims=True)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


def in_place_normalize(X_train, X_test):
    mu, sigma = np.mean(X_train, axis=1, keepdims=True), np.std(X_train, axis=1, keepdims=True)
    sigma = np.where(sigma > 0, sigma, 1)
    X_test -= mu
    X_test /= sigma
    return (X_train - mu) / sigma, X_test


def lib_normalize(X_train, X_test):
    mu, sigma = fit_normalization(X_train)
    return apply_normalization(X_train, mu, sigma), apply_normalization(X_test, mu, sigma)


# ----------------------------------------------------------------- Adam
def make_adam(correct=True, eps_inside=False, swap=False, k_mode="right", sign=1.0, in_place=True,
              touch_grads=False):
    def adam(parameters, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
        b1, b2 = (beta2, beta1) if swap else (beta1, beta2)
        if k_mode == "right":
            state["k"] = state.get("k", 0) + 1
        k = {"right": state.get("k"), "always 1": 1, "zero": state.get("k", 0)}.get(k_mode)
        for name, theta in parameters.items():
            if k_mode == "per parameter":
                state["k"] = k = state.get("k", 0) + 1
            g = grads["d" + name]
            if touch_grads:
                g *= 0.5
            v = state[("v", name)] = b1 * state.get(("v", name), 0.0) + (1 - b1) * g
            s = state[("s", name)] = b2 * state.get(("s", name), 0.0) + (1 - b2) * g ** 2
            v_hat, s_hat = (v / (1 - b1 ** k), s / (1 - b2 ** k)) if correct else (v, s)
            step = learning_rate * v_hat / (np.sqrt(s_hat + epsilon) if eps_inside else np.sqrt(s_hat) + epsilon)
            if in_place:
                theta -= sign * step
            else:
                theta = theta - step           # a new array that nobody sees
        return state
    return adam


good_adam = make_adam()


def fresh_arrays_adam(parameters, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    k = state["k"] = state.get("k", 0) + 1
    for name in list(parameters):
        g = grads["d" + name]
        v = state[("v", name)] = beta1 * state.get(("v", name), 0) + (1 - beta1) * g
        s = state[("s", name)] = beta2 * state.get(("s", name), 0) + (1 - beta2) * g * g
        parameters[name] = parameters[name] - learning_rate * (v / (1 - beta1 ** k)) / (
            np.sqrt(s / (1 - beta2 ** k)) + epsilon)      # a new array in the dict: accepted


def python_zero_division_adam(parameters, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999,
                              epsilon=1e-8):
    k = state.get("k", 0)
    c1 = 1 / (1 - beta1 ** k)                                  # k = 0 at the first step
    state["k"] = k + 1
    for name, theta in parameters.items():
        theta -= learning_rate * c1 * grads["d" + name]


MISTAKES = [
    (check_softmax, naive_softmax, "the maximum was not subtracted"),
    (check_softmax, global_max_softmax, "the maximum subtracted that of the whole matrix"),
    (check_softmax, row_softmax, "each row sums to 1, not each column"),
    (check_softmax, whole_matrix_softmax, "not 1: divide each column by its own sum"),
    (check_softmax, no_division_softmax, "not 1: divide each column by its own sum"),
    (check_softmax, float64_softmax, "float32 in gave float64 out"),
    (check_softmax, in_place_softmax, "modified its input"),
    (check_softmax, lambda Z: np.zeros_like(Z), "every entry is 0"),
    (check_softmax, lambda Z: Z, "one of the inputs, unchanged"),
    (check_dropout_forward, undivided_dropout, "off by the factor 1/keep_prob"),
    (check_dropout_forward, multiplied_dropout, "multiplied by keep_prob"),
    (check_dropout_forward, flipped_dropout, "kept with probability 1 − keep_prob"),
    (check_dropout_forward, no_cache_dropout, "the mask kept for the backward pass"),
    (check_dropout_forward, mask_only_cache_dropout, "the cache should be the tuple (D, keep_prob)"),
    (check_dropout_forward, other_mask_dropout, "not with the mask rng.random(A.shape) < keep_prob"),
    (check_dropout_forward, two_masks_dropout, "the cached mask is not the one used"),
    (check_dropout_forward, in_place_dropout, "modified its input"),
    (check_dropout_forward, lambda A, p, rng: (np.zeros_like(A), (np.zeros(A.shape, bool), p)), "every entry is 0"),
    (check_dropout_forward, lambda A, p, rng: (A, (np.ones(A.shape, bool), p)), "one of the inputs, unchanged"),
    (check_normalize, columns_normalize, "each example (column) was normalised over its features"),
    (check_normalize, own_statistics_normalize, "the test set was normalised with its own statistics"),
    (check_normalize, variance_normalize, "divided by the variance"),
    (check_normalize, ddof_normalize, "ddof=1"),
    (check_normalize, together_normalize, "fitted on the training and test sets together"),
    (check_normalize, not_centred_normalize, "the mean μ was not subtracted"),
    (check_normalize, no_keepdims_normalize, "keepdims=True"),
    (check_normalize, zero_sigma_normalize, "use σ = 1 for it"),
    (check_normalize, in_place_normalize, "modified its input"),
    (check_normalize, lambda a, b: (np.zeros_like(a), np.zeros_like(b)), "every entry is 0"),
    (check_normalize, lambda a, b: (a, b), "one of the inputs, unchanged"),
    (check_normalize, lambda a, b: None, "expected a tuple"),
    (check_adam_update, make_adam(correct=False), "no bias correction"),
    (check_adam_update, make_adam(eps_inside=True), "ε is inside the square root"),
    (check_adam_update, make_adam(swap=True), "β1 and β2 are swapped"),
    (check_adam_update, make_adam(k_mode="always 1"), "the step number k is 1 at every step"),
    (check_adam_update, make_adam(k_mode="per parameter"), "incremented once per parameter"),
    (check_adam_update, make_adam(k_mode="zero"), "1 − β^k is not 0"),
    (check_adam_update, python_zero_division_adam, "the first step is k = 1"),
    (check_adam_update, make_adam(sign=-1.0), "the step goes up the gradient"),
    (check_adam_update, make_adam(in_place=False), "did not change: update the parameters in place"),
    (check_adam_update, make_adam(touch_grads=True), "wrote into grads"),
    (check_adam_update, lambda parameters, grads, state, **hyper: state, "did not change"),
]


@pytest.mark.parametrize("checker, function, diagnosis", MISTAKES,
                         ids=[f"{c.__name__}-{getattr(f, '__name__', 'f')}-{i}" for i, (c, f, _) in enumerate(MISTAKES)])
def test_a_typical_mistake_is_rejected_with_its_diagnosis(checker, function, diagnosis):
    assert_rejected(checker, function, diagnosis)


@pytest.mark.parametrize("checker, function", [
    (check_softmax, softmax), (check_softmax, good_softmax), (check_softmax, looped_softmax),
    (check_softmax, no_keepdims_softmax),
    (check_dropout_forward, dropout_forward), (check_dropout_forward, good_dropout),
    (check_dropout_forward, float_mask_dropout),
    (check_normalize, lib_normalize), (check_normalize, good_normalize),
    (check_adam_update, adam_update), (check_adam_update, good_adam), (check_adam_update, fresh_arrays_adam)])
def test_lib_and_equivalent_forms_are_accepted(checker, function):
    ok, said = verdict(checker, function)
    assert ok is True, said
    assert said.startswith("✓")


@pytest.mark.parametrize("checker", [check_softmax, check_dropout_forward, check_normalize, check_adam_update])
def test_a_checker_never_raises_on_what_it_is_given(checker):
    def not_yet(*args, **kwargs):
        raise NotImplementedError
    ok, said = verdict(checker, not_yet)
    assert ok is False and "not implemented yet" in said
    for thing in (None, 3, "softmax", lambda: 1, lambda *a, **k: 1 / 0):
        ok, said = verdict(checker, thing)
        assert ok is False and said.startswith("✗")
