"""Render a .pptx template: slide directives, tags in text, tables and notes, bound shapes.

A template is compiled once (``compile_pptx``, cached by its bytes' digest): one walk of its
slides turns every notes page, text body and table holding tags into the Jinja source the
renderer executes, and every bound shape (``chart:``, ``image:``, ``gantt:``) into an
instruction, each found again in a rendered copy by its position in the slide's shape tree.
``render_compiled`` executes that form; ``planforge.render.template.DeckTemplate.lint`` checks
the very same sources, so the check and the build cannot disagree on what a pack contains.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import OrderedDict
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree
from pptx import Presentation
from pptx.shapes.group import GroupShape
from pptx.shapes.shapetree import BaseShapeFactory, GroupShapes, SlideShapeFactory
from pptx.slide import Slide

from planforge.caches import remember
from planforge.i18n import _
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
from planforge.render.pptx.paragraphs import encode_paragraphs, has_tags, render_body
from planforge.render.pptx.partnames import PartIndex
from planforge.render.pptx.roundtrip import repair_deck, restore_bands
from planforge.render.pptx.runs import merge_split_tags, paragraph_text, qn
from planforge.render.pptx.slides import (
    clone_slide,
    delete_slide,
    notes_body,
    notes_body_of,
    slide_index,
)
from planforge.render.pptx.tables import render_table, table_source

#: Name prefixes of the shapes bound to data rather than rendered as text.
BOUND = ("chart:", "image:", "gantt:")
_BOUND = BOUND
# Template digest -> its compiled form.
_COMPILED: OrderedDict[bytes, "CompiledDeck"] = remember(OrderedDict())
_COMPILED_MAX = 8
_P_TXBODY = "{http://schemas.openxmlformats.org/presentationml/2006/main}txBody"
_R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RESULTS_MAX = 512  # rendered shapes kept per compiled deck (a deck has about 150)


@dataclass(frozen=True, eq=False)  # each item is itself: equal text on two slides is not one
class Item:
    """One shape of a template slide that the render acts on.

    ``path`` leads from the slide's ``p:spTree`` to the shape element (child indexes, through
    groups); ``kind`` is ``text``, ``table``, ``chart``, ``image`` or ``gantt``; ``source`` is
    the Jinja source of a text body or table, or the expression of a bound shape.
    """

    path: tuple[int, ...]
    kind: str
    name: str
    source: str
    is_chart: bool = False
    #: Whether a rendered result may be reused for another render printing the same text
    #: (not when the shape's XML refers to its slide's relationships: copies renumber them).
    reusable: bool = False

    def where(self, label: str) -> str:
        return _("{where}, shape '{shape}'").format(where=label, shape=self.name)


@dataclass(frozen=True)
class CompiledSlide:
    """A template slide: its directive lines, its notes' source (None: no tags), its items."""

    number: int
    directive_lines: tuple[str, ...]
    notes_source: str | None
    items: tuple[Item, ...]
    #: Charts with no ``chart:`` name: they keep the template's sample series (PF401).
    unbound_charts: tuple[str, ...] = ()


@dataclass
class CompiledDeck:
    """A deck template compiled once: its slides' instructions, and the deck to copy from."""

    where: str
    data: bytes
    slides: list[CompiledSlide]
    #: Tags in slide masters and layouts, which never render: one message each.
    layout_findings: list[str]
    _prs: Any = field(default=None, repr=False)
    _uses: int = 0
    #: (item, rendered Jinja output) -> the shape's text body or table after rendering and
    #: fitting, and the fitting's warning: the same output gives the same XML, so a rebuild
    #: that changed one field redoes only the shapes printing it.
    results: OrderedDict = field(default_factory=OrderedDict, repr=False)

    @property
    def uses(self) -> int:
        """How many renders took a deck from this compiled form."""
        return self._uses

    def presentation(self) -> Any:
        """A deck to render into: the compiled one first, later a copy of a pristine one."""
        # python-pptx builds hundreds of objects opening a deck; a deep copy of a deck just
        # opened is the same deck, three times faster. A single build copies nothing.
        self._uses += 1
        if self._uses == 1 and self._prs is not None:
            prs, self._prs = self._prs, None
            return prs
        if self._prs is None:
            self._prs = _pristine(self.data, self.where, self.slides)
        return deepcopy(self._prs)


