"""The library API refuses what it cannot do, instead of succeeding without writing anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from planforge import api

from conftest import EXAMPLES, ROOT

SPEC = EXAMPLES / "ironleaf-cookware.en.yaml"


@pytest.mark.parametrize("formats, error, words", [
    ("pdfx", ValueError, "unknown format 'pdfx'"),
    ([], ValueError, "unknown format (none)"),
    ("", ValueError, "unknown format (none)"),
    (["pptx", "PPTX"], ValueError, "unknown format 'PPTX'"),
    (None, TypeError, "formats must be a list"),
    (b"pptx", TypeError, "formats must be a list"),
    ([1], TypeError, "format names (text)"),
])
def test_build_refuses_formats_it_cannot_make(tmp_path, formats, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        api.build(SPEC, tmp_path / "out", formats=formats)
    assert not (tmp_path / "out").exists()


def test_formats_as_one_string_and_template_as_a_path_work(tmp_path):
    result = api.build(SPEC, tmp_path, formats="pptx", template=ROOT / "templates" / "mono")
    assert [p.name for p in result.outputs] == ["ironleaf-cookware.en.pptx"]
    assert (tmp_path / "ironleaf-cookware.en.pptx").stat().st_size > 10_000


def test_template_of_another_type_is_a_type_error(tmp_path):
    with pytest.raises(TypeError, match="template must be a pack name or folder"):
        api.build(SPEC, tmp_path, template=3)  # type: ignore[arg-type]
    assert list(Path(tmp_path).iterdir()) == []


@pytest.mark.libreoffice
def test_pdfs_are_reproducible_under_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00:00 UTC
    first = api.render(SPEC, formats=["pdf"])
    second = api.render(SPEC, formats=["pdf"])
    for kind in ("deck-pdf", "plan-pdf"):
        assert first.files[kind] == second.files[kind], kind
        assert b"/CreationDate(D:20260101000000" in first.files[kind]
