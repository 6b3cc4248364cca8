"""Validate a loaded spec: JSON Schema first, then the rules a schema cannot express.

Every problem is collected and reported together, sorted by line, each placed on the line and
column of the YAML value (or key) at fault. Semantic rules run only on the parts of the spec
that passed the schema, so one mistake is never reported twice.
"""

from __future__ import annotations

from planforge.errors import Problem, SpecError
from planforge.loader import Spec
from planforge.validation.aliases import apply_aliases
from planforge.validation.rules import semantic_problems
from planforge.validation.schema_stage import schema_problems

__all__ = ["validate", "check_valid"]


def validate(spec: Spec) -> list[Problem]:
    """Return every error in ``spec``, sorted by file position; an empty list means valid."""
    apply_aliases(spec)  # 旗舰店 -> flagship, 爆款 -> hero, ...: one vocabulary from here on
    problems, bad = schema_problems(spec)
    problems += semantic_problems(spec, bad)
    return sorted(set(problems))


def check_valid(spec: Spec) -> None:
    """Raise SpecError listing every problem when ``spec`` is not valid."""
    problems = validate(spec)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise SpecError(f"{spec.path}: {count} in the spec", problems)
