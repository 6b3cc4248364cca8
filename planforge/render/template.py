"""One compiled ``Template`` per document kind: the deck (.pptx) and the plan (.docx).

A template owns how its file is opened, its environment (the sandbox, autoescape, the locale's
filters), its asset rule (images inside the spec's folder or the pack's, see
``planforge.render.assets``) and one walk of its text that produces its compiled form, kept
per process by the file's content digest. ``render(context)`` executes that form; ``lint(context)``
checks the same form against the context's types. ``planforge build``, ``planforge check`` and
``planforge templates check`` all go through here, so they cannot disagree about a pack.

Callers never choose per format: ``DeckTemplate.of(pack).render(context)`` and
``PlanTemplate.of(pack).render(context)`` are all there is.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from planforge.errors import TemplateError
from planforge.i18n import _

if TYPE_CHECKING:
    import jinja2

    from planforge.packs import Pack
    from planforge.packlint import Kind

__all__ = ["DeckTemplate", "PlanTemplate", "Template"]


class Template:
    """A document template of a pack: open, environment, asset rule, compiled form."""

    kind: ClassVar[str] = ""
    #: Whether printed values are XML-escaped by Jinja (docxtpl renders XML text) or not
    #: (python-pptx escapes the text it is given).
    autoescape: ClassVar[bool] = False
    missing: ClassVar[str] = ""

    def __init__(self, path: str | Path, *, label: str | None = None):
        self.path = Path(path)
        self.pack_dir = self.path.parent
        #: How messages name the file: ``<pack folder>/<file>``.
        self.label = label or f"{self.path.parent.name}/{self.path.name}"

    @classmethod
    def of(cls, pack: "Pack") -> "Template":
        """The template of this kind in *pack*."""
        return cls(getattr(pack, f"{cls.kind}_template"))

    def env(self, locale: str) -> "jinja2.Environment":
        """The sandboxed, strict environment this template renders in, for *locale*."""
        from planforge.fmt import filters_for
        from planforge.render.env import make_env

        return make_env(locale, filters=filters_for(locale), autoescape=self.autoescape)

    def check_file(self) -> None:
        if not self.path.is_file():
            raise TemplateError(self.missing.format(path=self.path))

    def render(self, context: Mapping[str, Any], *,
               base_dir: str | Path | None = None) -> tuple[bytes, list[str]]:
        """Render with *context*; return the document's bytes and the render's warnings."""
        raise NotImplementedError

    def lint(self, context: Mapping[str, Any]) -> list[str]:
        """Check every tag of the compiled form against *context*'s types; one line a problem."""
        raise NotImplementedError


def _base_dir(context: Mapping[str, Any], base_dir: str | Path | None) -> Path | None:
    value = base_dir if base_dir is not None else context.get("base_dir")
    return Path(value) if value else None


class DeckTemplate(Template):
    """The Tmall application deck: a .pptx whose slides, notes, tables and shapes hold tags."""

    kind = "deck"
    autoescape = False
    missing = "{path}: the template pack has no deck template"

    def compiled(self) -> Any:
        """The compiled form (``planforge.render.pptx.engine.CompiledDeck``), made once."""
        from planforge.render.pptx.engine import compile_pptx

        self.check_file()
        return compile_pptx(self.path, self.label)

    def render(self, context: Mapping[str, Any], *,
               base_dir: str | Path | None = None) -> tuple[bytes, list[str]]:
        from planforge.render.budget import document_budget
        from planforge.render.pptx.engine import render_compiled

        compiled = self.compiled()
        with document_budget(self.label):  # the time and size a render may take (sec)
            result = render_compiled(
                compiled, context, self.env(str(context.get("locale") or "zh-CN")),
                base_dir=_base_dir(context, base_dir), ea_font=_ea_font(context),
                pack_dir=self.pack_dir,
            )
        # python-pptx's slide and shape objects refer to each other, so a rendered deck (tens
        # of MB for hundreds of slides) waits for the cycle collector; the young generations it
        # is in take a millisecond to collect, and the plan then renders without it in memory.
        gc.collect(1)
        return result

    def lint(self, context: Mapping[str, Any]) -> list[str]:
        from planforge.packlint import lint_env, lint_source, top_kinds
        from planforge.render.pptx.engine import notes_label, slide_label

        try:
            compiled = self.compiled()
        except TemplateError as exc:
            return [exc.message]
        env, kinds = lint_env(str(context["locale"])), top_kinds(dict(context))
        problems = list(compiled.layout_findings)
        for slide in compiled.slides:
            where = slide_label(compiled.where, slide.number)
            scope: dict[str, Kind | None] = {}
            for line in slide.directive_lines:
                problems += _directive(env, kinds, line, notes_label(where), scope)
            if slide.notes_source is not None:
                problems += lint_source(env, kinds, slide.notes_source, notes_label(where), scope)
            for item in slide.items:
                at = item.where(where)
                if item.kind in ("text", "table"):
                    problems += lint_source(env, kinds, item.source, at, scope)
                else:
                    problems += _bound(env, kinds, context, item, at, scope)
        return problems

    def unbound_charts(self, context: Mapping[str, Any]) -> list[str]:
        """The deck's charts with no ``chart:`` name (PF401), with the datasets to bind."""
        from planforge.render.pptx.engine import unbound_charts

        return unbound_charts(self.compiled(), context.get("charts") or {})


