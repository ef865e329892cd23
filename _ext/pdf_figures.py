"""In the PDF, every figure is a picture: a local Sphinx extension, registered in _config.yml.

The HTML book shows two kinds of figure that LaTeX cannot: the sliders of
``lib.widgets.figure_slider`` (an ipywidgets view whose pictures live in the
notebook's saved widget state) and matplotlib's ``to_jshtml`` animations (an
HTML page with its frames inside). myst-nb's LaTeX output would print their
``text/plain`` stand-ins instead (``VBox(children=...)``,
``<IPython.core.display.HTML object>``). For the LaTeX builder only, this
extension gives each such output the picture a reader sees first on the
web page, before myst-nb picks an output to show:

* a slider: the picture its sliders select when the page loads (each Stack's
  ``selected_index`` in the saved state, so the chapter's default value);
* an animation: its last frame, the finished picture.

An output it cannot turn into a picture is reported as a warning, which
``python3 dev.py pdf`` turns into a failure. The HTML build is untouched.
"""
import base64
import hashlib
import json
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# matplotlib.animation's HTMLWriter: '  frames[{i}] = "data:image/{fmt};base64,{data}"',
# with the base64 text's newlines escaped as backslash-newline.
DATA_URL_IMAGE = re.compile(r'<img\s[^>]*src="data:image/(png|jpeg);base64,([^"]*)"')
ANIMATION_FRAME = re.compile(r'frames\[(\d+)\]\s*=\s*"data:image/(png|jpeg);base64,([^"]*)"')


def widget_state(env, docname):
    """The saved ipywidgets state of one page: model id → model, or {}."""
    js_files = getattr(env, "nb_metadata", {}).get(docname, {}).get("js_files", {})
    entry = js_files.get("ipywidgets_state")
    if not entry:
        return {}
    body = (entry[1] or {}).get("body", "")
    # myst-nb escaped "</" for the script tag; JSON reads "<\/" as "</" anyway.
    return json.loads(body).get("state", {}) if body else {}


def widget_view(text):
    """The model id in myst-nb's ``<script type="...widget-view+json">`` output."""
    view = json.loads(text.split(">", 1)[1].rsplit("<", 1)[0].replace("<\\/", "</"))
    if isinstance(view, str):  # myst-nb dumps the output's JSON text once more
        view = json.loads(view)
    return view.get("model_id")


def source_document(env, node):
    """The page a node comes from (the LaTeX builder joins all pages in one tree)."""
    source = node.source or (node.parent.source if node.parent is not None else None)
    return (env.path2doc(source) if source else None) or env.docname


def default_picture(state, model_id, seen=None):
    """PNG or JPEG bytes of the picture a widget shows when the page loads, or None.

    An Image is its value, an HTML widget the first ``<img>`` with a ``data:`` URL
    in it (``lib.widgets.figure_slider``'s pictures); a Stack (or any container with ``selected_index``) shows
    its selected child; a Box shows its children in order (the first picture wins).
    """
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return None
    seen.add(model_id)
    model = state[model_id]
    fields = model.get("state", {})
    if model.get("model_name") == "ImageModel":
        for buffer in model.get("buffers", []):
            if buffer.get("path") == ["value"]:
                return base64.b64decode(buffer["data"])
        return None
    if model.get("model_name") == "HTMLModel":  # lib.widgets' <img> with its alt text
        found = DATA_URL_IMAGE.search(fields.get("value", ""))
        return base64.b64decode(found.group(2)) if found else None
    children = [c[len("IPY_MODEL_"):] for c in fields.get("children", [])
                if isinstance(c, str) and c.startswith("IPY_MODEL_")]
    index = fields.get("selected_index")
    if isinstance(index, int) and 0 <= index < len(children):
        children = [children[index]]
    for child in children:
        picture = default_picture(state, child, seen)
        if picture is not None:
            return picture
    return None


def last_animation_frame(html):
    """The last frame of a matplotlib ``to_jshtml`` animation, as image bytes, or None."""
    frames = ANIMATION_FRAME.findall(html)
    if not frames:
        return None
    _, _, data = max(frames, key=lambda f: int(f[0]))
    return base64.b64decode(data.replace("\\\n", "").replace("\n", ""))


class DefaultPictures(SphinxPostTransform):
    """Give each widget or animation output its default picture, for LaTeX."""

    default_priority = 3  # before myst-nb's SelectMimeType (4) chooses an output
    builders = ("latex",)

    def run(self, **kwargs):
        states = {}
        for bundle in list(self.document.findall(
                lambda n: isinstance(n, nodes.container) and n.get("nb_element") == "mime_bundle")):
            by_type = {c.get("mime_type"): c for c in bundle.children}
            if "image/png" in by_type or "image/jpeg" in by_type:
                continue
            docname = source_document(self.env, bundle)
            if WIDGET_VIEW in by_type:
                if docname not in states:
                    states[docname] = widget_state(self.env, docname)
                picture = default_picture(states[docname], widget_view(by_type[WIDGET_VIEW].astext()))
                what = "a widget whose saved state holds no picture (re-run `dev.py book`?)"
            elif "text/html" in by_type and "frames[" in by_type["text/html"].astext():
                picture = last_animation_frame(by_type["text/html"].astext())
                what = "an animation without frames"
            else:
                continue
            if picture is None:
                logger.warning("%s: %s, so the PDF cannot show it", docname, what,
                               location=bundle, type="pdf_figures", subtype="no_picture")
                continue
            bundle.children = []
            container = nodes.container(mime_type="image/png")
            container += self.image_node(docname, picture)
            bundle += container

    def image_node(self, docname, picture):
        """An image node for ``picture``, written beside myst-nb's own output images."""
        folder = Path(self.app.outdir).parent / "jupyter_execute" / "pdf_figures"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".jpg" if picture[:2] == b"\xff\xd8" else ".png"
        path = folder / (hashlib.sha256(picture).hexdigest() + suffix)
        if not path.exists():
            path.write_bytes(picture)
        relative = Path(os.path.relpath(path, self.app.srcdir)).as_posix()
        self.env.images.add_file(docname, relative)
        return nodes.image(uri=relative, candidates={"*": relative})


def setup(app):
    app.add_post_transform(DefaultPictures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
