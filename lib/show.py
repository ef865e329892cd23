"""Show a lib function's source in a chapter, highlighted, in Jupyter and in the HTML book.

Used by every chapter that teaches an implementation: the notebook shows the
code that runs instead of a copy of it that could drift.
"""
import inspect
import textwrap


def source_markdown(obj):
    """Return the source of ``obj`` (function, class or module) as a fenced Markdown block.

    The fence is one backtick longer than any run of backticks in the source,
    so the block can hold any code.

    Raises:
        TypeError: ``obj`` is not a function, class or module with Python source (a number, a builtin).
        ValueError: its source file cannot be found (for example, defined in an interactive session).
    """
    try:
        code = textwrap.dedent(inspect.getsource(obj)).rstrip()
    except TypeError as err:
        raise TypeError(f"obj: expected a function, class or module written in Python, "
                        f"got {type(obj).__name__}") from err
    except OSError as err:
        raise ValueError(f"obj: the source of {getattr(obj, '__name__', obj)!r} is not available "
                         f"(defined interactively?)") from err
    # only a line of nothing but backticks can close a fence; count its backticks, not its indent
    longest = max((len(run.strip()) for run in code.split("\n") if set(run.strip()) == {"`"}),
                  default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}python\n{code}\n{fence}"


def show_source(obj):
    """Display the source of ``obj``, syntax-highlighted.

    Returns an ``IPython.display.Markdown`` object: Jupyter renders it with
    highlighting, and the book build (myst-nb) renders it as a Sphinx code
    block with the book's own highlighting.
    """
    from IPython.display import Markdown

    return Markdown(source_markdown(obj))
