"""Generate templates/default/plan.docx, the default pack's annual operation plan template.

Run from anywhere: ``python tools/make_default_plan.py [OUT]``. The result is an ordinary Word
document a consultant restyles in Word: real styles (Title, Heading 1-3, Normal, TOC 1-3, a
table style), A4 pages, header and footer, a TOC field, and docxtpl tags. Every label comes from
``labels.plan`` / the shared labels, every number from the model through a filter.
"""

from __future__ import annotations

import io
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import yaml
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated import force_flag, write_generated  # noqa: E402  (a sibling module of tools/)

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "templates" / "default"
W = nsdecls("w")
CONTENT_MM = 160  # A4 210 mm minus 25 mm margins each side
L, R, C = "left", "right", "center"


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


# -- styles -------------------------------------------------------------------------------------

def _fonts(theme: dict) -> str:
    f = theme.get("fonts", {})
    latin, ea = f.get("latin", "Arial"), f.get("east_asian", "Microsoft YaHei")
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{ea}" w:cs="{latin}"/>'


def _style(doc, sid, name, kind="paragraph", based="Normal", ppr="", rpr="", nxt=None, extra=""):
    """Create or replace style *sid* with exactly the given paragraph and run properties."""
    styles = doc.styles.element
    old = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{sid}']")
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    next_xml = f'<w:next w:val="{nxt}"/>' if nxt else ""
    el = parse_xml(
        f'<w:style {W} w:type="{kind}" w:styleId="{sid}"><w:name w:val="{name}"/>{based_xml}'
        f'{next_xml}<w:uiPriority w:val="9"/><w:qFormat/>{extra}'
        f'{"<w:pPr>" + ppr + "</w:pPr>" if ppr else ""}{"<w:rPr>" + rpr + "</w:rPr>" if rpr else ""}'
        "</w:style>")
    if old is not None:
        old.addprevious(el)
        styles.remove(old)
    else:
        styles.append(el)


