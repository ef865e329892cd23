"""Checkers for Part III: deep networks (one layer's backward pass) and batch normalisation's backward pass."""
import copy

import numpy as np

from lib.exercises._feedback import Case, check
from lib.exercises.foundations import (_after_a_failure, _close, _gradient_check_report, _key,
                                      _only_dtype_or_zeros)


# ===================================================================== chapter 09: one layer's backward pass
def _layer(rng, n, n_prev, m, activation, dtype=np.float64, square=False):
    """(dA, cache) for one layer, and the layer's (A_prev, W, b) for the gradient check."""
    from lib.deep import layer_forward
    A_prev = rng.standard_normal((n_prev, m)).astype(dtype)
    W = rng.standard_normal((n, n if square else n_prev)).astype(dtype)
    b = (rng.standard_normal((n, 1)) * 0.5).astype(dtype)
    _, cache = layer_forward(A_prev, W, b, activation)
    dA = rng.standard_normal((n, m)).astype(dtype) / m      # dJ/dA of a mean cost: it carries a 1/m
    return (dA, cache), (A_prev, W, b)


def _layer_backward_setup():
    rng = np.random.default_rng(90)
    specs = [("tanh, a square W (4, 4), m = 6", 4, 4, 6, "tanh", np.float64, True),
             ("relu, n^[l] = 4, n^[l-1] = 3, m = 5", 4, 3, 5, "relu", np.float64, False),
             ("sigmoid, n^[l] = 3, n^[l-1] = 5, m = 8", 3, 5, 8, "sigmoid", np.float64, False),
             ("relu, one example, m = 1", 2, 3, 1, "relu", np.float64, False),
             ("float32, relu, n^[l] = 3, n^[l-1] = 2, m = 7", 3, 2, 7, "relu", np.float32, False)]
    cases, layers = [], []
    for label, n, n_prev, m, activation, dtype, square in specs:
        args, layer = _layer(rng, n, n_prev, m, activation, dtype, square)
        cases.append(Case(label, args, m=m))
        layers.append(layer)
    return cases, layers


def _reference_layer_backward(dA, cache):
    from lib.deep import layer_backward
    return layer_backward(dA, cache)


def _layer_variant(dA, cache, slope="g'(Z)", back="W.T @ dZ", divide_by_m=False):
    """One layer's gradients with one of the chapter's typical slips (float64)."""
    from lib.activations import ACTIVATIONS
    A_prev, W, Z, activation = cache
    A_prev, W, Z, dA = (np.asarray(a, dtype=np.float64) for a in (A_prev, W, Z, dA))
    g, g_prime = ACTIVATIONS[activation]
    dZ = dA * {"g'(Z)": g_prime(Z), "none": 1.0, "g(Z)": g(Z), "g'(A)": g_prime(g(Z))}[slope]
    if divide_by_m:
        dZ = dZ / A_prev.shape[1]
    dA_prev = {"W.T @ dZ": W.T @ dZ, "W @ dZ": W @ dZ if W.shape[0] == W.shape[1] else None,
               "W.T @ dA": W.T @ dA}[back]
    return {"dA_prev": dA_prev, "dW": dZ @ A_prev.T, "db": dZ.sum(axis=1, keepdims=True)}


