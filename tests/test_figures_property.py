"""For generated specs, the deck and the plan agree with each other and with their own totals.

Every figure that both documents print (the monthly, quarterly and channel budget tables) is
the same string in both, and every printed total is the sum of its printed parts: GMV, budgets
and shares of the months and quarters, orders and visitors, channels by quarter. Amounts are
generated in whole hundreds of yuan, the precision a Chinese document prints (0.01万).
"""

from __future__ import annotations

import io
from decimal import Decimal

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation

import planforge

HUNDREDS = st.integers(0, 80_000).map(lambda n: n * 100)  # at most 800万 a month: below 1亿
CHANNELS = ["直通车", "引力魔方", "淘宝客", "Live streaming", "Search ads"]


@st.composite
def specs(draw) -> dict:
    year = 2027
    spec: dict = {"planforge": 1, "meta": {"year": year,
                                           "locale": draw(st.sampled_from(["zh-CN", "en"]))},
                  "brand": {"name": "Figures"}, "company": {"name": "Figures Co."}}
    if draw(st.booleans()):
        count = draw(st.integers(1, 12))
        start = draw(st.integers(1, 13 - count))
        gmvs = draw(st.lists(HUNDREDS, min_size=count, max_size=count))
        with_budget = draw(st.booleans())
        months = []
        for i, g in enumerate(gmvs):
            month = {"month": f"{year}-{start + i:02d}", "gmv": g}
            if with_budget:
                month["budget"] = draw(st.integers(0, g // 100)) * 100
            months.append(month)
        targets: dict = {"annual_gmv": sum(gmvs), "months": months}
        if with_budget:
            targets["annual_budget"] = sum(m["budget"] for m in months)
        elif draw(st.booleans()):
            targets["annual_budget"] = draw(HUNDREDS)
    else:
        gmv = draw(st.integers(1, 900_000)) * 100
        targets = {"annual_gmv": gmv}
        if draw(st.booleans()):
            targets["annual_budget"] = draw(st.integers(0, gmv // 100)) * 100
    if draw(st.booleans()):
        targets["funnel"] = {"average_order_value": draw(st.integers(1, 3000)),
                             "conversion_rate": draw(st.sampled_from(["2.8%", "3%", "0.5%"]))}
    spec["targets"] = targets
    quarters = draw(st.lists(st.sampled_from(["Q1", "Q2", "Q3", "Q4"]), unique=True, max_size=4))
    roadmap = []
    for q in sorted(quarters):
        names = draw(st.lists(st.sampled_from(CHANNELS), unique=True, max_size=3))
        roadmap.append({"quarter": q, "budget": [
            {"channel": n, "amount": draw(st.integers(0, 5_000)) * 100} for n in names]})
    if roadmap:
        spec["roadmap"] = roadmap
    return spec


def number(text: str) -> Decimal | None:
    """Read back a printed figure: 6.25万, 1.2亿, 9,800元, ¥1,234, 12.50%, 4.00, 1,234, —."""
    text = text.strip()
    if text in ("—", ""):
        return None
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("-").replace("¥", "").replace(",", "")
    for unit, scale in (("亿", Decimal(10) ** 8), ("万", Decimal(10) ** 4), ("元", 1), ("%", 1)):
        if text.endswith(unit):
            return sign * Decimal(text[: -len(unit)]) * scale
    return sign * Decimal(text)


def deck_tables(data: bytes) -> dict[str, list[list[str]]]:
    """The rows of each named table of the deck, continued pages appended in order."""
    tables: dict[str, list[list[str]]] = {}
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_table:
                rows = [[c.text.strip() for c in row.cells] for row in shape.table.rows]
                known = tables.setdefault(shape.name, [])
                tables[shape.name] = known + (rows if not known else rows[1:])
    return tables


def plan_table(document, header: list[str]) -> list[list[str]] | None:
    for table in document.tables:
        rows = [[c.text.strip() for c in row.cells] for row in table.rows]
        if rows and rows[0][: len(header)] == header:
            return rows
    return None


def assert_adds_up(rows: list[list[str]], columns: range, what: str) -> None:
    """The last row is the total of the rows between the header and it, column by column."""
    parts, total = rows[1:-1], rows[-1]
    for col in columns:
        values = [number(r[col]) for r in parts]
        if total[col] in ("", "—") or any(v is None for v in values):
            continue
        assert sum(values, Decimal(0)) == number(total[col]), (what, col, [r[col] for r in rows])


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(specs())
def test_both_documents_print_the_same_figures_and_their_totals_add_up(spec):
    docs = planforge.render(spec, formats=("pptx", "docx"))
    deck = deck_tables(docs.files["pptx"])
    plan = docx.Document(io.BytesIO(docs.files["docx"]))
    labels = docs.plan.meta.locale

    months = deck["Months"]
    head = months[0]
    plan_months = plan_table(plan, [head[0]])
    assert plan_months is not None, labels
    assert len(plan_months) == len(months)
    # Month, GMV, share (and budget, ratio, ROI when the months have budgets) in both.
    width = len(head)
    for ours, theirs in zip(months[1:], plan_months[1:]):
        assert ours[0] == theirs[0] and ours[1] == theirs[1] and ours[2] == theirs[2]
        if width > 3:
            assert ours[3:6] == theirs[3:6]
    assert_adds_up(months, range(1, width) if width <= 3 else range(1, 4), "deck months")
    assert_adds_up(plan_months, range(1, 4), "plan months")
    assert_adds_up(plan_months, range(6, 8), "plan orders and visitors")
    assert number(months[-1][2]) in (100, None)

    quarters = deck["Quarters"]
    plan_quarters = next(t for t in plan.tables if len(t.rows[0].cells) == 8
                         and t.rows[0].cells[0].text.strip() != head[0])
    plan_quarters = [[c.text.strip() for c in row.cells] for row in plan_quarters.rows]
    assert [r[1:3] for r in quarters[1:]] == [r[1:3] for r in plan_quarters[1:]]
    assert_adds_up(quarters, range(1, 3), "deck quarters")
    assert_adds_up(plan_quarters, range(1, 4), "plan quarters")
    assert_adds_up(plan_quarters, range(6, 8), "plan quarters' orders and visitors")

    funnel = deck.get("Funnel by quarter")
    if funnel:  # the deck's funnel prints the plan's year orders and visitors
        assert_adds_up(funnel, range(1, 4), "deck funnel")
        assert funnel[-1][2:4] == [plan_months[-1][7], plan_months[-1][6]]

    if docs.plan.channel_budget:
        channels = deck["Budget by channel"]
        plan_channels = plan_table(plan, [channels[0][0]])
        assert plan_channels is not None
        assert [r[:7] for r in channels[1:]] == [r[:7] for r in plan_channels[1:]]
        assert_adds_up(channels, range(1, 7), "deck channels")
        for row in channels[1:-1]:  # each channel's quarters add up to its total
            values = [number(v) for v in row[1:5]]
            if None not in values:
                assert sum(values, Decimal(0)) == number(row[5]), row
        assert number(channels[-1][5]) is not None
    else:
        assert "Budget by channel" not in deck