def define_styles(doc, theme: dict) -> None:
    colors = theme.get("colors", {})
    primary, text = colors.get("primary", "1F6F6B"), colors.get("text", "222222")
    muted, accent = colors.get("muted", "6B7280"), colors.get("accent", "C8A15A")
    fonts = _fonts(theme)
    styles = doc.styles.element
    # Theme font attributes would override the explicit fonts: drop them everywhere.
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(defaults, parse_xml(
        f'<w:docDefaults {W}><w:rPrDefault><w:rPr>{fonts}<w:sz w:val="21"/><w:szCs w:val="21"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="312" w:lineRule="auto"/></w:pPr>'
        "</w:pPrDefault></w:docDefaults>"))
    body = f'{fonts}<w:color w:val="{text}"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
    _style(doc, "Normal", "Normal", based=None, rpr=body,
           ppr='<w:spacing w:after="120" w:line="312" w:lineRule="auto"/><w:jc w:val="both"/>',
           extra="")
    doc.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']").set(qn("w:default"), "1")
    _style(doc, "Title", "Title", nxt="Normal",
           ppr='<w:spacing w:before="0" w:after="240" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/>',
           rpr=f'{fonts}<w:b/><w:color w:val="{primary}"/><w:sz w:val="56"/><w:szCs w:val="56"/>')
    _style(doc, "Subtitle", "Subtitle", nxt="Normal",
           ppr='<w:spacing w:after="480"/><w:jc w:val="left"/>',
           rpr=f'{fonts}<w:color w:val="{muted}"/><w:sz w:val="32"/><w:szCs w:val="32"/>')
    # Children of w:pPr have a fixed order in the schema: jc comes after spacing, before outlineLvl.
    heading = '<w:keepNext/><w:keepLines/>'
    _style(doc, "Heading1", "heading 1", nxt="Normal",
           ppr=f'{heading}<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" w:color="{primary}"/>'
               '</w:pBdr><w:spacing w:before="480" w:after="200" w:line="240" w:lineRule="auto"/>'
               '<w:jc w:val="left"/><w:outlineLvl w:val="0"/>',
           rpr=f'{fonts}<w:b/><w:color w:val="{primary}"/><w:sz w:val="34"/><w:szCs w:val="34"/>')
    _style(doc, "Heading2", "heading 2", nxt="Normal",
           ppr=f'{heading}<w:spacing w:before="300" w:after="120" w:line="240" w:lineRule="auto"/>'
               '<w:jc w:val="left"/><w:outlineLvl w:val="1"/>',
           rpr=f'{fonts}<w:b/><w:color w:val="{primary}"/><w:sz w:val="26"/><w:szCs w:val="26"/>')
    _style(doc, "Heading3", "heading 3", nxt="Normal",
           ppr=f'{heading}<w:spacing w:before="200" w:after="80"/><w:jc w:val="left"/>'
               '<w:outlineLvl w:val="2"/>',
           rpr=f'{fonts}<w:b/><w:color w:val="{text}"/><w:sz w:val="22"/><w:szCs w:val="22"/>')
    _style(doc, "TOCHeading", "TOC Heading", based="Heading1", nxt="Normal",
           ppr='<w:pBdr/><w:outlineLvl w:val="9"/>')
    tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{twips(CONTENT_MM)}"/></w:tabs>'
    _style(doc, "TOC1", "toc 1", nxt="Normal",
           ppr=f'{tab}<w:spacing w:before="100" w:after="20" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/>',
           rpr="<w:b/>")
    _style(doc, "TOC2", "toc 2", nxt="Normal",
           ppr=f'{tab}<w:spacing w:after="20" w:line="240" w:lineRule="auto"/><w:ind w:left="420"/>'
               '<w:jc w:val="left"/>')
    _style(doc, "TOC3", "toc 3", nxt="Normal",
           ppr=f'{tab}<w:spacing w:after="20" w:line="240" w:lineRule="auto"/><w:ind w:left="840"/>'
               '<w:jc w:val="left"/>',
           rpr=f'<w:color w:val="{muted}"/>')
    _style(doc, "Caption", "caption", nxt="Normal",
           ppr='<w:keepNext/><w:spacing w:before="160" w:after="80"/><w:jc w:val="left"/>',
           rpr=f'<w:b/><w:color w:val="{muted}"/><w:sz w:val="18"/><w:szCs w:val="18"/>')
    _style(doc, "Note", "Note", nxt="Normal",
           ppr='<w:spacing w:before="60" w:after="120"/>',
           rpr=f'<w:color w:val="{muted}"/><w:sz w:val="18"/><w:szCs w:val="18"/>')
    _style(doc, "Figure", "Figure", nxt="Normal",
           ppr='<w:spacing w:before="60" w:after="200" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>')
    _style(doc, "CoverInfo", "Cover Info", nxt="CoverInfo",
           ppr='<w:spacing w:after="80"/><w:jc w:val="left"/>',
           rpr=f'<w:color w:val="{text}"/><w:sz w:val="24"/><w:szCs w:val="24"/>')
    _style(doc, "CoverMark", "Cover Mark", nxt="Normal",
           ppr='<w:spacing w:before="480"/><w:jc w:val="left"/>',
           rpr=f'<w:b/><w:color w:val="{accent}"/><w:sz w:val="22"/><w:szCs w:val="22"/>')
    _style(doc, "TableText", "Table Text", nxt="TableText",
           ppr='<w:spacing w:before="20" w:after="20" w:line="280" w:lineRule="atLeast"/><w:jc w:val="left"/>',
           rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>')
    _style(doc, "TableHead", "Table Heading", based="TableText", nxt="TableText",
           ppr='<w:keepNext/>', rpr='<w:b/><w:color w:val="FFFFFF"/>')
    bullet_num = _bullet_numbering(doc)
    _style(doc, "ListBullet", "List Bullet", nxt="ListBullet",
           ppr=f'<w:numPr><w:numId w:val="{bullet_num}"/></w:numPr><w:spacing w:after="60"/>'
               '<w:ind w:left="420" w:hanging="280"/><w:jc w:val="left"/>')
    _style(doc, "TableBullet", "Table Bullet", based="TableText", nxt="TableBullet",
           ppr=f'<w:numPr><w:numId w:val="{bullet_num}"/></w:numPr><w:ind w:left="240" w:hanging="200"/>')
    _style(doc, "Header", "header", rpr=f'<w:color w:val="{muted}"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
           ppr='<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="D9D9D9"/></w:pBdr>'
               f'<w:tabs><w:tab w:val="right" w:pos="{twips(CONTENT_MM)}"/></w:tabs><w:spacing w:after="0"/>')
    _style(doc, "Footer", "footer", rpr=f'<w:color w:val="{muted}"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
           ppr='<w:spacing w:after="0"/><w:jc w:val="center"/>')
    _table_style(doc, primary)


def _bullet_numbering(doc) -> int:
    numbering = doc.part.numbering_part.element
    abstract_id, num_id = 90, 90
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="420" w:hanging="280"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(
        f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def _table_style(doc, primary: str) -> None:
    line = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
    borders = "".join(line.format(b) for b in ("top", "bottom", "insideH"))
    doc.styles.element.append(parse_xml(
        f'<w:style {W} w:type="table" w:customStyle="1" w:styleId="PlanTable">'
        '<w:name w:val="Plan Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:after="0"/></w:pPr>'
        f'<w:tblPr><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="90" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="90" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{primary}"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="lastRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:tcBorders>'
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{primary}"/></w:tcBorders>'
        '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr></w:tblStylePr></w:style>'))


def page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin = section.right_margin = Mm(25)
    section.header_distance = section.footer_distance = Mm(12)
    section.different_first_page_header_footer = True  # the cover has no header or footer
    settings = doc.settings.element
    # Word refreshes the TOC and page references when it opens the document.
    before = settings.find(qn("w:compat"))
    before.addprevious(parse_xml(f'<w:updateFields {W} w:val="true"/>'))
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    header = section.header.paragraphs[0]
    header.style = doc.styles["header"]
    header.add_run("{{ brand.name }}\t{{ meta.title }}")
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["footer"]
    footer._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run(" / ")
    footer._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


# -- content helpers ----------------------------------------------------------------------------

class Builder:
    """Append paragraphs, tag paragraphs and tables with docxtpl tags to the document body."""

    def __init__(self, doc):
        self.doc = doc
        self.styles = {s.style_id: s for s in doc.styles}

    def p(self, text: str = "", style: str = "Normal", bold_lead: str | None = None, align: str | None = None):
        para = self.doc.add_paragraph(style=self.styles[style])
        if bold_lead:
            para.add_run(bold_lead).bold = True
        if text:
            para.add_run(text)
        if align:
            para.paragraph_format.alignment = {"left": 0, "center": 1, "right": 2}[align]
        return para

    def tag(self, jinja: str) -> None:
        """A paragraph holding only a block tag (``{%p ... %}``); docxtpl removes it."""
        self.p(jinja)

    def h(self, level: int, text: str):
        return self.p(text, style=f"Heading{level}")

    @contextmanager
    def when(self, condition: str):
        """Keep what is added inside only when ``condition`` holds: a ``{%p if %}`` block."""
        self.tag(f"{{%p if {condition} %}}")
        yield
        self.tag("{%p endif %}")

    def bullets(self, loop: str, item: str, style: str = "ListBullet") -> None:
        self.tag(f"{{%p for {loop} %}}")
        self.p(item, style=style)
        self.tag("{%p endfor %}")

    def caption(self, text: str) -> None:
        self.p(text, style="Caption")

    def chart(self, dataset: str, kind: str, height: int = 70, width: int = CONTENT_MM) -> None:
        self.p(f'{{{{ charts.{dataset} | chart("{kind}", {height}, {width}) }}}}', style="Figure")

    def table(self, widths, header=None, rows=(), align=None, total=None, first_col_fill=None,
              keep=False, margins=None, head_size=None, body_size=None):
        """A table: header labels, then rows; a row is a list of cells or a ``{%tr ...%}`` tag.

        A cell is a string (one paragraph) or a list of strings (one paragraph each; a string
        starting with ``*`` is a bullet, one starting with ``{%p`` is a tag paragraph).
        """
        align = align or [L] * len(widths)
        keep = keep or header is None  # key/value grids and cards are short: never split them
        all_rows = ([header] if header else []) + list(rows) + ([total] if total else [])
        table = self.doc.add_table(rows=0, cols=len(widths))
        table.style = self.styles["PlanTable"]
        tbl = table._tbl
        tblpr = tbl.tblPr
        for tag in ("w:tblW", "w:tblLayout", "w:tblLook"):
            for old in tblpr.findall(qn(tag)):
                tblpr.remove(old)
        # Schema order inside tblPr: tblStyle, tblW, ..., tblLayout, tblCellMar, tblLook.
        tblpr.find(qn("w:tblStyle")).addnext(
            parse_xml(f'<w:tblW {W} w:w="{twips(sum(widths))}" w:type="dxa"/>'))
        tblpr.append(parse_xml(f'<w:tblLayout {W} w:type="fixed"/>'))
        # LibreOffice reads the legacy bit mask in w:val, Word the attributes: keep both in step.
        look = 0x0600 | (0x0020 if header else 0) | (0x0040 if total else 0)
        tblpr.append(parse_xml(
            f'<w:tblLook {W} w:val="{look:04X}" w:firstRow="{int(bool(header))}" '
            f'w:lastRow="{int(bool(total))}" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'))
        if margins is not None:
            tblpr.append(parse_xml(
                f'<w:tblCellMar {W}><w:left w:w="{margins}" w:type="dxa"/>'
                f'<w:right w:w="{margins}" w:type="dxa"/></w:tblCellMar>'))
            tblpr.append(tblpr.find(qn("w:tblLook")))
        for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), str(twips(width)))
        for index, row in enumerate(all_rows):
            tr = table.add_row()
            is_header = header is not None and index == 0
            if is_header:
                tr._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W}/>"))
            tr._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {W}/>"))
            if isinstance(row, str):  # a {%tr %} tag row
                row = [row] + [""] * (len(widths) - 1)
            last = index == len(all_rows) - 1
            for c, (cell, content) in enumerate(zip(tr.cells, row)):
                cell.width = Mm(widths[c])
                cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:vAlign {W} w:val="center"/>'))
                if first_col_fill and c == 0 and not is_header:
                    cell._tc.get_or_add_tcPr().append(
                        parse_xml(f'<w:shd {W} w:val="clear" w:color="auto" w:fill="{first_col_fill}"/>'))
                items = content if isinstance(content, list) else [content]
                first = cell.paragraphs[0]
                for n, text in enumerate(items):
                    para = first if n == 0 else cell.add_paragraph()
                    style = "TableHead" if is_header else "TableText"
                    bold = text.startswith("**")
                    if bold:
                        text = text[2:]
                    elif text.startswith("*"):
                        style, text = "TableBullet", text[1:].lstrip()
                    para.style = self.styles[style]
                    run = para.add_run(text)
                    run.bold = bold or None
                    if is_header and head_size:
                        run.font.size = Pt(head_size)
                    elif not is_header and body_size:
                        run.font.size = Pt(body_size)
                    if keep and not last:  # short figure tables stay on one page
                        para.paragraph_format.keep_with_next = True
                    if align[c] != L and not text.startswith("{%p"):
                        para.paragraph_format.alignment = {"center": 1, "right": 2}[align[c]]
        self.doc.add_paragraph(style=self.styles["Note"]).paragraph_format.space_after = 0
        return table