def check_layer_backward(layer_backward_function):
    r"""Check a learner's ``layer_backward(dA, cache) -> {"dA_prev", "dW", "db"}`` for one layer.

    cache = (A_prev, W, Z, activation) from ``lib.deep.layer_forward``; with
    dZ = dA ⊙ g′(Z): dA_prev = Wᵀ dZ (n^[l-1], m), dW = dZ A_prevᵀ (n^[l], n^[l-1]),
    db = Σ dZ over the columns (n^[l], 1), and no 1/m (dA already carries it).
    Compared with ``lib.deep.layer_backward`` for relu, tanh and sigmoid layers,
    a square W (so that W dZ has the right shape and wrong values), one
    example and float32; on failure, a numerical gradient check of the layer
    (lib.gradcheck, the sum of dA ⊙ A) says which of dA_prev, dW, db is wrong.
    """
    cases, layers = _layer_backward_setup()

    def chapter_mistakes(mismatch, case):
        if _only_dtype_or_zeros(mismatch):
            return None
        key, got = _key(mismatch.where), mismatch.got
        if key not in ("dA_prev", "dW", "db") or not isinstance(got, np.ndarray):
            return None
        dA, cache = case.args
        m = dA.shape[1]
        if key == "db" and got.shape in ((1, m), (m,)) and m > 1:
            return "db sums dZ over the examples, the columns: np.sum(dZ, axis=1, keepdims=True)"
        if key == "dW" and got.ndim == 2 and got.shape[0] == got.shape[1] \
                and _close(got, np.asarray(mismatch.expected, dtype=np.float64).T):
            return "dW = dZ A_prevᵀ, of W's shape (n^[l], n^[l-1]); A_prev dZᵀ is its transpose"
        if m > 1 and _close(got, _layer_variant(dA, cache, divide_by_m=True)[key]):
            return ("divided by m: a layer's backward pass is the chain rule only; dA is already ∂J/∂A for the "
                    "mean cost, so the 1/m is in it")
        hints = [(dict(slope="none"), "dZ = dA ⊙ g′(Z): the activation's slope g′(Z) is missing"),
                 (dict(slope="g(Z)"), "g(Z) is the activation itself; dZ = dA ⊙ g′(Z) takes its slope"),
                 (dict(slope="g'(A)"), "the slope is taken at Z, the pre-activation in the cache: "
                                       "g′(Z), not g′(A)"),
                 (dict(back="W @ dZ"), "dA_prev = Wᵀ dZ: the gradient goes back along the columns of W, so the "
                                       "transpose"),
                 (dict(back="W.T @ dA"), "dA_prev = Wᵀ dZ, with dZ (after the activation's slope), not dA")]
        try:        # the whole result, to tell apart slips that agree on one entry (no slope, or dA for dZ)
            with np.errstate(all="ignore"):
                result = layer_backward_function(dA.copy(), copy.deepcopy(cache))
            result = {k: result[k] for k in ("dA_prev", "dW", "db")}
        except Exception:   # the learner's code may do anything; then judge the one entry alone
            result = None
        for whole in (True, False):
            for flags, hint in hints:
                alternative = _layer_variant(dA, cache, **flags)
                if alternative[key] is None or not _close(got, alternative[key]):
                    continue
                if not whole or (result is not None and all(_close(result[k], alternative[k]) for k in result)):
                    return hint
        return None

    def gradient_check(learner):
        from lib.deep import layer_forward
        from lib.gradcheck import numerical_gradient_array
        (dA, cache), (A_prev, W, b) = cases[0].args, layers[0]
        point = {"A_prev": A_prev.copy(), "W": W.copy(), "b": b.copy()}
        out = lambda: layer_forward(point["A_prev"], point["W"], point["b"], cache[3])[0]
        numeric = {"d" + k: numerical_gradient_array(out, point[k], dA) for k in point}
        return _gradient_check_report(lambda: learner(dA.copy(), copy.deepcopy(cache)), numeric)

    ok = check("layer_backward", layer_backward_function, _reference_layer_backward, cases,
               diagnoses=(chapter_mistakes,), rtol=1e-6, atol=1e-9)
    if not ok:
        _after_a_failure(gradient_check, layer_backward_function)
    return ok


# ===================================================================== chapter 14: batch normalisation, backward
def _bn(rng, n, m, scale=1.0, shift=0.0, dtype=np.float64, constant_row=False):
    from lib.batchnorm import batchnorm_forward
    Z = (scale * rng.standard_normal((n, m)) + shift).astype(dtype)
    if constant_row:
        Z[0] = Z[0, 0]
    gamma = (1 + 0.5 * rng.standard_normal((n, 1))).astype(dtype)
    beta = rng.standard_normal((n, 1)).astype(dtype)
    _, cache = batchnorm_forward(Z, gamma, beta)
    dout = (rng.standard_normal((n, m)) / m).astype(dtype)
    return (dout, cache), (Z, gamma, beta)


def _batchnorm_setup():
    rng = np.random.default_rng(140)
    specs = [("3 units, a batch of 7", dict(n=3, m=7, scale=2.0, shift=1.0)),
             ("4 units, a batch of 32, mean 5, std 3", dict(n=4, m=32, scale=3.0, shift=5.0)),
             ("the smallest batch, m = 2", dict(n=2, m=2)),
             ("a unit constant over the batch (its Z_norm is 0)", dict(n=3, m=6, constant_row=True)),
             ("float32, 3 units, a batch of 10", dict(n=3, m=10, dtype=np.float32))]
    cases, layers = [], []
    for label, spec in specs:
        args, layer = _bn(rng, **spec)
        cases.append(Case(label, args, m=spec["m"]))
        layers.append(layer)
    return cases, layers


def _reference_batchnorm_backward(dout, cache):
    from lib.batchnorm import batchnorm_backward
    return batchnorm_backward(dout, cache)


