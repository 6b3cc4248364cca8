"""The library entry points the CLI, tests and other programs call.

Each stage is imported only when needed, so ``validate`` never loads the renderers.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
import functools
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, ParamSpec, TypeVar, Union

from planforge.errors import Problem, SpecError

if TYPE_CHECKING:
    from planforge.loader import Spec
    from planforge.model.types import Plan

FORMATS = ("pptx", "docx", "pdf", "xlsx")
DEFAULT_FORMATS = ("pptx", "docx")


@dataclass
class BuildResult:
    """What one build wrote, and the warnings worth reading."""

    spec: Path
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    slides: int = 0


P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def _language_of(source: object) -> Iterator[None]:
    """Within the block, messages follow the ``meta.locale`` of ``source`` (unless ``--lang``):
    a spec's path, its YAML text, its data, or a loaded Spec."""
    from planforge.i18n import peek_locale, spec_language
    from planforge.loader import Spec

    data = source.data if isinstance(source, Spec) else source
    if isinstance(data, Path) or (isinstance(data, str) and "\n" not in data):
        with spec_language(data):
            yield
        return
    locale = None
    if isinstance(data, bytes):
        locale = peek_locale(data[:65536].decode("utf-8", "replace"))
    elif isinstance(data, str):
        locale = peek_locale(data)
    elif isinstance(data, Mapping) and isinstance(data.get("meta"), Mapping):
        found = data["meta"].get("locale")
        locale = found if isinstance(found, str) else None
    with spec_language(locale=locale):
        yield


