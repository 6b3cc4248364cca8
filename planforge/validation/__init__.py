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
    labels_as_written(spec)
    return sorted(set(problems))


def labels_as_written(spec: Spec) -> None:
    """Give each label written as a bare number the text it has in the file.

    YAML reads ``registration_no: 00123`` as 123, ``0x1F`` as 31 and ``12:30`` as 750; a label
    (a name or a code) prints as the file shows it.
    """
    from planforge.resources import read_schema
    from planforge.validation.walk import values_of

    for path, value in list(values_of(read_schema(), spec.data, "label")):
        raw = spec.raw.get(tuple(path))
        if raw is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        parent = spec.data
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = raw


def check_valid(spec: Spec) -> None:
    """Raise SpecError listing every problem when ``spec`` is not valid."""
    problems = validate(spec)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise SpecError(f"{spec.path}: {count} in the spec", problems)
