"""The benchmark's own parts work: the floor script writes both documents, generated specs are valid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks"
EXAMPLE = REPO / "examples" / "mutang-skincare.zh.yaml"


def test_floor_writes_a_deck_and_a_plan(tmp_path):
    from docx import Document
    from pptx import Presentation

    subprocess.run([sys.executable, str(BENCH / "floor.py"), str(EXAMPLE), "-o", str(tmp_path)],
                   check=True, capture_output=True)
    deck = Presentation(str(tmp_path / "mutang-skincare.zh.pptx"))
    assert len(deck.slides) >= 15
    charts = [s for slide in deck.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 3
    plan = Document(str(tmp_path / "mutang-skincare.zh.docx"))
    assert len(plan.tables) == 4
    assert any("沐棠" in p.text for p in plan.paragraphs)


@pytest.fixture
def specgen(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import specgen

    return specgen


def test_generated_specs_are_valid(specgen, tmp_path):
    import planforge

    variants = specgen.variants(EXAMPLE, 3, tmp_path / "batch")
    grown = specgen.grown(EXAMPLE, 12, tmp_path / "grow")
    for spec in [*variants, grown]:
        planforge.validate(spec)
    assert len(planforge.load_plan(grown).products) == 12
