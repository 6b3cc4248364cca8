"""Finding LibreOffice: --soffice / PLANFORGE_SOFFICE, PATH, then the usual install folders."""

from __future__ import annotations

import os
import stat

import pytest

from planforge import pdf
from planforge.errors import ConversionError


def _fake_program(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_environment_variable_wins(tmp_path, monkeypatch):
    program = _fake_program(tmp_path / "lo" / "soffice")
    monkeypatch.setenv("PLANFORGE_SOFFICE", str(program))
    assert pdf.find_soffice() == str(program)


def test_a_wrong_path_is_said_not_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANFORGE_SOFFICE", str(tmp_path / "nowhere" / "soffice"))
    with pytest.raises(ConversionError, match="PLANFORGE_SOFFICE"):
        pdf.find_soffice()


def test_standard_locations_are_searched_when_path_has_none(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANFORGE_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    program = _fake_program(tmp_path / "Applications" / "LibreOffice.app" / "soffice")
    monkeypatch.setattr(pdf, "standard_locations", lambda: [str(tmp_path / "no"), str(program)])
    assert pdf.find_soffice() == str(program)
    monkeypatch.setattr(pdf, "standard_locations", lambda: [])
    with pytest.raises(ConversionError, match="--soffice PATH"):
        pdf.find_soffice()


def test_windows_and_macos_locations_are_known(monkeypatch):
    monkeypatch.setenv("PROGRAMFILES", r"D:\Apps")
    places = pdf.standard_locations()
    assert os.path.join(r"D:\Apps", "LibreOffice", "program", "soffice.exe") in places
    assert os.path.join(r"C:\Program Files", "LibreOffice", "program", "soffice.exe") in places
    assert "/Applications/LibreOffice.app/Contents/MacOS/soffice" in places


def test_build_soffice_option_reaches_the_converter(cli, tmp_path, monkeypatch):
    from conftest import example_specs

    monkeypatch.setenv("PLANFORGE_SOFFICE", "")  # restored after the test, whatever --soffice sets
    result = cli(
        "build",
        example_specs()[0],
        "-o",
        tmp_path,
        "--to",
        "pdf",
        "--soffice",
        tmp_path / "missing-soffice",
    )
    assert result.exit_code == 1 and "missing-soffice" in result.stderr
    assert not list(tmp_path.glob("*.pdf"))


def test_old_format_spelling_still_works_with_a_note(cli, tmp_path):
    from conftest import example_specs

    result = cli("build", example_specs()[0], "-o", tmp_path, "--format", "pptx")
    assert result.exit_code == 0, result.text
    assert "deprecated" in result.stderr and "--to pptx" in result.stderr
    assert list(tmp_path.glob("*.pptx")) and not list(tmp_path.glob("*.docx"))
    both = cli("build", example_specs()[0], "-o", tmp_path, "--format", "pptx", "--to", "docx")
    assert both.exit_code == 2
