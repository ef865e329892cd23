"""The course's algorithms, written in numpy to be read.

One module per idea, each named after the chapter that teaches it
(``chapters/05_vectorization.ipynb`` uses ``lib/logistic.py``, and so on).
Notation, everywhere: examples are columns. ``X`` is ``(n_x, m)``, ``Y`` is
``(1, m)``, ``W[l]`` is ``(n[l], n[l-1])``, ``b[l]`` is ``(n[l], 1)``; images for
convolutional networks are ``(m, n_H, n_W, n_C)``; sequences are ``(n_x, m, T_x)``.

``import lib`` is cheap: submodules load on first use (``lib.conv`` imports
only when touched), so a notebook pays for matplotlib only where it draws.
"""
import importlib

__all__ = ["show_source"]

_LAZY = {"show_source": "lib.show"}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    try:
        return importlib.import_module(f"lib.{name}")
    except ModuleNotFoundError as err:
        if err.name == f"lib.{name}":
            raise AttributeError(f"module 'lib' has no attribute {name!r}") from None
        raise
