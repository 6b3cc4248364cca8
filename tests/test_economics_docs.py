"""The economics slide, the paid-channel slide and the plan's P&L chapter, in both packs.

Each figure the documents print is checked against the model's, formatted the way the pack's
filters print it; charts are checked to be native and to plot what the tables print.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from planforge.api import build, load_plan
from planforge.fmt import money_brief, ratio
from planforge.model.economics import printed_economics

from tests.test_economics import ZHIYUN

EN = (ZHIYUN.replace("locale: zh-CN", "locale: en").replace("title: 织云家纺", "title: Zhiyun")
      .replace("直通车", "Search ads").replace("引力魔方", "Display ads").replace("淘宝客", "Affiliates"))


def built(tmp_path: Path, text: str, template: str | None = None, formats=("pptx", "docx")):
    spec = tmp_path / "zhiyun.yaml"
    spec.write_text(text, encoding="utf-8")
    build(spec, tmp_path / "out", template=template, formats=formats)
    return load_plan(spec), tmp_path / "out" / "zhiyun.pptx", tmp_path / "out" / "zhiyun.docx"


def slide_titled(deck: Path, title: str):
    for slide in Presentation(str(deck)).slides:
        if slide.shapes.title is not None and slide.shapes.title.text_frame.text == title:
            return slide
    return None


def table_rows(shape) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in shape.table.rows]


def shape(slide, name: str):
    return next(s for s in slide.shapes if s.name == name)


@pytest.mark.parametrize("text, template, title, loc", [
    (ZHIYUN, None, "经营测算", "zh-CN"), (EN, None, "Economics", "en"), (EN, "mono", "Economics", "en"),
])
def test_the_economics_slide_prints_the_models_pnl(tmp_path, text, template, title, loc):
    plan, deck, _ = built(tmp_path, text, template)
    slide = slide_titled(deck, title)
    assert slide is not None
    rows = table_rows(shape(slide, "P&L by quarter"))
    printed = printed_economics(plan.economics)  # to 100 yuan, quarters adding up to the year
    year = printed.year
    by_label = {r[0]: r for r in rows[1:]}
    result = by_label["经营利润" if loc == "zh-CN" else "Operating result"]
    quarters = {q.label: q for q in printed.quarters}
    assert result[1:6] == [money_brief(quarters[q].operating_result, loc) for q in
                           ("Q1", "Q2", "Q3", "Q4")] + [money_brief(year.operating_result, loc)]
    be = by_label["盈亏平衡ROI" if loc == "zh-CN" else "Break-even ROI"]
    assert be[5] == ratio(plan.economics.break_even_roi) == "2.24"
    chart = shape(slide, "chart:pnl_waterfall").chart
    assert chart.chart_type is not None and len(chart.plots[0].categories) == 11
    base, total, cost, below = (list(s.values) for s in chart.plots[0].series)
    scale = 10_000 if loc == "zh-CN" else 1
    step = 0.005 if loc == "zh-CN" else 0.005 * scale  # charts plot 万 to the two places printed
    assert total[0] == pytest.approx(float(year.gmv) / scale, abs=step)
    assert total[-1] == pytest.approx(float(year.operating_result) / scale, abs=step)
    # Each cost bar hangs from where the previous bar ended: base + cost = the level before.
    level = total[0]
    for i in range(1, 11):
        if total[i]:
            level = total[i]
            continue
        assert base[i] + cost[i] == pytest.approx(level, abs=3 * step)
        level = base[i] + below[i]
    assert "2.24" in "".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


@pytest.mark.parametrize("text, template, title, loc", [
    (ZHIYUN, None, "付费渠道投放测算", "zh-CN"), (EN, "mono", "What paid channels buy", "en"),
])
def test_the_paid_channel_slide(tmp_path, text, template, title, loc):
    plan, deck, _ = built(tmp_path, text, template)
    slide = slide_titled(deck, title)
    rows = table_rows(shape(slide, "Paid channels"))
    first = rows[1]
    assert first[0] in ("直通车", "Search ads")
    assert first[3] == "224,000" and first[4] == "4,480"
    assert first[5] == money_brief(1_792_000, loc) and first[6] == ratio(3.2) == "3.20"
    assert rows[-1][5] == money_brief(plan.paid.gmv, loc)
    split = shape(slide, "chart:paid_split").chart
    values = list(split.plots[0].series[0].values)
    assert values == pytest.approx([0.7075, 0.2925])  # the shares the tiles print
    tiles = "".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "70.75%" in tiles and "168,000" in tiles


@pytest.mark.parametrize("text, template, loc", [(ZHIYUN, None, "zh-CN"), (EN, None, "en"),
                                                 (EN, "mono", "en")])
def test_the_plan_has_a_pnl_chapter_and_the_paid_channel_table(tmp_path, text, template, loc):
    plan, _, docx = built(tmp_path, text, template)
    doc = Document(str(docx))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert ("经营测算" if loc == "zh-CN" else "Economics") in headings
    texts = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    months = [r for r in texts if r and r[0] in (("1月", "12月") if loc == "zh-CN" else ("Jan", "Dec"))
              and len(r) == 8]
    months = [r for r in months if not r[2].endswith("%")]  # not the monthly targets table
    assert len(months) == 2
    assert months[-1][-1] == money_brief(plan.economics.year.operating_result, loc)
    assert months[-1][-1] == money_brief(printed_economics(plan.economics).year.operating_result,
                                         loc)
    through = [r for r in texts if r and r[0] in ("直通车", "Search ads") and len(r) == 8]
    assert through and through[0][5] == money_brief(1_792_000, loc)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert money_brief(printed_economics(plan.economics).funding_need, loc) in body
    names = zipfile.ZipFile(docx).namelist()
    charts = [zipfile.ZipFile(docx).read(n) for n in names if re.fullmatch(r"word/charts/chart\d+\.xml", n)]
    assert any(b"<c:lineChart>" in c for c in charts)


def test_without_economics_there_is_no_pnl_and_no_paid_slide(tmp_path):
    plain = ZHIYUN.split("economics:")[0] + "roadmap:" + ZHIYUN.split("roadmap:")[1]
    plain = re.sub(r", (cpc|cpm|ctr|cvr|commission_rate): [^,}]+", "", plain)
    plan, deck, docx = built(tmp_path, plain)
    assert plan.economics is None and plan.paid is None
    assert slide_titled(deck, "经营测算") is None and slide_titled(deck, "付费渠道投放测算") is None
    doc = Document(str(docx))
    assert "经营测算" not in [p.text for p in doc.paragraphs]
    assert "{{" not in "".join(p.text for p in doc.paragraphs)


@pytest.mark.libreoffice
def test_libreoffice_renders_the_economics_pages(tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDFs")
    plan, deck, docx = built(tmp_path, ZHIYUN, formats=("pptx", "docx", "pdf"))
    out = tmp_path / "out"
    deck_text = subprocess.run(["pdftotext", str(out / "zhiyun-deck.pdf"), "-"], capture_output=True,
                               text=True, check=True).stdout
    plan_text = subprocess.run(["pdftotext", str(out / "zhiyun-plan.pdf"), "-"], capture_output=True,
                               text=True, check=True).stdout
    for text in (deck_text, plan_text):
        flat = re.sub(r"\s+", "", text)  # the PDF's text layer puts spaces between runs
        assert "盈亏平衡ROI2.24" in flat
        funding = printed_economics(plan.economics).funding_need  # the printed months' deepest
        assert "资金需求" + money_brief(funding) in flat.replace("：", "")
        assert "{{" not in text
    assert "付费渠道投放测算" in deck_text and "月度损益" in plan_text
