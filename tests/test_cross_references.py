"""Chapters refer to each other by MyST links, never by a number typed as text.

The table of contents numbers the chapters (`numbered: true`), and a part can
gain a chapter: a typed "chapter 13" would then point at the wrong one, and no
build would notice. A ``{doc}`` link follows any move, and the book build's
``-n`` fails on a link whose target is gone.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
PAGES = sorted(p for p in ROOT.glob("*.md") if p.name not in {"README.md", "CONTRIBUTING.md", "CHANGELOG.md"})
TYPED_NUMBER = re.compile(r"\b[Cc]h(?:apters?|\.)\s*\d+")
DOC_LINK = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")


def prose(path):
    """The Markdown a reader sees: a page's text, or a notebook's Markdown cells."""
    if path.suffix == ".md":
        return path.read_text()
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_the_pattern_finds_typed_numbers_and_spares_links():
    assert TYPED_NUMBER.findall("as chapter 13 showed; Chapters 9 and 10; ch. 4") == \
        ["chapter 13", "Chapters 9", "ch. 4"]
    assert not TYPED_NUMBER.search("{doc}`the chapter on attention <22_attention>` and this chapter")


@pytest.mark.parametrize("path", CHAPTERS + PAGES, ids=lambda p: p.name)
def test_no_chapter_number_is_typed_in_the_prose(path):
    found = TYPED_NUMBER.findall(prose(path))
    assert not found, f"{path.name}: link the chapter with {{doc}} instead of typing {found}"


@pytest.mark.parametrize("path", CHAPTERS + PAGES, ids=lambda p: p.name)
def test_every_doc_link_names_a_page_that_exists(path):
    for target in DOC_LINK.findall(prose(path)):
        resolved = (path.parent / target).resolve()
        assert resolved.with_suffix(".ipynb").exists() or resolved.with_suffix(".md").exists(), \
            f"{path.name}: {{doc}} link to {target!r}, which is not a page"
