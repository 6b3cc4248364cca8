"""planforge build as a consultant and a CI job use it: batches, atomic and reproducible output, PDF."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import CONTRACT_FULL, CONTRACT_MINIMAL, example_specs, needs_shared


def copy_example(tmp_path: Path, name: str | None = None) -> Path:
    """Copy the first example spec and its assets into tmp_path (optionally under a new stem)."""
    src = example_specs()[0]
    shutil.copytree(src.parent / "assets", tmp_path / "assets", dirs_exist_ok=True)
    target = tmp_path / (name or src.name)
    shutil.copy(src, target)
    return target


def pdf_pages(path: Path) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def test_build_writes_deck_and_plan(cli, tmp_path):
    spec = copy_example(tmp_path)
    result = cli("build", spec, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.text
    deck, plan = tmp_path / "out" / f"{spec.stem}.pptx", tmp_path / "out" / f"{spec.stem}.docx"
    assert zipfile.is_zipfile(deck) and zipfile.is_zipfile(plan)
    assert f"{deck} (" in result.stdout and "slides)" in result.stdout
    assert sorted(os.listdir(tmp_path / "out")) == sorted([deck.name, plan.name])


def test_batch_with_one_broken_spec_builds_the_good_ones(cli, tmp_path):
    good_a = copy_example(tmp_path, "a.yaml")
    good_b = copy_example(tmp_path, "b.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("planforge: 1\nmeta: {year: 2027}\nbrand: {}\n", encoding="utf-8")
    result = cli("build", good_a, broken, good_b, "-o", tmp_path / "out", "--jobs", "2")
    assert result.exit_code == 1, result.text
    built = sorted(os.listdir(tmp_path / "out"))
    assert built == ["a.docx", "a.pptx", "b.docx", "b.pptx"]
    assert f"{broken}:3:1: $.brand.name: missing required key 'name'" in result.stderr
    assert "2 of 3 specs built, 1 failed" in result.stderr


def test_same_bytes_across_runs_and_jobs(cli, tmp_path):
    specs = [copy_example(tmp_path, "a.yaml"), copy_example(tmp_path, "b.yaml")]
    assert cli("build", *specs, "-o", tmp_path / "one", "--jobs", "1").exit_code == 0
    assert cli("build", *specs, "-o", tmp_path / "two", "--jobs", "2").exit_code == 0
    for name in ("a.pptx", "a.docx", "b.pptx", "b.docx"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_failed_rebuild_leaves_the_earlier_deck_untouched(cli, tmp_path):
    spec = copy_example(tmp_path)
    out = tmp_path / "out"
    assert cli("build", spec, "-o", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # A template error happens after validation, in the middle of rendering.
    pack = tmp_path / "pack"
    assert cli("templates", "new", pack, "--from", "default").exit_code == 0
    from pptx import Presentation

    prs = Presentation(str(pack / "deck.pptx"))
    prs.slides[0].shapes.add_textbox(0, 0, 100, 100).text_frame.text = "{{ brand.no_such_field }}"
    prs.save(str(pack / "deck.pptx"))
    result = cli("build", spec, "-o", out, "--template", pack)
    assert result.exit_code == 1, result.text
    assert "no_such_field" in result.stderr and "slide 1" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_missing_libreoffice_is_a_clear_error_and_writes_nothing(cli, tmp_path, monkeypatch):
    spec = copy_example(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv("PLANFORGE_SOFFICE", raising=False)
    import planforge.pdf

    monkeypatch.setattr(planforge.pdf, "standard_locations", lambda: [])  # not installed anywhere
    result = cli("build", spec, "-o", tmp_path / "out", "--to", "pptx,pdf")
    assert result.exit_code == 1
    assert "LibreOffice" in result.stderr and "apt-get install" in result.stderr
    assert not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out")


def test_unwritable_output_is_exit_1(cli, tmp_path):
    spec = copy_example(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = cli("build", spec, "-o", blocker / "out")
    assert result.exit_code in (1, 2), result.text
    assert "Traceback" not in result.stderr


def build_specs():
    return [*example_specs(), *([CONTRACT_FULL, CONTRACT_MINIMAL] if CONTRACT_FULL.exists() else [])]


@pytest.mark.libreoffice
@pytest.mark.parametrize("spec", build_specs(), ids=lambda p: p.name)
def test_every_example_and_contract_spec_converts_to_pdf(cli, tmp_path, spec):
    result = cli("build", spec, "-o", tmp_path, "--to", "pptx,docx,pdf")
    assert result.exit_code == 0, result.text
    deck_pdf, plan_pdf = tmp_path / f"{spec.stem}-deck.pdf", tmp_path / f"{spec.stem}-plan.pdf"
    slides = sum(1 for n in zipfile.ZipFile(tmp_path / f"{spec.stem}.pptx").namelist()
                 if n.startswith("ppt/slides/slide") and n.endswith(".xml"))
    assert pdf_pages(deck_pdf) == slides
    assert pdf_pages(plan_pdf) >= 3


@needs_shared
def test_full_contract_deck_has_twenty_slides_or_more(cli, tmp_path):
    result = cli("build", CONTRACT_FULL, "-o", tmp_path, "--to", "pptx")
    assert result.exit_code == 0, result.text
    names = zipfile.ZipFile(io.BytesIO((tmp_path / "contract-full.zh.pptx").read_bytes())).namelist()
    assert sum(1 for n in names if n.startswith("ppt/slides/slide")) >= 20
