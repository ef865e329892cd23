r"""Checkers for Part III, training deep networks: the softmax, dropout, input normalisation, an Adam step.

- :func:`check_softmax` (``10_softmax_regression``): the softmax of every column of a (K, m) matrix of
  logits, stable at ±1000.
- :func:`check_dropout_forward` (``11_regularization``): inverted dropout's forward pass, the mask drawn
  from a given random generator and kept for the backward pass.
- :func:`check_normalize` (``12_initialization``): normalise a training and a test set with the
  training set's statistics.
- :func:`check_adam_update` (``13_optimization``): Adam's update, in place, run by the checker for several
  steps on one ``state`` dict.

None of these chapters is about vectorisation: loops are not refused (Adam's loop over the parameters is
the natural one).
"""
import copy

import numpy as np

from lib.activations import softmax
from lib.exercises._feedback import Case, check
from lib.initialization import apply_normalization, fit_normalization
from lib.optimizers import adam_update
from lib.regularization import dropout_forward


def _same(got, expected, rtol=1e-5, atol=1e-8):
    """True when ``got`` is an array of ``expected``'s shape and (nearly) its values."""
    got = np.asarray(got) if got is not None else None
    if got is None or got.dtype == object or got.shape != np.shape(expected):
        return False
    with np.errstate(all="ignore"):
        return bool(np.allclose(got.astype(np.float64), np.asarray(expected, dtype=np.float64),
                                rtol=rtol, atol=atol))


# ===================================================================== softmax (chapter 10)
def _softmax_cases():
    rng = np.random.default_rng(10)
    return [Case("the chapter's (4, 2) logits", (np.array([[2.0, -1.0], [1.0, 0.0], [0.1, 3.0], [-1.0, 0.5]]),)),
            Case("K = 3 classes, m = 7 examples", (rng.standard_normal((3, 7)) * 2,)),
            Case("K = 10, m = 40", (rng.standard_normal((10, 40)) * 3,)),
            Case("one example, a (5, 1) column", (rng.standard_normal((5, 1)),)),
            Case("a column of equal logits (the answer is 1/K each)", (np.array([[0.5, 2.0], [0.5, -1.0],
                                                                                  [0.5, 0.0]]),)),
            Case("float32 logits", (rng.standard_normal((4, 6)).astype(np.float32),)),
            Case("logits of ±1000", (np.array([[1000.0, -1000.0, 3.0], [999.0, 1000.0, -1000.0],
                                               [-1000.0, 998.0, 1000.0]]),)),
            Case("one column near +1000 beside one near −1000",
                 (np.array([[1000.0, -1000.0], [999.0, -1001.0], [998.0, -999.0]]),))]


def check_softmax(softmax_function):
    r"""Check a learner's ``softmax(Z)``: each column of a (K, m) matrix of logits turned into probabilities.

    .. math:: \hat Y_{kj} = \frac{e^{Z_{kj} - \max_i Z_{ij}}}{\sum_{i=1}^{K} e^{Z_{ij} - \max_i Z_{ij}}}

    Z is (K, m), the classes along axis 0 and the examples along axis 1 (``lib.activations.softmax``);
    the result has Z's shape and dtype, every column sums to 1, and it is finite for any finite logits.
    The maximum must be each column's own: subtracting the maximum of the whole matrix is right in
    exact arithmetic but gives 0/0 for a column whose logits all lie more than about 745 below it (the
    last case). Loops are allowed (the chapter is not about vectorisation), though none is needed.
    """
    def wrong_axis(mismatch, case):
        Z = np.asarray(case.args[0], dtype=np.float64)
        if Z.ndim != 2 or Z.shape[1] == 1:
            return None
        if _same(mismatch.got, softmax(Z, axis=1)):
            return ("each row sums to 1, not each column: the softmax runs over the classes, axis 0 "
                    "(np.max and np.sum with axis=0, keepdims=True)")
        got = np.asarray(mismatch.got) if mismatch.got is not None else None
        expected = np.asarray(mismatch.expected, dtype=np.float64)
        if got is None or got.dtype == object or got.shape != Z.shape or not np.all(np.isfinite(got)) \
                or not np.all(expected > 0):
            return None
        ratio = got.astype(np.float64) / expected
        sums = np.sum(got.astype(np.float64), axis=0)
        if np.all(ratio > 0) and np.allclose(ratio, ratio[:1], rtol=1e-6) and not np.allclose(sums, 1):
            return (f"the columns sum to {np.array2string(sums[:3], precision=3)}{'…' if sums.size > 3 else ''}, "
                    f"not 1: divide each column by its own sum (np.sum(..., axis=0, keepdims=True))")
        return None

    def explained(learner):
        def wrapped(Z):
            try:
                return learner(Z)
            except RuntimeWarning as warning:
                said = str(warning)
                if "overflow" in said:
                    raise RuntimeWarning(f"{said}: e^1000 is inf in float64, so the maximum was not "
                                         f"subtracted first") from None
                if "invalid" in said or "divide" in said:
                    raise RuntimeWarning(f"{said}: a whole column underflowed to 0 and 0/0 followed; was the "
                                         f"maximum subtracted that of the whole matrix, far above this "
                                         f"column's logits?") from None
                raise
        return wrapped

    if not callable(softmax_function):
        return check("softmax", softmax_function, softmax, [])
    return check("softmax", explained(softmax_function), softmax, _softmax_cases(), diagnoses=(wrong_axis,),
                 overflow_hint="subtract each column's own maximum, np.max(Z, axis=0, keepdims=True), before "
                               "the exponential")


