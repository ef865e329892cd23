"""Write the Colab set-up cell into every chapter, from the repository and version the book names.

Each chapter's second cell (right after its title) installs the course's
``lib`` where it cannot be imported, as on Colab, at the release the page was
built from: ``git+<repository url>@v<version>``, the address from
``_config.yml`` (``repository: url:``) and the version from ``pyproject.toml``.
Everywhere else (a local clone, Binder, the book build) ``lib`` is already
importable and the cell does nothing. This is the only place the book fetches
anything. Run after changing the address or cutting a release:

    python3 tools/setup_cells.py

``tests/test_setup_cells.py`` checks that every chapter's cell matches.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = "colab-setup"


def repository_url():
    """``repository: url:`` of _config.yml (read without a YAML library: the one line under repository:)."""
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    match = re.search(r"^repository:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:\s*(\S+)", text, re.M)
    if not match:
        sys.exit("_config.yml: no repository: url:")
    return match.group(1)


def version():
    """``version`` of pyproject.toml's [project]."""
    match = re.search(r'^version\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    return match.group(1)


def requirement(url=None, ref=None):
    """What pip installs on Colab: the repository at the release tag."""
    return f"git+{url or repository_url()}@{ref or 'v' + version()}"


def cell_source(url=None, ref=None):
    """The cell's code, as `ruff format` leaves it (the chapters' code is formatted with ruff)."""
    return f'''# On Colab, install this book's lib ({ref or 'v' + version()}) where it is missing; elsewhere, nothing.
import importlib.util
import subprocess
import sys

LIB = "{requirement(url, ref)}"
if importlib.util.find_spec("lib") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", LIB], check=True)'''


def _cell(source):
    lines = source.split("\n")
    return {"cell_type": "code", "execution_count": None, "id": "colab-setup",
            "metadata": {"tags": [TAG, "remove-cell"]}, "outputs": [],
            "source": [line + "\n" for line in lines[:-1]] + [lines[-1]]}


def write(paths):
    """Put (or refresh) the set-up cell right after each notebook's title cell; return the paths changed."""
    changed = []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = [c for c in nb["cells"] if TAG not in c.get("metadata", {}).get("tags", [])]
        new = cells[:1] + [_cell(cell_source())] + cells[1:]
        if new != nb["cells"]:
            nb["cells"] = new
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":
    for path in write(sorted((ROOT / "chapters").glob("*.ipynb"))):
        print("updated", path.relative_to(ROOT))
