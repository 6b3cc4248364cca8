"""Make rendered text fit its box: shrink the font stepwise, then cut the text with an ellipsis.

The size of text is estimated, not measured: a CJK (wide) character is 1 em wide, any other
0.55 em, a line is 1.2 em high, wrapping happens at the box width minus its insets. Autofit is
switched off because LibreOffice would not apply PowerPoint's cached scale.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

from lxml import etree
from pptx.shapes.autoshape import Shape

from planforge.caches import remember
from planforge.render.pptx.runs import qn, run_text, set_run_text
from planforge.render.words import char_em  # noqa: F401  (re-exported)

_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_EMU_PER_PT = 12700
_DEFAULT_PT = 18.0
_MIN_PT = 9.0
_MIN_SCALE = 0.6
_STEP = 0.05
_ELLIPSIS = "…"
# LibreOffice stores sizes in hundredths of a millimetre, so a box it re-saved is up to 360 EMU
# (0.03 pt) smaller; text that filled the box exactly must not shrink for that.
_SLACK_PT = 0.1
_INSETS = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}
# Inherited sizes, per slide layout part (placeholders) or presentation part (other shapes).
_INHERITED: weakref.WeakKeyDictionary = remember(weakref.WeakKeyDictionary())
# Slide part -> its layout part, held weakly both ways: the layout part leads back to the slide.
_LAYOUTS: weakref.WeakKeyDictionary = remember(weakref.WeakKeyDictionary())
_VERTICAL = {"vert", "vert270", "eaVert", "wordArtVert", "wordArtVertRtl", "mongolianVert"}


@dataclass
class _Piece:
    text: str
    size: float  # points, before scaling
    element: etree._Element | None  # the a:r it came from (None for a line break)


@dataclass
class _Paragraph:
    pieces: list[_Piece]
    base: float
    indent: float  # points taken from the width by marL
    spacing: float  # points of space before + after


def text_width_pt(text: str, size: float) -> float:
    """Return the estimated width of *text* at *size* points."""
    return sum(char_em(ch) for ch in text) * size


class Cut(str):
    """The warning that a shape's text was cut, with what was cut, so that the caller can say
    which spec field lost text (``lost``: the paragraphs cut short or left out, in full) and
    on which built slide (``slide``, set once the deck's slides are in their final order)."""

    lost: tuple[str, ...] = ()
    kept: int = 0
    total: int = 0
    slide: int = 0

    @classmethod
    def make(cls, message: str, lost: tuple[str, ...], kept: int, total: int,
             slide: int = 0) -> "Cut":
        cut = cls(message)
        cut.lost, cut.kept, cut.total, cut.slide = lost, kept, total, slide
        return cut


def fit_shape(shape: Shape, where: str) -> str | None:
    """Fit the text of *shape* into its box; return a warning (a :class:`Cut`) when the text had
    to be cut."""
    body = shape._element.find(f"{{{_P}}}txBody")
    if body is None:
        return None
    box_w, box_h = _extent(shape)
    if not box_w or not box_h:
        return None
    body_pr = body.find(qn("bodyPr"))
    for autofit in body_pr.findall(qn("normAutofit")) if body_pr is not None else []:
        body_pr.remove(autofit)
    insets = {k: int(body_pr.get(k, v)) if body_pr is not None else v for k, v in _INSETS.items()}
    width = (box_w - insets["lIns"] - insets["rIns"]) / _EMU_PER_PT
    height = (box_h - insets["tIns"] - insets["bIns"]) / _EMU_PER_PT
    if body_pr is not None and body_pr.get("vert") in _VERTICAL:
        width, height = height, width
    wrap = body_pr is None or body_pr.get("wrap") != "none"
    if width <= 0 or height <= 0:
        return None
    paragraphs = _read(shape, body)
    total = sum(len(p.text) for para in paragraphs for p in para.pieces if p.element is not None)

    def fits(scale: float, keep: int | None = None) -> bool:
        return _height(paragraphs, scale, width, wrap, keep) <= height + _SLACK_PT

    if total == 0 or fits(1.0):
        return None
    if body_pr is not None and body_pr.get("vert") not in _VERTICAL and \
            body_pr.find(qn("spAutoFit")) is not None:
        # "Resize shape to fit text": the box grows with its text, as in the editor, down to
        # what lies below it. Its saved height is only what the editor measured for the
        # template's own tags (LibreOffice shrinks it to them), no limit on the rendered text.
        room = _room_below(shape)
        if room is not None:
            height = max(height, (room - insets["tIns"] - insets["bIns"]) / _EMU_PER_PT)
            if fits(1.0):
                return None
    scale = 1.0
    floor = _floor_scale(paragraphs)
    while scale - _STEP >= floor - 1e-9 and not fits(scale):
        scale = round(scale - _STEP, 2)
    if not fits(scale) and scale > floor:
        scale = floor
    _apply_scale(body, paragraphs, scale)
    if fits(scale):
        return None
    low, high = 0, total  # largest number of characters that still fits with an ellipsis
    while low < high:
        mid = (low + high + 1) // 2
        if fits(scale, mid):
            low = mid
        else:
            high = mid - 1
    lost, seen = [], 0
    for para in paragraphs:
        text = "".join(p.text for p in para.pieces if p.element is not None)
        if seen + len(text) > low and text.strip():
            lost.append(text)
        seen += len(text)
    _cut(body, low)
    return Cut.make(f"{where}: text too long for its box, cut after {low} of {total} characters",
                    tuple(lost), low, total)


def _room_below(shape: Shape) -> int | None:
    """EMUs from the top of *shape* to the nearest shape below it (or the slide's foot).

    Shapes of the slide count, placeholders where their layout puts them, and what the layout
    itself draws (a footer bar, a logo); a layout's own placeholders do not, as they show only
    when the slide has them.
    """
    element = shape._element
    if element.getparent() is None or element.getparent().tag != f"{{{_P}}}spTree":
        return None  # in a group: its coordinates are the group's
    try:
        slide = shape.part.slide
        foot = shape.part.package.presentation_part.presentation.slide_height
        top, left, width = shape.top, shape.left, shape.width
    except AttributeError:
        return None
    if top is None or left is None or width is None or not foot:
        return None
    layout = [s for s in slide.slide_layout.shapes if not s.is_placeholder]
    limit = foot
    for other in [*slide.shapes, *layout]:
        if other._element is element:
            continue
        try:
            y, x, cx = other.top, other.left, other.width
        except AttributeError:
            continue
        if y is None or x is None or cx is None or y <= top:
            continue
        if x < left + width and x + cx > left:
            limit = min(limit, y)
    return max(limit - top, 0)


def _read(shape: Shape, body: etree._Element) -> list[_Paragraph]:
    paragraphs = []
    for p in body.findall(qn("p")):
        ppr = p.find(qn("pPr"))
        level = int(ppr.get("lvl", "0")) if ppr is not None else 0
        base = _size_of(p.find(qn("endParaRPr"))) or base_size(shape, level)
        pieces = []
        for child in p:
            if child.tag in (qn("r"), qn("fld")):
                pieces.append(
                    _Piece(run_text(child), _size_of(child.find(qn("rPr"))) or base, child)
                )
            elif child.tag == qn("br"):
                pieces.append(_Piece("\n", base, None))
        indent = int(ppr.get("marL", "0")) / _EMU_PER_PT if ppr is not None else 0.0
        spacing = 0.0
        if ppr is not None:
            for tag in ("spcBef", "spcAft"):
                pts = ppr.find(f"{qn(tag)}/{qn('spcPts')}")
                if pts is not None:
                    spacing += int(pts.get("val", "0")) / 100
        paragraphs.append(_Paragraph(pieces, base, indent, spacing))
    return paragraphs


def _size_of(rpr: etree._Element | None) -> float | None:
    if rpr is None or rpr.get("sz") is None:
        return None
    return int(rpr.get("sz")) / 100


def base_size(shape: Shape, level: int) -> float:
    """Return the font size in points a run at *level* of *shape* inherits."""
    own = shape._element.find(f"{{{_P}}}txBody")
    size = _size_of(own.find(_level_path(level))) if own is not None else None
    if size:
        return size
    # What the layout, the master and the presentation give depends on the placeholder and the
    # level only; a deck asks for it once per text box, so remember it per layout.
    key = _inheritance_key(shape, "size", level)
    if key is None:
        return _inherited_size(shape, level)
    cache, entry = key
    if entry not in cache:
        cache[entry] = _inherited_size(shape, level)
    return cache[entry]


def _level_path(level: int) -> str:
    return f"{qn('lstStyle')}/{qn(f'lvl{level + 1}pPr')}/{qn('defRPr')}"


def _inherited_size(shape: Shape, level: int) -> float:
    path = _level_path(level)
    bodies = []
    if getattr(shape, "is_placeholder", False):
        layout = getattr(shape, "_base_placeholder", None)
        master = getattr(layout, "_base_placeholder", None) if layout is not None else None
        bodies += [s._element.find(f"{{{_P}}}txBody") for s in (layout, master) if s is not None]
    for body in bodies:
        size = _size_of(body.find(path)) if body is not None else None
        if size:
            return size
    try:
        if getattr(shape, "is_placeholder", False):
            kind = "titleStyle" if "TITLE" in str(shape.placeholder_format.type) else "bodyStyle"
            root = shape.part.slide_layout.slide_master._element.find(
                f"{{{_P}}}txStyles/{{{_P}}}{kind}"
            )
        else:
            root = shape.part.package.presentation_part._element.find(f"{{{_P}}}defaultTextStyle")
    except (AttributeError, TypeError):
        root = None
    if root is not None:
        size = _size_of(root.find(f"{qn(f'lvl{level + 1}pPr')}/{qn('defRPr')}"))
        if size:
            return size
    return _DEFAULT_PT


def _extent(shape: Shape) -> tuple[int | None, int | None]:
    """Return the width and height of *shape*: its own, else (placeholders) its layout's."""
    element = shape._element
    width, height = element.cx, element.cy
    if (width is not None and height is not None) or _ph(element) is None:
        return width, height
    key = _inheritance_key(shape, "extent", 0)
    if key is None:
        inherited = (shape.width, shape.height)
    else:
        cache, entry = key
        if entry not in cache:
            cache[entry] = (shape.width, shape.height)
        inherited = cache[entry]
    return (width if width is not None else inherited[0],
            height if height is not None else inherited[1])


def _inheritance_key(shape: Shape, what: str, level: int) -> tuple[dict, tuple] | None:
    """The cache and the key for what *shape* inherits (from its layout, or the presentation)."""
    try:
        ph = _ph(shape._element)
        if ph is not None:
            part = shape.part
            layout = _LAYOUTS.get(part)
            owner = layout() if layout is not None else None
            if owner is None:
                owner = part.slide_layout.part
                _LAYOUTS[part] = weakref.ref(owner)
            # The placeholder's own idx and type attributes (python-pptx's defaults aside).
            entry = (what, type(shape), ph.get("idx"), ph.get("type"), level)
        else:
            owner = shape.part.package.presentation_part
            entry = (what, level)
    except (AttributeError, TypeError):
        return None
    cache = _INHERITED.get(owner)
    if cache is None:
        cache = _INHERITED[owner] = {}
    return cache, entry


def _ph(element: etree._Element) -> etree._Element | None:
    """Return the ``p:ph`` of a shape element (python-pptx's ``ph``: ./*[1]/p:nvPr/p:ph)."""
    first = element.find("*")
    nv_pr = first.find(f"{{{_P}}}nvPr") if first is not None else None
    return nv_pr.find(f"{{{_P}}}ph") if nv_pr is not None else None


def _floor_scale(paragraphs: list[_Paragraph]) -> float:
    sizes = [p.size for para in paragraphs for p in para.pieces] or [_DEFAULT_PT]
    smallest = min(sizes)
    return max(_MIN_SCALE, min(1.0, _MIN_PT / smallest)) if smallest > _MIN_PT else 1.0


def _height(
    paragraphs: list[_Paragraph], scale: float, width: float, wrap: bool, keep: int | None
) -> float:
    budget = math.inf if keep is None else keep
    total = 0.0
    for k, para in enumerate(paragraphs):
        if budget <= 0 and k:
            break
        lines: list[tuple[float, float]] = [(0.0, 0.0)]  # (width, tallest size) per hard line
        for piece in para.pieces:
            if piece.element is None:
                lines.append((0.0, 0.0))
                continue
            text = piece.text[: int(min(budget, len(piece.text)))]
            budget -= len(text)
            if budget <= 0 and keep is not None:
                text += _ELLIPSIS
            size = piece.size * scale
            w, tallest = lines[-1]
            lines[-1] = (w + text_width_pt(text, size), max(tallest, size))
            if budget <= 0 and keep is not None:
                break
        avail = max(width - para.indent, width * 0.2)
        for w, tallest in lines:
            size = tallest or para.base * scale
            count = max(1, math.ceil(w / avail - 1e-9)) if wrap else 1
            total += count * size * 1.2
        total += para.spacing
    return total


def _apply_scale(body: etree._Element, paragraphs: list[_Paragraph], scale: float) -> None:
    if scale >= 1.0:
        return
    for p, para in zip(body.findall(qn("p")), paragraphs):
        for piece in para.pieces:
            if piece.element is not None:
                rpr = piece.element.find(qn("rPr"))
                if rpr is None:
                    rpr = etree.Element(qn("rPr"))
                    piece.element.insert(0, rpr)
                rpr.set("sz", _hundredths(piece.size * scale))
        for child in p:
            if child.tag in (qn("br"), qn("endParaRPr")):
                rpr = child if child.tag == qn("endParaRPr") else child.find(qn("rPr"))
                if rpr is None:
                    rpr = etree.SubElement(child, qn("rPr"))
                rpr.set("sz", _hundredths(para.base * scale))


def _hundredths(points: float) -> str:
    return str(max(100, int(round(points * 2)) * 50))  # whole half-points


def _cut(body: etree._Element, keep: int) -> None:
    budget = keep
    done = False
    for p in body.findall(qn("p")):
        if done:
            body.remove(p)
            continue
        for child in list(p):
            if child.tag == qn("endParaRPr") or child.tag == qn("pPr"):
                continue
            if done:
                p.remove(child)
            elif child.tag in (qn("r"), qn("fld")):
                text = run_text(child)
                if len(text) >= budget:
                    set_run_text(child, text[:budget].rstrip() + _ELLIPSIS)
                    done = True
                else:
                    budget -= len(text)
