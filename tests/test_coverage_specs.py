"""The coverage specs `templates check` renders a pack with: together they use the whole format.

Each test walks the schema itself, so a field or a value added to the schema and to no coverage
spec fails here instead of going unchecked in every pack.
"""

from __future__ import annotations

import shutil

import pytest
import yaml
from docx import Document
from schema_helpers import data_map, schema_map

from planforge.loader import load_spec
from planforge.packs import find_pack
from planforge.resources import coverage_specs

# Fields no coverage spec gives, and why: they name files beside the spec (a rules table, a
# festival calendar), which a spec shipped inside the package cannot have; what they change is
# figures, which the shipped tables give as well.
NOT_COVERED = {"meta.rules", "meta.calendar"}


def _datas() -> dict[str, dict]:
    # As planforge reads them, and as any YAML reader would.
    for p in coverage_specs():
        assert yaml.safe_load(p.read_text(encoding="utf-8")) == load_spec(p).data, p
    return {p.name: load_spec(p).data for p in coverage_specs()}


def _union() -> tuple[dict[str, list], set[str]]:
    values: dict[str, list] = {}
    extended: set[str] = set()
    for data in _datas().values():
        found, x = data_map(data)
        for name, items in found.items():
            values.setdefault(name, []).extend(items)
        extended |= x
    return values, extended


def test_there_is_a_coverage_spec_in_each_language():
    locales = {d["meta"].get("locale") for d in _datas().values()}
    assert {"zh-CN", "en"} <= locales, locales


def test_together_they_use_every_value_of_every_list_the_schema_fixes():
    values, _ = _union()
    schema = schema_map()
    assert len(schema.enums) >= 12  # store types, trademark status, roles, quarters, ...
    missing = {
        path: [v for v in allowed if v not in values.get(path, [])]
        for path, allowed in schema.enums.items()
    }
    assert not {p: v for p, v in missing.items() if v}


def test_together_they_give_every_field_and_an_x_field_on_every_mapping():
    values, extended = _union()
    schema = schema_map()
    assert schema.top_optional <= set(values)  # economics, qualification, promotion, ...
    missing = sorted(schema.properties - NOT_COVERED - set(values))
    assert not missing
    assert NOT_COVERED <= schema.properties  # the exemptions still name fields of the schema
    assert values["meta.labels"] and all(values["meta.labels"])  # label overrides
    without_x = sorted(schema.objects - extended)
    assert not without_x


def test_each_one_validates_without_errors():
    from planforge.api import validate

    for path in coverage_specs():
        validate(path)  # raises SpecError listing every error


def test_templates_check_renders_them_after_the_examples(cli):
    result = cli("templates", "check", "default")
    assert result.exit_code == 0, result.text
    rendered = [ln.strip() for ln in result.stdout.splitlines() if "rendered with" in ln]
    assert rendered == (
        ["rendered with ironleaf-cookware.en.yaml", "rendered with mutang-skincare.zh.yaml"]
        + [f"rendered with coverage/{p.name}" for p in coverage_specs()]
    )


def test_a_failure_only_a_coverage_spec_meets_is_named_with_it(cli, tmp_path):
    """The examples have no franchise store: only the coverage spec reaches this paragraph."""
    pack = tmp_path / "franchise-only"
    shutil.copytree(find_pack("default").root, pack)
    plan = Document(str(pack / "plan.docx"))
    plan.add_paragraph('{% if meta.store_type == "franchise" %}{{ 1 // 0 }}{% endif %}')
    plan.save(str(pack / "plan.docx"))
    result = cli("templates", "check", pack)
    assert result.exit_code == 1, result.text
    problems = [ln for ln in result.stdout.splitlines() if "1 // 0" in ln or "division" in ln]
    assert problems and all(
        ln.startswith("coverage spec coverage/franchise.zh.yaml: ") for ln in problems
    ), result.text
    assert "1 problem" in result.stdout


@pytest.mark.parametrize("command", ["check", "build"])
def test_templates_check_and_build_refuse_the_same_pack_name(cli, tmp_path, command):
    from conftest import EXAMPLES

    spec = EXAMPLES / "ironleaf-cookware.en.yaml"
    args = {
        "check": ("templates", "check", "no-such-pack"),
        "build": ("build", spec, "-o", tmp_path / "out", "--template", "no-such-pack"),
    }
    result = cli(*args[command])
    assert result.exit_code == 1, result.text
    assert "no template pack named 'no-such-pack'" in result.stderr, result.text
