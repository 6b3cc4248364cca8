"""What the plan earns: P&L, break-even ROI, funding need, paid channels, their warnings.

The expected figures are recomputed here from the spec's raw values with exact fractions,
independently of planforge's model, and compared with what the model and `check` print.
"""

from __future__ import annotations

import json
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planforge.loader import parse_spec
from planforge.model import build_model
from planforge.report import check_report, format_check_text
from planforge.units import parse_money, parse_ratio
from planforge.validation import validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# The business figures of the economics contract spec (织云家纺), without its qualification.
ZHIYUN = """\
planforge: 1
meta: {title: 织云家纺, locale: zh-CN, year: 2027, store_type: flagship}
brand: {name: 织云, trademark: {registration_no: "33445566", class: 24, status: R}}
company: {name: 南通织云家纺有限公司}
team:
  members:
    - {role: 店长, headcount: 1}
    - {role: 运营, headcount: 2}
products:
  - {name: 四件套, price: 599, cost: 240, sales_share: 50%}
  - {name: 夏被, price: 199, cost: 110, sales_share: 30%}
  - {name: 枕套, price: 299, cost: 90, sales_share: 20%}
targets:
  annual_gmv: 480万
  annual_budget: 96万
  funnel: {conversion_rate: 2.5%, average_order_value: 400}
  months:
    - {month: "2027-01", gmv: 20万, budget: 6万}
    - {month: "2027-02", gmv: 20万, budget: 6万}
    - {month: "2027-03", gmv: 30万, budget: 7万}
    - {month: "2027-04", gmv: 35万, budget: 7万}
    - {month: "2027-05", gmv: 40万, budget: 8万}
    - {month: "2027-06", gmv: 55万, budget: 10万}
    - {month: "2027-07", gmv: 30万, budget: 6万}
    - {month: "2027-08", gmv: 30万, budget: 6万}
    - {month: "2027-09", gmv: 40万, budget: 8万}
    - {month: "2027-10", gmv: 40万, budget: 7万}
    - {month: "2027-11", gmv: 90万, budget: 16万}
    - {month: "2027-12", gmv: 50万, budget: 9万}
economics:
  commission_rate: 5%
  payment_fee_rate: 0.6%
  refund_rate: 8%
  fulfilment_per_order: 12
  staff_monthly: 6万
  annual_fee: 3万
  fixed:
    - {name: 店铺装修与拍摄, amount: 6万}
    - {name: 软件与工具, amount: 1.2万}
roadmap:
  - {quarter: Q1, budget: [{channel: 直通车, amount: 12万}, {channel: 引力魔方, amount: 4万}, {channel: 淘宝客, amount: 3万}]}
  - {quarter: Q2, budget: [{channel: 直通车, amount: 14万}, {channel: 引力魔方, amount: 6万}, {channel: 淘宝客, amount: 5万}]}
  - {quarter: Q3, budget: [{channel: 直通车, amount: 12万}, {channel: 引力魔方, amount: 4万}, {channel: 淘宝客, amount: 4万}]}
  - {quarter: Q4, budget: [{channel: 直通车, amount: 18万}, {channel: 引力魔方, amount: 8万}, {channel: 淘宝客, amount: 6万}]}
promotion:
  channels:
    - {name: 直通车, kind: paid, cpc: 2.5, cvr: 2%}
    - {name: 引力魔方, kind: paid, cpm: 25, ctr: 1%, cvr: 2%}
    - {name: 淘宝客, kind: paid, commission_rate: 20%}
"""