def kv_rows(pairs):
    """Rows of a two- or four-column key/value table (label in bold)."""
    return [[cell for pair in row for cell in (f"**{pair[0]}", pair[1])] for row in pairs]


def lp(key: str) -> str:
    return "{{ labels.plan.%s }}" % key


def lf(key: str) -> str:
    return "{{ labels.fields.%s }}" % key


COLON = "{{ labels.plan.colon }}"


def cover(b: Builder) -> None:
    with b.when("brand.logo"):
        b.p("{{ brand.logo | picture(45, 28) }}", style="CoverInfo").paragraph_format.space_before = Mm(20)
    kind = b.p("{{ meta.year }} " + lp("doc_type"), style="CoverInfo")
    kind.paragraph_format.space_before = Mm(35)
    b.p("{{ meta.title }}", style="Title")
    with b.when("meta.subtitle"):
        b.p("{{ meta.subtitle }}", style="Subtitle")
    b.p("{{ brand.name }}{% if brand.name_en %} · {{ brand.name_en }}{% endif %}", style="CoverInfo")
    with b.when("brand.slogan"):
        b.p("{{ brand.slogan }}", style="CoverInfo").runs[0].italic = True
    b.p("").paragraph_format.space_before = Mm(30)
    b.p(lf("prepared_by") + COLON + "{{ meta.prepared_by or company.name }}", style="CoverInfo")
    with b.when("meta.date"):
        b.p(lf("date") + COLON + "{{ meta.date | date }}", style="CoverInfo")
    with b.when("meta.confidential"):
        b.p(lp("confidential"), style="CoverMark")


def contents(b: Builder) -> None:
    # Breaks before the contents and the summary (not break paragraphs, which can leave a blank page).
    b.p(lp("toc"), style="TOCHeading").paragraph_format.page_break_before = True
    para = b.p("", style="TOC1")
    p = para._p
    p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'))
    p.append(parse_xml(f'<w:r {W}><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'))
    p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>'))
    para.add_run("Right-click and choose Update Field to build the table of contents.")
    end = b.p("", style="TOC1")
    end._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'))


def summary(b: Builder) -> None:
    b.h(1, lp("summary")).paragraph_format.page_break_before = True
    with b.when("brand.positioning"):
        b.p("{{ brand.positioning }}", bold_lead="{{ brand.name }}" + COLON)
    b.p(lp("summary_intro"))
    b.caption(lp("key_figures"))
    funnel = "(targets.funnel.%s if targets.funnel else none)"
    b.table(KV, rows=kv_rows([
        [(lp("annual_gmv"), "{{ targets.annual_gmv | money_wan }}"),
         (lp("annual_budget"), "{{ promotion_budget | money_wan }}")],
        [(lf("budget_ratio"), "{{ targets.year.budget_ratio | pct }}"),
         (lf("roi"), "{{ targets.year.roi | ratio }}")],
        [(lp("orders_year"), "{{ targets.year.orders | num }}"),
         (lp("visitors_year"), "{{ targets.year.visitors | num }}")],
        [(lf("average_order_value"), "{{ %s | money }}" % (funnel % "average_order_value")),
         (lf("conversion_rate"), "{{ %s | pct }}" % (funnel % "conversion_rate"))],
        [(lp("headcount"), "{{ (team.headcount if team else none) | num }}"),
         (lp("readiness"), "{{ labels.status.met }} {{ readiness.met | num }} · "
                           "{{ labels.status.missing }} {{ readiness.missing | num }}")],
    ]), first_col_fill=None)
    with b.when("targets.quarters"):
        b.caption(lp("quarter_split"))
        b.table([40, 40, 40, 40], header=[lf("quarter"), lf("gmv"), lf("share"), lf("budget")], rows=[
            "{%tr for q in targets.quarters %}",
            ["{{ labels.quarters[q.label] }}", "{{ q.gmv | money_wan }}", "{{ q.share | share }}",
             "{{ q.budget | money_wan }}"],
            "{%tr endfor %}"], align=[L, R, R, R],
            total=["{{ labels.year }}", "{{ targets.year.gmv | money_wan }}", "{{ targets.year.share | share }}",
                   "{{ targets.year.budget | money_wan }}"], keep=True)
    with b.when("targets.kpis"):
        b.caption(lp("kpis"))
        b.bullets("k in targets.kpis", "{{ k.name }}" + COLON + "{{ k.target }}")


