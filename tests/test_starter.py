"""The starter spec written by `planforge init`: valid as it is, answers filled in."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planforge.loader import parse_spec
from planforge.model import build_model
from planforge.starter import starter_spec


def _check(text: str, tmp_path):
    from planforge.validation import validate

    path = tmp_path / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    spec = parse_spec(text, path)
    assert validate(spec) == []
    return build_model(spec)


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_placeholder_starter_validates_and_builds(locale, tmp_path):
    text = starter_spec(locale)
    plan = _check(text, tmp_path)
    assert plan.meta.locale == locale
    assert plan.warnings == []
    assert text.count("\n#") > 20  # commented sections explain the format


def test_answers_are_filled_in(tmp_path):
    answers = {"brand": '青岚 "Qinglan": 茶', "company": "福建青岚茶业有限公司",
               "year": 2028, "annual_gmv": "600万"}
    plan = _check(starter_spec("zh-CN", answers), tmp_path)
    assert plan.brand.name == '青岚 "Qinglan": 茶'
    assert plan.company.name == "福建青岚茶业有限公司"
    assert plan.meta.year == 2028
    assert plan.targets.annual_gmv == Decimal(6_000_000)
    assert plan.targets.months[0].month == "2028-01"


def test_english_starter_explains_sections():
    text = starter_spec("en", {"brand": "Acme", "company": "Acme Co.", "year": 2027,
                               "annual_gmv": 2500000})
    assert "annual_gmv: 2500000" in text
    for section in ("team:", "products:", "roadmap:", "promotion:", "membership:", "risks:"):
        assert f"# {section}" in text
    assert "required" in text.lower()
