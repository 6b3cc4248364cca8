"""Read a spec file into plain Python data, remembering where every value stands in the file.

The YAML is composed into nodes (PyYAML's safe composer) and built by hand, so that each value
keeps its line and column, duplicate keys are caught, only plain YAML types are accepted (no
Python tags), and an alias bomb is refused before anything is expanded.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planforge.errors import Problem, SpecError
from planforge.i18n import _

#: The most values a spec may expand to once aliases are followed (a real spec has a few
#: thousand; a "billion laughs" file has billions).
MAX_NODES = 200_000
#: The largest spec file read, in bytes.
MAX_BYTES = 20 * 1024 * 1024
#: The longest text value (a real spec's longest paragraph is a few thousand characters).
MAX_TEXT = 100_000
#: The deepest nesting of lists and mappings (a spec nests five or six levels).
MAX_DEPTH = 40
# Characters no document may hold (XML 1.0 forbids them) and U+2063, which planforge uses to
# mark paragraphs for deletion.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\u2063]")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"

# libyaml's composer is ten times faster than the pure-Python one and marks the same lines
# and columns; fall back where PyYAML was built without it.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PathT = tuple  # a JSON path: keys (str) and list indexes (int)


def json_path(path: PathT) -> str:
    """Write a path tuple as ``$.targets.months[3].gmv``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += "." + part
        else:
            out += f"[{part!r}]"
    return out


@dataclass
class Spec:
    """A loaded spec: its data and where each value (and each mapping key) stands in the file."""

    path: Path
    data: dict
    lines: list[str] = field(default_factory=list)
    positions: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    # The text of each number written bare (unquoted), as in the file: 00123, 0x1F, 12:30.
    raw: dict[PathT, str] = field(default_factory=dict)
    key_positions: dict[PathT, tuple[int, int]] = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def where(self, path: PathT) -> tuple[int, int]:
        """Return (line, col), 1-based, of the value at ``path`` or of its nearest known ancestor."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (0, 0))

    def key_where(self, path: PathT) -> tuple[int, int]:
        """Return (line, col) of the key of the mapping entry at ``path`` (falls back to ``where``)."""
        path = tuple(path)
        return self.key_positions.get(path) or self.where(path)

    def problem(self, path: PathT, message: str, *, key: bool = False,
                severity: str = "error", code: str = "", hint: str = "") -> Problem:
        """Make a Problem about the value (or, with ``key``, the key) at ``path``."""
        line, col = self.key_where(path) if key else self.where(path)
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return Problem(str(self.path), line, col, json_path(tuple(path)), message, severity, source,
                       code=code, hint=hint)


def load_spec(path: str | Path) -> Spec:
    """Read and parse the spec at ``path``; raise SpecError naming every YAML-level problem."""
    path = Path(path)
    fname = str(path)
    if "\x00" in fname:
        raise SpecError(_("{file}: a file name cannot hold a NUL character").format(
            file=repr(fname)))
    try:
        if path.is_dir():
            raise SpecError(_("{file}: is a folder, not a spec file").format(file=fname))
        # Opened without blocking and checked before reading: a FIFO, /dev/zero or a terminal
        # would otherwise hang the build or fill the memory.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            mode = os.fstat(fh.fileno()).st_mode
            if not stat.S_ISREG(mode):
                what = _("a named pipe (FIFO)") if stat.S_ISFIFO(mode) else \
                    _("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else \
                    _("a socket") if stat.S_ISSOCK(mode) else _("not a regular file")
                raise SpecError(_("{file}: is {what}, not a spec file; give the path of a "
                                  ".yaml file").format(file=fname, what=what))
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SpecError(_("{file}: no such file").format(file=fname)) from None
    except PermissionError:
        raise SpecError(_("{file}: permission denied").format(file=fname)) from None
    except OSError as e:
        raise SpecError(_("{file}: cannot be read ({reason})").format(
            file=fname, reason=e.strerror or e)) from None
    if len(raw) > MAX_BYTES:
        raise SpecError(_("{file}: the file is {size} bytes; a spec may be at most {limit}").format(
            file=fname, size=f"{len(raw):,}", limit=f"{MAX_BYTES:,}"))
    text = _decode(raw, fname)
    return parse_spec(text, path)


def parse_spec_bytes(raw: bytes, path: str | Path = "<spec>") -> Spec:
    """Decode (UTF-8, as a file is) and parse spec bytes as if read from ``path``."""
    fname = str(path)
    if len(raw) > MAX_BYTES:
        raise SpecError(_("{file}: the text is {size} bytes; a spec may be at most {limit}").format(
            file=fname, size=f"{len(raw):,}", limit=f"{MAX_BYTES:,}"))
    return parse_spec(_decode(raw, fname), path)


def spec_from_data(data: Any, path: str | Path = "<spec>") -> Spec:
    """Make a Spec of data already in memory (a mapping, as ``yaml.safe_load`` gives).

    The data goes through the same checks as a file (plain values only, no alias bombs); it
    has no lines, so problems name ``path`` and the JSON path but no line.
    """
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError as e:
        raise SpecError(_("{file}: the spec data must hold only text, numbers, booleans, dates, "
                          "lists and mappings ({reason})").format(file=path, reason=e)) from None
    spec = parse_spec(text, path)
    spec.lines, spec.positions, spec.key_positions = [], {}, {}
    return spec


def parse_spec(text: str, path: str | Path = "<spec>") -> Spec:
    """Parse spec text (already decoded) as if read from ``path``."""
    path = Path(path)
    fname = str(path)
    lines = text.splitlines()
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in lines):
        raise SpecError(_("{file}: the file is empty; a spec starts with 'planforge: 1' "
                          "(run 'planforge init' for a starter spec)").format(file=fname))
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as e:
        raise SpecError(problems=[_yaml_problem(_python_error(text) or e, fname, lines)]) from None
    except yaml.YAMLError as e:  # pragma: no cover - PyYAML marks nearly every error
        raise SpecError(_("{file}: not valid YAML: {reason}").format(file=fname, reason=e)) from None
    if root is None:
        raise SpecError(_("{file}: the file is empty; a spec starts with 'planforge: 1'").format(
            file=fname))
    _refuse_deep(root, fname, lines)
    _refuse_bombs(root, fname)
    spec = Spec(path=path, data={}, lines=lines)
    builder = _Builder(spec)
    data = builder.build(root, ())
    if builder.problems:
        raise SpecError(problems=builder.problems)
    if not isinstance(data, dict):
        kind = _("a list") if isinstance(data, list) else _("the value {value}").format(
            value=repr(data))
        line, col = _mark(root)
        raise SpecError(problems=[Problem(
            fname, line, col, "$",
            _("the spec must be a mapping of sections (planforge:, meta:, brand:, ...), not "
              "{kind}").format(kind=kind),
            source=lines[line - 1] if 0 < line <= len(lines) else "", code="PF104")])
    spec.data = data
    return spec


def _python_error(text: str) -> yaml.MarkedYAMLError | None:
    """The pure-Python parser's error for ``text``: it names the offending character (a tab)."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        return e
    return None


