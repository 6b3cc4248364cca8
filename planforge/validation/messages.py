"""Turn jsonschema errors into short messages that say what to write instead."""

from __future__ import annotations

import difflib
import re
from typing import Any

from jsonschema.exceptions import ValidationError

from planforge import i18n
from planforge.i18n import N_, _, ngettext

_TYPE_NAMES = {
    "object": N_("a mapping of keys (key: value lines)"),
    "array": N_("a list (lines starting with '- ')"),
    "string": N_("text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "null": N_("nothing"),
}


def describe(value: Any) -> str:
    """Name a YAML value the way a user would recognise it in their file."""
    if value is None:
        return _("nothing (the key has no value)")
    if isinstance(value, bool):
        return _("the value {value}").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return _("the text {value}").format(value=repr(shown))
    if isinstance(value, list):
        return _("a list") if value else _("an empty list")
    if isinstance(value, dict):
        return _("a mapping of keys") if value else _("an empty mapping")
    return _("the value {value}").format(value=repr(value))


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
        return _(schema["x-expected"])
    if "enum" in schema:
        names = [str(v) for v in schema["enum"]]
        aliases = schema.get("x-aliases")
        if aliases and i18n.language() == "zh-CN":  # flagship（旗舰店）: the words users know
            first: dict = {}
            for alias, value in aliases.items():
                first.setdefault(value, alias)
            names = [f"{v}（{first[v]}）" if v in first else v for v in names]
        return _("one of: {choices}").format(choices=", ".join(names))
    kinds = schema.get("type")
    if isinstance(kinds, str):
        kinds = [kinds]
    if kinds:
        return _(" or ").join(_(_TYPE_NAMES[k]) if k in _TYPE_NAMES else k for k in kinds)
    return schema.get("title", _("a valid value")).lower()


def message(err: ValidationError) -> str:
    """Return the plain message for one error that is not about keys (those are handled apart)."""
    text, hint = explain(err)
    if not hint:
        return text
    if err.validator == "enum":
        return _("{message} — {hint}").format(message=text, hint=hint)
    text = _("{message} ({hint})").format(message=text, hint=hint)
    value = err.instance
    if isinstance(err.schema, dict) and err.schema.get("title") == "Ratio" \
            and isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value <= 100:
        # commission_rate: 5 reads as 500%: say what to write.
        text += _("; {value} would be {percent}%: write {value}%").format(
            value=value, percent=f"{value * 100:g}")
    return text


def _expected_got(schema: dict, value: Any) -> str:
    return _("expected {expected}, got {got}").format(expected=expected_of(schema),
                                                        got=describe(value))


def explain(err: ValidationError) -> tuple[str, str]:
    """Return (what is wrong, what to write instead or "") for one error not about keys."""
    kind, schema, value = err.validator, err.schema, err.instance
    if not isinstance(schema, dict):  # a boolean schema: nothing to explain but the fact
        return _("this value is not allowed here"), ""
    if kind == "type":
        return _type_message(schema, value)
    if kind == "const":
        return _const_message(schema, value), ""
    if kind == "enum":
        choices = [str(v) for v in err.validator_value]
        aliases = schema.get("x-aliases", {})
        near = suggest(str(value), choices + list(aliases)) \
            if isinstance(value, (str, int, float)) else None
        hint = _("did you mean '{word}'?").format(word=near) if near else ""
        return _expected_got(schema, value), hint
    if kind in ("anyOf", "oneOf", "pattern"):
        return _expected_got(schema, value), _hint(schema, value)
    if kind == "format":
        return _("{value} is not a real date (check the month and the day)").format(
            value=repr(value)), ""
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if "x-expected" in schema:
            return _expected_got(schema, value), ""
        bound = err.validator_value
        word = {"minimum": _("must be at least {bound}, got {got}"),
                "maximum": _("must be at most {bound}, got {got}"),
                "exclusiveMinimum": _("must be more than {bound}, got {got}"),
                "exclusiveMaximum": _("must be less than {bound}, got {got}")}[kind]
        return word.format(bound=bound, got=describe(value)), ""
    if kind in ("minItems", "maxItems"):
        n = len(value) if isinstance(value, list) else 0
        got = ngettext("got {n} item", "got {n} items", n).format(n=n)
        if "x-expected" in schema:
            return _("expected {expected}, {got}").format(expected=_(schema["x-expected"]),
                                                          got=got), ""
        limit = err.validator_value
        if kind == "minItems":
            want = ngettext("expected at least {limit} item, {got}",
                            "expected at least {limit} items, {got}", limit)
        else:
            want = ngettext("expected at most {limit} item, {got}",
                            "expected at most {limit} items, {got}", limit)
        return want.format(limit=limit, got=got), ""
    if kind == "minLength":
        return _("must not be empty"), ""
    return err.message, ""  # pragma: no cover - every keyword the schema uses is handled above


def hint_of(err: ValidationError) -> str:
    """The "what to write instead" part of an error's message, alone (the record's ``hint``)."""
    return explain(err)[1]


def _type_message(schema: dict, value: Any) -> tuple[str, str]:
    wanted = expected_of(schema)
    if value is None:
        return _("this key has no value: expected {expected}").format(expected=wanted), \
            _("give a value or delete the line")
    kinds = schema.get("type")
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kinds in ("string", ["string"]) and is_number:
        return _expected_got(schema, value), _('put it in quotes: "{value}"').format(value=value)
    return _expected_got(schema, value), ""


def _const_message(schema: dict, value: Any) -> str:
    want = schema["const"]
    if "version" in schema.get("title", "").lower() and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        return _("format version {value} is not supported: this planforge reads specs of version "
                 "{want} (write 'planforge: {want}')").format(value=value, want=want)
    return _expected_got(schema, value)


# Units people type by habit, and how a spec writes them.
_MONEY_HINTS = {"w": N_("for '{unit}' write 万"),
                "k": N_("for '{unit}' write 千 (write 1.5万 or 15000)"),
                "m": N_("for '{unit}' write 百万 (write 100万 or 1000000)"),
                "千": N_("for '{unit}' write 千 (write 1.5万 or 15000)"),
                "rmb": N_("for '{unit}' write 元"), "yuan": N_("for '{unit}' write 元")}


def _hint(schema: dict, value: Any) -> str:
    title = schema.get("title")
    if title == "Money":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            return _("an amount cannot be negative")
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("-"):
                return _("an amount cannot be negative")
            for unit, instead in _MONEY_HINTS.items():
                if text.lower().endswith(unit):
                    return _(instead).format(unit=unit)
    if title == "Ratio" and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and 1 < value <= 100:
        return _("did you mean {value}%?").format(value=value)
    if title in ("Year", "Year or date") and isinstance(value, str) and value.strip().isdigit():
        return _("write the year without quotes")
    if title == "Month" and isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})[-/.年](\d{1,2})月?\s*", value)
        if m and 1 <= int(m.group(2)) <= 12:
            return _('write "{month}"').format(month=f"{m.group(1)}-{int(m.group(2)):02d}")
    return ""
