"""lib._memory: the allocator setting that lets the convolution reuse its temporaries."""
import subprocess
import sys

import numpy as np

from lib import _memory, conv


def test_keep_freed_memory_is_idempotent_and_reports_a_boolean():
    first = _memory.keep_freed_memory()
    assert isinstance(first, bool)
    assert _memory.keep_freed_memory() is first


def test_importing_conv_applies_it_on_glibc():
    code = "import lib.conv, lib._memory as m; print(m._applied)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    expected = "True" if sys.platform.startswith("linux") else out.stdout.strip()
    assert out.stdout.strip() == expected


def test_results_do_not_depend_on_it():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 9, 9, 2))
    W = rng.normal(size=(3, 3, 2, 3))
    b = rng.normal(size=(1, 1, 1, 3))
    for _ in range(3):  # repeated calls reuse freed memory; the answers stay exact
        Z, _ = conv.conv_forward(A, W, b, 1, 1)
        assert np.allclose(Z, conv.conv_forward_naive(A, W, b, 1, 1)[0])
