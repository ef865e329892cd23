"""The README's map from each chapter to the lib modules, tests and benchmarks it uses, kept true.

The map is read from the README's table and compared with what the notebooks
import, what those modules import from lib in turn, and the test and
benchmark files that exist. On a mismatch the message gives the row to paste.
"""
import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
#: Used by every chapter to draw and show; the README says so once instead of in every row.
PRESENTATION = {"plots", "widgets", "show"}
LIB = {p.stem for p in (ROOT / "lib").glob("*.py") if not p.stem.startswith("_")} - PRESENTATION


def _notebook_imports(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    found = set()
    for names in re.findall(r"^\s*from lib import ([\w, ]+)", code, re.M):
        found |= {n.strip() for n in names.split(",")}
    found |= set(re.findall(r"^\s*from lib\.(\w+) import", code, re.M))
    found |= set(re.findall(r"\blib\.(\w+)\.", code))
    return found & LIB


def _lib_imports(module):
    tree = ast.parse((ROOT / "lib" / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "lib":
                found |= {a.name for a in node.names}
            elif node.module.startswith("lib."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("lib.")}
    return found & LIB


def _closure(modules):
    seen, todo = set(), list(modules)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += _lib_imports(module)
    return seen


def expected_row(path):
    direct = _notebook_imports(path)
    behind = _closure(direct) - direct
    used = direct | behind
    tests = {f"test_{m}" for m in used if (ROOT / "tests" / f"test_{m}.py").exists()}
    benches = {f"bench_{m}" for m in used if (ROOT / "benchmarks" / f"bench_{m}.py").exists()}
    return direct, behind, tests, benches


def _cell(names):
    return " ".join(f"`{n}`" for n in sorted(names)) or "—"


def _readme_rows():
    rows = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*\[?[^|]*?(chapters/\w+\.ipynb)[^|]*\|(.*)\|\s*$", line)
        if match:
            cells = [set(re.findall(r"`(\w+)`", c)) for c in match.group(2).split("|")]
            rows[match.group(1)] = cells
    return rows


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_readme_maps_the_chapter_to_what_it_uses(path):
    rel = path.relative_to(ROOT).as_posix()
    want = expected_row(path)
    row = f"| `{rel}` | " + " | ".join(_cell(c) for c in want) + " |"
    rows = _readme_rows()
    assert rel in rows, f"README.md has no row for {rel}; add:\n{row}"
    assert rows[rel] == list(want), f"README.md's row for {rel} is out of date; it should read:\n{row}"