# ===================================================================== inverted dropout (chapter 11)
def _dropout_cases():
    rng = np.random.default_rng(11)
    return [Case("A (3, 5), keep_prob = 0.8", (rng.standard_normal((3, 5)), 0.8, np.random.default_rng(1))),
            Case("A (10, 40), keep_prob = 0.3", (rng.standard_normal((10, 40)), 0.3, np.random.default_rng(2))),
            Case("keep_prob = 1 (every unit kept)", (rng.standard_normal((4, 6)), 1.0, np.random.default_rng(3))),
            Case("float32 activations, keep_prob = 0.7",
                 (rng.standard_normal((5, 8)).astype(np.float32), 0.7, np.random.default_rng(4))),
            Case("a convolutional layer's A, (m, n_H, n_W, n_C) = (2, 3, 3, 4), keep_prob = 0.6",
                 (rng.standard_normal((2, 3, 3, 4)), 0.6, np.random.default_rng(5)))]


def check_dropout_forward(dropout_function):
    r"""Check a learner's ``dropout_forward(A, keep_prob, rng) -> (A_tilde, (D, keep_prob))``, inverted dropout.

    .. math:: D = (\text{rng.random}(A.\text{shape}) < p),\qquad \tilde A = \frac{D \odot A}{p}

    with p = ``keep_prob`` in (0, 1]: every unit is kept with probability p, and the kept ones are divided by p
    so that :math:`\mathbb E[\tilde A] = A`. A has any shape ((n^[l], m) for a dense layer); Ã has A's shape and
    dtype; the cache (D, keep_prob) keeps the boolean mask for the backward pass (a 0/1 mask of numbers is
    accepted too). The mask must be drawn as ``lib.regularization.dropout_forward`` draws it, with one call
    ``rng.random(A.shape) < keep_prob`` on the generator given (the checker passes seeded ones), so that the
    result is deterministic and comparable. Loops are allowed (not a vectorisation chapter).
    """
    def mistakes(mismatch, case):
        A, p, rng = case.args
        got = mismatch.got
        if mismatch.where == "" and isinstance(got, np.ndarray) and got.shape == A.shape:
            return ("only Ã was returned: return (Ã, cache) with cache = (D, keep_prob), the mask kept for the "
                    "backward pass, which must use the same mask")
        if mismatch.where == "[1]":
            return ("the cache should be the tuple (D, keep_prob): the mask the backward pass needs, and keep_prob "
                    "to divide by again")
        if mismatch.where == "[1][0]" and isinstance(got, np.ndarray) and got.shape == A.shape:
            D = copy.deepcopy(rng).random(A.shape) < p
            if _same(got, D / p):
                return "the cached mask holds 1/keep_prob where it should hold 1: keep D itself, 0s and 1s"
            return ("the cached mask is not the one used: keep D = rng.random(A.shape) < keep_prob, drawn once, "
                    "and use that same D for Ã")
        if mismatch.where != "[0]" or not isinstance(got, np.ndarray) or got.shape != A.shape:
            return None
        r = copy.deepcopy(rng).random(A.shape)
        A64 = np.asarray(A, dtype=np.float64)
        D = r < p
        if _same(got, A64 * D):
            return ("off by the factor 1/keep_prob: the kept activations must be divided by keep_prob, or the "
                    "expectation E[Ã] = keep_prob · A changes (the next layer is trained on smaller inputs than it "
                    "meets at test time)")
        if _same(got, A64 * D * p):
            return "multiplied by keep_prob: divide by it, Ã = D ⊙ A / keep_prob"
        for wrong in (r >= p, r > p, r < 1 - p):
            if p != 0.5 and np.any(wrong != D) and (_same(got, A64 * wrong / p) or _same(got, A64 * wrong)
                                       or (p < 1 and _same(got, A64 * wrong / (1 - p)))):
                return ("units were kept with probability 1 − keep_prob: keep_prob is the probability of KEEPING "
                        "a unit, D = rng.random(A.shape) < keep_prob")
        kept = np.isclose(got, A64 / p, rtol=1e-5, atol=1e-12)
        if np.all(kept | (got == 0)) and np.any(kept & (A64 != 0)) and not np.array_equal(kept, D):
            return ("this is inverted dropout, but not with the mask rng.random(A.shape) < keep_prob: draw the mask "
                    "exactly so, with one call on the generator given, so that it can be compared")
        return None

    def bool_mask(result):
        if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], tuple) and len(result[1]) == 2:
            D, p = result[1]
            D = np.asarray(D) if D is not None else D
            if isinstance(D, np.ndarray) and (D.dtype == bool or np.issubdtype(D.dtype, np.number)
                                              and np.all((D == 0) | (D == 1))):
                return result[0], (D.astype(np.float64), p)
        return result

    def reference(A, keep_prob, rng):
        # the mask as 0.0/1.0: the comparison subtracts, which numpy refuses for booleans
        out, (D, p) = dropout_forward(A, keep_prob, rng)
        return out, (D.astype(np.float64), p)

    return check("dropout_forward", dropout_function, reference, _dropout_cases(), diagnoses=(mistakes,),
                 adapt=bool_mask)


