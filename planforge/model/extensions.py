"""The user's own fields: ``x-`` keys, kept as written and handed to templates.

A key that begins with ``x-`` (the convention of Docker Compose and OpenAPI extension fields) is
the user's, at any level of a spec: the schema accepts it, no rule reads it, and the model puts
it, prefix dropped, in the ``x`` mapping of the object built from the mapping it sits in. A
top-level ``x-agency`` is ``{{ x.agency }}``; ``brand: {x-note: ...}`` is ``{{ brand.x.note }}``.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from jinja2 import ChainableUndefined

PREFIX = "x-"
# Spec keys whose model attribute has another name.
_RENAMED = {"class": "class_"}


class Absent(ChainableUndefined):
    """An ``x-`` field a spec does not have: nothing, however deep a template looks into it.

    Each spec has its own ``x-`` fields, so a pack's template may name one that this spec
    lacks; like any optional field it is then empty: false in ``{% if %}``, printed as
    nothing, no items, and any field of it absent too. It is one of Jinja's own undefined
    values (which the sandbox lets templates hold), not a plain value of the spec.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return ""


class Extensions(dict):
    """The ``x-`` fields of one spec mapping, prefix dropped; a name not given is ``Absent``."""

    def __missing__(self, key: Any) -> Absent:
        return Absent(name=str(key))


def _kept(value: Any) -> Any:
    # Mappings inside x- fields answer missing keys the same way; values are as written.
    if isinstance(value, dict):
        return Extensions({k: _kept(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_kept(v) for v in value]
    return value


def is_extension(key: Any) -> bool:
    """Return whether a mapping key is one of the user's own (``x-...``)."""
    return isinstance(key, str) and key.startswith(PREFIX) and len(key) > len(PREFIX)


def own_fields(mapping: dict) -> Extensions:
    """Return the ``x-`` entries of ``mapping``, prefix dropped, values as written."""
    return Extensions({key[len(PREFIX):]: _kept(value) for key, value in mapping.items()
                       if is_extension(key)})


def attach(obj: Any, data: Any) -> None:
    """Give ``obj`` (a model object) and the objects under it the ``x-`` fields of ``data``.

    ``data`` is the spec mapping ``obj`` was built from; its sections and list items are
    followed into the model's attributes of the same name (lists item by item).
    """
    if not isinstance(data, dict) or not is_dataclass(obj):
        return
    names = {f.name for f in fields(obj)}
    if "x" in names:
        obj.x = own_fields(data)
    for key, value in data.items():
        if is_extension(key):
            continue
        name = _RENAMED.get(key, key)
        if name not in names or name == "x":
            continue
        target = getattr(obj, name)
        if isinstance(value, dict):
            attach(target, value)
        elif isinstance(value, list) and isinstance(target, list) and len(value) == len(target):
            for item, built in zip(value, target):
                attach(built, item)