def brand_company(b: Builder) -> None:
    b.h(1, lp("brand_company"))
    b.h(2, lp("brand"))
    b.table(KV, rows=kv_rows([
        [(lp("brand_name"), "{{ brand.name }}{% if brand.name_en %} / {{ brand.name_en }}{% endif %}"),
         (lp("slogan"), "{{ brand.slogan or labels.none }}")],
        [(lp("founded"), "{{ brand.founded_year or labels.none }}"),
         (lf("origin"), "{{ brand.origin or labels.none }}")],
        [(lp("store_type"), "{{ labels.store_types[meta.store_type] if meta.store_type else labels.none }}"),
         (lp("category"), "{{ meta.category or labels.none }}")],
    ]))
    b.tag("{%p for para in brand.story_paragraphs %}")
    b.p("{{ para }}")
    b.tag("{%p endfor %}")
    with b.when("brand.culture"):
        b.h(3, lp("culture"))
        b.bullets("c in brand.culture", "{{ c }}")
    b.tag("{%p if brand.trademark or brand.awards or brand.patents or brand.endorsements "
          "or brand.crowdfunding or brand.partnerships %}")
    b.h(2, lp("honours"))
    with b.when("brand.trademark"):
        b.caption(lp("trademark"))
        tm = "brand.trademark."
        b.table(KV, rows=kv_rows([
            [(lp("registration_no"), "{{ %sregistration_no or labels.none }}" % tm),
             (lp("class"), "{{ %sclass_ or labels.none }}" % tm)],
            [(lp("tm_status"), "{{ labels.trademark_status[%sstatus] if %sstatus else labels.none }}" % (tm, tm)),
             (lp("holder"), "{{ %sholder or labels.none }}" % tm)],
        ]))
    with b.when("brand.awards"):
        b.caption(lp("awards"))
        b.bullets("a in brand.awards", "{% if a.year %}{{ a.year }} {% endif %}{{ a.name }}")
    with b.when("brand.patents"):
        b.caption(lp("patents"))
        b.bullets("pt in brand.patents", "{{ pt.name }}{% if pt.kind %}{{ labels.plan.lparen }}{{ labels.patent_kinds[pt.kind] }}"
                  "{{ labels.plan.rparen }}"
                  "{% endif %}{% if pt.number %} {{ pt.number }}{% endif %}")
    with b.when("brand.endorsements or brand.partnerships"):
        b.caption(lp("endorsements"))
        b.bullets("e in brand.endorsements + brand.partnerships", "{{ e }}")
    with b.when("brand.crowdfunding"):
        b.caption(lp("crowdfunding"))
        b.p("{{ brand.crowdfunding.platform or '' }} {{ brand.crowdfunding.year or '' }} "
            "{{ brand.crowdfunding.amount | money }}")
    b.tag("{%p endif %}")
    b.h(2, lp("company"))
    b.table(KV, rows=kv_rows([
        [(lf("name"), "{{ company.name }}"), (lp("founded"), "{{ company.founded_year or labels.none }}")],
        [(lp("registered_capital"), "{{ company.registered_capital | money }}"),
         (lp("employees"), "{{ company.employees | num }}")],
        [(lp("address"), "{{ company.address or labels.none }}"),
         (lp("business"), "{{ company.business or labels.none }}")],
    ]))
    b.tag("{%p for para in company.intro_paragraphs %}")
    b.p("{{ para }}")
    b.tag("{%p endfor %}")
    with b.when("company.channels"):
        b.h(2, lp("sales_channels"))
        b.table([40, 18, 28, 18, 56], header=[lf("channel"), lp("channel_type"), lp("annual_sales"),
                                              lp("stores"), lp("note")], rows=[
            "{%tr for ch in company.channels %}",
            ["{{ ch.name }}", "{{ labels.sales_channel_types[ch.type] if ch.type else labels.none }}",
             "{{ ch.annual_sales | money }}", "{{ ch.stores | num }}", "{{ ch.note or '' }}"],
            "{%tr endfor %}"], align=[L, L, R, R, L],
            total=["{{ labels.total }}", "", "{{ company.channels_total | money }}", "", ""])
    with b.when("company.prior_sales"):
        b.p(lp("prior_taobao") + " {{ company.prior_sales.taobao | money }}　" + lp("prior_tmall") +
            " {{ company.prior_sales.tmall | money }}",
            bold_lead=lp("prior_sales") + "{% if company.prior_sales.period %}{{ labels.plan.lparen }}"
                      "{{ company.prior_sales.period }}{{ labels.plan.rparen }}"
                      "{% endif %}" + COLON)


def market(b: Builder) -> None:
    with b.when("market or swot"):
        b.h(1, lp("market"))
        with b.when("market"):
            with b.when("market.overview"):
                b.p("{{ market.overview }}")
            with b.when("market.size is not none or market.growth is not none"):
                b.table(KV, rows=kv_rows([
                    [(lp("market_size"), "{{ market.size | money }}"), (lp("market_growth"), "{{ market.growth | pct }}")]]))
            with b.when("market.target_customers"):
                b.h(2, lp("customers"))
                b.table([36, 100, 24], header=[lf("segment"), lf("description"), lf("share")], rows=[
                    "{%tr for sg in market.target_customers %}",
                    ["{{ sg.segment }}", "{{ sg.description or '' }}", "{{ sg.share | share }}"],
                    "{%tr endfor %}"], align=[L, L, R])
                b.chart("segments", "pie", 60, 120)
            with b.when("market.competitors"):
                b.h(2, lp("competitors"))
                b.table([24, 22, 24, 45, 45], header=[lf("name"), lp("price_band"), lp("competitor_sales"),
                                                      lp("strengths"), lp("weaknesses")], rows=[
                    "{%tr for cp in market.competitors %}",
                    ["**{{ cp.name }}", "{{ cp.price_band or '' }}", "{{ cp.monthly_sales | money }}",
                     "{{ cp.strengths or '' }}", "{{ cp.weaknesses or '' }}"],
                    "{%tr endfor %}"], align=[L, C, R, L, L])
            with b.when("price_bands"):
                b.h(2, lp("price_bands"))
                b.p(lp("price_bands_intro"))
                b.chart("price_bands", "bands", 70)
                b.table([60, 50, 50], header=[lf("name"), lf("band_low"), lp("band_high")], rows=[
                    "{%tr for bd in price_bands %}",
                    ["{{ bd.name }}", "{{ bd.low | money }}", "{{ bd.high | money }}"],
                    "{%tr endfor %}"], align=[L, R, R])
                with b.when("products | selectattr('price') | list"):
                    b.caption(lp("our_prices"))
                    b.bullets("pd in products | selectattr('price')",
                              "{{ pd.name }}{{ labels.plan.colon }}{{ pd.price | money }}"
                              "{% if pd.role %}（{{ labels.roles.get(pd.role, pd.role) }}）{% endif %}")
        with b.when("swot"):
            b.h(2, lp("swot"))
            quad = lambda key: ["**{{ labels.swot.%s }}" % key, "{%%p for x in swot.%s %%}" % key, "* {{ x }}",
                                "{%p endfor %}"]
            table = b.table([80, 80], rows=[[quad("strengths"), quad("weaknesses")],
                                            [quad("opportunities"), quad("threats")]])
            fills = ["E8F3F2", "FBF3E6", "EEF3FA", "F9ECEC"]
            for cell, fill in zip([c for row in table.rows for c in row.cells], fills):
                cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {W} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


