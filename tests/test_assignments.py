"""The chapters a teacher hands out (`python3 dev.py assignments`) run under nbval as they are.

They are the chapters without the cells tagged `solution`: every skeleton
still raises NotImplementedError, every checker call prints "not implemented
yet" and returns False, and no cell may fail. Running every notebook again
takes minutes, so this runs when RUN_ASSIGNMENTS_TEST=1 (CI sets it);
tests/test_exercises.py checks the removal itself on every run.
"""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(os.environ.get("RUN_ASSIGNMENTS_TEST") != "1",
                    reason="set RUN_ASSIGNMENTS_TEST=1 (CI does)")
def test_the_assignments_run_under_nbval(tmp_path):
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    written = dev.write_assignments(tmp_path / "assignments")
    assert len(written) == len(list((ROOT / "chapters").glob("*.ipynb")))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"), *map(str, written)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
