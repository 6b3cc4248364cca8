"""The plan model: derived figures, consistency warnings, ad-law lint and readiness."""

from __future__ import annotations

import math
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from planforge.loader import load_spec, parse_spec
from planforge.model import build_model
from planforge.units import parse_money, parse_ratio

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "specs"
FULL = SHARED / "contract-full.zh.yaml"
MINIMAL = SHARED / "contract-minimal.en.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/specs is not here")

MINIMAL_TEXT = """\
planforge: 1
meta: {locale: en, year: 2027}
brand: {name: Acme}
company: {name: Acme Trading Ltd}
targets:
  annual_gmv: 2500000
"""


def plan_from(text: str, tmp_path: Path, name: str = "spec.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return build_model(parse_spec(path.read_text(encoding="utf-8"), path))


def months_text(gmv: list[str], budget: list[str], year: int = 2027) -> str:
    rows = [f'    - {{month: "{year}-{i + 1:02d}", gmv: {g}, budget: {b}}}'
            for i, (g, b) in enumerate(zip(gmv, budget))]
    return "\n".join(rows)


# -- the full contract spec ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def full():
    if not FULL.exists():
        pytest.skip("contract spec missing")
    return build_model(load_spec(FULL)), yaml.safe_load(FULL.read_text(encoding="utf-8"))


@needs_shared
def test_full_contract_year_figures_come_from_its_months(full):
    plan, raw = full
    t = raw["targets"]
    gmv = sum(parse_money(m["gmv"]) for m in t["months"])
    budget = sum(parse_money(m["budget"]) for m in t["months"])
    assert gmv == parse_money(t["annual_gmv"]) == Decimal(6_000_000)
    assert budget == parse_money(t["annual_budget"]) == Decimal(1_500_000)
    year = plan.targets.year
    assert (year.gmv, year.budget) == (gmv, budget)
    assert year.budget_ratio == budget / gmv == Decimal("0.25")
    assert year.roi == gmv / budget == 4
    assert not plan.targets.months_derived


@needs_shared
def test_full_contract_quarters_and_months(full):
    plan, raw = full
    t = raw["targets"]
    funnel = t["funnel"]
    aov, conv = parse_money(funnel["average_order_value"]), parse_ratio(funnel["conversion_rate"])
    by_quarter: dict[str, list[dict]] = {}
    for m in t["months"]:
        by_quarter.setdefault(f"Q{(int(m['month'][5:]) - 1) // 3 + 1}", []).append(m)
    assert [q.label for q in plan.targets.quarters] == sorted(by_quarter)
    for q in plan.targets.quarters:
        rows = by_quarter[q.label]
        assert q.gmv == sum(parse_money(r["gmv"]) for r in rows)
        assert q.budget == sum(parse_money(r["budget"]) for r in rows)
    q1 = plan.targets.quarters[0]
    assert (q1.gmv, q1.budget) == (Decimal(850_000), Decimal(250_000))
    for fig, row in zip(plan.targets.months, t["months"]):
        gmv = parse_money(row["gmv"])
        assert fig.month == row["month"] and fig.gmv == gmv
        # A month's orders are its share of the year's, within one order of its own formula.
        assert abs(fig.orders - gmv / aov) < 1
        assert abs(fig.visitors - gmv / (conv * aov)) < 1
    year = plan.targets.year
    assert sum(m.gmv for m in plan.targets.months) == year.gmv
    # The year's figures are the formula applied to the year, and the months add up to them.
    assert year.orders == int(year.gmv / aov + Decimal("0.5"))
    assert year.visitors == math.ceil(year.gmv / (conv * aov))
    assert year.orders == sum(m.orders for m in plan.targets.months)
    assert year.visitors == sum(m.visitors for m in plan.targets.months)
    for q in plan.targets.quarters:
        assert q.orders == sum(m.orders for m in q.months)
        assert q.visitors == sum(m.visitors for m in q.months)


@needs_shared
def test_full_contract_has_no_warnings_and_every_section(full):
    plan, raw = full
    assert plan.warnings == []
    assert plan.team.headcount == sum(m.get("headcount", 1) for m in raw["team"]["members"])
    assert [g.role for g in plan.product_roles] == ["hero", "traffic", "profit", "bundle", "new"]
    assert plan.brand.logo.is_absolute() and plan.brand.logo.exists()
    assert plan.products[0].image.is_absolute()
    assert len(plan.brand.story_paragraphs) == 2
    assert [s.key for s in plan.strategy] == list(raw["market"]["strategy"])
    assert plan.promotion.events[1].month == "2027-06"
    assert plan.meta.title == raw["meta"]["title"]


@needs_shared
def test_full_contract_channel_budgets(full):
    plan, raw = full
    expected: dict[str, Decimal] = {}
    for q in raw["roadmap"]:
        for line in q["budget"]:
            amount = parse_money(line["amount"])
            expected[line["channel"]] = expected.get(line["channel"], 0) + amount
    assert {c.channel: c.total for c in plan.channel_budget} == expected
    totals = [c.total for c in plan.channel_budget]
    assert totals == sorted(totals, reverse=True)
    assert plan.channel_budget_total == plan.targets.year.budget
    assert plan.channel_budget_by_quarter == [q.budget for q in plan.targets.quarters]
    direct = plan.channel_budget[0]
    assert direct.kind == "paid" and len(direct.by_quarter) == 4
    assert [r.budget_total for r in plan.roadmap] == [q.budget for q in plan.targets.quarters]
    assert [r.months_gmv for r in plan.roadmap] == [r.gmv_target for r in plan.roadmap]


@needs_shared
def test_full_contract_products_and_company(full):
    plan, raw = full
    hero = plan.products[0]
    price, cost = parse_money(raw["products"][0]["price"]), parse_money(raw["products"][0]["cost"])
    assert hero.gross_profit == price - cost
    assert hero.gross_margin == (price - cost) / price  # kept exact; printing rounds it once
    channels = raw["company"]["channels"]
    assert plan.company.channels_total == sum(parse_money(c["annual_sales"]) for c in channels)
    assert plan.company.founded_year == 2012
    assert [t.start_index for t in plan.tasks][:3] == [0, 0, 0]
    assert plan.tasks[-1].end_index == 11


@needs_shared
def test_full_contract_readiness_all_met(full):
    plan, _ = full
    keys = [i.key for i in plan.readiness.items]
    assert {"prior_sales", "other_platforms", "top_reviews", "awards_patents", "endorsements",
            "crowdfunding", "alibaba_cooperation", "trademark", "store_type", "products",
            "operations_team", "company_background"} <= set(keys)
    assert all(i.status == "met" for i in plan.readiness.items), [
        (i.key, i.status) for i in plan.readiness.items]
    assert plan.readiness.met == len(keys)
    assert plan.readiness.items[0].title == "淘宝/天猫上季度销售额"


# -- the minimal spec ------------------------------------------------------------------------------

@needs_shared
def test_minimal_contract_derives_months_that_add_up():
    plan = build_model(load_spec(MINIMAL))
    months = plan.targets.months
    assert len(months) == 12 and plan.targets.months_derived
    assert sum(m.gmv for m in months) == Decimal(2_500_000)
    assert max(months, key=lambda m: m.gmv).month == "2027-11"
    assert all(m.budget is None and m.roi is None and m.orders is None for m in months)
    assert plan.meta.title == "Northwind Kitchen Tmall Entry Proposal and 2027 Operation Plan"


def test_minimal_spec_has_every_optional_part_empty(tmp_path):
    plan = plan_from(MINIMAL_TEXT, tmp_path)
    assert plan.team is None and plan.market is None and plan.swot is None
    assert plan.products == [] and plan.roadmap == [] and plan.tasks == []
    assert plan.channel_budget == [] and plan.channel_budget_total is None
    assert plan.brand.logo is None and plan.brand.awards == [] and plan.brand.story_paragraphs == []
    assert plan.company.channels_total is None
    assert plan.warnings == []
    assert plan.readiness.missing > 0
    assert sum(plan.targets.seasonality) == pytest.approx(1)


def test_zh_title_default_and_custom_seasonality(tmp_path):
    plan = plan_from("""\
        planforge: 1
        meta: {year: 2027}
        brand: {name: 青岚}
        company: {name: 青岚茶业有限公司}
        targets:
          annual_gmv: 100万
          annual_budget: 20万
          seasonality: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]
        """, tmp_path)
    assert plan.meta.title == "青岚天猫店入驻方案及2027年度运营计划"
    gmv = [m.gmv for m in plan.targets.months]
    # Split at 0.01万 (what the deck prints), so the months print 33.33万 + 66.67万 = 100万.
    assert gmv[0] == Decimal(333_300) and gmv[11] == Decimal(666_700) and sum(gmv[1:11]) == 0
    feb = plan.targets.months[1]
    assert feb.budget_ratio is None and feb.roi is None and feb.share == 0
    assert sum(m.budget for m in plan.targets.months) == Decimal(200_000)
    assert [q.label for q in plan.targets.quarters] == ["Q1", "Q2", "Q3", "Q4"]


def test_zero_gmv_gives_no_ratios(tmp_path):
    plan = plan_from("""\
        planforge: 1
        meta: {year: 2027}
        brand: {name: Zero}
        company: {name: Zero Co.}
        targets:
          annual_gmv: 0
          annual_budget: 0
          funnel: {conversion_rate: 0, average_order_value: 0}
        """, tmp_path)
    year = plan.targets.year
    assert year.gmv == 0 and year.budget_ratio is None and year.roi is None and year.share is None
    assert all(m.orders is None and m.visitors is None for m in plan.targets.months)


# -- consistency warnings --------------------------------------------------------------------------

INCONSISTENT = """\
planforge: 1
meta: {{year: 2027, locale: en}}
brand: {{name: Acme}}
company: {{name: Acme Co.}}
targets:
  annual_gmv: 600000
  annual_budget: 120000
  months:
{months}
roadmap:
  - quarter: Q1
    gmv_target: 150000
    tasks:
      - {{name: Launch, start: "2026-11", end: "2027-02"}}
    budget:
      - {{channel: Search ads, amount: 40000}}
      - {{channel: Display ads, amount: 30000}}
promotion:
  events:
    - {{name: Big sale, date: "2027-02-10", budget: 50000}}
    - {{name: Last year, date: "2026-12-12", budget: 1000}}
"""


@pytest.fixture
def inconsistent(tmp_path):
    months = months_text(["100000", "200000", "300000"], ["20000", "40000", "60000"])
    return plan_from(INCONSISTENT.format(months=months), tmp_path)


def messages(plan) -> list[str]:
    return [w.message for w in plan.warnings]


def test_roadmap_budget_disagreeing_with_months_is_warned(inconsistent):
    warn = [w for w in inconsistent.warnings if "roadmap channel budgets" in w.message]
    assert len(warn) == 1
    w = warn[0]
    assert w.severity == "warning" and w.path == "$.roadmap[0].budget" and w.line > 0
    assert "70,000" in w.message and "120,000" in w.message and "50,000 less" in w.message


def test_quarter_target_event_and_task_warnings(inconsistent):
    text = "\n".join(messages(inconsistent))
    assert "gmv_target is 150,000" in text and "600,000" in text and "450,000 less" in text
    assert "'Big sale' has a budget of 50,000" in text and "40,000" in text
    assert "10,000 more" in text
    assert "'Launch' runs 2026-11 to 2027-02, outside the plan year 2027" in text
    assert "'Last year' on 2026-12-12 is outside the plan year" in text
    launch = inconsistent.tasks[0]
    assert (launch.start_index, launch.end_index) == (0, 1)
    assert inconsistent.warnings == sorted(inconsistent.warnings)


def test_equal_figures_give_no_warning(tmp_path):
    months = months_text(["100000", "200000", "300000"], ["20000", "40000", "60000"])
    text = INCONSISTENT.format(months=months).replace("gmv_target: 150000", "gmv_target: 600000")
    text = text.replace("amount: 30000", "amount: 80000").replace('"2026-11"', '"2027-01"')
    text = text.replace("budget: 50000", "budget: 40000").replace('"2026-12-12"', '"2027-03-12"')
    assert plan_from(text, tmp_path).warnings == []


# -- ad-law lint -----------------------------------------------------------------------------------

def test_absolute_claims_are_warned_with_field_and_phrase(tmp_path):
    plan = plan_from("""\
        planforge: 1
        meta: {year: 2027}
        brand: {name: 青岚, slogan: 全网销量第一的国家级好茶, story: 最近十年我们第一次走出福建}
        company: {name: 青岚茶业有限公司, intro: "The best tea house, No. 1 in Fujian"}
        products:
          - {name: 高山茶, selling_points: [顶级口感, 品质稳定]}
        market:
          competitors: [{name: 对手, strengths: 行业第一}]
        targets: {annual_gmv: 100万}
        """, tmp_path)
    text = "\n".join(messages(plan))
    for phrase in ("第一", "国家级", "顶级", "best", "No. 1"):
        assert f"'{phrase}'" in text
    assert "brand.slogan" in text and "products[0].selling_points[0]" in text
    assert "广告法" in text
    assert "最近" not in text and "第一次" not in text  # narration, not claims
    assert not any("competitors" in w.path for w in plan.warnings)  # others' text is not ours


# -- readiness rules -------------------------------------------------------------------------------

def test_flagship_with_someone_elses_trademark_is_missing(tmp_path):
    plan = plan_from("""\
        planforge: 1
        meta: {year: 2027, locale: en, store_type: flagship}
        brand:
          name: Acme
          trademark: {status: TM, holder: Acme Holdings}
          crowdfunding: {amount: 50万}
        company: {name: Acme Co., prior_sales: {taobao: 0, tmall: 0}}
        targets: {annual_gmv: 100万}
        """, tmp_path)
    items = {i.key: i for i in plan.readiness.items}
    assert items["store_type"].status == "missing"
    assert "exclusive licence" in items["store_type"].advice
    assert items["trademark"].status == "met" and "TM" in items["trademark"].evidence
    assert items["crowdfunding"].status == "missing"
    assert items["prior_sales"].status == "na"
    assert items["store_type"].title == "Store type requirements"


def test_franchise_store_with_one_brand_is_missing_not_na(tmp_path):
    plan = plan_from(MINIMAL_TEXT.replace("locale: en,", "locale: en, store_type: franchise,"),
                     tmp_path)
    item = next(i for i in plan.readiness.items if i.key == "store_type")
    assert item.status == "missing" and "two or more brands" in item.advice
    assert "one brand (Acme)" in item.evidence


# -- the examples ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_build_without_warnings(path):
    from planforge.validation import validate

    spec = load_spec(path)
    assert validate(spec) == []
    plan = build_model(spec)
    assert [w.format() for w in plan.warnings] == []
    assert plan.brand.logo.exists() and all(p.image.exists() for p in plan.products if p.image)
    for section in ("team", "market", "swot", "promotion", "service", "membership"):
        assert getattr(plan, section) is not None, section
    assert plan.roadmap and plan.tasks and plan.channel_budget and plan.risks
    assert plan.readiness.missing == 0


def test_examples_cover_both_locales():
    assert {p.name.split(".")[-2] for p in EXAMPLES} >= {"zh", "en"}


def test_block_text_is_reflowed_but_paragraphs_are_kept(tmp_path):
    plan = plan_from(
        "planforge: 1\nmeta: {year: 2027}\n"
        "brand:\n  name: B\n  story: |\n    Founded in a small\n    workshop in Ningbo.\n\n"
        "    第二段文字，写得很长\n    所以换了行。\n"
        "company: {name: C}\ntargets: {annual_gmv: 100}\n"
        "market:\n  overview: |\n    Cookware grew faster than\n    the category (Double-11\n    & 618).\n",
        tmp_path)
    assert plan.market.overview == "Cookware grew faster than the category (Double-11 & 618)."
    assert plan.brand.story_paragraphs == ["Founded in a small workshop in Ningbo.",
                                           "第二段文字，写得很长所以换了行。"]
    assert plan.brand.story == "\n".join(plan.brand.story_paragraphs)
