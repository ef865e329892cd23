"""What every checker test does: run a checker, capture what it says, judge the verdict.

Used by tests/test_exercises.py (the exercises in the notebooks) and the
tests/test_exercises_<part>.py files (each checker's typical mistakes).
"""
import io
from contextlib import redirect_stdout


def verdict(checker, function):
    """(True or False, the text it printed) for ``checker(function)``."""
    out = io.StringIO()
    with redirect_stdout(out):
        ok = checker(function)
    return ok, out.getvalue()


def assert_rejected(checker, function, diagnosis):
    """The checker says no, with ``diagnosis`` in its words, on one ✗ line."""
    ok, said = verdict(checker, function)
    assert ok is False
    assert diagnosis in said, said
    assert said.startswith("✗")


def assert_accepted(checker, function):
    ok, said = verdict(checker, function)
    assert ok is True, said
    assert said.startswith("✓")