def _decode(raw: bytes, fname: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError(_("{file}: the file is UTF-16; save it as UTF-8").format(file=fname))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("gbk")
            hint = " " + _("It looks like GBK (the usual encoding of files saved on Chinese "
                           "Windows): save it again as UTF-8 (in Notepad: Save As, Encoding: "
                           "UTF-8).")
        except UnicodeDecodeError:
            pass
        raise SpecError(problems=[Problem(
            fname, line, 0, "",
            _("the file is not UTF-8 (byte {byte} on line {line} is not valid UTF-8).").format(
                byte=f"0x{raw[e.start]:02x}", line=line) + hint, code="PF100")]) from None


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _yaml_problem(e: yaml.MarkedYAMLError, fname: str, lines: list[str]) -> Problem:
    mark = e.problem_mark or e.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    what = e.problem or _("not valid YAML")
    if e.context:
        what = f"{e.context}, {what}"
    if "found character '\\t'" in what:
        what += " " + _("(YAML indents with spaces, not tabs)")
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    return Problem(fname, line, col, "", _("YAML syntax: {what}").format(what=what),
                   source=source, code="PF101")


def _refuse_deep(root: Node, fname: str, lines: list[str]) -> None:
    """Refuse lists and mappings nested deeper than MAX_DEPTH (walked without recursion)."""
    stack = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            line, col = _mark(node)
            raise SpecError(problems=[Problem(
                fname, line, col, "", _("lists and mappings are nested more than {limit} deep here; a spec nests a "
                  "few levels").format(limit=MAX_DEPTH), code="PF503",
                source=lines[line - 1] if 0 < line <= len(lines) else "")])
        if isinstance(node, SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))


