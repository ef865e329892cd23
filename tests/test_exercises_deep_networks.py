"""What the checkers of Part III accept, and what they reject with which diagnosis."""
import numpy as np
import pytest

from checking import assert_rejected, verdict
from lib.activations import ACTIVATIONS
from lib.batchnorm import batchnorm_backward
from lib.deep import layer_backward
from lib.exercises import check_batchnorm_backward, check_layer_backward


# ----------------------------------------------------------------- layer_backward (chapter 09)
def _layer(dA, cache, slope="g'(Z)", back="W.T @ dZ", divide_by_m=False, db_axis=1, keepdims=True,
           transpose_dW=False):
    A_prev, W, Z, activation = cache
    g, g_prime = ACTIVATIONS[activation]
    dZ = dA * {"g'(Z)": g_prime(Z), "none": 1, "g(Z)": g(Z), "g'(A)": g_prime(g(Z))}[slope]
    if divide_by_m:
        dZ = dZ / A_prev.shape[1]
    dA_prev = {"W.T @ dZ": lambda: W.T @ dZ, "W @ dZ": lambda: W @ dZ, "W.T @ dA": lambda: W.T @ dA}[back]()
    return {"dA_prev": dA_prev, "dW": A_prev @ dZ.T if transpose_dW else dZ @ A_prev.T,
            "db": np.sum(dZ, axis=db_axis, keepdims=keepdims)}


def good_layer_backward(dA, cache):
    return _layer(dA, cache)


def _slip(**flags):
    return lambda dA, cache: _layer(dA, cache, **flags)


# ----------------------------------------------------------------- batchnorm_backward (chapter 14)
def _bn(dout, cache, mean_term=True, var_term=True, with_gamma=True, extra=1.0, dgamma_hat=True, axis=1,
        keepdims=True):
    _, Z_norm, gamma, inv_std = cache
    m = dout.shape[1]
    dZ_norm = gamma * dout if with_gamma else dout
    inner = m * dZ_norm
    if mean_term:
        inner = inner - np.sum(dZ_norm, axis=1, keepdims=True)
    if var_term:
        inner = inner - Z_norm * np.sum(dZ_norm * Z_norm, axis=1, keepdims=True)
    return {"dZ": inv_std / m * extra * inner,
            "dgamma": np.sum(dout * Z_norm if dgamma_hat else dout, axis=axis, keepdims=keepdims),
            "dbeta": np.sum(dout, axis=axis, keepdims=keepdims)}


def good_batchnorm_backward(dout, cache):
    return _bn(dout, cache)


def long_batchnorm_backward(dout, cache):
    """The step-by-step form: through Z_norm, then σ², then μ (the chain rule one node at a time)."""
    _, Z_norm, gamma, inv_std = cache
    m = dout.shape[1]
    dZ_norm = gamma * dout
    centred = Z_norm / inv_std                                            # Z − μ
    dvar = np.sum(dZ_norm * centred, axis=1, keepdims=True) * -0.5 * inv_std ** 3
    dmu = -np.sum(dZ_norm * inv_std, axis=1, keepdims=True) - 2 * dvar * np.mean(centred, axis=1, keepdims=True)
    dZ = dZ_norm * inv_std + dvar * 2 * centred / m + dmu / m
    return {"dZ": dZ, "dgamma": np.sum(dout * Z_norm, axis=1, keepdims=True),
            "dbeta": np.sum(dout, axis=1, keepdims=True)}


def _bn_slip(**flags):
    return lambda dout, cache: _bn(dout, cache, **flags)


