"""planforge templates fields: what a template can print with one spec, without reading code."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import EXAMPLES
from planforge.resources import coverage_specs

EN_SPEC = EXAMPLES / "ironleaf-cookware.en.yaml"
MINIMAL = """\
planforge: 1
meta: {year: 2027, locale: en}
brand: {name: Solo}
company: {name: Solo Co}
targets: {annual_gmv: 1200000}
"""


def rows(text: str) -> dict[str, tuple[str, str]]:
    out = {}
    for line in text.splitlines():
        name, kind, value = re.split(r"\s{2,}", line.strip(), maxsplit=2)
        out[name] = (kind, value)
    return out


def test_fields_show_names_types_and_this_specs_values(cli):
    result = cli("templates", "fields", EN_SPEC)
    assert result.exit_code == 0, result.text
    found = rows(result.stdout)
    assert found["brand.name"] == ("text", "Ironleaf")
    assert found["meta.year"] == ("whole number", "2027")
    assert found["targets.annual_gmv"] == ("money (yuan)", "4000000")
    # A list: its length, then its first item.
    assert found["products"][1].startswith("6 items")
    assert found["products[0].name"][1] == "Ironleaf 26cm Cast Iron Skillet"
    # The user's own fields and a label the spec rewords.
    assert found["x.consultant.name"] == ("text", "Harbour Lane Consulting")
    assert found["brand.x.internal_code"] == ("text", "IRL-01")
    assert found["labels.deck.highlights"] == ("text", "Why Ironleaf is ready for Tmall")
    assert found["labels.deck.contents"] == ("text", "Contents")
    assert "charts.monthly.series[0].name" in found


def test_a_section_the_spec_lacks_still_shows_its_fields(cli, tmp_path):
    spec = tmp_path / "solo.yaml"
    spec.write_text(MINIMAL, encoding="utf-8")
    found = rows(cli("templates", "fields", spec).stdout)
    assert found["swot.strengths"] == ("list of text", "—")
    assert found["products"] == ("list of Product", "0 items")
    assert found["products[0].price"] == ("money (yuan)", "—")


def test_fields_as_json_with_another_pack(cli):
    result = cli("templates", "fields", EN_SPEC, "--template", "mono", "--format", "json")
    assert result.exit_code == 0, result.text
    data = {r["name"]: r for r in json.loads(result.stdout)}
    assert data["company.registered_capital"]["value"] == "5000000"
    assert data["brand.culture"]["count"] == 3
    assert data["labels.deck.contents"]["value"] == "Contents"


def test_fields_of_a_bad_spec_say_why(cli, tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(MINIMAL.replace("name: Solo}", "nmae: Solo}"), encoding="utf-8")
    result = cli("templates", "fields", spec)
    assert result.exit_code == 1
    assert "did you mean 'name'" in result.stderr


#: Spec keys that templates know by another name.
RENAMED = {"brand.trademark.class": "brand.trademark.class_",  # `class` is a Python keyword
           "planforge": None}  # the format's version, not data of the brand


def _spec_fields(node, path=""):
    """Every field a spec gives a value to, dotted, list positions as [] (x- fields aside)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not str(key).startswith("x-"):
                yield from _spec_fields(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for value in node:
            yield from _spec_fields(value, path + "[]")
    else:
        yield path


@pytest.mark.parametrize("spec", coverage_specs(), ids=lambda p: p.name)
def test_every_field_a_spec_gives_reaches_templates(cli, spec):
    # A field the schema accepts and the model drops would validate and never print: the
    # coverage specs give every field, so each must be a name templates can use.
    result = cli("templates", "fields", spec, "--format", "json")
    assert result.exit_code == 0, result.text
    names = {re.sub(r"\[\d+\]", "[]", row["name"]) for row in json.loads(result.stdout)}
    given = yaml.safe_load(spec.read_text(encoding="utf-8"))
    labels = {f"meta.labels.{key}" for key in _spec_fields(given.get("meta", {}).get("labels", {}))}
    lost = sorted(
        field
        for field in set(_spec_fields(given)) - labels
        if RENAMED.get(field, field) is not None and RENAMED.get(field, field) not in names
    )
    assert lost == []
