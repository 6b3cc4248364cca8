"""Render a .pptx template: slide directives, tags in text, tables and notes, bound shapes."""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from collections.abc import Mapping
from copy import deepcopy
from pathlib import Path
from typing import Any

import jinja2
from pptx import Presentation
from pptx.shapes.group import GroupShape
from pptx.slide import Slide

from planforge.caches import remember
from planforge.errors import TemplateError
from planforge.render.data import ChartData, Gantt
from planforge.render import budget
from planforge.render.budget import MAX_SLIDES
from planforge.render.env import compile_template, evaluate, render_template
from planforge.render.package import pptx_bytes, release
from planforge.render.pptx import directives
from planforge.render.pptx.charts import replace_chart
from planforge.render.pptx.fit import Cut, fit_shape
from planforge.render.pptx.fonts import set_east_asian_fonts
from planforge.render.pptx.gantt import draw_gantt
from planforge.render.pptx.images import place_image
from planforge.render.pptx.paragraphs import render_body
from planforge.render.pptx.partnames import PartIndex
from planforge.render.pptx.runs import paragraph_text, qn
from planforge.render.pptx.slides import clone_slide, delete_slide, notes_body, slide_index
from planforge.render.pptx.tables import render_table

_BOUND = ("chart:", "image:", "gantt:")
# Template digest -> the deck as just opened (None: seen once, not kept yet).
_PARSED: OrderedDict[bytes, Any] = remember(OrderedDict())


class _Session:
    """What one render needs everywhere: environment, context, options, caches and warnings."""

    def __init__(
        self,
        env: jinja2.Environment,
        context: Mapping[str, Any],
        where: str,
        base_dir: Path | None,
        ea_font: str,
        pack_dir: Path | None = None,
    ):
        self.env, self.context, self.where = env, context, where
        self.base_dir, self.ea_font, self.pack_dir = base_dir, ea_font, pack_dir
        self.warnings: list[str] = []
        self.cuts: list[tuple[Any, Cut]] = []  # (slide, cut) until the slides are numbered
        self._compiled: dict[str, jinja2.Template] = {}

    def renderer(self, scope: Mapping[str, Any], where: str):
        def render(source: str) -> str:
            template = self._compiled.get(source)
            if template is None:
                template = self._compiled[source] = compile_template(self.env, source, where)
            return render_template(template, source, scope, where, clean=False)

        return render


def render_pptx(
    template: Path | bytes,
    context: Mapping[str, Any],
    env: jinja2.Environment,
    *,
    where: str = "deck.pptx",
    base_dir: Path | None = None,
    ea_font: str = "Microsoft YaHei",
    pack_dir: Path | None = None,
) -> tuple[bytes, list[str]]:
    """Render *template* with *context*; return the .pptx bytes and the warnings raised.

    Images (``image:`` shapes) are taken from the spec's folder *base_dir* or the pack's
    folder *pack_dir* only.
    """
    prs = _open(template, where)
    PartIndex.install(prs.part.package)
    session = _Session(env, context, where, base_dir, ea_font, pack_dir)
    plan = []
    for number, slide in enumerate(list(prs.slides), start=1):
        label = f"{where}: slide {number}"
        found = [
            directives.parse(line, f"{label} notes")
            for line in _notes_lines(slide)
            if directives.is_directive(line)
        ]
        bindings = directives.expand(env, found, context, f"{label} notes") if found else [{}]
        plan.append((number, slide, bindings))
        total = sum(len(b) for _, _, b in plan)
        if total > MAX_SLIDES:
            raise TemplateError(f"{label} notes: the deck would have {total:,} slides; it may "
                                f"have at most {MAX_SLIDES:,}, in {found[0].text if found else ''}")
    for number, slide, bindings in plan:
        if not bindings:
            delete_slide(prs, slide)
            continue
        budget.at(f"{where}: slide {number}")
        position = slide_index(prs, slide)
        instances = [slide] + [
            clone_slide(prs, slide, position + k) for k in range(1, len(bindings))
        ]
        for k, (instance, bound) in enumerate(zip(instances, bindings)):
            label = f"{where}: slide {number}" + (
                f" (copy {k + 1} of {len(bindings)})" if len(bindings) > 1 else ""
            )
            budget.at(label)
            _render_slide(session, instance, {**context, **bound}, label)
    # Text cut on a slide is reported with the number of the slide in the built deck.
    order = {id(sld.part): n for n, sld in enumerate(prs.slides, start=1)}
    for instance, cut in session.cuts:
        number = order.get(id(instance.part), 0)
        session.warnings.append(Cut.make(f"slide {number} of the built deck: {cut}", cut.lost,
                                         cut.kept, cut.total, number))
    # Slides added after deletions can share a part name; number them afresh in slide order.
    prs.part.rename_slide_parts([sld_id.rId for sld_id in prs.slides._sldIdLst])
    data = pptx_bytes(prs)
    release(prs.part.package)
    return data, session.warnings