MISTAKES = [
    (check_layer_backward, _slip(slope="none"), "the activation's slope g′(Z) is missing"),
    (check_layer_backward, _slip(slope="g(Z)"), "g(Z) is the activation itself"),
    (check_layer_backward, _slip(slope="g'(A)"), "g′(Z), not g′(A)"),
    (check_layer_backward, _slip(back="W @ dZ"), "the gradient goes back along the columns of W"),
    (check_layer_backward, _slip(back="W.T @ dA"), "with dZ (after the activation's slope), not dA"),
    (check_layer_backward, _slip(divide_by_m=True), "a layer's backward pass is the chain rule only"),
    (check_layer_backward, _slip(db_axis=0), "np.sum(dZ, axis=1, keepdims=True)"),
    (check_layer_backward, _slip(keepdims=False), "keep the axes"),
    (check_layer_backward, _slip(transpose_dW=True), "A_prev dZᵀ is its transpose"),
    (check_layer_backward, lambda dA, cache: {k: -v for k, v in layer_backward(dA, cache).items()},
     "the sign is wrong"),
    (check_layer_backward, lambda dA, cache: {"dA_prev": np.zeros_like(cache[0]), "dW": np.zeros_like(cache[1]),
                                              "db": np.zeros((cache[1].shape[0], 1), dA.dtype)}, "every entry is 0"),
    (check_layer_backward, lambda dA, cache: {"dA_prev": dA, "dW": cache[1], "db": dA[:, :1]},
     "one of the inputs, unchanged"),
    (check_layer_backward, lambda dA, cache: None, "expected a dict"),
    (check_layer_backward, _slip(slope="none"),
     "a gradient check of your function against centred differences (lib.gradcheck): dA_prev"),
    (check_batchnorm_backward, _bn_slip(mean_term=False, var_term=False), "this is the test-time gradient"),
    (check_batchnorm_backward, _bn_slip(var_term=False), "the term through σ²"),
    (check_batchnorm_backward, _bn_slip(mean_term=False), "the term through μ"),
    (check_batchnorm_backward, _bn_slip(with_gamma=False), "the γ is missing"),
    (check_batchnorm_backward, _bn_slip(dgamma_hat=False), "the Ẑ is missing"),
    (check_batchnorm_backward, _bn_slip(extra=7.0), "the layer's own 1/m"),
    (check_batchnorm_backward, _bn_slip(extra=1 / 7), "the cost's 1/m is already in dout"),
    (check_batchnorm_backward, _bn_slip(axis=0), "axis=1, keepdims=True"),
    (check_batchnorm_backward, _bn_slip(keepdims=False), "keep the axes"),
    (check_batchnorm_backward, lambda dout, cache: {k: -v for k, v in batchnorm_backward(dout, cache).items()},
     "the sign is wrong"),
    (check_batchnorm_backward, lambda dout, cache: {"dZ": np.zeros_like(dout), "dgamma": np.zeros_like(cache[2]),
                                                    "dbeta": np.zeros_like(cache[2])}, "every entry is 0"),
    (check_batchnorm_backward, lambda dout, cache: {"dZ": dout, "dgamma": cache[2], "dbeta": cache[2]},
     "one of the inputs, unchanged"),
    (check_batchnorm_backward, _bn_slip(var_term=False),
     "a gradient check of your function against centred differences (lib.gradcheck): dZ"),
]


@pytest.mark.parametrize("checker, function, diagnosis", MISTAKES,
                         ids=[f"{c.__name__}-{i}" for i, (c, f, _) in enumerate(MISTAKES)])
def test_a_typical_mistake_is_rejected_with_its_diagnosis(checker, function, diagnosis):
    assert_rejected(checker, function, diagnosis)


ACCEPTED = [(check_layer_backward, layer_backward), (check_layer_backward, good_layer_backward),
            (check_batchnorm_backward, batchnorm_backward), (check_batchnorm_backward, good_batchnorm_backward),
            (check_batchnorm_backward, long_batchnorm_backward)]


@pytest.mark.parametrize("checker, function", ACCEPTED,
                         ids=[f"{c.__name__}-{f.__name__}" for c, f in ACCEPTED])
def test_lib_and_equivalent_forms_are_accepted(checker, function):
    ok, said = verdict(checker, function)
    assert ok is True, said
    assert said.startswith("✓")


@pytest.mark.parametrize("checker", [check_layer_backward, check_batchnorm_backward])
def test_a_checker_never_raises_on_what_it_is_given(checker):
    for thing in (None, 3, "layer_backward", lambda: 1, lambda dA, cache: 1 / 0,
                  lambda dA, cache: {"dZ": "no"}, lambda dA, cache: [1, 2]):
        ok, said = verdict(checker, thing)
        assert ok is False and said.startswith("✗")