def compile_pptx(template: Path | bytes, where: str = "deck.pptx") -> CompiledDeck:
    """Return the compiled form of *template* (a path or the file's bytes), cached by digest."""
    try:
        data = template if isinstance(template, bytes) else Path(template).read_bytes()
    except OSError as exc:
        raise TemplateError(_("{where}: not a readable .pptx file ({reason})").format(
            where=where, reason=exc)) from exc
    key = hashlib.sha256(data + b"\0" + where.encode()).digest()
    found = _COMPILED.get(key)
    if found is not None:
        _COMPILED.move_to_end(key)
        return found
    prs = _parse(data, where)
    repair_deck(prs, data)  # what a LibreOffice save changed in how the slides look
    slides, findings = _walk(prs, where)
    compiled = CompiledDeck(where, data, slides, findings, prs)
    _COMPILED[key] = compiled
    if len(_COMPILED) > _COMPILED_MAX:
        _COMPILED.popitem(last=False)
    return compiled


def _parse(data: bytes, where: str) -> Any:
    try:
        return Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises zip, XML and key errors for broken files
        raise TemplateError(_("{where}: not a readable .pptx file ({reason})").format(
            where=where, reason=exc)) from exc


def _pristine(data: bytes, where: str, slides: list[CompiledSlide]) -> Any:
    """The deck opened afresh with the one change compiling makes: split tags merged.

    It is changed through its parts' XML only: a python-pptx proxy cached on it (its slides,
    a slide's shapes) would hold an element of this tree, not of the copies made from it.
    """
    prs = _parse(data, where)
    repair_deck(prs, data)
    presentation = prs.part
    for sld_id, cslide in zip(presentation._element.sldIdLst, slides):
        part = presentation.related_part(sld_id.rId)
        if cslide.notes_source is not None:
            body = notes_body_of(part)
            for p in body.findall(qn("p")) if body is not None else []:
                if not any(directives.is_directive(ln) for ln in paragraph_text(p).split("\n")):
                    merge_split_tags(p)
        tree = part._element.cSld.spTree
        for item in cslide.items:
            element = tree
            for index in item.path:
                element = element[index]
            if item.kind == "table":
                table_source(element.graphic.graphicData.find(qn("tbl")))
            elif item.kind == "text":
                for p in element.find(_P_TXBODY).findall(qn("p")):
                    merge_split_tags(p)
    return prs


def _walk(prs: Any, where: str) -> tuple[list[CompiledSlide], list[str]]:
    """The one walk of a template: every slide's directives, notes, text, tables, bound shapes."""
    findings = []
    for layout in [*prs.slide_masters, *prs.slide_layouts]:
        for shape in layout.shapes:
            if shape.has_text_frame and has_tags(shape.text_frame._txBody):
                findings.append(_("{where}: layout '{layout}', shape '{shape}': tags render "
                                  "only on slides; this prints as written: {text}").format(
                                      where=where, layout=layout.name, shape=shape.name,
                                      text=shape.text_frame.text.strip()[:60]))
    slides = []
    for number, slide in enumerate(prs.slides, start=1):
        lines: list[str] = []
        notes_source = None
        body = notes_body(slide)
        if body is not None:
            kept = []
            for p in body.findall(qn("p")):
                found = [ln for ln in paragraph_text(p).split("\n") if directives.is_directive(ln)]
                lines += found
                if not found:
                    kept.append(p)
            if kept and any(has_tags(p) for p in kept):
                notes_source = encode_paragraphs(kept)
        items: list[Item] = []
        unbound: list[str] = []
        _walk_shapes(slide.shapes, (), items, unbound)
        slides.append(CompiledSlide(number, tuple(lines), notes_source, tuple(items),
                                    tuple(unbound)))
    return slides, findings


