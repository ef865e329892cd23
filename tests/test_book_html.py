"""The built HTML book as a reader gets it: offline, typeset, interactive without a kernel.

Run after a build::

    python3 dev.py book
    python3 dev.py test tests/test_book_html.py

Two kinds of checks over ``_build/html`` (or the folder named by ``BOOK_HTML``):

* Without a browser: no page loads a script, style or font from another host;
  MathJax and the widget manager load only on the pages that use them; no page
  is heavier than the budget; the vendored assets keep their licences.
* In Debian's Chromium, headless, driven by Playwright, with every request
  that does not go to the book's own server on 127.0.0.1 refused: on every page,
  no console error, no failed request, every ``<img>`` loaded and no wider than
  the text column (and, in a chapter, with a text alternative), every formula typeset, every widget rendered, every
  kernel-free slider moved and its figure seen to change; a screenshot of each
  page goes to ``test-artifacts/screenshots/``; the search works.

The whole module is skipped while the book is not built, and the browser tests
when Chromium is missing (``apt-get install chromium``).
"""
import functools
import html.parser
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html")).resolve()
ARTIFACTS = ROOT / "test-artifacts"
VENDOR = ROOT / "_vendor"

# CI sets REQUIRE_BROWSER=1 after building the book: there, a missing book, Chromium or
# Playwright is a failure, not a skip.
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"


def skip_or_fail(reason):
    if REQUIRED:
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


if not (BOOK / "index.html").exists():
    reason = f"the book is not built ({BOOK} has no index.html): run `python3 dev.py book` first"
    if REQUIRED:
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason, allow_module_level=True)

# Every page a reader can open: the book's HTML files, not the theme's templates.
# The Chinese edition's pages (zh_CN/...) are pages too: every check below runs on both editions.
PAGES = sorted(p.relative_to(BOOK).as_posix() for p in BOOK.rglob("*.html")
               if not {"_static", "_sources", "_images"} & set(p.relative_to(BOOK).parts))

# Chromium flags for this machine kind: headless, no sandbox as root, and none of
# Chromium's own background connections (they would be refused and logged).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage",
                 # A second lock on the network besides Playwright's routing below.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

# A page's own HTML (pre-drawn figures are saved in it) and the page with every file it
# names (scripts, styles, pictures), uncompressed. A static host that compresses sends
# about a third of it.
PAGE_HTML_BUDGET = 3 * 2**20
PAGE_WEIGHT_BUDGET = 10 * 2**20

# A phone's width in CSS pixels: pictures and widgets must fit it too.
NARROW = 390

# Tag attributes that make the browser fetch something when the page loads.
FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
            "audio": "src", "track": "src", "embed": "src", "object": "data", "input": "src"}
FETCHING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect",
                      "dns-prefetch", "icon", "shortcut", "apple-touch-icon", "manifest"}
EXTERNAL = re.compile(r"^(https?:)?//", re.IGNORECASE)
CSS_EXTERNAL = re.compile(r"""(@import\s+(url\()?\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//)""",
                          re.IGNORECASE)


