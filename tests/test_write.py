"""Atomic, all-or-nothing writes and reproducible OOXML zips."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import pytest

from planforge.errors import OutputError
from planforge.write import atomic_write_many, build_time, normalize_ooxml


def make_zip(stamp=(2024, 5, 6, 7, 8, 9), modified="2024-05-06T07:08:09Z") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in [("word/document.xml", "<doc/>"), ("[Content_Types].xml", "<Types/>"),
                           ("docProps/core.xml",
                            '<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t" '
                            'xmlns:xsi="x"><dc:title>old</dc:title><dcterms:modified '
                            f'xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified>'
                            '</cp:coreProperties>')]:
            z.writestr(zipfile.ZipInfo(name, date_time=stamp), text)
    return buf.getvalue()


def test_normalize_gives_same_bytes_for_different_save_times():
    when = build_time(dt.date(2026, 12, 1))
    a = normalize_ooxml(make_zip(), when, title="计划 & 预算")
    b = normalize_ooxml(make_zip((2025, 1, 1, 0, 0, 0), "2025-01-01T00:00:00Z"), when,
                        title="计划 & 预算")
    assert a == b
    z = zipfile.ZipFile(io.BytesIO(a))
    assert z.namelist()[0] == "[Content_Types].xml"
    core = z.read("docProps/core.xml").decode()
    assert "2026-12-01T00:00:00Z" in core and "<dc:title>计划 &amp; 预算</dc:title>" in core


def test_a_title_with_backslashes_is_written_as_text():
    title = r"C:\A \1 plan\g0"
    data = normalize_ooxml(make_zip(), build_time(dt.date(2026, 12, 1)), title=title)
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert f"<dc:title>{title}</dc:title>" in core


def test_source_date_epoch_wins(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_time(dt.date(2026, 12, 1)).year == 2023


def test_writes_all_files(tmp_path):
    a, b = tmp_path / "out" / "a.pptx", tmp_path / "out" / "b.docx"
    atomic_write_many({a: b"A", b: b"B"})
    assert a.read_bytes() == b"A" and b.read_bytes() == b"B"
    assert sorted(os.listdir(tmp_path / "out")) == ["a.pptx", "b.docx"]


def test_failure_leaves_earlier_outputs_and_no_temp_files(tmp_path):
    good = tmp_path / "deck.pptx"
    good.write_bytes(b"earlier deck")
    blocked = tmp_path / "plan.docx"
    blocked.mkdir()  # a folder where a file should go: the second write must fail
    with pytest.raises(OutputError, match="is a folder"):
        atomic_write_many({good: b"new deck", blocked: b"plan"})
    assert good.read_bytes() == b"earlier deck"
    assert sorted(os.listdir(tmp_path)) == ["deck.pptx", "plan.docx"]