# ===================================================================== input normalisation (chapter 12)
def _normalize_cases():
    rng = np.random.default_rng(12)

    def features(n_x, m, dtype=np.float64):
        scale = rng.uniform(0.5, 20.0, (n_x, 1))
        shift = rng.uniform(-30.0, 30.0, (n_x, 1))
        return (rng.standard_normal((n_x, m)) * scale + shift).astype(dtype)

    constant_train = features(3, 8)
    constant_train[1] = 5.0                                  # one feature takes one value: σ = 0
    constant_test = features(3, 4)
    return [Case("3 features, 5 training and 5 test examples", (features(3, 5), features(3, 5))),
            Case("2 features, 40 training and 10 test examples", (features(2, 40), features(2, 10))),
            Case("6 features, 100 training examples, one test example", (features(6, 100), features(6, 1))),
            Case("float32 inputs", (features(4, 30, np.float32), features(4, 12, np.float32))),
            Case("a constant feature (σ = 0 on the training set)", (constant_train, constant_test))]


def _reference_normalize(X_train, X_test):
    mu, sigma = fit_normalization(X_train)
    return apply_normalization(X_train, mu, sigma), apply_normalization(X_test, mu, sigma)


def _normalize_with(X_train, X_test, mu_of, sigma_of, fit_on=None):
    """Both sets normalised with the statistics ``mu_of(X)``, ``sigma_of(X)`` of ``fit_on`` (default: X_train)."""
    X_train, X_test = np.asarray(X_train, np.float64), np.asarray(X_test, np.float64)
    with np.errstate(all="ignore"):
        source = X_train if fit_on is None else fit_on
        mu, sigma = mu_of(source), sigma_of(source)
        return (X_train - mu) / sigma, (X_test - mu) / sigma


