"""The release's version agrees everywhere it is written: pyproject.toml, CHANGELOG.md, CITATION.cff, the Colab cells."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import setup_cells  # noqa: E402


def version():
    return re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)


def test_the_version_is_semantic():
    assert re.fullmatch(r"\d+\.\d+\.\d+", version())


def test_the_changelog_has_a_section_for_the_version():
    assert re.search(rf"^## {re.escape(version())} ", (ROOT / "CHANGELOG.md").read_text(), re.M)


def test_the_citation_names_the_version():
    citation = (ROOT / "CITATION.cff").read_text()
    assert re.search(rf"^version: {re.escape(version())}$", citation, re.M)
    assert re.search(r"^cff-version: 1\.2\.0$", citation, re.M)


def test_the_colab_cells_install_the_tagged_release():
    assert setup_cells.requirement().endswith(f"@v{version()}")