MONTH_HEAD = [lf("month"), lf("gmv"), lf("share"), lf("budget"), lf("budget_ratio"), lp("roi_short"),
              lf("orders"), lf("visitors")]
MONTH_W = [17, 25, 16, 22, 17, 13, 22, 28]
KV = [38, 42, 38, 42]
NUM8 = [L, R, R, R, R, R, R, R]


def _figures(v: str) -> list[str]:
    return ["{{ %s.gmv | money_wan }}" % v, "{{ %s.share | share }}" % v, "{{ %s.budget | money_wan }}" % v,
            "{{ %s.budget_ratio | pct }}" % v, "{{ %s.roi | ratio }}" % v, "{{ %s.orders | num }}" % v,
            "{{ %s.visitors | num }}" % v]


def targets(b: Builder) -> None:
    b.h(1, lp("targets"))
    b.p(lp("targets_intro"))
    b.table(KV, rows=kv_rows([
        [(lp("annual_gmv"), "{{ targets.annual_gmv | money_wan }}"),
         (lp("annual_budget"), "{{ promotion_budget | money_wan }}")],
        [(lf("conversion_rate"), "{{ (targets.funnel.conversion_rate if targets.funnel else none) | pct }}"),
         (lf("average_order_value"), "{{ (targets.funnel.average_order_value if targets.funnel else none) | money }}")],
        [(lf("repeat_rate"), "{{ (targets.funnel.repeat_rate if targets.funnel else none) | pct }}"),
         (lf("roi"), "{{ targets.year.roi | ratio }}")],
    ]))
    b.h(2, lp("monthly"))
    with b.when("targets.months_derived"):
        b.p(lp("months_derived"), style="Note")
    b.caption("{{ labels.plan.chart_monthly if charts.monthly.series | length > 1 "
              "else labels.plan.chart_monthly_gmv }}")
    b.chart("monthly", "column", 72)
    b.caption(lp("table_monthly"))
    b.table(MONTH_W, header=MONTH_HEAD, rows=[
        "{%tr for m in targets.months %}", ["{{ m.month | month }}"] + _figures("m"), "{%tr endfor %}"],
        align=NUM8, total=["{{ labels.year }}"] + _figures("targets.year"), keep=True, head_size=8)
    with b.when("targets.quarters"):
        b.h(2, lp("quarterly"))
        b.table(MONTH_W, header=[lf("quarter")] + MONTH_HEAD[1:], rows=[
            "{%tr for q in targets.quarters %}", ["{{ labels.quarters[q.label] }}"] + _figures("q"),
            "{%tr endfor %}"], align=NUM8, total=["{{ labels.year }}"] + _figures("targets.year"), keep=True,
            head_size=8)
        b.p(lp("figures_note"), style="Note")
    with b.when("targets.kpis"):
        b.h(2, lp("kpis"))
        b.table([100, 60], header=[lp("kpi"), lf("target")], rows=[
            "{%tr for k in targets.kpis %}", ["{{ k.name }}", "{{ k.target }}"], "{%tr endfor %}"],
            align=[L, R], keep=True)


def strategies(b: Builder) -> None:
    with b.when("strategy"):
        b.h(1, lp("strategies"))
        b.p(lp("strategies_intro"))
        b.table([36, 124], header=[lp("dimension"), lp("strategy")], rows=[
            "{%tr for st in strategy %}", ["**{{ labels.strategy.get(st.key, st.key) }}", "{{ st.text }}"],
            "{%tr endfor %}"], keep=True)


def products(b: Builder) -> None:
    with b.when("products"):
        b.h(1, lp("products"))
        b.h(2, lp("product_margins"))
        b.table([44, 16, 17, 17, 17, 17, 16, 16],
                header=[lp("product"), lp("product_role"), lf("price"),
                        lf("cost"), lf("gross_profit"), lf("gross_margin"), lf("monthly_sales"), lf("reviews")],
                rows=["{%tr for pr in products %}",
                      [["**{{ pr.name }}", "{% if pr.sku %}{{ pr.sku }}{% endif %}"],
                       "{{ labels.roles[pr.role] if pr.role else labels.none }}", "{{ pr.price | money }}",
                       "{{ pr.cost | money }}", "{{ pr.gross_profit | money }}", "{{ pr.gross_margin | pct }}",
                       "{{ pr.monthly_sales | num }}", "{{ pr.reviews | num }}"],
                      "{%tr endfor %}"], align=[L, C, R, R, R, R, R, R])
        with b.when("product_roles"):
            b.h(2, lp("product_structure"))
            b.p(lp("product_structure_intro"))
            b.bullets("g in product_roles", "{{ labels.roles[g.role] }}" + COLON +
                      "{% for pr in g.products %}{{ pr.name }}{% if not loop.last %}{{ labels.plan.sep }}{% endif %}"
                      "{% endfor %}")
        b.h(2, lp("product_details"))
        b.tag("{%p for pr in products %}")
        b.table([40, 120], rows=[[
            ["{% if pr.image %}{{ pr.image | picture(34, 34) }}{% endif %}",
             "{% if pr.role %}{{ labels.roles[pr.role] }}{% endif %}"],
            ["**{{ pr.name }}",
             lf("price") + COLON + "{{ pr.price | money }}　" + lf("gross_margin") + COLON +
             "{{ pr.gross_margin | pct }}{% if pr.launch %}　" + lp("launch") + COLON + "{{ pr.launch }}{% endif %}",
             "{%p for sp in pr.selling_points %}", "* {{ sp }}", "{%p endfor %}"]]], align=[C, L])
        b.tag("{%p endfor %}")


