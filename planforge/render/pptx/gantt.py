"""Draw a Gantt chart with native shapes in the box of a shape named ``gantt:<name>``.

Layout, top to bottom: a row of phase bands (when there are any), a header row of column labels
(months), then one row per task: its label on the left, a bar from its start to its end column.
Each band is also shaded faintly behind the task rows. Bars take theme accent colours by task
group, so restyling the template's theme restyles the Gantt. The shapes are grouped under the
original shape's name.
"""

from __future__ import annotations

from typing import Any

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.shapes.base import BaseShape
from pptx.util import Emu, Pt

from planforge.render.data import Gantt
from planforge.render.pptx.fit import text_width_pt
from planforge.render.pptx.images import remove_shape

_ACCENTS = (
    MSO_THEME_COLOR.ACCENT_1,
    MSO_THEME_COLOR.ACCENT_2,
    MSO_THEME_COLOR.ACCENT_3,
    MSO_THEME_COLOR.ACCENT_4,
    MSO_THEME_COLOR.ACCENT_5,
    MSO_THEME_COLOR.ACCENT_6,
)
_MAX_ROW = Pt(24)
_MIN_ROW = Pt(11)
_MAX_FONT = 11.0
_MIN_FONT = 6.0
_LABEL_SHARE = 0.24
_PML = "http://schemas.openxmlformats.org/presentationml/2006/main"


def qn(tag: str, ns: str) -> str:
    """Return the Clark name of *tag* in namespace *ns*."""
    return f"{{{ns}}}{tag}"


def draw_gantt(shapes: Any, shape: BaseShape, gantt: Gantt, where: str) -> list[str]:
    """Replace *shape* by a group of native shapes drawing *gantt*; return warnings."""
    left, top, width, height = shape.left or 0, shape.top or 0, shape.width or 0, shape.height or 0
    columns = list(gantt.columns)
    if not columns or not gantt.tasks:
        remove_shape(shape)
        return []
    warnings: list[str] = []
    head_h = min(int(height * 0.1), int(Pt(20)))
    band_h = head_h if gantt.bands else 0
    label_w = int(width * _LABEL_SHARE)
    col_w = (width - label_w) / len(columns)
    body_top = top + band_h + head_h
    body_h = height - band_h - head_h
    tasks = list(gantt.tasks)
    row_h = min(int(_MAX_ROW), body_h // len(tasks))
    if row_h < _MIN_ROW:
        row_h = int(_MIN_ROW)
        fitting = max(0, body_h // row_h)
        warnings.append(
            f"{where}: {len(tasks) - fitting} of {len(tasks)} Gantt tasks do not fit the box "
            "and were left out"
        )
        tasks = tasks[:fitting]
    font = max(_MIN_FONT, min(_MAX_FONT, Emu(row_h).pt * 0.55, Emu(head_h).pt * 0.55))
    widest = max(text_width_pt(c, 1.0) for c in columns)
    head_font = max(_MIN_FONT, min(font, (Emu(int(col_w)).pt - 2) / max(widest, 0.1)))

    group = shapes.add_group_shape()
    group.name = shape.name
    add = group.shapes

    def x(col: float) -> int:
        return int(left + label_w + col * col_w)

    last = len(columns) - 1
    for label, start, end in gantt.bands:
        start, end = _clamp(start, last), _clamp(end, last)
        if end < start:
            continue
        shade = _box(add, x(start), body_top, x(end + 1) - x(start), row_h * len(tasks), "")
        _fill(shade, MSO_THEME_COLOR.ACCENT_1, 0.9)
        band = _box(add, x(start), top, x(end + 1) - x(start), band_h, label, head_font)
        _fill(band, MSO_THEME_COLOR.ACCENT_1, 0.6)
    for i, column in enumerate(columns):
        cell = _box(add, x(i), top + band_h, x(i + 1) - x(i), head_h, column, head_font)
        _fill(cell, MSO_THEME_COLOR.BACKGROUND_2, 0.0)
    groups: dict[str, int] = {}
    for row, task in enumerate(tasks):
        y = body_top + row * row_h
        _box(
            add,
            left,
            y,
            label_w,
            row_h,
            _clip(task.label, Emu(label_w).pt - 4, font),
            font,
            PP_ALIGN.LEFT,
        )
        start, end = _clamp(task.start, last), _clamp(task.end, last)
        if end < start:
            start, end = end, start
        accent = _ACCENTS[groups.setdefault(task.group, len(groups)) % len(_ACCENTS)]
        inset = row_h // 6
        bar = _box(add, x(start), y + inset, x(end + 1) - x(start), row_h - 2 * inset, "")
        _fill(bar, accent, 0.0)
    shape._element.addprevious(group._element)
    remove_shape(shape)
    return warnings


def _clamp(value: int, last: int) -> int:
    return max(0, min(int(value), last))


def _clip(text: str, width_pt: float, size: float) -> str:
    if text_width_pt(text, size) <= width_pt:
        return text
    while text and text_width_pt(text + "…", size) > width_pt:
        text = text[:-1]
    return text + "…"


def _box(
    add: Any,
    left: int,
    top: int,
    width: int,
    height: int,
    text: str,
    size: float = _MAX_FONT,
    align: PP_ALIGN = PP_ALIGN.CENTER,
) -> Any:
    box = add.add_shape(
        MSO_SHAPE.RECTANGLE, int(left), int(top), max(1, int(width)), max(1, int(height))
    )
    # Drop the theme style: it adds a shadow and white text to every autoshape.
    style = box._element.find(qn("style", _PML))
    if style is not None:
        box._element.remove(style)
    box.line.fill.background()
    box.fill.background()
    frame = box.text_frame
    frame.word_wrap = False
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.margin_left = frame.margin_right = Pt(2)
    frame.margin_top = frame.margin_bottom = 0
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    if text:
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(round(size * 2) / 2)
        run.font.color.theme_color = MSO_THEME_COLOR.TEXT_1
    return box


def _fill(box: Any, color: MSO_THEME_COLOR, brightness: float) -> None:
    box.fill.solid()
    box.fill.fore_color.theme_color = color
    if brightness:
        box.fill.fore_color.brightness = brightness
