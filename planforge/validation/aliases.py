"""Chinese names for the format's words: 旗舰店 for flagship, 爆款 for hero, R标 for R, 95折 ...

The schema lists them under ``x-aliases`` next to each ``enum`` (alias -> value). Before
validation, every alias in a spec is replaced by the value it names, so that the rest of
planforge sees one vocabulary; positions stay those of the file. (A discount written 95折 is a
ratio: planforge.units reads it.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planforge.loader import Spec
from planforge.resources import read_schema

PathT = tuple


def _nodes(schema: dict, node: dict, value: Any, path: PathT) -> Iterator[tuple[dict, PathT]]:
    """Yield (schema node, path) for each value of the data, following $ref."""
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = schema.get("$defs", {}).get(ref.rsplit("/", 1)[1], {})
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    yield node, path
    for branch in node.get("anyOf", []):  # a quarter_or_month: the quarter's aliases count
        if isinstance(branch, dict) and not isinstance(value, (dict, list)):
            yield from _nodes(schema, branch, value, path)
    if isinstance(value, dict):
        for key, sub in node.get("properties", {}).items():
            if key in value:
                yield from _nodes(schema, sub, value[key], path + (key,))
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for i, item in enumerate(value):
            yield from _nodes(schema, node["items"], item, path + (i,))


def _set(data: Any, path: PathT, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _get(data: Any, path: PathT) -> Any:
    for part in path:
        data = data[part]
    return data


def apply_aliases(spec: Spec) -> None:
    """Replace, in place, every Chinese alias of ``spec.data`` by the value it stands for."""
    schema = read_schema()
    changes = []
    for node, path in _nodes(schema, schema, spec.data, ()):
        if not path:
            continue
        value = _get(spec.data, path)
        if not isinstance(value, str):
            continue
        aliases = node.get("x-aliases")
        if isinstance(aliases, dict):
            key = value.strip()
            if key in aliases and key not in node.get("enum", ()):
                changes.append((path, aliases[key]))
    for path, value in changes:
        _set(spec.data, path, value)
