"""The rules table, the festival calendar, the store's opening terms and derived months."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from planforge.errors import SpecError
from planforge.loader import parse_spec
from planforge.model import build_model
from planforge.model.calendar import jan_feb_split, load_calendar
from planforge.model.opening import load_rules, spec_annual_fee
from planforge.validation import validate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "planforge" / "data"

BASE = """\
planforge: 1
meta: {locale: zh-CN, year: 2027, store_type: flagship, category: 家居家纺 / 床品, date: 2026-12-10}
brand:
  name: 织云
  trademark: {registration_no: "33445566", class: 24, status: R, holder: 南通织云家纺有限公司}
company: {name: 南通织云家纺有限公司, founded: 2016-04-01, registered_capital: 800万}
qualification:
  company_type: enterprise
  taxpayer: general
  authorisation: owner
  brands: [织云]
  licences: []
targets:
  annual_gmv: 480万
  annual_budget: 96万
"""


def write(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def spec_of(tmp_path: Path, text: str = BASE):
    path = write(tmp_path, text)
    return parse_spec(path.read_text(encoding="utf-8"), path)


def plan_of(tmp_path: Path, text: str = BASE, **kw):
    return build_model(spec_of(tmp_path, text), **kw)


def errors_of(tmp_path: Path, text: str) -> list:
    return validate(spec_of(tmp_path, text))


# -- the shipped tables follow their schemas -----------------------------------------------------

@pytest.mark.parametrize("name", ["rules", "calendar"])
def test_shipped_table_follows_its_schema(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))  # dates as ISO text, year keys as text
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data))
    assert errors == []
    assert data["status"] == "indicative" and data["sources"] and data["date"]


def test_calendar_covers_2024_to_2030_with_each_new_year():
    cal = load_calendar()
    assert sorted(cal.years) == list(range(2024, 2031))
    assert cal.years[2025].new_year == dt.date(2025, 1, 29)
    assert cal.years[2027].new_year == dt.date(2027, 2, 6)
    for year, entry in cal.years.items():
        d11 = entry.windows["double11"]
        assert d11[0] == dt.date(year, 10, 20) and d11[1] == dt.date(year, 11, 11)
        start, end = entry.windows["mid_year"]
        assert start.month == 5 and start.day >= 15 and end == dt.date(year, 6, 20)
        goods = entry.windows["new_year_goods"]
        assert goods[1] < entry.new_year  # the goods festival comes before the New Year
        stop = entry.windows["courier_shutdown"]
        assert stop[0] <= entry.new_year <= stop[1]


def test_rules_table_terms_by_store_type_and_mark():
    rules = load_rules()
    assert rules.deposit["flagship"] == {"R": 50000, "TM": 100000}
    assert rules.deposit["specialty"] == {"R": 50000, "TM": 100000}
    assert rules.deposit["franchise"] == {"R": 100000, "TM": 150000}
    assert rules.min_registered_capital == 1_000_000
    keys = {c.key for c in rules.categories}
    assert {"food", "beauty", "apparel", "home_textiles", "furnishing", "pets", "digital"} <= keys
    assert rules.category("休闲食品 / 坚果").licences == ["食品经营许可证"]
    assert {c.annual_fee for c in rules.categories} <= {30000, 60000}
    assert rules.category("Steamers and pots").key != "food"  # "tea" is not in "steamers"


# -- the opening terms of a spec -----------------------------------------------------------------

def test_flagship_with_r_mark_in_bedding_deposit_5wan_fee_3wan(tmp_path):
    o = plan_of(tmp_path).opening
    assert (o.deposit, o.annual_fee, o.commission_rate) == (50000, 30000, Decimal("0.05"))
    assert o.category_key == "home_textiles" and o.first_year == 80000
    assert [(r.share, r.sales) for r in o.refund] == [(Decimal("0.5"), 180000), (1, 600000)]
    assert "indicative" in o.note


@pytest.mark.parametrize("store, mark, deposit", [
    ("flagship", "TM", 100000), ("specialty", "R", 50000), ("franchise", "R", 100000),
    ("franchise", "TM", 150000)])
def test_deposit_follows_store_type_and_trademark(tmp_path, store, mark, deposit):
    text = BASE.replace("store_type: flagship", f"store_type: {store}").replace(
        "status: R", f"status: {mark}")
    assert plan_of(tmp_path, text).opening.deposit == deposit


def test_spec_deposit_overrides_the_table(tmp_path):
    text = BASE.replace("  licences: []\n", "  licences: []\n  deposit: 8万\n")
    o = plan_of(tmp_path, text).opening
    assert o.deposit == 80000 and o.deposit_from_spec


def test_economics_annual_fee_is_read_when_given():
    assert spec_annual_fee({"economics": {"annual_fee": "6万"}}) == 60000
    assert spec_annual_fee({"economics": {}}) is None
    assert spec_annual_fee({}) is None


def test_no_store_type_leaves_the_deposit_unknown(tmp_path):
    o = plan_of(tmp_path, BASE.replace("store_type: flagship, ", "")).opening
    assert o.deposit is None and o.first_year is None and o.annual_fee == 30000


# -- user tables -----------------------------------------------------------------------------------

def _own_rules(tmp_path: Path, edit) -> Path:
    text = (DATA / "rules.yaml").read_text(encoding="utf-8")
    path = tmp_path / "my-rules.yaml"
    path.write_text(edit(text), encoding="utf-8")
    return path


def test_rules_override_by_meta_rules_and_by_argument(tmp_path):
    own = _own_rules(tmp_path, lambda t: t.replace("flagship: {R: 50000", "flagship: {R: 70000"))
    text = BASE.replace("date: 2026-12-10}", "date: 2026-12-10, rules: my-rules.yaml}")
    assert plan_of(tmp_path, text).opening.deposit == 70000
    assert plan_of(tmp_path, BASE, rules=own).opening.deposit == 70000
    assert plan_of(tmp_path).opening.deposit == 50000


def test_bad_rules_file_is_named_at_its_own_line(tmp_path):
    own = _own_rules(tmp_path, lambda t: t.replace("min_age_years: 2", "min_age_years: two"))
    line = next(i for i, ln in enumerate(own.read_text(encoding="utf-8").splitlines(), 1)
                if "min_age_years" in ln)
    with pytest.raises(SpecError) as e:
        plan_of(tmp_path, BASE, rules=own)
    (p,) = e.value.problems
    assert (Path(p.file).name, p.line, p.path) == ("my-rules.yaml", line,
                                                   "$.company.min_age_years")
    assert "whole number" in p.message
    # Named by the spec, validate reports it too.
    text = BASE.replace("date: 2026-12-10}", "date: 2026-12-10, rules: my-rules.yaml}")
    (p,) = errors_of(tmp_path, text)
    assert Path(p.file).name == "my-rules.yaml" and p.line == line


def test_meta_rules_must_exist_and_stay_beside_the_spec(tmp_path):
    text = BASE.replace("date: 2026-12-10}", "date: 2026-12-10, rules: none.yaml}")
    (p,) = errors_of(tmp_path, text)
    assert p.path == "$.meta.rules" and "no rules file" in p.message and p.line == 2
    text = BASE.replace("date: 2026-12-10}", "date: 2026-12-10, calendar: ../cal.yaml}")
    (p,) = errors_of(tmp_path, text)
    assert p.path == "$.meta.calendar" and "outside the spec's folder" in p.message


def test_calendar_window_for_an_unknown_festival_is_an_error(tmp_path):
    text = (DATA / "calendar.yaml").read_text(encoding="utf-8").replace(
        "      double12: {start: 2027", "      double13: {start: 2027")
    path = tmp_path / "cal.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as e:
        load_calendar(path)
    (p,) = e.value.problems
    assert "double13" in p.message and p.line and Path(p.file).name == "cal.yaml"


# -- bad qualification and ramp input --------------------------------------------------------------

def test_unknown_company_type_is_an_error_at_its_line(tmp_path):
    (p,) = errors_of(tmp_path, BASE.replace("company_type: enterprise", "company_type: enterprize"))
    assert p.path == "$.qualification.company_type" and p.line == 8
    assert "did you mean 'enterprise'" in p.message


def test_unknown_authorisation_is_an_error(tmp_path):
    (p,) = errors_of(tmp_path, BASE.replace("authorisation: owner", "authorisation: licence"))
    assert p.path == "$.qualification.authorisation" and "owner, exclusive, authorised" in p.message


def test_authorisation_ending_before_the_document_date(tmp_path):
    text = BASE.replace("authorisation: owner", "authorisation: exclusive\n  "
                                                "authorisation_until: 2026-06-30")
    (p,) = errors_of(tmp_path, text)
    assert p.path == "$.qualification.authorisation_until" and p.line == 11
    assert "2026-06-30" in p.message and "2026-12-10" in p.message


@pytest.mark.parametrize("ramp, words", [("[0, 0.5]", "above 0"), ("[0.5, 1.2]", "at most 1"),
                                         ("[-0.5]", "above 0")])
def test_ramp_multiplier_out_of_range(tmp_path, ramp, words):
    (p,) = errors_of(tmp_path, BASE + f"  ramp: {ramp}\n")
    assert p.path.startswith("$.targets.ramp[") and words in p.message


def test_ramp_longer_than_the_plan(tmp_path):
    (p,) = errors_of(tmp_path, BASE + "  ramp: [" + ", ".join(["0.5"] * 13) + "]\n")
    assert p.path == "$.targets.ramp" and "at most 12" in p.message
    months = BASE.replace("  annual_budget: 96万\n", "") + (
        '  months:\n    - {month: "2027-07", gmv: 240万}\n    - {month: "2027-08", gmv: 240万}\n'
        "  ramp: [0.5, 0.7, 0.9]\n")
    (p,) = errors_of(tmp_path, months)
    assert p.path == "$.targets.ramp" and "2 months" in p.message


# -- derived months follow the calendar ------------------------------------------------------------

def _derived(tmp_path, year: int, extra: str = ""):
    text = BASE.replace("year: 2027", f"year: {year}").replace("date: 2026-12-10", f"date: {year - 1}-12-10")
    return plan_of(tmp_path, text + extra).targets


@pytest.mark.parametrize("year", range(2024, 2031))
def test_derived_months_add_up_exactly_every_year(tmp_path, year):
    t = _derived(tmp_path, year, "  ramp: [0.5, 0.75]\n")
    assert sum(m.gmv for m in t.months) == 4_800_000
    assert sum(m.budget for m in t.months) == 960_000
    assert all(m.gmv == m.gmv.to_integral_value() and m.gmv >= 0 for m in t.months)
    assert t.calendar_year


def test_january_february_split_moves_with_the_new_year(tmp_path):
    early, late = _derived(tmp_path, 2028), _derived(tmp_path, 2029)  # 26 Jan vs 13 Feb
    jan_feb = [m.gmv for m in early.months[:2]], [m.gmv for m in late.months[:2]]
    # January and February share the same joint weight; only the split moves.
    assert abs(sum(jan_feb[0]) - sum(jan_feb[1])) <= 1
    assert jan_feb[0][0] != jan_feb[1][0]
    cal = load_calendar()
    for year, (jan, feb) in ((2028, jan_feb[0]), (2029, jan_feb[1])):
        wj, wf = jan_feb_split(cal, year)
        # Each month's share of the pair follows the calendar's day weights (to the yuan).
        assert abs(Fraction(int(jan), int(jan + feb)) - wj / (wj + wf)) < Fraction(1, 10_000)
    # The shutdown lies in January when the New Year is early: less of the pair falls there.
    assert jan_feb[0][0] / sum(jan_feb[0]) < jan_feb[1][0] / sum(jan_feb[1])
    # The rest of the year does not move.
    assert [m.gmv for m in early.months[2:]] == [m.gmv for m in late.months[2:]]


def test_ramp_scales_the_first_months_and_renormalises(tmp_path):
    plain, ramped = _derived(tmp_path, 2027), _derived(tmp_path, 2027, "  ramp: [0.5, 0.75]\n")
    assert ramped.ramp == [Decimal("0.5"), Decimal("0.75")]
    # Month 3 onwards keep their ratios to each other; the first two are scaled against them.
    m = [x.gmv for x in ramped.months]
    p = [x.gmv for x in plain.months]
    assert abs(m[0] / m[2] - Decimal("0.5") * p[0] / p[2]) < Decimal("0.001")
    assert abs(m[1] / m[2] - Decimal("0.75") * p[1] / p[2]) < Decimal("0.001")
    assert all(a > b for a, b in zip(m[2:], p[2:]))  # the year's total moves to later months
    assert sum(m) == sum(p) == 4_800_000
    # The budget is not ramped: a new store still spends to build traffic.
    assert [x.budget for x in ramped.months] == [x.budget for x in plain.months]


def test_own_seasonality_is_not_reshaped_by_the_calendar(tmp_path):
    t = _derived(tmp_path, 2027, "  seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n")
    assert {m.gmv for m in t.months} == {400000} and not t.calendar_year


def test_ramp_with_given_months_is_a_warning_not_silence(tmp_path):
    text = BASE.replace("  annual_budget: 96万\n", "") + (
        '  months:\n    - {month: "2027-07", gmv: 240万}\n    - {month: "2027-08", gmv: 240万}\n'
        "  ramp: [0.5]\n")
    plan = plan_of(tmp_path, text)
    (w,) = [w for w in plan.warnings if w.code == "PF270"]
    assert w.severity == "warning" and "not applied" in w.message
    assert [m.gmv for m in plan.targets.months] == [2_400_000, 2_400_000]
