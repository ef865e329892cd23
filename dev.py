#!/usr/bin/env python3
"""The course's commands: set-up, tests, book, benchmarks and JupyterLab, in one place.

    python3 dev.py test   [pytest args]   unit tests + every notebook under nbval
    python3 dev.py book                   build the HTML book into _build/html (中文: _build/html/zh_CN)
    python3 dev.py translations           extract the English text, update locales/zh_CN/*.po
    python3 dev.py pdf                    build the PDF (xelatex) and link it from the HTML book
    python3 dev.py bench  [names]         the benchmark pairs, medians and ratios
    python3 dev.py lab                    JupyterLab on the notebooks
    python3 dev.py assignments [folder]   the chapters without the exercises' solutions
    python3 dev.py setup                  only create or refresh the environment

Each command first makes sure the virtual environment of the Python that runs
``dev.py`` exists with ``requirements-dev.txt`` installed (the book's
``requirements.txt`` plus the browser tests' driver and repo2docker for the Binder
tests): ``.venv`` for Python 3.11, the default and Binder's, ``.venv-3.12``,
``.venv-3.13`` ... for others. When a requirements file, the interpreter (its path or
its version, a new patch release included) or the pinned pip changes, the environment
is deleted and created afresh, never installed over, so nothing lingers. A fresh
machine needs nothing but Python 3.11.5 or newer. Standard library only.
"""
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEFAULT_PYTHON = (3, 11)   # the environment called plain .venv: Binder's Python (binder/runtime.txt)
MINIMUM_PYTHON = (3, 11, 5)  # as pyproject.toml's requires-python: soupsieve 4.1.3 needs it
PIP_VERSION = "25.2"       # the pip every environment gets: Binder's (repo2docker's base), runs on 3.9-3.14
VENV = ROOT / (".venv" if sys.version_info[:2] == DEFAULT_PYTHON
               else ".venv-{}.{}".format(*sys.version_info[:2]))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".dev-stamp.json"
BUILD = ROOT / "_build"
LIB_STAMP = BUILD / ".lib-sha256"
I18N = ROOT / "_ext" / "i18n.py"  # the translated editions' builds (run with the book's environment)
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


def wanted_stamp():
    """What the environment was made from: the interpreter, the pinned pip, the requirements."""
    return {"python": sys.executable, "version": platform.python_version(), "pip": PIP_VERSION,
            "requirements": digest([ROOT / name for name in REQUIREMENT_FILES])}


def setup():
    """Create the environment with requirements-dev.txt; recreate it when what it was made from changed."""
    wanted = wanted_stamp()
    try:
        if PYTHON.exists() and json.loads(STAMP.read_text()) == wanted:
            return
    except (OSError, ValueError):
        pass
    if VENV.exists():
        if not (VENV / "pyvenv.cfg").exists():
            sys.exit(f"{VENV} exists but is not a virtual environment: move it away")
        print(f"Recreating {VENV.name}/: its requirements, interpreter or pip changed", flush=True)
        shutil.rmtree(VENV)
    print(f"Creating {VENV.name}/ with {sys.executable} (Python {wanted['version']})", flush=True)
    venv.EnvBuilder(with_pip=True).create(VENV)
    quiet = ["-q"] if os.environ.get("CI") else []
    if run(PYTHON, "-m", "pip", "install", *quiet, f"pip=={PIP_VERSION}") or \
            run(PYTHON, "-m", "pip", "install", *quiet, "-r", "requirements-dev.txt"):
        sys.exit("pip could not install requirements-dev.txt (see above)")
    STAMP.write_text(json.dumps(wanted, indent=1) + "\n")


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
        # The Chinese edition, _build/html/zh_CN, from the same notebooks: outputs from the
        # English build's execution cache, text from locales/ (CONTRIBUTING.md, "Translations").
        # The extraction first, so tests/test_translations.py sees what is not yet translated.
        code = run(PYTHON, I18N, "gettext") or run(PYTHON, I18N, "html", "zh_CN", "--warningiserror",
                                                    "--nitpick", "--keep-going")
    return code


def translations(args):
    """Extract the English text; update locales/zh_CN/LC_MESSAGES/*.po (changed messages turn fuzzy)."""
    return run(PYTHON, I18N, "gettext") or run(
        BIN / "sphinx-intl", "update", "-p", BUILD / "i18n" / "gettext", "-l", "zh_CN",
        "-d", ROOT / "locales", *args)


