"""Check a spec against the JSON Schema and place each error on its YAML line."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from planforge import i18n
from planforge.caches import memo
from planforge.errors import Problem
from planforge.i18n import _
from planforge.loader import Spec, json_path
from planforge.resources import read_schema
from planforge.validation.messages import hint_of, message, suggest

PathT = tuple


@memo(1)
def validator() -> Draft202012Validator:
    """Return the schema validator, compiled once per process."""
    return Draft202012Validator(read_schema(), format_checker=FormatChecker(formats=["date"]))


def as_json(value: Any) -> Any:
    """Copy YAML data into JSON types: dates become ISO text, so quoted and bare dates both pass."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")  # shown back to the user as they wrote it
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        # .nan and .inf pass "minimum: 0"; as text they fail every number rule, as they should.
        return {math.inf: ".inf", -math.inf: "-.inf"}.get(value, ".nan")
    return value


def schema_problems(spec: Spec) -> tuple[list[Problem], set[PathT]]:
    """Return the schema problems and the paths they concern (for skipping semantic rules)."""
    problems: list[Problem] = []
    bad: set[PathT] = set()
    unknown_hints: dict[PathT, set[str]] = {}  # object path -> keys its unknown keys suggest
    required: list[tuple[PathT, str, dict]] = []
    errors = sorted(validator().iter_errors(as_json(spec.data)),
                    key=lambda e: _RANK.get(e.validator, len(_RANK)))
    for err in errors:
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties":
            for key, text, hint in _unknown_keys(err, path):
                problems.append(spec.problem(
                    path + (key,), text, key=True, code="PF110",
                    hint=_("did you mean '{word}'?").format(word=hint) if hint else ""))
                bad.add(path + (key,))
                if hint:
                    unknown_hints.setdefault(path, set()).add(hint)
        elif err.validator == "required":
            for key in err.validator_value:
                if isinstance(err.instance, dict) and key not in err.instance:
                    required.append((path, key, err.schema))
        elif path not in bad:  # one message per value: the first is the most basic one
            problems.append(spec.problem(path, message(err), code=code_of(err), hint=hint_of(err)))
            bad.add(path)
    for path, key, schema in required:
        bad.add(path + (key,))
        if key in unknown_hints.get(path, ()):
            continue  # "unknown key 'nmae' — did you mean 'name'?" already says it
        problems.append(_missing(spec, path, key, schema))
    return problems, bad


#: The rule code of each kind of schema error (docs/rules.md lists them).
CODES = {"additionalProperties": "PF110", "required": "PF111", "type": "PF112", "enum": "PF113",
         "anyOf": "PF114", "oneOf": "PF114", "pattern": "PF114", "format": "PF115",
         "minimum": "PF116", "maximum": "PF116", "exclusiveMinimum": "PF116",
         "exclusiveMaximum": "PF116", "minItems": "PF117", "maxItems": "PF117",
         "minLength": "PF118", "const": "PF119"}


def code_of(err: ValidationError) -> str:
    """The rule code of a schema error; PF120 for a value the schema refuses outright."""
    if not isinstance(err.schema, dict):
        return "PF120"
    return CODES.get(str(err.validator), "PF120")


# When a value breaks several rules, the first of these is the one worth reporting
# (a date that is not even YYYY-MM-DD need not also be told it is not a real date).
_RANK = {k: i for i, k in enumerate(["type", "const", "enum", "anyOf", "oneOf", "pattern",
                                     "minLength", "minimum", "maximum", "format"])}


def _unknown_keys(err: ValidationError, path: PathT):
    allowed = list(err.schema.get("properties", {}))
    for key in err.instance:
        if key in allowed:
            continue
        hint = suggest(key, allowed)
        if hint:
            text = _("unknown key '{key}' — did you mean '{hint}'?").format(key=key, hint=hint)
        else:
            homes = _elsewhere(key, path)
            if homes:
                text = _("unknown key '{key}' (it belongs under {homes})").format(
                    key=key, homes=homes)
            else:
                text = _("unknown key '{key}'; allowed here: {allowed}").format(
                    key=key, allowed=", ".join(allowed))
        yield key, text, hint


def _elsewhere(key: str, path: PathT) -> str:
    homes = [p for p in _key_homes().get(key, []) if p != _pattern(path)]
    if len(homes) > 2:  # a common word (name, year...): name only the top-level sections
        homes = [h for h in homes if "." not in h and "[" not in h]
    if not homes or len(homes) > 2:
        return ""
    return _(" or ").join(f"{h}:" for h in homes)


def _pattern(path: PathT) -> str:
    return ".".join("[]" if isinstance(p, int) else p for p in path).replace(".[]", "[]")


@memo(1)
def _key_homes() -> dict[str, list[str]]:
    """Map each property name to the objects that have it (``meta``, ``products[]``, ...)."""
    schema = read_schema()
    homes: dict[str, list[str]] = {}

    def visit(node: dict, where: str) -> None:
        for name, sub in node.get("properties", {}).items():
            if where:
                homes.setdefault(name, []).append(where)
            child = f"{where}.{name}" if where else name
            if sub.get("type") == "object":
                visit(sub, child)
            elif sub.get("type") == "array" and isinstance(sub.get("items"), dict):
                visit(sub["items"], child + "[]")

    visit(schema, "")
    return homes


def _missing(spec: Spec, path: PathT, key: str, schema: dict) -> Problem:
    sub = schema.get("properties", {}).get(key, {})
    text = _("missing required key '{key}'").format(key=key)
    if sub.get("type") == "object" and sub.get("required"):
        text = _("missing required key '{key}' (a section with at least: {keys})").format(
            key=key, keys=", ".join(sub["required"]))
    elif sub.get("description") and i18n.language() == "en":
        # The schema's descriptions are English: only an English message quotes them.
        text += f" ({_first_sentence(sub['description'])})"
    # Point at the mapping that lacks the key: its own key line, or the list item itself.
    line, col = spec.key_where(path) if path and isinstance(path[-1], str) else spec.where(path)
    source = spec.lines[line - 1] if 0 < line <= len(spec.lines) else ""
    return Problem(str(spec.path), line, col, json_path(path + (key,)), text, source=source,
                   code="PF111")


def _first_sentence(text: str) -> str:
    first = re.split(r"(?<!e\.g)(?<!i\.e)\.(?:\s|$)", text)[0]
    return first[0].lower() + first[1:] if first else first
