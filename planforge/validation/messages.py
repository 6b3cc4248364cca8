"""Turn jsonschema errors into short messages that say what to write instead."""

from __future__ import annotations

import difflib
import re
from typing import Any

from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {
    "object": "a mapping of keys (key: value lines)",
    "array": "a list (lines starting with '- ')",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


def describe(value: Any) -> str:
    """Name a YAML value the way a user would recognise it in their file."""
    if value is None:
        return "nothing (the key has no value)"
    if isinstance(value, bool):
        return f"the value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping of keys" if value else "an empty mapping"
    return f"the value {value!r}"


def suggest(word: str, choices: list[str]) -> str | None:
    """Return the choice a mistyped word most likely meant, or None."""
    by_case = {c.lower(): c for c in choices}
    if str(word).lower() in by_case:
        return by_case[str(word).lower()]
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return close[0] if close else None


def expected_of(schema: dict) -> str:
    """Say in words what a schema accepts, preferring its ``x-expected`` phrase."""
    if "x-expected" in schema:
        return schema["x-expected"]
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    kinds = schema.get("type")
    if isinstance(kinds, str):
        kinds = [kinds]
    if kinds:
        return " or ".join(_TYPE_NAMES.get(k, k) for k in kinds)
    return schema.get("title", "a valid value").lower()


def message(err: ValidationError) -> str:
    """Return the plain message for one error that is not about keys (those are handled apart)."""
    kind, schema, value = err.validator, err.schema, err.instance
    if not isinstance(schema, dict):  # a boolean schema: nothing to explain but the fact
        return "this value is not allowed here"
    if kind == "type":
        return _type_message(schema, value)
    if kind == "const":
        return _const_message(schema, value)
    if kind == "enum":
        choices = [str(v) for v in err.validator_value]
        text = f"expected {expected_of(schema)}, got {describe(value)}"
        hint = suggest(str(value), choices) if isinstance(value, (str, int, float)) else None
        return text + (f" — did you mean '{hint}'?" if hint else "")
    if kind in ("anyOf", "oneOf", "pattern"):
        return f"expected {expected_of(schema)}, got {describe(value)}" + _hint(schema, value)
    if kind == "format":
        return f"{value!r} is not a real date (check the month and the day)"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if "x-expected" in schema:
            return f"expected {schema['x-expected']}, got {describe(value)}"
        bound = err.validator_value
        word = {"minimum": f"at least {bound}", "maximum": f"at most {bound}",
                "exclusiveMinimum": f"more than {bound}",
                "exclusiveMaximum": f"less than {bound}"}[kind]
        return f"must be {word}, got {describe(value)}"
    if kind in ("minItems", "maxItems"):
        n = len(value) if isinstance(value, list) else 0
        got = f"got {n} item{'s' if n != 1 else ''}"
        if "x-expected" in schema:
            return f"expected {schema['x-expected']}, {got}"
        word = "at least" if kind == "minItems" else "at most"
        limit = err.validator_value
        return f"expected {word} {limit} item{'s' if limit != 1 else ''}, {got}"
    if kind == "minLength":
        return "must not be empty"
    return err.message  # pragma: no cover - every keyword the schema uses is handled above


def hint_of(err: ValidationError) -> str:
    """The "what to write instead" part of an error's message, alone (the record's ``hint``)."""
    text = message(err)
    m = re.search(r"(?: — (did you mean '[^']*'\?)| \(([^()]*)\))$", text)
    if not m or err.validator == "minItems":
        return ""
    return m.group(1) or m.group(2)


def _type_message(schema: dict, value: Any) -> str:
    wanted = expected_of(schema)
    if value is None:
        return f"this key has no value: expected {wanted} (give a value or delete the line)"
    text = f"expected {wanted}, got {describe(value)}"
    kinds = schema.get("type")
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kinds in ("string", ["string"]) and is_number:
        text += f' (put it in quotes: "{value}")'
    return text


def _const_message(schema: dict, value: Any) -> str:
    want = schema["const"]
    if "version" in schema.get("title", "").lower() and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        return (f"format version {value} is not supported: this planforge reads specs of version "
                f"{want} (write 'planforge: {want}')")
    return f"expected {expected_of(schema)}, got {describe(value)}"


# Units people type by habit, and how a spec writes them.
_MONEY_HINTS = {"w": "万", "k": "千 (write 1.5万 or 15000)", "m": "百万 (write 100万 or 1000000)",
                "千": "千 (write 1.5万 or 15000)", "rmb": "元", "yuan": "元"}


def _hint(schema: dict, value: Any) -> str:
    title = schema.get("title")
    if title == "Money":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            return " (an amount cannot be negative)"
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("-"):
                return " (an amount cannot be negative)"
            for unit, instead in _MONEY_HINTS.items():
                if text.lower().endswith(unit):
                    return f" (for '{unit}' write {instead})"
    if title == "Ratio" and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and 1 < value <= 100:
        # commission_rate: 5 reads as 500%: say what to write.
        return f" (did you mean {value}%?); {value} would be {value * 100:g}%: write {value}%"
    if title in ("Year", "Year or date") and isinstance(value, str) and value.strip().isdigit():
        return " (write the year without quotes)"
    if title == "Month" and isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})[-/.年](\d{1,2})月?\s*", value)
        if m and 1 <= int(m.group(2)) <= 12:
            return f' (write "{m.group(1)}-{int(m.group(2)):02d}")'
    return ""