class _Assets(html.parser.HTMLParser):
    """What one HTML page makes the browser fetch: (tag, url) pairs and inline CSS."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fetched, self.styles, self.scripts = [], [], []
        self.redirect = None
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            rels = set((attrs.get("rel") or "").lower().split())
            if rels & FETCHING_LINK_RELS or "as" in attrs:
                self.fetched.append((tag, attrs.get("href") or ""))
        elif tag in FETCHING and attrs.get(FETCHING[tag]):
            self.fetched.append((tag, attrs[FETCHING[tag]]))
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.redirect = (attrs.get("content") or "").partition("url=")[2].strip() or None
        if attrs.get("style"):
            self.styles.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


@functools.lru_cache(maxsize=None)
def parse(page):
    parser = _Assets()
    parser.feed((BOOK / page).read_text(encoding="utf-8"))
    return parser


def local_path(page, url):
    """The file under BOOK that a page-relative URL names (query and fragment dropped)."""
    path = urlsplit(urljoin(f"http://book/{page}", url)).path.lstrip("/")
    return BOOK / path


# ---------------------------------------------------------------- without a browser


def test_pages_found():
    assert "index.html" in PAGES and "intro.html" in PAGES, PAGES


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_nothing_from_another_host(page):
    assets = parse(page)
    external = [f"<{tag}> {url}" for tag, url in assets.fetched if EXTERNAL.match(url.strip())]
    external += [f"inline style: {m.group(0)}" for css in assets.styles
                 for m in CSS_EXTERNAL.finditer(css)]
    assert not external, f"{page} loads from another host: {external}"
    missing = [url for tag, url in assets.fetched
               if not url.startswith("data:") and not local_path(page, url).is_file()]
    assert not missing, f"{page} refers to files the build does not have: {missing}"


def test_stylesheets_import_nothing_from_another_host():
    found = [f"{css.relative_to(BOOK)}: {m.group(0)}" for css in BOOK.rglob("*.css")
             for m in CSS_EXTERNAL.finditer(css.read_text(encoding="utf-8", errors="replace"))]
    assert not found, found


def _loads(page, name):
    return any(tag == "script" and name in url for tag, url in parse(page).fetched)


@pytest.mark.parametrize("page", PAGES)
def test_heavy_assets_load_only_where_used(page):
    text = (BOOK / page).read_text(encoding="utf-8")
    has_math = 'class="math' in text
    has_widgets = 'application/vnd.jupyter.widget-view+json' in text
    assert _loads(page, "mathjax/") == has_math, (
        f"{page}: MathJax should load exactly on pages with maths (maths: {has_math})")
    assert _loads(page, "jupyter-widgets/embed.js") == has_widgets, (
        f"{page}: the widget manager should load exactly on pages with widgets "
        f"(widgets: {has_widgets})")


def test_no_static_folder_that_jupyter_book_adds_to_every_page():
    # Jupyter Book 1 adds every .js/.css under _static/ (and under every other
    # html_static_path once _static/ exists) to every page.
    static = ROOT / "_static"
    heavy = [p for p in static.rglob("*") if p.suffix in {".js", ".css"}] if static.exists() else []
    assert not static.exists(), f"_static/ exists ({heavy}): put assets in _vendor/ or _ext/static/"


def page_files(page):
    """The page and the files it names (scripts, styles, pictures) that the build has."""
    files = {BOOK / page}
    files |= {local_path(page, url) for tag, url in parse(page).fetched
              if not url.startswith("data:")}
    return {f for f in files if f.is_file()}


@functools.lru_cache(maxsize=None)
def gzipped_size(path):
    import zlib

    return len(zlib.compress(path.read_bytes(), 6))


def test_page_weight_within_budget():
    weights = {p: (sum(f.stat().st_size for f in page_files(p)),
                   sum(gzipped_size(f) for f in page_files(p)),
                   (BOOK / p).stat().st_size) for p in PAGES}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weights.json").write_text(json.dumps(
        {p: {"bytes": w, "gzip_bytes": g, "html_bytes": h}
         for p, (w, g, h) in sorted(weights.items(), key=lambda kv: -kv[1][0])}, indent=1))
    page = max(weights, key=lambda p: weights[p][0])
    total, gzipped, own = weights[page]
    print(f"heaviest page: {page}: {total / 2**20:.2f} MiB with its scripts, styles and "
          f"pictures ({gzipped / 2**20:.2f} MiB compressed), of which its HTML "
          f"{own / 2**20:.2f} MiB; fonts and MathJax extensions load on demand")
    too_big = {p: f"{w[2] / 2**20:.1f} MiB" for p, w in weights.items() if w[2] > PAGE_HTML_BUDGET}
    assert not too_big, (f"pages whose HTML exceeds {PAGE_HTML_BUDGET / 2**20:.0f} MiB: {too_big}: "
                         "fewer or smaller pre-drawn figures (figure_slider's dpi, grid size)?")
    too_heavy = {p: f"{w[0] / 2**20:.1f} MiB" for p, w in weights.items()
                 if w[0] > PAGE_WEIGHT_BUDGET}
    assert not too_heavy, f"pages over {PAGE_WEIGHT_BUDGET / 2**20:.0f} MiB: {too_heavy}"


def test_vendored_assets_keep_their_licences_and_checksums():
    import hashlib

    folders = [p for p in VENDOR.iterdir() if p.is_dir()]
    assert {p.name for p in folders} >= {"mathjax", "jupyter-widgets"}
    for folder in folders:
        assert list(folder.glob("LICENSE*")), f"{folder.name}: no LICENSE file beside the asset"
        assert (BOOK / "_static" / folder.name / "LICENSE").is_file() or \
            list((BOOK / "_static" / folder.name).glob("LICENSE*")), \
            f"{folder.name}'s licence is not shipped with the built book"
    sums = (VENDOR / "SHA256SUMS").read_text().split("\n")
    listed = {}
    for line in filter(None, sums):
        digest, name = line.split(maxsplit=1)
        listed[name.lstrip("*")] = digest
    present = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*")
               if p.is_file() and p.name not in {"SHA256SUMS", "README.md"}}
    assert present == set(listed), f"SHA256SUMS out of date: {present ^ set(listed)}"
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_book_has_a_kernel_free_slider():
    chapters = [p for p in PAGES if p.startswith("chapters/")]
    if not chapters:
        pytest.skip("no chapter is built yet")
    linked = [p for p in chapters
              if '"SelectionSliderModel"' in (text := (BOOK / p).read_text(encoding="utf-8"))
              and '"LinkModel"' in text and '"StackModel"' in text]
    assert linked, "no chapter has a lib.widgets.figure_slider (slider jslink-ed to a Stack)"


# ---------------------------------------------------------------- in Chromium


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url():
    handler = functools.partial(_QuietHandler, directory=str(BOOK))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        skip_or_fail("no Chromium: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is missing: pip install -r requirements.txt")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One page open in a fresh browser context, with everything that went wrong."""

    def __init__(self, browser, base_url, page_path, width=1280):
        self.problems = []
        self.context = browser.new_context(viewport={"width": width, "height": 900},
                                           service_workers="block")
        # The network is blocked: only the book's own server answers.
        self.context.route("**/*", self._route(base_url))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error: {m.text} ({m.location.get('url', '')})"))
        self.page.on("pageerror", lambda e: self.problems.append(f"JavaScript error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(
            f"failed request: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))
        self.url = base_url + page_path
        self.page.goto(self.url, wait_until="load")
        if page_path in PAGES and parse(page_path).redirect:  # index.html: to the first page
            self.page.wait_for_url(urljoin(self.url, parse(page_path).redirect), timeout=10_000)
            self.page.wait_for_load_state("load")

    def _route(self, base_url):
        def route(r):
            url = r.request.url
            if url.startswith(base_url) or url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                self.problems.append(f"request to another host (blocked): {url}")
                r.abort("blockedbyclient")
        return route

    def close(self):
        self.context.close()


# Text that MathJax should have turned into maths: \( \) \[ \] $$ or $x$.
RAW_MATH = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{|(?<![\w$])\$[^\s$](?:[^$\n]{0,200}?[^\s$\\])?\$(?![\w$])")

VISIBLE_TEXT_JS = """() => {
  const root = document.querySelector('main') || document.body;
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, mjx-assistive-mml';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode(n) {
      const p = n.parentElement;
      return p && p.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }});
  const out = [];
  while (walker.nextNode()) out.push(walker.currentNode.nodeValue);
  return out.join(' ');
}"""

WIDGETS_JS = """() => {
  const views = Array.from(document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]'));
  const unrendered = views.filter(v => {
      const prev = v.previousElementSibling;
      return !(prev && prev.classList.contains('widget-subarea')
               && prev.querySelector('.jupyter-widgets'));
  }).length;
  return {views: views.length, unrendered,
          errors: document.querySelectorAll('.jupyter-widgets-error-widget').length};
}"""

IMAGES_JS = """() => {
  const column = document.querySelector('main article') || document.querySelector('main')
                 || document.body;
  const box = column.getBoundingClientRect();
  const out = [];
  for (const img of document.images) {
    const r = img.getBoundingClientRect();
    const shown = r.width > 0 && r.height > 0 && column.contains(img);
    out.push({src: img.currentSrc.slice(0, 120), complete: img.complete, alt: img.getAttribute('alt'),
              natural: img.naturalWidth, shown, width: r.width,
              fits: !shown || (r.left >= box.left - 1 && r.right <= box.right + 1)});
  }
  return {images: out, column: box.width,
          pageOverflow: document.documentElement.scrollWidth
                        - document.documentElement.clientWidth};
}"""

# For each slider: the figure beside it (the visible picture in its figure_slider box).
SLIDER_STATE_JS = """(index) => {
  const slider = document.querySelectorAll('.widget-slider')[index];
  const readout = slider.querySelector('.widget-readout');
  let box = slider.parentElement, img = null;
  while (box && !img) {
    img = Array.from(box.querySelectorAll('img')).find(i => i.getBoundingClientRect().width > 0);
    if (!img) box = box.parentElement;
    if (box && box.classList.contains('cell_output')) break;
  }
  return {readout: readout ? readout.textContent : null,
          src: img ? img.currentSrc : null,
          loaded: img ? img.complete && img.naturalWidth > 0 : false};
}"""


WIDE_BLOCKS_JS = """() => Array.from(document.querySelectorAll(
      'div.cell_input pre, div.cell_output pre, div.highlight pre'))
    .filter(pre => pre.getBoundingClientRect().width > 0 && pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => ({kind: pre.closest('.cell_output') ? 'output' : 'code',
                  scroll: pre.scrollWidth, client: pre.clientWidth,
                  text: pre.textContent.split('\\n').sort((a, b) => b.length - a.length)[0].slice(0, 100)}))
"""


def has_text_alternative(alt):
    """An alt that says something: not missing, not blank, not the file path Sphinx puts there
    when a cell has no ``mystnb: image: alt`` in its metadata."""
    return bool(alt and alt.strip()) and not IMAGE_PATH.search(alt.strip())


IMAGE_PATH = re.compile(r"(^|/)_images/|\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)


def wait_until_ready(visit):
    page = visit.page
    if page.evaluate("() => document.querySelector('.math') !== null"):
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                               timeout=20_000)
        page.evaluate("() => MathJax.startup.promise")
    if page.evaluate(WIDGETS_JS)["views"]:
        page.wait_for_function(f"() => ({WIDGETS_JS})().unrendered === 0", timeout=30_000)
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)",
                           timeout=20_000)
    page.wait_for_load_state("networkidle")


def move_slider(visit, index):
    """Press an arrow key on slider `index`; return its state before and after."""
    page = visit.page
    before = page.evaluate(SLIDER_STATE_JS, index)
    handle = page.locator(".widget-slider").nth(index).locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    for key in ("ArrowRight", "ArrowLeft", "ArrowLeft"):  # the right end cannot go right
        handle.focus()
        page.keyboard.press(key)
        page.wait_for_timeout(150)
        after = page.evaluate(SLIDER_STATE_JS, index)
        if after["readout"] != before["readout"]:
            break
    try:  # the picture switches in the browser, without a kernel
        page.wait_for_function(f"() => ({SLIDER_STATE_JS})({index}).src !== {json.dumps(before['src'])}"
                               f" && ({SLIDER_STATE_JS})({index}).loaded", timeout=5_000)
    except Exception:
        pass
    return before, page.evaluate(SLIDER_STATE_JS, index)


def screenshot_name(page_path):
    return page_path.removesuffix(".html").replace("/", "__") + ".png"


@pytest.mark.parametrize("page_path", PAGES)
def test_page_in_browser(browser, base_url, page_path):
    visit = Visit(browser, base_url, page_path)
    try:
        wait_until_ready(visit)
        page = visit.page
        problems = visit.problems

        # Every formula typeset, none left raw, no TeX error.
        math = page.evaluate("""() => ({
            spans: document.querySelectorAll('.math').length,
            untypeset: Array.from(document.querySelectorAll('.math'))
                            .filter(m => !m.querySelector('mjx-container')).length,
            texErrors: Array.from(document.querySelectorAll('mjx-merror'))
                            .map(e => e.getAttribute('data-mjx-error') || e.textContent)})""")
        if math["untypeset"]:
            problems.append(f"{math['untypeset']} of {math['spans']} formulas not typeset")
        problems += [f"TeX error: {e}" for e in math["texErrors"]]
        raw = RAW_MATH.findall(page.evaluate(VISIBLE_TEXT_JS))
        if raw:
            problems.append(f"raw maths left in the text: {raw[:5]}")

        # Every widget rendered, none as an error placeholder.
        widgets = page.evaluate(WIDGETS_JS)
        if widgets["unrendered"] or widgets["errors"]:
            problems.append(f"widgets: {widgets}")

        # Every picture loaded and inside the text column; no sideways scrolling.
        images = page.evaluate(IMAGES_JS)
        for img in images["images"]:
            if not (img["complete"] and img["natural"] > 0):
                problems.append(f"picture not loaded: {img['src']}")
            if "chapters" in page_path.split("/") and not has_text_alternative(img["alt"]):
                problems.append(f"picture without a text alternative (alt={img['alt']!r}): "
                                f"{img['src']} (a code cell's metadata mystnb.image.alt, or "
                                "figure_slider(alt=...))")
            if not img["fits"]:
                problems.append(f"picture wider than the text column ({img['width']:.0f} px > "
                                f"{images['column']:.0f} px): {img['src']}")
        if images["pageOverflow"] > 1:
            problems.append(f"the page scrolls sideways by {images['pageOverflow']} px")

        # Every code and output block fits its column at 1280 px: no sideways scrolling to
        # read the end of a line or a table's last columns (code is formatted to 88
        # characters by ruff; an output cell whose text may wrap is tagged wrap-output).
        wide = page.evaluate(WIDE_BLOCKS_JS)
        problems += [f"a {w['kind']} block is wider than its column ({w['scroll']} px > "
                     f"{w['client']} px): {w['text']!r}" for w in wide]

        # Icons (an animation's play buttons): drawn, not empty boxes.
        blank = page.evaluate("""() => Array.from(document.querySelectorAll(
              'main i.fa, main i.fas, main i.far, main i.fab, main i[class*="fa-"]'))
            .filter(i => i.getBoundingClientRect().width === 0
                         && getComputedStyle(i, '::before').content in {none: 1, normal: 1, '""': 1})
            .map(i => i.className)""")
        if blank:
            problems.append(f"icons not drawn (no icon font or script): {blank[:5]}")

        ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "screenshots" / screenshot_name(page_path)),
                        full_page=True)

        # Every slider moves its figure: none is a control that does nothing here.
        for index in range(page.locator(".widget-slider").count()):
            before, after = move_slider(visit, index)
            if after["readout"] == before["readout"]:
                problems.append(f"slider {index} did not move with the arrow keys")
            elif after["src"] is None or after["src"] == before["src"] or not after["loaded"]:
                problems.append(f"slider {index} moved ({before['readout']} -> "
                                f"{after['readout']}) but its figure stayed the same: a live "
                                "interact in the HTML? (use lib.widgets.figure_slider, tag the "
                                "live cell remove-output)")

        # On a phone-sized screen too, pictures and widgets stay inside the text column.
        page.set_viewport_size({"width": NARROW, "height": 900})
        page.wait_for_timeout(300)
        images = page.evaluate(IMAGES_JS)
        for img in images["images"]:
            if not img["fits"]:
                problems.append(f"at {NARROW} px, a picture is wider than the text column "
                                f"({img['width']:.0f} px > {images['column']:.0f} px): {img['src']}")
        cut = page.evaluate("""() => {
            const column = (document.querySelector('main article') || document.body)
                           .getBoundingClientRect();
            return Array.from(document.querySelectorAll('.widget-subarea *')).filter(e => {
                const r = e.getBoundingClientRect();
                return r.width > 0 && r.right > column.right + 1; }).map(e => e.className);
        }""")
        if cut:
            problems.append(f"at {NARROW} px, widget parts stick out of the text column: {cut[:3]}")
        # ... and the prose reads without scrolling sideways (code blocks may scroll there).
        prose = page.evaluate("""() => {
            const column = (document.querySelector('main article') || document.body)
                           .getBoundingClientRect();
            const wide = Array.from(document.querySelectorAll('main article p, main article li'))
                .filter(e => !e.closest('pre, .highlight, table, .cell_output, mjx-container'))
                .filter(e => e.getBoundingClientRect().right > column.right + 1).length;
            return {wide, overflow: document.documentElement.scrollWidth
                                    - document.documentElement.clientWidth};
        }""")
        if prose["wide"] or prose["overflow"] > 1:
            problems.append(f"at {NARROW} px, the prose scrolls sideways: {prose}")
        assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)
    finally:
        visit.close()


