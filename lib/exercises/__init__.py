"""Checkers for the implement-it exercises: ``check_<name>(your_function)``.

Each chapter has at least one exercise in which the learner writes the function
the chapter teaches (a skeleton with its signature, docstring and shapes), then
calls its checker. A checker runs the function on several cases (small and
larger shapes, edge cases, extreme values, float32), compares it with lib's own,
and says what is wrong in the chapter's terms ("did you transpose?", "the 1/m?",
"subtract the maximum"), or that it is correct. It returns True or False and
never raises, so a notebook with an untouched skeleton still runs ("not
implemented yet"). :mod:`lib.exercises._feedback` holds the machinery; the
checkers live by part of the book, one module each, and every ``check_*`` is
importable from here.
"""
import importlib
import pkgutil

#: The modules that hold checkers, one per part of the book (the files beside this one).
PARTS = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))

__all__ = []
for _part in PARTS:
    _module = importlib.import_module(f"{__name__}.{_part}")
    for _name in dir(_module):
        if _name.startswith("check_"):
            globals()[_name] = getattr(_module, _name)
            __all__.append(_name)
__all__.sort()
