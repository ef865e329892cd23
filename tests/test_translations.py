"""The Chinese edition is complete and current: every page has its .po file, every message is translated.

The .po files live in ``locales/zh_CN/LC_MESSAGES/`` (one per page, named like the
page). ``python3 dev.py translations`` extracts the English text and updates them:
a new English paragraph arrives untranslated, a changed one keeps its old
translation marked fuzzy (out of date; the build shows the English until a
translator updates it and removes the fuzzy flag). CONTRIBUTING.md, "Translations",
says how. These tests fail until every message is translated and none is fuzzy.

The .po files must also hold every message of a fresh extraction (this module runs
it, into ``_build/i18n/gettext``, without executing a notebook): an English edit that
nobody extracted is an out-of-date translation as well.
"""
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = "zh_CN"
MESSAGES = ROOT / "locales" / LANGUAGE / "LC_MESSAGES"
POT_DIR = ROOT / "_build" / "i18n" / "gettext"
# How many files the failure message lists, worst first.
WORST = 10


def toc_pages():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [str(Path(p).with_suffix("")) for p in pages]


def catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


def counts(path):
    """(untranslated, fuzzy, total) messages of one .po file; the header is not a message."""
    untranslated = fuzzy = total = 0
    for message in catalog(path):
        if not message.id:
            continue
        total += 1
        if message.fuzzy:
            fuzzy += 1
        elif not (message.string if isinstance(message.string, str) else all(message.string)):
            untranslated += 1
    return untranslated, fuzzy, total


def po_files():
    return sorted(MESSAGES.rglob("*.po"))


def test_every_page_has_its_po_file():
    missing = [p for p in toc_pages() if not (MESSAGES / f"{p}.po").is_file()]
    assert not missing, (f"pages of _toc.yml without locales/{LANGUAGE}/LC_MESSAGES/<page>.po: "
                         f"{missing}: run `python3 dev.py translations`")


def test_no_untranslated_or_out_of_date_message():
    assert po_files(), f"no .po file in {MESSAGES}: run `python3 dev.py translations`"
    table = {p.relative_to(MESSAGES).as_posix(): counts(p) for p in po_files()}
    untranslated = sum(u for u, f, t in table.values())
    fuzzy = sum(f for u, f, t in table.values())
    total = sum(t for u, f, t in table.values())
    bad = sorted(((u + f, name, u, f, t) for name, (u, f, t) in table.items() if u + f),
                 reverse=True)
    lines = [f"{name}: {u} untranslated, {f} out of date (fuzzy) of {t}"
             for _, name, u, f, t in bad[:WORST]]
    if len(bad) > WORST:
        lines.append(f"... and {len(bad) - WORST} more files")
    if bad:
        pytest.fail(f"{untranslated} untranslated and {fuzzy} out-of-date messages of {total} "
                    f"in {len(bad)} of {len(table)} files (worst first):\n  " + "\n  ".join(lines),
                    pytrace=False)


def test_po_files_hold_every_extracted_message():
    # Extract now (Sphinx's gettext builder, no notebook executed; incremental after the
    # first run), so that an English edit nobody extracted fails here, even before a build.
    extraction = subprocess.run([sys.executable, str(ROOT / "_ext" / "i18n.py"), "gettext"],
                                cwd=ROOT, capture_output=True, text=True)
    assert extraction.returncode == 0, extraction.stdout[-3000:] + extraction.stderr[-3000:]
    pots = sorted(POT_DIR.rglob("*.pot"))
    assert pots, f"the extraction wrote no .pot file into {POT_DIR}"
    stale = {}
    for pot in pots:
        name = pot.relative_to(POT_DIR).with_suffix(".po")
        po = MESSAGES / name
        wanted = {m.id for m in catalog(pot) if m.id}
        have = {m.id for m in catalog(po) if m.id} if po.is_file() else set()
        if wanted - have:
            stale[name.as_posix()] = len(wanted - have)
    assert not stale, (f"English text changed since the .po files were updated (new messages per "
                       f"file: {stale}): run `python3 dev.py translations`, then translate them")


def test_every_part_caption_of_the_table_of_contents_is_translated():
    import yaml
    sys.path.insert(0, str(ROOT / "_ext"))
    import i18n
    captions = [part["caption"] for part in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]]
    for language in i18n.EDITIONS:
        translated = i18n.part_captions(language)
        missing = [c for c in captions if not translated.get(c)]
        assert not missing, f"locales/{language}/toc.yml: no translation of {missing}"
