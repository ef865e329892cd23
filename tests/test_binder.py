"""What Binder does with this repository, checked two ways.

Binder builds its image with repo2docker. ``binder/`` exists, so repo2docker reads
only that folder (the root's requirements and ``pyproject.toml`` are ignored):

1. its base environment for the Python of ``binder/runtime.txt``: a conda lock file
   shipped inside repo2docker (Python, notebook, jupyterlab, jupyter_server,
   ipykernel, ipywidgets ...);
2. ``pip install -r binder/requirements.txt``, before the repository is copied in, so
   the step is cached until that file changes (it must be flat: only ``==`` pins);
3. the repository copied in, then ``./binder/postBuild`` from its root, which installs
   ``lib`` in editable mode without dependencies.

The first tests read repo2docker's own dry run (``jupyter-repo2docker --no-build
--debug .``: the Dockerfile it would build, no Docker needed; repo2docker is pinned
in requirements-dev.txt) and check those steps and the pins. They are quick and run
with the rest of the suite.

The reproduction (``RUN_BINDER_TEST=1``) does the build as closely as this machine
allows. repo2docker's real base environment is created from its conda lock, whose
channel (conda-forge) is not reachable here; instead a fresh venv on the pyenv
Python of the same minor version gets the same versions of the lock's Python
packages from PyPI. Then the Dockerfile's own ``binder/`` steps run in a copy of the
repository, from its root, as repo2docker runs them (only ``--no-cache-dir`` dropped,
so pip may reuse its wheel cache); ``pip check`` must be clean; every chapter runs with
the kernel's working directory ``chapters/``; and an edit to a ``lib`` function (in the
copy) takes effect after a kernel restart. About two minutes::

    RUN_BINDER_TEST=1 python3 dev.py test tests/test_binder.py
"""
import concurrent.futures
import functools
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"

def reproduction(test):
    """Only with RUN_BINDER_TEST=1: it builds a fresh environment (minutes)."""
    return pytest.mark.skipif(os.environ.get("RUN_BINDER_TEST") != "1",
                              reason="the Binder reproduction builds a fresh environment (minutes): "
                                     "set RUN_BINDER_TEST=1 to run it")(pytest.mark.timeout(3600)(test))

NOTEBOOK_TIMEOUT = 300   # seconds per cell, as generous as the book build
WORKERS = 2              # the machine's cores: one notebook per core

# conda-forge names whose PyPI name differs (the rest are the same up to - and _).
CONDA_TO_PYPI = {"brotli-python": "brotli", "python-fastjsonschema": "fastjsonschema",
                 "nbconvert-core": "nbconvert", "jupyterhub-base": "jupyterhub"}


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def run(cmd, **kwargs):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def runtime_python():
    """'3.11' from binder/runtime.txt's 'python-3.11'."""
    text = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(3\.\d+)", text)
    assert match, f"binder/runtime.txt should read python-3.N, not {text!r}"
    return match.group(1)


def flat_pins(path):
    """{canonical name: version} of a requirements file that must hold only name==version lines."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", line)
        assert match, f"{path.name}: {line!r} is not a plain name==version pin"
        pins[canonical(match.group(1))] = match.group(2)
    return pins


def book_pins():
    """The versions the book is built and tested with: requirements.txt and constraints.txt."""
    pins = {}
    for name in ("requirements.txt", "constraints.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if "==" in line:
                package, version = line.split("==")
                pins[canonical(package)] = version.strip()
    return pins


@functools.cache
def dry_run():
    """The Dockerfile repo2docker would build for the repository, as text."""
    result = run([sys.executable, "-m", "repo2docker", "--no-build", "--debug", "."], cwd=ROOT)
    return result.stdout + result.stderr


def lock_file():
    """The lock file of repo2docker's base environment for binder/runtime.txt's Python."""
    spec = importlib.util.find_spec("repo2docker")
    assert spec, "repo2docker is missing: pip install -r requirements-dev.txt"
    lock = (Path(spec.origin).parent / "buildpacks" / "conda"
            / f"environment.py-{runtime_python()}-linux-64.lock")
    assert lock.exists(), f"repo2docker has no base environment for Python {runtime_python()}"
    return lock


def base_environment():
    """{canonical PyPI name: version} of the Python packages of repo2docker's base environment."""
    pins = {}
    for line in lock_file().read_text().splitlines():
        match = re.search(r"/(?:noarch|linux-64)/(.+)-([^-]+)-([^-]+)\.(?:conda|tar\.bz2)#", line)
        # Python packages have a build string py...; the rest are C libraries, Python
        # itself, node and conda-only metapackages.
        if match and match.group(3).startswith("py"):
            pins[canonical(CONDA_TO_PYPI.get(match.group(1), match.group(1)))] = match.group(2)
    return pins


