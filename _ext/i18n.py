"""The book's editions: English (the source) and Chinese (``locales/zh_CN``), built from the same notebooks.

As a local Sphinx extension (registered in ``_config.yml``), on every page of either edition:

* a language switch in the article header that links the page to the same page
  in the other edition (English at ``_build/html/``, Chinese at ``_build/html/zh_CN/``);
* on the Chinese pages, a CJK font stack of system fonts (``_ext/static/book/cjk.css``;
  Sphinx already writes ``<html lang="zh-CN">``);
* a Chinese search index that works without jieba: runs of Chinese characters are
  indexed as overlapping pairs of characters (bigrams), and the search page splits
  a query the same way, so that a query finds the pages containing all of its
  pairs. With jieba installed, Sphinx's own word segmentation is used instead.

As a script, run by ``python3 dev.py`` with the book's environment::

    python _ext/i18n.py gettext            extract the messages into _build/i18n/gettext/*.pot
    python _ext/i18n.py html zh_CN [args]  build the Chinese edition into _build/i18n/zh_CN/html
                                           and copy it to _build/html/zh_CN
    python _ext/i18n.py latex zh_CN [args] its LaTeX into _build/i18n/zh_CN/latex (dev.py pdf
                                           runs xelatex on it)

Both reuse the English build's execution cache (``_build/.jupyter_cache``) and never
execute a notebook themselves: the extraction needs only the text, so it runs with
execution off; the Chinese edition takes every output from the cache, so it must run
after the English build.
"""
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
# The source language's edition is at the root of _build/html; each other edition in
# a folder named after its language.
SOURCE_LANGUAGE = "en"
EDITIONS = {"zh_CN": {"name": "中文", "tag": "zh-CN", "title": "本页的中文版"}}
ENGLISH = {"name": "English", "tag": "en", "title": "This page in English"}
LOCALES = ROOT / "locales"
POT_DIR = BUILD / "i18n" / "gettext"
CACHE = BUILD / ".jupyter_cache"

# Sphinx's configuration for the translated editions and for the extraction, on top of
# _config.yml (the sphinx: config: section keeps the English edition's settings).
TRANSLATION_CONFIG = {
    "locale_dirs": ["locales/"],
    "gettext_compact": False,      # one .pot/.po per page
    "gettext_uuid": False,
    "gettext_location": False,     # no source line numbers: they churn every .po on every edit
    "gettext_additional_targets": [],
}


# ---------------------------------------------------------------- the Sphinx extension


def _edition(language):
    return None if language in (None, "", SOURCE_LANGUAGE) else language


def add_language_switch(app, pagename, templatename, context, doctree):
    """Link this page to its counterpart in the other edition (a path relative to the page)."""
    up = "../" * pagename.count("/")
    edition = _edition(app.config.language)
    if edition is None:
        target = next(iter(EDITIONS))
        info = EDITIONS[target]
        url = f"{up}{target}/{pagename}.html"
    else:
        info = ENGLISH
        url = f"{up}../{pagename}.html"
    context["book_language_switch"] = {"url": url, "text": info["name"], "hreflang": info["tag"],
                                       "title": info["title"]}


def _use_templates(app, config):
    """The switch goes after the theme's own article-header buttons."""
    config.templates_path = list(config.templates_path) + [str(Path(__file__).parent / "templates")]
    options = dict(config.html_theme_options or {})
    end = options.get("article_header_end") or ["article-header-buttons.html"]
    if isinstance(end, str):
        end = [s.strip() for s in end.split(",") if s.strip()]
    if "language-switch.html" not in end:
        options["article_header_end"] = list(end) + ["language-switch.html"]
    config.html_theme_options = options


def _add_styles(app):
    app.add_css_file("book/i18n.css")
    if app.config.language and app.config.language.startswith("zh"):
        app.add_css_file("book/cjk.css")


CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# The search page's query splitter: the same pairs as _bigrams() below, and the Latin
# words as Sphinx splits them. Defines splitQuery (searchtools.js keeps a defined one).
JS_SPLITTER = r"""
var splitQuery = (query) => {
  const cjk = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;
  const terms = [];
  for (const run of query.match(cjk) || []) {
    if (run.length === 1) terms.push(run);
    for (let i = 0; i + 1 < run.length; i++) terms.push(run.slice(i, i + 2));
  }
  return terms.concat(query.replace(cjk, " ")
      .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter(t => t));
};
"""


def _bigrams(text):
    pairs = []
    for run in CJK_RUN.findall(text):
        pairs += [run[i:i + 2] for i in range(len(run) - 1)]
    return pairs


def _search_language():
    from sphinx.search import zh

    class SearchChineseBigrams(zh.SearchChinese):
        """Sphinx's Chinese search, with character pairs where jieba is not installed."""

        js_splitter_code = "" if zh.JIEBA else JS_SPLITTER

        def split(self, input):
            words = super().split(input)
            return words if zh.JIEBA else _bigrams(input) + words

    return SearchChineseBigrams


