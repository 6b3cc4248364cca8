"""Write docs/spec.md, the field reference of the spec format, from the JSON Schema.

Run ``python tools/gen_spec_docs.py`` after changing schemas/planforge.schema.json;
``--check`` exits 1 when docs/spec.md is not what the schema gives (CI runs it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schemas" / "planforge.schema.json"
DOC_FILE = ROOT / "docs" / "spec.md"

_TYPES = {"object": "mapping", "array": "list", "string": "text", "integer": "whole number",
          "number": "number", "boolean": "true / false"}


def render(schema: dict) -> str:
    """Return the Markdown reference for ``schema``."""
    out = [
        "# Spec format reference",
        "",
        "<!-- Generated from schemas/planforge.schema.json by tools/gen_spec_docs.py. "
        "Do not edit by hand. -->",
        "",
        schema["description"],
        "",
        f"Schema: `{schema['$id']}` (JSON Schema draft 2020-12; `planforge schema` prints it). "
        "Unknown keys are errors, except keys that begin with `x-`: those are your own fields, "
        "accepted in any mapping, never checked and passed to templates (see "
        "[your own fields](#fmt-extension) and docs/templates.md). A field marked required is "
        "required whenever its section (or list item) is given.",
        "",
        "## Value formats",
        "",
        "| Format | Accepts |",
        "| --- | --- |",
    ]
    for name, node in schema["$defs"].items():
        out.append(f"| <a id=\"{_anchor(name)}\"></a>`{name}` | {_cell(node['description'])} |")
    for name, node in schema["properties"].items():
        out += ["", f"## `{name}` — {node['title']}", "", _cell(node["description"]), ""]
        out += ["| Field | Type | Required | Description |", "| --- | --- | --- | --- |"]
        out += _rows(name, node, name in schema.get("required", []))
    return "\n".join(out) + "\n"


def _rows(path: str, node: dict, required: bool) -> list[str]:
    need = "yes" if required else ""
    rows = [f"| `{path}` | {_type(node)} | {need} | {_cell(node['description'])} |"]
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        node, path = node["items"], path + "[]"
    for name, sub in node.get("properties", {}).items():
        rows += _rows(f"{path}.{name}", sub, name in node.get("required", []))
    return rows


def _type(node: dict) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        return f"[{name}](#{_anchor(name)})"
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        text = "one of " + ", ".join(f"`{v}`" for v in node["enum"])
        aliases = node.get("x-aliases")
        if aliases:  # the Chinese names planforge accepts for them
            by_value: dict = {}
            for alias, value in aliases.items():
                by_value.setdefault(value, []).append(alias)
            text += " (also written " + "; ".join(
                f"{' / '.join(by_value[v])} for `{v}`" for v in node["enum"] if v in by_value) + ")"
        return text
    kinds = node.get("type", "")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    text = " or ".join(_TYPES.get(k, k) for k in kinds)
    if "minimum" in node and "maximum" in node:
        text += f", {node['minimum']} to {node['maximum']}"
    elif "minimum" in node:
        text += f", {node['minimum']} or more"
    if node.get("type") == "array":
        items = node.get("items", {})
        text = "list of " + (_type(items) if "properties" not in items else "mappings")
        if "minItems" in node or "maxItems" in node:
            text += f", {node.get('minItems', 0)} to {node.get('maxItems', 'any')} items"
    return text


def _anchor(name: str) -> str:
    return "fmt-" + name.replace("_", "-")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) docs/spec.md; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/spec.md is stale")
    args = parser.parse_args(argv)
    text = render(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    if args.check:
        current = DOC_FILE.read_text(encoding="utf-8") if DOC_FILE.exists() else ""
        if current != text:
            print(f"{DOC_FILE.relative_to(ROOT)} is stale: run 'python tools/gen_spec_docs.py'",
                  file=sys.stderr)
            return 1
        return 0
    DOC_FILE.parent.mkdir(parents=True, exist_ok=True)
    DOC_FILE.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {DOC_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
