"""The package as a whole: cheap to import, and documented as CONTRIBUTING.md asks."""
import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

import lib

MODULES = sorted(m.name for m in pkgutil.iter_modules(lib.__path__) if not m.name.startswith("_"))


def test_import_lib_does_not_load_matplotlib():
    code = "import sys, lib; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_submodules_load_lazily_through_the_package():
    assert lib.show_source is importlib.import_module("lib.show").show_source
    assert lib.gradcheck is importlib.import_module("lib.gradcheck")
    with pytest.raises(AttributeError, match="no_such_module"):
        lib.no_such_module  # noqa: B018


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_has_a_docstring(name):
    module = importlib.import_module(f"lib.{name}")
    assert module.__doc__ and module.__doc__.strip(), f"lib/{name}.py has no module docstring"
    undocumented = [fname for fname, fn in inspect.getmembers(module, inspect.isfunction)
                    if fn.__module__ == module.__name__ and not fname.startswith("_")
                    and not (fn.__doc__ or "").strip()]
    assert not undocumented, f"lib/{name}.py: no docstring on {undocumented}"


def test_only_the_drawing_modules_import_matplotlib():
    # numpy only in the computing modules (CONTRIBUTING): a chapter pays for matplotlib where it draws
    computing = [name for name in MODULES if name not in {"plots", "widgets"}]
    code = ("import sys, importlib\n"
            f"for name in {computing!r}:\n"
            "    importlib.import_module('lib.' + name)\n"
            "    if 'matplotlib' in sys.modules:\n"
            "        print(name)\n"
            "        break\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing lib.{out.stdout.strip()} loads matplotlib"