def part_captions(language):
    """{English caption: translation} of the parts of _toc.yml, from locales/<language>/toc.yml.

    The captions live in _toc.yml, not in a page, so Sphinx's extraction never sees them;
    each edition translates them in this one small file instead.
    """
    import yaml

    path = LOCALES / language / "toc.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def _translate_captions(app, doctree):
    language = _edition(app.config.language)
    if language is None:
        return
    from sphinx import addnodes

    captions = part_captions(language)
    for toctree in doctree.findall(addnodes.toctree):
        caption = toctree.get("caption")
        if caption in captions:
            toctree["caption"] = captions[caption]


def setup(app):
    app.connect("doctree-read", _translate_captions)
    app.connect("config-inited", _use_templates)
    app.connect("builder-inited", _add_styles)
    app.connect("html-page-context", add_language_switch)
    app.add_search_language(_search_language())
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# ---------------------------------------------------------------- the builds (a script)


def _build(outdir, builder, overrides, args):
    """One Sphinx build through Jupyter Book (its _config.yml and _toc.yml), as its CLI does."""
    from jupyter_book.sphinx import build_sphinx

    overrides = {"external_toc_path": (ROOT / "_toc.yml").as_posix(),
                 "latex_individualpages": False, **overrides}
    flags = set(args)
    if "--nitpick" in flags or "-n" in flags:
        overrides["nitpicky"] = True
    os.chdir(ROOT)
    result = build_sphinx(ROOT, outdir, noconfig=True, path_config=str(ROOT / "_config.yml"),
                          confoverrides=overrides, builder=builder,
                          doctreedir=outdir.parent / f".doctrees-{builder}",
                          warningiserror="--warningiserror" in flags or "-W" in flags,
                          keep_going="--keep-going" in flags)
    return result if isinstance(result, int) else 1


def gettext(args):
    """Every page's messages into _build/i18n/gettext/<page>.pot; no notebook is executed."""
    return _build(POT_DIR, "gettext", {**TRANSLATION_CONFIG, "nb_execution_mode": "off"}, args)


def html(language, args):
    """The edition in ``language`` into _build/html/<language>, outputs from the English build's cache."""
    if language not in EDITIONS:
        sys.exit(f"no edition {language!r}; the editions are {sorted(EDITIONS)}")
    if not CACHE.exists():
        sys.exit(f"{CACHE} is missing: build the English edition first (python3 dev.py book)")
    overrides = {**TRANSLATION_CONFIG, "language": language,
                 "nb_execution_cache_path": str(CACHE)}
    # Built beside the English edition, not in it (myst-nb writes its executed notebooks
    # next to the output folder), then copied into it.
    outdir = BUILD / "i18n" / language / "html"
    code = _build(outdir, "html", overrides, args)
    published = BUILD / "html" / language
    if published.exists():
        shutil.rmtree(published)
    if outdir.exists():
        shutil.copytree(outdir, published, ignore=shutil.ignore_patterns(".buildinfo"))
    return code


def latex(language, args):
    """The edition in ``language`` as LaTeX, for its PDF; outputs from the English build's cache."""
    if language not in EDITIONS:
        sys.exit(f"no edition {language!r}; the editions are {sorted(EDITIONS)}")
    if not CACHE.exists():
        sys.exit(f"{CACHE} is missing: build the English edition first (python3 dev.py book)")
    import yaml

    # Sphinx's LaTeX for Chinese loads xeCJK, which needs ctex (TeX Live's Chinese collection,
    # hundreds of MB); the book's preamble (_config.yml's latex_elements) already switches to a
    # CJK font character by character, as for the English edition's Chinese terms.
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    elements = {**config["sphinx"]["config"].get("latex_elements", {}),
                "fontenc": "\\usepackage{fontspec}\n\\defaultfontfeatures[\\rmfamily,\\sffamily,\\ttfamily]{}",
                "fvset": "\\fvset{fontsize=auto}",   # Sphinx's xelatex defaults, without xeCJK
                # Chinese text in a Chinese font that also has Latin letters; FreeMono for code
                # (the preamble's switch still catches a Chinese character anywhere else).
                "fontpkg": "\\setmainfont{WenQuanYi Micro Hei}[AutoFakeSlant, AutoFakeBold]\n"
                           "\\setsansfont{WenQuanYi Micro Hei}[AutoFakeSlant, AutoFakeBold]\n"
                           "\\setmonofont{FreeMono}[Extension = .otf, UprightFont = *, ItalicFont = *Oblique,"
                           " BoldFont = *Bold, BoldItalicFont = *BoldOblique, Scale = 0.9]"}
    overrides = {**TRANSLATION_CONFIG, "language": language, "nb_execution_cache_path": str(CACHE),
                 "latex_elements": elements}
    return _build(BUILD / "i18n" / language / "latex", "latex", overrides, args)


def main(argv):
    import time

    command, *rest = argv or ["help"]
    start = time.monotonic()
    if command == "gettext":
        code = gettext(rest)
    elif command == "html" and rest:
        code = html(rest[0], rest[1:])
    elif command == "latex" and rest:
        code = latex(rest[0], rest[1:])
    else:
        sys.exit(__doc__)
    print(f"i18n: {command} {' '.join(rest[:1])} took {time.monotonic() - start:.0f} s", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
