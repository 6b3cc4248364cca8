"""Nothing is cut silently: long lists continue on further slides, and text that must still be
shortened is reported by build and check alike, naming the spec field, its line and the slide."""

from __future__ import annotations

import io

from pptx import Presentation

import planforge

SPEC = """\
planforge: 1
meta: {{year: 2027}}
brand: {{name: 青岚}}
company: {{name: 青岚茶业有限公司}}
targets: {{annual_gmv: 100万}}
swot:
  strengths:
{strengths}
  weaknesses: [价格偏高]
"""


def _spec(tmp_path, strengths: list[str]):
    path = tmp_path / "swot.yaml"
    path.write_text(SPEC.format(strengths="\n".join(f"    - {s}" for s in strengths)),
                    encoding="utf-8")
    return path


def _swot_slides(pptx: bytes) -> list[list[str]]:
    slides = []
    for slide in Presentation(io.BytesIO(pptx)).slides:
        for shape in slide.shapes:
            if shape.name == "SWOT S":
                slides.append([p.text for p in shape.text_frame.paragraphs][1:])
    return slides


def test_twelve_strengths_continue_on_a_second_slide_without_a_cut(tmp_path):
    items = [f"第{n}项优势：自有茶园与可追溯的原料，每批附检测报告" for n in range(1, 13)]
    docs = planforge.render(_spec(tmp_path, items), formats=("pptx",))
    pages = _swot_slides(docs.pptx)
    assert len(pages) >= 2
    assert [t for page in pages for t in page] == items  # every item, whole, in order
    assert max(len(p) for p in pages) - min(len(p) for p in pages) <= 1  # balanced
    assert [w for w in docs.warnings if w.code == "PF300"] == []


def test_text_that_must_be_cut_is_reported_at_its_spec_line_by_build_and_check(tmp_path, cli):
    long = "优势" + "，原料可追溯" * 120
    path = _spec(tmp_path, ["品牌历史悠久", long])
    docs = planforge.render(path, formats=("pptx",))
    [cut] = [w for w in docs.warnings if w.code == "PF300"]
    assert (cut.file, cut.line, cut.path) == (str(path), 9, "$.swot.strengths[1]")
    assert cut.message.startswith("swot.strengths: text cut on slide ")
    slide = int(cut.message.split("slide ")[1].split()[0])
    titles = [s.shapes.title.text if s.shapes.title else ""
              for s in Presentation(io.BytesIO(docs.pptx)).slides]
    assert titles[slide - 1].startswith("SWOT")

    report = planforge.check(path)
    assert [w["code"] for w in report["warnings"]] == ["PF300"]
    strict = cli("check", path, "--strict")
    assert strict.exit_code == 1, strict.text
    assert "swot.strengths: text cut on slide" in strict.stdout + strict.stderr
