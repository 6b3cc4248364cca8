"""Chinese text is marked Chinese, so LibreOffice picks Simplified Chinese glyphs of a CJK font."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from conftest import EXAMPLES

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.mark.parametrize("spec", ["mutang-skincare.zh.yaml", "ironleaf-cookware.en.yaml"])
def test_every_chinese_run_of_the_deck_says_zh_cn(spec):
    from lxml import etree

    import planforge
    from planforge.render.pptx.fonts import has_cjk

    deck = planforge.render(EXAMPLES / spec, formats=("pptx",)).files["pptx"]
    chinese = 0
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        for name in z.namelist():
            if not re.fullmatch(r"ppt/slides/slide\d+\.xml", name):
                continue
            for run in etree.fromstring(z.read(name)).iter(f"{A}r"):
                text = "".join(t.text or "" for t in run.iter(f"{A}t"))
                if has_cjk(text):
                    chinese += 1
                    assert run.find(f"{A}rPr").get("lang") == "zh-CN", (name, text)
    assert chinese > (100 if ".zh." in spec else 0)


@pytest.mark.parametrize("pack", ["default", "mono"])
def test_the_plan_says_its_east_asian_language_is_zh_cn(pack):
    from planforge.resources import templates_dir

    plan = templates_dir() / pack / "plan.docx"
    styles = zipfile.ZipFile(plan).read("word/styles.xml").decode("utf-8")
    defaults = styles[styles.index("<w:docDefaults>") : styles.index("</w:docDefaults>")]
    assert re.search(r'<w:lang [^>]*w:eastAsia="zh-CN"', defaults)
