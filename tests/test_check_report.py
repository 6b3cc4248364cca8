"""The check report: JSON-safe figures, warnings and readiness, and its terminal text."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from planforge.report import check_report, format_check_text
from planforge.loader import load_spec, parse_spec
from planforge.model import build_model

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "specs"
EXAMPLE = ROOT / "examples" / "mutang-skincare.zh.yaml"

SPEC = """\
planforge: 1
meta: {year: 2027, locale: en}
brand: {name: Acme, slogan: The best pans}
company: {name: Acme Co.}
targets:
  annual_gmv: 300000
  annual_budget: 60000
  funnel: {conversion_rate: 2%, average_order_value: 100}
  months:
    - {month: "2027-01", gmv: 100000, budget: 20000}
    - {month: "2027-02", gmv: 100000, budget: 20000}
    - {month: "2027-03", gmv: 100000, budget: 20000}
roadmap:
  - quarter: Q1
    budget: [{channel: Search ads, amount: 50000}]
"""


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return check_report(build_model(parse_spec(SPEC, path)))


def test_report_is_json_safe_and_exact(report):
    assert json.loads(json.dumps(report)) == report
    year = report["year"]
    assert year == {"gmv": "300000", "budget": "60000", "budget_ratio": "0.2", "roi": "5",
                    "orders": 3000, "visitors": 150000, "share": "1"}
    assert [q["quarter"] for q in report["quarters"]] == ["Q1"]
    assert [m["month"] for m in report["months"]] == ["2027-01", "2027-02", "2027-03"]
    assert report["file"].endswith("acme.yaml")

    def floats(value):
        if isinstance(value, dict):
            return any(floats(v) for v in value.values())
        if isinstance(value, list):
            return any(floats(v) for v in value)
        return isinstance(value, float)
    assert not floats(report)


def test_report_lists_warnings_and_readiness(report):
    messages = [w["message"] for w in report["warnings"]]
    assert any("50,000" in m and "60,000" in m and "10,000 less" in m for m in messages)
    assert any("'best'" in m for m in messages)
    assert all(w["severity"] == "warning" and w["line"] > 0 for w in report["warnings"])
    readiness = report["readiness"]
    assert readiness["met"] + readiness["missing"] + readiness["not_applicable"] == \
        len(readiness["items"])
    assert {i["status"] for i in readiness["items"]} <= {"met", "missing", "na"}


def test_text_summary(report):
    text = format_check_text(report)
    assert "Year 2027: GMV ¥300,000, budget ¥60,000 (20.00% of GMV), ROI 5.00" in text
    assert "Q1" in text and "Warnings (2):" in text
    assert "✗ Trademark (R or TM)" in text and "→ add brand.trademark" in text
    assert "acme.yaml:" in text


def test_text_summary_of_a_clean_chinese_plan(any_language):
    report = check_report(build_model(load_spec(EXAMPLE)))
    text = format_check_text(report)  # the spec says meta.locale: zh-CN
    assert "成交额 480万，推广预算 120万（推广费占比 25.00%），ROI 4.00" in text
    assert "警告：无" in text and "✓ 商标（R标或TM标）" in text
    from planforge.i18n import using

    with using("en"):  # --lang en
        english = format_check_text(report)
    assert "GMV 480万, budget 120万 (25.00% of GMV), ROI 4.00" in english
    assert "Warnings: none" in english


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/specs is not here")
def test_full_contract_report_figures():
    report = check_report(build_model(load_spec(SHARED / "contract-full.zh.yaml")))
    assert report["warnings"] == []
    assert Decimal(report["year"]["gmv"]) == 6_000_000
    assert Decimal(report["year"]["budget_ratio"]) == Decimal("0.25")
    assert sum(Decimal(q["gmv"]) for q in report["quarters"]) == 6_000_000
    assert report["readiness"]["missing"] == 0