def binder_steps():
    """The Dockerfile's RUN steps that use binder/, in order (what the reproduction runs)."""
    return [line[len("RUN "):] for line in dry_run().splitlines()
            if line.startswith("RUN ") and "binder/" in line]


# --- repo2docker's dry run ------------------------------------------------------------------

def test_binder_requirements_are_flat_pins():
    """Only name==version lines: no -e ., -r or -c, so repo2docker can cache the install."""
    assert flat_pins(BINDER / "requirements.txt")
    assert os.access(BINDER / "postBuild", os.X_OK) or (BINDER / "postBuild").read_text().startswith("#!")


def test_dry_run_uses_binder_runtime_python():
    out = dry_run()
    assert f"Building conda environment for python={runtime_python()}" in out, out[:2000]
    # The base environment's lock file, copied in under an escaped name (-2e is ".", -2d "-").
    copied = [re.sub(r"-([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), line)
              for line in out.splitlines() if line.endswith(" /tmp/env/environment.lock")]
    assert len(copied) == 1 and f"/environment.py-{runtime_python()}-linux-64.lock" in copied[0], copied


def test_dry_run_steps_are_binder_folders():
    """binder/requirements.txt installed before the repository is copied (cached), postBuild after,
    and nothing from the root: no `pip install .`, no root requirements.txt."""
    lines = dry_run().splitlines()
    copy_repo = lines.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    install = lines.index('RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"')
    post_build = lines.index("RUN ./binder/postBuild")
    assert install < copy_repo < post_build
    assert binder_steps() == [
        '${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"',
        "chmod +x binder/postBuild", "./binder/postBuild"]
    pip_runs = [line for line in lines if line.startswith("RUN ") and "pip install" in line]
    assert pip_runs == [lines[install]], pip_runs   # no `pip install .`, no other requirements


def test_postbuild_installs_lib_editable_without_touching_the_pins():
    script = (BINDER / "postBuild").read_text()
    installs = [line for line in script.splitlines() if "pip install" in line and not line.startswith("#")]
    assert len(installs) == 1 and "--no-deps" in installs[0] and re.search(r"-e \.(\s|$)", installs[0])


def test_binder_pins_agree_with_base_environment_and_book():
    """Packages the base environment has keep its versions (so notebook/jupyterlab stay compatible);
    the others are at the versions the book is tested with."""
    base, book = base_environment(), book_pins()
    assert base.get("notebook") and base.get("jupyterlab") and base.get("ipykernel")
    disagree = {}
    for name, version in flat_pins(BINDER / "requirements.txt").items():
        expected = base.get(name, book.get(name))
        if version != expected:
            disagree[name] = (version, "base environment" if name in base else "book", expected)
    assert not disagree, f"binder pin -> (where from, expected): {disagree}"
    # What the chapters import must be there, numpy and matplotlib at the book's versions.
    for name in ("numpy", "matplotlib"):
        assert flat_pins(BINDER / "requirements.txt").get(name) == book[name]


# --- the reproduction -----------------------------------------------------------------------

def repository_files():
    """The files a fresh clone would have: tracked plus new ones not ignored."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in out.decode().split("\0") if name]


def matching_python():
    """A Python of binder/runtime.txt's minor version: this one, else pyenv's newest such."""
    version = runtime_python()
    if "{}.{}".format(*sys.version_info[:2]) == version:
        return Path(sys.executable)
    found = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python"),
                   key=lambda p: [int(x) for x in p.parents[1].name.split(".")])
    if not found:
        pytest.fail(f"no Python {version} here for the Binder reproduction (pyenv install {version})")
    return found[-1]


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    """A clone-like copy of the repository and a fresh venv built as Binder builds its image."""
    base = tmp_path_factory.mktemp("binder")
    repo = base / "repo"
    for path in repository_files():
        if path.is_file():
            target = repo / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    venv = base / "venv"
    run([matching_python(), "-m", "venv", venv])
    python = venv / "bin" / "python"
    env = {**os.environ, "JUPYTER_DATA_DIR": str(base / "jupyter-data"),
           "JUPYTER_CONFIG_DIR": str(base / "jupyter-config"), "JUPYTER_PATH": "",
           "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "VIRTUAL_ENV": str(venv), "MPLBACKEND": "Agg",
           "KERNEL_PYTHON_PREFIX": str(venv), "NB_PYTHON_PREFIX": str(venv)}
    env.pop("PYTHONPATH", None)
    # 1. The base environment: the lock's Python packages at its versions (from PyPI).
    start = time.perf_counter()
    lock_pins = base / "base-environment.txt"
    lock_pins.write_text("".join(f"{name}=={version}\n" for name, version in base_environment().items()))
    run([python, "-m", "pip", "install", "--quiet", "-r", lock_pins], cwd=base, env=env)
    print(f"base environment ({lock_file().name}): {time.perf_counter() - start:.0f} s")
    # 2-3. The Dockerfile's binder/ steps, as repo2docker runs them, from the repository's root.
    for step in binder_steps():
        start = time.perf_counter()
        run(["bash", "-c", step.replace(" --no-cache-dir", "")], cwd=repo, env=env)
        print(f"{step}: {time.perf_counter() - start:.0f} s")
    return {"repo": repo, "venv": venv, "python": python, "env": env, "out": base / "executed"}


@reproduction
def test_binder_environment_is_consistent(binder):
    """pip check is clean; binder/requirements.txt's pins are what is installed; lib is the clone's."""
    run([binder["python"], "-m", "pip", "check"], env=binder["env"])
    installed = json.loads(run([binder["python"], "-m", "pip", "list", "--format=json"]).stdout)
    have = {canonical(p["name"]): p["version"] for p in installed}
    wrong = {name: (version, have.get(name))
             for name, version in flat_pins(binder["repo"] / "binder" / "requirements.txt").items()
             if have.get(name) != version}
    assert not wrong, f"pinned version -> installed: {wrong}"
    for name in ("notebook", "jupyterlab", "jupyter-server"):
        assert have[name] == base_environment()[name], f"{name} moved from the base environment's version"
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


@reproduction
def test_every_chapter_runs_in_the_binder_environment(binder):
    """Every chapter, top to bottom, by the Binder environment's kernel, working directory chapters/."""
    chapters = sorted((binder["repo"] / "chapters").glob("*.ipynb"))
    if not chapters:
        pytest.skip("no chapter notebook yet")
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda nb: execute(binder, nb), chapters))
    for name, seconds, error in results:
        print(f"{name}: {seconds:.1f} s{'' if error is None else ' FAILED'}")
    failed = {name: error for name, _, error in results if error is not None}
    assert not failed, "\n\n".join(f"{name}:\n{error}" for name, error in failed.items())


