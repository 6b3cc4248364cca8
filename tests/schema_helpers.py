"""Walk the spec's JSON Schema and a spec's data with the same dotted names.

A name is dotted as docs/spec.md writes it: ``brand.awards[].name``, ``roadmap[].tasks[]``; the
top level is ``""``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SchemaMap:
    properties: set[str] = field(default_factory=set)  # every field, at every level
    objects: set[str] = field(default_factory=set)  # mappings that take x- keys
    enums: dict[str, list[Any]] = field(default_factory=dict)  # field -> its fixed values
    top_optional: set[str] = field(default_factory=set)  # sections a spec may leave out


def schema_map() -> SchemaMap:
    from planforge.resources import read_schema

    schema = read_schema()
    defs = schema.get("$defs", {})
    found = SchemaMap()
    found.top_optional = set(schema["properties"]) - set(schema.get("required", []))

    def visit(node: dict, path: str) -> None:
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            node = {**defs[ref.rsplit("/", 1)[1]], **node}
        for key in ("oneOf", "anyOf", "allOf"):
            for sub in node.get(key, []):
                visit(sub, path)
        if "enum" in node:
            found.enums.setdefault(path, [])
            found.enums[path] += [v for v in node["enum"] if v not in found.enums[path]]
        if any(p.startswith("^x-") for p in node.get("patternProperties", {})):
            found.objects.add(path)
        for name, sub in node.get("properties", {}).items():
            sub_path = f"{path}.{name}" if path else name
            found.properties.add(sub_path)
            visit(sub, sub_path)
        if isinstance(node.get("items"), dict):
            visit(node["items"], path + "[]")

    visit(schema, "")
    return found


def data_map(data: Any, path: str = "") -> tuple[dict[str, list[Any]], set[str]]:
    """A spec's data: every field's values by dotted name, and the mappings with an x- key."""
    values: dict[str, list[Any]] = {}
    extended: set[str] = set()

    def visit(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if str(key).startswith("x-"):
                    extended.add(path)
                    continue
                sub = f"{path}.{key}" if path else str(key)
                values.setdefault(sub, []).append(value)
                visit(value, sub)
        elif isinstance(node, list):
            for item in node:
                visit(item, path + "[]")

    visit(data, path)
    return values, extended


def own_fields(data: Any, tag: str = "") -> dict[str, Any]:
    """Every x- value of a spec (leaves), keyed by the expression a template prints it with."""
    found: dict[str, Any] = {}

    def leaves(value: Any, expr: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                leaves(v, f"{expr}.{k}")
        else:
            found[expr] = value

    def visit(node: Any, expr: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                key = str(key)
                if key.startswith("x-"):
                    leaves(value, f"{expr}.x.{key[2:]}" if expr else f"x.{key[2:]}")
                else:
                    visit(value, f"{expr}.{key}" if expr else key)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                visit(item, f"{expr}[{i}]")

    visit(data, tag)
    return found
