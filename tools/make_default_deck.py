"""Generate templates/default/deck.pptx, the default Tmall application deck template.

Run from the repository root: ``python tools/make_default_deck.py``. The output is the pack's
pptx template: a 16:9 master with themed colours and Latin + East Asian fonts, five layouts
(Cover, Title and Content, Title Only, Closing, Blank) and one template slide per deck topic,
written in planforge's tag language (docs/CONTEXT.md). A consultant restyles the result in
PowerPoint; this script is only how the default came to be, and is deterministic.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from pptx import Presentation

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated import force_flag, write_generated  # noqa: E402  (a sibling module of tools/)
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.text.text import Font
from pptx.util import Emu, Inches, Pt

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "default" / "deck.pptx"

# They follow the pack manifest (pack.yaml theme): teal primary, gold accent, ivory background.
COLORS = {
    "dk1": "222222", "lt1": "FFFFFF", "dk2": "174F4C", "lt2": "FAF8F2",
    "accent1": "1F6F6B", "accent2": "C8A15A", "accent3": "6B7280",
    "accent4": "8FB9A8", "accent5": "D08C60", "accent6": "3E5C76",
    "hlink": "1F6F6B", "folHlink": "6B7280",
}
ALERT = RGBColor(0xB4, 0x23, 0x18)   # the confidential mark: a stamp red, not a theme colour
LATIN, EAST_ASIAN = "Arial", "Microsoft YaHei"

TX1, TX2, BG1 = MSO_THEME_COLOR.TEXT_1, MSO_THEME_COLOR.TEXT_2, MSO_THEME_COLOR.BACKGROUND_1
ACC1, ACC2 = MSO_THEME_COLOR.ACCENT_1, MSO_THEME_COLOR.ACCENT_2
GRAY = (TX1, 0.4)        # secondary text: text colour lightened
PANEL = (BG1, 0)         # white cards on the ivory slide background
W, H = Emu(12192000), Emu(6858000)   # 16:9, 13.333 x 7.5 in
X0, XW = 0.6, 12.13      # content column (inches)
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"   # Medium Style 2 - Accent 1


def lab(key: str) -> str:
    return "{{ labels.deck.%s }}" % key


def cont(key: str, page: str = "page") -> str:
    """Title text that adds "(cont.)" on the continued pages of a paginated slide."""
    return lab(key) + "{%% if %s.continued %%}{{ labels.deck.cont }}{%% endif %%}" % page


# -- theme and master --------------------------------------------------------------------------

def set_theme(prs) -> None:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    xml = part.blob.decode("utf-8")
    for name, rgb in COLORS.items():
        xml = re.sub(rf"<a:{name}>.*?</a:{name}>", f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>', xml)
    xml = xml.replace('name="Office Theme"', 'name="planforge"')
    xml = xml.replace('<a:clrScheme name="Office">', '<a:clrScheme name="planforge">')
    xml = xml.replace('<a:fontScheme name="Office">', '<a:fontScheme name="planforge">')
    xml = re.sub(r'<a:latin typeface="[^"]*"/><a:ea typeface="[^"]*"/>',
                 f'<a:latin typeface="{LATIN}"/><a:ea typeface="{EAST_ASIAN}"/>', xml)
    xml = re.sub(r'<a:font script="Hans" typeface="[^"]*"/>',
                 f'<a:font script="Hans" typeface="{EAST_ASIAN}"/>', xml)
    part._blob = xml.encode("utf-8")


def place(shape, x, y, w, h) -> None:
    shape.left, shape.top, shape.width, shape.height = Inches(x), Inches(y), Inches(w), Inches(h)


def style_placeholders(shapes, title_box, body_box=None) -> None:
    for ph in shapes.placeholders:
        kind = ph.placeholder_format.type
        name = str(kind)
        if "TITLE" in name and "SUBTITLE" not in name:
            place(ph, *title_box)
        elif "DATE" in name:
            place(ph, 8.6, 7.02, 2.6, 0.3)
        elif "FOOTER" in name:
            place(ph, X0, 7.02, 7.8, 0.3)
        elif "SLIDE_NUMBER" in name:
            place(ph, 11.33, 7.02, 1.4, 0.3)
        elif body_box:
            place(ph, *body_box)


def set_levels(lst_style, sizes, color="tx1", bold=False, major=False, algn=None) -> None:
    """Give a master text style (titleStyle/bodyStyle) its sizes, colour and theme fonts."""
    face = "mj" if major else "mn"
    for i, lvl in enumerate(lst_style.iterchildren()):
        if not lvl.tag.endswith("pPr"):
            continue
        if algn:
            lvl.set("algn", algn)
        rpr = lvl.find(qn("a:defRPr"))
        rpr.set("sz", str(sizes[min(i, len(sizes) - 1)] * 100))
        if bold:
            rpr.set("b", "1")
        for child in list(rpr):
            if child.tag in (qn("a:solidFill"), qn("a:latin"), qn("a:ea"), qn("a:cs")):
                rpr.remove(child)
        for xml in (f'<a:solidFill {nsdecls("a")}><a:schemeClr val="{color}"/></a:solidFill>',
                    f'<a:latin {nsdecls("a")} typeface="+{face}-lt"/>',
                    f'<a:ea {nsdecls("a")} typeface="+{face}-ea"/>',
                    f'<a:cs {nsdecls("a")} typeface="+{face}-cs"/>'):
            rpr.append(parse_xml(xml))


def move_shapes(scratch, target_tree, index=2) -> None:
    """Move the shapes drawn on a scratch slide into a master's or layout's shape tree."""
    for sp in list(scratch.shapes._spTree.iterchildren())[2:]:
        target_tree.insert(index, sp)
        index += 1


def set_background(cSld, color: str) -> None:
    bg = parse_xml(f'<p:bg {nsdecls("p", "a")}><p:bgPr><a:solidFill><a:schemeClr val="{color}"/>'
                   f'</a:solidFill><a:effectLst/></p:bgPr></p:bg>')
    # A slide or master may have one background: replace the default template's, if any.
    for old in cSld.findall(qn("p:bg")):
        cSld.remove(old)
    cSld.insert(0, bg)


def build_master(prs) -> dict:
    prs.slide_width, prs.slide_height = W, H
    set_theme(prs)
    master = prs.slide_master
    keep = {"Title Slide": "Cover", "Title and Content": "Title and Content",
            "Title Only": "Title Only", "Section Header": "Closing", "Blank": "Blank"}
    for layout in list(prs.slide_layouts):
        if layout.name not in keep:
            prs.slide_layouts.remove(layout)
    layouts = {}
    for layout in prs.slide_layouts:
        layout.name = keep[layout.name]
        layouts[layout.name] = layout
    style_placeholders(master, (X0, 0.36, XW, 0.78), (X0, 1.6, XW, 5.2))
    for name in ("Title and Content", "Title Only", "Blank"):
        style_placeholders(layouts[name], (X0, 0.36, XW, 0.78), (X0, 1.6, XW, 5.2))
    style_placeholders(layouts["Cover"], (0.8, 1.9, 7.8, 1.9), (0.8, 3.95, 7.8, 0.9))
    style_placeholders(layouts["Closing"], (1.0, 2.4, 11.33, 1.3), (1.0, 3.8, 11.33, 1.2))

    set_background(master.element.find(qn("p:cSld")), "bg2")
    tx = master.element.find(qn("p:txStyles"))
    set_levels(tx.find(qn("p:titleStyle")), [26], color="tx2", bold=True, major=True, algn="l")
    set_levels(tx.find(qn("p:bodyStyle")), [18, 16, 14, 13, 12])
    for ph in master.placeholders:
        if "TITLE" in str(ph.placeholder_format.type):
            ph.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        if any(k in str(ph.placeholder_format.type) for k in ("FOOTER", "SLIDE_NUMBER", "DATE")):
            for p in ph.text_frame.paragraphs:
                for r in p.runs:
                    paint(r.font, 9, color=GRAY)

    # Decoration drawn once: an accent bar by the title and a rule above the footer.
    scratch = prs.slides.add_slide(layouts["Blank"])
    rect(scratch, 0.3, 0.5, 0.09, 0.5, ACC2)
    line = rect(scratch, X0, 6.95, XW, 0.012, (TX1, 0.85))
    line.name = "Footer rule"
    move_shapes(scratch, master.shapes._spTree)
    drop_slide(prs, scratch)

    cover = layouts["Cover"]
    cover.element.set("showMasterSp", "0")
    scratch = prs.slides.add_slide(layouts["Blank"])
    panel = rect(scratch, 9.1, 0, 4.233, 7.5, TX2)
    panel.name = "Brand panel"
    rect(scratch, 0.8, 1.72, 1.1, 0.07, ACC2).name = "Accent bar"
    rect(scratch, 9.1, 6.9, 4.233, 0.6, ACC2).name = "Panel foot"
    move_shapes(scratch, cover.shapes._spTree)
    drop_slide(prs, scratch)
    for ph in cover.placeholders:
        kind = str(ph.placeholder_format.type)
        if "CENTER_TITLE" in kind:
            ph.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
            set_ph_style(ph, 32, TX2, bold=True, algn="l")
        elif "SUBTITLE" in kind:
            ph.text_frame.vertical_anchor = MSO_ANCHOR.TOP
            set_ph_style(ph, 18, GRAY, algn="l")

    closing = layouts["Closing"]
    closing.element.set("showMasterSp", "0")
    set_background(closing.element.find(qn("p:cSld")), "tx2")
    for ph in closing.placeholders:
        kind = str(ph.placeholder_format.type)
        if kind.endswith("TITLE (1)"):
            ph.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
            set_ph_style(ph, 40, BG1, bold=True, algn="ctr")
        elif "BODY" in kind:
            ph.text_frame.vertical_anchor = MSO_ANCHOR.TOP
            set_ph_style(ph, 18, BG1, algn="ctr")
    return layouts


def set_ph_style(ph, size, color, bold=False, algn="l") -> None:
    """Put a placeholder's look into its layout list style, so slides inherit it."""
    body = ph.text_frame._txBody
    lst = body.find(qn("a:lstStyle"))
    lst.clear()
    lvl = parse_xml(f'<a:lvl1pPr {nsdecls("a")} marL="0" indent="0" algn="{algn}"><a:buNone/>'
                    f'<a:defRPr sz="{size * 100}" b="{1 if bold else 0}"/></a:lvl1pPr>')
    lst.append(lvl)
    tint = color if isinstance(color, tuple) else (color, 0)
    paint(Font(lvl.find(qn("a:defRPr"))), size, bold=bold, color=tint)


