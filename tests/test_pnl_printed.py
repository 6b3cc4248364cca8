"""The printed P&L adds up as printed: months to the year, quarters to the year, in one unit.

The contract economics spec's documents are built and their P&L tables read back cell by cell:
every printed money line's months (plan) and quarters (plan and deck) add up to the printed
year exactly, the cumulative result is the running sum of the printed months, and each table
prints its money in one unit (万 in zh-CN, never 元 beside 万).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from docx import Document
from pptx import Presentation

from conftest import SHARED_SPECS, needs_shared
from planforge.api import build
from planforge.fmt import money_brief
from planforge.model.allocate import round_parts

ECON = SHARED_SPECS / "contract-economics.zh.yaml"
_MONEY = re.compile(r"^(-?)(\d[\d,]*(?:\.\d+)?)万$")


def _parse(cell: str) -> Decimal:
    if cell == "0":
        return Decimal(0)
    m = _MONEY.match(cell)
    assert m, f"not an amount in 万: {cell!r}"
    value = Decimal(m.group(2).replace(",", "")) * 10_000
    return -value if m.group(1) else value


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    out = tmp_path_factory.mktemp("pnl")
    build(ECON, out)
    return out / f"{ECON.stem}.docx", out / f"{ECON.stem}.pptx"


def _plan_tables(docx):
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(docx)).tables]


@needs_shared
def test_the_plans_monthly_pnl_adds_up_as_printed(documents):
    tables = [t for t in _plan_tables(documents[0]) if t[0][0] == "月份" and "经营利润" in t[0]]
    assert len(tables) == 1
    head, *months, year = tables[0]
    assert len(months) == 12 and year[0] == "全年"
    for col in range(1, len(head)):
        if head[col] == "累计经营结果":
            continue
        parts = [_parse(row[col]) for row in months]
        assert sum(parts) == _parse(year[col]), f"{head[col]}: months {parts} vs {year[col]}"
    # The cumulative result runs over the printed months' results and ends at the year's.
    result, cumulative = head.index("经营利润"), head.index("累计经营结果")
    running = Decimal(0)
    for row in months:
        running += _parse(row[result])
        assert _parse(row[cumulative]) == running
    assert year[cumulative] == year[result] == "35.99万"


def _quarter_rows(rows):
    head, *body = rows
    assert head[1:6] == ["Q1", "Q2", "Q3", "Q4", "全年"]
    return [r for r in body if r[1].endswith("万") or r[1] == "0"]


def _check_quarters(rows):
    money = _quarter_rows(rows)
    assert len(money) >= 13  # every money line of the statement
    for row in money:
        assert sum(_parse(c) for c in row[1:5]) == _parse(row[5]), row


@needs_shared
def test_the_plans_quarterly_pnl_adds_up_as_printed(documents):
    tables = [t for t in _plan_tables(documents[0]) if t[0][0] == "项目" and "Q1" in t[0]]
    assert len(tables) == 1
    _check_quarters(tables[0])


@needs_shared
def test_the_decks_quarterly_pnl_adds_up_as_printed(documents):
    deck = Presentation(str(documents[1]))
    tables = [
        [[c.text for c in row.cells] for row in s.table.rows]
        for slide in deck.slides
        for s in slide.shapes
        if s.name == "P&L by quarter"
    ]
    assert len(tables) == 1
    _check_quarters(tables[0])


@needs_shared
def test_payment_fees_print_in_wan_like_the_other_rows(documents):
    tables = [t for t in _plan_tables(documents[0]) if t[0][0] == "项目" and "Q1" in t[0]]
    fees = next(r for r in tables[0] if r[0] == "支付手续费")
    assert all(c.endswith("万") for c in fees[1:6]), fees
    assert not any("元" in c for t in tables for r in t for c in r[1:6])


def test_money_brief_keeps_one_unit():
    assert money_brief(3864) == "0.39万" and money_brief(26_500) == "2.65万"
    assert money_brief(3864, "en") == "¥3.9K" and money_brief(26_500, "en") == "¥26.5K"
    assert money_brief(49) == "0" and money_brief(-49, "en") == "¥0"
    assert money_brief(-83_150) == "-8.32万"


def test_round_parts_adds_up_to_the_rounded_total():
    parts = [Decimal("3598.5"), Decimal("3598.5"), Decimal("3598.5")]  # 10,795.5 -> 10,800
    assert round_parts(parts, 100) == [Decimal(3600), Decimal(3600), Decimal(3600)]
    mixed = [Decimal("-39180.4"), Decimal("12049.6"), Decimal("387030.9")]
    got = round_parts(mixed, 100)
    assert sum(got) == Decimal(359900) and all(abs(g - m) < 100 for g, m in zip(got, mixed))
    assert round_parts([Decimal("149"), Decimal("149")], 100, Decimal(300)) == [200, 100]
    with pytest.raises(ValueError):
        round_parts([Decimal(100)], 100, Decimal(300))


def test_the_printed_funding_need_is_the_one_check_reports_rounded(tmp_path):
    # The documents' running total is the exact one rounded, so the deepest loss and the funding
    # they print are what `check` reports, rounded. Summing the allocated months instead gave
    # "Funding need ¥136.5K" beside check's ¥136,562.49 for this example.
    from conftest import EXAMPLES
    from planforge.api import load_plan
    from planforge.report import economics_report

    spec = EXAMPLES / "ironleaf-cookware.en.yaml"
    exact = economics_report(load_plan(spec))
    need = money_brief(Decimal(exact["funding_need"]), "en")
    deepest = money_brief(Decimal(exact["deepest"]), "en")
    build(spec, tmp_path, formats="pptx,docx")
    plan = "\n".join(p.text for p in Document(str(tmp_path / f"{spec.stem}.docx")).paragraphs)
    assert f"Funding need: {need} (Deepest cumulative loss {deepest}" in plan
    deck = Presentation(str(tmp_path / f"{spec.stem}.pptx"))
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    assert any(need in t and "Funding need" in t for t in texts), need