def roadmap(b: Builder) -> None:
    with b.when("roadmap"):
        b.h(1, lp("roadmap"))
        b.p(lp("roadmap_intro"))
        b.table([24, 20, 24, 24, 24, 44], header=[lf("quarter"), lf("phase"), lp("gmv_target"), lp("months_gmv"),
                                                  lp("quarter_budget"), lf("goals")], rows=[
            "{%tr for q in roadmap %}",
            ["**{{ labels.quarters[q.quarter] }}", "{{ q.phase or labels.none }}", "{{ q.gmv_target | money_wan }}",
             "{{ q.months_gmv | money_wan }}", "{{ q.quarter_budget | money_wan }}",
             ["{%p for gl in q.goals %}", "* {{ gl }}", "{%p endfor %}",
              "{%p if not q.goals %}", labels_none(), "{%p endif %}"]],
            "{%tr endfor %}"], align=[L, L, R, R, R, L])
        with b.when("tasks"):
            b.h(2, lp("gantt"))
            month_cells = ["{%% cellbg theme.colors.primary if t.start_index <= %d <= t.end_index else 'FFFFFF' %%}" % i
                           for i in range(12)]
            fest_cells = ["{%% cellbg theme.colors.accent if festival_months[%d] else 'FFFFFF' %%}"
                          "{{ festival_months[%d] }}" % (i, i) for i in range(12)]
            b.table([40, 18] + [8.5] * 12, header=[lp("task"), lf("owner")] +
                    ["{{ labels.months[%d] }}" % i for i in range(12)], rows=[
                "{%tr if festivals %}", ["**" + lp("festivals"), ""] + fest_cells, "{%tr endif %}",
                "{%tr for t in tasks %}", ["{{ t.name }}", "{{ t.owner or '' }}"] + month_cells, "{%tr endfor %}"],
                align=[L, L] + [C] * 12, keep=True, margins=20, head_size=8)
            with b.when("calendar_note"):
                b.caption("{{ calendar_note }}")
        b.tag("{%p for q in roadmap %}")
        b.h(2, "{{ labels.quarters[q.quarter] }}{% if q.phase %} · {{ q.phase }}{% endif %}")
        b.p("{{ q.gmv_target | money_wan }}　" + lp("months_gmv") + COLON + "{{ q.months_gmv | money_wan }}",
            bold_lead=lp("gmv_target") + COLON)
        with b.when("q.goals"):
            b.bullets("gl in q.goals", "{{ gl }}")
        with b.when("q.tasks"):
            b.table([80, 26, 26, 28], header=[lp("task"), lp("start"), lp("end"), lf("owner")], rows=[
                "{%tr for t in q.tasks %}", ["{{ t.name }}", "{{ t.start | month }}", "{{ t.end | month }}",
                                             "{{ t.owner or '' }}"], "{%tr endfor %}"], align=[L, C, C, L])
        with b.when("q.budget or q.unallocated"):
            b.p("{{ q.quarter_budget | money_wan }}{{ labels.plan.lparen }}{% for ln in q.budget %}{{ ln.channel }} {{ ln.amount | money_wan }}"
                "{% if not loop.last %}{{ labels.plan.sep }}{% endif %}{% endfor %}"
                "{% if q.unallocated %}{{ labels.plan.sep }}{{ labels.fields.unallocated }} {{ q.unallocated | money }}{% endif %}"
                "{{ labels.plan.rparen }}",
                bold_lead=lp("quarter_budget") + COLON)
        b.tag("{%p endfor %}")


def labels_none() -> str:
    return "{{ labels.none }}"


def promotion(b: Builder) -> None:
    with b.when("(promotion and (promotion.channels or promotion.events)) or channel_budget"):
        b.h(1, lp("promotion"))
        with b.when("promotion and promotion.channels"):
            b.h(2, lp("promotion_channels"))
            b.table([30, 30, 100], header=[lf("channel"), lp("channel_kind"), lf("description")], rows=[
                "{%tr for ch in promotion.channels %}",
                ["**{{ ch.name }}", "{{ labels.channel_kinds[ch.kind] if ch.kind else labels.none }}",
                 "{{ ch.description or '' }}"], "{%tr endfor %}"])
        with b.when("channel_budget"):
            b.h(2, lp("budget_by_channel"))
            b.p(lp("budget_intro"))
            b.table([32, 20, 20, 20, 20, 26, 22],
                    header=[lf("channel")] + ["{{ labels.quarters.Q%d }}" % i for i in range(1, 5)] +
                           ["{{ labels.total }}", lf("budget_share")],
                    rows=["{%tr for cb in channel_budget %}",
                          ["{{ cb.channel }}"] + ["{{ cb.by_quarter[%d] | money_wan }}" % i for i in range(4)] +
                          ["{{ cb.total | money_wan }}", "{{ cb.share | share }}"], "{%tr endfor %}"],
                    align=[L, R, R, R, R, R, R],
                    total=["{{ labels.total }}"] + ["{{ channel_budget_by_quarter[%d] | money_wan }}" % i for i in range(4)] +
                          ["{{ channel_budget_total | money_wan }}", ""], keep=True)
            b.caption(lp("chart_channels_by_quarter"))
            b.chart("channels_by_quarter", "stacked", 72)
            b.caption(lp("chart_channels"))
            b.chart("channels", "pie", 66, 130)
        with b.when("paid"):
            b.h(2, lp("paid_channels"))
            b.p(lp("paid_intro"))
            b.table([28, 17, 21, 21, 18, 25, 14, 16],
                    header=[lf("channel"), "{{ labels.pnl.pays_per }}", "{{ labels.pnl.spend }}",
                            "{{ labels.pnl.clicks }}", "{{ labels.pnl.paid_orders }}",
                            "{{ labels.pnl.paid_gmv }}", "ROI", lf("share")],
                    rows=["{%tr for pc in paid.channels %}",
                          ["**{{ pc.channel }}", "{{ labels.pnl.pays[pc.pays_per] }}",
                           "{{ pc.spend | money_brief }}", "{{ pc.clicks | whole }}",
                           "{{ pc.orders | whole }}", "{{ pc.gmv | money_brief }}",
                           "{{ pc.roi | ratio }}", "{{ pc.share | pct }}"], "{%tr endfor %}"],
                    align=[L, L, R, R, R, R, R, R],
                    total=["{{ labels.total }}", "", "{{ paid.spend | money_brief }}",
                           "{{ paid.clicks | whole }}", "{{ paid.orders | whole }}",
                           "{{ paid.gmv | money_brief }}", "{{ paid.roi | ratio }}",
                           "{{ paid.share | pct }}"], keep=True, head_size=8)
            with b.when("paid.free_gmv is not none"):
                b.p("{{ paid.free_gmv | money_brief }}{{ labels.plan.lparen }}{{ paid.free_share | pct }}"
                    "{{ labels.plan.rparen }}{% if paid.free_visitors is not none %}{{ labels.plan.sep }}"
                    "{{ labels.pnl.free_visitors }}" + COLON + "{{ paid.free_visitors | whole }}{% endif %}",
                    bold_lead="{{ labels.pnl.free_gmv }}" + COLON)
        with b.when("promotion and promotion.events"):
            b.h(2, lp("events"))
            b.table([34, 40, 26, 60], header=[lp("event"), lf("date"), lf("budget"), lp("event_goal")], rows=[
                "{%tr for ev in promotion.events %}",
                ["**{{ ev.name }}", "{{ ev.date | date }}", "{{ ev.budget | money }}", "{{ ev.goal or '' }}"],
                "{%tr endfor %}"], align=[L, L, R, L])


