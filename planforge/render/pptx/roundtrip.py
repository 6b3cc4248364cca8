"""Undo what re-saving a deck template in LibreOffice Impress does to how its slides look.

Found by re-saving the default pack's deck and comparing the XML and the rendered slides:

* **Left alignment.** LibreOffice writes every paragraph alignment but "left", which it leaves
  out; a left-aligned footer on a master that centres footers then comes back centred. In a
  deck LibreOffice saved, a paragraph without an alignment of its own (nor one in its shape's
  list style) was left-aligned, so it gets ``algn="l"`` back.
* **Table cell margins.** LibreOffice moves a cell's top and bottom margins from the cell
  (``a:tcPr marT/marB``, which PowerPoint and LibreOffice read) into its text body's insets
  (which both ignore); the rows come out tighter. The margins go back onto the cell.
* **The header colours of a table that starts with a ``{%tr %}`` line.** LibreOffice replaces
  a table's style with each cell's colours, by the row's place in the template: the header's
  go to the first row. When that row is a ``{%tr if %}`` line, which the build removes, the
  real header came out in a body row's grey (white on grey). The first row's fills go to the
  row that becomes first, when that row is not one a ``{%tr for %}`` repeats.
* **Banded rows.** The rows a ``{%tr for %}`` repeats are copies of one template row, so
  they all got that row's colour. The template's second and third rows carry LibreOffice's
  two band colours; they are kept on the table (``mark_bands``) and, once the rows are
  rendered, each row after the header gets the band of its place again (``restore_bands``),
  as the table style did. A cell of a colour of its own keeps it.
* **Lines over stacked columns.** LibreOffice writes the stacking of a chart's columns to every
  chart type of the plot: the price lines drawn over the price bands then stack on one
  another (the top line at the sum of all prices). A line chart sharing its plot with
  stacked columns gets its own, unstacked, grouping back.
* **Text insets of placeholders.** LibreOffice leaves out a text body's insets when they are
  the default ones (0.1" left and right, 0.05" top and bottom) and gives each slide a layout
  of its own whose placeholders may have other insets; a slide title then inherited no inset
  and moved left. A placeholder on a slide with no insets gets the default ones written out.
* **Character spacing.** LibreOffice writes ``spc="-1"`` (−0.01 pt) on every run, which moves
  line breaks; it is removed.

Theme colours and fonts written as fixed values are not undone: they print the same
(``templates check`` says so, see ``planforge.packroundtrip``).
"""

from __future__ import annotations

import io
import json
from copy import deepcopy
import re
import zipfile
from typing import Any

from lxml import etree

from planforge.render.pptx.runs import A, qn

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_APPLICATION = re.compile(rb"<(?:\w+:)?Application>([^<]*)<")
_MARGINS = (("marL", "lIns"), ("marR", "rIns"), ("marT", "tIns"), ("marB", "bIns"))
_DEFAULT_INSETS = {"lIns": "91440", "tIns": "45720", "rIns": "91440", "bIns": "45720"}
_FILLS = {qn(t) for t in ("noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill")}
_AFTER_FILL = {qn("headers"), qn("extLst")}
_TR_ONLY = re.compile(r"^(\{%-?\s*tr\s.*?%\}\s*)+$", re.S)
_BANDS = "{urn:planforge:roundtrip}bands"  # on a:tbl between compiling and rendering only
_TR_FOR = re.compile(r"\{%-?\s*tr\s+for\s")
_STACKED = {"stacked", "percentStacked"}
_SPACING = {qn("rPr"), qn("defRPr"), qn("endParaRPr")}


