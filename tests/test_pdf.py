"""The PDF of the book (`python3 dev.py pdf`): complete, every glyph and reference found, linked.

These tests read what the PDF build left in ``_build/latex/`` and ``_build/html/``;
they skip while no PDF is built. CI sets REQUIRE_PDF=1 after ``dev.py pdf``: there,
a missing PDF is a failure, not a skip.
"""
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import pdf_figures  # the local Sphinx extension, tested without Sphinx below

NAME = "deep-learning-derived"
BUILD = ROOT / "_build"
#: Each edition: where its LaTeX is built, and the HTML folder of its landing page.
EDITIONS = {"en": (BUILD / "latex", BUILD / "html"),
            "zh_CN": (BUILD / "i18n" / "zh_CN" / "latex", BUILD / "html" / "zh_CN")}
REQUIRED = os.environ.get("REQUIRE_PDF") == "1"


def built(edition):
    latex, _ = EDITIONS[edition]
    log, tex, pdf = (latex / f"{NAME}.{ext}" for ext in ("log", "tex", "pdf"))
    if not (pdf.exists() and log.exists() and tex.exists()):
        if REQUIRED:
            pytest.fail(f"REQUIRE_PDF=1 but {pdf.relative_to(ROOT)} is not built", pytrace=False)
        pytest.skip("the PDF is not built (python3 dev.py pdf)")
    return log.read_text(encoding="utf-8", errors="replace"), tex.read_text(encoding="utf-8"), pdf


def test_targetname_matches_the_config():
    assert f"targetname: {NAME}.tex" in (ROOT / "_config.yml").read_text()


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_missing_glyph_and_no_undefined_reference(edition):
    log, _, _ = built(edition)
    missing = sorted(set(re.findall(r"^Missing character: .*$", log, re.MULTILINE)))
    assert not missing, "characters the PDF's fonts lack:\n" + "\n".join(missing)
    undefined = re.findall(r"^LaTeX Warning: .*undefined.*$", log, re.MULTILINE)
    assert not undefined, "\n".join(undefined)
    assert "There were undefined references" not in log


@pytest.mark.parametrize("edition, text", [("en", "梯度下降"), ("zh_CN", "什么是神经网络")])
def test_chinese_text_is_set_in_a_chinese_font(edition, text):
    _, tex, _ = built(edition)
    assert text in tex  # the glossary's terms (the whole text, in the Chinese edition) reach the PDF ...
    assert r"\newfontfamily\chinesefont{WenQuanYi Micro Hei}" in tex  # ... in a font that has them


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_slider_and_animation_became_a_picture(edition):
    _, tex, _ = built(edition)
    # myst-nb's text/plain stand-ins, which LaTeX would otherwise print
    for stand_in in ("VBox(children=", "IPython.core.display.HTML object", "Stack(children="):
        assert stand_in not in tex, f"the PDF prints {stand_in!r} instead of a picture"


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_landing_page_links_the_pdf(edition):
    _, _, pdf = built(edition)
    html = EDITIONS[edition][1]
    page = html / "intro.html"
    if not page.exists():
        pytest.skip("the HTML book is not built")

    hrefs = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                hrefs.append(dict(attrs).get("href", ""))

    Links().feed(page.read_text(encoding="utf-8"))
    pdfs = [h for h in hrefs if h.endswith(".pdf")]
    assert pdfs == [f"{NAME}.pdf"], pdfs
    target = html / pdfs[0]
    assert target.exists() and target.read_bytes() == pdf.read_bytes(), \
        "the HTML book's copy of the PDF is missing or stale (python3 dev.py pdf copies it)"


# The extension's picture-finding, on hand-made widget states (no Sphinx build needed).

def _image(data):
    import base64
    return {"model_name": "ImageModel", "state": {},
            "buffers": [{"path": ["value"], "data": base64.b64encode(data).decode(), "encoding": "base64"}]}


def test_a_slider_shows_the_picture_each_stack_selects():
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_outer"]}},
        "slider": {"model_name": "SelectionSliderModel", "state": {"index": 1}},
        "outer": {"model_name": "StackModel", "state": {"children": ["IPY_MODEL_a", "IPY_MODEL_b"],
                                                         "selected_index": 1}},
        "a": {"model_name": "StackModel", "state": {"children": ["IPY_MODEL_a0"], "selected_index": 0}},
        "b": {"model_name": "StackModel", "state": {"children": ["IPY_MODEL_b0", "IPY_MODEL_b1"],
                                                     "selected_index": 0}},
        "a0": _image(b"a0"), "b0": _image(b"b0"), "b1": _image(b"b1"),
    }
    assert pdf_figures.default_picture(state, "box") == b"b0"
    assert pdf_figures.default_picture(state, "slider") is None
    assert pdf_figures.default_picture(state, "missing") is None


def test_a_picture_may_be_an_html_widget_with_an_img():
    import base64
    data = base64.b64encode(b"png bytes").decode()
    state = {"box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_pic"]}},
             "pic": {"model_name": "HTMLModel",
                     "state": {"value": f'<img alt="a curve" src="data:image/png;base64,{data}" style="x">'}}}
    assert pdf_figures.default_picture(state, "box") == b"png bytes"


def test_an_animation_shows_its_last_frame():
    import base64
    frames = [base64.b64encode(bytes([i]) * 100).decode() for i in range(12)]
    html = "".join(f'  frames[{i}] = "data:image/png;base64,{f[:40]}\\\n{f[40:]}";\n'
                   for i, f in enumerate(frames))
    assert pdf_figures.last_animation_frame(html) == bytes([11]) * 100
    assert pdf_figures.last_animation_frame("<p>no frames</p>") is None


def test_the_widget_view_script_gives_its_model_id():
    import json
    data = json.dumps({"version_major": 2, "version_minor": 0, "model_id": "abc"})
    for text in (json.dumps(data), data):
        script = f'<script type="application/vnd.jupyter.widget-view+json">{text}</script>'
        assert pdf_figures.widget_view(script) == "abc"