PNL_HEAD = [lf("month"), "{{ labels.pnl.gmv }}", "{{ labels.pnl.gross_profit }}",
            "{{ labels.pnl.contribution_short }}", "{{ labels.pnl.promotion }}",
            "{{ labels.pnl.overheads }}", "{{ labels.pnl.operating_result }}", "{{ labels.pnl.cumulative }}"]
PNL_W = [15, 20, 21, 21, 20, 20, 21, 22]


def _pnl(v: str) -> list[str]:
    return ["{{ %s.%s | money_brief }}" % (v, k) for k in
            ("gmv", "gross_profit", "contribution", "promotion",
             "overheads", "operating_result", "cumulative")]


def economics(b: Builder) -> None:
    with b.when("economics"):
        b.h(1, lp("economics"))
        b.p(lp("economics_intro"))
        b.table(KV, rows=kv_rows([
            [("{{ labels.pnl.margin }}", "{{ economics.margin | pct }}"),
             ("{{ labels.pnl.break_even_roi }}", "{{ economics.break_even_roi | ratio }}")],
            [("{{ labels.pnl.roi }}", "{{ economics.year.roi | ratio }}"),
             ("{{ labels.pnl.operating_result }}", "{{ economics.year.operating_result | money_brief }}")],
            [("{{ labels.pnl.deepest }}", "{{ economics.deepest | money_brief }}"),
             ("{{ labels.pnl.deposit }}", "{{ economics.deposit | money_brief }}")],
            [("{{ labels.pnl.funding_need }}", "{{ economics.funding_need | money_brief }}"),
             ("{{ labels.pnl.operating_margin }}", "{{ economics.year.operating_margin | pct }}")],
        ]))
        b.p(lp("break_even_note"), style="Note")
        b.h(2, lp("pnl_year"))
        b.table([36, 21, 21, 21, 21, 23, 17],
                header=[lp("pnl_line"), "Q1", "Q2", "Q3", "Q4", "{{ labels.year }}", "{{ labels.pnl.share_of_gmv }}"],
                rows=["{%tr for r in pnl_table %}",
                      ["{{ r.label }}"] + ["{{ (r.quarters[%d] | money_brief) if r.money else (r.quarters[%d] | ratio) }}" % (i, i)
                                           for i in range(4)]
                      + ["{{ (r.year | money_brief) if r.money else (r.year | ratio) }}",
                         "{{ r.share | pct if r.money else '' }}"], "{%tr endfor %}"],
                align=[L, R, R, R, R, R, R], keep=True, head_size=8)
        b.h(2, lp("pnl_monthly"))
        b.table(PNL_W, header=PNL_HEAD, rows=[
            "{%tr for pm in economics.months %}", ["{{ pm.label | month }}"] + _pnl("pm"), "{%tr endfor %}"],
            align=[L] + [R] * 7, total=["{{ labels.year }}"] + _pnl("economics.year"), keep=True, head_size=7,
            body_size=8)
        b.caption(lp("chart_cumulative"))
        b.chart("pnl_cumulative", "line", 62)
        b.p("{{ economics.funding_need | money_brief }}{{ labels.plan.lparen }}{{ labels.pnl.deepest }} "
            "{{ economics.deepest | money_brief }}{% if economics.deepest_month %} · "
            "{{ economics.deepest_month | month }}{% endif %}{{ labels.plan.sep }}{{ labels.pnl.deposit }} "
            "{{ economics.deposit | money_brief }}{{ labels.plan.rparen }}",
            bold_lead="{{ labels.pnl.funding_need }}" + COLON)


def team(b: Builder) -> None:
    with b.when("team"):
        b.h(1, lp("team"))
        with b.when("team.summary"):
            b.p("{{ team.summary }}")
        b.p("{{ team.headcount | num }}", bold_lead=lp("headcount") + COLON)
        with b.when("team.members"):
            b.table([24, 13, 35, 58, 30], header=[lf("role"), lf("headcount"), lp("experience"),
                                                  lf("responsibilities"), lf("kpis")], rows=[
                "{%tr for mb in team.members %}",
                ["**{{ mb.role }}", "{{ mb.headcount | num }}", "{{ mb.experience or '' }}",
                 ["{%p for r in mb.responsibilities %}", "* {{ r }}", "{%p endfor %}",
                  "{%p if not mb.responsibilities %}", labels_none(), "{%p endif %}"],
                 "{{ mb.kpis | join(labels.plan.sep) }}"],
                "{%tr endfor %}"], align=[L, C, L, L, L])