def saved_by_libreoffice(data: bytes) -> bool:
    """Whether the Office file *data* was last saved by LibreOffice (its ``docProps/app.xml``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("docProps/app.xml")
    except (KeyError, OSError, zipfile.BadZipFile):
        return False
    found = _APPLICATION.search(xml)
    return bool(found) and b"libreoffice" in found.group(1).lower()


def repair_deck(prs: Any, data: bytes) -> int:
    """Repair the slides of *prs* (opened from *data*) if LibreOffice saved it; return how many
    things were changed (0 for a deck saved by anything else, which is left alone)."""
    if not saved_by_libreoffice(data):
        return 0
    changed = 0
    charts = set()
    # Through the parts' XML only, as the engine's pristine deck is: a python-pptx proxy cached
    # on *prs* (its slides, a chart) would hold elements of this tree in every copy made of it.
    presentation = prs.part
    for sld_id in presentation._element.sldIdLst:
        part = presentation.related_part(sld_id.rId)
        tree = part._element.cSld.spTree
        changed += _align_left(tree) + _cell_margins(tree) + _spacing(tree) + _insets(tree)
        changed += mark_bands(tree) + _header_fills(tree)
        for frame in tree.iter(f"{{{P}}}graphicFrame"):
            ref = frame.find(f".//{{{C}}}chart")
            rid = ref.get(f"{{{R}}}id") if ref is not None else None
            if rid and rid in part.rels:
                chart = part.related_part(rid)
                space = getattr(chart, "_element", None)
                if id(chart) not in charts and space is not None:
                    charts.add(id(chart))
                    changed += _unstack_lines(space)
    return changed


def _align_left(tree: etree._Element) -> int:
    changed = 0
    for body in tree.iter(f"{{{P}}}txBody"):
        styles = body.find(qn("lstStyle"))
        for p in body.findall(qn("p")):
            ppr = p.find(qn("pPr"))
            level = int(ppr.get("lvl", "0")) if ppr is not None else 0
            if ppr is not None and ppr.get("algn"):
                continue
            own = styles.find(qn(f"lvl{level + 1}pPr")) if styles is not None else None
            if own is not None and own.get("algn"):
                continue
            if ppr is None:
                ppr = etree.Element(qn("pPr"))
                p.insert(0, ppr)
            ppr.set("algn", "l")
            changed += 1
    return changed


def _insets(tree: etree._Element) -> int:
    changed = 0
    for sp in tree.iter(f"{{{P}}}sp"):
        if sp.find(f"{{{P}}}nvSpPr/{{{P}}}nvPr/{{{P}}}ph") is None:
            continue  # a shape of the slide's own: nothing to inherit insets from
        props = sp.find(f"{{{P}}}txBody/{{{A}}}bodyPr")
        if props is None or any(props.get(inset) for inset in _DEFAULT_INSETS):
            continue
        for inset, value in _DEFAULT_INSETS.items():
            props.set(inset, value)
        changed += 1
    return changed


def bands_restorable(tbl: etree._Element) -> bool:
    """Whether the banding of *tbl*, a table LibreOffice took the style of, can be restored:
    it repeats rows, and has a header row before them and three rows or more."""
    rows = tbl.findall(qn("tr"))
    first_for = next((i for i, r in enumerate(rows) if _TR_FOR.search(_row_text(r))), None)
    if first_for is None or len(rows) < 3:
        return False
    if all(_is_control(r) for r in rows[:first_for]):
        return False  # no header: the style may not have banded these rows at all
    counts = {len(r.findall(qn("tc"))) for r in rows[:3]}
    return len(counts) == 1


def headerless(tbl: etree._Element) -> bool:
    """Whether *tbl* repeats rows with no header row before them: whether its lost style banded
    those rows cannot be told from what LibreOffice wrote."""
    rows = tbl.findall(qn("tr"))
    first_for = next((i for i, r in enumerate(rows) if _TR_FOR.search(_row_text(r))), None)
    return first_for is not None and all(_is_control(r) for r in rows[:first_for])


def mark_bands(tree: etree._Element) -> int:
    """Keep on each repeating table LibreOffice took the style of its two band colours."""
    changed = 0
    for tbl in tree.iter(qn("tbl")):
        props = tbl.find(qn("tblPr"))
        if props is not None and props.find(qn("tableStyleId")) is not None:
            continue
        if not bands_restorable(tbl):
            continue
        rows = tbl.findall(qn("tr"))
        bands = [
            [_key(_fill(tc.find(qn("tcPr")))) for tc in row.findall(qn("tc"))] for row in rows[1:3]
        ]
        tbl.set(_BANDS, json.dumps(bands))
        changed += 1
    return changed


def restore_bands(prs: Any) -> int:
    """Give each row after the header of the tables ``mark_bands`` marked its band colour."""
    changed = 0
    for slide in prs.slides:
        for tbl in slide._element.cSld.spTree.iter(qn("tbl")):
            marked = tbl.attrib.pop(_BANDS, None)
            if marked is None:
                continue
            etree.cleanup_namespaces(tbl)
            try:
                bands = json.loads(marked)
            except ValueError:
                continue
            for number, row in enumerate(tbl.findall(qn("tr"))[1:], start=1):
                want = bands[0] if number % 2 else bands[1]
                for column, tc in enumerate(row.findall(qn("tc"))):
                    tcpr = tc.find(qn("tcPr"))
                    fill = _fill(tcpr)
                    if column >= len(want) or fill is None or not want[column]:
                        continue
                    have = _key(fill)
                    if have == want[column] or have not in (bands[0][column], bands[1][column]):
                        continue  # already right, or a colour of the cell's own
                    fill.addprevious(etree.fromstring(want[column]))
                    tcpr.remove(fill)
                    changed += 1
    return changed


def _key(fill: etree._Element | None) -> str:
    return etree.tostring(fill, method="c14n", exclusive=True).decode() if fill is not None else ""


def _header_fills(tree: etree._Element) -> int:
    changed = 0
    for tbl in tree.iter(qn("tbl")):
        props = tbl.find(qn("tblPr"))
        if props is not None and props.find(qn("tableStyleId")) is not None:
            continue  # a table style colours whichever row comes first
        rows = tbl.findall(qn("tr"))
        body = next((r for r in rows if not _is_control(r)), None)
        if not rows or not _is_control(rows[0]) or body is None:
            continue
        if any(_TR_FOR.search(_row_text(r)) for r in rows[: rows.index(body)]):
            continue  # the first row shown is a repeated one, not a header
        for source, target in zip(rows[0].findall(qn("tc")), body.findall(qn("tc"))):
            fill = _fill(source.find(qn("tcPr")))
            tcpr = target.find(qn("tcPr"))
            if fill is None or tcpr is None:
                continue
            old = _fill(tcpr)
            if old is not None:
                old.addprevious(deepcopy(fill))
                tcpr.remove(old)
            else:
                after = next((c for c in tcpr if c.tag in _AFTER_FILL), None)
                if after is not None:
                    after.addprevious(deepcopy(fill))
                else:
                    tcpr.append(deepcopy(fill))
            changed += 1
    return changed


def _row_text(tr: etree._Element) -> str:
    return "".join(t.text or "" for t in tr.iter(qn("t"))).strip()


def _is_control(tr: etree._Element) -> bool:
    return bool(_TR_ONLY.match(_row_text(tr)))


def _fill(tcpr: etree._Element | None) -> etree._Element | None:
    if tcpr is None:
        return None
    return next((c for c in tcpr if c.tag in _FILLS), None)


def _cell_margins(tree: etree._Element) -> int:
    changed = 0
    for tc in tree.iter(qn("tc")):
        body = tc.find(qn("txBody"))
        props = body.find(qn("bodyPr")) if body is not None else None
        if props is None:
            continue
        tcpr = tc.find(qn("tcPr"))
        for margin, inset in _MARGINS:
            value = props.get(inset)
            if value is None or (tcpr is not None and tcpr.get(margin) is not None):
                continue
            if tcpr is None:
                tcpr = etree.SubElement(tc, qn("tcPr"))
            tcpr.set(margin, value)
            changed += 1
    return changed


def _spacing(tree: etree._Element) -> int:
    changed = 0
    for element in tree.iter(*_SPACING):
        if element.get("spc") == "-1":
            del element.attrib["spc"]
            changed += 1
    return changed


def _unstack_lines(space: etree._Element) -> int:
    changed = 0
    for area in space.iter(f"{{{C}}}plotArea"):
        bars = [
            g.get("val")
            for b in area.findall(f"{{{C}}}barChart")
            for g in b.findall(f"{{{C}}}grouping")
        ]
        if not _STACKED.intersection(bars):
            continue
        for line in area.findall(f"{{{C}}}lineChart"):
            grouping = line.find(f"{{{C}}}grouping")
            if grouping is not None and grouping.get("val") in _STACKED:
                grouping.set("val", "standard")
                changed += 1
    return changed
