"""Print (or write) the outline of a template pack: what its deck and plan contain.

The outline is what a reviewer checks when a pack changes, independent of styling: for every
slide its notes directives, each shape's name with its text (tags as written), table cells,
and each chart's categories and series; for the plan, every paragraph holding text or a tag,
and every table's cells. ``tests/golden/<pack>.outline`` holds the outline of each shipped pack;
the tests compare them, so a change to a pack's content shows up as a diff to review, while a
restyle in PowerPoint or Word does not.

    python tools/outline.py default            # print
    python tools/outline.py --write            # rewrite tests/golden/*.outline
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKS = ("default", "mono")
GOLDEN = ROOT / "tests" / "golden"


def deck_outline(path: Path) -> list[str]:
    from pptx import Presentation

    prs = Presentation(str(path))
    lines: list[str] = []
    for number, slide in enumerate(prs.slides, start=1):
        lines.append(f"slide {number} [{slide.slide_layout.name}]")
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame.text.strip()
            for line in notes.splitlines():
                lines.append(f"  notes: {line.strip()}")
        lines += _shapes(slide.shapes, "  ")
    return lines


def _shapes(shapes, indent: str) -> list[str]:
    lines = []
    for shape in shapes:
        if shape.shape_type == 6:  # a group
            lines.append(f"{indent}group '{shape.name}'")
            lines += _shapes(shape.shapes, indent + "  ")
        elif getattr(shape, "has_chart", False) and shape.has_chart:
            chart = shape.chart
            plot = chart.plots[0] if len(chart.plots) else None
            cats = list(plot.categories) if plot is not None else []
            series = [s.name for p in chart.plots for s in p.series]
            lines.append(f"{indent}chart '{shape.name}': {chart.chart_type}; "
                         f"categories {cats}; series {series}")
        elif getattr(shape, "has_table", False) and shape.has_table:
            lines.append(f"{indent}table '{shape.name}'")
            for row in shape.table.rows:
                lines.append(f"{indent}  | " + " | ".join(_flat(c.text) for c in row.cells))
        elif shape.has_text_frame and shape.text_frame.text.strip():
            lines.append(f"{indent}'{shape.name}': {_flat(shape.text_frame.text)}")
        else:
            lines.append(f"{indent}'{shape.name}'")
    return lines


def plan_outline(path: Path) -> list[str]:
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(path))
    lines: list[str] = []
    for block in doc.element.body.iterchildren():
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t"))).strip()
            style = block.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            name = style.get(qn("w:val")) if style is not None else ""
            if text:
                lines.append(f"[{name}] {_flat(text)}" if name else _flat(text))
        elif block.tag == qn("w:tbl"):
            lines.append("table")
            for tr in block.iter(qn("w:tr")):
                cells = ["".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()
                         for tc in tr.iter(qn("w:tc"))]
                lines.append("  | " + " | ".join(_flat(c) for c in cells))
    return lines


def _flat(text: str) -> str:
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def outline(pack: str | Path) -> str:
    """The outline of the pack folder *pack* (a name of a shipped pack or a path)."""
    folder = Path(pack) if Path(pack).is_dir() else ROOT / "templates" / str(pack)
    lines = ["# deck.pptx", *deck_outline(folder / "deck.pptx"),
             "# plan.docx", *plan_outline(folder / "plan.docx")]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for pack in PACKS:
            (GOLDEN / f"{pack}.outline").write_text(outline(pack), encoding="utf-8")
            print(f"wrote {(GOLDEN / f'{pack}.outline').relative_to(ROOT)}")
        return 0
    for pack in argv or PACKS:
        sys.stdout.write(outline(pack))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