PDF_NAME = "deep-learning-derived"  # latex: latex_documents: targetname in _config.yml


def latex_problems(log):
    """What the LaTeX log says went wrong: missing glyphs, undefined references or citations."""
    import re
    text = log.read_text(encoding="utf-8", errors="replace")
    problems = sorted(set(re.findall(r"^Missing character: .*$", text, re.MULTILINE))) + sorted(set(
        re.findall(r"^(?:LaTeX|Package natbib) Warning: (?:Hyper reference|Reference|Citation)"
                   r" `[^']*'[^\n]*?undefined", text, re.MULTILINE)))
    if "There were undefined references" in text and not problems:
        problems.append("LaTeX: There were undefined references.")
    return problems


def pdf(args):
    """Build the whole book as a PDF, English and Chinese, and copy each beside its landing page.

    English: Jupyter Book's LaTeX builder into _build/latex/, then the Makefile
    Sphinx writes (latexmk with xelatex; Debian: texlive-xetex
    texlive-fonts-recommended latexmk fonts-freefont-otf fonts-dejavu-core
    fonts-wqy-microhei, as .ci/run installs). Chinese: the same through the
    translations (_ext/i18n.py latex zh_CN) into _build/i18n/zh_CN/latex/.
    Both read the notebooks' outputs from the execution cache `dev.py book`
    filled, so they execute nothing; the command refuses to run when lib/
    changed since that build. Fails on a Sphinx warning, a LaTeX error, an
    undefined reference or citation, and a character missing from the fonts
    ("Missing character" in the log).
    """
    if not LIB_STAMP.exists() or LIB_STAMP.read_text() != digest(list((ROOT / "lib").rglob("*.py"))):
        print("lib/ changed since the last `python3 dev.py book` (or there was none): run it "
              "first, so the PDF reuses its executed notebooks and shows what lib draws now")
        return 1
    # latexmk: xelatex to .xdv and one xdvipdfmx at the end; stop at the first TeX error.
    tex = {**os.environ, "LATEXMKOPTS": "-xelatex", "LATEXOPTS": "-interaction=nonstopmode -halt-on-error"}
    flags = ["--warningiserror", "--nitpick", "--keep-going"]
    editions = [(BUILD / "latex", BUILD / "html",
                 lambda: run(BIN / "jupyter-book", "build", ".", "--builder", "pdflatex", *flags, *args,
                             env=tex))]
    for language in ("zh_CN",):
        latex = BUILD / "i18n" / language / "latex"
        editions.append((latex, BUILD / "html" / language,
                         lambda latex=latex, language=language:
                         run(PYTHON, I18N, "latex", language, *flags, *args)
                         or run("make", cwd=latex, env=tex)))
    for latex, html, build in editions:
        code = build()
        log, book = latex / f"{PDF_NAME}.log", latex / f"{PDF_NAME}.pdf"
        if not log.exists() or not book.exists():
            print(f"no {book.relative_to(ROOT)}: the LaTeX build failed (see above)", flush=True)
            return code or 1
        problems = latex_problems(log)
        for line in problems:
            print(f"{log.relative_to(ROOT)}: {line}", flush=True)
        if problems or code:
            print(f"{len(problems)} problem(s) in {log.name}; the build said {code} (see above)",
                  flush=True)
            return code or 1
        # Beside the edition's landing page, which links it.
        html.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(book, html / book.name)
        print(f"{book.relative_to(ROOT)} ({book.stat().st_size / 1e6:.1f} MB), linked from the "
              f"landing page as {(html / book.name).relative_to(ROOT)}", flush=True)
    return 0


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


COMMANDS = {"test": test, "book": book, "pdf": pdf, "bench": bench, "lab": lab, "assignments": assignments,
            "translations": translations, "setup": lambda args: 0}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    if sys.version_info < MINIMUM_PYTHON:
        sys.exit("The book's pinned packages need Python {}.{}.{} or newer (pyproject.toml's requires-python); "
                 "this is {}: run dev.py with a newer python3".format(*MINIMUM_PYTHON, platform.python_version()))
    setup()
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