def _refuse_bombs(root: Node, fname: str) -> None:
    """Count the values the document expands to, without expanding it; refuse huge ones."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:  # a recursive alias: YAML allows it, a spec never needs it
            line, col = _mark(node)
            raise SpecError(problems=[Problem(fname, line, col, "",
                                              _("an alias refers to itself; specs cannot be "
                                                "recursive"),
                                              code="PF103")])
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        active.discard(key)
        sizes[key] = total
        if total > MAX_NODES:
            line, col = _mark(node)
            raise SpecError(problems=[Problem(
                fname, line, col, "",
                _("this value expands to more than {limit} values through aliases (*name); "
                  "refused as an alias bomb").format(limit=f"{MAX_NODES:,}"), code="PF103")])
        return total

    size(root)


class _Builder:
    """Turn composed YAML nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.problems: list[Problem] = []
        self._scalars = SafeConstructor()

    def _problem(self, node: Node, path: PathT, message: str, code: str = "") -> None:
        line, col = _mark(node)
        lines = self.spec.lines
        self.problems.append(Problem(str(self.spec.path), line, col, json_path(path), message,
                                     source=lines[line - 1] if 0 < line <= len(lines) else "",
                                     code=code))

    def _check_text(self, node: Node, path: PathT, value: str) -> None:
        if len(value) > MAX_TEXT:
            self._problem(node, path, _("the text has {count} characters; a value may have at most "
                                        "{limit}").format(count=f"{len(value):,}",
                                                          limit=f"{MAX_TEXT:,}"), code="PF502")
        bad = _UNPRINTABLE.search(value)
        if bad:
            char = bad.group(0)
            if char == "\u2063":
                text = _("the text holds the character {char} (at position {position}), which "
                         "planforge uses internally; remove it")
            else:
                text = _("the text holds the character {char} (at position {position}), which "
                         "documents cannot hold; remove it")
            self._problem(node, path, text.format(char=f"U+{ord(char):04X}",
                                                  position=bad.start() + 1), code="PF501")

    def build(self, node: Node, path: PathT) -> Any:
        self.spec.positions.setdefault(path, _mark(node))
        if node.tag not in _PLAIN_TAGS:
            self._problem(node, path, _("the YAML tag {tag} is not allowed; a spec holds only "
                                        "plain text, numbers, lists and mappings").format(
                                            tag=repr(node.tag)), "PF103")
            return None
        if isinstance(node, ScalarNode):
            try:
                value = self._scalars.construct_object(node)
            except ValueError:  # 2026-02-30, 2026-13-01: YAML reads them as dates, not real ones
                self._problem(node, path, _("'{value}' is not a real date; check the day and month "
                                            "(and write dates as YYYY-MM-DD)").format(
                                                value=node.value), code="PF500")
                return None
            if isinstance(value, _dt.datetime):
                value = value.date() if value.time() == _dt.time() else value
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and not node.style:  # plain, not quoted
                self.spec.raw[path] = node.value
            if isinstance(value, str):
                self._check_text(node, path, value)
            return value
        if isinstance(node, SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self._mapping(node, path)

    def _mapping(self, node: MappingNode, path: PathT) -> dict:
        out: dict[str, Any] = {}
        merged: list[MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                merged.extend(s for s in sources if isinstance(s, MappingNode))
                continue
            if not isinstance(key_node, ScalarNode):
                self._problem(key_node, path, _("a key must be a plain word, not a list or "
                                                "mapping"), "PF104")
                continue
            key = str(self._scalars.construct_object(key_node))
            child = path + (key,)
            if key in out:
                first = self.spec.key_positions[child][0]
                self._problem(key_node, child, _("duplicate key '{key}' (first given on line "
                                                 "{line}); a key may appear once per "
                                                 "mapping").format(key=key, line=first), "PF102")
                continue
            self.spec.key_positions[child] = _mark(key_node)
            out[key] = self.build(value_node, child)
        for source in merged:  # keys given explicitly win over merged ones, as YAML says
            for key, value in self._mapping(source, path).items():
                out.setdefault(key, value)
        return out
