"""Every error planforge raises, and the problem records that explain them to a user.

Each exception carries the exit code the command line ends with (DESIGN.md section 4):
1 when the input is at fault, 70 for an internal bug. Click's own usage errors give 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) in an input file, with where it is.

    ``path`` is the JSON path of the field (``$.targets.months[3].gmv``) or ``""`` when the
    problem is about the file as a whole. ``line`` and ``col`` are 1-based; 0 means unknown.
    ``source`` is the text of the offending line, shown with a caret under ``col``.
    """

    file: str
    line: int
    col: int
    path: str
    message: str
    severity: str = "error"  # "error" | "warning" | "info"
    source: str = field(default="", compare=False)
    # A stable rule code (``PF201``) that users can look up and silence; "" until assigned.
    code: str = field(default="", compare=False)
    # What to write instead, when the message alone does not say it.
    hint: str = field(default="", compare=False)

    def location(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        return where

    def format(self, show_source: bool = True) -> str:
        """Render as ``file:line:col: $.path: message`` plus the source line and a caret."""
        from planforge.i18n import _

        head = self.location() + ": "
        if self.severity == "warning":
            head += _("warning: ")
        if self.path:
            head += self.path + ": "
        text = head + self.message
        if show_source and self.source and self.line:
            caret_at = max(self.col, 1) - 1
            line = self.source.rstrip("\n")
            # Keep the caret under the right character: tabs and wide characters shift it.
            pad = "".join("\t" if ch == "\t" else ("  " if _wide(ch) else " ") for ch in line[:caret_at])
            text += f"\n    {line}\n    {pad}^"
        return text

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
            "code": self.code,
            "hint": self.hint,
        }


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


class PlanforgeError(Exception):
    """Base of every error planforge reports to a user; ``exit_code`` is what the CLI exits with."""

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str = "", problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = sorted(problems or [])

    def format(self) -> str:
        if self.problems:
            return "\n".join(p.format() for p in self.problems)
        return self.message


class SpecError(PlanforgeError):
    """Raised when a spec cannot be read or is invalid: YAML syntax, schema or semantic rules."""


class TemplateError(PlanforgeError):
    """Raised when a template pack is missing, malformed, or a template fails to render."""


class AssetError(PlanforgeError):
    """Raised when an image or other file a spec points at cannot be used."""


class OutputError(PlanforgeError):
    """Raised when an output file cannot be written (folder not writable, path is a folder, ...)."""


class ConversionError(PlanforgeError):
    """Raised when LibreOffice is missing, times out or fails to convert a document to PDF."""


class InternalError(PlanforgeError):
    """Raised for a bug in planforge itself; the CLI shows a traceback only with --debug."""

    exit_code: ClassVar[int] = 70
