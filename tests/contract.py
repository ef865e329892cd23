"""The package's one contract, as reusable checks (CONTRIBUTING.md, "The contract").

Test modules declare two tables and this module checks them:

``BAD_INPUTS``: a list of :func:`bad` cases, each a call that must raise
``ValueError`` (``TypeError`` for a wrong type) whose message begins with the
argument's name. ``tests/test_contract.py`` asserts that every public function
of every computing module has at least three.

``LAYERS``: a list of :class:`Layer` cases, one per ``X_forward`` /
``X_backward`` pair. :func:`check_layer` asserts the layer contract on it:
``forward(...) -> (out, cache)``, ``backward(dout, cache) -> grads`` with
``grads["d" + name]`` for every differentiable argument (and every entry of a
parameter dict), each of its argument's shape; float32 in gives float32 out;
the gradients agree with centred differences (relative error < 1e-7 in
float64); the forward pass leaves its inputs unchanged.
"""
import copy
import re
from dataclasses import dataclass, field

import numpy as np
import pytest

from lib.gradcheck import numerical_gradient_array, relative_error

RTOL_GRADIENT = 1e-7


@dataclass
class Bad:
    function: object
    argument: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    error: type = ValueError

    def __str__(self):
        return f"{self.function.__module__.removeprefix('lib.')}.{self.function.__name__}-{self.argument}"


def bad(function, argument, *args, error=ValueError, **kwargs):
    """A call ``function(*args, **kwargs)`` that must raise ``error`` naming ``argument``."""
    return Bad(function, argument, args, kwargs, error)


def assert_refused(case):
    """The call raises ``case.error`` and the message begins with the argument's name."""
    with pytest.raises(case.error) as info:
        case.function(*case.args, **case.kwargs)
    message = str(info.value)
    assert re.match(rf"{re.escape(case.argument)}(?!\w)", message), (
        f"{case}: the message should begin with {case.argument!r}, got {message!r}")


@dataclass
class Layer:
    """One forward/backward pair and how to make small inputs for it.

    Args:
        forward, backward: the pair.
        make_args: ``make_args(rng, dtype)`` → dict of keyword arguments for
            ``forward`` (arrays of ``dtype``, parameter dicts, hyper-parameters).
        differentiable: the names of the arguments ``backward`` differentiates:
            an array argument ``x`` gives ``grads["dx"]``; a dict argument gives
            ``grads["d" + key]`` for each of its keys.
        name: how the case is shown in the test id (default: the forward's name).
    """
    forward: object
    backward: object
    make_args: object
    differentiable: tuple
    name: str = ""

    def __str__(self):
        return self.name or self.forward.__name__


def _expected_keys(args, differentiable):
    keys = []
    for name in differentiable:
        value = args[name]
        keys += ["d" + k for k in value] if isinstance(value, dict) else ["d" + name]
    return keys


def _arrays(args, differentiable):
    """(gradient key, array) for every differentiable array, parameter dict entries included."""
    for name in differentiable:
        value = args[name]
        if isinstance(value, dict):
            yield from (("d" + k, v) for k, v in value.items())
        else:
            yield "d" + name, value


def check_layer(layer, seed=0):
    """Assert the layer contract on ``layer`` (see the module docstring)."""
    rng = np.random.default_rng(seed)
    args = layer.make_args(rng, np.float64)
    before = copy.deepcopy(args)
    result = layer.forward(**args)
    assert isinstance(result, tuple) and len(result) == 2, \
        f"{layer}: forward must return (out, cache), got {type(result).__name__} of length {len(result)}"
    out, cache = result
    assert isinstance(out, np.ndarray), f"{layer}: out must be an ndarray, got {type(out).__name__}"
    for name, value in before.items():
        now = args[name]
        same = (all(np.array_equal(value[k], now[k]) for k in value) if isinstance(value, dict)
                else np.array_equal(value, now) if isinstance(value, np.ndarray) else True)
        assert same, f"{layer}: forward changed its argument {name!r}"

    dout = rng.standard_normal(out.shape)
    grads = layer.backward(dout, cache)
    assert isinstance(grads, dict), f"{layer}: backward must return a dict, got {type(grads).__name__}"
    expected = _expected_keys(args, layer.differentiable)
    assert sorted(grads) == sorted(expected), f"{layer}: grads keys {sorted(grads)}, expected {sorted(expected)}"
    for key, x in _arrays(args, layer.differentiable):
        assert grads[key].shape == np.shape(x), f"{layer}: {key} has shape {grads[key].shape}, expected {np.shape(x)}"

    for key, x in _arrays(args, layer.differentiable):
        numeric = numerical_gradient_array(lambda: layer.forward(**args)[0], x, dout)
        error = relative_error(grads[key], numeric)
        assert error < RTOL_GRADIENT, f"{layer}: {key} relative error {error:.2e}"

    args32 = layer.make_args(np.random.default_rng(seed), np.float32)
    out32, cache32 = layer.forward(**args32)
    assert out32.dtype == np.float32, f"{layer}: float32 in gave {out32.dtype} out"
    grads32 = layer.backward(dout.astype(np.float32), cache32)
    for key, g in grads32.items():
        assert g.dtype == np.float32, f"{layer}: float32 in gave {key} of dtype {g.dtype}"
