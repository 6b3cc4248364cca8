"""The JSON Schema: well formed, documented everywhere, closed, and in step with planforge.units."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from planforge import units
from planforge.resources import read_schema

SCHEMA = read_schema()


def _nodes(node, path="$"):
    """Yield (path, schema) for every subschema, $defs included."""
    yield path, node
    for name, sub in node.get("properties", {}).items():
        yield from _nodes(sub, f"{path}.{name}")
    if isinstance(node.get("items"), dict):
        yield from _nodes(node["items"], f"{path}[]")
    for name, sub in node.get("$defs", {}).items():
        yield from _nodes(sub, f"#/$defs/{name}")
    for i, sub in enumerate(node.get("anyOf", [])):
        yield from _nodes(sub, f"{path}|{i}")


def test_is_a_valid_draft_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"].startswith("https://")
    Draft202012Validator.check_schema(SCHEMA)


def test_every_property_has_a_title_and_description():
    missing = []
    for path, node in _nodes(SCHEMA):
        for name, sub in node.get("properties", {}).items():
            if not sub.get("title") or not sub.get("description"):
                missing.append(f"{path}.{name}")
    assert missing == []


def test_every_object_is_closed_but_takes_x_fields():
    """Unknown keys are errors everywhere; keys that begin with x- are the user's, everywhere."""
    wrong = []
    for path, node in _nodes(SCHEMA):
        if node.get("type") != "object":
            continue
        if "properties" in node:
            if node.get("additionalProperties") is not False or node.get(
                    "patternProperties") != {"^x-": {"$ref": "#/$defs/extension"}}:
                wrong.append(path)
        elif not isinstance(node.get("additionalProperties"), dict):
            wrong.append(path)  # a mapping of free keys (meta.labels) still types its values
    assert wrong == []


def test_required_fields():
    assert SCHEMA["properties"]["planforge"]["const"] == 1
    for section, field in [("meta", "year"), ("brand", "name"), ("company", "name"),
                           ("targets", "annual_gmv")]:
        assert section in SCHEMA["required"]
        assert field in SCHEMA["properties"][section]["required"]
    optional = set(SCHEMA["properties"]) - set(SCHEMA["required"])
    assert optional >= {"qualification", "team", "products", "market", "swot", "roadmap", "promotion", "service",
                        "membership", "risks", "economics"}


def test_patterns_are_the_ones_units_parses():
    money, ratio = SCHEMA["$defs"]["money"]["anyOf"], SCHEMA["$defs"]["ratio"]["anyOf"]
    assert money[1]["pattern"] == units.MONEY_PATTERN
    assert ratio[1]["pattern"] == units.RATIO_PATTERN


def test_alternatives_say_what_they_expect():
    """A failed anyOf is reported with x-expected, never with a dump of its branches."""
    for path, node in _nodes(SCHEMA):
        if "anyOf" in node or "pattern" in node or "format" in node:
            assert "x-expected" in node or "|" in path, path


def _check(def_name: str, value) -> bool:
    schema = {"$ref": f"#/$defs/{def_name}", "$defs": SCHEMA["$defs"]}
    return Draft202012Validator(schema).is_valid(value)


@pytest.mark.parametrize("value", [0, 150000, 6.5, "15万", "6.25万", "1.2亿", "¥150,000", "150000元",
                                   "￥ 1,234.5", "3万元"])
def test_money_accepts(value):
    assert _check("money", value)
    units.parse_money(value)  # and planforge.units reads every form the schema lets through


@pytest.mark.parametrize("value", [-1, "15w", "-3万", "1,50,000", "万", "", True, None, [1]])
def test_money_rejects(value):
    assert not _check("money", value)


@pytest.mark.parametrize("value, ok", [(0, True), (1, True), (0.028, True), ("2.8%", True),
                                       (1.5, False), (-0.1, False), ("2.8", False),
                                       ("abc%", False)])
def test_ratio(value, ok):
    assert _check("ratio", value) is ok


@pytest.mark.parametrize("value, ok", [("2027-01", True), ("2027-12", True), ("2027-13", False),
                                       ("2027-1", False), ("2027/01", False), (202701, False)])
def test_month(value, ok):
    assert _check("month", value) is ok


@pytest.mark.parametrize("value, ok", [(2009, True), ("2012-03-15", True), ("2009", False),
                                       ("2012-03", False)])
def test_year_or_date(value, ok):
    assert _check("year_or_date", value) is ok


def test_enums_cover_the_contract_values():
    props = SCHEMA["properties"]
    store_types = props["meta"]["properties"]["store_type"]["enum"]
    assert store_types == ["flagship", "specialty", "franchise"]
    assert props["meta"]["properties"]["locale"]["enum"] == ["zh-CN", "en"]
    assert set(props["products"]["items"]["properties"]["role"]["enum"]) == {
        "hero", "traffic", "profit", "bundle", "image", "new"}
    kinds = props["promotion"]["properties"]["channels"]["items"]["properties"]["kind"]["enum"]
    assert {"paid", "platform", "social", "offsite", "free"} <= set(kinds)
    assert SCHEMA["$defs"]["quarter"]["enum"] == ["Q1", "Q2", "Q3", "Q4"]


def test_descriptions_are_sentences_for_people():
    for path, node in _nodes(SCHEMA):
        text = node.get("description", "")
        assert not re.search(r"\bTODO\b|\$ref|#/", text), path
