"""A chart labels its slices with the shares its table prints, in the deck and in the plan."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import planforge

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "budget-gaps" / "tuidongli-home-2014.zh.yaml"


def _charts(data: bytes, folder: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [z.read(n).decode("utf-8") for n in sorted(z.namelist())
                if re.fullmatch(folder + r"/charts/chart\d+\.xml", n)]


def test_share_charts_label_values_as_the_tables_print_them():
    docs = planforge.render(EXAMPLE, formats=("pptx", "docx"))
    shares = [str(c.share) for c in docs.plan.channel_budget]
    assert docs.plan.channel_budget[-1].unallocated and shares[-1] == "0.4773"
    for data, folder in ((docs.pptx, "ppt"), (docs.files["docx"], "word")):
        pies = [x for x in _charts(data, folder) if "<c:pieChart>" in x or "<c:doughnutChart>" in x]
        assert pies, folder
        xml = pies[0]
        values = re.findall(r"<c:v>([0-9.]+)</c:v>", xml.split("<c:val>")[1])
        assert values == shares, folder
        labels = xml.split("<c:dLbls>")[1].split("</c:dLbls>")[0]
        assert 'formatCode="0.00%"' in labels and '<c:showVal val="1"/>' in labels, folder
        assert '<c:showPercent val="0"/>' in labels, folder
