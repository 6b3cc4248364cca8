"""Make templates/mono from templates/default the way a consultant restyles a copied pack.

Nothing here changes how planforge renders: the deck and the plan keep every tag, directive
and bound shape of the default pack. Only what PowerPoint's and Word's own menus change is
changed: the theme's colours (black, white and greys) and fonts (Georgia headings, Calibri
text), the slide master (no accent bar, a hairline under every title, a white background),
the cover and closing layouts (black panel, serif titles), Word's styles (serif headings
with a rule under chapter titles, grey tables) and the colours written on the documents.
The pack is for English decks: it ships the English labels only.

Run after the default pack changes: ``python tools/make_mono_pack.py``.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated import force_flag, refuse_hand_edits, write_generated  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "templates" / "default"
MONO = ROOT / "templates" / "mono"

HEADING_FONT, TEXT_FONT = "Georgia", "Calibri"
# Theme slots: text black, background white, accents from near-black to light grey.
SCHEME = {
    "dk1": "111111", "lt1": "FFFFFF", "dk2": "000000", "lt2": "FFFFFF",
    "accent1": "1A1A1A", "accent2": "7F7F7F", "accent3": "A6A6A6", "accent4": "4D4D4D",
    "accent5": "C8C8C8", "accent6": "333333", "hlink": "000000", "folHlink": "595959",
}
# The default pack's own colours, where a plain desaturation would be too light or too dark.
PALETTE = {"1F6F6B": "111111", "174F4C": "000000", "C8A15A": "7F7F7F", "6B7280": "6E6E6E",
           "222222": "1A1A1A", "FAF8F2": "FFFFFF", "8FB9A8": "BFBFBF", "D08C60": "8C8C8C",
           "3E5C76": "404040"}

# Readiness cells: met white, missing grey (the default pack uses green and amber).
TAG_COLOURS = {"E3F1E6": "FFFFFF", "FCEFD6": "D9D9D9"}

# The order Word wants the children of w:pPr in (ECMA-376 part 1, 17.3.1.26).
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
             "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
             "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
             "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")

MANIFEST = """\
# A planforge template pack: this manifest, the deck and plan templates, and locale labels.
name: mono
description: Minimal black-and-white deck and plan with serif headings, for English decks.
version: 1.0.0
locales: [en]
files:
  deck: deck.pptx
  plan: plan.docx
theme:
  colors:
    primary: "111111"
    accent: "7F7F7F"
    text: "1A1A1A"
    muted: "6E6E6E"
    background: "FFFFFF"
  fonts:
    latin: Calibri
    east_asian: Microsoft YaHei
"""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def grey(hex_colour: str) -> str:
    """Return the grey of the same lightness as ``hex_colour`` (palette colours mapped by hand)."""
    colour = hex_colour.upper()
    if colour in PALETTE:
        return PALETTE[colour]
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    level = round(0.2126 * r + 0.7152 * g + 0.0722 * b)
    return f"{level:02X}" * 3


def recolour(xml: str) -> str:
    """Turn every literal colour of a DrawingML or WordprocessingML part into a grey."""
    xml = re.sub(r'(srgbClr val=")([0-9A-Fa-f]{6})"',
                 lambda m: m.group(1) + grey(m.group(2)) + '"', xml)
    return re.sub(r'(w:(?:val|fill|color)=")([0-9A-Fa-f]{6})"',
                  lambda m: m.group(1) + grey(m.group(2)) + '"', xml)


def restyle_theme(xml: str) -> str:
    """Set the theme's colour scheme and its heading and body fonts."""
    for slot, value in SCHEME.items():
        xml = re.sub(rf"<a:{slot}>.*?</a:{slot}>",
                     f'<a:{slot}><a:srgbClr val="{value}"/></a:{slot}>', xml, count=1, flags=re.S)
    xml = re.sub(r'(<a:majorFont><a:latin typeface=")[^"]*"', rf'\g<1>{HEADING_FONT}"', xml)
    xml = re.sub(r'(<a:minorFont><a:latin typeface=")[^"]*"', rf'\g<1>{TEXT_FONT}"', xml)
    return xml.replace('name="planforge"', 'name="planforge mono"')


def _shape(name: str, shape_id: int, x: int, y: int, cx: int, cy: int, fill: str) -> str:
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/>'
            f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill>'
            f'<a:schemeClr val="{fill}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p>'
            f'</p:txBody></p:sp>')


def _remove_shape(xml: str, name: str) -> str:
    return re.sub(rf'<p:sp><p:nvSpPr><p:cNvPr id="\d+" name="{re.escape(name)}"/>.*?</p:sp>', "",
                  xml, count=1, flags=re.S)


def _serif_titles(xml: str) -> str:
    # Layout titles name the body font; point them at the heading font and drop the bold.
    return re.sub(r'(<a:defRPr sz="\d+") b="1"(>(?:(?!</a:defRPr>).)*?<a:latin typeface=")\+mn-lt"',
                  r'\1 b="0"\2+mj-lt"', xml, flags=re.S)