def test_kernel_free_slider_changes_the_picture(browser, base_url):
    """The issue's own check: one figure_slider moved, its picture seen to change."""
    pages = [p for p in PAGES if p.startswith("chapters/")
             and "SelectionSliderModel" in (BOOK / p).read_text(encoding="utf-8")]
    if not pages:
        pytest.skip("no built chapter has a figure_slider yet")
    visit = Visit(browser, base_url, pages[0])
    try:
        wait_until_ready(visit)
        page = visit.page
        slider = page.locator(".widget-slider").first
        slider.scroll_into_view_if_needed()
        box = page.locator(".widget-vbox", has=slider).last
        shot_before = box.screenshot()
        before, after = move_slider(visit, 0)
        page.wait_for_timeout(300)
        shot_after = box.screenshot()
        (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "screenshots" / "slider-before.png").write_bytes(shot_before)
        (ARTIFACTS / "screenshots" / "slider-after.png").write_bytes(shot_after)
        assert after["readout"] != before["readout"], (before, after)
        assert after["src"] != before["src"] and after["loaded"], (before, after)
        assert shot_before != shot_after, "the slider moved but the picture on screen did not change"
        assert not visit.problems, visit.problems
    finally:
        visit.close()


def test_search_works_offline(browser, base_url):
    visit = Visit(browser, base_url, "search.html?q=gradient")
    try:
        visit.page.wait_for_function(
            "() => document.querySelectorAll('#search-results ul.search li').length > 0",
            timeout=20_000)
        count = visit.page.locator("#search-results ul.search li").count()
        assert count > 0
        assert not visit.problems, visit.problems
    finally:
        visit.close()


