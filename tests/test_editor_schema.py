"""What an editor gets from the schema: a published $id, the line init writes, examples,
snippets, enum descriptions in both languages and planforge's own error wording."""

from __future__ import annotations

import json
import re
import tomllib

from jsonschema import Draft202012Validator

from conftest import ROOT

SCHEMA = json.loads((ROOT / "schemas" / "planforge.schema.json").read_text(encoding="utf-8"))


def _walk(node, path="$"):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


def test_id_is_the_schema_file_of_this_repository_at_this_version():
    """The $id is where the committed file is published: the repository's raw file at the tag
    of this version (README's pre-commit rev and the CI workflow name the same tag)."""
    from planforge import __version__

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    repo = project["urls"]["Repository"].removeprefix("https://github.com/")
    assert SCHEMA["$id"] == (
        f"https://raw.githubusercontent.com/{repo}/v{__version__}/schemas/planforge.schema.json"
    )
    assert f"rev: v{__version__}" in (ROOT / "README.md").read_text(encoding="utf-8")
    workflow = (ROOT / "docs" / "ci" / "planforge-check.yml").read_text(encoding="utf-8")
    assert f"PLANFORGE_REF: v{__version__}" in workflow
    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_init_writes_the_schema_lines(cli, tmp_path):
    target = tmp_path / "brand.yaml"
    assert cli("init", target, "--locale", "en").exit_code == 0
    first, second = target.read_text(encoding="utf-8").splitlines()[:2]
    assert first == f"# yaml-language-server: $schema={SCHEMA['$id']}"
    assert second == f"# $schema: {SCHEMA['$id']}"
    assert cli("validate", target).exit_code == 0


def test_every_enum_has_descriptions_in_both_languages():
    # The vocabularies of the format (store type, roles, kinds, ...); an enum added later by a
    # section of its own gets its descriptions with that section.
    described = {"store_type", "locale", "status", "kind", "type", "role", "quarter"}
    enums = [
        (p, n)
        for p, n in _walk(SCHEMA)
        if "enum" in n and len(n["enum"]) > 1 and p.rsplit("/", 1)[-1] in described
    ]
    assert len(enums) >= 8
    for path, node in enums:
        descriptions = node.get("markdownEnumDescriptions")
        assert descriptions and len(descriptions) == len(node["enum"]), path
        for value, text in zip(node["enum"], descriptions):
            assert text.startswith(f"**{value}**"), (path, text)
            assert re.search(r"[\u4e00-\u9fff]", text) and re.search(r"[a-z]{3}", text), text


def test_aliases_name_real_values():
    found = 0
    for path, node in _walk(SCHEMA):
        for alias, value in node.get("x-aliases", {}).items():
            found += 1
            assert value in node["enum"] and alias not in node["enum"], (path, alias)
    assert found >= 30


def test_money_ratio_month_quarter_have_planforge_wording_for_editors():
    for name in ("money", "ratio", "month", "quarter", "date"):
        node = SCHEMA["$defs"][name]
        # The words planforge's own messages use (x-expected), and the same in Chinese.
        assert node["x-expected"] in node["errorMessage"], name
        assert re.search(r"[\u4e00-\u9fff]", node["errorMessage"]), name
        for branch in [node, *node.get("anyOf", [])]:
            if "pattern" in branch:
                assert branch["patternErrorMessage"] == node["errorMessage"]


def test_examples_are_valid_values():
    validator = Draft202012Validator(SCHEMA)
    for name in ("money", "ratio", "month", "date", "year"):
        node = SCHEMA["$defs"][name]
        assert node["examples"]
        for example in node["examples"]:
            sub = Draft202012Validator({**node, "$defs": SCHEMA["$defs"]})
            assert sub.is_valid(example), (name, example)
    assert validator.is_valid  # the schema itself is usable


def test_list_items_have_snippets_that_fill_required_keys():
    snippets = [(p, n) for p, n in _walk(SCHEMA) if "defaultSnippets" in n]
    assert len(snippets) >= 8
    for path, node in snippets:
        [snippet] = node["defaultSnippets"]
        assert snippet["label"] and isinstance(snippet["body"], dict)
        assert set(node.get("required", [])) <= set(snippet["body"]), path
        assert set(snippet["body"]) <= set(node["properties"]), path
