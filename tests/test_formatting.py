"""The chapters' code is formatted by ruff to the width of the book's code column.

`pyproject.toml` ([tool.ruff]) sets the line length, 100 characters, which the
HTML book's code column holds at 1280 pixels; `ruff format chapters/` applies
it. Lines ruff cannot split (a long string, a comment) are checked here too.
"""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
LINE_LENGTH = 100
HIDDEN = {"remove-cell", "remove-input"}


def ruff():
    found = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("ruff is not installed (requirements-dev.txt installs it)")
    return found


def test_ruff_formats_every_chapter_as_committed():
    result = subprocess.run([ruff(), "format", "--check", "chapters"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, f"run `ruff format chapters`:\n{result.stdout}{result.stderr}"


def test_pyproject_sets_the_line_length_the_column_holds():
    assert f"line-length = {LINE_LENGTH}" in (ROOT / "pyproject.toml").read_text()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_line_of_code_in_the_text_is_wider_than_the_column(path):
    # the code blocks of the Markdown (the exercises' solutions) are set in the same column
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    long = [line for block in re.findall(r"```\w*\n(.*?)```", text, re.S) for line in block.split("\n")
            if len(line) > LINE_LENGTH]
    assert not long, f"{path.name}: code lines over {LINE_LENGTH} characters in the text: {long[:3]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_line_of_shown_code_is_wider_than_the_column(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    long = [(i, line.rstrip("\n")) for i, cell in enumerate(cells) if cell["cell_type"] == "code"
            and not HIDDEN & set(cell.get("metadata", {}).get("tags", []))
            for line in cell["source"] if len(line.rstrip("\n")) > LINE_LENGTH]
    assert not long, f"{path.name}: lines over {LINE_LENGTH} characters: {long[:3]}"