KERNEL_DRIVER = r'''
import json, sys
from pathlib import Path
from jupyter_client.manager import start_new_kernel

chapters, module = Path(sys.argv[1]), Path(sys.argv[2])
code = "import os, sys, lib, lib.activations\nprint(sys.prefix, os.getcwd(), lib.__file__, lib.activations.sigmoid(0.0), sep='\\n')"

def output(kc):
    reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: printed.append(
        msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(printed).split("\n")[:4]

km, kc = start_new_kernel(kernel_name="python3", cwd=str(chapters))
try:
    printed = []; before = output(kc)
    with module.open("a") as f:
        f.write("\n\ndef sigmoid(z):\n    return 'edited in the Binder test'\n")
    printed = []; same_kernel = output(kc)
    km.restart_kernel(now=True); kc.stop_channels(); kc = km.client(); kc.start_channels()
    kc.wait_for_ready(timeout=60)
    printed = []; restarted = output(kc)
finally:
    kc.stop_channels(); km.shutdown_kernel(now=True)
print(json.dumps({"before": before, "same_kernel": same_kernel, "restarted": restarted}))
'''


@reproduction
def test_lib_edit_takes_effect_after_kernel_restart(binder):
    """As running.md says: the kernel runs from chapters/ in the Binder environment, imports lib from
    the repository (editable), and an edit to lib/ applies at the next kernel restart."""
    chapters = binder["repo"] / "chapters"
    module = binder["repo"] / "lib" / "activations.py"   # the copy's: the real lib/ is never touched
    original = module.read_bytes()
    try:
        result = run([binder["python"], "-c", KERNEL_DRIVER, chapters, module], cwd=chapters, env=binder["env"])
    finally:
        module.write_bytes(original)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    prefix, cwd, lib_file, value = seen["before"]
    assert Path(prefix).resolve() == binder["venv"].resolve(), f"the kernel ran in {prefix}"
    assert Path(cwd).resolve() == chapters.resolve(), cwd
    assert Path(lib_file).resolve() == (binder["repo"] / "lib" / "__init__.py").resolve(), lib_file
    assert value == "0.5", seen
    assert seen["same_kernel"][3] == "0.5", seen        # a running kernel keeps the module it imported
    assert seen["restarted"][3] == "edited in the Binder test", seen
