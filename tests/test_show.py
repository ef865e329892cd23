"""Tests of lib.show: a lib function's source as highlighted Markdown."""
import pytest

import lib
import lib.show as show
from lib.activations import sigmoid


def test_source_markdown_holds_the_def_line_in_a_python_fence():
    text = show.source_markdown(sigmoid)
    assert text.startswith("```python\n") and text.endswith("\n```")
    assert "def sigmoid(z):" in text


def test_show_source_returns_markdown_and_is_exported_by_lib():
    md = lib.show_source(sigmoid)
    assert type(md).__name__ == "Markdown"
    assert "def sigmoid(z):" in md.data
    assert lib.show_source is show.show_source


def test_fence_is_longer_than_backtick_runs_in_the_source():
    def holds_a_fence():
        """An example:

        ````
        code
        ````
        """

    text = show.source_markdown(holds_a_fence)
    assert text.startswith("`````python") and "def holds_a_fence" in text


def test_show_source_rejects_non_code():
    with pytest.raises(TypeError, match="^obj: expected a function, class or module"):
        show.source_markdown(42)
    with pytest.raises(TypeError, match="^obj:"):
        show.show_source(len)                       # a builtin has no Python source
    namespace = {}
    exec("def made_by_exec():\n    return 1\n", namespace)
    with pytest.raises(ValueError, match="^obj: the source of 'made_by_exec' is not available"):
        show.source_markdown(namespace["made_by_exec"])


def test_source_of_a_module_and_a_class():
    text = show.source_markdown(show)
    assert text.startswith("```python\n") and "def show_source(obj):" in text

    class Small:
        pass

    assert "class Small:" in show.source_markdown(Small)
