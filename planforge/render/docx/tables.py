"""Keep words whole in the plan's tables: widen the columns too narrow for their widest word.

The sizes and bold of the text come from the runs, their paragraph and character styles, the
table style's first and last rows and the document defaults; a cell's padding from the cell,
the table or the table style (:mod:`planforge.render.words` does the sharing).
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from planforge.render.words import Char, fit_widths, widest_pt

_TWIPS_PER_PT = 20
_DEFAULT_HALF_POINTS = 20  # Word's size for text without any (10 pt)
_DEFAULT_MAR = 108  # Word's cell margins without any (twips)
_OFF = ("0", "false", "off")


class _Styles:
    """Run properties by style id, following basedOn."""

    def __init__(self, styles: Any):
        self.by_id = {}
        self.default_sz = _DEFAULT_HALF_POINTS
        if styles is None:
            return
        for style in styles.findall(qn("w:style")):
            self.by_id[style.get(qn("w:styleId"))] = style
        sz = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
        if sz is not None and (sz.get(qn("w:val")) or "").isdigit():
            self.default_sz = int(sz.get(qn("w:val")))

    def chain(self, style_id: str | None) -> list[Any]:
        out, seen = [], set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return out

    def prop(self, style_id: str | None, tag: str) -> Any:
        for style in self.chain(style_id):
            found = style.find(f"{qn('w:rPr')}/{qn(tag)}")
            if found is not None:
                return found
        return None

    def margins(self, style_id: str | None) -> Any:
        for style in self.chain(style_id):
            found = style.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
            if found is not None:
                return found
        return None

    def row_bold(self, style_id: str | None, kind: str) -> bool | None:
        for style in self.chain(style_id):
            for conditional in style.findall(qn("w:tblStylePr")):
                if conditional.get(qn("w:type")) == kind:
                    b = conditional.find(f"{qn('w:rPr')}/{qn('w:b')}")
                    if b is not None:
                        return _on(b)
        return None


def _on(element: Any) -> bool:
    return (element.get(qn("w:val")) or "1").lower() not in _OFF


def fit_tables(body: Any, styles: Any) -> None:
    """Fit the columns of every table in *body* (a w:body) to their widest words."""
    known = _Styles(styles)
    for tbl in body.iter(qn("w:tbl")):
        _fit(tbl, known)


def _fit(tbl: Any, styles: _Styles) -> None:
    grid = tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    widths = [_int(col.get(qn("w:w"))) for col in grid]
    if len(widths) < 2 or not all(w > 0 for w in widths):
        return
    tbl_pr = tbl.find(qn("w:tblPr"))
    style_el = tbl_pr.find(qn("w:tblStyle")) if tbl_pr is not None else None
    table_style = style_el.get(qn("w:val")) if style_el is not None else None
    look = tbl_pr.find(qn("w:tblLook")) if tbl_pr is not None else None
    first_on = _look(look, "firstRow", 0x0020)
    last_on = _look(look, "lastRow", 0x0040)
    table_mar = tbl_pr.find(qn("w:tblCellMar")) if tbl_pr is not None else None
    style_mar = styles.margins(table_style)
    rows = tbl.findall(qn("w:tr"))
    columns: list[list[tuple[list[Char], int]]] = [[] for _ in widths]
    for r, tr in enumerate(rows):
        row_bold = None
        if r == 0 and first_on:
            row_bold = styles.row_bold(table_style, "firstRow")
        elif r == len(rows) - 1 and last_on:
            row_bold = styles.row_bold(table_style, "lastRow")
        c = 0
        for tc in tr.findall(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span_el = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
            span = max(1, _int(span_el.get(qn("w:val")), 1)) if span_el is not None else 1
            if span == 1 and c < len(widths):
                cell_mar = tc_pr.find(qn("w:tcMar")) if tc_pr is not None else None
                pad = sum(
                    _margin(side, cell_mar, table_mar, style_mar)
                    for side in (("w:left", "w:start"), ("w:right", "w:end"))
                )
                columns[c].append((_cell_chars(tc, styles, bool(row_bold)), pad))
            c += span

    def need(scale: float) -> list[float]:
        return [
            max(
                (
                    widest_pt(chars, scale) * _TWIPS_PER_PT + pad if chars else 0.0
                    for chars, pad in cells
                ),
                default=0.0,
            )
            for cells in columns
        ]

    new, scale = fit_widths(widths, need)
    if new == widths and scale == 1.0:
        return
    for col, width in zip(grid, new):
        col.set(qn("w:w"), str(width))
    for tr in rows:
        c = 0
        for tc in tr.findall(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span_el = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
            span = max(1, _int(span_el.get(qn("w:val")), 1)) if span_el is not None else 1
            tc_w = tc_pr.find(qn("w:tcW")) if tc_pr is not None else None
            if tc_w is not None and tc_w.get(qn("w:type")) in ("dxa", None):
                tc_w.set(qn("w:w"), str(sum(new[c : c + span])))
            c += span
            if scale < 1.0:
                _scale_cell(tc, styles, scale)


def _int(value: str | None, default: int = 0) -> int:
    """An integer attribute of a template a stranger wrote: *default* when it is none."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _look(look: Any, name: str, bit: int) -> bool:
    if look is None:
        return False
    flag = look.get(qn(f"w:{name}"))
    if flag is not None:
        return flag.lower() not in _OFF
    value = look.get(qn("w:val"))
    try:
        return bool(int(value, 16) & bit) if value else False
    except ValueError:
        return False


