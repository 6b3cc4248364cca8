"""Each shipped pack's content, as a reviewer reads it: slide by slide, part by part.

``tests/golden/<pack>.outline`` is the outline of the pack's deck and plan (slide layouts, notes
directives, shape names and texts with their tags, table cells, chart categories and series;
the plan's paragraphs and table cells). A change to a pack's content shows up here as a diff to
review; restyling in PowerPoint or Word leaves it alone. After a deliberate change, run
``python tools/outline.py --write`` and commit the new outlines.
"""

from __future__ import annotations

import difflib
import importlib.util

import pytest

from conftest import ROOT


def _outline_tool():
    spec = importlib.util.spec_from_file_location("outline", ROOT / "tools" / "outline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("pack", ["default", "mono"])
def test_pack_content_matches_its_golden_outline(pack):
    golden = (ROOT / "tests" / "golden" / f"{pack}.outline").read_text(encoding="utf-8")
    actual = _outline_tool().outline(pack)
    diff = "".join(difflib.unified_diff(golden.splitlines(True), actual.splitlines(True),
                                        f"golden/{pack}.outline", f"templates/{pack}", n=1))
    assert not diff, ("the pack's content changed; review, then run "
                      f"'python tools/outline.py --write':\n{diff[:4000]}")


def test_the_outline_shows_titles_cells_and_chart_series():
    text = _outline_tool().outline("default")
    assert "slide 1 [" in text and "notes: @" in text
    assert "{{ labels.deck." in text
    assert "table '" in text and "  | " in text
    assert "chart 'chart:monthly'" in text and "series [" in text
    assert "# plan.docx" in text and "{%tr for" in text
