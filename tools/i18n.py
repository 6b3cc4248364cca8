"""Collect planforge's messages with Babel and keep the zh-CN and en catalogs up to date.

    python tools/i18n.py extract     # planforge/locale/planforge.pot from every _() / N_() call
    python tools/i18n.py update      # merge the .pot into each language's .po (new msgids empty)
    python tools/i18n.py missing     # list the messages zh-CN has no translation for (exit 1)
    python tools/i18n.py click       # click's own messages into zh_CN/LC_MESSAGES/click.po

Then translate the new entries in planforge/locale/zh_CN/LC_MESSAGES/planforge.po (the en
catalog keeps its msgstrs empty: English messages are their own msgid).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "planforge"
LOCALE_DIR = PACKAGE / "locale"
POT = LOCALE_DIR / "planforge.pot"
SCHEMA = ROOT / "schemas" / "planforge.schema.json"
LANGS = {"zh_CN": "zh-CN", "en": "en"}
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
METHOD_MAP = [("**.py", "python")]


def extract() -> Catalog:
    """Every message planforge's code passes to _(), N_() or ngettext(), with where it is."""
    cat = Catalog(project="planforge", domain="planforge", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE),
        METHOD_MAP,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        cat.add(
            message,
            None,
            [(f"planforge/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    # The command line's help texts: click takes them from docstrings and help= arguments.
    sys.path.insert(0, str(ROOT))
    from planforge.cli.commands import english_help, help_texts, main

    for obj, attr in help_texts(main):
        text = english_help(obj, attr)
        if text:
            cat.add(text, None, [("planforge/cli", 0)])
    # The schema's "what was expected" phrases, which validation messages quote.
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for phrase in sorted(set(_schema_phrases(schema))):
        cat.add(phrase, None, [("schemas/planforge.schema.json", 0)])
    return cat


def _schema_phrases(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-expected" and isinstance(value, str):
                yield value
            else:
                yield from _schema_phrases(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_phrases(value)


def po_path(lang: str, domain: str = "planforge") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def extract_click() -> Catalog:
    """click's own messages ("Usage:", "No such option: {name}", ...) from the installed click."""
    import click

    cat = Catalog(project="planforge", domain="click", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(Path(click.__file__).parent), METHOD_MAP, keywords=KEYWORDS
    ):
        cat.add(message, None, [(f"click/{filename}", lineno)], context=context)
    return cat


def update_click() -> None:
    """Merge click's messages into the zh_CN click catalog (new ones empty: English until
    translated; messages click no longer has are dropped)."""
    template = extract_click()
    path = po_path("zh_CN", "click")
    if path.is_file():
        with path.open("rb") as fh:
            cat = read_po(fh, locale="zh_CN")
    else:
        cat = Catalog(locale="zh_CN", project="planforge", domain="click", charset="utf-8")
    cat.update(template, no_fuzzy_matching=True)
    cat.obsolete.clear()
    _write(cat, path)


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.is_file():
        return Catalog(locale=lang, project="planforge", domain="planforge", charset="utf-8")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _write(cat: Catalog, path: Path) -> None:
    # A fixed header, so that running the tool twice changes nothing.
    cat.project, cat.version = "planforge", ""
    cat.copyright_holder = "the planforge authors"
    cat.msgid_bugs_address = "https://github.com/planforge/planforge/issues"
    cat.last_translator = cat.language_team = "the planforge authors"
    cat.creation_date = cat.revision_date = datetime.datetime(
        2026, 12, 1, tzinfo=datetime.timezone.utc
    )
    cat.fuzzy = False
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(
            fh,
            cat,
            width=100,
            sort_output=False,
            omit_header=False,
            include_previous=False,
            no_location=False,
        )


def missing(lang: str = "zh_CN") -> list[str]:
    """The msgids of the code that ``lang``'s catalog has no (or only a fuzzy) translation for."""
    cat = read(lang)
    out = []
    for msg in extract():
        if not msg.id:
            continue
        found = cat.get(msg.id)
        strings = found.string if found else None
        if isinstance(strings, tuple):
            strings = strings[0] if all(strings) else ""
        if found is None or found.fuzzy or not strings:
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["extract", "update", "missing", "click"])
    args = parser.parse_args()
    if args.command == "click":
        update_click()
        return 0
    if args.command == "missing":
        gaps = missing()
        for text in gaps:
            print(text)
        return 1 if gaps else 0
    template = extract()
    _write(template, POT)
    if args.command == "update":
        for lang in LANGS:
            cat = read(lang)
            cat.update(template, no_fuzzy_matching=True)
            cat.obsolete.clear()
            _write(cat, po_path(lang))
    print(f"{len(template)} messages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