# ---------------------------------------------------------------- the Chinese edition

ZH = "zh_CN/"
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC",
             "Microsoft YaHei"]
LANGUAGE_SWITCH = re.compile(r'<a class="btn btn-sm book-language-switch" href="([^"]+)"')
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_chinese_edition_is_built():
    assert f"{ZH}intro.html" in PAGES and f"{ZH}search.html" in PAGES, (
        "no Chinese edition in _build/html/zh_CN: `python3 dev.py book` builds both")


@pytest.mark.parametrize("page", PAGES)
def test_language_switch_links_to_the_same_page_in_the_other_edition(page):
    if parse(page).redirect:
        pytest.skip("a redirect")
    links = LANGUAGE_SWITCH.findall((BOOK / page).read_text(encoding="utf-8"))
    assert len(links) == 1, f"{page}: {len(links)} language switches (want 1)"
    counterpart = page.removeprefix(ZH) if page.startswith(ZH) else ZH + page
    assert local_path(page, links[0]) == BOOK / counterpart, (page, links[0])
    assert (BOOK / counterpart).is_file(), f"{page} links to {counterpart}, which was not built"


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith(ZH)])
def test_chinese_page_declares_its_language_and_cjk_fonts(page):
    if parse(page).redirect:
        pytest.skip("a redirect")
    text = (BOOK / page).read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*\slang="zh-CN"', text), f"{page}: <html> without lang=\"zh-CN\""
    assert any(url.split("?")[0].endswith("book/cjk.css") for tag, url in parse(page).fetched), (
        f"{page} does not load the CJK font stack (_static/book/cjk.css)")
    css = (BOOK / ZH / "_static" / "book" / "cjk.css").read_text(encoding="utf-8")
    assert all(f'"{font}"' in css for font in CJK_FONTS), css


