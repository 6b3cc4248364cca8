"""Draw a Gantt chart with native shapes in the box of a shape named ``gantt:<name>``.

Layout, top to bottom: a row of phase bands (when there are any), a header row of column labels
(months), a row of festival windows (when there are any, placed to the day), then one row per
task: its label on the left, a bar from its start to its end column. Each band and each
festival is also shaded faintly behind the task rows. Bars take theme accent colours by task
group, so restyling the template's theme restyles the Gantt. The shapes are grouped under the
original shape's name.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.shapes.autoshape import CT_Shape
from pptx.shapes.autoshape import Shape
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
_FESTIVAL_FONT = 8.0  # festival labels stay legible: wider than their window rather than tiny
_LABEL_SHARE = 0.24
_PML = "http://schemas.openxmlformats.org/presentationml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


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
    fest_h = int(head_h * 0.9) if gantt.festivals else 0
    label_w = int(width * _LABEL_SHARE)
    col_w = (width - label_w) / len(columns)
    body_top = top + band_h + head_h + fest_h
    body_h = height - band_h - head_h - fest_h
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
    add = _Boxes(group)

    def x(col: float) -> int:
        return int(left + label_w + col * col_w)

    last = len(columns) - 1
    for label, start, end in gantt.bands:
        start, end = _clamp(start, last), _clamp(end, last)
        if end < start:
            continue
        add.box(x(start), body_top, x(end + 1) - x(start), row_h * len(tasks),
                fill=(MSO_THEME_COLOR.ACCENT_1, 0.9))
        add.box(x(start), top, x(end + 1) - x(start), band_h, label, head_font,
                fill=(MSO_THEME_COLOR.ACCENT_1, 0.6))
    for i, column in enumerate(columns):
        add.box(x(i), top + band_h, x(i + 1) - x(i), head_h, column, head_font,
                fill=(MSO_THEME_COLOR.BACKGROUND_2, 0.0))
    if gantt.festivals:
        _festivals(add, gantt, x, last, top + band_h + head_h, fest_h, body_top,
                   row_h * len(tasks), left, label_w, head_font)
    groups: dict[str, int] = {}
    for row, task in enumerate(tasks):
        y = body_top + row * row_h
        add.box(left, y, label_w, row_h, _clip(task.label, Emu(label_w).pt - 4, font), font,
                PP_ALIGN.LEFT)
        start, end = _clamp(task.start, last), _clamp(task.end, last)
        if end < start:
            start, end = end, start
        accent = _ACCENTS[groups.setdefault(task.group, len(groups)) % len(_ACCENTS)]
        inset = row_h // 6
        add.box(x(start), y + inset, x(end + 1) - x(start), row_h - 2 * inset,
                fill=(accent, 0.0))
    # Every box was placed above: size the group to them once, not after each one.
    group._element.recalculate_extents()
    shape._element.addprevious(group._element)
    remove_shape(shape)
    return warnings


def _festivals(add: "_Boxes", gantt: Gantt, x: Any, last: int, row_top: int, row_h: int,
               body_top: int, body_h: int, left: int, label_w: int, font: float) -> None:
    """A row of festival windows under the month labels, each shaded behind the task rows."""
    add.box(left, row_top, label_w, row_h, gantt.festival_label, font, PP_ALIGN.LEFT)
    lo, hi = x(0), x(last + 1)
    labels = []  # (left, width, text, size): centred on its window, as wide as its text
    for label, start, end in gantt.festivals:
        start, end = max(0.0, float(start)), min(float(last + 1), float(end))
        if end <= start:
            continue
        x0 = _at(x, start)
        w = max(1, _at(x, end) - x0)
        add.box(x0, body_top, w, body_h, fill=(MSO_THEME_COLOR.ACCENT_2, 0.8))
        add.box(x0, row_top, w, row_h, fill=(MSO_THEME_COLOR.ACCENT_2, 0.4))
        size = max(font, _FESTIVAL_FONT)
        while size > _FESTIVAL_FONT and text_width_pt(label, size) > Emu(w).pt - 4:
            size -= 0.5
        need = max(w, int(Pt(text_width_pt(label, size) + 6)))
        labels.append([x0 + w // 2 - need // 2, need, label, size])
    # A label wider than its window spills over its neighbours' room, never onto their labels:
    # pushed right past the one before, then back left inside the timeline.
    labels.sort(key=lambda item: item[0])
    for prev, cur in zip(labels, labels[1:]):
        cur[0] = max(cur[0], prev[0] + prev[1])
    edge = hi
    for item in reversed(labels):
        item[0] = max(lo, min(item[0], edge - item[1]))
        edge = item[0]
    for i, (x0, w, label, size) in enumerate(labels):
        room = (labels[i + 1][0] if i + 1 < len(labels) else hi) - x0
        w = max(1, min(w, room))
        add.box(x0, row_top, w, row_h, _clip(label, Emu(w).pt - 5, size), size)


def _at(x: Any, col: float) -> int:
    """The x position of a fractional column (between the columns' own edges)."""
    whole = int(col)
    return int(x(whole) + (x(whole + 1) - x(whole)) * (col - whole))


def _clamp(value: int, last: int) -> int:
    return max(0, min(int(value), last))


def _clip(text: str, width_pt: float, size: float) -> str:
    if text_width_pt(text, size) <= width_pt:
        return text
    while text and text_width_pt(text + "…", size) > width_pt:
        text = text[:-1]
    return text + "…"


class _Boxes:
    """Add plain rectangles to a group: copies of prototypes, with ids counted here.

    python-pptx's ``add_shape`` scans every id of the slide and resizes the group for each new
    shape, and its text and fill setters are slow; a Gantt adds a hundred boxes. The prototypes
    are made with those same setters, and the ids are the ones ``add_shape`` would give (the
    slide's largest id plus one, then counting up), so the slide is the same.
    """

    def __init__(self, group: Any):
        self.group = group
        self.next_id = group.shapes._next_shape_id
        proto = CT_Shape.new_autoshape_sp(0, "", "rect", 0, 0, 1, 1)
        # Drop the theme style: it adds a shadow and white text to every autoshape.
        proto.remove(proto.find(qn("style", _PML)))
        box = Shape(proto, group.shapes)
        box.line.fill.background()
        box.fill.background()
        frame = box.text_frame
        frame.word_wrap = False
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.margin_left = frame.margin_right = Pt(2)
        frame.margin_top = frame.margin_bottom = 0
        self.proto = proto
        self._runs: dict[float, Any] = {}
        self._fills: dict[tuple[MSO_THEME_COLOR, float], Any] = {}

    def box(
        self,
        left: float,
        top: float,
        width: float,
        height: float,
        text: str = "",
        size: float = _MAX_FONT,
        align: PP_ALIGN = PP_ALIGN.CENTER,
        fill: tuple[MSO_THEME_COLOR, float] | None = None,
    ) -> None:
        """Add a rectangle with *text* (when any) in *size* points, filled when *fill* is given."""
        sp = deepcopy(self.proto)
        shape_id, self.next_id = self.next_id, self.next_id + 1
        sp.nvSpPr.cNvPr.id = shape_id
        sp.nvSpPr.cNvPr.name = f"Rectangle {shape_id - 1}"
        xfrm = sp.spPr.xfrm
        xfrm.x, xfrm.y = int(left), int(top)
        xfrm.cx, xfrm.cy = max(1, int(width)), max(1, int(height))
        paragraph = sp.txBody.p_lst[0]
        paragraph.get_or_add_pPr().algn = align
        if text:
            run = deepcopy(self._run(round(size * 2) / 2))
            run.text = text
            paragraph.append(run)
        if fill is not None:
            no_fill = sp.spPr.find(qn("noFill", _A))
            no_fill.addprevious(deepcopy(self._fill(*fill)))
            sp.spPr.remove(no_fill)
        self.group._element.insert_element_before(sp, "p:extLst")

    def _run(self, size: float) -> Any:
        run = self._runs.get(size)
        if run is None:
            scratch = Shape(deepcopy(self.proto), self.group.shapes)
            made = scratch.text_frame.paragraphs[0].add_run()
            made.font.size = Pt(size)
            made.font.color.theme_color = MSO_THEME_COLOR.TEXT_1
            run = self._runs[size] = made._r
        return run

    def _fill(self, color: MSO_THEME_COLOR, brightness: float) -> Any:
        solid = self._fills.get((color, brightness))
        if solid is None:
            scratch = Shape(deepcopy(self.proto), self.group.shapes)
            scratch.fill.solid()
            scratch.fill.fore_color.theme_color = color
            if brightness:
                scratch.fill.fore_color.brightness = brightness
            solid = self._fills[(color, brightness)] = scratch._element.spPr.find(
                qn("solidFill", _A)
            )
        return solid