def _mean(X):
    return X.mean(axis=1, keepdims=True)


def _std(X, ddof=0):
    s = X.std(axis=1, keepdims=True, ddof=ddof)
    return np.where(s > 0, s, 1.0)


def check_normalize(normalize_function):
    r"""Check a learner's ``normalize(X_train, X_test) -> (X_train_norm, X_test_norm)``.

    With :math:`\mu_j = \frac1m \sum_i x^{(i)}_j` and
    :math:`\sigma_j = \sqrt{\frac1m \sum_i (x^{(i)}_j - \mu_j)^2}` estimated on the **training** set
    (features are rows, examples columns, so both are (n_x, 1)), each set becomes
    :math:`(X - \mu)/\sigma`. A feature constant on the training set has :math:`\sigma_j = 0` and uses
    :math:`\sigma_j = 1` instead, as ``lib.initialization.fit_normalization`` does. X_train is (n_x, m),
    X_test (n_x, m_test); the results have their shapes and dtype. The reference is
    ``fit_normalization`` then ``apply_normalization``. Loops are allowed (not a vectorisation chapter).
    """
    def mistakes(mismatch, case):
        X_train, X_test = case.args
        part = 0 if mismatch.where.startswith("[0]") else 1 if mismatch.where.startswith("[1]") else None
        if part is None:
            return None
        got = mismatch.got

        def is_(variant):
            return _same(got, variant[part])

        columns = np.asarray(X_train, np.float64)
        columns = (columns - columns.mean(axis=0)) / np.where(columns.std(axis=0) > 0, columns.std(axis=0), 1.0)
        if part == 0 and X_train.shape[0] > 1 and _same(got, columns):
            return ("each example (column) was normalised over its features: features are rows and examples "
                    "columns, so the mean and σ are taken over the examples, axis=1 (keepdims=True)")
        if part == 1 and is_(_normalize_with(X_train, X_test, _mean, _std, fit_on=X_test)):
            return ("the test set was normalised with its own statistics: use the training set's μ and σ for "
                    "the test set too (the model was trained on that one map)")
        if is_(_normalize_with(X_train, X_test, _mean, _std, fit_on=np.hstack([X_train, X_test]))):
            return ("μ and σ were fitted on the training and test sets together: fit them on the training "
                    "set only")
        if is_(_normalize_with(X_train, X_test, _mean, lambda X: _std(X) ** 2)):
            return "divided by the variance σ², not the standard deviation σ = sqrt(variance)"
        if is_(_normalize_with(X_train, X_test, _mean, lambda X: _std(X, ddof=1))):
            return ("σ with 1/(m − 1) (ddof=1): the chapter's σ is the square root of the mean, with 1/m "
                    "(np.std's default)")
        if is_(_normalize_with(X_train, X_test, lambda X: 0.0, _std)):
            return "the mean μ was not subtracted: x̂ = (x − μ)/σ"
        if is_(_normalize_with(X_train, X_test, _mean, lambda X: 1.0)):
            return "the features were centred but not divided by σ: x̂ = (x − μ)/σ"
        return None

    def with_hint(learner):
        def wrapped(X_train, X_test):
            try:
                return learner(X_train, X_test)
            except ValueError as err:
                if "broadcast" in str(err):
                    raise ValueError(f"{str(err).rstrip()}: μ and σ must be (n_x, 1) columns, one number per feature, "
                                     f"so that they broadcast over the examples: keepdims=True") from None
                raise
        return wrapped

    if not callable(normalize_function):
        return check("normalize", normalize_function, _reference_normalize, [])
    return check("normalize", with_hint(normalize_function), _reference_normalize, _normalize_cases(),
                 diagnoses=(mistakes,), rtol=1e-6, atol=1e-6,
                 overflow_hint="a feature that takes a single value on the training set has σ = 0: use "
                               "σ = 1 for it (np.where(sigma > 0, sigma, 1)), which maps it to 0")


# ===================================================================== Adam (chapter 13)
class InputModified(Exception):
    """The learner's update wrote into something it must only read (the gradients)."""