# Which fonts of the stack the browser has: a font is there when Latin text set in it
# is not as wide as in both generic fallbacks (every font of the stack has CJK glyphs).
INSTALLED_FONTS_JS = """(fonts) => {
  const ctx = document.createElement('canvas').getContext('2d');
  const width = (family) => { ctx.font = '72px ' + family; return ctx.measureText('mmmwwwlliiABC').width; };
  return fonts.filter(f => ['monospace', 'serif'].every(g => width(`"${f}", ${g}`) !== width(g)));
}"""


def test_chinese_text_is_drawn_with_a_cjk_font(browser, base_url):
    visit = Visit(browser, base_url, f"{ZH}running.html")
    try:
        page = visit.page
        family = page.evaluate("() => getComputedStyle(document.querySelector('main p')).fontFamily")
        assert all(font in family for font in CJK_FONTS), family
        installed = page.evaluate(INSTALLED_FONTS_JS, CJK_FONTS)
        assert installed, (f"none of {CJK_FONTS} is installed: Chinese text would fall back to "
                           "boxes (apt-get install fonts-wqy-microhei)")
        assert not visit.problems, visit.problems
    finally:
        visit.close()


def test_search_works_in_chinese(browser, base_url):
    """A translated page's title, searched in the Chinese edition, finds that page."""
    titled = [(p, m.group(1).strip()) for p in PAGES if p.startswith(ZH)
              for m in [re.search(r"<h1>([^<]+)", (BOOK / p).read_text(encoding="utf-8"))]
              if m and len(CJK.findall(m.group(1))) >= 2]
    if not titled:
        skip_or_fail("no page of the Chinese edition has a translated title yet")
    page, title = titled[0]
    visit = Visit(browser, base_url, f"{ZH}search.html?q={quote(title)}")
    try:
        visit.page.wait_for_function(
            "() => document.querySelectorAll('#search-results ul.search li').length > 0",
            timeout=20_000)
        found = visit.page.eval_on_selector_all("#search-results ul.search li a",
                                                "links => links.map(a => a.href)")
        assert any(urlsplit(url).path.endswith("/" + page) for url in found), (title, found)
        assert not visit.problems, visit.problems
    finally:
        visit.close()
