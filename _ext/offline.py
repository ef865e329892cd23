"""The book works offline: a local Sphinx extension, registered in _config.yml.

Jupyter Book 1 gets almost everything right by configuration (``mathjax_path``
and myst-nb's ``nb_ipywidgets_js`` point at the vendored copies in
``_vendor/``). This extension does the rest, page by page:

* It drops sphinx-thebe's scripts when the book has no Thebe launch button.
  They would only ever load Thebe from a CDN, and on this stack their inline
  configuration is added twice, which is a JavaScript error on every page
  ("Identifier 'THEBE_JS_URL' has already been declared").
* It removes the Font Awesome 4 stylesheet that matplotlib's ``to_jshtml``
  animations link from a CDN for their play buttons. The theme's own Font
  Awesome (shipped with the book) draws those ``<i class="fa fa-play">`` icons.
* It warns (so ``--warningiserror`` fails the build) when a page would load a
  script or a stylesheet from another host: the book must render with no
  network at all. ``tests/test_book_html.py`` checks the built pages again.
"""
import re

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

# matplotlib.animation's HTML template (to_jshtml, HTMLWriter) starts with this link.
MATPLOTLIB_FONT_AWESOME = re.compile(
    r"""<link\s[^>]*href=["']https?://maxcdn\.bootstrapcdn\.com/font-awesome/[^"']*["'][^>]*>\s*""",
    re.IGNORECASE)


def _thebe_enabled(app):
    buttons = (app.config.html_theme_options or {}).get("launch_buttons") or {}
    return bool(buttons.get("thebe"))


def _is_thebe(asset):
    name = str(asset.filename or "")
    body = asset.attributes.get("body", "") or ""
    return name.endswith(("sphinx-thebe.js", "sphinx-thebe.css")) or "THEBE_JS_URL" in body


def _is_external(asset):
    return "://" in str(asset.filename or "") or str(asset.filename or "").startswith("//")


def tidy_page_assets(app, pagename, templatename, context, doctree):
    """Remove unused Thebe assets and refuse assets from other hosts, on one page."""
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if assets is None:
            continue
        if not _thebe_enabled(app):
            # In place: the builder restores its own list before the next page.
            assets[:] = [a for a in assets if not _is_thebe(a)]
        for asset in assets:
            if _is_external(asset):
                logger.warning("%s loads %s from another host; the book must work offline "
                               "(vendor it under _vendor/)", pagename, asset.filename,
                               type="offline", subtype="external_asset")


def drop_cdn_icon_stylesheet(app, doctree, docname):
    """Take matplotlib's CDN Font Awesome link out of the HTML outputs of a page."""
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext()
        cleaned = MATPLOTLIB_FONT_AWESOME.sub("", text)
        if cleaned != text:
            node.children = []
            node += nodes.Text(cleaned)


def setup(app):
    app.connect("doctree-resolved", drop_cdn_icon_stylesheet)
    # After Sphinx's MathJax (500) and myst-nb's widget scripts have been added.
    app.connect("html-page-context", tidy_page_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