def _adam_cases():
    rng = np.random.default_rng(13)

    def problem(shapes, steps, scale=1.0, dtype=np.float64):
        names = [f"W{i + 1}" if len(shape) == 2 and shape[1] > 1 else f"b{i + 1}" for i, shape in enumerate(shapes)]
        parameters = {n: rng.standard_normal(s).astype(dtype) for n, s in zip(names, shapes)}
        grads = [{"d" + n: (rng.standard_normal(s) * scale).astype(dtype) for n, s in zip(names, shapes)}
                 for _ in range(steps)]
        return parameters, grads

    return [Case("one parameter W (2, 3), 3 steps, α = 0.1", (*problem([(2, 3)], 3), dict(learning_rate=0.1))),
            Case("W (4, 3) and b (4, 1), 5 steps, the default hyperparameters",
                 (*problem([(4, 3), (4, 1)], 5), {})),
            Case("W and b, 4 steps, β1 = 0.8, β2 = 0.99, α = 0.05",
                 (*problem([(3, 2), (3, 1)], 4), dict(learning_rate=0.05, beta1=0.8, beta2=0.99))),
            Case("small gradients (about 1e-4), 3 steps, α = 0.01",
                 (*problem([(3, 3)], 3, scale=1e-4), dict(learning_rate=0.01))),
            Case("ε = 1e-3, 3 steps", (*problem([(2, 2)], 3, scale=0.01), dict(learning_rate=0.1, epsilon=1e-3))),
            Case("float32 parameters and gradients, 3 steps",
                 (*problem([(3, 4), (3, 1)], 3, dtype=np.float32), dict(learning_rate=0.01)))]


def _trajectory(update, parameters, grads_per_step, hyper):
    """Run ``update`` for every step on copies, one state dict; {"<name> after step k": array}."""
    parameters = copy.deepcopy(parameters)
    state = {}
    out = {}
    for k, grads in enumerate(grads_per_step, start=1):
        given = copy.deepcopy(grads)
        try:
            update(parameters, given, state, **hyper)
        except ZeroDivisionError as err:
            raise ZeroDivisionError(f"{err}, at step {k}: 1 − β^k is 0 when k = 0; the first step is k = 1 "
                                    f"(add 1 to state['k'] before you use it)") from None
        for key, value in grads.items():
            if not np.array_equal(given.get(key), value):
                raise InputModified(f"the update wrote into grads[{key!r}] at step {k}: read the gradients, "
                                    f"never change them (use new arrays: v = beta1 * v + ..., not g *= ...)")
        for name in grads_per_step[0]:
            name = name[1:]
            out[f"{name} after step {k}"] = np.array(parameters[name], copy=True)
    return out


def _adam_variant(parameters, grads_per_step, hyper, correct_v=True, correct_s=True, eps_inside=False,
                  swap=False, k_of=lambda step, i: step, sign=1.0):
    """A (possibly wrong) Adam, written plainly with s (not its root): for the diagnoses only."""
    alpha = hyper.get("learning_rate", 0.001)
    b1, b2, eps = hyper.get("beta1", 0.9), hyper.get("beta2", 0.999), hyper.get("epsilon", 1e-8)
    if swap:
        b1, b2 = b2, b1
    theta = {n: np.asarray(p, dtype=np.float64).copy() for n, p in parameters.items()}
    v = {n: np.zeros_like(p) for n, p in theta.items()}
    s = {n: np.zeros_like(p) for n, p in theta.items()}
    out = {}
    with np.errstate(all="ignore"):
        for step, grads in enumerate(grads_per_step, start=1):
            for i, name in enumerate(theta):
                g = np.asarray(grads["d" + name], dtype=np.float64)
                k = k_of(step, i)
                v[name] = b1 * v[name] + (1 - b1) * g
                s[name] = b2 * s[name] + (1 - b2) * g * g
                v_hat = v[name] / (1 - b1 ** k) if correct_v else v[name]
                s_hat = s[name] / (1 - b2 ** k) if correct_s else s[name]
                denominator = np.sqrt(s_hat + eps) if eps_inside else np.sqrt(s_hat) + eps
                theta[name] = theta[name] - sign * alpha * v_hat / denominator
            for name in theta:
                out[f"{name} after step {step}"] = theta[name].copy()
    return out


