"""What ``templates check`` finds that a tag lint cannot: unbound charts, and what a re-save lost.

A pack edited in PowerPoint, WPS or LibreOffice may come back with a chart that lost its
``chart:`` name (PowerPoint calls a pasted chart "Chart 7"), a ``chart:`` name that names no
dataset (the tag lint says that one, with a "did you mean"), or tables whose table style
LibreOffice dropped. Each finding names the pack file, the slide and shape, what is wrong and
how to fix it:

* PF401 a chart with no ``chart:`` name: it would print its sample series in every deck;
* PF402 a table without a table style in a deck last saved by LibreOffice: the rows that
  ``{%tr for %}`` repeats would all share one row's colours (no banding, no header style).
  A table with a header row before them is not reported: the build restores its banding
  (``planforge.render.pptx.roundtrip``).

What planforge repairs itself when it renders a re-saved pack (the contents page, page breaks
on ``{%p %}`` paragraphs, text boxes LibreOffice shrank to their tags) is not reported.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any

from planforge.i18n import _
from planforge.packs import Pack

_TR_FOR = re.compile(r"\{%-?\s*tr\s+for\s")


def saved_by(path: Any) -> str:
    """The application that last saved an Office file (its ``docProps/app.xml``), or ""."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return ""
    found = re.search(r"<(?:\w+:)?Application>([^<]*)<", xml)
    return found.group(1).strip() if found else ""


def _walk(shapes: Any):
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP and not shape.name.startswith(
                ("chart:", "image:", "gantt:")):
            yield from _walk(shape.shapes)
        else:
            yield shape


def deck_problems(pack: Pack, datasets: list[str],
                  warnings: list[str] | None = None) -> list[str]:
    """Charts with no binding (PF401) and tables that lost their style (PF402) in the deck.

    A table with no header row whose style was lost goes to *warnings*: whether the style banded
    its rows cannot be told, so the deck may look the same.

    A chart with no binding is told as a build warns of it (``unbound_chart``).
    """
    from pptx import Presentation

    from planforge.render.pptx.engine import unbound_chart
    from planforge.render.pptx.roundtrip import bands_restorable, headerless
    from planforge.render.pptx.runs import qn

    name = f"{pack.root.name}/{pack.deck_template.name}"
    try:
        prs = Presentation(str(pack.deck_template))
    except Exception:  # reported by the tag lint, which reads the same file
        return []
    libreoffice = "libreoffice" in saved_by(pack.deck_template).lower()
    problems: list[str] = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in _walk(slide.shapes):
            where = _("{where}: slide {number}, shape '{shape}'").format(
                where=name, number=number, shape=shape.name)
            if getattr(shape, "has_chart", False) and shape.has_chart:
                if not shape.name.startswith("chart:"):
                    problems.append(unbound_chart(where, datasets))
            elif libreoffice and getattr(shape, "has_table", False) and shape.has_table:
                tbl = shape._element.graphic.graphicData.find(qn("tbl"))
                props = tbl.find(qn("tblPr"))
                style = props.find(qn("tableStyleId")) if props is not None else None
                if (style is None and _TR_FOR.search(_table_text(tbl))
                        and not bands_restorable(tbl)):  # else the build restores the banding
                    if headerless(tbl):
                        if warnings is not None:
                            warnings.append(_(
                                "{where}: the table lost its table style when LibreOffice saved "
                                "the deck; it has no header row, so if that style banded its "
                                "rows, the rows {tag} repeats now all get one row's colours. "
                                "Look at the built deck; to be sure, pick a table style again in "
                                "PowerPoint or WPS (Table Design)").format(
                                    where=where, tag="{%tr for %}"))
                        continue
                    problems.append(
                        _("{where}: the table lost its table style when LibreOffice saved the "
                          "deck (it writes each cell's colours instead), so the rows {tag} "
                          "repeats all get one row's colours: no banding; open the deck in "
                          "PowerPoint or WPS and pick a table style again (Table Design), or "
                          "copy the table from the pack you started from").format(
                              where=where, tag="{%tr for %}"))
    return problems


