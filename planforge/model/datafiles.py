"""Read the data tables planforge ships (entry rules, festival calendar) or a user's copy of one.

A table is YAML read with the spec's own reader (positions kept, duplicate keys and Python tags
refused), then checked against its JSON Schema in ``schemas/``; every problem names the table's
own file, line and column. Tables are cached by path and modification time.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from planforge.errors import Problem, SpecError
from planforge.i18n import N_, _
from planforge.loader import Spec, load_spec
from planforge.resources import data_dir
from planforge.validation.messages import message, suggest


def shipped(name: str) -> Path:
    """Return the path of a table planforge ships (``rules.yaml``, ``calendar.yaml``)."""
    return Path(__file__).resolve().parent.parent / "data" / name


#: The tables' names in messages ("no such calendar file").
KINDS = {"calendar": N_("calendar"), "rules": N_("rules")}


def _kind(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind


@lru_cache(maxsize=None)
def _validator(schema_name: str) -> Draft202012Validator:
    schema = json.loads((data_dir("schemas") / schema_name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=["date"]))


def _blank(path: Path) -> bool:
    """Whether the regular file at *path* holds nothing but blank lines and comments."""
    try:
        if not path.is_file() or path.stat().st_size > 1_000_000:
            return False
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


def load_table(path: Path, schema_name: str, kind: str) -> Spec:
    """Read the table at ``path`` and check it against ``schema_name``; raise SpecError."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise SpecError(_("{path}: no such {kind} file").format(path=path, kind=_kind(kind))) \
            from None
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size, schema_name, kind)


@lru_cache(maxsize=16)
def _load(path: Path, _mtime: int, _size: int, schema_name: str, kind: str) -> Spec:
    try:
        table = load_spec(path)
    except SpecError as e:
        if _blank(path):
            raise SpecError(_("{file}: the file is empty; a {kind} file starts with "
                              "'{key}: 1' (copy the one planforge ships: {name})").format(
                file=path, kind=_kind(kind), key=kind, name=shipped(f"{kind}.yaml").name)) \
                from None
        # The loader's other words are a spec's; a table is named as what it is.
        shown = _kind(kind)
        said = e.message.replace("a spec", f"a {kind} file")
        said = said.replace("方案文件", f"{shown}文件")
        raise SpecError(said, e.problems) from None
    shown = _kind(kind)
    from planforge.validation.schema_stage import as_json

    problems: list[Problem] = []
    seen: set[tuple] = set()
    for err in sorted(_validator(schema_name).iter_errors(as_json(table.data)),
                      key=lambda e: list(e.absolute_path)):
        where = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = list(err.schema.get("properties", {}))
            for key in err.instance:
                if key not in allowed:
                    hint = suggest(key, allowed)
                    text = _("unknown key '{key}' in the {kind} file").format(key=key, kind=shown)
                    if hint:
                        text += _(" — did you mean '{hint}'?").format(hint=hint)
                    elif allowed:
                        text += _("; allowed here: {keys}").format(keys=", ".join(allowed))
                    problems.append(table.problem(where + (key,), text, key=True))
            continue
        if err.validator == "required":
            missing = [k for k in err.validator_value if k not in (err.instance or {})]
            problems.append(table.problem(where, _("the {kind} file lacks {keys}").format(
                kind=shown, keys=", ".join(f"'{k}'" for k in missing))))
            continue
        if where in seen:
            continue
        seen.add(where)
        problems.append(table.problem(where, message(err)))
    if problems:
        raise SpecError(_("{path}: not a valid {kind} file").format(path=path, kind=shown),
                        problems)
    return table


def regex_problems(table: Spec, path: tuple, patterns: Any) -> list[Problem]:
    """Return an error for each pattern at ``path`` that is not a valid regular expression."""
    out = []
    for i, pattern in enumerate(patterns or []):
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as e:
            out.append(table.problem(path + (i,), _(
                "'{pattern}' is not a valid regular expression ({error})").format(
                    pattern=pattern, error=e)))
    return out
