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

_TR_TAG = re.compile(r"\{%(-?)tr\s(.*?)(-?)%\}", re.S)
_TC, _EXT_LST = qn("tc"), qn("extLst")


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
    return _height(tbl)


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