def _in_spec_language(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func(spec, ...)`` with messages in the language of that spec."""
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _language_of(args[0] if args else kwargs.get("path", kwargs.get("spec"))):
            return func(*args, **kwargs)

    return wrapper


@_in_spec_language
def validate(path: "str | Path | Spec") -> "Spec":
    """Load and validate a spec; raise SpecError listing every problem.

    Messages are in the spec's ``meta.locale`` unless a language was chosen
    (:func:`planforge.i18n.set_language`, the ``--lang`` option), else the environment's.
    """
    from planforge.loader import Spec, load_spec
    from planforge.validation import validate as run_rules

    spec = path if isinstance(path, Spec) else load_spec(path)
    problems = run_rules(spec)
    if problems:
        raise SpecError(problems=problems)
    return spec


@_in_spec_language
def load_plan(path: "str | Path | Spec", *, rules: str | Path | None = None,
              calendar: str | Path | None = None) -> "Plan":
    """Validate a spec and build its plan model (figures, warnings, readiness, pre-flight).

    The warnings the spec silences (``meta.ignore``, ``# planforge: ignore[...]``) are left out.
    ``rules`` / ``calendar`` name a rules table / festival calendar to use instead of the
    shipped ones (and of the spec's ``meta.rules`` / ``meta.calendar``).
    """
    from planforge.diagnostics import suppress
    from planforge.model import build_model

    spec = validate(path)
    plan = build_model(spec, rules=rules, calendar=calendar)
    plan.warnings = suppress(plan.warnings, spec.lines, plan.meta.ignore)
    return plan


@_in_spec_language
def check(path: "str | Path | Spec", *, rules: str | Path | None = None,
          calendar: str | Path | None = None) -> dict:
    """Validate a spec and return its check report: figures, warnings, readiness, pre-flight.

    The deck is rendered in memory too, so that text it would have to cut (PF300) is reported
    here as in a build, and ``check --strict`` fails on it. ``rules`` / ``calendar`` name a
    rules table / festival calendar to use instead of the shipped ones.
    """
    from planforge.diagnostics import suppress
    from planforge.model import build_model
    from planforge.report import check_report

    spec = validate(path)
    plan = build_model(spec, rules=rules, calendar=calendar)
    # What only the render finds: text it would cut (PF300), charts with no binding (PF401).
    cuts = [w for w in _render_plan(plan, None, ("pptx",), spec).warnings
            if w.code in ("PF300", "PF401")]
    # What the spec silences (meta.ignore, '# planforge: ignore[...]') is left out, as in a build.
    plan.warnings = suppress(sorted(plan.warnings + cuts), spec.lines, plan.meta.ignore)
    return check_report(plan)


def output_paths(spec: Path, out_dir: Path, formats: Iterable[str]) -> dict[str, Path]:
    """Where a build of ``spec`` writes each format."""
    stem = spec.stem
    paths = {"pptx": out_dir / f"{stem}.pptx", "docx": out_dir / f"{stem}.docx",
             "xlsx": out_dir / f"{stem}.xlsx"}
    if "pdf" in formats:
        paths["deck-pdf"] = out_dir / f"{stem}-deck.pdf"
        paths["plan-pdf"] = out_dir / f"{stem}-plan.pdf"
    return {k: v for k, v in paths.items()
            if k in formats or (k.endswith("-pdf") and "pdf" in formats)}


@dataclass
class Documents:
    """The documents of one spec, rendered in memory (nothing is written), and their warnings.

    ``files`` maps a kind to its bytes: ``"pptx"`` (the deck), ``"docx"`` (the plan), and with
    the ``pdf`` format ``"deck-pdf"`` and ``"plan-pdf"``, and ``"xlsx"`` (the figures
    workbook). Only the kinds asked for are present.
    """

    plan: "Plan"
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    slides: int = 0

    @property
    def pptx(self) -> bytes | None:
        """The deck (.pptx), or None when it was not asked for."""
        return self.files.get("pptx")

    @property
    def docx(self) -> bytes | None:
        """The plan (.docx), or None when it was not asked for."""
        return self.files.get("docx")


SpecInput = Union[str, Path, bytes, Mapping[str, Any]]


@_in_spec_language
def render(spec: SpecInput, template: str | None = None, formats: Iterable[str] = DEFAULT_FORMATS,
           *, base_dir: str | Path | None = None, name: str = "<spec>",
           rules: str | Path | None = None, calendar: str | Path | None = None) -> Documents:
    """Render the documents of one spec in memory; raise a PlanforgeError when it cannot be.

    ``spec`` is a path (``Path``, or a ``str`` without a newline), YAML text (a ``str`` holding
    a newline, or ``bytes``), or the spec's data as a mapping. Text and mappings have no file:
    their images are looked for in ``base_dir`` (default: the current folder), and messages name
    ``name``. ``template`` is a pack name or folder (default: the spec's ``meta.template``);
    ``formats`` any of ``pptx``, ``docx``, ``pdf``, ``xlsx`` (the figures workbook);
    ``rules`` / ``calendar`` a rules table / festival calendar instead of the shipped ones. The
    same input gives the same bytes.
    """
    formats = _formats(formats)
    from planforge.model import build_model

    checked = validate(_spec_of(spec, base_dir, name))
    return _render_plan(build_model(checked, rules=rules, calendar=calendar), template,
                        formats, checked)


@_in_spec_language
def build(path: str | Path, out_dir: str | Path = "out", *, template: str | None = None,
          formats: Iterable[str] = DEFAULT_FORMATS, rules: str | Path | None = None,
          calendar: str | Path | None = None) -> BuildResult:
    """Build the deck and the plan of one spec into ``out_dir``; all outputs or none are written.

    This is ``render`` followed by an atomic write of every file it made.
    """
    from planforge.write import atomic_write_many

    formats = _formats(formats)
    spec_path = Path(path)
    from planforge.model import build_model

    checked = validate(spec_path)
    docs = _render_plan(build_model(checked, rules=rules, calendar=calendar), template,
                        formats, checked)
    outputs = {target: docs.files[kind]
               for kind, target in output_paths(spec_path, Path(out_dir), formats).items()}
    atomic_write_many(outputs)
    return BuildResult(spec=spec_path, outputs=list(outputs), warnings=docs.warnings,
                       slides=docs.slides)


def _formats(formats: Iterable[str]) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    if isinstance(formats, (bytes, Mapping)) or not hasattr(formats, "__iter__"):
        raise TypeError(f"formats must be a list of format names such as ['pptx', 'docx'], "
                        f"not {type(formats).__name__}")
    formats = tuple(formats)
    if not all(isinstance(f, str) for f in formats):
        raise TypeError("formats must be format names (text) such as 'pptx'")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {', '.join(map(repr, unknown)) or '(none)'}; "
                         f"choose from {', '.join(FORMATS)}")
    return formats


def _spec_of(spec: SpecInput, base_dir: str | Path | None, name: str) -> "Spec | Path":
    """A path stays a path (``load_plan`` reads it); text and mappings are parsed here."""
    from planforge.loader import parse_spec, parse_spec_bytes, spec_from_data

    if isinstance(spec, Path) or (isinstance(spec, str) and "\n" not in spec):
        return Path(spec)
    where = Path(base_dir if base_dir is not None else ".") / name
    if isinstance(spec, bytes):
        return parse_spec_bytes(spec, where)
    if isinstance(spec, str):
        return parse_spec(spec, where)
    if isinstance(spec, Mapping):
        return spec_from_data(spec, where)
    raise TypeError(f"spec must be a path, YAML text or a mapping, not {type(spec).__name__}")


def _render_plan(plan: "Plan", template: "str | os.PathLike[str] | None",
                 formats: tuple[str, ...], spec: "Spec | None" = None) -> Documents:
    from planforge.diagnostics import suppress
    from planforge.packs import find_pack
    from planforge.render.context import build_context
    from planforge.render.template import DeckTemplate, PlanTemplate
    from planforge.write import build_time, normalize_ooxml

    if template is not None and not isinstance(template, str):
        if not isinstance(template, os.PathLike):
            raise TypeError(f"template must be a pack name or folder (str or Path), not "
                            f"{type(template).__name__}")
        template = os.fspath(template)
    if template:
        pack = find_pack(template)
    else:
        pack = find_pack(plan.meta.template, relative_to=plan.base_dir)
    locale = plan.meta.locale
    context = build_context(plan, pack, locale)
    result = Documents(plan=plan, warnings=list(plan.warnings))
    when = build_time(plan.meta.date)
    author = plan.meta.prepared_by or plan.company.name
    docs = result.files
    want_deck = "pptx" in formats or "pdf" in formats
    want_plan = "docx" in formats or "pdf" in formats
    if want_deck:
        deck, notes = DeckTemplate.of(pack).render(context, base_dir=plan.base_dir)
        docs["pptx"] = normalize_ooxml(deck, when, title=plan.meta.title, author=author)
        from planforge.render.cuts import cut_problems
        from planforge.render.pptx.fit import Cut

        result.warnings += [_render_warning(pack.deck_template, n) for n in notes
                            if not isinstance(n, Cut)]
        result.warnings += cut_problems(spec, pack.deck_template, notes)
        # A chart with no chart: name keeps the template's sample series in this deck.
        result.warnings += [_render_warning(pack.deck_template, m, "PF401")
                            for m in DeckTemplate(pack.deck_template).unbound_charts(context)]
        result.slides = _count_slides(docs["pptx"])
    if want_plan:
        doc, notes = PlanTemplate.of(pack).render(context, base_dir=plan.base_dir)
        docs["docx"] = normalize_ooxml(doc, when, title=plan.meta.title, author=author)
        result.warnings += [_render_warning(pack.plan_template, n) for n in notes]
    if "xlsx" in formats:
        from planforge.render.xlsx import render_workbook

        docs["xlsx"] = normalize_ooxml(render_workbook(plan, context["labels"], locale, when),
                                       when, title=plan.meta.title, author=author)
    result.warnings = suppress(result.warnings, spec.lines if spec is not None else [],
                               plan.meta.ignore)
    if "pdf" in formats:
        from planforge.pdf import reproducible, to_pdfs

        # Both at once (one LibreOffice start, or two side by side: benchmarks/pdf.py), then
        # stamped with the build time so that the same inputs give the same PDF bytes.
        pdfs = to_pdfs({"deck-pdf": (docs["pptx"], ".pptx"), "plan-pdf": (docs["docx"], ".docx")})
        docs.update({kind: reproducible(pdf, when) for kind, pdf in pdfs.items()})
    for kind in ("pptx", "docx"):
        if kind not in formats:
            docs.pop(kind, None)
    return result


def _render_warning(template: Path, message: str, code: str = "") -> Problem:
    return Problem(str(template), 0, 0, "", message, "warning", code=code)


def _count_slides(pptx: bytes) -> int:
    import io
    import re
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(pptx)).namelist()
    return sum(1 for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))
