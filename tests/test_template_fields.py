"""planforge templates fields: what a template can print with one spec, without reading code."""

from __future__ import annotations

import json
import re

from conftest import EXAMPLES

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
