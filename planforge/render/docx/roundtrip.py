"""Undo what re-saving a plan template in LibreOffice (or WPS) does to planforge's tags.

LibreOffice writes a paragraph's "page break before" as a page break at the end of the
paragraph before it. When that paragraph is a ``{%p ... %}`` control paragraph, docxtpl drops
it, break and all, and the page no longer breaks (the contents would start on the cover).
``keep_page_breaks`` moves each such break onto the next paragraph as "page break before",
which is what the template said before the re-save. The table of contents (the other casualty
of a re-save) is handled where it is filled (``planforge.render.docx.toc``).
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

_CONTROL = re.compile(r"^\s*\{%-?\s*p\s.*%\}\s*$", re.S)
# What may precede w:pageBreakBefore in w:pPr (CT_PPrBase).
_BEFORE = {qn("w:pStyle"), qn("w:keepNext"), qn("w:keepLines")}


def _text(para: etree._Element) -> str:
    return "".join(t.text or "" for t in para.iter(qn("w:t")))


def is_control(para: etree._Element) -> bool:
    """Whether ``para`` is a ``{%p ... %}`` paragraph, which the render removes."""
    return para.tag == qn("w:p") and bool(_CONTROL.match(_text(para)))


def _page_breaks(para: etree._Element) -> list[etree._Element]:
    return [br for br in para.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]


def _break_before(para: etree._Element) -> None:
    ppr = para.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        para.insert(0, ppr)
    if ppr.find(qn("w:pageBreakBefore")) is not None:
        return
    flag = OxmlElement("w:pageBreakBefore")
    at = 0
    for i, child in enumerate(ppr):
        if child.tag in _BEFORE:
            at = i + 1
    ppr.insert(at, flag)


def keep_page_breaks(body: etree._Element) -> int:
    """Move page breaks off control paragraphs onto the paragraph that follows; return how many."""
    moved = 0
    for para in list(body.iter(qn("w:p"))):
        if not is_control(para):
            continue
        breaks = _page_breaks(para)
        if not breaks:
            continue
        following = para.getnext()
        while following is not None and is_control(following):
            following = following.getnext()
        if following is None or following.tag != qn("w:p"):
            continue  # a table or the section end: nothing to carry the break; leave it
        for br in breaks:
            run = br.getparent()
            run.remove(br)
            if run.tag == qn("w:r") and not [c for c in run if c.tag != qn("w:rPr")]:
                run.getparent().remove(run)
        _break_before(following)
        moved += 1
    return moved
