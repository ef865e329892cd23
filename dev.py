#!/usr/bin/env python3
"""The course's commands: set-up, tests, book, benchmarks and JupyterLab, in one place.

    python3 dev.py test   [pytest args]   unit tests + every notebook under nbval
    python3 dev.py book                   build the HTML book into _build/html
    python3 dev.py bench  [names]         the benchmark pairs, medians and ratios
    python3 dev.py lab                    JupyterLab on the notebooks
    python3 dev.py assignments [folder]   the chapters without the exercises' solutions
    python3 dev.py setup                  only create or refresh .venv

Each command first makes sure ``.venv`` exists with ``requirements-dev.txt``
installed (the book's ``requirements.txt``, which Binder installs, plus the
browser tests' driver), reinstalling when one of those files changed, so a fresh machine needs
nothing but Python 3.11 or newer. Standard library only.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".requirements-sha256"
BUILD = ROOT / "_build"
LIB_STAMP = BUILD / ".lib-sha256"
REQUIREMENT_FILES = ["requirements.txt", "requirements-dev.txt", "constraints.txt", "pyproject.toml"]


def digest(paths):
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.relative_to(ROOT).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def run(*cmd, **kwargs):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=kwargs.pop("cwd", ROOT), **kwargs).returncode


def setup():
    """Create .venv and install requirements-dev.txt into it when missing or changed."""
    wanted = digest([ROOT / name for name in REQUIREMENT_FILES])
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print(f"Creating {VENV.name}/ with {sys.executable}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    quiet = ["-q"] if os.environ.get("CI") else []
    if run(PYTHON, "-m", "pip", "install", *quiet, "--upgrade", "pip") or \
            run(PYTHON, "-m", "pip", "install", *quiet, "-r", "requirements-dev.txt"):
        sys.exit("pip could not install requirements-dev.txt (see above)")
    STAMP.write_text(wanted)


def test(args):
    return run(PYTHON, "-m", "pytest", *args)


def book(args):
    """Build the book; drop the execution cache first when lib/ changed since the last build."""
    lib_hash = digest(list((ROOT / "lib").rglob("*.py")))
    cache = BUILD / ".jupyter_cache"
    if cache.exists() and (not LIB_STAMP.exists() or LIB_STAMP.read_text() != lib_hash):
        print("lib/ changed since the last build: re-executing every notebook", flush=True)
        shutil.rmtree(cache)
    code = run(BIN / "jupyter-book", "build", ".", "--builder", "html",
               "--warningiserror", "--nitpick", "--keep-going", *args)
    if code == 0:
        LIB_STAMP.write_text(lib_hash)
    return code


def bench(args):
    return run(PYTHON, "-m", "benchmarks", *args)


def lab(args):
    return run(BIN / "jupyter", "lab", "chapters", *args)


def write_assignments(folder):
    """Copy every chapter into ``folder`` without the cells tagged ``solution``; return the paths.

    The implement-it exercises keep their skeletons and checker calls, so the
    notebooks run as they are ("not implemented yet") and check what a learner
    writes. Standard library only, like the rest of this file.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = json.loads(chapter.read_text(encoding="utf-8"))
        nb["cells"] = [c for c in nb["cells"] if "solution" not in c.get("metadata", {}).get("tags", [])]
        target = folder / chapter.name
        target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


def assignments(args):
    folder = Path(args[0]) if args else ROOT / "assignments"
    written = write_assignments(folder)
    print(f"{len(written)} chapters without solutions in {folder}/ (they import lib: install it there too)")
    return 0


COMMANDS = {"test": test, "book": book, "bench": bench, "lab": lab, "assignments": assignments,
            "setup": lambda args: 0}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    setup()
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
