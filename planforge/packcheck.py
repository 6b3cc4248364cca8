"""Check a template pack: lint every tag of its deck and plan, then render it against sample specs.

``check_pack(ref)`` returns one line per problem, each naming the pack file, the slide and shape
(deck) or the paragraph (plan), and the tag: syntax errors, names the render context lacks
(``brand.nmae``, ``labels.deck.contnts``), constructs the sandbox refuses (``''.__class__``),
and whatever the real render of the shipped example specs (``examples/*.yaml``, those in a
locale the pack has) raises. The lint knows the plan's types, so it reports every typo at once
where a render stops at the first.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planforge.errors import PlanforgeError, TemplateError
from planforge.packlint import Kind, Linter, lint_env, lint_source, parse_expression, top_kinds
from planforge.packs import Pack, find_pack
from planforge.render.env import clean_text
from planforge.render.pptx.runs import TAG

# What a finding is about, and its tag: "unknown name 'x.y' ... in {{ x.y }} (locale en)".
_FINDING = re.compile(r"(unknown name '[^']*'|syntax error|unsafe).*? in (\{.*\})"
                      r"(?: \(locale [^)]*\))?$")


@dataclass
class PackCheck:
    """What ``templates check`` did: the pack, the specs rendered or skipped, the problems."""

    pack: Pack
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def check_pack(ref: str | Path) -> list[str]:
    """Return every problem found in the pack named or pointed at by ``ref`` (empty: all good)."""
    return run_check(ref).problems


def run_check(ref: str | Path) -> PackCheck:
    """Lint the pack ``ref`` and render it against the shipped example specs."""
    from planforge.api import load_plan
    from planforge.resources import data_dir

    pack = find_pack(str(ref))
    result = PackCheck(pack)
    plans = [(spec, load_plan(spec)) for spec in sorted(data_dir("examples").glob("*.yaml"))]
    contexts = _contexts(pack, [plan for _, plan in plans], result.problems)
    if contexts:
        result.problems += _merge({loc: lint_deck(pack, ctx) for loc, ctx in contexts.items()})
        result.problems += _merge({loc: lint_plan(pack, ctx) for loc, ctx in contexts.items()})
    for spec, plan in plans:
        if plan.meta.locale not in pack.locales:
            result.skipped.append(f"{spec.name} ({plan.meta.locale})")
            continue
        result.rendered.append(spec.name)
        for problem in _render(pack, spec):
            if _key(problem) not in {_key(p) for p in result.problems}:
                result.problems.append(f"{spec.name}: {problem}")
    return result


def _contexts(pack: Pack, plans: list, problems: list[str]) -> dict[str, dict]:
    from planforge.render.context import build_context

    contexts = {}
    for locale in pack.locales:
        sample = next((p for p in plans if p.meta.locale == locale), plans[0] if plans else None)
        if sample is None:
            break
        try:
            contexts[locale] = build_context(sample, pack, locale)
        except PlanforgeError as exc:
            problems.append(exc.format() or exc.message)
    return contexts


def _render(pack: Pack, spec: Path) -> list[str]:
    from planforge.api import build

    with tempfile.TemporaryDirectory(prefix="planforge-check-") as tmp:
        try:
            build(spec, tmp, template=str(pack.root.resolve()), formats=("pptx", "docx"))
        except PlanforgeError as exc:
            return (exc.format() or exc.message).splitlines()
    return []


def _merge(runs: dict[str, list[str]]) -> list[str]:
    """Join the lint of each locale; a problem not in every locale says which it is in."""
    out: list[str] = []
    for problems in runs.values():
        for p in problems:
            if p in out or any(o.startswith(p + " (locale") for o in out):
                continue
            where = [loc for loc, found in runs.items() if p in found]
            out.append(p if len(where) == len(runs) else f"{p} (locale {', '.join(where)})")
    return out


def _key(message: str) -> str:
    # A render error repeats a lint finding when it names the same thing in the same tag.
    found = _FINDING.search(message)
    return f"{found.group(1)} {found.group(2)}" if found else message


# -- the deck and the plan --------------------------------------------------------------------

def lint_deck(pack: Pack, context: dict) -> list[str]:
    """Lint every slide of the pack's deck: directives, notes, text, tables and bound shapes."""
    from pptx import Presentation

    from planforge.render.pptx import directives
    from planforge.render.pptx.paragraphs import encode_paragraphs, has_tags
    from planforge.render.pptx.runs import paragraph_text, qn

    env, kinds = lint_env(context["locale"]), top_kinds(context)
    name = f"{pack.root.name}/{pack.deck_template.name}"
    try:
        prs = Presentation(str(pack.deck_template))
    except Exception as exc:  # python-pptx raises zip, XML and key errors for broken files
        return [f"{name}: not a readable .pptx file ({exc})"]
    problems: list[str] = []
    for layout in [*prs.slide_masters, *prs.slide_layouts]:
        for shape in layout.shapes:
            if shape.has_text_frame and has_tags(shape.text_frame._txBody):
                problems.append(f"{name}: layout '{layout.name}', shape '{shape.name}': tags "
                                f"render only on slides; this prints as written: "
                                f"{shape.text_frame.text.strip()[:60]}")
    for number, slide in enumerate(prs.slides, start=1):
        where = f"{name}: slide {number}"
        scope: dict[str, Kind | None] = {}
        body = slide.notes_slide.notes_text_frame._txBody if slide.has_notes_slide else None
        notes = body.findall(qn("p")) if body is not None else []
        for line in [ln for p in notes for ln in paragraph_text(p).split("\n")]:
            if directives.is_directive(line):
                problems += _directive(env, kinds, line, f"{where} notes", scope)
        notes = [p for p in notes if not any(directives.is_directive(ln)
                                             for ln in paragraph_text(p).split("\n"))]
        if notes:
            problems += lint_source(env, kinds, encode_paragraphs(notes), f"{where} notes", scope)
        for shape in _shapes(slide.shapes):
            at = f"{where}, shape '{shape.name}'"
            if shape.name.startswith(("chart:", "image:", "gantt:")):
                problems += _bound(env, kinds, context, shape, at, scope)
            elif getattr(shape, "has_table", False) and shape.has_table:
                tbl = shape._element.graphic.graphicData.find(qn("tbl"))
                problems += lint_source(env, kinds, _table_source(tbl), at, scope)
            elif shape.has_text_frame and has_tags(shape.text_frame._txBody):
                source = encode_paragraphs(shape.text_frame._txBody.findall(qn("p")))
                problems += lint_source(env, kinds, source, at, scope)
    return problems


