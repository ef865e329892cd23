"""What Binder does, done here: a fresh environment from requirements.txt runs every chapter.

Binder clones the repository, runs ``pip install -r requirements.txt`` at its root
(with the Python of ``runtime.txt``) and nothing else, then opens the notebooks.
This test does the same in a temporary folder: a copy of the repository's files
(those git tracks or would track), a new virtual environment, that one pip
command, and every ``chapters/*.ipynb`` executed top to bottom by that
environment's own kernel, with ``chapters/`` as the working directory.

It takes minutes (pip's cache makes the install quick on a machine that has
built ``.venv`` before), so it runs only when asked::

    RUN_BINDER_TEST=1 python3 dev.py test tests/test_binder.py
"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.skipif(os.environ.get("RUN_BINDER_TEST") != "1",
                       reason="the Binder test builds a fresh environment (minutes): "
                              "set RUN_BINDER_TEST=1 to run it"),
    pytest.mark.timeout(3600),
]

NOTEBOOK_TIMEOUT = 300   # seconds per cell, as generous as the book build
WORKERS = 2              # the machine's cores: one notebook per core


def repository_files():
    """The files a fresh clone would have: tracked plus new ones not ignored."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in out.decode().split("\0") if name]


def run(cmd, **kwargs):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    """A clone-like copy of the repository and a fresh venv with requirements.txt installed."""
    base = tmp_path_factory.mktemp("binder")
    repo = base / "repo"
    for path in repository_files():
        if path.is_file():
            target = repo / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    venv = base / "venv"
    run([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    start = time.perf_counter()
    run([python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt"], cwd=repo)
    print(f"pip install -r requirements.txt: {time.perf_counter() - start:.0f} s")
    # Only this environment's kernels: not one that a user installed elsewhere.
    env = {**os.environ, "JUPYTER_DATA_DIR": str(base / "jupyter-data"),
           "JUPYTER_CONFIG_DIR": str(base / "jupyter-config"), "JUPYTER_PATH": "",
           "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "VIRTUAL_ENV": str(venv), "MPLBACKEND": "Agg"}
    env.pop("PYTHONPATH", None)
    return {"repo": repo, "venv": venv, "python": python, "env": env, "out": base / "executed"}


def test_requirements_give_the_pinned_versions(binder):
    """The fresh environment has requirements.txt's pins and imports lib from the clone."""
    pins = {}
    for line in (binder["repo"] / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[name.strip()] = version.strip()
    installed = json.loads(run([binder["python"], "-m", "pip", "list", "--format=json"]).stdout)
    have = {p["name"].lower().replace("_", "-"): p["version"] for p in installed}
    wrong = {name: (version, have.get(name.lower().replace("_", "-")))
             for name, version in pins.items()
             if have.get(name.lower().replace("_", "-")) != version}
    assert not wrong, f"pinned version -> installed: {wrong}"
    where = run([binder["python"], "-c", "import lib; print(lib.__file__)"],
                cwd=binder["repo"] / "chapters", env=binder["env"]).stdout.strip()
    assert Path(where).resolve().is_relative_to(binder["repo"].resolve()), where


def execute(binder, notebook):
    """Run one notebook with the fresh environment's nbconvert and kernel; return (name, s, error)."""
    start = time.perf_counter()
    result = subprocess.run(
        [binder["venv"] / "bin" / "jupyter", "nbconvert", "--to", "notebook", "--execute",
         f"--ExecutePreprocessor.timeout={NOTEBOOK_TIMEOUT}",
         "--ExecutePreprocessor.kernel_name=python3",
         "--output-dir", binder["out"], notebook.name],
        cwd=notebook.parent, env=binder["env"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    error = None if result.returncode == 0 else result.stderr[-4000:]
    return notebook.name, seconds, error


def test_every_chapter_runs_in_the_binder_environment(binder):
    chapters = sorted((binder["repo"] / "chapters").glob("*.ipynb"))
    if not chapters:
        pytest.skip("no chapter notebook yet")
    # The kernel that runs the chapters is the fresh environment's own.
    probe = binder["repo"] / "chapters" / "_binder_probe.ipynb"
    probe.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "probe", "metadata": {},
                   "outputs": [], "source": "import sys, os\nprint(sys.prefix)\nprint(os.getcwd())"}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    name, _, error = execute(binder, probe)
    assert error is None, error
    printed = json.loads((binder["out"] / name).read_text())["cells"][0]["outputs"][0]["text"]
    printed = "".join(printed) if isinstance(printed, list) else printed
    prefix, cwd = (Path(line.strip()).resolve() for line in printed.strip().splitlines())
    assert prefix == binder["venv"].resolve(), f"the kernel ran in {prefix}, not the fresh venv"
    assert cwd == (binder["repo"] / "chapters").resolve(), cwd

    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda nb: execute(binder, nb), chapters))
    for name, seconds, error in results:
        print(f"{name}: {seconds:.1f} s{'' if error is None else ' FAILED'}")
    failed = {name: error for name, _, error in results if error is not None}
    assert not failed, "\n\n".join(f"{name}:\n{error}" for name, error in failed.items())