def restyle_master(xml: str) -> str:
    """No accent bar left of the title; a black hairline under it; larger, light serif titles."""
    xml = _remove_shape(xml, "Rectangle 1")
    # One background only (PowerPoint's schema allows a single p:bg): white, from the theme.
    xml = re.sub(r"<p:bg>.*?</p:bg>", "", xml, flags=re.S)
    xml = xml.replace("<p:cSld>", '<p:cSld><p:bg><p:bgPr><a:solidFill><a:schemeClr val="bg1"/>'
                      "</a:solidFill><a:effectLst/></p:bgPr></p:bg>", 1)
    rule = _shape("Title rule", 90, 548640, 1069848, 11091672, 9525, "tx1")
    xml = xml.replace("</p:spTree>", rule + "</p:spTree>", 1)
    title_style = re.search(r"<p:titleStyle>.*?</p:titleStyle>", xml, re.S).group(0)
    new_style = title_style.replace('sz="2600"', 'sz="2800"').replace(' b="1"', ' b="0"')
    new_style = new_style.replace('<a:schemeClr val="tx2"/>', '<a:schemeClr val="tx1"/>')
    return xml.replace(title_style, new_style)


def restyle_layout(xml: str) -> str:
    """Cover: a black panel, a long hairline instead of the short bar. All: serif titles."""
    if 'name="Cover"' in xml:
        xml = re.sub(r'(name="Accent bar".*?<a:ext cx=")\d+(" cy=")\d+(")',
                     r"\g<1>7132320\g<2>12700\3", xml, count=1, flags=re.S)
        xml = re.sub(r'(name="Accent bar".*?<a:schemeClr val=")accent2(")', r"\1tx1\2", xml,
                     count=1, flags=re.S)
        xml = re.sub(r'(name="Panel foot".*?<a:schemeClr val=")accent2(")', r"\1tx2\2", xml,
                     count=1, flags=re.S)
        xml = xml.replace('<a:defRPr sz="3200" b="1">', '<a:defRPr sz="3600" b="1">')
    return _serif_titles(xml)


def restyle_deck(source: Path, target: Path) -> None:
    parts = {}
    with zipfile.ZipFile(source) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            name = info.filename
            if name.endswith(".xml") or name.endswith(".rels"):
                xml = data.decode("utf-8")
                if name.startswith("ppt/theme/"):
                    xml = restyle_theme(xml)
                elif name.startswith("ppt/slideMasters/slideMaster"):
                    xml = restyle_master(recolour(xml))
                elif name.startswith("ppt/slideLayouts/slideLayout"):
                    xml = restyle_layout(recolour(xml))
                elif name.startswith(("ppt/slides/", "ppt/charts/")):
                    xml = recolour(xml)
                data = xml.encode("utf-8")
            parts[info.filename] = data
    _write_zip(target, parts)


def _tag_colour(match: re.Match) -> str:
    colour = match.group(1)
    return f"'{TAG_COLOURS.get(colour, grey(colour))}'"


def restyle_plan(source: Path, target: Path) -> None:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    parts = {}
    with zipfile.ZipFile(source) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                xml = data.decode("utf-8")
                xml = restyle_theme(xml) if "/theme/" in info.filename else recolour(xml)
                # Colours typed into tags ({% cellbg 'E3F1E6' ... %}): missing items stand out.
                xml = re.sub(r"'([0-9A-F]{6})'", _tag_colour, xml)
                xml = re.sub(r'(w:(?:ascii|hAnsi|cs)=")Arial"', rf'\g<1>{TEXT_FONT}"', xml)
                data = xml.encode("utf-8")
            parts[info.filename] = data
    buffer = io.BytesIO()
    _write_zip(buffer, parts)
    doc = Document(io.BytesIO(buffer.getvalue()))
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        style.font.name = HEADING_FONT
        if name in ("Title", "Heading 1"):
            style.font.bold = False
    # Chapter titles get a thin black rule below, as a consultant sets in Borders and Shading.
    ppr = doc.styles["Heading 1"].element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "111111")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    existing = ppr.find(qn("w:pBdr"))
    if existing is not None:
        ppr.remove(existing)
    ppr.append(borders)
    for style in doc.styles:
        if style.element.pPr is not None:
            _schema_order(style.element.pPr)
    out = io.BytesIO()
    doc.save(out)
    # python-docx stamps the zip with the time of day; fixed dates keep reruns byte-identical.
    with zipfile.ZipFile(out) as z:
        _write_zip(target, {name: z.read(name) for name in z.namelist()})


def _schema_order(ppr) -> None:
    """Put the children of a w:pPr in the order Word requires (Word reports others as damage)."""
    rank = {f"{{{W}}}{tag}": i for i, tag in enumerate(PPR_ORDER)}
    children = sorted(ppr, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        ppr.append(child)


def _write_zip(target, parts: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(entry, data)
    if isinstance(target, Path):
        write_generated(target, buffer.getvalue(), force=True)  # main() checked for hand edits
    else:
        target.write(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    force, _ = force_flag(argv)
    # Everything else in the pack is copied text; the binaries may carry a consultant's edits.
    refuse_hand_edits(MONO / "deck.pptx", MONO / "plan.docx", force=force)
    if MONO.exists():
        shutil.rmtree(MONO)
    (MONO / "locales").mkdir(parents=True)
    shutil.copytree(DEFAULT / "locales" / "en", MONO / "locales" / "en")
    (MONO / "pack.yaml").write_text(MANIFEST, encoding="utf-8")
    restyle_deck(DEFAULT / "deck.pptx", MONO / "deck.pptx")
    restyle_plan(DEFAULT / "plan.docx", MONO / "plan.docx")
    print(f"wrote {MONO.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