def _margin(names: tuple[str, str], *levels: Any) -> int:
    for level in levels:
        if level is None:
            continue
        for name in names:
            found = level.find(qn(name))
            if found is not None and found.get(qn("w:type"), "dxa") == "dxa":
                try:
                    return int(found.get(qn("w:w")) or 0)
                except ValueError:
                    return _DEFAULT_MAR
    return _DEFAULT_MAR


def _paragraph_style(p: Any) -> str | None:
    el = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return el.get(qn("w:val")) if el is not None else None


def _run_size_bold(
    r: Any, p_style: str | None, styles: _Styles, row_bold: bool
) -> tuple[float, bool]:
    rpr = r.find(qn("w:rPr"))
    r_style_el = rpr.find(qn("w:rStyle")) if rpr is not None else None
    r_style = r_style_el.get(qn("w:val")) if r_style_el is not None else None

    def find(tag: str) -> Any:
        own = rpr.find(qn(tag)) if rpr is not None else None
        if own is not None:
            return own
        return styles.prop(r_style, tag) if r_style else None

    sz = find("w:sz")
    if sz is None:
        sz = styles.prop(p_style or "Normal", "w:sz")
    try:
        half = int(sz.get(qn("w:val"))) if sz is not None else styles.default_sz
    except (TypeError, ValueError):
        half = styles.default_sz
    b = find("w:b")
    if b is None:
        b = styles.prop(p_style or "Normal", "w:b")
    return half / 2, _on(b) if b is not None else row_bold


def _cell_chars(tc: Any, styles: _Styles, row_bold: bool) -> list[Char]:
    chars: list[Char] = []
    for p in tc.findall(qn("w:p")):  # the cell's own paragraphs, not those of nested tables
        p_style = _paragraph_style(p)
        for r in p.iter(qn("w:r")):
            size, bold = _run_size_bold(r, p_style, styles, row_bold)
            for child in r:
                if child.tag == qn("w:t"):
                    chars += [(ch, size, bold) for ch in child.text or ""]
                elif child.tag in (qn("w:br"), qn("w:tab"), qn("w:cr")):
                    chars.append(("\n", 0.0, False))
        chars.append(("\n", 0.0, False))
    return chars


def _scale_cell(tc: Any, styles: _Styles, scale: float) -> None:
    for p in tc.findall(qn("w:p")):
        p_style = _paragraph_style(p)
        for r in p.iter(qn("w:r")):
            size, _bold = _run_size_bold(r, p_style, styles, False)
            rpr = r.find(qn("w:rPr"))
            if rpr is None:
                rpr = r.makeelement(qn("w:rPr"), {})
                r.insert(0, rpr)
            half = str(max(2, round(size * 2 * scale)))
            for tag in ("w:szCs", "w:sz"):
                el = rpr.find(qn(tag))
                if el is None:
                    el = rpr.makeelement(qn(tag), {})
                    _insert_in_order(rpr, el)
                el.set(qn("w:val"), half)


# What follows w:sz and w:szCs in w:rPr (the schema's order).
_AFTER_SIZE = {
    qn(f"w:{tag}")
    for tag in (
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    )
}


def _insert_in_order(rpr: Any, el: Any) -> None:
    for child in rpr:
        if child.tag in _AFTER_SIZE and child.tag != el.tag:
            child.addprevious(el)
            return
    rpr.append(el)
