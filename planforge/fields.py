"""Every name a template can use with one spec: its type and this spec's value.

``template_fields(spec, template)`` walks the render context a build of ``spec`` gives its
templates (the plan's sections, the pack's labels, chart and Gantt data, the theme, the spec's
own ``x-`` fields) and returns one row per name, dotted the way a tag writes it
(``brand.name``, ``products[0].price``, ``labels.deck.contents``). A list is shown with its
length and then its first item; an empty list or a section the spec lacks still shows the
fields its items would have (from the model's types), with no value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

_MAX_DEPTH = 8
# Names of the model's own annotations, as written in planforge.model.types.
_TYPE_WORDS = {"str": "text", "int": "whole number", "float": "number", "Decimal": "number",
               "Money": "money (yuan)", "Ratio": "ratio (0.028 is 2.8%)", "bool": "true/false",
               "dt.date": "date", "date": "date", "Path": "file path",
               "int | dt.date": "year or date"}
# Context entries that are for planforge, not for printing.
_SKIP = {"label_sites"}


@dataclass
class Field:
    """One name a template can use: ``name`` as a tag writes it, its ``type``, this spec's value."""

    name: str
    type: str
    value: Any = None
    count: int | None = None  # for a list: how many items this spec has

    def shown(self, width: int = 60) -> str:
        """The value as one short line of text."""
        if self.count is not None:
            return f"{self.count} item{'s' if self.count != 1 else ''}" + (
                ", the first below" if self.count else "")
        text = _plain(self.value)
        text = "—" if text is None else str(text).replace("\n", " ⏎ ")
        return text if len(text) <= width else text[:width - 1] + "…"

    def to_dict(self) -> dict:
        out = {"name": self.name, "type": self.type, "value": _plain(self.value)}
        if self.count is not None:
            out["count"] = self.count
        return out


def _plain(value: Any) -> Any:
    """The value in JSON terms: numbers exact as text, dates ISO, paths as text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return str(value)


def template_fields(spec: str | Path, template: str | None = None) -> list[Field]:
    """Return every name the templates of ``template`` (or the spec's pack) can use with ``spec``."""
    from planforge.api import load_plan
    from planforge.packs import find_pack
    from planforge.render.context import build_context

    plan = load_plan(spec)
    pack = find_pack(template) if template else find_pack(plan.meta.template,
                                                          relative_to=plan.base_dir)
    context = build_context(plan, pack, plan.meta.locale)
    return context_fields(context)


def context_fields(context: dict) -> list[Field]:
    """Return the rows of a render context, top-level names in the context's order."""
    from planforge.model.types import Plan

    hints = {f.name: f.type for f in fields(Plan)}
    rows: list[Field] = []
    for name, value in context.items():
        if name in ("source", "base_dir", "warnings"):
            continue  # the spec's file and the build's warnings: nothing a document prints
        _walk(rows, name, value, hints.get(name), 0)
    return rows


def _walk(rows: list[Field], name: str, value: Any, hint: Any, depth: int) -> None:
    kind = _type_name(value, hint)
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, (list, tuple)) and not isinstance(value, str):
        rows.append(Field(name, kind, count=len(value)))
        item_hint = _item_hint(hint)
        if value:
            _walk(rows, f"{name}[0]", value[0], item_hint, depth + 1)
        elif _class_of(item_hint) is not None:
            _fields_of(rows, f"{name}[0]", _class_of(item_hint), depth + 1)
        return
    if isinstance(value, dict):
        rows.append(Field(name, kind))
        for key, item in value.items():
            _walk(rows, _join(name, key), item, None, depth + 1)
        return
    if is_dataclass(value):
        rows.append(Field(name, kind))
        for f in fields(value):
            if f.name in _SKIP or (f.name == "x" and not getattr(value, "x")):
                continue  # an object's x- fields are listed when this spec has some
            _walk(rows, f"{name}.{f.name}", getattr(value, f.name), f.type, depth + 1)
        return
    if value is None and _class_of(hint) is not None:
        rows.append(Field(name, kind))  # a section this spec does not have: its fields
        _fields_of(rows, name, _class_of(hint), depth + 1)
        return
    rows.append(Field(name, kind, value))


def _fields_of(rows: list[Field], name: str, cls: type, depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    for f in fields(cls):
        if f.name in _SKIP or f.name == "x":
            continue
        sub = _class_of(f.type) or _class_of(_item_hint(f.type))
        rows.append(Field(f"{name}.{f.name}", _type_name(None, f.type)))
        if sub is not None and sub is not cls:
            suffix = "[0]" if _item_hint(f.type) is not None else ""
            _fields_of(rows, f"{name}.{f.name}{suffix}", sub, depth + 1)


def _join(base: str, key: Any) -> str:
    key = str(key)
    return f"{base}.{key}" if re.fullmatch(r"[A-Za-z_]\w*", key) else f'{base}["{key}"]'


def _annotation(hint: Any) -> str:
    text = hint if isinstance(hint, str) else getattr(hint, "__name__", "") if hint else ""
    return re.sub(r"\s*\|\s*None$", "", text.strip()) if text else ""


def _item_hint(hint: Any) -> str | None:
    found = re.fullmatch(r"list\[(.+)\]", _annotation(hint))
    return found.group(1) if found else None


def _class_of(hint: Any) -> type | None:
    from planforge.model import types

    name = _annotation(hint)
    cls = getattr(types, name, None) if name.isidentifier() else None
    return cls if isinstance(cls, type) and is_dataclass(cls) else None


def _type_name(value: Any, hint: Any) -> str:
    text = _annotation(hint)
    if text:
        item = _item_hint(text)
        if item is not None:
            return f"list of {_TYPE_WORDS.get(item, item)}"
        if text.startswith(("dict", "Extensions")):
            return "mapping"
        return _TYPE_WORDS.get(text, text)
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if value is None:
        return "—"
    return _TYPE_WORDS.get(type(value).__name__, type(value).__name__)


def as_text(rows: list[Field]) -> list[str]:
    """Three aligned columns: name, type, this spec's value."""
    width = min(max((len(r.name) for r in rows), default=4), 48)
    kinds = min(max((len(r.type) for r in rows), default=4), 24)
    return [f"{r.name:<{width}}  {r.type:<{kinds}}  {r.shown()}" for r in rows]

