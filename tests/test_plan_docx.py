"""The default annual operation plan (.docx): outline, figures, native charts, TOC, safety."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.enum.shape import WD_INLINE_SHAPE
from docx.oxml.ns import qn
from lxml import etree

from planforge.api import load_plan
from planforge.errors import TemplateError
from planforge.fmt import filters_for
from planforge.packs import find_pack
from planforge.render.context import build_context
from planforge.render.docx import render_plan
from planforge.render.env import make_env

from conftest import CONTRACT_FULL, CONTRACT_MINIMAL, ROOT, needs_shared

PACK = ROOT / "templates" / "default"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

FULL_HEADINGS = [
    (1, "计划摘要"), (1, "品牌与公司"), (2, "品牌介绍"), (3, "品牌文化"), (2, "商标与品牌背书"),
    (2, "运营公司"), (2, "现有销售渠道"), (1, "市场分析"), (2, "目标人群"), (2, "竞争对手分析"),
    (2, "价格带分布"), (2, "SWOT 分析"), (1, "年度销售目标"), (2, "月度目标"), (2, "季度目标"), (2, "关键考核指标（KPI）"),
    (1, "运营策略"), (1, "产品规划"), (2, "产品线与毛利"), (2, "产品结构"), (2, "重点产品"),
    (1, "季度运营计划"), (2, "重点任务排期"), (2, "第一季度 · 建设期"), (2, "第二季度 · 发展期"),
    (2, "第三季度 · 完善期"), (2, "第四季度 · 成熟期"), (1, "推广计划与预算"), (2, "推广渠道"),
    (2, "渠道预算（按季度）"), (2, "重点营销活动"), (1, "团队与分工"), (1, "客户服务与会员体系"),
    (2, "客服体系"), (2, "会员体系"), (1, "风险与应对"), (1, "附录"), (2, "入驻资质预检"),
    (2, "开店成本"), (2, "天猫入驻准备度"),
]
MINIMAL_HEADINGS = [
    (1, "Summary"), (1, "Brand and Company"), (2, "The brand"), (2, "Operating company"),
    (1, "Annual Targets"), (2, "Monthly targets"), (2, "Quarterly targets"), (1, "Appendix"),
    (2, "Entry pre-flight"), (2, "Cost of opening"), (2, "Tmall entry readiness"),
]


def build(spec: Path, template: Path | None = None):
    """Render the default plan for *spec*; return (plan, context, Document, bytes, notes)."""
    plan = load_plan(spec)
    pack = find_pack(str(PACK))
    locale = plan.meta.locale
    context = build_context(plan, pack, locale)
    env = make_env(locale, filters=filters_for(locale), autoescape=True)
    data, notes = render_plan(context, template or pack.root, env, plan.base_dir)
    return plan, context, Document(io.BytesIO(data)), data, notes


@pytest.fixture(scope="module")
def full():
    if not CONTRACT_FULL.is_file():
        pytest.skip("../shared/specs is not beside this checkout")
    return build(CONTRACT_FULL)


@pytest.fixture(scope="module")
def minimal():
    if not CONTRACT_MINIMAL.is_file():
        pytest.skip("../shared/specs is not beside this checkout")
    return build(CONTRACT_MINIMAL)


def headings(doc) -> list[tuple[int, str]]:
    out = []
    for p in doc.paragraphs:
        m = re.fullmatch(r"Heading(\d)", p.style.style_id or "")
        if m and p.text.strip():
            out.append((int(m.group(1)), p.text.strip()))
    return out


def all_text(doc) -> str:
    body = doc.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def table_rows(doc, first_header: str) -> list[list[str]]:
    """The text rows of the first table whose top-left cell reads *first_header*."""
    for table in doc.tables:
        if table.rows and table.rows[0].cells[0].text.strip() == first_header:
            return [[c.text.strip() for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table starting with {first_header!r}")


def charts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if re.fullmatch(r"word/charts/chart\d+\.xml", n)}


def series_of(space) -> list[tuple[str, list[str], list[Decimal]]]:
    out = []
    for ser in space.iter(f"{C}ser"):
        name = ser.find(f"{C}tx").findtext(f".//{C}v")
        cats = [v.text for v in ser.find(f"{C}cat").iter(f"{C}v")]
        vals = [Decimal(v.text) for v in ser.find(f"{C}val").iter(f"{C}v")]
        out.append((name, cats, vals))
    return out


# -- outline ------------------------------------------------------------------------------------

@needs_shared
def test_full_plan_has_every_section_in_order(full):
    _, _, doc, _, notes = full
    assert headings(doc) == FULL_HEADINGS
    assert notes == []


@needs_shared
def test_minimal_plan_leaves_out_missing_sections(minimal):
    _, _, doc, _, _ = minimal
    assert headings(doc) == MINIMAL_HEADINGS
    text = all_text(doc)
    assert "Northwind Kitchen Tmall Entry Proposal and 2027 Operation Plan" in text
    assert "SWOT" not in text and "{{" not in text and "{%" not in text


@needs_shared
def test_no_template_tags_survive(full):
    _, _, doc, data, _ = full
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                assert "{{" not in xml and "{%" not in xml, name


@needs_shared
def test_cover_and_header_show_the_spec(full):
    plan, _, doc, _, _ = full
    text = all_text(doc)
    assert plan.meta.title in text
    assert "编制：福建青岚茶业有限公司 电商部" in text
    assert "日期：2026年12月1日" in text
    assert "内部资料 · 注意保密" in text
    header = doc.sections[0].header.paragraphs[0].text
    assert header == f"青岚\t{plan.meta.title}"
    # The logo and the one product image, sized inside their boxes with the aspect kept.
    shapes = [s for s in doc.inline_shapes if s.type == WD_INLINE_SHAPE.PICTURE]
    assert len(shapes) == 2
    assert shapes[0].width <= 45 * 36000 and shapes[0].height <= 28 * 36000 + 1


# -- figures ------------------------------------------------------------------------------------

@needs_shared
def test_monthly_and_quarterly_tables_print_the_models_figures(full):
    plan, _, doc, _, _ = full
    f = filters_for("zh-CN")

    def figures(x):
        return [f["money"](x.gmv), f["pct"](x.share), f["money"](x.budget), f["pct"](x.budget_ratio),
                f["ratio"](x.roi), f["num"](x.orders), f["num"](x.visitors)]

    year = plan.targets.year
    rows = table_rows(doc, "月份")
    assert rows[1:] == [[f["month"](m.month)] + figures(m) for m in plan.targets.months] + \
        [["全年"] + figures(year)]
    # The year is the formula on the year (6,000,000 ÷ 268 = 22,388.06; ÷ (2.8% × 268) =
    # 799,573.6, rounded up), the months its parts, so their columns add up to it.
    assert rows[11] == ["11月", "110万", "18.33%", "30万", "27.27%", "3.67", "4,105", "146,589"]
    assert rows[-1] == ["全年", "600万", "100.00%", "150万", "25.00%", "4.00", "22,388", "799,574"]
    for col in (6, 7):
        assert sum(int(r[col].replace(",", "")) for r in rows[1:-1]) == \
            int(rows[-1][col].replace(",", ""))
    quarters = table_rows(doc, "季度")
    assert quarters[1] == ["第一季度", "85万", "14.17%", "25万"]
    assert quarters[-1] == ["全年", "600万", "100.00%", "150万"]
    detail = [r for t in doc.tables if t.rows[0].cells[0].text == "季度" and len(t.columns) == 8
              for r in [[c.text for c in row.cells] for row in t.rows]]
    assert detail[1:5] == [[q.label.replace("Q1", "第一季度").replace("Q2", "第二季度")
                            .replace("Q3", "第三季度").replace("Q4", "第四季度")] + figures(q)
                           for q in plan.targets.quarters]


@needs_shared
def test_channel_budget_and_products_match_the_model(full):
    plan, _, doc, _, _ = full
    f = filters_for("zh-CN")
    listed = [t for t in doc.tables if t.rows[0].cells[0].text == "渠道" and len(t.columns) == 3][0]
    assert [c.text for c in listed.rows[1].cells][:2] == ["直通车", "付费推广"]
    budget = [t for t in doc.tables if t.rows[0].cells[0].text == "渠道" and len(t.columns) == 7][0]
    cells = [[c.text for c in row.cells] for row in budget.rows]
    assert cells[0] == ["渠道", "第一季度", "第二季度", "第三季度", "第四季度", "合计", "预算占比"]
    for row, cb in zip(cells[1:], plan.channel_budget):
        assert row == [cb.channel] + [f["money"](v) for v in cb.by_quarter] + \
            [f["money"](cb.total), f["pct"](cb.share)]
    assert cells[-1][:6] == ["合计"] + [f["money"](v) for v in plan.channel_budget_by_quarter] + \
        [f["money"](plan.channel_budget_total)]
    products = table_rows(doc, "产品")
    first = plan.products[0]
    assert products[1] == [f"{first.name}\n{first.sku}", "爆款", "268元", "96元", "172元", "64.18%",
                           "3,200", "12,800"]
    assert [r[5] for r in products[1:]] == [f["pct"](p.gross_margin) for p in plan.products]


@needs_shared
def test_readiness_appendix_lists_every_item(full):
    plan, _, doc, _, _ = full
    rows = table_rows(doc, "项目")
    assert [r[0] for r in rows[1:]] == [i.title for i in plan.readiness.items]
    assert [r[1] for r in rows[1:]] == [{"met": "已具备", "missing": "待补充", "na": "不适用"}[i.status]
                                        for i in plan.readiness.items]


# -- native charts ------------------------------------------------------------------------------

@needs_shared
def test_charts_are_native_with_the_models_values_and_a_workbook(full):
    _, context, doc, data, _ = full
    parts = charts(data)
    assert len(parts) == 5  # segments pie, price bands, monthly, channels by quarter, channel pie
    found = {tuple(name for name, _, _ in series_of(space)): series_of(space) for space in parts.values()}
    monthly = context["charts"]["monthly"]
    series = found[tuple(s.name for s in monthly.series)]
    for (name, cats, vals), expected in zip(series, monthly.series):
        assert cats == monthly.categories
        assert vals == [Decimal(v) for v in expected.values]
    assert series[0][2][10] == Decimal(110)  # November GMV in 万
    by_quarter = context["charts"]["channels_by_quarter"]
    got = found[tuple(s.name for s in by_quarter.series)]
    assert [v for _, _, v in got] == [[Decimal(x) for x in s.values] for s in by_quarter.series]
    bands = context["charts"]["price_bands"]
    got = found[tuple(s.name for s in bands.series)]
    assert [v for _, _, v in got] == [[Decimal(x) for x in s.values] for s in bands.series]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
        for part in parts:
            assert f"/{part}" in types
            rels = etree.fromstring(z.read(part.replace("charts/", "charts/_rels/") + ".rels"))
            target = rels[0].get("Target").replace("../", "word/")
            assert target in names and target.endswith(".xlsx")
            ext = parts[part].find(f"{C}externalData")
            assert ext is not None and ext.get(R_ID) == rels[0].get("Id")
            with zipfile.ZipFile(io.BytesIO(z.read(target))) as book:
                assert "xl/worksheets/sheet1.xml" in book.namelist()
    # Each chart is drawn inline where the template asked for it.
    drawn = doc.element.body.findall(".//" + f"{C}chart")
    assert len(drawn) == 5
    rels = doc.part.rels
    assert all(rels[c.get(R_ID)].reltype.endswith("/chart") for c in drawn)


@needs_shared
def test_chart_without_data_is_left_out(minimal):
    _, context, doc, data, _ = minimal
    assert context["charts"]["channels"].categories == []
    parts = charts(data)
    assert len(parts) == 1
    (name, cats, vals), = series_of(next(iter(parts.values())))
    assert cats == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert sum(vals) == Decimal(2_500_000)


# -- contents, fonts ----------------------------------------------------------------------------

@needs_shared
def test_table_of_contents_lists_the_headings_with_live_page_references(full):
    _, _, doc, _, _ = full
    body = doc.element.body
    entries = [p for p in body.iter(qn("w:p"))
               if (p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
                   and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")).startswith("TOC")
                   and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) != "TOCHeading")]
    texts = [p.find(qn("w:hyperlink")).find(qn("w:r")).findtext(qn("w:t")) for p in entries]
    assert texts == [text for _, text in FULL_HEADINGS]
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    for p in entries:
        anchor = p.find(qn("w:hyperlink")).get(qn("w:anchor"))
        assert anchor in marks
        assert f"PAGEREF {anchor}" in "".join(t.text for t in p.iter(qn("w:instrText")))


def test_template_sets_east_asian_fonts_in_defaults_and_styles():
    doc = Document(str(PACK / "plan.docx"))
    styles = doc.styles.element
    default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert default.get(qn("w:eastAsia"))
    for sid in ("Normal", "Title", "Heading1", "Heading2", "Heading3"):
        style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{sid}']")
        fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None and fonts.get(qn("w:eastAsia")), sid
        assert fonts.get(qn("w:eastAsiaTheme")) is None, sid
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "TOC \\o" in "".join(t.text for t in doc.element.body.iter(qn("w:instrText")))


# -- safety -------------------------------------------------------------------------------------

@needs_shared
def test_spec_text_is_printed_as_written(tmp_path):
    shutil.copytree(CONTRACT_FULL.parent / "assets", tmp_path / "assets")
    spec = CONTRACT_FULL.read_text(encoding="utf-8")
    spec = spec.replace("slogan: 一叶高山，一杯清岚", 'slogan: "{{ 7*7 }} & <b>bold</b> {% if x %}"')
    spec = spec.replace("  name: 福建青岚茶业有限公司\n", '  name: "青岚 & Co <Ltd> \\"A\\""\n', 1)
    path = tmp_path / "spec.yaml"
    path.write_text(spec, encoding="utf-8")
    _, _, doc, _, _ = build(path)
    text = all_text(doc)
    assert "{{ 7*7 }} & <b>bold</b> {% if x %}" in text
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:]
    assert '青岚 & Co <Ltd> "A"' in text


@needs_shared
def test_unknown_name_in_template_names_file_and_paragraph(tmp_path):
    doc = Document(str(PACK / "plan.docx"))
    doc.add_paragraph("Owner: {{ meta.owner_name }}")
    bad = tmp_path / "plan.docx"
    doc.save(str(bad))
    with pytest.raises(TemplateError) as err:
        build(CONTRACT_MINIMAL, template=bad)
    message = str(err.value)
    assert "plan.docx" in message and "owner_name" in message and "Owner:" in message


def test_missing_template_is_a_template_error(tmp_path):
    env = make_env("en", filters=filters_for("en"), autoescape=True)
    with pytest.raises(TemplateError, match="no plan template"):
        render_plan({}, tmp_path, env, tmp_path)


# -- LibreOffice --------------------------------------------------------------------------------

@needs_shared
@pytest.mark.libreoffice
@pytest.mark.parametrize("spec", [CONTRACT_FULL, CONTRACT_MINIMAL], ids=["full", "minimal"])
def test_libreoffice_converts_the_plan_to_pdf(spec):
    from planforge.pdf import to_pdf

    _, _, _, data, _ = build(spec)
    pdf = to_pdf(data, ".docx")
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= (12 if spec == CONTRACT_FULL else 5)
    if shutil.which("pdftotext") and spec == CONTRACT_FULL:
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode("utf-8")
        numbers = re.findall(r"\.{5,}\s*(\d+)\s*$", text, re.M)
        # The contents page shows real page numbers, not the placeholder.
        assert len(numbers) >= 30 and len(set(numbers)) > 5
