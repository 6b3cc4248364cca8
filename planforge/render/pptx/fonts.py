"""Give every run an East Asian typeface (``a:ea``) so Chinese text never falls back to tofu."""

from __future__ import annotations

from lxml import etree

from planforge.render.pptx.runs import qn, run_text

_EA_SUCCESSORS = {qn(t) for t in ("cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst")}
_CJK_HINTS = (
    "yahei",
    "simhei",
    "simsun",
    "nsimsun",
    "dengxian",
    "fangsong",
    "kaiti",
    "pingfang",
    "heiti",
    "songti",
    "cjk",
    "source han",
    "wenquanyi",
    "wqy",
    "jhenghei",
    "mingliu",
    "meiryo",
    "mincho",
    "gothic",
    "malgun",
    "hiragino",
    "stheiti",
    "stsong",
    "+mn-ea",
    "+mj-ea",
)


def is_cjk_font(typeface: str) -> bool:
    """Return whether *typeface* looks like a font with Chinese glyphs."""
    name = typeface.lower()
    return any(ord(ch) >= 0x2E80 for ch in typeface) or any(h in name for h in _CJK_HINTS)


def has_cjk(text: str) -> bool:
    """Whether *text* has a Chinese (CJK) character or CJK punctuation."""
    return any("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"
               for ch in text)


def set_east_asian_fonts(root: etree._Element, ea_font: str) -> None:
    """Add ``a:ea`` to every run with text under *root* that lacks one, and mark Chinese runs
    ``lang="zh-CN"``: LibreOffice takes a run's East Asian language from it and picks the
    Simplified Chinese glyphs of a CJK font (not the Japanese ones of the same font)."""
    for run in root.iter(qn("r")):
        text = run_text(run)
        if not text:
            continue
        rpr = run.find(qn("rPr"))
        if rpr is None:
            rpr = etree.Element(qn("rPr"))
            run.insert(0, rpr)
        if has_cjk(text) and not (rpr.get("lang") or "").startswith("zh"):
            rpr.set("lang", "zh-CN")
        ea = rpr.find(qn("ea"))
        if ea is not None and ea.get("typeface"):
            continue
        latin = rpr.find(qn("latin"))
        latin_face = latin.get("typeface", "") if latin is not None else ""
        typeface = latin_face if is_cjk_font(latin_face) else ea_font
        if ea is None:
            ea = etree.Element(qn("ea"))
            successor = next((c for c in rpr if c.tag in _EA_SUCCESSORS), None)
            if successor is not None:
                successor.addprevious(ea)
            else:
                rpr.append(ea)
        ea.set("typeface", typeface)