def _ea_font(context: Mapping[str, Any]) -> str:
    # The pack manifest names the East Asian font; the engine stamps it on runs that lack one.
    fonts = (context.get("theme") or {}).get("fonts") or {}
    return str(fonts.get("east_asian") or "Microsoft YaHei")


def _directive(env: Any, kinds: dict, line: str, where: str, scope: dict) -> list[str]:
    """Lint one directive line and bind the name it declares into ``scope``."""
    from planforge.packlint import Kind, Linter, lint_source, parse_expression
    from planforge.render.pptx import directives

    try:
        d = directives.parse(line, where)
    except TemplateError as exc:
        return [exc.message]
    problems: list[str] = []
    for expr in [d.expr] + ([d.size] if d.size else []):
        problems += lint_source(env, kinds, "{{ " + expr + " }}", where, scope,
                                tag_of=lambda lineno, name: d.text)
    if d.kind != "if":
        try:
            items = Linter(env, kinds, None).infer(parse_expression(env, d.expr), scope)
        except Exception:  # a syntax error, already reported above
            items = None
        item = items.of if items and items.kind == "list" else None
        scope[d.var] = Kind("page", item) if d.kind == "paginate" else item
    return [p.replace(" in {{ " + d.expr + " }}", " in " + d.text) for p in problems]


def _bound(env: Any, kinds: dict, context: Mapping[str, Any], item: Any, where: str,
           scope: dict) -> list[str]:
    from planforge.packlint import lint_source

    if item.kind == "chart" and not item.is_chart:
        return [_("{where}: a shape named 'chart:...' must be a chart").format(where=where)]
    datasets = context.get(f"{item.kind}s") if item.kind != "image" else None
    if datasets is not None and item.source in datasets:
        return []
    problems = lint_source(env, kinds, "{{ " + item.source + " }}", where, scope,
                           tag_of=lambda lineno, name: item.name)
    if datasets is not None and problems and re.fullmatch(r"\w+", item.source):
        from planforge.render.pptx.engine import no_dataset

        return [no_dataset(where, item.kind, item.source, datasets)]
    return problems


class PlanTemplate(Template):
    """The annual operation plan: a docxtpl Word template (body, headers and footers)."""

    kind = "plan"
    autoescape = True
    missing = "{path}: the pack has no plan template"
    #: Filters the render adds per document (``planforge.render.docx.objects``); the lint
    #: knows them by name.
    document_filters: ClassVar[tuple[str, ...]] = ("picture", "chart")

    def compiled(self) -> list[tuple[str, str]]:
        """The compiled form: each part's name and the Jinja source docxtpl renders for it."""
        from planforge.render.docx.render import compiled_parts

        self.check_file()
        return compiled_parts(self.path)

    def render(self, context: Mapping[str, Any], *,
               base_dir: str | Path | None = None) -> tuple[bytes, list[str]]:
        from planforge.render.docx.render import render_plan

        folder = _base_dir(context, base_dir) or Path(".")
        return render_plan(dict(context), self.path,
                           self.env(str(context.get("locale") or "zh-CN")), folder)

    def lint(self, context: Mapping[str, Any]) -> list[str]:
        from planforge.packlint import lint_env, lint_source, top_kinds
        from planforge.render.env import clean_text
        from planforge.render.pptx.runs import TAG

        try:
            parts = self.compiled()
        except TemplateError as exc:
            return [exc.message]
        env = lint_env(str(context["locale"]), self.document_filters)
        env.autoescape = self.autoescape
        kinds = top_kinds(dict(context))
        problems: list[str] = []
        for part, source in parts:
            lines = [clean_text(re.sub(r"<[^>]+>", "", ln)).strip() for ln in source.split("\n")]

            def tag_of(lineno: int, word: str, lines: list[str] = lines) -> str:
                if not 1 <= lineno <= len(lines):
                    return ""
                tags = TAG.findall(lines[lineno - 1])
                return next((t for t in tags if word in t), tags[0] if tags else "")

            for problem in lint_source(env, kinds, source, f"{self.label} ({part})",
                                       tag_of=tag_of):
                # Name the paragraph, as a render error does.
                tag = re.search(r"(?: in |，位于 )(\{.*\})$", problem)
                text = next((ln for ln in lines if tag and tag.group(1) in ln), "")
                if text:
                    shown = text if len(text) <= 120 else text[:117] + "..."
                    named = f"({part})" + _(", paragraph \u201c{text}\u201d").format(text=shown)
                    problem = re.sub(rf"\({re.escape(part)}\)(?=[:：])", lambda _m: named,
                                     problem, count=1)
                problems.append(problem)
        return problems
