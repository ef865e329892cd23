"""The one contract, checked across the whole package (CONTRIBUTING.md, "The contract").

Every ``X_forward`` / ``X_backward`` pair in ``lib/topic.py`` is declared in
the ``LAYERS`` table of ``tests/test_topic.py`` and passes :func:`contract.check_layer`; every public
function of the computing modules has at least three bad inputs in its test
module's ``BAD_INPUTS`` table, each refused by name.
"""
import importlib
import inspect
import pkgutil

import pytest

import lib
from contract import check_layer

#: Modules that draw or display: they need only clear errors, not the full table.
NOT_COMPUTING = {"plots", "widgets", "show"}
MODULES = sorted(m.name for m in pkgutil.iter_modules(lib.__path__) if not m.name.startswith("_"))
COMPUTING = [name for name in MODULES if name not in NOT_COMPUTING]
MIN_BAD_INPUTS = 3


def _public_functions(name):
    module = importlib.import_module(f"lib.{name}")
    return {fname: fn for fname, fn in inspect.getmembers(module, inspect.isfunction)
            if fn.__module__ == module.__name__ and not fname.startswith("_")}


def _table(name, table):
    return getattr(importlib.import_module(f"test_{name}"), table, [])


def _pairs(name):
    functions = _public_functions(name)
    return [(fn, functions[fname.replace("_forward", "_backward")])
            for fname, fn in functions.items()
            if "_forward" in fname and fname.replace("_forward", "_backward") in functions]


@pytest.mark.parametrize("name", MODULES)
def test_every_forward_backward_pair_is_in_its_layers_table(name):
    declared = {(layer.forward, layer.backward) for layer in _table(name, "LAYERS")}
    missing = [f"{f.__name__}/{b.__name__}" for f, b in _pairs(name) if (f, b) not in declared]
    assert not missing, f"lib/{name}.py: pairs missing from LAYERS in tests/test_{name}.py: {missing}"


@pytest.mark.parametrize("name", MODULES)
def test_layer_contract(name):
    for layer in _table(name, "LAYERS"):
        check_layer(layer)


@pytest.mark.parametrize("name", COMPUTING)
def test_every_public_function_has_three_bad_inputs(name):
    counts = {}
    for case in _table(name, "BAD_INPUTS"):
        counts[case.function] = counts.get(case.function, 0) + 1
    short = [f"{fname} ({counts.get(fn, 0)})" for fname, fn in _public_functions(name).items()
             if counts.get(fn, 0) < MIN_BAD_INPUTS]
    assert not short, f"tests/test_{name}.py: BAD_INPUTS has fewer than {MIN_BAD_INPUTS} cases for {short}"