def service(b: Builder) -> None:
    with b.when("service or membership"):
        b.h(1, lp("service_membership"))
        with b.when("service"):
            b.h(2, lp("service"))
            with b.when("service.presale"):
                b.p("{{ service.presale }}", bold_lead=lp("presale") + COLON)
            with b.when("service.aftersale"):
                b.p("{{ service.aftersale }}", bold_lead=lp("aftersale") + COLON)
            with b.when("service.standards"):
                sd = "service.standards."
                b.caption(lp("standards"))
                b.table(KV, rows=kv_rows([
                    [(lp("dsr"), "{{ %sdsr | num }}" % sd), (lp("dispute_rate"), "{{ %sdispute_rate | pct }}" % sd)],
                    [(lp("ship_within"), "{{ %sship_within_hours | num }} {{ labels.plan.hours }}" % sd),
                     (lp("response"), "{{ %sresponse_seconds | num }} {{ labels.plan.seconds }}" % sd)],
                ]))
            with b.when("service.faq"):
                b.caption(lp("faq"))
                b.bullets("fq in service.faq", "{{ fq }}")
        with b.when("membership"):
            b.h(2, lp("membership"))
            with b.when("membership.tiers"):
                b.table([34, 36, 30, 60], header=[lp("tier"), lf("threshold"), lf("discount"), lf("benefits")], rows=[
                    "{%tr for tr_ in membership.tiers %}",
                    ["**{{ tr_.name }}", "{{ tr_.threshold | money }}", "{{ tr_.discount | discount }}",
                     "{{ tr_.benefits | join(labels.plan.sep) }}"], "{%tr endfor %}"], align=[L, R, C, L])
            with b.when("membership.programs"):
                b.caption(lp("programs"))
                b.bullets("pg in membership.programs", "{{ pg }}")


def risks(b: Builder) -> None:
    with b.when("risks"):
        b.h(1, lp("risks"))
        b.table([70, 90], header=[lf("risk"), lf("mitigation")], rows=[
            "{%tr for rk in risks %}", ["{{ rk.risk }}", "{{ rk.mitigation or labels.none }}"], "{%tr endfor %}"])


def appendix(b: Builder) -> None:
    b.h(1, lp("appendix")).paragraph_format.page_break_before = True
    with b.when("preflight"):
        b.h(2, lp("preflight_title"))
        b.p(lp("preflight_intro"))
        b.p("{% if preflight.passed %}{{ labels.plan.preflight_passed }}{% else %}"
            "{{ labels.status.met }} {{ preflight.met | num }}　{{ labels.status.missing }} "
            "{{ preflight.missing | num }}　{{ labels.status.unknown }} {{ preflight.unknown | num }}"
            "{% endif %}", bold_lead=lp("preflight") + COLON)
        pf_status = ("{% cellbg 'E3F1E6' if pi.status == 'met' else ('FCEFD6' if pi.status == 'missing' "
                     "else 'F2F2F2') %}{{ labels.status[pi.status] }}")
        b.table([36, 18, 72, 34], header=[lp("requirement"), lp("status"), lp("reason"), lp("spec_field")], rows=[
            "{%tr for pi in preflight.items %}",
            ["{{ pi.title }}", pf_status, "{{ pi.reason }}", "{{ pi.field or '' }}"],
            "{%tr endfor %}"], align=[L, C, L, L])
    with b.when("opening"):
        b.h(2, lp("opening_title"))
        b.p(lp("opening_intro"))
        b.table(KV, rows=kv_rows([
            [(lp("deposit"), "{% if opening.deposit is not none %}{{ opening.deposit | money }}"
                             "{% if opening.deposit_from_spec %}{{ labels.plan.from_spec }}{% endif %}"
                             "{% else %}{{ labels.plan.deposit_unknown }}{% endif %}"),
             (lp("annual_fee"), "{{ opening.annual_fee | money }}"
                                "{% if opening.annual_fee_from_spec %}{{ labels.plan.from_spec }}{% endif %}")],
            [(lp("commission"), "{{ opening.commission_rate | pct }}"),
             (lp("fee_category"), "{{ opening.category_name }}")],
            [(lp("first_year"), "{{ opening.first_year | money }}"),
             (lp("rules_date"), "{{ opening.rules_date.isoformat() }}")]]))
        with b.when("opening.refund"):
            b.table([80, 80], header=[lp("refund_threshold"), lp("refund_share")], rows=[
                "{%tr for rf in opening.refund %}", ["{{ rf.sales | money }}", "{{ rf.share | pct }}"],
                "{%tr endfor %}"], align=[R, R])
        b.p("{{ opening.note }}", style="Caption")
        b.p("{{ opening.sources | join(labels.plan.sep) }}", style="Caption", bold_lead=lp("sources") + COLON)
    b.h(2, lp("readiness_title"))
    b.p(lp("readiness_intro"))
    b.p("{{ labels.status.met }} {{ readiness.met | num }}　{{ labels.status.missing }} "
        "{{ readiness.missing | num }}　{{ labels.status.na }} {{ readiness.not_applicable | num }}",
        bold_lead=lp("readiness") + COLON)
    status = ("{% cellbg 'E3F1E6' if it.status == 'met' else ('FCEFD6' if it.status == 'missing' "
              "else 'F2F2F2') %}{{ labels.status[it.status] }}")
    b.table([44, 20, 96], header=[lp("item"), lp("status"), lp("evidence")], rows=[
        "{%tr for it in readiness.items %}",
        ["{{ it.title }}", status,
         "{% if it.status == 'missing' %}{{ it.advice or '' }}{% else %}{{ it.evidence or '' }}{% endif %}"],
        "{%tr endfor %}"], align=[L, C, L])
    with b.when("warnings"):
        b.h(2, lp("warnings"))
        b.p(lp("warnings_intro"))
        b.bullets("wn in warnings", "{{ wn.message }}")


def write_content(b: Builder) -> None:
    for section in (cover, contents, summary, brand_company, market, targets, strategies, products,
                    roadmap, promotion, economics, team, service, risks, appendix):
        section(b)


def build(out: Path, *, force: bool = False) -> None:
    """Write the default plan to *out*; refuse to replace a hand edit unless *force*."""
    theme = (yaml.safe_load((PACK / "pack.yaml").read_text(encoding="utf-8")) or {}).get("theme", {})
    doc = Document()
    for para in list(doc.paragraphs):
        para._p.getparent().remove(para._p)
    define_styles(doc, theme)
    page_setup(doc)
    write_content(Builder(doc))
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # python-docx's blank-page preview would mislead
            del package.rels[rid]
    core = doc.core_properties
    core.title, core.author = "Annual operation plan (planforge default template)", "planforge"
    buf = io.BytesIO()
    doc.save(buf)
    write_generated(out, _fixed_times(buf.getvalue()), force=force)


def _fixed_times(data: bytes) -> bytes:
    # python-docx stamps the zip entries with the time of day; fixed ones keep reruns identical.
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


if __name__ == "__main__":
    force, rest = force_flag()
    target = Path(rest[0]) if rest else PACK / "plan.docx"
    build(target, force=force)
    print(f"wrote {target}")
