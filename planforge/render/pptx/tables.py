"""Render a table: tags in cells, and ``{%tr %}`` rows that repeat or drop the rows between."""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree

from planforge.render.pptx.paragraphs import (
    BodyBuilder,
    Render,
    encode_paragraphs,
    has_tags,
    mark,
    replace_paragraphs,
    statements,
    tokens,
)
from planforge.render.pptx.runs import merge_split_tags, paragraph_text, qn
from planforge.render.words import Char, fit_widths, widest_pt

_TR_TAG = re.compile(r"\{%(-?)tr\s(.*?)(-?)%\}", re.S)
_TC, _EXT_LST = qn("tc"), qn("extLst")
_EMU_PER_PT = 12700
_DEFAULT_SZ = 1800  # hundredths of a point: a table's text without a size of its own
_DEFAULT_MAR = 91440  # a cell's left and right margins without their own


def table_source(tbl: etree._Element) -> str:
    """Return the Jinja source of an ``a:tbl`` (merging split tags first); "" without tags.

    ``{%tr %}`` rows become plain statements; every other row and cell is announced by a marker
    the render reads back (``render_table``), and each cell's paragraphs are encoded as a text
    body's are.
    """
    if not has_tags(tbl):
        return ""
    source = []
    for r, tr in enumerate(tbl.findall(qn("tr"))):
        cells = tr.findall(qn("tc"))
        texts = []
        for tc in cells:
            for p in _paragraphs(tc):
                merge_split_tags(p)
                texts.append(paragraph_text(p))
        if any(_TR_TAG.search(text) for text in texts):
            source.append("".join(statements(_TR_TAG, text) for text in texts))
            continue
        source.append(mark("t", r))
        for c, tc in enumerate(cells):
            source.append(mark("c", c) + encode_paragraphs(_paragraphs(tc)))
    return "".join(source)


def render_table(tbl: etree._Element, render: Render, source: str | None = None) -> int:
    """Render the tags of an ``a:tbl`` in place; return the new total row height in EMU.

    *source* is the table's ``table_source``, when it was compiled before (of this table or of
    the template table it is a copy of).
    """
    if source is None:
        source = table_source(tbl)
    if not source:
        return _height(tbl)
    rows = tbl.findall(qn("tr"))
    builder = _TableBuilder(rows)
    for kind, value in tokens(render(source)):
        builder.feed(kind, value)
    new_rows = builder.finish()
    for tr in new_rows:
        rows[0].addprevious(tr)
    for tr in rows:
        tbl.remove(tr)
    fit_columns(tbl)
    return _height(tbl)


def fit_columns(tbl: etree._Element) -> None:
    """Widen the columns too narrow for their widest word, taking the width from the others
    (the table keeps its width); shrink the table's font one step when that is not enough."""
    grid = tbl.findall(f"{qn('tblGrid')}/{qn('gridCol')}")
    widths = [_int(col.get("w")) for col in grid]
    if len(widths) < 2 or not all(w > 0 for w in widths):
        return
    tbl_pr = tbl.find(qn("tblPr"))
    rows = tbl.findall(qn("tr"))
    # Per column: (its cells' characters, its cells' padding in EMU); spanned cells left out.
    columns: list[list[tuple[list[Char], int]]] = [[] for _ in widths]
    for r, tr in enumerate(rows):
        bold_row = tbl_pr is not None and (
            (r == 0 and tbl_pr.get("firstRow") in ("1", "true"))
            or (r == len(rows) - 1 and tbl_pr.get("lastRow") in ("1", "true")))
        c = 0
        for tc in tr.findall(_TC):
            span = max(1, _int(tc.get("gridSpan"), 1))
            if span == 1 and c < len(widths) and not tc.get("hMerge") and not tc.get("vMerge"):
                tc_pr = tc.find(qn("tcPr"))
                pad = sum(_int(tc_pr.get(k) if tc_pr is not None else None, _DEFAULT_MAR)
                          for k in ("marL", "marR"))
                columns[c].append((_cell_chars(tc, bold_row), pad))
            c += span

    def need(scale: float) -> list[float]:
        return [max((widest_pt(chars, scale) * _EMU_PER_PT + pad if chars else 0.0
                     for chars, pad in cells), default=0.0) for cells in columns]

    new, scale = fit_widths(widths, need)
    for col, width in zip(grid, new):
        col.set("w", str(width))
    if scale < 1.0:
        _scale_fonts(tbl, scale)