def drop_slide(prs, slide) -> None:
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):
        if prs.part.related_part(sld_id.rId) is slide.part:
            prs.part.drop_rel(sld_id.rId)
            sld_ids.remove(sld_id)


# -- drawing helpers -----------------------------------------------------------------------------

def paint(font, size=None, bold=None, color=None, major=False) -> None:
    """Set size, weight, theme colour and theme Latin + East Asian fonts on a run or defRPr."""
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if isinstance(color, RGBColor):
        font.color.rgb = color
    elif color is not None:
        theme, brightness = color if isinstance(color, tuple) else (color, 0)
        font.color.theme_color = theme
        if brightness:
            font.color.brightness = brightness
    rpr = font._rPr
    for t in ("a:latin", "a:ea", "a:cs"):
        for el in rpr.findall(qn(t)):
            rpr.remove(el)
    face = "mj" if major else "mn"
    # Theme font references: a consultant changes the fonts once, in the theme.
    rpr.append(parse_xml(f'<a:latin {nsdecls("a")} typeface="+{face}-lt"/>'))
    rpr.append(parse_xml(f'<a:ea {nsdecls("a")} typeface="+{face}-ea"/>'))


def rect(slide, x, y, w, h, color, shape=MSO_SHAPE.RECTANGLE):
    sp = slide.shapes.add_shape(shape, Inches(x), Inches(y), Inches(w), Inches(h))
    theme, brightness = color if isinstance(color, tuple) else (color, 0)
    sp.fill.solid()
    sp.fill.fore_color.theme_color = theme
    if brightness:
        sp.fill.fore_color.brightness = brightness
    sp.line.fill.background()
    sp.shadow.inherit = False
    return sp


def fill_paragraph(p, spec) -> None:
    """Fill one paragraph from a spec: a string, or a dict of runs and paragraph options."""
    if isinstance(spec, str):
        spec = {"runs": [spec]}
    runs = spec.get("runs", [])
    for run_spec in runs:
        if isinstance(run_spec, str):
            run_spec = {"t": run_spec}
        r = p.add_run()
        r.text = run_spec["t"]
        paint(r.font, run_spec.get("size", spec.get("size", 14)),
              bold=run_spec.get("bold", spec.get("bold", False)),
              color=run_spec.get("color", spec.get("color", TX1)))
    if spec.get("align"):
        p.alignment = {"l": PP_ALIGN.LEFT, "c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}[spec["align"]]
    if spec.get("before"):
        p.space_before = Pt(spec["before"])
    if spec.get("after") is not None:
        p.space_after = Pt(spec["after"])
    p.line_spacing = spec.get("spacing", 1.1)
    if spec.get("bullet"):
        pPr = p._p.get_or_add_pPr()
        pPr.set("marL", str(Inches(0.22)))
        pPr.set("indent", str(-Inches(0.22)))
        pPr.append(parse_xml(f'<a:buClr {nsdecls("a")}><a:schemeClr val="accent1"/></a:buClr>'))
        pPr.append(parse_xml(f'<a:buFont {nsdecls("a")} typeface="Arial"/>'))
        pPr.append(parse_xml(f'<a:buChar {nsdecls("a")} char="•"/>'))
    if spec.get("number"):
        pPr = p._p.get_or_add_pPr()
        pPr.set("marL", str(Inches(0.6)))
        pPr.set("indent", str(-Inches(0.6)))
        pPr.append(parse_xml(f'<a:buClr {nsdecls("a")}><a:schemeClr val="accent1"/></a:buClr>'))
        pPr.append(parse_xml(f'<a:buFont {nsdecls("a")} typeface="+mj-lt"/>'))
        pPr.append(parse_xml(f'<a:buAutoNum {nsdecls("a")} type="arabicPeriod"/>'))
    end = p._p.get_or_add_endParaRPr()
    end.set("lang", "zh-CN")
    end.set("sz", str(int(spec.get("size", 14) * 100)))


def fill_frame(tf, paragraphs, anchor=MSO_ANCHOR.TOP, margins=(0.05, 0.03)) -> None:
    tf.clear()
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(margins[0])
    tf.margin_top = tf.margin_bottom = Inches(margins[1])
    for i, spec in enumerate(paragraphs):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        fill_paragraph(p, spec)


def text(slide, name, x, y, w, h, paragraphs, anchor=MSO_ANCHOR.TOP, fill=None):
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    box.name = name
    fill_frame(box.text_frame, paragraphs, anchor)
    if fill:
        theme, brightness = fill
        box.fill.solid()
        box.fill.fore_color.theme_color = theme
        if brightness:
            box.fill.fore_color.brightness = brightness
        # A hairline edge so a white card still reads as a card on the ivory background.
        box.line.width = Pt(0.75)
        box.line.color.theme_color = MSO_THEME_COLOR.BACKGROUND_2
        box.line.color.brightness = -0.15
        fill_frame(box.text_frame, paragraphs, anchor, margins=(0.15, 0.1))
    return box


def tag(t: str) -> dict:
    """A paragraph that holds only a {%p ... %} tag (the engine removes it)."""
    return {"runs": [t], "size": 12, "after": 0}


def bullets(expr: str, item: str = "{{ x }}", size=14, var="x") -> list:
    return [tag("{%%p for %s in %s %%}" % (var, expr)),
            {"runs": [item], "size": size, "bullet": True, "after": 4},
            tag("{%p endfor %}")]


def if_para(cond: str, spec) -> list:
    return [tag("{%%p if %s %%}" % cond), spec, tag("{%p endif %}")]


def fact(label_key: str, value: str, cond: str, size=13) -> list:
    """A "label  value" line shown only when cond holds."""
    return if_para(cond, {"runs": [{"t": lab(label_key) + "  ", "bold": True, "color": GRAY},
                                   {"t": value}], "size": size, "after": 5})


def heading(t: str, size=15) -> dict:
    return {"runs": [t], "size": size, "bold": True, "color": ACC1, "after": 4, "before": 6}


def table(slide, name, x, y, widths, header, cells, loop, extra_rows=(), size=11, aligns=None,
          row_h=0.34, item_h=None, cond=None):
    """A table: header, {%tr for %} row, the item row, {%tr endfor %} row, then extra rows.

    With *cond*, the whole table sits in ``{%tr if cond %}`` so it vanishes when cond is false.
    """
    rows = 4 + len(extra_rows) + (2 if cond else 0)
    gf = slide.shapes.add_table(rows, len(widths), Inches(x), Inches(y), Inches(sum(widths)),
                                Inches(row_h * rows))
    gf.name = name
    tbl = gf.table
    tbl._tbl.tblPr.find(qn("a:tableStyleId")).text = TABLE_STYLE
    tbl.first_row, tbl.horz_banding = True, True
    for i, wd in enumerate(widths):
        tbl.columns[i].width = Inches(wd)
    aligns = aligns or "l" * len(widths)
    blank = [""] * (len(widths) - 1)
    content = [header, ["{%%tr for %s %%}" % loop] + blank, cells, ["{%tr endfor %}"] + blank,
               *extra_rows]
    if cond:
        content = [["{%%tr if %s %%}" % cond] + blank, *content, ["{%tr endif %}"] + blank]
    first = 1 if cond else 0
    for r, row in enumerate(content):
        tbl.rows[r].height = Inches(item_h if item_h and r == first + 2 else row_h)
        for c, value in enumerate(row):
            cell = tbl.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.08)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            bold = r == first or r >= first + 4
            fill_frame(cell.text_frame, [{"runs": [value], "size": size, "bold": bold,
                                          "color": BG1 if r == first else TX1, "align": aligns[c],
                                          "spacing": 1.0}], anchor=MSO_ANCHOR.MIDDLE,
                       margins=(0.08, 0.04))
    return gf