def check_adam_update(adam_function):
    r"""Check a learner's ``adam_update(parameters, grads, state, learning_rate=0.001, beta1=0.9,
    beta2=0.999, epsilon=1e-8)``, one Adam step on every parameter, in place.

    .. math::

        v \leftarrow \beta_1 v + (1-\beta_1)\, g,\quad s \leftarrow \beta_2 s + (1-\beta_2)\, g^2,\quad
        \theta \leftarrow \theta - \alpha\, \frac{v/(1-\beta_1^k)}{\sqrt{s/(1-\beta_2^k)} + \epsilon}

    at step k = 1, 2, …; parameters is a dict name → array (any shape), grads a dict "d" + name → the
    gradient of that shape, state a dict, empty before the first step, that the update keeps its step
    count and averages in (the checker only reads the parameters). The checker calls the function for
    several steps with one state dict, on copies, and compares the parameters after every step with
    ``lib.optimizers.adam_update``'s (which keeps the root of s; the same numbers). ε is outside the
    square root, as in the chapter: a case with small gradients and one with ε = 1e-3 tell the two
    forms apart (with gradients near 1 and ε = 1e-8 they agree to 1e-8). Gradients are of ordinary size
    (lib also survives 1e200, where g² overflows; this checker does not ask for that). A loop over the
    parameters is expected.
    """
    def mistakes(mismatch, case):
        parameters, grads_per_step, hyper = case.args
        key = mismatch.where.strip("[]'\"")
        if not isinstance(mismatch.got, np.ndarray):
            return None
        n = len(parameters)
        variants = [
            (dict(correct_v=False, correct_s=False),
             "no bias correction: divide v by 1 − β1^k and s by 1 − β2^k (without it the first steps are "
             "several times too long, since v and s start at 0)"),
            (dict(correct_v=False), "v is not bias-corrected: divide it by 1 − β1^k"),
            (dict(correct_s=False), "s is not bias-corrected: divide it by 1 − β2^k"),
            (dict(eps_inside=True), "ε is inside the square root: the chapter adds it outside, sqrt(ŝ) + ε"),
            (dict(swap=True), "β1 and β2 are swapped: β1 (0.9) averages the gradients, β2 (0.999) their squares"),
            (dict(k_of=lambda step, i: 1),
             "the step number k is 1 at every step: keep it in state['k'] and add 1 at each step"),
            (dict(k_of=lambda step, i: (step - 1) * n + i + 1),
             "state['k'] is incremented once per parameter: add 1 once per step, before the loop over the "
             "parameters"),
            (dict(k_of=lambda step, i: step + 1), "k is one ahead: the first step is k = 1"),
            (dict(sign=-1.0), "the step goes up the gradient: θ ← θ − α …, not +"),
        ]
        for options, hint in variants:
            wrong = _adam_variant(parameters, grads_per_step, hyper, **options)
            if key in wrong and _same(mismatch.got, wrong[key], rtol=1e-6, atol=1e-12):
                return hint
        name = key.split(" after")[0]
        if name in parameters and _same(mismatch.got, parameters[name], rtol=1e-12, atol=0):
            return (f"{name} did not change: update the parameters in place (theta -= ..., or "
                    f"parameters[name] = ...), the function's caller keeps the same dict")
        return None

    def learner_run(parameters, grads_per_step, hyper):
        return _trajectory(adam_function, parameters, grads_per_step, hyper)

    def reference_run(parameters, grads_per_step, hyper):
        return _trajectory(adam_update, parameters, grads_per_step, hyper)

    if not callable(adam_function):
        return check("adam_update", adam_function, reference_run, [])
    return check("adam_update", learner_run, reference_run, _adam_cases(), diagnoses=(mistakes,),
                 rtol=1e-6, atol=1e-12,
                 overflow_hint="a division by zero or an overflow: at the first step k = 1, so 1 − β^k is "
                               "not 0 (add 1 to state['k'] before you use it); and divide by sqrt(ŝ) + ε, "
                               "never by sqrt(ŝ) alone")
