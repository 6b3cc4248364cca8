"""The library entry points the CLI, tests and other programs call.

Each stage is imported only when needed, so ``validate`` never loads the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from planforge.errors import Problem, SpecError

if TYPE_CHECKING:
    from planforge.loader import Spec
    from planforge.model.types import Plan

FORMATS = ("pptx", "docx", "pdf")
DEFAULT_FORMATS = ("pptx", "docx")


@dataclass
class BuildResult:
    """What one build wrote, and the warnings worth reading."""

    spec: Path
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    slides: int = 0


def validate(path: str | Path) -> "Spec":
    """Load and validate a spec; raise SpecError listing every problem."""
    from planforge.loader import load_spec
    from planforge.validation import validate as run_rules

    spec = load_spec(path)
    problems = run_rules(spec)
    if problems:
        raise SpecError(problems=problems)
    return spec


def load_plan(path: str | Path) -> "Plan":
    """Validate a spec and build its plan model (figures, warnings, readiness)."""
    from planforge.model import build_model

    return build_model(validate(path))


def check(path: str | Path) -> dict:
    """Validate a spec and return its check report: key figures, warnings, readiness."""
    from planforge.report import check_report

    return check_report(load_plan(path))


def output_paths(spec: Path, out_dir: Path, formats: Iterable[str]) -> dict[str, Path]:
    """Where a build of ``spec`` writes each format."""
    stem = spec.stem
    paths = {"pptx": out_dir / f"{stem}.pptx", "docx": out_dir / f"{stem}.docx"}
    if "pdf" in formats:
        paths["deck-pdf"] = out_dir / f"{stem}-deck.pdf"
        paths["plan-pdf"] = out_dir / f"{stem}-plan.pdf"
    return {k: v for k, v in paths.items()
            if k in formats or (k.endswith("-pdf") and "pdf" in formats)}


def build(path: str | Path, out_dir: str | Path = "out", *, template: str | None = None,
          formats: Iterable[str] = DEFAULT_FORMATS) -> BuildResult:
    """Build the deck and the plan of one spec into ``out_dir``; all outputs or none are written."""
    from planforge.fmt import filters_for
    from planforge.packs import find_pack
    from planforge.render.context import build_context
    from planforge.render.env import make_env
    from planforge.write import atomic_write_many, build_time, normalize_ooxml

    formats = tuple(formats)
    spec_path = Path(path)
    plan = load_plan(spec_path)
    if template:
        pack = find_pack(template)
    else:
        pack = find_pack(plan.meta.template, relative_to=plan.base_dir)
    locale = plan.meta.locale
    context = build_context(plan, pack, locale)
    result = BuildResult(spec=spec_path, warnings=list(plan.warnings))
    when = build_time(plan.meta.date)
    author = plan.meta.prepared_by or plan.company.name
    docs: dict[str, bytes] = {}
    want_deck = "pptx" in formats or "pdf" in formats
    want_plan = "docx" in formats or "pdf" in formats
    if want_deck:
        from planforge.render.deck import render_deck

        env = make_env(locale, filters=filters_for(locale))
        deck, notes = render_deck(context, pack.deck_template, env)
        docs["pptx"] = normalize_ooxml(deck, when, title=plan.meta.title, author=author)
        result.warnings += [_render_warning(pack.deck_template, n) for n in notes]
        result.slides = _count_slides(docs["pptx"])
    if want_plan:
        from planforge.render.docx import render_plan

        env = make_env(locale, filters=filters_for(locale), autoescape=True)
        doc, notes = render_plan(context, pack.plan_template, env, plan.base_dir)
        docs["docx"] = normalize_ooxml(doc, when, title=plan.meta.title, author=author)
        result.warnings += [_render_warning(pack.plan_template, n) for n in notes]
    paths = output_paths(spec_path, Path(out_dir), formats)
    outputs: dict[Path, bytes] = {}
    for kind, target in paths.items():
        if kind.endswith("-pdf"):
            from planforge.pdf import to_pdf

            source = "pptx" if kind == "deck-pdf" else "docx"
            outputs[target] = to_pdf(docs[source], f".{source}")
        else:
            outputs[target] = docs[kind]
    atomic_write_many(outputs)
    result.outputs = list(outputs)
    return result


def _render_warning(template: Path, message: str) -> Problem:
    return Problem(str(template), 0, 0, "", message, "warning")


def _count_slides(pptx: bytes) -> int:
    import io
    import re
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(pptx)).namelist()
    return sum(1 for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))
