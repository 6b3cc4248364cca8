"""Check a template pack: lint every tag of its deck and plan, then render it against sample specs.

``check_pack(ref)`` returns one line per problem, each naming the pack file, the slide and shape
(deck) or the paragraph (plan), and the tag: syntax errors, names the render context lacks
(``brand.nmae``, ``labels.deck.contnts``), constructs the sandbox refuses (``''.__class__``),
and whatever the real render raises of the shipped example specs (``examples/*.yaml``) and of
the coverage specs (``planforge/data/coverage/*.yaml``: together they fill every optional field
and use every value of every list the schema fixes), those in a locale the pack has. The lint
knows the plan's types, so it reports every typo at once where a render stops at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from planforge.errors import PlanforgeError, TemplateError
from planforge.loader import Spec
from planforge.model.types import Plan
from planforge.packrt import deck_problems, label_problems
from planforge.i18n import _
from planforge.packs import Pack, find_pack

# What a finding is about, and its tag: "unknown name 'x.y' ... in {{ x.y }} (locale en)".
_FINDING = re.compile(r"(unknown name '[^']*'|未知的名称 '[^']*'|syntax error|语法错误|unsafe|不安全)"
                      r".*?(?: in |，位于 )(\{.*\})(?: ?[(（](?:locale |语言：)[^)）]*[)）])?$")


@dataclass
class PackCheck:
    """What ``templates check`` did: the pack, the specs rendered or skipped, the problems."""

    pack: Pack
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: What would not change the built documents but is worth knowing (a theme that a
    #: LibreOffice save turned into fixed values).
    warnings: list[str] = field(default_factory=list)


def check_pack(ref: str | Path) -> list[str]:
    """Return every problem found in the pack named or pointed at by ``ref`` (empty: all good)."""
    return run_check(ref).problems


def run_check(ref: str | Path) -> PackCheck:
    """Lint the pack ``ref`` and render it against the example and the coverage specs."""
    from planforge.resources import coverage_specs, data_dir

    pack = find_pack(str(ref))
    result = PackCheck(pack)
    examples = [(spec.name, *_load(spec)) for spec in sorted(data_dir("examples").glob("*.yaml"))]
    coverage = [(f"{COVERAGE}/{spec.name}", *_load(spec)) for spec in coverage_specs()]
    contexts = _contexts(pack, [plan for _, _, plan in examples], result.problems)
    if contexts:
        result.problems += _merge({loc: lint_deck(pack, ctx) for loc, ctx in contexts.items()})
        result.problems += deck_problems(
            pack, sorted(next(iter(contexts.values()))["charts"]), result.warnings)
        result.problems += _merge({loc: lint_plan(pack, ctx) for loc, ctx in contexts.items()})
    result.problems += label_problems(pack)
    _roundtrip(pack, result)
    # What a render finds is told once: for the first spec that meets it, unless a finding
    # above already says it.
    told = {_key(p) for p in result.problems}
    for name, spec, plan in examples + coverage:
        if plan.meta.locale not in pack.locales:
            result.skipped.append(f"{name} ({plan.meta.locale})")
            continue
        result.rendered.append(name)
        for problem in _render(pack, spec, plan):
            if _key(problem) in told:
                continue
            told.add(_key(problem))
            result.problems.append(
                _("coverage spec {spec}: {problem}").format(spec=name, problem=problem)
                if name.startswith(COVERAGE + "/") else f"{name}: {problem}")
    return result


#: How ``templates check`` names the coverage specs' folder.
COVERAGE = "coverage"


def _roundtrip(pack: Pack, result: PackCheck) -> None:
    from planforge.packroundtrip import roundtrip_findings

    found = roundtrip_findings(pack)
    result.problems += found.problems
    result.warnings += found.warnings


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


def _load(path: Path) -> tuple[Spec, Plan]:
    from planforge.api import validate
    from planforge.model import build_model

    spec = validate(path)
    return spec, build_model(spec)


def _render(pack: Pack, spec: Spec, plan: Plan) -> list[str]:
    """Render the deck and the plan of ``spec`` in memory, as a build does; what it raised."""
    from planforge.api import _language_of, _render_plan

    with _language_of(spec.path):
        try:
            _render_plan(plan, str(pack.root.resolve()), ("pptx", "docx"), spec)
        except PlanforgeError as exc:
            return (exc.format() or exc.message).splitlines()
    return []


def _merge(runs: dict[str, list[str]]) -> list[str]:
    """Join the lint of each locale; a problem not in every locale says which it is in."""
    out: list[str] = []
    for problems in runs.values():
        for p in problems:
            if p in out or any(o.startswith(p + _(" (locale {locales})").split("{")[0]) for o in out):
                continue
            where = [loc for loc, found in runs.items() if p in found]
            out.append(p if len(where) == len(runs) else p + _(" (locale {locales})").format(
                locales=", ".join(where)))
    return out


def _key(message: str) -> str:
    # A render error repeats a lint finding when it names the same thing in the same tag.
    found = _FINDING.search(message)
    return f"{found.group(1)} {found.group(2)}" if found else message


# -- the deck and the plan --------------------------------------------------------------------
# Both lint the compiled form the build renders (planforge.render.template): one walk, so the
# check and the build agree on every tag, slide, shape and part.

def lint_deck(pack: Pack, context: dict) -> list[str]:
    """Lint every slide of the pack's deck: directives, notes, text, tables and bound shapes."""
    from planforge.render.template import DeckTemplate

    return DeckTemplate.of(pack).lint(context)


def lint_plan(pack: Pack, context: dict) -> list[str]:
    """Lint the pack's plan template: body, headers and footers, naming the paragraph."""
    from planforge.render.template import PlanTemplate

    return PlanTemplate.of(pack).lint(context)
