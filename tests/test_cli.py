"""The command line as a user meets it: help, exit codes, messages, several specs at once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import CONTRACT_FULL, CONTRACT_MINIMAL, example_specs, needs_shared

BROKEN = "planforge: 1\nmeta: {year: 2027}\nbrnad: {name: X}\ncompany: {name: Y}\ntargets: {annual_gmv: 100}\n"


def test_help_lists_every_command(cli):
    result = cli("--help")
    assert result.exit_code == 0, result.text
    for command in ("build", "check", "init", "schema", "templates", "validate"):
        assert command in result.stdout


def test_version(cli):
    from planforge import __version__

    assert __version__ in cli("--version").stdout


def test_usage_errors_exit_2(cli):
    assert cli("validate").exit_code == 2
    assert cli("frobnicate").exit_code == 2
    assert cli("build", "x.yaml", "--jobs", "0").exit_code == 2


def test_unknown_format_is_a_usage_error(cli, tmp_path):
    result = cli("build", tmp_path / "x.yaml", "--to", "pptx,odp")
    assert result.exit_code == 2 and "odp" in result.stderr


def test_schema_is_json_with_id(cli):
    schema = json.loads(cli("schema").stdout)
    assert schema["$id"] and schema["$schema"].endswith("2020-12/schema")


@needs_shared
def test_contract_specs_validate(cli):
    result = cli("validate", CONTRACT_FULL, CONTRACT_MINIMAL)
    assert result.exit_code == 0, result.text


def test_examples_validate(cli):
    specs = example_specs()
    assert len(specs) >= 2
    result = cli("validate", *specs)
    assert result.exit_code == 0, result.text


def test_bad_spec_exits_1_with_location_and_suggestion(cli, tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(BROKEN, encoding="utf-8")
    result = cli("validate", spec)
    assert result.exit_code == 1, result.text
    assert f"{spec}:3:1: $.brnad" in result.stderr
    assert "did you mean 'brand'" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_bad_spec_does_not_stop_the_others(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    good = example_specs()[0]
    result = cli("validate", bad, good, tmp_path / "missing.yaml")
    assert result.exit_code == 1
    assert f"{good}: valid" in result.stdout
    assert "no such file" in result.stderr


def test_internal_error_exits_70_without_traceback_unless_debug(cli, monkeypatch):
    import planforge.api

    def boom(path):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(planforge.api, "validate", boom)
    result = cli("validate", "x.yaml")
    assert result.exit_code == 70 and "internal error" in result.stderr
    assert "Traceback" not in result.stderr
    result = cli("--debug", "validate", "x.yaml")
    assert result.exit_code == 70 and "Traceback" in result.stderr


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "planforge", "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "planforge" in result.stdout


def test_init_writes_a_starter_that_validates(cli, tmp_path):
    target = tmp_path / "brand.yaml"
    result = cli("init", target, "--locale", "en")
    assert result.exit_code == 0, result.text
    assert target.read_text(encoding="utf-8").lstrip().startswith("#")
    assert cli("validate", target).exit_code == 0
    again = cli("init", target)
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_init_in_a_terminal_asks_the_essentials(cli, tmp_path, monkeypatch):
    import planforge.cli.initcmd

    monkeypatch.setattr(planforge.cli.initcmd, "is_terminal", lambda: True)
    target = tmp_path / "qinglan.yaml"
    result = cli("init", target, "--locale", "zh-CN", input="青岚\n福建青岚茶业有限公司\n2027\n600万\n")
    assert result.exit_code == 0, result.text
    text = target.read_text(encoding="utf-8")
    assert "青岚" in text and "福建青岚茶业有限公司" in text and "600万" in text
    check = cli("check", target, "--format", "json")
    assert check.exit_code == 0, check.text
    assert json.loads(check.stdout)["files"][0]["figures"]["year"]["gmv"] == "6000000"


def test_check_strict_fails_on_warnings(cli, tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "planforge: 1\nmeta: {year: 2027}\nbrand: {name: 测试, slogan: 全网最好的茶}\n"
        "company: {name: 测试公司}\ntargets: {annual_gmv: 100万}\n", encoding="utf-8")
    relaxed = cli("check", spec)
    assert relaxed.exit_code == 0, relaxed.text
    strict = cli("check", spec, "--strict")
    assert strict.exit_code == 1
    assert "$.brand.slogan" in strict.stdout + strict.stderr


def test_build_is_quiet_when_not_a_terminal(tmp_path):
    """No progress bar or control characters when the output goes to a file or a CI log."""
    from conftest import example_specs

    specs = example_specs()
    result = subprocess.run([sys.executable, "-m", "planforge", "build", *map(str, specs),
                             "-o", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout + result.stderr
    assert result.stdout.count(": built ") == len(specs)