def spec_of(text: str, tmp_path: Path, name: str = "spec.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return parse_spec(path.read_text(encoding="utf-8"), path)


def plan_of(text: str, tmp_path: Path):
    spec = spec_of(text, tmp_path)
    assert validate(spec) == []
    return build_model(spec)


def F(value) -> Fraction:
    """A spec value (money or ratio) as an exact fraction."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return Fraction(parse_ratio(value))
    return Fraction(parse_money(value))


def hand_pnl(raw: dict) -> dict:
    """The P&L the issue defines, computed from the raw spec with fractions (no planforge model)."""
    e = raw["economics"]
    products = raw["products"]
    margin = sum(F(p["sales_share"]) * (F(p["price"]) - F(p["cost"])) / F(p["price"])
                 for p in products)
    aov = F(raw["targets"]["funnel"]["average_order_value"])
    months = raw["targets"]["months"]
    fixed = (sum(F(f["amount"]) for f in e.get("fixed", [])) + F(e.get("annual_fee", 0)))
    out, cumulative, lowest = [], Fraction(0), Fraction(0)
    for m in months:
        gmv = F(m["gmv"])
        net = gmv * (1 - F(e["refund_rate"]))
        contribution = (net * margin - net * F(e["commission_rate"])
                        - net * F(e["payment_fee_rate"]) - gmv / aov * F(e["fulfilment_per_order"]))
        result = contribution - F(m["budget"]) - F(e["staff_monthly"]) - fixed / len(months)
        cumulative += result
        lowest = min(lowest, cumulative)
        out.append({"gmv": gmv, "contribution": contribution, "result": result})
    gmv = sum(m["gmv"] for m in out)
    contribution = sum(m["contribution"] for m in out)
    return {"margin": margin, "gmv": gmv, "contribution": contribution,
            "result": sum(m["result"] for m in out), "break_even": gmv / contribution,
            "lowest": lowest, "months": out}


def close(model_value, exact: Fraction, tolerance=Fraction(1, 10**6)) -> bool:
    return abs(Fraction(model_value) - exact) <= tolerance


# -- the figures ---------------------------------------------------------------------------------

def test_pnl_matches_a_hand_calculation(tmp_path):
    plan = plan_of(ZHIYUN, tmp_path)
    hand = hand_pnl(yaml.safe_load(ZHIYUN))
    econ = plan.economics
    assert close(econ.margin, hand["margin"])
    assert close(econ.year.contribution, hand["contribution"])
    assert close(econ.year.operating_result, hand["result"])
    assert close(econ.break_even_roi, hand["break_even"])
    assert close(econ.deepest, hand["lowest"])
    # The rounded figures: break-even ROI 2.24, the year's result about 35.99万.
    assert round(float(hand["break_even"]), 2) == 2.24
    assert round(float(hand["result"]) / 10_000, 2) == 35.99
    for month, exact in zip(econ.months, hand["months"]):
        assert close(month.operating_result, exact["result"])
    assert econ.deepest_month == "2027-03"  # Jan-Mar lose money, April starts paying back
    assert plan.warnings == []


def test_paid_channels_match_a_hand_calculation(tmp_path):
    plan = plan_of(ZHIYUN, tmp_path)
    rows = {r.channel: r for r in plan.paid.channels}
    through = rows["直通车"]
    spend = Fraction(560_000)                       # 12万 + 14万 + 12万 + 18万
    clicks = spend / Fraction(5, 2)                 # cpc 2.5
    gmv = clicks * Fraction(2, 100) * 400           # cvr 2%, 客单价 400
    assert Fraction(through.spend) == spend and Fraction(through.clicks) == clicks
    assert Fraction(through.gmv) == gmv == 1_792_000
    assert Fraction(through.roi) == gmv / spend == Fraction(16, 5)
    magic = rows["引力魔方"]
    impressions = Fraction(220_000) / 25 * 1000
    assert Fraction(magic.impressions) == impressions
    assert Fraction(magic.clicks) == impressions / 100
    taoke = rows["淘宝客"]
    assert Fraction(taoke.gmv) == Fraction(180_000) / Fraction(1, 5)
    paid = gmv + impressions / 100 * Fraction(2, 100) * 400 + 900_000
    assert Fraction(plan.paid.gmv) == paid
    assert Fraction(plan.paid.share) == paid / 4_800_000 == Fraction(7075, 10_000)
    assert plan.paid.free_visitors == 480_000 - clicks - impressions / 100


def test_funding_need_adds_the_deposit_to_the_deepest_loss(tmp_path):
    plan = plan_of(ZHIYUN, tmp_path)
    hand = hand_pnl(yaml.safe_load(ZHIYUN))
    econ = plan.economics
    assert close(econ.funding_need, Fraction(econ.deposit) - hand["lowest"])


def test_check_prints_break_even_result_and_funding_need(tmp_path):
    plan = plan_of(ZHIYUN, tmp_path)
    report = check_report(plan)
    text = format_check_text(report)
    econ = report["economics"]
    assert "break-even ROI 2.24" in text
    assert "operating result 35.99万" in text  # money prints at most two decimals of 万
    assert "funding need " in text
    assert "直通车" in text and "179.2万" in text and "70.75%" in text
    dumped = json.loads(json.dumps(report))
    assert dumped["economics"]["year"]["operating_result"] == econ["year"]["operating_result"]
    assert len(dumped["economics"]["months"]) == 12 and len(dumped["economics"]["quarters"]) == 4
    assert dumped["paid_channels"]["share"] == "0.7075"
    assert {c["channel"]: c["roi"] for c in dumped["paid_channels"]["channels"]} == \
        {"直通车": "3.2", "引力魔方": "3.2", "淘宝客": "5"}


def test_a_spec_without_economics_has_no_pnl(tmp_path):
    text = ZHIYUN.split("economics:")[0] + "roadmap:" + ZHIYUN.split("roadmap:")[1]
    plan = plan_of(text, tmp_path)
    assert plan.economics is None
    assert plan.paid is not None  # the channel KPIs still say what the spend buys
    report = check_report(plan)
    assert report["economics"] is None
    assert "break-even" not in format_check_text(report)


def test_sales_share_falls_back_to_monthly_sales_then_equal(tmp_path):
    base = ZHIYUN.replace(", sales_share: 50%", ", monthly_sales: 100") \
        .replace(", sales_share: 30%", ", monthly_sales: 300").replace(", sales_share: 20%",
                                                                       ", monthly_sales: 100")
    econ = plan_of(base, tmp_path).economics
    weights = [Fraction(100 * 599), Fraction(300 * 199), Fraction(100 * 299)]
    margins = [Fraction(359, 599), Fraction(89, 199), Fraction(209, 299)]
    assert econ.margin_basis == "monthly_sales"
    assert close(econ.margin, sum(w * m for w, m in zip(weights, margins)) / sum(weights))
    equal = base.replace(", monthly_sales: 300", "")
    econ = plan_of(equal, tmp_path).economics
    assert econ.margin_basis == "equal" and close(econ.margin, sum(margins) / 3)


# -- warnings -------------------------------------------------------------------------------------

def codes(plan) -> list[str]:
    return [w.code for w in plan.warnings]


def test_a_quarter_below_break_even_is_named_with_both_figures(tmp_path):
    # Q1: GMV 70万 on a 33万 budget gives ROI 2.12, under the break-even 2.24.
    text = (ZHIYUN.replace("gmv: 20万, budget: 6万}", "gmv: 20万, budget: 10万}")
            .replace("gmv: 30万, budget: 7万}\n    - {month: \"2027-04\"",
                     "gmv: 30万, budget: 13万}\n    - {month: \"2027-04\"")
            .replace("annual_budget: 96万", "annual_budget: 110万")
            .replace("{channel: 直通车, amount: 12万}, {channel: 引力魔方, amount: 4万}",
                     "{channel: 直通车, amount: 26万}, {channel: 引力魔方, amount: 4万}", 1))
    plan = plan_of(text, tmp_path)
    [warning] = [w for w in plan.warnings if w.code == "PF250"]
    assert warning.message.startswith("Q1 promotion ROI 2.12 is below the break-even ROI 2.24: "
                                      "the quarter loses money on promotion")
    assert warning.path == "$.roadmap[0].budget" and warning.line > 0
    assert "PF251" not in codes(plan)  # the year as a whole still earns


def test_the_year_below_break_even(tmp_path):
    text = ZHIYUN.replace("price: 599, cost: 240", "price: 599, cost: 500") \
        .replace("price: 299, cost: 90", "price: 299, cost: 250")
    plan = plan_of(text, tmp_path)
    assert "PF251" in codes(plan)
    year = [w for w in plan.warnings if w.code == "PF251"][0]
    assert "the year's promotion ROI 5.00 is below the break-even ROI" in year.message
    assert year.path == "$.targets.annual_budget"


def test_no_contribution_at_all(tmp_path):
    text = ZHIYUN.replace("cost: 240", "cost: 599").replace("cost: 110", "cost: 199") \
        .replace("cost: 90", "cost: 299")
    plan = plan_of(text, tmp_path)
    assert "PF252" in codes(plan) and plan.economics.break_even_roi is None


def test_paid_channels_bringing_more_than_the_quarter(tmp_path):
    text = ZHIYUN.replace("cpc: 2.5, cvr: 2%", "cpc: 0.5, cvr: 2%")
    plan = plan_of(text, tmp_path)
    q1 = [w for w in plan.warnings if w.code == "PF253" and w.message.startswith("Q1")]
    assert q1 and "more than the quarter's target 700,000" in q1[0].message
    # ...and that channel's ROI of 16 is more than twice the plan's 5.
    far = [w for w in plan.warnings if w.code == "PF254"]
    assert [w.path for w in far] == ["$.promotion.channels[0].name"]
    assert "ROI of 16.00, 3.20x above the plan's ROI 5.00" in far[0].message


def test_staff_missing_while_the_team_lists_people(tmp_path):
    plan = plan_of(ZHIYUN.replace("  staff_monthly: 6万\n", ""), tmp_path)
    [w] = [w for w in plan.warnings if w.code == "PF255"]
    assert "3 people" in w.message and w.path == "$.economics"


def test_economics_without_any_product_margin(tmp_path):
    text = ZHIYUN.replace(", cost: 240, sales_share: 50%", "") \
        .replace(", cost: 110, sales_share: 30%", "").replace(", cost: 90, sales_share: 20%", "")
    plan = plan_of(text, tmp_path)
    assert plan.economics is None and "PF256" in codes(plan)


def test_channel_kpis_without_roadmap_spend(tmp_path):
    text = ZHIYUN.replace("{name: 淘宝客, kind: paid, commission_rate: 20%}",
                          "{name: 淘宝客, kind: paid, commission_rate: 20%}\n"
                          "    - {name: 超级推荐, kind: paid, cpc: 1.2}")
    plan = plan_of(text, tmp_path)
    [w] = [w for w in plan.warnings if w.code == "PF257"]
    assert "超级推荐" in w.message and w.path == "$.promotion.channels[3].name"


# -- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, path, text", [
    ("commission_rate: 5%\n", "commission_rate: 5\n", "$.economics.commission_rate", "write 5%"),
    ("refund_rate: 8%", "refund_rate: 1.5", "$.economics.refund_rate", "write 1.5%"),
    ("cpc: 2.5", "cpc: 0", "$.promotion.channels[0].cpc", "is 0"),
    ("cpc: 2.5", "cpc: -2.5", "$.promotion.channels[0].cpc", "cannot be negative"),
    ("cpm: 25", "cpm: 0", "$.promotion.channels[1].cpm", "is 0"),
    ("ctr: 1%", "ctr: 120%", "$.promotion.channels[1].ctr", "more than 100%"),
    ("commission_rate: 20%", "commission_rate: 0%", "$.promotion.channels[2].commission_rate",
     "above 0"),
    ("sales_share: 50%", "sales_share: 40%", "$.products[0].sales_share", "add up to 90%"),
    ("sales_share: 50%", "sales_share: 60%", "$.products[0].sales_share", "10% over"),
])
def test_bad_economic_input_is_an_error_at_its_line(tmp_path, old, new, path, text):
    source = ZHIYUN.replace(old, new, 1)
    assert source != ZHIYUN
    problems = validate(spec_of(source, tmp_path))
    hits = [p for p in problems if p.path == path]
    assert hits, [p.format() for p in problems]
    assert text in hits[0].message and hits[0].line > 0 and hits[0].severity == "error"


def test_conflicting_channel_kpis(tmp_path):
    source = ZHIYUN.replace("cpm: 25, ctr: 1%", "cpm: 25").replace("cpc: 2.5, cvr: 2%",
                                                                    "cpc: 2.5, cpm: 30, ctr: 1%")
    messages = [(p.code, p.path) for p in validate(spec_of(source, tmp_path))]
    assert ("PF265", "$.promotion.channels[0].cpm") in messages
    assert ("PF266", "$.promotion.channels[1].cpm") in messages


def test_a_product_without_sales_share_among_ones_with_it(tmp_path):
    source = ZHIYUN.replace(", sales_share: 20%", "").replace("sales_share: 30%", "sales_share: 50%")
    [problem] = validate(spec_of(source, tmp_path))
    assert problem.code == "PF261" and problem.path == "$.products[2].name"


def test_bad_input_exits_1_from_the_command_line(tmp_path, cli):
    path = tmp_path / "bad.yaml"
    path.write_text(ZHIYUN.replace("commission_rate: 5%\n", "commission_rate: 5\n"),
                    encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1, result.text
    assert "bad.yaml:" in result.stderr and "write 5%" in result.stderr
    assert "Traceback" not in result.text


# -- exact sums ------------------------------------------------------------------------------------

money = st.integers(min_value=0, max_value=5_000_000)
rate = st.integers(min_value=0, max_value=100).map(lambda n: f"{n / 10:g}%")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gmv=st.lists(st.integers(min_value=0, max_value=9_000_000), min_size=1, max_size=12),
       budget=st.lists(money, min_size=12, max_size=12),
       prices=st.lists(st.tuples(st.integers(1, 5000), st.integers(0, 5000)), min_size=1,
                       max_size=4),
       refund=rate, commission=rate, fee=rate, staff=money, fixed=money, fee_year=money,
       fulfilment=st.integers(0, 40), aov=st.integers(1, 2000))
def test_the_year_is_exactly_the_sum_of_its_months(tmp_path, gmv, budget, prices, refund,
                                                   commission, fee, staff, fixed, fee_year,
                                                   fulfilment, aov):
    months = "\n".join(f'    - {{month: "2027-{i + 1:02d}", gmv: {g}, budget: {b}}}'
                       for i, (g, b) in enumerate(zip(gmv, budget)))
    products = "\n".join(f"  - {{name: p{i}, price: {p}, cost: {min(c, p)}}}"
                         for i, (p, c) in enumerate(prices))
    text = f"""\
planforge: 1
meta: {{year: 2027}}
brand: {{name: A}}
company: {{name: B}}
products:
{products}
targets:
  annual_gmv: {sum(gmv)}
  funnel: {{average_order_value: {aov}}}
  months:
{months}
economics:
  refund_rate: {refund}
  commission_rate: {commission}
  payment_fee_rate: {fee}
  fulfilment_per_order: {fulfilment}
  staff_monthly: {staff}
  annual_fee: {fee_year}
  fixed: [{{name: x, amount: {fixed}}}, {{name: y, amount: 1}}]
"""
    econ = plan_of(text, tmp_path).economics
    results = [Fraction(m.operating_result) for m in econ.months]
    assert Fraction(econ.year.operating_result) == sum(results)
    for q in econ.quarters:
        assert Fraction(q.operating_result) == sum(
            Fraction(m.operating_result) for m in econ.months if m.quarter == q.label)
    assert Fraction(econ.months[-1].cumulative) == sum(results)
    assert sum(Fraction(m.fixed) for m in econ.months) == fixed + 1 + fee_year
    # Each line of the P&L adds up too: the result is the lines' own difference.
    y = econ.year
    assert y.contribution == y.gross_profit - y.commission - y.payment_fees - y.fulfilment
    assert y.operating_result == y.contribution - y.promotion - y.staff - y.fixed


@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_exercise_the_economics(spec):
    from planforge.loader import load_spec

    plan = build_model(load_spec(spec))
    assert plan.economics is not None and plan.paid is not None
    assert plan.economics.year.operating_result == sum(m.operating_result
                                                       for m in plan.economics.months)



SHARED = ROOT.parent / "shared" / "specs"
CONTRACT = SHARED / "contract-economics.zh.yaml"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/specs is not beside this checkout")
def test_the_economics_contract_spec(tmp_path):
    from planforge.loader import load_spec

    spec = load_spec(CONTRACT)
    assert validate(spec) == []
    plan = build_model(spec)
    assert plan.warnings == []
    raw = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    hand = hand_pnl(raw)
    econ = plan.economics
    assert close(econ.year.operating_result, hand["result"])
    assert round(float(hand["break_even"]), 2) == 2.24
    # Flagship store with an R mark: a 5万 deposit on top of the deepest loss (end of March).
    funding = Fraction(50_000) - hand["lowest"]
    assert close(econ.funding_need, funding) and round(float(funding) / 10_000, 2) == 13.31
    assert round(float(hand["result"]) / 10_000, 2) == 35.99
    rows = {r.channel: r for r in plan.paid.channels}
    assert Fraction(rows["直通车"].gmv) == 1_792_000 and Fraction(rows["直通车"].roi) == Fraction(16, 5)
    assert Fraction(plan.paid.share) == Fraction(7075, 10_000)
    text = format_check_text(check_report(plan))
    assert "break-even ROI 2.24" in text and "funding need 13.31万" in text
