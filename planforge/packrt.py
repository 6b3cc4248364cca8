"""What ``templates check`` finds that a tag lint cannot: unbound charts, and what a re-save lost.

A pack edited in PowerPoint, WPS or LibreOffice may come back with a chart that lost its
``chart:`` name (PowerPoint calls a pasted chart "Chart 7"), a ``chart:`` name that names no
dataset (the tag lint says that one, with a "did you mean"), or tables whose table style
LibreOffice dropped. Each finding names the pack file, the slide and shape, what is wrong and
how to fix it:

* PF401 a chart with no ``chart:`` name: it would print its sample series in every deck;
* PF402 a table without a table style in a deck last saved by LibreOffice: the rows that
  ``{%tr for %}`` repeats would all share one row's colours (no banding, no header style).

What planforge repairs itself when it renders a re-saved pack (the contents page, page breaks
on ``{%p %}`` paragraphs, text boxes LibreOffice shrank to their tags) is not reported.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any

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


def deck_problems(pack: Pack, datasets: list[str]) -> list[str]:
    """Charts with no binding (PF401) and tables that lost their style (PF402) in the deck."""
    from pptx import Presentation

    from planforge.render.pptx.runs import qn

    name = f"{pack.root.name}/{pack.deck_template.name}"
    try:
        prs = Presentation(str(pack.deck_template))
    except Exception:  # reported by the tag lint, which reads the same file
        return []
    libreoffice = "libreoffice" in saved_by(pack.deck_template).lower()
    known = ", ".join(sorted(datasets)) or "none"
    problems: list[str] = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in _walk(slide.shapes):
            where = f"{name}: slide {number}, shape '{shape.name}'"
            if getattr(shape, "has_chart", False) and shape.has_chart:
                if not shape.name.startswith("chart:"):
                    problems.append(
                        f"{where}: a chart with no binding keeps its sample data in "
                        f"every deck; name it chart:<dataset> in the Selection Pane "
                        f"(datasets: {known})")
            elif libreoffice and getattr(shape, "has_table", False) and shape.has_table:
                tbl = shape._element.graphic.graphicData.find(qn("tbl"))
                props = tbl.find(qn("tblPr"))
                style = props.find(qn("tableStyleId")) if props is not None else None
                if style is None and _TR_FOR.search(_table_text(tbl)):
                    problems.append(
                        f"{where}: the table lost its table style when LibreOffice saved "
                        f"the deck (it writes each cell's colours instead), so the rows "
                        f"{{%tr for %}} repeats all get one row's colours: no banding; open the "
                        f"deck in PowerPoint or WPS and pick a table style again (Table Design), "
                        f"or copy the table from the pack you started from")
    return problems


def _table_text(tbl: Any) -> str:
    from planforge.render.pptx.runs import qn

    return "".join(t.text or "" for t in tbl.iter(qn("t")))
