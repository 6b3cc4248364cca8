"""One folder per case in tests/cases/figures: a spec, and what a user sees for it.

``expected.yaml`` lists the errors (validation) or the warnings (check) the spec gives, exactly:
each by rule code and spec line, with the phrases its message must contain (both figures and
the difference); and ``figures``: template expressions and the text they print, evaluated in the
very context the default pack's templates see (so ``channel_budget[-1].channel`` is the row's
printed name and ``x | money`` the printed amount).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from jinja2.sandbox import SandboxedEnvironment

from planforge.fmt import filters_for
from planforge.loader import load_spec
from planforge.model.build import build_model
from planforge.packs import read_pack
from planforge.render.context import build_context
from planforge.resources import templates_dir
from planforge.validation import validate

CASES = sorted(p for p in (Path(__file__).parent / "cases" / "figures").iterdir() if p.is_dir())


def _expected(case: Path) -> dict:
    return yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8")) or {}


def _match(problems, expected: list[dict]) -> None:
    got = sorted((p.code, p.line) for p in problems)
    want = sorted((e["code"], e["line"]) for e in expected)
    assert got == want, "\n".join(p.format(show_source=False) for p in problems)
    for e in expected:
        [problem] = [p for p in problems if (p.code, p.line) == (e["code"], e["line"])
                     and all(s in p.message for s in e.get("says", []))] or [None]
        assert problem is not None, (e, [p.message for p in problems])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case):
    expected = _expected(case)
    spec = load_spec(case / "spec.yaml")
    errors = validate(spec)
    if "errors" in expected:
        _match(errors, expected["errors"])
        return
    assert errors == []
    plan = build_model(spec)
    _match(plan.warnings, expected.get("warnings", []))
    pack = read_pack(templates_dir() / "default", "built-in")
    context = build_context(plan, pack)
    env = SandboxedEnvironment()
    env.filters.update(filters_for(plan.meta.locale))
    for expr, text in (expected.get("figures") or {}).items():
        printed = env.from_string("{{ %s }}" % expr).render(context)
        assert printed == str(text), expr


def test_every_case_says_what_it_expects():
    for case in CASES:
        expected = _expected(case)
        assert (case / "spec.yaml").is_file(), case.name
        assert expected.get("errors") or expected.get("warnings") or expected.get("figures"), case.name
