"""Let freed numpy temporaries be reused instead of returned to the operating system.

A convolution's forward and backward passes allocate and free several arrays of
a few MB each (the im2col columns, the outputs, their gradients). glibc's
malloc hands such blocks back to the operating system when they are freed, so
the next call gets fresh pages and pays a page fault for every 4 KiB it
touches: on (64, 28, 28, 1) → 8 filters of 3×3 in float64 that made forward +
backward about 8 ms instead of about 2 ms (``python3 dev.py bench conv``).
Deep-learning frameworks avoid this with caching allocators; numpy has none,
so we ask glibc to keep freed memory for reuse (``mallopt``). On other C
libraries (macOS, Windows, musl) this does nothing and the code is just slower.
"""
import ctypes
import ctypes.util

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_applied = None


def keep_freed_memory(mmap_threshold=64 * 2 ** 20, trim_threshold=256 * 2 ** 20):
    """Ask glibc to serve blocks below ``mmap_threshold`` bytes from its heap and
    to keep up to ``trim_threshold`` free bytes instead of returning them.

    Returns True where it took effect (glibc), False elsewhere. Idempotent.
    """
    global _applied
    if _applied is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
            mallopt = libc.mallopt
        except (OSError, AttributeError):
            _applied = False
        else:
            mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
            _applied = bool(mallopt(_M_MMAP_THRESHOLD, int(mmap_threshold))) and \
                bool(mallopt(_M_TRIM_THRESHOLD, int(trim_threshold)))
    return _applied
