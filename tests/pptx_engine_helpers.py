"""Build small .pptx templates in memory for the pptx engine tests."""

from __future__ import annotations

import io
import struct
import zlib

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt

BLANK = 6
TITLE_ONLY = 5


def new_deck():
    """Return an empty 16:9 presentation."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    return prs


def blank_slide(prs, notes: str | None = None):
    """Add a blank slide, with *notes* when given."""
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK])
    if notes is not None:
        slide.notes_slide.notes_text_frame.text = notes
    return slide


def text_box(
    slide,
    name: str,
    runs: list[str] | list[list[str]],
    *,
    size: int | None = None,
    left=Inches(1),
    top=Inches(1),
    width=Inches(6),
    height=Inches(3),
    fixed: bool = False,
):
    """Add a text box; *runs* is one paragraph's runs, or a list of paragraphs of runs.

    python-pptx's text boxes "resize shape to fit text", as PowerPoint's do; ``fixed`` makes
    the box keep its size ("do not autofit"), so that text must fit in it.
    """
    from pptx.enum.text import MSO_AUTO_SIZE

    box = slide.shapes.add_textbox(left, top, width, height)
    box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    if fixed:
        frame.auto_size = MSO_AUTO_SIZE.NONE
    paragraphs = runs if runs and isinstance(runs[0], list) else [runs]
    for i, texts in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        for k, text in enumerate(texts):
            run = p.add_run()
            run.text = text
            if size:
                run.font.size = Pt(size)
            if k == 0:
                run.font.bold = True
    return box


def table(slide, name: str, rows: list[list[str]], row_height=Inches(0.4)):
    """Add a table with the given cell texts."""
    frame = slide.shapes.add_table(
        len(rows), len(rows[0]), Inches(1), Inches(1), Inches(8), row_height * len(rows)
    )
    frame.name = name
    for r, cells in enumerate(rows):
        frame.table.rows[r].height = row_height
        for c, text in enumerate(cells):
            frame.table.cell(r, c).text = text
    return frame


def chart(
    slide,
    name: str,
    series: dict[str, list[float]],
    categories: list[str],
    *,
    number_format: str | None = None,
    kind=XL_CHART_TYPE.COLUMN_CLUSTERED,
):
    """Add a chart with the given data."""
    data = CategoryChartData(number_format=number_format) if number_format else CategoryChartData()
    data.categories = categories
    for label, values in series.items():
        data.add_series(label, values)
    frame = slide.shapes.add_chart(kind, Inches(1), Inches(1), Inches(6), Inches(4), data)
    frame.name = name
    return frame


def png(width: int, height: int) -> bytes:
    """Return a plain grey PNG of the given size."""
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def to_bytes(prs) -> bytes:
    """Return the presentation saved as bytes."""
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def reopen(data: bytes):
    """Open rendered bytes with python-pptx."""
    return Presentation(io.BytesIO(data))


def texts(slide) -> list[str]:
    """Return the text of every text frame on *slide*, in shape order."""
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def walk_shapes(shapes):
    """Every shape of *shapes*, the shapes inside groups included."""
    for shape in shapes:
        if shape.shape_type == 6:  # a group
            yield from walk_shapes(shape.shapes)
        else:
            yield shape