def _open(template: Path | bytes, where: str) -> Any:
    """Open *template*; from its second use in a process, as a copy of the one parsed before."""
    # python-pptx builds hundreds of objects opening a deck; a deep copy of a deck just opened
    # (whose objects refer to whole part trees only) is the same deck, three times faster.
    try:
        data = template if isinstance(template, bytes) else Path(template).read_bytes()
    except OSError as exc:
        raise TemplateError(f"{where}: not a readable .pptx file ({exc})") from exc
    key = hashlib.sha256(data).digest()
    if key in _PARSED:
        _PARSED.move_to_end(key)
        if _PARSED[key] is None:
            _PARSED[key] = _parse(data, where)
        return deepcopy(_PARSED[key])
    _PARSED[key] = None  # seen once: a single build parses it once, and copies nothing
    if len(_PARSED) > 4:
        _PARSED.popitem(last=False)
    return _parse(data, where)


def _parse(data: bytes, where: str) -> Any:
    try:
        return Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises zip, XML and key errors for broken files
        raise TemplateError(f"{where}: not a readable .pptx file ({exc})") from exc


def _notes_lines(slide: Slide) -> list[str]:
    body = notes_body(slide)
    if body is None:
        return []
    return [line for p in body.findall(qn("p")) for line in paragraph_text(p).split("\n")]


def _render_slide(session: _Session, slide: Slide, scope: dict[str, Any], label: str) -> None:
    body = notes_body(slide)
    if body is not None:
        for p in body.findall(qn("p")):
            if any(directives.is_directive(line) for line in paragraph_text(p).split("\n")):
                body.remove(p)
        if body.find(qn("p")) is None:
            body.append(body.makeelement(qn("p"), {}))
        render_body(body, session.renderer(scope, f"{label} notes"))
    bound: list[tuple[Any, Any]] = []
    rendered: list[tuple[Any, str]] = []
    _render_shapes(session, slide.shapes, scope, label, bound, rendered)
    for shapes, shape in bound:
        where = f"{label}, shape '{shape.name}'"
        kind, _, expr = shape.name.partition(":")
        if kind == "chart":
            if not getattr(shape, "has_chart", False):
                raise TemplateError(f"{where}: a shape named 'chart:...' must be a chart")
            session.warnings += replace_chart(
                shape, _dataset(session, "charts", expr, scope, where, ChartData), where
            )
        elif kind == "image":
            place_image(
                shapes,
                shape,
                evaluate(session.env, expr, scope, where, shape.name),
                session.base_dir,
                where,
                session.pack_dir,
            )
        else:
            session.warnings += draw_gantt(
                shapes, shape, _dataset(session, "gantts", expr, scope, where, Gantt), where
            )
    for shape, where in rendered:
        if shape._element.getparent() is not None:
            warning = fit_shape(shape, where)
            if isinstance(warning, Cut):
                session.cuts.append((slide, warning))
            elif warning:
                session.warnings.append(warning)
    set_east_asian_fonts(slide.shapes._spTree, session.ea_font)


def _render_shapes(
    session: _Session,
    shapes: Any,
    scope: dict[str, Any],
    label: str,
    bound: list[tuple[Any, Any]],
    rendered: list[tuple[Any, str]],
) -> None:
    for shape in list(shapes):
        name = shape.name
        if name.startswith(_BOUND):
            bound.append((shapes, shape))
            continue
        where = f"{label}, shape '{name}'"
        if isinstance(shape, GroupShape):  # what shape_type == GROUP means, without lookups
            _render_shapes(session, shape.shapes, scope, label, bound, rendered)
        elif getattr(shape, "has_table", False) and shape.has_table:
            tbl = shape._element.graphic.graphicData.find(qn("tbl"))
            height = render_table(tbl, session.renderer(scope, where))
            if not tbl.findall(qn("tr")):
                shape._element.getparent().remove(shape._element)
            elif height:
                shape.height = height
        elif shape.has_text_frame:
            if render_body(shape.text_frame._txBody, session.renderer(scope, where)):
                rendered.append((shape, where))


def _dataset(
    session: _Session, key: str, name: str, scope: Mapping[str, Any], where: str, kind: type
) -> Any:
    datasets = session.context.get(key) or {}
    if name in datasets:
        value = datasets[name]
    else:
        # Not a dataset name: an expression, so a repeated slide can bind the item's own data.
        try:
            value = evaluate(session.env, name, scope, where, f"{key[:-1]}:{name}")
        except TemplateError as exc:
            known = ", ".join(sorted(datasets)) or "none"
            raise TemplateError(
                f"{where}: no {key[:-1]} data named '{name}' (known: {known})"
            ) from exc
    if value is not None and not isinstance(value, kind):
        raise TemplateError(f"{where}: expected {kind.__name__}, got {type(value).__name__}")
    return value or kind([], [])
