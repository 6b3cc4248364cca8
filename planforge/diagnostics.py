"""Diagnostics for people and programs: rule suppression, the JSON envelope, GitHub annotations.

Every problem planforge reports (error or warning) is a :class:`~planforge.errors.Problem` with a
stable rule code (docs/rules.md). A spec may silence the warnings it accepts:

* for the whole spec, ``meta.ignore: [PF320, PF205]``;
* on one line, a comment at its end: ``slogan: 第一届金奖  # planforge: ignore[PF320]``
  (``# planforge: ignore`` alone silences every warning of that line).

Errors cannot be silenced: a spec with an error cannot be built.

``check --format json`` prints one envelope, whatever the number of specs::

    {"version": 1, "files": [{"file": ..., "status": "ok" | "invalid", "figures": {...} | null,
                              "diagnostics": [{file, line, column, path, severity, code,
                                               message, hint}, ...]}]}

``schemas/check-output.schema.json`` is its JSON Schema (docs/output.md explains it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from planforge.errors import PlanforgeError, Problem

ENVELOPE_VERSION = 1

_CODE = r"PF\d{3}"
CODE_RE = re.compile(rf"^{_CODE}$")
# "# planforge: ignore" or "# planforge: ignore[PF320, PF205]" at the end of a line.
_LINE_IGNORE = re.compile(
    rf"#\s*planforge:\s*ignore(?:\[\s*({_CODE}(?:\s*,\s*{_CODE})*)\s*\])?\s*$"
)


def line_ignores(line: str) -> set[str] | None:
    """The codes a line's trailing comment silences: a set, ``{"*"}`` for all, None for none."""
    m = _LINE_IGNORE.search(line)
    if not m:
        return None
    if not m.group(1):
        return {"*"}
    return {c.strip() for c in m.group(1).split(",")}


def suppress(
    problems: Iterable[Problem], lines: list[str], ignore: Iterable[str] = ()
) -> list[Problem]:
    """Drop the warnings a spec silences (``meta.ignore`` codes, line comments); keep errors."""
    ignored = set(ignore)
    kept = []
    for p in problems:
        if p.severity != "error":
            if p.code and p.code in ignored:
                continue
            if 0 < p.line <= len(lines):
                codes = line_ignores(lines[p.line - 1])
                if codes is not None and ("*" in codes or p.code in codes):
                    continue
        kept.append(p)
    return kept


def error_problems(spec: str | Path, error: PlanforgeError) -> list[Problem]:
    """The problems of an error; a message-only error (no such file, ...) becomes one record."""
    if error.problems:
        return list(error.problems)
    text = error.message
    prefix = f"{spec}: "
    if text.startswith(prefix):
        text = text[len(prefix) :]
    return [Problem(str(spec), 0, 0, "", text or type(error).__name__, code=error_code(error))]


def error_code(error: PlanforgeError) -> str:
    """The rule code of an error that carries no problem records."""
    from planforge import errors

    for kind, code in (
        (errors.SpecError, "PF100"),
        (errors.OutputError, "PF190"),
        (errors.ConversionError, "PF191"),
        (errors.TemplateError, "PF192"),
        (errors.AssetError, "PF193"),
    ):
        if isinstance(error, kind):
            return code
    return "PF199"


def from_record(record: dict) -> Problem:
    """The problem a JSON record (:meth:`Problem.to_dict`, a check report's warning) describes."""
    return Problem(
        record["file"],
        record["line"],
        record["column"],
        record["path"],
        record["message"],
        record["severity"],
        code=record.get("code", ""),
        hint=record.get("hint", ""),
    )


def record(p: Problem) -> dict:
    """One diagnostic as a JSON record (the envelope's ``diagnostics`` items)."""
    return p.to_dict()


def file_entry(spec: str | Path, report: dict | None, problems: list[Problem]) -> dict:
    """One file of the envelope: its figures (None when it is invalid) and its diagnostics."""
    figures = None
    if report is not None:
        figures = {k: v for k, v in report.items() if k not in ("file", "warnings")}
    invalid = any(p.severity == "error" for p in problems)
    return {
        "file": str(spec),
        "status": "invalid" if invalid else "ok",
        "figures": figures,
        "diagnostics": [record(p) for p in problems],
    }


def envelope(files: list[dict]) -> dict:
    return {"version": ENVELOPE_VERSION, "files": files}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(p: Problem) -> str:
    """A GitHub Actions workflow command that annotates the pull request at the problem's line."""
    level = {"error": "error", "warning": "warning"}.get(p.severity, "notice")
    props = [f"file={_escape_property(p.file)}"]
    if p.line:
        props += [f"line={p.line}", f"col={p.col or 1}"]
    title = "planforge " + (p.code or level)
    props.append(f"title={_escape_property(title)}")
    text = (f"{p.path}: " if p.path else "") + p.message
    if p.hint and p.hint not in p.message:  # the message may already end with it
        text += f" ({p.hint})"
    return f"::{level} {','.join(props)}::{_escape_data(text)}"
