"""Fill the template's table-of-contents field with the rendered document's headings.

Word rebuilds a TOC field when asked to, but LibreOffice's PDF export prints whatever a TOC
field holds, page numbers included, without recomputing them. So the output carries the entries
the way Word writes them, minus the outer TOC field: each heading gets a ``_Toc`` bookmark and
each entry links to it and shows its page through a ``PAGEREF`` field, which LibreOffice computes
when it lays out the pages and Word refreshes on opening (the template sets ``updateFields``).
The entries sit in a "Table of Contents" content control, as Word's own TOCs do.
"""

from __future__ import annotations

import re

from docx.document import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

_LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')
_HEADING = re.compile(r"heading (\d)$", re.I)
_TOC_STYLE = re.compile(r"toc (\d)$", re.I)


def heading_levels(doc: Document) -> dict[str, int]:
    """Map paragraph style ids to outline levels (1-based) by their built-in heading names."""
    return _styles_named(doc, _HEADING)


def _styles_named(doc: Document, pattern: re.Pattern[str]) -> dict[str, int]:
    # Styles are found by their built-in name ("heading 1", "toc 1"), not by their id: Word
    # writes Heading1 and TOC1, LibreOffice keeps Heading1 but writes Contents1 for "TOC 1".
    levels = {}
    for style in doc.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        match = pattern.match(name.get(qn("w:val"), "")) if name is not None else None
        if match:
            levels[style.get(qn("w:styleId"))] = int(match.group(1))
    return levels


def _top_level(element: etree._Element, body: etree._Element) -> etree._Element:
    """The child of ``body`` that holds ``element`` (a paragraph, or a content control)."""
    while element.getparent() is not body:
        element = element.getparent()
    return element


def _is_toc_control(element: etree._Element) -> bool:
    gallery = element.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return element.tag == qn("w:sdt") and gallery is not None and \
        (gallery.get(qn("w:val")) or "").lower() == "table of contents"


def _field_paragraphs(body: etree._Element) -> tuple[etree._Element, etree._Element, str] | None:
    """Find the TOC field: the paragraph where it begins, where it ends, and its instruction."""
    for instr in body.iter(qn("w:instrText")):
        text = instr.text or ""
        if not text.strip().upper().startswith("TOC"):
            continue
        first = instr.getparent().getparent()
        depth, para = 0, first
        while para is not None:
            for char in para.iter(qn("w:fldChar")):
                kind = char.get(qn("w:fldCharType"))
                depth += kind == "begin"
                depth -= kind == "end"
                if depth == 0:
                    return first, para, text
            para = para.getnext()
        return None
    return None


def _run(child: etree._Element | None = None, text: str | None = None) -> etree._Element:
    run = OxmlElement("w:r")
    if child is not None:
        run.append(child)
    if text is not None:
        t = OxmlElement("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)
    return run


def _fld(kind: str) -> etree._Element:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return _run(char)


def _instr(text: str) -> etree._Element:
    instr = OxmlElement("w:instrText")
    instr.text = text
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return _run(instr)


def _entry(level: int, text: str, bookmark: str, style_id: str) -> etree._Element:
    para = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    ppr.append(style)
    para.append(ppr)
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    link.append(_run(text=text))
    link.append(_run(OxmlElement("w:tab")))
    link.append(_fld("begin"))
    link.append(_instr(f" PAGEREF {bookmark} \\h "))
    link.append(_fld("separate"))
    link.append(_run(text="1"))  # the cached page; Word and LibreOffice recompute it
    link.append(_fld("end"))
    para.append(link)
    return para


def _bookmark(para: etree._Element, name: str, ident: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    ppr = para.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        para.insert(0, start)
    para.append(end)


def fill_toc(doc: Document) -> int:
    """Replace the TOC field with an entry per heading; return how many entries were written.

    The field may span paragraphs (as Word and planforge's packs write it) or sit in one
    paragraph inside a "Table of Contents" content control (as LibreOffice re-saves it); the
    entries take the style named "toc N" whatever its id, and the document asks Word to
    refresh its fields on opening even when a re-save dropped that setting.
    """
    body = doc.element.body
    found = _field_paragraphs(body)
    if found is None:
        return 0
    first, last, instr = found
    match = _LEVELS.search(instr)
    low, high = (int(match.group(1)), int(match.group(2))) if match else (1, 3)
    levels = heading_levels(doc)
    toc_styles = {level: sid for sid, level in _styles_named(doc, _TOC_STYLE).items()}
    holder = _top_level(last, body)  # headings are looked for after it
    if _is_toc_control(holder):
        first = last = holder  # the whole control goes: a fresh one takes its place
    used = [int(b.get(qn("w:id"), "0")) for b in body.iter(qn("w:bookmarkStart"))
            if (b.get(qn("w:id")) or "").isdigit()]
    next_id = max(used, default=0) + 1
    entries = []
    para = holder.getnext()
    while para is not None:
        if para.tag == qn("w:p"):
            style = para.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            level = levels.get(style.get(qn("w:val"))) if style is not None else None
            text = "".join(t.text or "" for t in para.iter(qn("w:t"))).strip()
            if level and low <= level <= high and text:
                name = f"_Toc{next_id:08d}"
                _bookmark(para, name, next_id)
                entries.append(_entry(level, text, name, toc_styles.get(level, f"TOC{level}")))
                next_id += 1
        para = para.getnext()
    if not entries:
        return 0
    # Replace the field's old result (everything from its first to its last paragraph).
    anchor = first.getprevious()
    parent = first.getparent()
    para = first
    while True:
        following = para.getnext()
        parent.remove(para)
        if para is last:
            break
        para = following
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj>'
        '<w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj>'
        "</w:sdtPr><w:sdtContent/></w:sdt>")
    content = sdt.find(qn("w:sdtContent"))
    for entry in entries:
        content.append(entry)
    if anchor is not None:
        anchor.addnext(sdt)
    else:
        parent.insert(0, sdt)
    _update_fields_on_open(doc)
    return len(entries)


# What follows w:updateFields in CT_Settings: it is inserted before the first of these.
_AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"}


def _update_fields_on_open(doc: Document) -> None:
    """Ask Word to refresh the page numbers of the entries when it opens the document."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    after = next((c for c in settings if etree.QName(c).localname in _AFTER_UPDATE_FIELDS), None)
    if after is not None:
        after.addprevious(flag)
    else:
        settings.append(flag)