def _bn_variant(dout, cache, mean_term=True, var_term=True, with_gamma=True, one_over_m=1.0, dgamma_of="Z_norm"):
    """Batch normalisation's training-mode gradients with one of the typical slips (float64)."""
    _, Z_norm, gamma, inv_std = cache
    Z_norm, gamma, inv_std, dout = (np.asarray(a, dtype=np.float64) for a in (Z_norm, gamma, inv_std, dout))
    m = dout.shape[1]
    dZ_norm = gamma * dout if with_gamma else dout
    inner = m * dZ_norm
    if mean_term:
        inner = inner - dZ_norm.sum(axis=1, keepdims=True)
    if var_term:
        inner = inner - Z_norm * (dZ_norm * Z_norm).sum(axis=1, keepdims=True)
    return {"dZ": inv_std / m * one_over_m * inner,
            "dgamma": (dout * (Z_norm if dgamma_of == "Z_norm" else 1.0)).sum(axis=1, keepdims=True),
            "dbeta": dout.sum(axis=1, keepdims=True)}


def check_batchnorm_backward(batchnorm_backward_function):
    r"""Check a learner's ``batchnorm_backward(dout, cache) -> {"dZ", "dgamma", "dbeta"}`` in training mode.

    cache = ("train", Z_norm, gamma, inv_std) from ``lib.batchnorm.batchnorm_forward``;
    with dẐ = γ ⊙ dout and s = inv_std, sums over the m columns:
    dZ = (s/m)(m dẐ − Σ dẐ − Ẑ ⊙ Σ dẐ ⊙ Ẑ), dγ = Σ dout ⊙ Ẑ, dβ = Σ dout, each
    (n^[l], m) or (n^[l], 1). Compared with ``lib.batchnorm.batchnorm_backward`` on
    batches of 7, 32 and 2, a unit constant over the batch and float32; on
    failure, a numerical gradient check of the layer (lib.gradcheck) says which
    of dZ, dgamma, dbeta is wrong. Diagnoses the test-time gradient (μ and σ²
    treated as constants), a missing term through μ or σ², a missing γ, dγ
    without Ẑ, the layer's 1/m missing or the cost's 1/m added again, the axis.
    """
    cases, layers = _batchnorm_setup()

    def chapter_mistakes(mismatch, case):
        if _only_dtype_or_zeros(mismatch):
            return None
        key, got = _key(mismatch.where), mismatch.got
        if key not in ("dZ", "dgamma", "dbeta") or not isinstance(got, np.ndarray):
            return None
        dout, cache = case.args
        m = dout.shape[1]
        n = dout.shape[0]
        if key in ("dgamma", "dbeta") and got.shape in ((1, m), (m,)) and n > 1:
            return f"{key} sums over the examples of the batch, the columns: axis=1, keepdims=True"
        hints = [(dict(mean_term=False, var_term=False),
                  "this is the test-time gradient, s·dẐ, with μ and σ² held constant; in training they are the "
                  "batch's own and depend on every z_i: subtract Σ dẐ and Ẑ ⊙ Σ dẐ ⊙ Ẑ"),
                 (dict(var_term=False), "the term through σ², − Ẑ ⊙ Σ(dẐ ⊙ Ẑ), is missing"),
                 (dict(mean_term=False), "the term through μ, − Σ dẐ, is missing"),
                 (dict(with_gamma=False), "dẐ = γ ⊙ dout: the γ is missing"),
                 (dict(dgamma_of="one"), "dγ = Σ dout ⊙ Ẑ: the Ẑ is missing (that is dβ)"),
                 (dict(one_over_m=float(m)), "the layer's own 1/m, from μ and σ² being means over the batch, "
                                             "is missing"),
                 (dict(one_over_m=1.0 / m), "an extra 1/m: the cost's 1/m is already in dout; the only 1/m here "
                                            "is the layer's own, from the batch mean")]
        for flags, hint in hints:
            if _close(got, _bn_variant(dout, cache, **flags)[key]):
                return hint
        return None

    def gradient_check(learner):
        from lib.batchnorm import batchnorm_forward
        from lib.gradcheck import numerical_gradient_array
        (dout, cache), (Z, gamma, beta) = cases[0].args, layers[0]
        point = {"Z": Z.copy(), "gamma": gamma.copy(), "beta": beta.copy()}
        out = lambda: batchnorm_forward(point["Z"], point["gamma"], point["beta"])[0]
        numeric = {"d" + k: numerical_gradient_array(out, point[k], dout) for k in point}
        return _gradient_check_report(lambda: learner(dout.copy(), copy.deepcopy(cache)), numeric)

    ok = check("batchnorm_backward", batchnorm_backward_function, _reference_batchnorm_backward, cases,
               diagnoses=(chapter_mistakes,), rtol=1e-6, atol=1e-9)
    if not ok:
        _after_a_failure(gradient_check, batchnorm_backward_function)
    return ok