def _shapes(shapes: Any):
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP and not shape.name.startswith(
                ("chart:", "image:", "gantt:")):
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _directive(env: Any, kinds: dict, line: str, where: str, scope: dict) -> list[str]:
    """Lint one directive line and bind the name it declares into ``scope``."""
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


def _bound(env: Any, kinds: dict, context: dict, shape: Any, where: str, scope: dict) -> list[str]:
    kind, _, expr = shape.name.partition(":")
    if kind == "chart" and not getattr(shape, "has_chart", False):
        return [f"{where}: a shape named 'chart:...' must be a chart"]
    datasets = context.get(f"{kind}s") if kind != "image" else None
    if datasets is not None and expr in datasets:
        return []
    problems = lint_source(env, kinds, "{{ " + expr + " }}", where, scope,
                           tag_of=lambda lineno, name: shape.name)
    if datasets is not None and problems and re.fullmatch(r"\w+", expr):
        known = ", ".join(sorted(datasets)) or "none"
        return [f"{where}: no {kind} data named '{expr}' (known: {known})"]
    return problems


def _table_source(tbl: Any) -> str:
    """The Jinja source the engine compiles for a table: {%tr %} rows become statements."""
    from planforge.render.pptx.paragraphs import encode_paragraphs, statements
    from planforge.render.pptx.runs import merge_split_tags, paragraph_text, qn

    tr_tag = re.compile(r"\{%(-?)tr\s(.*?)(-?)%\}", re.S)
    out = []
    for tr in tbl.findall(qn("tr")):
        cells = [tc.find(qn("txBody")) for tc in tr.findall(qn("tc"))]
        paragraphs = [body.findall(qn("p")) if body is not None else [] for body in cells]
        for p in (p for ps in paragraphs for p in ps):
            merge_split_tags(p)
        texts = [paragraph_text(p) for ps in paragraphs for p in ps]
        if any(tr_tag.search(t) for t in texts):
            out.append("".join(statements(tr_tag, t) for t in texts))
        else:
            out.extend(encode_paragraphs(ps) for ps in paragraphs)
    return "".join(out)


def lint_plan(pack: Pack, context: dict) -> list[str]:
    """Lint the pack's plan template: body, headers and footers, naming the paragraph."""
    from docxtpl import DocxTemplate

    env = lint_env(context["locale"], ("picture", "chart"))
    env.autoescape = True
    name = f"{pack.root.name}/{pack.plan_template.name}"
    try:
        tpl = DocxTemplate(str(pack.plan_template))
        tpl.init_docx()
    except Exception as exc:  # a corrupt or non-Word file: python-docx raises assorted errors
        return [f"{name}: not a Word .docx template ({exc})"]
    parts = [("body", tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        parts += [(str(part.partname).rsplit("/", 1)[-1], tpl.get_part_xml(part))
                  for _, part in tpl.get_headers_footers(uri)]
    problems: list[str] = []
    kinds = top_kinds(context)
    for part, xml in parts:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))
        lines = [clean_text(re.sub(r"<[^>]+>", "", ln)).strip() for ln in source.split("\n")]
        found = lint_source(env, kinds, source, f"{name} ({part})",
                            tag_of=lambda lineno, word: _docx_tag(lines, lineno, word))
        for problem in found:
            # Name the paragraph, as a render error does.
            tag = re.search(r" in (\{.*\})$", problem)
            text = next((ln for ln in lines if tag and tag.group(1) in ln), "")
            if text:
                shown = text if len(text) <= 120 else text[:117] + "..."
                named = f"({part}), paragraph \u201c{shown}\u201d:"
                problem = problem.replace(f"({part}):", named, 1)
            problems.append(problem)
    return problems


def _docx_tag(lines: list[str], lineno: int, word: str) -> str:
    if not 1 <= lineno <= len(lines):
        return ""
    tags = TAG.findall(lines[lineno - 1])
    return next((t for t in tags if word in t), tags[0] if tags else "")
