"""Charts read right in LibreOffice: month labels below a cumulative result that starts with
losses, the price-band axis in 元, and festival labels in the Gantt at a legible size."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Emu

from conftest import EXAMPLES
from planforge.api import build
from pptx_engine_helpers import walk_shapes

ZH_SPEC = EXAMPLES / "mutang-skincare.zh.yaml"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    build(ZH_SPEC, out)
    return out / f"{ZH_SPEC.stem}.docx", out / f"{ZH_SPEC.stem}.pptx"


def _charts(path, prefix):
    with zipfile.ZipFile(path) as z:
        return [
            etree.fromstring(z.read(n))
            for n in z.namelist()
            if re.fullmatch(prefix + r"charts/chart\d+\.xml", n)
        ]


def test_the_cumulative_results_months_sit_below_the_plot(documents):
    lines = [
        c
        for c in _charts(documents[0], "word/")
        if c.find(f".//{C}lineChart") is not None and c.find(f".//{C}barChart") is None
    ]
    assert lines, "the plan has its cumulative result chart"
    values = [float(v.text) for v in lines[0].iter(f"{C}v") if re.fullmatch(r"-?[\d.]+", v.text)]
    assert min(values) < 0  # starts with losses: the zero line runs through the plot
    position = lines[0].find(f".//{C}catAx/{C}tickLblPos")
    assert position is not None and position.get("val") == "low"


def test_the_price_band_axis_prints_yuan(documents):
    deck = Presentation(str(documents[1]))
    frames = [s for slide in deck.slides for s in slide.shapes if s.name == "chart:price_bands"]
    assert frames
    fmt = frames[0].chart._chartSpace.find(f".//{C}valAx/{C}numFmt")
    assert fmt.get("sourceLinked") == "0" and "元" in fmt.get("formatCode")


def test_festival_labels_are_legible_and_apart(documents):
    deck = Presentation(str(documents[1]))
    festivals = {"年货节", "春节停运", "38节", "618", "99划算节", "双11", "双12"}
    for slide in deck.slides:
        boxes = [
            s
            for s in walk_shapes(slide.shapes)
            if s.has_text_frame and s.text_frame.text in festivals
        ]
        if not boxes:
            continue
        assert {b.text_frame.text for b in boxes} == festivals  # whole, none cut
        for box in boxes:
            sizes = [r.font.size.pt for p in box.text_frame.paragraphs for r in p.runs]
            assert min(sizes) >= 8, (box.text_frame.text, sizes)
        spans = sorted((Emu(b.left), Emu(b.left + b.width)) for b in boxes)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans
        return
    pytest.fail("no Gantt with the festival row")