def _walk_shapes(shapes: Any, path: tuple[int, ...], items: list[Item],
                 unbound: list[str]) -> None:
    for shape in list(shapes):
        element = shape._element
        at = path + (element.getparent().index(element),)
        name = shape.name
        reusable = not any(_R_NS in attr for el in element.iter() for attr in el.attrib)
        if name.startswith(BOUND):
            kind, _sep, expr = name.partition(":")
            items.append(Item(at, kind, name, expr, bool(getattr(shape, "has_chart", False))))
        elif isinstance(shape, GroupShape):  # what shape_type == GROUP means, without lookups
            _walk_shapes(shape.shapes, at, items, unbound)
        elif getattr(shape, "has_chart", False) and shape.has_chart:
            unbound.append(name)
        elif getattr(shape, "has_table", False) and shape.has_table:
            # Even without tags: the render sets the frame's height to the sum of its rows.
            source = table_source(element.graphic.graphicData.find(qn("tbl")))
            items.append(Item(at, "table", name, source, reusable=reusable))
        elif shape.has_text_frame and has_tags(shape.text_frame._txBody):
            items.append(Item(at, "text", name, encode_paragraphs(
                shape.text_frame._txBody.findall(qn("p"))), reusable=reusable))


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
        self.results: OrderedDict = OrderedDict()
        self.keep = False
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
    return render_compiled(compile_pptx(template, where), context, env, base_dir=base_dir,
                           ea_font=ea_font, pack_dir=pack_dir)


def render_compiled(
    compiled: CompiledDeck,
    context: Mapping[str, Any],
    env: jinja2.Environment,
    *,
    base_dir: Path | None = None,
    ea_font: str = "Microsoft YaHei",
    pack_dir: Path | None = None,
) -> tuple[bytes, list[str]]:
    """Execute a compiled deck with *context*; return the .pptx bytes and the warnings."""
    where = compiled.where
    plan: list[list[dict[str, Any]]] = []
    for cslide in compiled.slides:
        label = slide_label(where, cslide.number)
        notes = notes_label(label)
        found = [directives.parse(line, notes) for line in cslide.directive_lines]
        plan.append(directives.expand(env, found, context, notes) if found else [{}])
        total = sum(len(b) for b in plan)
        if total > MAX_SLIDES:
            raise TemplateError(_("{where} notes: the deck would have {count} slides; it may "
                                  "have at most {limit}, in {tag}").format(
                                      where=label, count=f"{total:,}", limit=f"{MAX_SLIDES:,}",
                                      tag=found[0].text if found else ""))
    prs = compiled.presentation()
    PartIndex.install(prs.part.package)
    session = _Session(env, context, where, base_dir, ea_font, pack_dir)
    session.results = compiled.results
    # A deck rendered once (a single build) keeps nothing; from the second render on (a batch,
    # watch mode, a live preview) each shape's result is kept for the next.
    session.keep = compiled.uses > 1
    for cslide, slide, bindings in zip(compiled.slides, list(prs.slides), plan):
        if not bindings:
            delete_slide(prs, slide)
            continue
        budget.at(slide_label(where, cslide.number))
        position = slide_index(prs, slide)
        instances = [slide] + [
            clone_slide(prs, slide, position + k) for k in range(1, len(bindings))
        ]
        for k, (instance, bound) in enumerate(zip(instances, bindings)):
            label = slide_label(where, cslide.number) + (
                _(" (copy {n} of {count})").format(n=k + 1, count=len(bindings))
                if len(bindings) > 1 else ""
            )
            budget.at(label)
            _render_slide(session, cslide, instance, {**context, **bound}, label)
    # Text cut on a slide is reported with the number of the slide in the built deck.
    order = {id(sld.part): n for n, sld in enumerate(prs.slides, start=1)}
    for instance, cut in session.cuts:
        number = order.get(id(instance.part), 0)
        session.warnings.append(Cut.make(_("slide {number} of the built deck: {cut}").format(
                                             number=number, cut=cut), cut.lost,
                                         cut.kept, cut.total, number))
    # Slides added after deletions can share a part name; number them afresh in slide order.
    prs.part.rename_slide_parts([sld_id.rId for sld_id in prs.slides._sldIdLst])
    restore_bands(prs)  # of tables a LibreOffice save took the style of
    data = pptx_bytes(prs)
    release(prs.part.package)
    return data, session.warnings