def base_slide(prs, layouts, title: str, directives: str = "", message: str | None = None,
               layout="Title Only"):
    slide = prs.slides.add_slide(layouts[layout])
    if slide.shapes.title is not None:
        tf = slide.shapes.title.text_frame
        tf.text = ""
        r = tf.paragraphs[0].add_run()
        r.text = title
        paint(r.font, major=True)
    if message:
        text(slide, "Key message", X0, 1.12, XW, 0.42,
             [{"runs": [message], "size": 14, "color": GRAY}], anchor=MSO_ANCHOR.MIDDLE)
    if layout != "Cover" and layout != "Closing":
        add_footer(slide, layouts[layout])
    if directives:
        slide.notes_slide.notes_text_frame.text = directives
    return slide


def add_footer(slide, layout) -> None:
    """Copy the footer and slide-number placeholders onto the slide (PowerPoint's Insert > Footer)."""
    for ph in layout.placeholders:
        kind = str(ph.placeholder_format.type)
        if "FOOTER" in kind or "SLIDE_NUMBER" in kind:
            el = parse_xml(ph.element.xml)
            for tag_ in (qn("p:spPr"),):
                sppr = el.find(tag_)
                sppr.clear()
            body = el.find(qn("p:txBody"))
            for p in body.findall(qn("a:p")):
                body.remove(p)
            if "FOOTER" in kind:
                body.append(parse_xml(
                    f'<a:p {nsdecls("a")}><a:pPr algn="l"/><a:r><a:rPr lang="zh-CN"><a:latin typeface="+mn-lt"/>'
                    f'<a:ea typeface="+mn-ea"/></a:rPr><a:t>{{{{ brand.name }}}} · '
                    f'{{{{ labels.deck.footer }}}}</a:t></a:r></a:p>'))
            else:
                body.append(parse_xml(
                    f'<a:p {nsdecls("a")}><a:pPr algn="r"/><a:fld id="{{B6F15528-21DE-4FAA-801E-'
                    f'634DDDAF4B2B}}" type="slidenum"><a:rPr lang="zh-CN"><a:latin typeface="+mn-lt"/>'
                    f'<a:ea typeface="+mn-ea"/></a:rPr><a:t>‹#›</a:t></a:fld></a:p>'))
            slide.shapes._spTree.append(el)


def picture(slide, name, x, y, w, h, png: bytes):
    pic = slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), Inches(w), Inches(h))
    pic.name = name
    return pic