def _table_text(tbl: Any) -> str:
    from planforge.render.pptx.runs import qn

    return "".join(t.text or "" for t in tbl.iter(qn("t")))


# -- labels: every locale has every key, every value of the schema's lists has its label ------

#: Schema fields whose values are printed through a label group, and that group.
ENUM_LABELS = {
    "meta.store_type": "store_types",
    "brand.trademark.status": "trademark_status",
    "brand.patents[].kind": "patent_kinds",
    "company.channels[].type": "sales_channel_types",
    "products[].role": "roles",
    "promotion.channels[].kind": "channel_kinds",
    "roadmap[].quarter": "quarters",
}
#: Schema fields whose values are not printed through labels.
ENUM_UNLABELLED = {"meta.locale", "meta.currency",
                   # The pre-flight says these in sentences of the plan's locale, never raw.
                   "qualification.company_type", "qualification.taxpayer",
                   "qualification.authorisation",
                   # A launch is printed as written, a quarter (Q2) like a month (2027-04).
                   "products[].launch"}


def schema_enums() -> dict[str, list[str]]:
    """Every field of the schema with a fixed list of values, dotted as in docs/spec.md."""
    from planforge.resources import read_schema

    schema = read_schema()
    defs = schema.get("$defs", {})
    found: dict[str, list[str]] = {}

    def visit(node: dict, path: str) -> None:
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            node = {**defs.get(ref.rsplit("/", 1)[1], {}), **node}
        if "enum" in node:
            found[path] = [str(v) for v in node["enum"]]
        for name, sub in node.get("properties", {}).items():
            visit(sub, f"{path}.{name}" if path else name)
        if isinstance(node.get("items"), dict):
            visit(node["items"], path + "[]")
        # A field that takes one of several forms (a quarter or a month) has its values there.
        for key in ("oneOf", "anyOf"):
            for branch in node.get(key, []):
                if isinstance(branch, dict):
                    visit(branch, path)

    visit(schema, "")
    return found


def label_problems(pack: Pack) -> list[str]:
    """Label keys missing from some locale of the pack, and schema values without a label."""
    from planforge.errors import TemplateError
    from planforge.packs import label_keys

    per_locale: dict[str, dict] = {}
    problems: list[str] = []
    for locale in pack.locales:
        try:
            per_locale[locale] = pack.labels(locale)
        except TemplateError as exc:
            problems.append(exc.format() or exc.message)
    keys = {loc: set(label_keys(labels)) for loc, labels in per_locale.items()}
    every = set().union(*keys.values()) if keys else set()
    for locale, have in keys.items():
        missing = sorted(every - have)
        if missing:
            shown = ", ".join(missing[:8]) + (_(" and {count} more").format(
                count=len(missing) - 8) if len(missing) > 8 else "")
            problems.append(_("{where}: no label {names}, which other locales of the pack have; "
                              "add them to its label files").format(
                                  where=f"{pack.root.name}/locales/{locale}", names=shown))
    strategy = schema_strategy_keys()
    for locale, labels in per_locale.items():
        where = f"{pack.root.name}/locales/{locale}"
        for field, values in schema_enums().items():
            group = ENUM_LABELS.get(field)
            if group is None:
                continue
            texts = labels.get(group) if isinstance(labels.get(group), dict) else {}
            for value in values:
                if not str(texts.get(value) or "").strip():
                    problems.append(_("{where}: no label for {field} '{value}' ({key}); a "
                                      "spec that uses it would print nothing there").format(
                                          where=where, field=field, value=value,
                                          key=f"labels.{group}.{value}"))
        texts = labels.get("strategy") if isinstance(labels.get("strategy"), dict) else {}
        for key in strategy:
            if not str(texts.get(key) or "").strip():
                problems.append(_("{where}: no label for {field} ({key})").format(
                    where=where, field=f"market.strategy.{key}", key=f"labels.strategy.{key}"))
    return problems


def schema_strategy_keys() -> list[str]:
    """The positioning strategies a spec may give (market.strategy's fields)."""
    from planforge.resources import read_schema

    node = read_schema()["properties"].get("market", {}).get("properties", {}).get("strategy", {})
    return list(node.get("properties", {}))
