"""The default deck: what a reviewer sees, for the contract specs and a stress case."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pptx import Presentation

from planforge.api import load_plan
from planforge.fmt import filters_for
from planforge.packs import find_pack
from planforge.render.context import build_context
from planforge.render.deck import render_deck
from planforge.render.env import make_env

from conftest import CONTRACT_FULL, CONTRACT_MINIMAL, ROOT, needs_shared

PACK = ROOT / "templates" / "default"
STRESS = ROOT / "tests" / "cases" / "stress" / "spec.yaml"

FULL_TITLES = [
    "青岚茶业天猫旗舰店入驻方案及2027年度运营计划", "目录", "入驻优势概览",
    "品牌介绍", "商标、荣誉与专利", "运营公司", "销售渠道",
    "团队架构与职责", "团队架构与职责（续）", "主营产品", "主营产品", "主营产品（续）",
    "产品结构", "市场概况", "目标客群", "竞品分析", "价格带分布", "SWOT分析", "九大定位策略",
    "年度目标", "月度成交与推广预算", "流量与转化目标", "季度运营规划",
    "年度重点任务甘特图", "推广渠道与预算分配", "分渠道季度预算", "推广渠道",
    "重点营销活动", "服务体系", "会员体系", "风险与应对", "感谢审阅",
]
MINIMAL_TITLES = [
    "Northwind Kitchen Tmall Entry Proposal and 2027 Operation Plan", "Contents", "Annual targets",
    "Monthly GMV and budget", "Thank you",
]


def build(spec: Path):
    """Render the default deck for *spec*; return (plan, Presentation, warnings)."""
    plan = load_plan(spec)
    pack = find_pack(str(PACK))
    locale = plan.meta.locale
    context = build_context(plan, pack, locale)
    data, warnings = render_deck(context, pack.root, make_env(locale, filters=filters_for(locale)))
    return plan, Presentation(io.BytesIO(data)), warnings, data


@pytest.fixture(scope="module")
def full():
    if not CONTRACT_FULL.is_file():
        pytest.skip("../shared/specs is not beside this checkout")
    return build(CONTRACT_FULL)


def titles(prs) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]


def slide_texts(slide) -> list[str]:
    """Every text a viewer reads on the slide: shapes, groups and table cells."""
    out = []

    def walk(shapes):
        for sh in shapes:
            if sh.shape_type == 6:  # group
                walk(sh.shapes)
            elif getattr(sh, "has_table", False) and sh.has_table:
                out.extend(c.text for row in sh.table.rows for c in row.cells)
            elif sh.has_text_frame:
                out.append(sh.text_frame.text)

    walk(slide.shapes)
    return out


def all_text(prs) -> str:
    return "\n".join(t for s in prs.slides for t in slide_texts(s))


def table_rows(slide, name: str) -> list[list[str]]:
    for sh in slide.shapes:
        if sh.name == name and sh.has_table:
            return [[c.text for c in row.cells] for row in sh.table.rows]
    raise AssertionError(f"no table {name!r} on the slide")


def chart_series(slide, name: str) -> dict[str, list[float]]:
    for sh in slide.shapes:
        if sh.name == name and sh.has_chart:
            return {s.name: list(s.values) for plot in sh.chart.plots for s in plot.series}
    raise AssertionError(f"no chart {name!r} on the slide")


def wan(values) -> list[float]:
    return [float(Decimal(v) / 10000) for v in values]


def assert_clean(prs) -> None:
    """No leftover tags, no printed None, no empty title on any slide."""
    for number, slide in enumerate(prs.slides, 1):
        for text in slide_texts(slide):
            assert "{{" not in text and "{%" not in text, (number, text)
            assert "None" not in text, (number, text)
        assert slide.shapes.title is None or slide.shapes.title.text.strip(), number


# -- the full contract spec ------------------------------------------------------------------------

@needs_shared
def test_full_deck_has_a_slide_per_topic_in_order(full):
    plan, prs, warnings, _ = full
    assert titles(prs) == FULL_TITLES
    assert warnings == []
    assert_clean(prs)


@needs_shared
def test_full_cover_shows_title_brand_preparer_date_and_confidential_mark(full):
    _, prs, _, _ = full
    cover = "\n".join(slide_texts(prs.slides[0]))
    for text in ("青岚", "一叶高山，一杯清岚", "福建青岚茶业有限公司 电商部", "2026年12月1日",
                 "商业机密", "旗舰店", "茶 / 乌龙茶"):
        assert text in cover
    assert any(sh.shape_type == 13 for sh in prs.slides[0].shapes), "the logo picture is missing"


@needs_shared
def test_full_figures_come_from_the_model(full):
    plan, prs, _, _ = full
    slides = {t: s for t, s in zip(titles(prs), prs.slides)}
    tiles = "\n".join(slide_texts(slides["年度目标"]))
    for text in ("600万", "150万", "25.00%", "4.00", "店铺DSR", "0.5%"):
        assert text in tiles
    months = table_rows(slides["月度成交与推广预算"], "Months")
    assert months[0][:4] == ["月份", "GMV", "占比", "推广预算"]
    assert ["11月", "110万", "18.33%", "30万", "27.27%", "3.67"] in months
    # The printed shares add up to exactly 100% (allocated, not rounded one by one).
    assert sum(Decimal(row[2].rstrip("%")) for row in months[1:-1]) == 100
    assert ["5月", "40万", "6.67%", "10万", "25.00%", "4.00"] in months  # one precision a column
    assert months[-1][:2] == ["全年", "600万"]
    series = chart_series(slides["月度成交与推广预算"], "chart:monthly")
    assert list(series.values()) == [wan(m.gmv for m in plan.targets.months),
                                     wan(m.budget for m in plan.targets.months)]
    funnel = chart_series(slides["流量与转化目标"], "chart:funnel")
    assert list(funnel.values()) == [[float(m.visitors) for m in plan.targets.months],
                                     [float(m.orders) for m in plan.targets.months]]
    channels = chart_series(slides["推广渠道与预算分配"], "chart:channels")
    # The doughnut plots the shares the table prints (allocated, adding up to 100%).
    assert list(channels.values()) == [[float(c.share) for c in plan.channel_budget]]
    budget = table_rows(slides["分渠道季度预算"], "Budget by channel")
    assert ["直通车", "10万", "14万", "10万", "20万", "54万", "36.00%"] in budget
    assert sum(Decimal(row[6].rstrip("%")) for row in budget[1:-1]) == 100
    assert budget[-1][0] == "合计" and budget[-1][5] == "150万"


@needs_shared
def test_full_tables_list_every_item(full):
    plan, prs, _, _ = full
    text = all_text(prs)
    items = ([m.role for m in plan.team.members] + [p.name for p in plan.products]
             + [c.name for c in plan.market.competitors] + [r.risk for r in plan.risks]
             + [s.text for s in plan.strategy] + [e.name for e in plan.promotion.events])
    for item in items:
        assert item in text
    roadmap = table_rows(prs.slides[titles(prs).index("季度运营规划")], "Roadmap")
    assert [row[0] for row in roadmap] == ["季度", "Q1", "Q2", "Q3", "Q4"]


@needs_shared
def test_full_paginated_slides_say_continued(full):
    _, prs, _, _ = full
    names = titles(prs)
    assert names.index("团队架构与职责（续）") == names.index("团队架构与职责") + 1
    team = table_rows(prs.slides[names.index("团队架构与职责")], "Team")
    more = table_rows(prs.slides[names.index("团队架构与职责（续）")], "Team")
    assert len(team) - 1 + len(more) - 1 == 7


# -- the minimal contract spec -----------------------------------------------------------------------

@needs_shared
def test_minimal_deck_leaves_out_what_the_spec_lacks():
    plan, prs, warnings, _ = build(CONTRACT_MINIMAL)
    assert titles(prs) == MINIMAL_TITLES
    assert warnings == []
    assert_clean(prs)
    text = all_text(prs)
    assert "¥2,500,000" in text
    assert "Confidential" not in text
    targets = prs.slides[2]
    assert [sh.name for sh in targets.shapes if sh.has_table] == ["Quarters"], "empty KPI table left"
    series = chart_series(prs.slides[3], "chart:monthly")
    assert list(series.values()) == [[float(m.gmv) for m in plan.targets.months]]


# -- stress: 30 products, long texts, markup characters and emoji -------------------------------------

def test_stress_deck_builds_without_cutting_or_losing_text():
    plan, prs, warnings, _ = build(STRESS)
    assert warnings == [], "text was cut to fit"
    assert_clean(prs)
    text = all_text(prs)
    for product in plan.products:
        assert product.name in text
        for point in product.selling_points:
            assert point in text
    for kpi in plan.targets.kpis:
        assert kpi.name in text
    assert 'A&B <tag> "双引号" \'单引号\' 🍵' in text
    names = titles(prs)
    assert names.count("主营产品") == 4          # 3 with images, then the first grid page
    assert names.count("主营产品（续）") == 8     # 27 more, three per slide
    assert "考核指标（续）" in names


# -- the pack itself ---------------------------------------------------------------------------------

def test_every_deck_label_exists_in_both_locales():
    used = set(re.findall(r"labels\.deck\.(\w+)", _template_xml()))
    for locale in ("zh-CN", "en"):
        labels = yaml.safe_load((PACK / "locales" / locale / "deck.yaml").read_text("utf-8"))["deck"]
        assert used <= set(labels), (locale, sorted(used - set(labels)))


def test_template_is_16_9_with_east_asian_theme_fonts():
    prs = Presentation(str(PACK / "deck.pptx"))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    theme = _part(PACK / "deck.pptx", "ppt/theme/theme1.xml")
    assert '<a:ea typeface="Microsoft YaHei"/>' in theme
    names = {sh.name for s in prs.slides for sh in s.shapes}
    for bound in ("chart:monthly", "chart:channels", "chart:segments", "chart:funnel",
                  "gantt:gantt", "image:brand.logo"):
        assert bound in names


@pytest.mark.libreoffice
@needs_shared
def test_full_deck_converts_to_pdf_with_a_page_per_slide(full):
    from planforge.pdf import to_pdf

    _, prs, _, data = full
    pdf = to_pdf(data, ".pptx")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == len(prs.slides)


def _part(path: Path, name: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def _template_xml() -> str:
    import zipfile

    with zipfile.ZipFile(PACK / "deck.pptx") as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