class _Found:
    """*item*'s shape element on a copy of its template slide; python-pptx proxies on demand."""

    def __init__(self, slide: Slide, item: Item):
        self.slide, self.item = slide, item
        element: etree._Element = slide._element.cSld.spTree
        self.groups = []
        for index in item.path:
            element = element[index]
            self.groups.append(element)
        self.element = element
        self._shape: Any = None
        self._shapes: Any = None

    @property
    def shapes(self) -> Any:
        """The shape collection holding the shape (the slide's, or its group's)."""
        if self._shapes is None:
            shapes = self.slide.shapes
            for group in self.groups[:-1]:
                shapes = GroupShapes(group, shapes)
            self._shapes = shapes
        return self._shapes

    @property
    def shape(self) -> Any:
        """The python-pptx shape (made the first time it is asked for)."""
        if self._shape is None:
            factory = SlideShapeFactory if len(self.item.path) == 1 else BaseShapeFactory
            self._shape = factory(self.element, self.shapes)
        return self._shape


def _render_slide(
    session: _Session, cslide: CompiledSlide, slide: Slide, scope: dict[str, Any], label: str
) -> None:
    body = notes_body(slide)
    if body is not None:
        for p in body.findall(qn("p")):
            if any(directives.is_directive(line) for line in paragraph_text(p).split("\n")):
                body.remove(p)
        if body.find(qn("p")) is None:
            body.append(body.makeelement(qn("p"), {}))
        if cslide.notes_source is not None:
            render_body(body, session.renderer(scope, notes_label(label)), cslide.notes_source)
    # Every shape is found before any is changed: rendering removes and adds shapes.
    found = [_Found(slide, item) for item in cslide.items]
    rendered: list[tuple[Item, _Found, str, str | None, Any]] = []
    results = session.results
    for at in found:
        item, element = at.item, at.element
        where = item.where(label)
        if item.kind not in ("table", "text"):
            continue
        output = session.renderer(scope, where)(item.source) if item.source else None
        key = (item, output)
        kept = results.get(key) if item.reusable and output is not None else None
        if kept is not None:
            results.move_to_end(key)
            _reuse(at, kept)
            if item.kind == "text":
                rendered.append((item, at, where, output, kept))
            continue
        if item.kind == "table":
            tbl = element.graphic.graphicData.find(qn("tbl"))
            height = render_table(tbl, lambda _source: output, item.source)
            if not tbl.findall(qn("tr")):
                element.getparent().remove(element)
                if session.keep and item.reusable and output is not None:
                    _keep(results, key, (None, 0, None))
            else:
                if height:
                    at.shape.height = height
                if session.keep and item.reusable and output is not None:
                    _keep(results, key, (deepcopy(tbl), height, None))
        else:
            render_body(element.find(_P_TXBODY), lambda _source: output, item.source)
            rendered.append((item, at, where, output, None))
    for at in found:
        item = at.item
        if item.kind not in ("chart", "image", "gantt"):
            continue
        where = item.where(label)
        shapes, shape = at.shapes, at.shape
        if item.kind == "chart":
            if not item.is_chart:
                raise TemplateError(_("{where}: a shape named 'chart:...' must be a chart").format(
                    where=where))
            session.warnings += replace_chart(
                shape, _dataset(session, "charts", item.source, scope, where, ChartData), where
            )
        elif item.kind == "image":
            place_image(
                shapes,
                shape,
                evaluate(session.env, item.source, scope, where, item.name),
                session.base_dir,
                where,
                session.pack_dir,
            )
        elif item.kind == "gantt":
            session.warnings += draw_gantt(
                shapes, shape, _dataset(session, "gantts", item.source, scope, where, Gantt), where
            )
    for item, at, where, output, kept in rendered:
        if kept is not None:  # fitted when it was kept; its warning, in its place
            _warn(session, slide, _rewhere(kept[2], where))
            continue
        if at.element.getparent() is not None:
            warning = fit_shape(at.shape, where)
            _warn(session, slide, warning)
            if session.keep and item.reusable:
                _keep(results, (item, output),
                      (deepcopy(at.element.find(_P_TXBODY)), 0, _unwhere(warning, where)))
    set_east_asian_fonts(slide._element.cSld.spTree, session.ea_font)



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
            raise TemplateError(no_dataset(where, key[:-1], name, datasets)) from exc
    if value is not None and not isinstance(value, kind):
        raise TemplateError(_("{where}: expected {expected}, got {type}").format(
            where=where, expected=kind.__name__, type=type(value).__name__))
    return value or kind([], [])


