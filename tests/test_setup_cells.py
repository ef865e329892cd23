"""Every chapter's Colab set-up cell: written from _config.yml and pyproject.toml, and it works.

The cell installs ``lib`` only where it cannot be imported. The last test runs
it in a fresh environment without ``lib``, against a local clone standing in
for the repository (tagged with the release the cell names), then imports
``lib`` there; it needs a minute and pip's index for the build backend, so it
runs when RUN_COLAB_TEST=1 (CI sets it).
"""
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import setup_cells  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_set_up_cell_follows_the_title_and_names_the_configured_release(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "markdown" and cells[0]["source"][0].startswith("# ")
    setup = cells[1]
    assert setup_cells.TAG in setup["metadata"].get("tags", []), \
        f"{path.name}: no set-up cell after the title; run python3 tools/setup_cells.py"
    assert "".join(setup["source"]) == setup_cells.cell_source(), \
        f"{path.name}: the set-up cell is out of date; run python3 tools/setup_cells.py"
    assert setup_cells.repository_url() in "".join(setup["source"])


def test_the_cell_does_nothing_where_lib_is_importable():
    # An address that cannot be reached: the cell must not even try.
    code = setup_cells.cell_source(url="file:///nonexistent/repository", ref="v0")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT / "chapters", check=True, timeout=60)


@pytest.mark.skipif(os.environ.get("RUN_COLAB_TEST") != "1", reason="set RUN_COLAB_TEST=1 (CI does)")
def test_the_cell_installs_lib_where_it_is_missing(tmp_path):
    clone = tmp_path / "repository"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    ref = "v" + setup_cells.version()
    tags = subprocess.run(["git", "tag", "--list", ref], cwd=clone, capture_output=True, text=True).stdout
    if not tags.strip():                       # before the release is tagged, tag the clone's HEAD
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "tag", ref], cwd=clone, check=True)
    env_dir = tmp_path / "colab"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    elsewhere = tmp_path / "notebook"            # a working directory with no lib/ beside it
    elsewhere.mkdir()
    missing = subprocess.run([str(python), "-c", "import lib"], cwd=elsewhere, capture_output=True)
    assert missing.returncode != 0
    code = setup_cells.cell_source(url=f"file://{clone}", ref=ref)
    subprocess.run([str(python), "-c", code], cwd=elsewhere, check=True, timeout=600)
    found = subprocess.run([str(python), "-c", "import lib.logistic, lib; print(lib.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True)
    assert "site-packages" in found.stdout
