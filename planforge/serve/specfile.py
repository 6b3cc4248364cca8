"""Turn the page's data into YAML and write it back to the spec file, keeping the user's comments.

The page edits plain data (JSON). Saving a spec that came from a file merges that data into the
file's own YAML document (ruamel.yaml's round-trip mode), so comments, key order, block text
and values the user did not touch are kept as they were written; a new spec is written plainly.
Either way, loading the saved file gives the data the page had.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import yaml


def to_json_data(value: Any) -> Any:
    """Spec data as loaded (dates included) turned into JSON-safe data for the page."""
    if isinstance(value, dict):
        return {str(k): to_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json_data(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    """Plain YAML for data from the page: key order kept, Chinese unescaped, block text as '|'."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
    return text


def merged_yaml(original: str, data: Any) -> str:
    """``original`` YAML text with its values replaced by ``data``, comments and layout kept."""
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 100
    rt.indent(mapping=2, sequence=4, offset=2)
    doc = rt.load(original)
    if not isinstance(doc, dict) or not isinstance(data, dict):
        return dump_yaml(data)
    _merge_map(doc, data)
    out = io.StringIO()
    rt.dump(doc, out)
    return out.getvalue()


def _same(old: Any, new: Any) -> bool:
    """Whether the file's value already says what the page has (so it is left as written)."""
    if isinstance(old, (dt.date, dt.datetime)):
        return old.isoformat() == new
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new or (isinstance(old, bool) and isinstance(new, bool) and old == new)
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new
    if isinstance(old, str) and isinstance(new, str):
        return str(old) == new
    return False


def _merge_map(doc: dict, data: dict) -> None:
    for key in [k for k in doc if k not in data]:
        del doc[key]
    for key, value in data.items():
        if key in doc:
            doc[key] = _merged(doc[key], value)
        else:
            doc[key] = _fresh(value)


def _merged(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        _merge_map(old, new)
        return old
    if isinstance(old, list) and isinstance(new, list):
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = _merged(old[i], value)
            else:
                old.append(_fresh(value))
        del old[len(new):]
        return old
    if _same(old, new):
        return old
    return _fresh(new)


def _fresh(value: Any) -> Any:
    """A new value for the round-trip document (multi-line text as a '|' block)."""
    if isinstance(value, str) and "\n" in value:
        from ruamel.yaml.scalarstring import LiteralScalarString

        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    if isinstance(value, dict):
        from ruamel.yaml.comments import CommentedMap

        m = CommentedMap()
        for k, v in value.items():
            m[k] = _fresh(v)
        return m
    if isinstance(value, list):
        from ruamel.yaml.comments import CommentedSeq

        return CommentedSeq([_fresh(v) for v in value])
    return value


def save_spec(path: Path, data: Any) -> str:
    """Write ``data`` to the spec at ``path`` (merged into it when it exists); return the text."""
    from planforge.write import atomic_write_many

    original = None
    if path.is_file():
        try:
            original = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            original = None
    text = None
    if original and original.strip():
        try:
            text = merged_yaml(original, data)
        except Exception:  # a file ruamel cannot round-trip: write the data plainly
            text = None
    if text is None:
        text = "# planforge spec, written by 'planforge serve'\n" + dump_yaml(data)
    atomic_write_many({path: text.encode("utf-8")})
    return text
