"""Find the values of a spec that a named ``$defs`` entry governs (every money, ratio, image...)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

PathT = tuple


def values_of(schema: dict, data: Any, def_name: str) -> Iterator[tuple[PathT, Any]]:
    """Yield (path, value) for each value in ``data`` that the schema sends to ``def_name``."""
    target = f"#/$defs/{def_name}"
    defs = schema.get("$defs", {})

    def visit(node: dict, value: Any, path: PathT) -> Iterator[tuple[PathT, Any]]:
        ref = node.get("$ref")
        if ref == target:
            yield path, value
            return
        if ref and ref.startswith("#/$defs/"):
            yield from visit(defs.get(ref.rsplit("/", 1)[1], {}), value, path)
            return
        if isinstance(value, dict):
            for key, sub in node.get("properties", {}).items():
                if key in value:
                    yield from visit(sub, value[key], path + (key,))
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for i, item in enumerate(value):
                yield from visit(node["items"], item, path + (i,))

    yield from visit(schema, data, ())