def placeholder_png(label: str, w=480, h=320) -> bytes:
    """A grey stand-in image for image:... shapes (replaced at render time)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (w, h), (233, 236, 241))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, w - 1, h - 1], outline=(190, 196, 205), width=3)
    draw.text((w // 2 - 4 * len(label), h // 2 - 6), label, fill=(120, 128, 140))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# -- charts ---------------------------------------------------------------------------------------

def chart_text(chart, size=10) -> None:
    """Chart-wide text: size, grey, theme fonts (East Asian included)."""
    chart.font.size = Pt(size)
    chart.font.color.theme_color = TX1
    chart.font.color.brightness = 0.25
    paint(chart.font)


def add_chart(slide, name, kind, x, y, w, h, categories, series, number_format="#,##0"):
    data = CategoryChartData(number_format=number_format)
    data.categories = categories
    for s_name, values in series:
        data.add_series(s_name, values)
    gf = slide.shapes.add_chart(kind, Inches(x), Inches(y), Inches(w), Inches(h), data)
    gf.name = name
    chart = gf.chart
    chart.has_title = False   # the slide title says it; a single series would get an auto title
    chart_text(chart)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    return chart


def style_value_axis(axis, number_format="#,##0") -> None:
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.theme_color = TX1
    axis.major_gridlines.format.line.color.brightness = 0.85
    axis.format.line.fill.background()
    # Linked to the data, so the axis shows the unit the render sets (万 / ¥) per locale.
    axis.tick_labels.number_format = number_format
    axis.tick_labels.number_format_is_linked = True


def series_to_line(chart, index: int, color: str, secondary: bool = False) -> None:
    """Move bar series *index* into a line plot (combo chart), on a secondary axis if asked."""
    plot_area = chart._chartSpace.plotArea
    bar = plot_area.find(qn("c:barChart"))
    ser = bar.findall(qn("c:ser"))[index]
    bar.remove(ser)
    for child in ser.findall(qn("c:invertIfNegative")) + ser.findall(qn("c:spPr")):
        ser.remove(child)
    ser.find(qn("c:tx")).addnext(parse_xml(
        f'<c:spPr {nsdecls("c", "a")}><a:ln w="28575" cap="rnd"><a:solidFill><a:schemeClr val="{color}"/>'
        f'</a:solidFill><a:round/></a:ln></c:spPr>'))
    ser.find(qn("c:spPr")).addnext(parse_xml(
        f'<c:marker {nsdecls("c", "a")}><c:symbol val="circle"/><c:size val="6"/><c:spPr><a:solidFill>'
        f'<a:schemeClr val="bg1"/></a:solidFill><a:ln w="19050"><a:solidFill><a:schemeClr val="{color}"/>'
        f'</a:solidFill></a:ln></c:spPr></c:marker>'))
    ser.append(parse_xml(f'<c:smooth {nsdecls("c")} val="0"/>'))
    ax_ids = [a.get("val") for a in bar.findall(qn("c:axId"))]
    if secondary:
        ax_ids = ["60001", "60002"]
    line = parse_xml(f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/>'
                     f'</c:lineChart>')
    line.append(ser)
    line.append(parse_xml(f'<c:marker {nsdecls("c")} val="1"/>'))
    for ax in ax_ids:
        line.append(parse_xml(f'<c:axId {nsdecls("c")} val="{ax}"/>'))
    bar.addnext(line)
    if secondary:
        last_ax = plot_area.findall(qn("c:valAx"))[-1]
        last_ax.addnext(parse_xml(
            f'<c:valAx {nsdecls("c", "a")}><c:axId val="60002"/><c:scaling><c:orientation val="minMax"/>'
            f'</c:scaling><c:delete val="0"/><c:axPos val="r"/><c:numFmt formatCode="#,##0" '
            f'sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
            f'<c:tickLblPos val="nextTo"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr>'
            f'<c:crossAx val="60001"/><c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>'))
        last_ax.addnext(parse_xml(
            f'<c:catAx {nsdecls("c")}><c:axId val="60001"/><c:scaling><c:orientation val="minMax"/>'
            f'</c:scaling><c:delete val="1"/><c:axPos val="b"/><c:majorTickMark val="none"/>'
            f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="60002"/>'
            f'<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
            f'<c:noMultiLvlLbl val="0"/></c:catAx>'))


def color_series(chart, index: int, color) -> None:
    ser = chart.plots[0].series[index]
    ser.format.fill.solid()
    ser.format.fill.fore_color.theme_color = color


def doughnut(slide, name, x, y, w, h, categories, values, number_format="0.0%"):
    chart = add_chart(slide, name, XL_CHART_TYPE.DOUGHNUT, x, y, w, h, categories,
                      [("share", values)], number_format)
    plot = chart.plots[0]
    plot.vary_by_categories = True
    plot.has_data_labels = True
    labels = plot.data_labels
    # The chart plots the shares its table prints (allocated to add up to 100%) and labels each
    # slice with that value, not with a percentage the chart application would round itself.
    labels.show_percentage, labels.show_value, labels.show_category_name = False, True, False
    labels.number_format, labels.number_format_is_linked = "0.00%", False
    labels.font.size = Pt(11)
    labels.font.bold = True
    labels.font.color.theme_color = BG1
    paint(labels.font)
    hole = chart._chartSpace.find(".//" + qn("c:holeSize"))
    if hole is not None:
        hole.set("val", "55")
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.font.size = Pt(11)
    return chart


MONTHS = [f"{m}月" for m in range(1, 13)]


# -- the slides -----------------------------------------------------------------------------------

def tile(slide, x, y, w, h, value: str, label_key: str, color=ACC1, size=28):
    return text(slide, "Figure " + label_key, x, y, w, h,
                [{"runs": [value], "size": size, "bold": True, "color": color, "after": 2,
                  "spacing": 1.0},
                 {"runs": [lab(label_key)], "size": 12, "color": GRAY}],
                anchor=MSO_ANCHOR.MIDDLE, fill=PANEL)


def tiles(slide, y, h, items, size=28, slots=None) -> None:
    """A row of figure tiles across the content width: items are (value, label key)."""
    gap = 0.18
    slots = slots or len(items)
    w = (XW - gap * (slots - 1)) / slots
    for i, (value, key) in enumerate(items):
        tile(slide, X0 + i * (w + gap), y, w, h, value, key, ACC1 if i == 0 else TX2, size)


BRAND_IF = ("brand.story_paragraphs or brand.slogan or brand.culture or brand.founded_year or "
            "brand.origin or brand.positioning")
CREDENTIALS_IF = ("brand.trademark or brand.awards or brand.patents or brand.endorsements or "
                  "brand.crowdfunding or brand.partnerships")
COMPANY_IF = ("company.intro_paragraphs or company.founded_year or company.registered_capital or "
              "company.employees or company.address or company.business or company.prior_sales")


def s_cover(prs, ly):
    slide = base_slide(prs, ly, "{{ meta.title }}", layout="Cover")
    sub = slide.placeholders[1]
    fill_frame(sub.text_frame, [{"runs": ["{{ meta.subtitle or \"\" }}"], "size": 18, "color": GRAY}])
    picture(slide, "image:brand.logo", 0.8, 0.55, 2.6, 1.0, placeholder_png("LOGO", 520, 200))
    text(slide, "Confidential", 5.0, 0.6, 3.6, 0.45,
         [{"runs": ['{{ labels.confidential if meta.confidential else "" }}'], "size": 12,
           "bold": True, "color": ALERT, "align": "r"}], anchor=MSO_ANCHOR.MIDDLE)
    text(slide, "Store", 0.8, 4.9, 7.8, 0.9,
         fact("store_type", "{{ labels.store_types.get(meta.store_type, meta.store_type) }}",
              "meta.store_type", 14) + fact("category", "{{ meta.category }}", "meta.category", 14))
    text(slide, "Prepared by", 0.8, 5.9, 7.8, 0.9,
         fact("prepared_by", "{{ meta.prepared_by }}", "meta.prepared_by", 12)
         + fact("date", "{{ meta.date | date }}", "meta.date", 12))
    text(slide, "Brand", 9.45, 2.0, 3.55, 4.2,
         [{"runs": ["{{ brand.name }}"], "size": 36, "bold": True, "color": BG1, "after": 4}]
         + if_para("brand.name_en", {"runs": ["{{ brand.name_en }}"], "size": 16, "color": (BG1, 0),
                                     "after": 18})
         + if_para("brand.slogan", {"runs": ["{{ brand.slogan }}"], "size": 15, "color": BG1}),
         anchor=MSO_ANCHOR.MIDDLE)
    text(slide, "Panel note", 9.45, 6.92, 3.55, 0.56,
         [{"runs": ["{{ meta.year }} · " + lab("application")], "size": 12, "color": BG1}],
         anchor=MSO_ANCHOR.MIDDLE)


def s_contents(prs, ly):
    slide = base_slide(prs, ly, lab("contents"))
    chapters = [("ch_brand", f"({BRAND_IF}) or ({CREDENTIALS_IF}) or ({COMPANY_IF}) or company.channels"),
                ("ch_team", "team or products"),
                ("ch_market", "market or swot or strategy"), ("ch_targets", None),
                ("ch_operations", "roadmap or channel_budget or promotion"),
                ("ch_service", "service or membership"), ("ch_risks", "risks")]
    paras = []
    for key, cond in chapters:
        item = {"runs": [lab(key)], "size": 20, "bold": True, "color": TX2, "number": True,
                "after": 14}
        paras += if_para(cond, item) if cond else [item]
    text(slide, "Chapters", 1.0, 1.7, 7.4, 5.1, paras)
    text(slide, "Positioning", 8.9, 1.7, 3.83, 5.1,
         [{"runs": ["{{ brand.name }}"], "size": 24, "bold": True, "color": TX2, "after": 10}]
         + if_para("brand.positioning", {"runs": ["{{ brand.positioning }}"], "size": 14,
                                         "color": GRAY}),
         anchor=MSO_ANCHOR.MIDDLE, fill=PANEL)


def s_highlights(prs, ly):
    slide = base_slide(prs, ly, cont("highlights"),
                       '@paginate page in readiness.items | selectattr("status", "equalto", "met")'
                       ' | list by 12', message=lab("highlights_msg"))
    table(slide, "Evidence", X0, 1.7, [3.4, 8.73], [lab("item"), lab("evidence")],
          ["{{ r.title }}", '{{ r.evidence or "" }}'], "r in page.items", size=10.5, row_h=0.34,
          item_h=0.36)


def s_preflight(prs, ly):
    # The readiness of the store itself: can it be opened, and what does opening it cost.
    slide = base_slide(prs, ly, lab("preflight"), "@if preflight and qualification",
                       message="{% if preflight.passed %}{{ labels.deck.preflight_passed }}"
                               "{% else %}{{ labels.deck.preflight_open }}{% endif %}")
    table(slide, "Pre-flight", X0, 1.7, [2.3, 1.05, 4.25], [lab("requirement"), lab("status"),
                                                        lab("reason")],
          ["{{ pi.title }}", "{{ labels.status[pi.status] }}",
           "{{ pi.reason }}{% if pi.field %}{{ labels.deck.lparen }}{{ pi.field }}"
           "{{ labels.deck.rparen }}{% endif %}"],
          "pi in preflight.items", size=10, row_h=0.3, item_h=0.5)
    money_fact = lambda key, value, cond="opening": fact(key, value, cond, size=13)
    text(slide, "Cost of opening", 8.45, 1.7, 4.28, 5.1,
         [heading(lab("opening"))]
         + money_fact("deposit", "{% if opening.deposit is not none %}{{ opening.deposit | money }}"
                                 "{% else %}{{ labels.deck.deposit_unknown }}{% endif %}")
         + money_fact("annual_fee", "{{ opening.annual_fee | money }}")
         + money_fact("commission", "{{ opening.commission_rate | pct }}")
         + money_fact("fee_category", "{{ opening.category_name }}")
         + money_fact("first_year", "{{ opening.first_year | money }}", "opening.first_year")
         + if_para("opening.refund", heading(lab("refund"), 13))
         + [tag("{%p for rf in opening.refund %}"),
            {"runs": ["{{ labels.deck.refund_at }}{{ rf.sales | money }}"
                      "{{ labels.deck.refund_back }}{{ rf.share | pct }}"], "size": 12, "after": 3},
            tag("{%p endfor %}"),
            {"runs": ["{{ opening.note }}{{ labels.deck.lparen }}{{ opening.rules_date.isoformat() }}"
                      "{{ labels.deck.rparen }}"], "size": 9,
             "color": GRAY, "before": 8}],
         fill=PANEL)


def s_price_bands(prs, ly):
    slide = base_slide(prs, ly, lab("price_bands"), "@if price_bands",
                       message=lab("price_bands_msg"))
    chart = add_chart(slide, "chart:price_bands", XL_CHART_TYPE.COLUMN_STACKED, X0 - 0.1, 1.6,
                      7.6, 5.2, ["A", "B", "C"],
                      [("low", [100, 80, 200]), ("band", [300, 220, 400]), ("price", [250, 250, 250])])
    style_value_axis(chart.value_axis)
    chart.plots[0].gap_width = 80
    chart.plots[0].overlap = 100
    base = chart.plots[0].series[0]
    base.format.fill.background()
    base.format.line.fill.background()
    color_series(chart, 1, ACC2)
    series_to_line(chart, 2, "accent1")
    line = chart._chartSpace.plotArea.find(qn("c:lineChart"))
    ser = line.find(qn("c:ser"))
    ser.find(qn("c:spPr")).find(qn("a:ln")).append(parse_xml(
        f'<a:prstDash {nsdecls("a")} val="dash"/>'))
    legend = chart._chartSpace.find(qn("c:chart")).find(qn("c:legend"))
    legend.find(qn("c:legendPos")).addnext(parse_xml(
        f'<c:legendEntry {nsdecls("c")}><c:idx val="0"/><c:delete val="1"/></c:legendEntry>'))
    table(slide, "Bands", 7.75, 1.62, [2.0, 1.5, 1.48], [lab("competitor"), lab("band_low"),
                                                      lab("band_high")],
          ["{{ bd.name }}", "{{ bd.low | money }}", "{{ bd.high | money }}"], "bd in price_bands",
          size=10, aligns="lrr", row_h=0.3)
    table(slide, "Prices", 7.75, 4.2, [3.5, 1.48], [lab("our_product"), lab("price")],
          ["{{ pd.name }}", "{{ pd.price | money }}"], "pd in products | selectattr('price')",
          size=10, aligns="lr", row_h=0.28)


def s_brand(prs, ly):
    slide = base_slide(prs, ly, lab("brand"),
                       "@if " + BRAND_IF,
                       message='{{ brand.slogan or "" }}')
    text(slide, "Brand facts", X0, 1.7, 4.2, 5.1,
         [{"runs": ["{{ brand.name }}"], "size": 22, "bold": True, "color": TX2, "after": 2}]
         + if_para("brand.name_en", {"runs": ["{{ brand.name_en }}"], "size": 13, "color": GRAY,
                                     "after": 10})
         + fact("founded", "{{ brand.founded_year }}", "brand.founded_year")
         + fact("origin", "{{ brand.origin }}", "brand.origin")
         + fact("positioning", "{{ brand.positioning }}", "brand.positioning")
         + if_para("brand.culture", heading(lab("culture"), 14))
         + bullets("brand.culture", size=13),
         fill=PANEL)
    text(slide, "Story", 5.1, 1.7, 7.63, 5.1,
         if_para("brand.story_paragraphs", heading(lab("story")))
         + [tag("{%p for para in brand.story_paragraphs %}"),
            {"runs": ["{{ para }}"], "size": 14, "after": 8, "spacing": 1.25},
            tag("{%p endfor %}")])


def s_credentials(prs, ly):
    slide = base_slide(prs, ly, lab("credentials"),
                       "@if " + CREDENTIALS_IF)
    tm = "brand.trademark"
    left = (if_para(tm, heading(lab("trademark")))
            + fact("tm_status", "{{ labels.trademark_status.get(brand.trademark.status, "
                   "brand.trademark.status) }}", f"{tm} and {tm}.status")
            + fact("tm_number", "{{ brand.trademark.registration_no }}", f"{tm} and {tm}.registration_no")
            + fact("tm_class", "{{ brand.trademark.class_ }}", f"{tm} and {tm}.class_")
            + fact("tm_holder", "{{ brand.trademark.holder }}", f"{tm} and {tm}.holder")
            + if_para("brand.awards", heading(lab("awards")))
            + bullets("brand.awards", "{% if a.year %}{{ a.year }}  {% endif %}{{ a.name }}", 13, "a"))
    cf = "brand.crowdfunding"
    right = (if_para("brand.patents", heading(lab("patents")))
             + bullets("brand.patents", "{{ p.name }}{% if p.kind %} · {{ labels.patent_kinds"
                       ".get(p.kind, p.kind) }}{% endif %}{% if p.number %} · {{ p.number }}{% endif %}",
                       13, "p")
             + if_para("brand.endorsements", heading(lab("endorsements")))
             + bullets("brand.endorsements", size=13)
             + if_para(cf, heading(lab("crowdfunding")))
             + if_para(cf, {"runs": ["{{ brand.crowdfunding.platform or \"\" }}"
                                     "{% if brand.crowdfunding.year %} · {{ brand.crowdfunding.year }}"
                                     "{% endif %}{% if brand.crowdfunding.amount %} · "
                                     "{{ brand.crowdfunding.amount | money }}{% endif %}"],
                            "size": 13, "bullet": True})
             + if_para("brand.partnerships", heading(lab("partnerships")))
             + bullets("brand.partnerships", size=13))
    text(slide, "Trademark, awards, patents", X0, 1.6, 5.9, 5.2, left)
    text(slide, "Endorsements", 6.83, 1.6, 5.9, 5.2, right)


def s_company(prs, ly):
    slide = base_slide(prs, ly, lab("company"),
                       "@if " + COMPANY_IF)
    ps = "company.prior_sales"
    text(slide, "Company facts", X0, 1.6, 4.6, 5.2,
         [{"runs": ["{{ company.name }}"], "size": 18, "bold": True, "color": TX2, "after": 10}]
         + fact("founded", "{{ company.founded_year }}", "company.founded_year")
         + fact("capital", "{{ company.registered_capital | money }}", "company.registered_capital")
         + fact("employees", "{{ company.employees | num }}", "company.employees")
         + fact("address", "{{ company.address }}", "company.address")
         + fact("business", "{{ company.business }}", "company.business")
         + if_para(ps, heading(lab("prior_sales") + "{% if company.prior_sales.period %}"
                               " · {{ company.prior_sales.period }}{% endif %}", 14))
         + fact("taobao", "{{ company.prior_sales.taobao | money }}", ps)
         + fact("tmall", "{{ company.prior_sales.tmall | money }}", ps),
         fill=PANEL)
    text(slide, "Intro", 5.5, 1.6, 7.23, 5.2,
         if_para("company.intro_paragraphs", heading(lab("company_intro")))
         + [tag("{%p for para in company.intro_paragraphs %}"),
            {"runs": ["{{ para }}"], "size": 14, "after": 8, "spacing": 1.25},
            tag("{%p endfor %}")])


def s_channels(prs, ly):
    slide = base_slide(prs, ly, cont("sales_channels"), "@paginate page in company.channels by 6",
                       message=lab("online") + " {{ company.online_total | money }} · "
                       + lab("offline") + " {{ company.offline_total | money }} · "
                       + lab("total") + " {{ company.channels_total | money }}")
    table(slide, "Sales channels", X0, 1.7, [2.6, 1.2, 1.7, 1.1, 5.53],
          [lab("channel"), lab("type"), lab("annual_sales"), lab("stores"), lab("note")],
          ["{{ c.name }}", "{{ labels.sales_channel_types.get(c.type, c.type) or \"\" }}",
           "{{ c.annual_sales | money }}", "{{ c.stores | num }}", '{{ c.note or "" }}'],
          "c in page.items", aligns="llrrl")


def s_team(prs, ly):
    slide = base_slide(prs, ly, cont("team"), "@paginate page in (team.members if team else []) by 6")
    text(slide, "Key message", X0, 1.1, XW, 0.62,
         [{"runs": [lab("headcount") + " {{ team.headcount | num }}{% if team.summary %} · "
                    "{{ team.summary }}{% endif %}"], "size": 13, "color": GRAY}],
         anchor=MSO_ANCHOR.MIDDLE)
    table(slide, "Team", X0, 1.85, [1.75, 0.8, 2.6, 4.45, 2.53],
          [lab("role"), lab("headcount_short"), lab("experience"), lab("duties"), lab("kpis")],
          ["{{ m.role }}", "{{ m.headcount | num }}", '{{ m.experience or "" }}',
           "{{ m.responsibilities | join(labels.deck.sep) }}", "{{ m.kpis | join(labels.deck.list_sep) }}"],
          "m in page.items", aligns="lrlll", item_h=0.6)


def product_block(p: str, size: int) -> list:
    """Paragraphs describing product *p*: role, name, SKU line, price, evidence, selling points."""
    small = size - 3
    return ([{"runs": ["{{ labels.roles.get(%s.role, %s.role) or \"\" }}" % (p, p)],
              "size": small, "bold": True, "color": ACC1, "after": 2},
             {"runs": ["{{ %s.name }}" % p], "size": size + 4, "bold": True, "color": TX2, "after": 3}]
            + if_para(f"{p}.sku or {p}.category or {p}.launch",
                      {"runs": ["{{ [%s.sku, %s.category, %s.launch] | select | join(' · ') }}"
                                % (p, p, p)], "size": small, "color": GRAY, "after": 6})
            + if_para(f"{p}.price", {"runs": ["{{ %s.price | money }}" % p], "size": size + 8,
                                     "bold": True, "color": ACC1, "after": 4})
            + fact("reviews", "{{ %s.reviews | num }}" % p, f"{p}.reviews", small)
            + fact("monthly_sales", "{{ %s.monthly_sales | num }}" % p, f"{p}.monthly_sales", small)
            + if_para(f"{p}.selling_points", heading(lab("selling_points"), small + 1))
            + bullets(f"{p}.selling_points", "{{ sp }}", size - 1, "sp"))


def s_products_featured(prs, ly):
    slide = base_slide(prs, ly, lab("products"), '@for p in products | selectattr("image") | list')
    picture(slide, "image:p.image", X0, 1.6, 5.6, 5.2, placeholder_png("PRODUCT", 560, 520))
    text(slide, "Product", 6.6, 1.6, 6.13, 5.2, product_block("p", 16))


def s_products_grid(prs, ly):
    slide = base_slide(prs, ly, cont("products"),
                       '@paginate page in products | rejectattr("image") | list by 3')
    w, gap = 3.85, 0.29
    for i in range(3):
        x = X0 + i * (w + gap)
        text(slide, f"Product {i + 1}", x, 1.6, w, 5.2,
             [tag("{%%p for p in page.items[%d:%d] %%}" % (i, i + 1))] + product_block("p", 14)
             + [tag("{%p endfor %}")])


def s_roles(prs, ly):
    # Products regrouped by role (the model's order), a row each, so long lists paginate.
    slide = base_slide(prs, ly, cont("product_structure"),
                       '@paginate page in product_roles | map(attribute="products") | sum(start=[])'
                       ' by 10', message=lab("product_structure_msg"))
    table(slide, "Products by role", X0, 1.7, [1.5, 5.43, 1.9, 1.1, 1.1, 1.1],
          [lab("product_role"), lab("product"), "SKU", lab("price"), lab("reviews"),
           lab("monthly_sales")],
          ["{{ labels.roles.get(p.role, p.role) or \"\" }}", "{{ p.name }}", '{{ p.sku or "" }}',
           "{{ p.price | money }}", "{{ p.reviews | num }}", "{{ p.monthly_sales | num }}"],
          "p in page.items", aligns="lllrrr")


def s_market(prs, ly):
    slide = base_slide(prs, ly, lab("market"),
                       "@if market and (market.overview or market.size or market.growth)")
    tile(slide, X0, 1.7, 3.4, 1.45, "{{ market.size | money_compact }}", "market_size")
    tile(slide, X0, 3.35, 3.4, 1.45, "{{ market.growth | pct }}", "market_growth", TX2)
    text(slide, "Overview", 4.4, 1.7, 8.33, 5.1,
         if_para("market.overview", heading(lab("overview")))
         + if_para("market.overview", {"runs": ["{{ market.overview | trim }}"], "size": 15,
                                       "spacing": 1.3}))


def s_segments(prs, ly):
    slide = base_slide(prs, ly, lab("segments"), "@if market and market.target_customers")
    table(slide, "Segments", X0, 1.7, [2.1, 4.6, 1.1],
          [lab("segment"), lab("description"), lab("share")],
          ["{{ s.segment }}", '{{ s.description or "" }}', "{{ s.share | share }}"],
          "s in market.target_customers", aligns="llr")
    doughnut(slide, "chart:segments", 8.75, 1.6, 3.98, 5.0, ["A", "B", "C"], [0.45, 0.35, 0.2])


def s_competitors(prs, ly):
    slide = base_slide(prs, ly, cont("competitors"),
                       "@paginate page in (market.competitors if market else []) by 5")
    table(slide, "Competitors", X0, 1.7, [2.0, 1.6, 1.7, 3.4, 3.43],
          [lab("competitor"), lab("price_band"), lab("monthly_revenue"), lab("strengths"),
           lab("weaknesses")],
          ["{{ c.name }}", '{{ c.price_band or "" }}', "{{ c.monthly_sales | money }}",
           '{{ c.strengths or "" }}', '{{ c.weaknesses or "" }}'], "c in page.items", aligns="llrll")


def s_swot(prs, ly):
    # As many slides as the longest quadrant needs (planforge.render.context.paginate_swot):
    # a long SWOT continues rather than being cut.
    slide = base_slide(prs, ly, cont("swot", "sw"), "@for sw in swot_pages")
    w, h, gap = (XW - 0.2) / 2, 2.45, 0.2
    quads = [("strengths", "S", MSO_THEME_COLOR.ACCENT_1), ("weaknesses", "W", MSO_THEME_COLOR.ACCENT_6),
             ("opportunities", "O", MSO_THEME_COLOR.ACCENT_4), ("threats", "T", MSO_THEME_COLOR.ACCENT_3)]
    for i, (key, letter, color) in enumerate(quads):
        x, y = X0 + (i % 2) * (w + gap), 1.6 + (i // 2) * (h + gap)
        rect(slide, x, y, w, 0.07, color).name = f"{letter} bar"
        text(slide, f"SWOT {letter}", x, y + 0.07, w, h - 0.07,
             [{"runs": [{"t": letter + "  ", "size": 20, "bold": True, "color": color},
                        {"t": lab(key), "size": 16, "bold": True, "color": TX2}], "after": 6}]
             + bullets(f"sw.{key}", size=12), fill=PANEL)


def s_strategy(prs, ly):
    slide = base_slide(prs, ly, cont("strategy"), "@paginate page in strategy by 9",
                       message=lab("strategy_msg"))
    widths = [XW / 3] * 3
    cells = []
    for j in range(3):
        cells.append("{%% if row|length > %d %%}{{ labels.strategy.get(row[%d].key, row[%d].key) }}"
                     "{%% endif %%}" % (j, j, j))
    gf = table(slide, "Strategies", X0, 1.7, widths, ["", "", ""], cells,
               "row in page.items | batch(3)", size=13, row_h=0.5)
    tbl = gf.table
    tbl.first_row = False
    tbl.horz_banding = False
    # header row is not needed: drop it; each item cell gets its text as a second paragraph
    tbl._tbl.remove(tbl._tbl.tr_lst[0])
    for j in range(3):
        cell = tbl.cell(1, j)
        cell.vertical_anchor = MSO_ANCHOR.TOP
        cell.margin_left = cell.margin_right = Inches(0.14)
        cell.margin_top = cell.margin_bottom = Inches(0.1)
        p = cell.text_frame.paragraphs[0]
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            paint(r.font, 14, bold=True, color=ACC1)
        fill_paragraph(cell.text_frame.add_paragraph(),
                       {"runs": ["{%% if row|length > %d %%}{{ row[%d].text }}{%% endif %%}" % (j, j)],
                        "size": 12, "spacing": 1.15, "before": 4})
        cell.fill.solid()
        cell.fill.fore_color.theme_color = BG1


def quarter_table(slide, x, y, with_budget: bool, w_total: float):
    head = [lab("quarter"), "GMV", lab("share")]
    cells = ["{{ q.label }}", "{{ q.gmv | money_wan }}", "{{ q.share | share }}"]
    total = [lab("year"), "{{ targets.year.gmv | money_wan }}", "{{ targets.year.share | share }}"]
    if with_budget:
        head += [lab("budget"), lab("budget_ratio"), "ROI"]
        cells += ["{{ q.budget | money_wan }}", "{{ q.budget_ratio | pct }}", "{{ q.roi | ratio }}"]
        total += ["{{ targets.year.budget | money_wan }}", "{{ targets.year.budget_ratio | pct }}",
                  "{{ targets.year.roi | ratio }}"]
    n = len(head)
    widths = [w_total / n] * n
    table(slide, "Quarters", x, y, widths, head, cells, "q in targets.quarters", [total],
          aligns="l" + "r" * (n - 1))


def s_targets(prs, ly, with_budget: bool):
    cond = "targets.year.budget" if with_budget else "not targets.year.budget"
    slide = base_slide(prs, ly, lab("targets"), f"@if {cond}")
    items = [("{{ targets.year.gmv | money_compact }}", "year_gmv")]
    if with_budget:
        items += [("{{ targets.year.budget | money_wan }}", "year_budget"),
                  ("{{ targets.year.budget_ratio | pct }}", "budget_ratio"),
                  ("{{ targets.year.roi | ratio }}", "roi")]
    tiles(slide, 1.55, 1.45, items, 28, slots=4)
    quarter_table(slide, X0, 3.3, with_budget, 7.3)
    table(slide, "KPIs", 8.2, 3.3, [2.83, 1.7], [lab("kpi"), lab("target")],
          ["{{ k.name }}", "{{ k.target }}"], "k in targets.kpis[:6]", aligns="lr",
          cond="targets.kpis")


def s_kpis_more(prs, ly):
    slide = base_slide(prs, ly, lab("kpis") + lab("cont"), "@paginate page in targets.kpis[6:] by 10")
    table(slide, "KPIs", X0, 1.7, [8.13, 4.0], [lab("kpi"), lab("target")],
          ["{{ k.name }}", "{{ k.target }}"], "k in page.items", aligns="lr")


def s_monthly(prs, ly, with_budget: bool):
    cond = "targets.year.budget" if with_budget else "not targets.year.budget"
    slide = base_slide(prs, ly, lab("monthly"), f"@if targets.months and {cond}",
                       message='{{ labels.deck.months_derived if targets.months_derived else "" }}')
    series = [("GMV", [30, 20, 35, 45, 40, 55, 35, 35, 50, 45, 110, 100])]
    if with_budget:
        series.append(("Budget", [9, 6, 10, 12, 10, 15, 8, 8, 12, 10, 30, 20]))
    chart = add_chart(slide, "chart:monthly", XL_CHART_TYPE.COLUMN_CLUSTERED, X0 - 0.1, 1.6, 6.9,
                      5.2, MONTHS, series)
    style_value_axis(chart.value_axis)
    chart.category_axis.format.line.color.theme_color = TX1
    chart.category_axis.format.line.color.brightness = 0.7
    chart.plots[0].gap_width = 60
    color_series(chart, 0, ACC1)
    if with_budget:
        series_to_line(chart, 1, "accent2")
    head = [lab("month"), "GMV", lab("share")]
    cells = ["{{ m.month | month }}", "{{ m.gmv | money_wan }}", "{{ m.share | share }}"]
    total = [lab("year"), "{{ targets.year.gmv | money_wan }}", "{{ targets.year.share | share }}"]
    widths = [1.2, 2.3, 1.78]
    if with_budget:
        head += [lab("budget"), lab("budget_ratio_short"), "ROI"]
        cells += ["{{ m.budget | money_wan }}", "{{ m.budget_ratio | pct }}", "{{ m.roi | ratio }}"]
        total += ["{{ targets.year.budget | money_wan }}", "{{ targets.year.budget_ratio | pct }}",
                  "{{ targets.year.roi | ratio }}"]
        widths = [0.68, 1.0, 0.92, 1.0, 0.82, 0.86]  # 100.00% and 20.00% on one line
    table(slide, "Months", 7.45, 1.62, widths, head, cells, "m in targets.months", [total],
          size=9.5, aligns="l" + "r" * (len(head) - 1), row_h=0.3)


def s_funnel(prs, ly):
    slide = base_slide(prs, ly, lab("funnel"), "@if targets.funnel")
    tiles(slide, 1.55, 1.25, [
        ("{{ targets.funnel.conversion_rate | pct }}", "conversion_rate"),
        ("{{ targets.funnel.average_order_value | money }}", "aov"),
        ("{{ targets.funnel.repeat_rate | pct }}", "repeat_rate"),
        ("{{ targets.year.orders | num }}", "year_orders"),
        ("{{ targets.year.visitors | num }}", "year_visitors")], 24)
    chart = add_chart(slide, "chart:funnel", XL_CHART_TYPE.COLUMN_CLUSTERED, X0 - 0.1, 3.0, 7.2,
                      3.85, MONTHS, [("Visitors", [40000, 26000, 46000, 60000, 53000, 73000, 46000,
                                                   46000, 66000, 60000, 146000, 133000]),
                                     ("Orders", [1100, 750, 1300, 1700, 1500, 2050, 1300, 1300,
                                                 1850, 1700, 4100, 3700])])
    style_value_axis(chart.value_axis)
    chart.plots[0].gap_width = 60
    color_series(chart, 0, ACC2)
    series_to_line(chart, 1, "accent1", secondary=True)
    table(slide, "Funnel by quarter", 7.75, 3.05, [0.9, 1.45, 1.33, 1.3],
          [lab("quarter"), "GMV", lab("visitors"), lab("orders")],
          ["{{ q.label }}", "{{ q.gmv | money_wan }}", "{{ q.visitors | num }}", "{{ q.orders | num }}"],
          "q in targets.quarters",
          [[lab("year"), "{{ targets.year.gmv | money_wan }}", "{{ targets.year.visitors | num }}",
            "{{ targets.year.orders | num }}"]], aligns="lrrr")


def money_or_ratio(v: str) -> str:
    """A P&L cell: money rounded to whole yuan, or an ROI (rows whose kind is "ratio")."""
    return "{{ (%s | money_brief) if r.money else (%s | ratio) }}" % (v, v)


def s_economics(prs, ly):
    # The year's P&L by quarter (native table) and a waterfall from GMV to the operating result:
    # a horizontal stacked bar whose first series (the base) is invisible.
    slide = base_slide(prs, ly, lab("economics"), "@if economics",
                       message=lab("economics_msg"))
    head = [lab("pnl_line"), "Q1", "Q2", "Q3", "Q4"] \
        + [lab("year_total"), "{{ labels.pnl.share_of_gmv }}"]
    cells = ["{{ r.label }}"] + [money_or_ratio("r.quarters[%d]" % i) for i in range(4)] \
        + [money_or_ratio("r.year"), '{{ r.share | pct if r.money else "" }}']
    table(slide, "P&L by quarter", X0, 1.6, [1.75, 0.98, 0.98, 0.98, 0.98, 1.05, 0.78], head, cells,
          "r in pnl_table", size=8.5, aligns="lrrrrrr", row_h=0.27)
    chart = add_chart(slide, "chart:pnl_waterfall", XL_CHART_TYPE.BAR_STACKED, 8.25, 1.55, 4.55,
                      5.3, ["GMV", "Refunds", "COGS", "Commission", "Fees", "Fulfilment",
                            "Contribution", "Promotion", "Staff", "Fixed", "Result"],
                      [("base", [0, 432, 319, 297, 294, 269, 0, 149, 41, 30, 0]),
                       ("total", [480, 0, 0, 0, 0, 0, 269, 0, 0, 0, 30]),
                       ("cost", [0, 48, 113, 22, 3, 25, 0, 120, 108, 11, 0]),
                       ("below", [0] * 11)])
    chart.has_legend = False
    style_value_axis(chart.value_axis)
    # No axis numbers: the table beside it prints every figure (and an axis would need 万 or ¥).
    chart.value_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    chart.category_axis.reverse_order = True       # GMV on top, the result at the bottom
    chart.category_axis.format.line.color.theme_color = TX1
    chart.category_axis.format.line.color.brightness = 0.7
    chart.category_axis.tick_labels.font.size = Pt(9)
    chart.plots[0].gap_width = 45
    chart.plots[0].overlap = 100
    base = chart.plots[0].series[0]
    base.format.fill.background()
    base.format.line.fill.background()
    color_series(chart, 1, ACC1)
    color_series(chart, 2, ACC2)
    color_series(chart, 3, ACC2)
    text(slide, "Break-even", X0, 6.35, 7.5, 0.45,
         [{"runs": [{"t": "{{ labels.pnl.break_even_roi }} ", "bold": True, "color": GRAY},
                    {"t": "{{ economics.break_even_roi | ratio }}　", "bold": True, "color": ACC1},
                    {"t": "{{ labels.pnl.funding_need }} ", "bold": True, "color": GRAY},
                    {"t": "{{ economics.funding_need | money_brief }}", "bold": True, "color": ACC1}],
           "size": 12}], anchor=MSO_ANCHOR.MIDDLE)


def s_paid(prs, ly):
    # What each paid channel's spend buys, with the paid / free split of the year's GMV.
    slide = base_slide(prs, ly, cont("paid_channels"),
                       "@paginate page in (paid.channels if paid else []) by 7")
    tiles(slide, 1.55, 1.05, [
        ("{{ paid.share | pct }}", "paid_share"),
        ("{{ paid.gmv | money_compact }}", "paid_gmv"),
        ("{{ paid.free_gmv | money_compact }}", "free_gmv"),
        ("{{ paid.free_visitors | whole }}", "free_visitors")], 22)
    last = "{%% if page.last %%}%s{%% endif %%}"
    head = [lab("channel"), "{{ labels.pnl.pays_per }}", "{{ labels.pnl.spend }}",
            "{{ labels.pnl.clicks }}", "{{ labels.pnl.paid_orders }}", "{{ labels.pnl.paid_gmv }}",
            "ROI"]
    cells = ["{{ c.channel }}", "{{ labels.pnl.pays[c.pays_per] }}", "{{ c.spend | money }}",
             "{{ c.clicks | whole }}", "{{ c.orders | whole }}", "{{ c.gmv | money_brief }}",
             "{{ c.roi | ratio }}"]
    total = [last % lab("total"), "", last % "{{ paid.spend | money }}",
             last % "{{ paid.clicks | whole }}", last % "{{ paid.orders | whole }}",
             last % "{{ paid.gmv | money_brief }}", last % "{{ paid.roi | ratio }}"]
    table(slide, "Paid channels", X0, 2.85, [1.75, 1.0, 1.1, 1.15, 1.05, 1.2, 0.75], head, cells,
          "c in page.items", [total], size=10.5, aligns="llrrrrr", row_h=0.36)
    doughnut(slide, "chart:paid_split", 8.85, 2.75, 3.9, 4.05, ["Paid", "Free"], [0.7, 0.3],
             number_format="0.00%")


def s_roadmap(prs, ly):
    slide = base_slide(prs, ly, lab("roadmap"), "@if roadmap")
    table(slide, "Roadmap", X0, 1.6, [0.85, 1.35, 1.5, 1.5, 6.93],
          [lab("quarter"), lab("phase"), lab("gmv_target"), lab("budget"), lab("goals")],
          ["{{ q.quarter }}", '{{ q.phase or "" }}', "{{ q.gmv_target | money_wan }}",
           "{{ q.quarter_budget | money_wan }}", "{{ q.goals | join(labels.deck.sep) }}"],
          "q in roadmap", aligns="llrrl", size=12, row_h=0.45)


def s_gantt(prs, ly):
    # One slide per page of tasks (planforge.render.context.GANTT_ROWS a page): nothing is cut.
    slide = base_slide(prs, ly, cont("gantt", "gantt"), "@for gantt in gantt_pages",
                       message='{{ calendar_note or "" }}')
    box = rect(slide, X0, 1.6, XW, 5.2, PANEL)
    box.name = "gantt:gantt"
    fill_frame(box.text_frame, [{"runs": ["Gantt: roadmap tasks"], "size": 12, "color": GRAY,
                                 "align": "c"}], anchor=MSO_ANCHOR.MIDDLE)


def s_budget_split(prs, ly):
    slide = base_slide(prs, ly, lab("budget_split"), "@if channel_budget",
                       message=lab("budget_total") + " {{ channel_budget_total | money_wan }}")
    doughnut(slide, "chart:channels", X0, 1.6, 5.4, 5.2, ["A", "B", "C", "D", "E"],
             [0.37, 0.22, 0.15, 0.11, 0.15], number_format="0.00%")
    chart = add_chart(slide, "chart:channels_by_quarter", XL_CHART_TYPE.COLUMN_STACKED, 6.3, 1.6,
                      6.43, 5.2, ["Q1", "Q2", "Q3", "Q4"],
                      [("A", [10, 14, 10, 20]), ("B", [5, 8, 6, 12]), ("C", [4, 5, 4, 8])])
    style_value_axis(chart.value_axis)
    chart.plots[0].gap_width = 70
    chart.plots[0].overlap = 100


def s_budget_table(prs, ly):
    slide = base_slide(prs, ly, cont("budget_table"), "@paginate page in channel_budget by 8")
    last = "{%% if page.last %%}%s{%% endif %%}"
    head = [lab("channel"), "Q1", "Q2", "Q3", "Q4", lab("total"), lab("share")]
    cells = ["{{ c.channel }}"] + ["{{ c.by_quarter[%d] | money_wan }}" % i for i in range(4)] + [
        "{{ c.total | money_wan }}", "{{ c.share | share }}"]
    total = [last % lab("total")] + [
        last % ("{{ channel_budget_by_quarter[%d] | money_wan }}" % i) for i in range(4)] + [
        last % "{{ channel_budget_total | money_wan }}", ""]
    table(slide, "Budget by channel", X0, 1.7, [2.53, 1.6, 1.6, 1.6, 1.6, 1.7, 1.5], head, cells,
          "c in page.items", [total], aligns="lrrrrrr")


def s_promo_channels(prs, ly):
    slide = base_slide(prs, ly, cont("promo_channels"),
                       "@paginate page in (promotion.channels if promotion else []) by 8")
    table(slide, "Promotion channels", X0, 1.7, [2.6, 1.8, 7.73],
          [lab("channel"), lab("type"), lab("description")],
          ["{{ c.name }}", "{{ labels.channel_kinds.get(c.kind, c.kind) or \"\" }}",
           '{{ c.description or "" }}'], "c in page.items")


def s_events(prs, ly):
    slide = base_slide(prs, ly, cont("events"),
                       "@paginate page in (promotion.events if promotion else []) by 8")
    table(slide, "Events", X0, 1.7, [3.4, 2.4, 2.0, 4.33],
          [lab("event"), lab("date"), lab("budget"), lab("goal")],
          ["{{ e.name }}", "{{ e.date | date }}", "{{ e.budget | money }}", '{{ e.goal or "" }}'],
          "e in page.items", aligns="llrl")


def s_service(prs, ly):
    slide = base_slide(prs, ly, lab("service"), "@if service")
    st = "service.standards"
    tiles(slide, 1.55, 1.2, [
        ('{{ %s.dsr | num if %s else "—" }}' % (st, st), "dsr"),
        ('{{ %s.dispute_rate | pct if %s else "—" }}' % (st, st), "dispute_rate"),
        ('{{ %s.ship_within_hours | num if %s else "—" }}' % (st, st) + lab("hours"), "ship_within"),
        ('{{ %s.response_seconds | num if %s else "—" }}' % (st, st) + lab("seconds"), "response")], 24)
    text(slide, "Presale", X0, 2.95, 5.9, 3.85,
         if_para("service.presale", heading(lab("presale")))
         + if_para("service.presale", {"runs": ["{{ service.presale }}"], "size": 14, "spacing": 1.3}))
    text(slide, "Aftersale", 6.83, 2.95, 5.9, 3.85,
         if_para("service.aftersale", heading(lab("aftersale")))
         + if_para("service.aftersale", {"runs": ["{{ service.aftersale }}"], "size": 14,
                                         "spacing": 1.3, "after": 6})
         + if_para("service.faq", heading(lab("faq")))
         + bullets("service.faq", size=13))


def s_membership(prs, ly):
    slide = base_slide(prs, ly, lab("membership"),
                       "@if membership and (membership.tiers or membership.programs)")
    table(slide, "Tiers", X0, 1.6, [1.8, 1.5, 1.3, 3.6], [lab("tier"), lab("threshold"),
                                                        lab("discount"), lab("benefits")],
          ["{{ t.name }}", "{{ t.threshold | money }}", "{{ t.discount | discount }}",
           "{{ t.benefits | join(labels.deck.list_sep) }}"], "t in membership.tiers", aligns="lrrl",
          size=12, row_h=0.42)
    text(slide, "Programs", 9.0, 1.6, 3.73, 5.2,
         if_para("membership.programs", heading(lab("programs")))
         + bullets("membership.programs", size=13), fill=PANEL)


def s_risks(prs, ly):
    slide = base_slide(prs, ly, cont("risks"), "@paginate page in risks by 6")
    table(slide, "Risks", X0, 1.7, [5.0, 7.13], [lab("risk"), lab("mitigation")],
          ["{{ r.risk }}", '{{ r.mitigation or "" }}'], "r in page.items", size=12, row_h=0.42)


def s_closing(prs, ly):
    slide = base_slide(prs, ly, lab("thanks"), layout="Closing")
    body = slide.placeholders[1]
    fill_frame(body.text_frame,
               [{"runs": ["{{ brand.name }}{% if brand.slogan %} · {{ brand.slogan }}{% endif %}"],
                 "size": 20, "color": BG1, "align": "c", "after": 8}]
               + if_para("meta.prepared_by", {"runs": ["{{ meta.prepared_by }}"], "size": 14,
                                              "color": BG1, "align": "c"}))


SLIDES = [s_cover, s_contents, s_highlights, s_preflight, s_brand, s_credentials, s_company, s_channels, s_team,
          s_products_featured, s_products_grid, s_roles, s_market, s_segments, s_competitors,
          s_price_bands,
          s_swot, s_strategy, lambda p, l: s_targets(p, l, True), lambda p, l: s_targets(p, l, False),
          s_kpis_more, lambda p, l: s_monthly(p, l, True), lambda p, l: s_monthly(p, l, False),
          s_funnel, s_economics, s_roadmap, s_gantt, s_budget_split, s_budget_table,
          s_promo_channels, s_paid, s_events,
          s_service, s_membership, s_risks, s_closing]


def deterministic(data: bytes) -> bytes:
    """Rewrite the zip (and the charts' embedded workbooks) with fixed times: same input, same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename.endswith(".xlsx"):
                blob = deterministic(blob)
            elif info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", blob)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, blob)
    return out.getvalue()


def build(out: Path = OUT, *, force: bool = False) -> Path:
    """Write the default deck to *out*; refuse to replace a hand edit unless *force*."""
    prs = Presentation()
    layouts = build_master(prs)
    for make in SLIDES:
        make(prs, layouts)
    props = prs.core_properties
    props.title, props.author, props.subject = "planforge default deck", "planforge", "Tmall application"
    props.last_modified_by, props.revision = "planforge", 1
    props.created = props.modified = dt.datetime(2026, 1, 1)
    buf = io.BytesIO()
    prs.save(buf)
    write_generated(out, deterministic(buf.getvalue()), force=force)
    return out


if __name__ == "__main__":
    force, rest = force_flag()
    print(build(Path(rest[0]) if rest else OUT, force=force))
