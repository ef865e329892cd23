"""The implement-it exercises, read from the chapters themselves.

Every chapter has at least one: cells tagged ``exercise`` holding a skeleton
``def my_<name>(...)`` that raises ``NotImplementedError``, a cell calling
``check_<name>(my_<name>)``, and a Markdown dropdown tagged ``solution`` whose
one ```` ```python ```` block is the whole solution. The tests take the solution
from the notebook, so the book and the tests cannot drift apart: the printed
solution passes its checker, and the untouched skeleton gets "not implemented
yet" and False, without raising (so the page shows no traceback). What each
checker rejects is tested beside its module (``tests/test_exercises_<part>.py``).
"""
import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import lib.exercises

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
CHECK_CALL = re.compile(r"^(check_\w+)\((my_\w+)\)", re.M)
FENCE = re.compile(r"```python\n(.*?)```", re.S)


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def exercises(path):
    """[(checker name, learner function name, skeleton code, solution code)] of one chapter."""
    cells = _cells(path)
    found = []
    for i, cell in enumerate(cells):
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or "exercise" not in _tags(cell):
            continue
        for checker, function in CHECK_CALL.findall(source):
            skeleton = next("".join(c["source"]) for c in cells[:i] if c["cell_type"] == "code"
                            and f"def {function}(" in "".join(c["source"]))
            solution = next(("".join(c["source"]) for c in cells[i:] if "solution" in _tags(c)
                             and f"def {function}(" in "".join(c["source"])), None)
            found.append((checker, function, skeleton, solution))
    return found


EXERCISES = [(path.stem, *exercise) for path in CHAPTERS for exercise in exercises(path)]
IDS = [f"{stem}-{checker}" for stem, checker, *_ in EXERCISES]


def _run(code, function):
    namespace = {}
    exec(compile(code, f"<{function}>", "exec"), namespace)
    return namespace[function]


def _verdict(checker, function):
    out = io.StringIO()
    with redirect_stdout(out):
        verdict = getattr(lib.exercises, checker)(function)
    return verdict, out.getvalue()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_has_an_implement_it_exercise(path):
    assert exercises(path), f"{path.name}: no cell tagged 'exercise' calls check_<name>(my_<name>)"


@pytest.mark.parametrize("stem, checker, function, skeleton, solution", EXERCISES, ids=IDS)
def test_the_printed_solution_passes_its_checker(stem, checker, function, skeleton, solution):
    assert solution is not None, f"{stem}: no cell tagged 'solution' defines {function}"
    blocks = FENCE.findall(solution)
    assert len(blocks) == 1, f"{stem}: the solution of {function} should hold one ```python block"
    verdict, said = _verdict(checker, _run(blocks[0], function))
    assert verdict is True, said
    assert said.startswith("✓")


@pytest.mark.parametrize("stem, checker, function, skeleton, solution", EXERCISES, ids=IDS)
def test_the_untouched_skeleton_is_not_implemented_yet(stem, checker, function, skeleton, solution):
    # The skeleton runs after the chapter's imports; give it numpy and lib as they do.
    import numpy as np
    namespace = {"np": np, "lib": lib}
    exec(compile(skeleton, f"<{function}>", "exec"), namespace)
    verdict, said = _verdict(checker, namespace[function])
    assert verdict is False
    assert "not implemented yet" in said


@pytest.mark.parametrize("stem, checker, function, skeleton, solution", EXERCISES, ids=IDS)
def test_the_skeleton_does_not_shadow_lib(stem, checker, function, skeleton, solution):
    assert function.startswith("my_"), f"{stem}: name the learner's function my_<name>, not {function}"
    assert "raise NotImplementedError" in skeleton


def test_assignments_drop_every_solution_and_nothing_else(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    for written in dev.write_assignments(tmp_path):
        original = _cells(ROOT / "chapters" / written.name)
        kept = _cells(written)
        assert kept == [c for c in original if "solution" not in _tags(c)]
        assert not any("solution" in _tags(c) for c in kept)