def no_dataset(where: str, kind: str, name: str, datasets: Any) -> str:
    """A ``chart:``/``gantt:`` binding that names no dataset, with the nearest name (PF401)."""
    from planforge.validation.messages import suggest

    known = ", ".join(sorted(datasets)) or _("none")
    hint = suggest(name, sorted(datasets)) if re.fullmatch(r"\w+", name) else None
    if hint:
        return _("{where}: no {kind} data named '{name}' — did you mean '{kind}:{hint}'? "
                 "(known: {known})").format(where=where, kind=kind, name=name, hint=hint,
                                            known=known)
    return _("{where}: no {kind} data named '{name}' (known: {known})").format(
        where=where, kind=kind, name=name, known=known)


def unbound_chart(where: str, datasets: Any) -> str:
    """A chart with no ``chart:`` name: it keeps its sample series in every deck (PF401)."""
    return _("{where}: a chart with no binding keeps its sample data in every deck; name it "
             "chart:<dataset> in the Selection Pane (datasets: {known})").format(
                 where=where, known=", ".join(sorted(datasets)) or _("none"))


def unbound_charts(compiled: CompiledDeck, datasets: Any) -> list[str]:
    """Every chart of the deck with no binding, named by slide and shape (PF401)."""
    return [unbound_chart(_("{where}, shape '{shape}'").format(
                where=slide_label(compiled.where, cslide.number), shape=name), datasets)
            for cslide in compiled.slides for name in cslide.unbound_charts]


def _warn(session: _Session, slide: Slide, warning: str | None) -> None:
    if isinstance(warning, Cut):
        session.cuts.append((slide, warning))
    elif warning:
        session.warnings.append(warning)


def _unwhere(warning: str | None, where: str) -> Any:
    """A fitting warning without the shape's place (a kept result serves every copy)."""
    if not warning:
        return None
    rest = warning[len(where):] if warning.startswith(where) else warning
    return (rest, warning) if isinstance(warning, Cut) else (rest, None)


def _rewhere(kept: Any, where: str) -> str | None:
    if kept is None:
        return None
    rest, cut = kept
    if cut is None:
        return where + rest
    return Cut.make(where + rest, cut.lost, cut.kept, cut.total)


def _keep(results: OrderedDict, key: Any, value: Any) -> None:
    results[key] = value
    if len(results) > _RESULTS_MAX:
        results.popitem(last=False)


def _reuse(at: _Found, kept: Any) -> None:
    """Put a kept result in place of the found shape's text body or table."""
    element, height, _rest = kept
    if at.item.kind == "table":
        tbl = at.element.graphic.graphicData.find(qn("tbl"))
        if element is None:
            at.element.getparent().remove(at.element)
            return
        tbl.getparent().replace(tbl, deepcopy(element))
        if height:
            at.shape.height = height
        return
    body = at.element.find(_P_TXBODY)
    body.getparent().replace(body, deepcopy(element))


def slide_label(where: str, number: int) -> str:
    """``deck.pptx: slide 4``, the start of every finding about a slide."""
    return _("{where}: slide {number}").format(where=where, number=number)


def notes_label(label: str) -> str:
    """``deck.pptx: slide 4 notes``: the slide's speaker notes (where directives live)."""
    return _("{where} notes").format(where=label)