def _cell_chars(tc: etree._Element, bold_row: bool) -> list[Char]:
    body = tc.find(qn("txBody"))
    chars: list[Char] = []
    for p in _paragraphs(tc):
        end = p.find(qn("endParaRPr"))
        base = _sz(end) or _sz(body.find(f"{qn('lstStyle')}/{qn('lvl1pPr')}/{qn('defRPr')}")) \
            if body is not None else None
        for child in p:
            if child.tag == qn("br"):
                chars.append(("\n", 0.0, False))
            elif child.tag in (qn("r"), qn("fld")):
                rpr = child.find(qn("rPr"))
                size = (_sz(rpr) or base or _DEFAULT_SZ) / 100
                b = rpr.get("b") if rpr is not None else None
                bold = b in ("1", "true") if b is not None else bold_row
                text = "".join(t.text or "" for t in child.iter(qn("t")))
                chars += [(ch, size, bold) for ch in text]
        chars.append(("\n", 0.0, False))
    return chars


def _sz(rpr: etree._Element | None) -> int | None:
    size = _int(rpr.get("sz")) if rpr is not None else 0
    return size if size > 0 else None


def _int(value: str | None, default: int = 0) -> int:
    """An integer attribute of a template a stranger wrote: *default* when it is none."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _scale_fonts(tbl: etree._Element, scale: float) -> None:
    for tc in tbl.iter(_TC):
        for p in _paragraphs(tc):
            end = p.find(qn("endParaRPr"))
            base = _sz(end) or _DEFAULT_SZ
            for child in p:
                if child.tag in (qn("r"), qn("fld"), qn("br")) or child is end:
                    rpr = child if child is end else child.find(qn("rPr"))
                    if rpr is None:
                        rpr = etree.Element(qn("rPr"))
                        child.insert(0, rpr)
                    rpr.set("sz", str(max(100, round((_sz(rpr) or base) * scale / 50) * 50)))


def _paragraphs(tc: etree._Element) -> list[etree._Element]:
    body = tc.find(qn("txBody"))
    return body.findall(qn("p")) if body is not None else []


def _height(tbl: etree._Element) -> int:
    return sum(int(tr.get("h", "0")) for tr in tbl.findall(qn("tr")))


class _TableBuilder:
    """Rebuild rows and cells from rendered tokens; cells delegate paragraphs to BodyBuilder."""

    def __init__(self, rows: list[etree._Element]):
        self.rows = rows
        self.out: list[etree._Element] = []
        self._src_row: etree._Element | None = None
        self._row: etree._Element | None = None
        self._cell: tuple[etree._Element, list[etree._Element], BodyBuilder] | None = None
        self._src_cells: list[etree._Element] = []
        self._ext: etree._Element | None = None

    def feed(self, kind: str, value: int | str) -> None:
        if kind == "t":
            self._end_cell()
            self._src_row = self.rows[int(value)]
            self._src_cells = self._src_row.findall(_TC)
            self._row = deepcopy(self._src_row)
            for tc in self._row.findall(_TC):
                self._row.remove(tc)
            self._ext = self._row.find(_EXT_LST)
            self.out.append(self._row)
        elif kind == "c" and self._row is not None and self._src_row is not None:
            self._end_cell()
            src = self._src_cells[int(value)]
            tc = deepcopy(src)
            # Insert before any trailing extLst so the row stays schema-valid.
            if self._ext is not None:
                self._ext.addprevious(tc)
            else:
                self._row.append(tc)
            src_paragraphs = _paragraphs(src)
            self._cell = (tc, src_paragraphs, BodyBuilder(src_paragraphs))
        elif self._cell is not None:
            self._cell[2].feed(kind, value)

    def finish(self) -> list[etree._Element]:
        self._end_cell()
        return self.out

    def _end_cell(self) -> None:
        if self._cell is None:
            return
        tc, _src, builder = self._cell
        body = tc.find(qn("txBody"))
        if body is not None:
            replace_paragraphs(body, body.findall(qn("p")), builder.finish())
        self._cell = None
