"""Diagnostics as programs and CI see them: the JSON envelope, GitHub annotations, rule codes,
silenced rules, --quiet and --only-specs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT, example_specs

OUTPUT_SCHEMA = json.loads(
    (ROOT / "schemas" / "check-output.schema.json").read_text(encoding="utf-8")
)
INVALID = sorted((ROOT / "tests" / "cases" / "invalid").glob("*.yaml"))

BAD = (
    "planforge: 1\nmeta: {year: 2027}\nbrnad: {name: X}\ncompany: {name: Y}\n"
    "targets: {annual_gmv: 15w}\n"
)
CLAIMS = (
    "planforge: 1\nmeta: {year: 2027}\n"
    "brand: {name: 测试, slogan: 全网最好的茶}\n"
    "company: {name: 测试公司, intro: 第一届茶博会金奖}\n"
    "targets: {annual_gmv: 100万}\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _envelope(result) -> dict:
    data = json.loads(result.stdout)
    Draft202012Validator(OUTPUT_SCHEMA).validate(data)
    return data


def test_output_schema_is_a_valid_schema():
    Draft202012Validator.check_schema(OUTPUT_SCHEMA)


def test_one_spec_and_several_give_the_same_envelope(cli, tmp_path):
    good = example_specs()[0]
    bad = _write(tmp_path, "bad.yaml", BAD)
    one = _envelope(cli("check", good, "--format", "json"))
    assert one["version"] == 1 and len(one["files"]) == 1
    assert one["files"][0]["status"] == "ok" and one["files"][0]["figures"]["year"]["gmv"]
    both = cli("check", good, bad, "--format", "json")
    assert both.exit_code == 1
    data = _envelope(both)
    assert [f["file"] for f in data["files"]] == [str(good), str(bad)]
    assert data["files"][0] == one["files"][0]


def test_errors_are_records_like_warnings(cli, tmp_path):
    bad = _write(tmp_path, "bad.yaml", BAD)
    [entry] = _envelope(cli("check", bad, "--format", "json"))["files"]
    assert entry["status"] == "invalid" and entry["figures"] is None
    first, second = entry["diagnostics"]
    assert (first["line"], first["column"], first["path"], first["code"]) == (
        3,
        1,
        "$.brnad",
        "PF110",
    )
    assert first["severity"] == "error" and "brand" in first["hint"]
    assert (second["line"], second["column"], second["code"]) == (5, 23, "PF114")
    assert "万" in second["hint"] and "^" not in second["message"]


def test_a_file_that_is_missing_is_a_record_too(cli, tmp_path):
    [entry] = _envelope(cli("check", tmp_path / "nope.yaml", "--format", "json"))["files"]
    [record] = entry["diagnostics"]
    assert record["code"] == "PF100" and "no such file" in record["message"]


def test_github_annotations_point_at_the_line(cli, tmp_path):
    bad = _write(tmp_path, "bad.yaml", BAD)
    claims = _write(tmp_path, "claims.yaml", CLAIMS)
    result = cli("check", bad, claims, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"::error file={bad},line=3,col=1,title=planforge PF110::$.brnad: ")
    assert lines[0].count("did you mean") == 1  # the hint is in the message once, not twice
    assert any(
        re.match(
            rf"::warning file={re.escape(str(claims))},line=3,col=\d+,"
            r"title=planforge PF320::",
            ln,
        )
        for ln in lines
    )


def test_annotation_escapes_newlines_and_commas():
    from planforge.diagnostics import github_annotation
    from planforge.errors import Problem

    text = github_annotation(Problem("a,b:c.yaml", 2, 3, "$.x", "one\ntwo 100%", code="PF112"))
    assert (
        text
        == "::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=planforge PF112::$.x: one%0Atwo 100%25"
    )


def test_quiet_prints_only_problems(cli, tmp_path):
    good = example_specs()[0]
    claims = _write(tmp_path, "claims.yaml", CLAIMS)
    quiet_good = cli("check", "--quiet", good)
    assert quiet_good.exit_code == 0 and quiet_good.stdout == ""
    result = cli("check", "-q", claims)
    assert "PF320" not in result.stdout  # the text format shows the message, not the code
    assert "warning:" in result.stdout and "Readiness" not in result.stdout


def test_only_specs_skips_other_yaml_silently(cli, tmp_path):
    compose = _write(tmp_path, "docker-compose.yml", "services:\n  web: {image: nginx}\n")
    bad = _write(tmp_path, "bad.yaml", BAD)
    skipped = cli("check", "--only-specs", "--strict", "--quiet", compose)
    assert skipped.exit_code == 0 and skipped.stdout == "" and skipped.stderr == ""
    both = cli("check", "--only-specs", "--quiet", compose, bad)
    assert both.exit_code == 1 and "docker-compose" not in both.text and "brnad" in both.stderr


def test_meta_ignore_silences_a_warning_rule(cli, tmp_path):
    loud = _write(tmp_path, "loud.yaml", CLAIMS)
    assert cli("check", "--strict", loud).exit_code == 1
    quiet = _write(
        tmp_path,
        "quiet.yaml",
        CLAIMS.replace("meta: {year: 2027}", "meta: {year: 2027, ignore: [PF320]}"),
    )
    result = cli("check", "--strict", quiet)
    assert result.exit_code == 0, result.text
    assert "Warnings: none" in result.stdout


def test_a_line_comment_silences_only_its_line(cli, tmp_path):
    spec = _write(
        tmp_path,
        "s.yaml",
        CLAIMS.replace(
            "intro: 第一届茶博会金奖}", "intro: 第一届茶博会金奖}  # planforge: ignore[PF320]"
        ),
    )
    [entry] = _envelope(cli("check", spec, "--format", "json"))["files"]
    flagged = [d["path"] for d in entry["diagnostics"]]
    assert flagged == ["$.brand.slogan"]
    everything = _write(
        tmp_path,
        "t.yaml",
        spec.read_text(encoding="utf-8").replace(
            "全网最好的茶}", "全网最好的茶}  # planforge: ignore"
        ),
    )
    assert cli("check", "--strict", everything).exit_code == 0


def test_errors_cannot_be_silenced(cli, tmp_path):
    spec = _write(
        tmp_path, "s.yaml", BAD.replace("brnad: {name: X}", "brnad: {name: X}  # planforge: ignore")
    )
    assert cli("check", spec).exit_code == 1


def test_ignore_takes_only_rule_codes(cli, tmp_path):
    spec = _write(
        tmp_path,
        "s.yaml",
        CLAIMS.replace("meta: {year: 2027}", "meta: {year: 2027, ignore: [adlaw]}"),
    )
    result = cli("validate", spec)
    assert result.exit_code == 1 and "$.meta.ignore[0]" in result.stderr


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_every_invalid_case_has_coded_problems(case):
    from planforge import api
    from planforge.diagnostics import error_problems
    from planforge.errors import SpecError

    with pytest.raises(SpecError) as info:
        api.validate(case)
    problems = error_problems(case, info.value)
    assert problems and all(re.fullmatch(r"PF\d{3}", p.code) for p in problems), [
        (p.code, p.message) for p in problems
    ]


def _rules_table() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    return re.findall(r"^\| (PF\d{3}) \| (\w+) \|", text, re.MULTILINE)


def test_rules_table_is_sorted_and_unique():
    codes = [c for c, _ in _rules_table()]
    assert codes == sorted(set(codes)) and len(codes) > 20


def test_every_code_in_the_source_is_documented():
    documented = {c for c, _ in _rules_table()}
    used = set()
    for path in (ROOT / "planforge").rglob("*.py"):
        used |= set(re.findall(r"\"(PF\d{3})\"", path.read_text(encoding="utf-8")))
    assert used and used <= documented, sorted(used - documented)


def test_dash_capital_v_prints_the_version(cli):
    from planforge import __version__

    result = cli("-V")
    assert result.exit_code == 0 and result.stdout.strip() == f"planforge, version {__version__}"
