"""Compile each template source once per process, and once per machine through a bytecode cache.

A build compiles about 150 small templates (text boxes, table cells, directive expressions) and
the plan's whole ``document.xml``; compiling is most of the render time and gives the same code
for the same source every time. ``CachingSandbox`` keeps the Python code objects Jinja produces,
keyed by the source and by everything in the environment that changes the generated code: the
sandbox, autoescape, the lexer settings, finalize and every filter and test (Jinja folds filters
called on constants at compile time, so a filter bound to a locale is part of the key). A
template is still made anew from the cached code for every render, so each render sees its own
filters and globals, and the sandbox checks, which run at render time, stay in force.

Across processes the code objects go, marshalled and sealed with this installation's key, to
the folder of ``planforge.caches``; an entry that is not sealed with that key is never loaded,
since cached code runs as planforge's own. A folder that cannot be created or written, or a
file that cannot be read back, only means compiling again: the cache never makes a build fail.
"""

from __future__ import annotations

import hashlib
import inspect
import marshal
import sys
from collections import OrderedDict
from collections.abc import Callable
from types import CodeType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import TemplateSyntaxError
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment  # noqa: F401  (the base class tests patch)
from jinja2.utils import _PassArg, internalcode

from planforge.caches import read_blob, remember, write_blob
from planforge.render.safe import PlanforgeSandbox

__all__ = ["CachingSandbox", "module_digest"]

_MAX_ENTRIES = 4096  # distinct sources kept in memory; a pack has a few hundred
_CODE: OrderedDict[tuple[str, str, str], CodeType] = remember(OrderedDict())
_LEXER_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix",
    "line_comment_prefix", "trim_blocks", "lstrip_blocks", "newline_sequence",
    "keep_trailing_newline", "optimized", "is_async", "sandboxed",
)
_MODULES: dict[str | None, str] = remember({})


class CachingSandbox(PlanforgeSandbox):
    """A sandboxed environment that compiles each source only once (see the module docstring)."""

    @internalcode
    def compile(  # type: ignore[override]
        self, source, name=None, filename=None, raw=False, defer_init=False
    ):
        """Compile *source* like Jinja does, reusing the code of an identical earlier compile."""
        if raw or defer_init or name is not None or filename is not None \
                or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)
        return self._cached_code("t", source, lambda: super(CachingSandbox, self).compile(source))

    def compile_expression(self, source: str, undefined_to_none: bool = True) -> TemplateExpression:
        """Compile an expression like Jinja does, reusing the code of an identical earlier one."""
        code = self._cached_code("e", source, lambda: self._expression_code(source))
        template = self.template_class.from_code(self, code, self.make_globals(None), None)
        return TemplateExpression(template, undefined_to_none)

    def _expression_code(self, source: str) -> CodeType:
        # The body of Environment.compile_expression, stopping at the code object.
        parser = Parser(self, source, state="variable")
        try:
            expr = parser.parse_expression()
            if not parser.stream.eos:
                raise TemplateSyntaxError(
                    "chunk after expression", parser.stream.current.lineno, None, None
                )
            expr.set_environment(self)
        except TemplateSyntaxError:
            self.handle_exception(source=source)
        body = [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)]
        return super().compile(nodes.Template(body, lineno=1))

    def _cached_code(self, kind: str, source: str, build: Callable[[], CodeType]) -> CodeType:
        fingerprint = self._fingerprint()
        if fingerprint is None:
            return build()
        key = (fingerprint, kind, source)
        code = _CODE.get(key)
        if code is not None:
            _CODE.move_to_end(key)
            return code
        name = f"planforge-{kind}-{fingerprint}-{hashlib.sha256(source.encode()).hexdigest()}"
        code = _load(self, name, source)
        if code is None:
            code = build()
            _store(self, name, source, code)
        _CODE[key] = code
        if len(_CODE) > _MAX_ENTRIES:
            _CODE.popitem(last=False)
        return code

    def _fingerprint(self) -> str | None:
        """Digest of every setting that shapes generated code; None when one is not describable."""
        snapshot = (
            tuple(getattr(self, a) for a in _LEXER_SETTINGS),
            self.autoescape, self.finalize, self.undefined, self.code_generator_class,
            tuple(self.filters.items()), tuple(self.tests.items()), tuple(self.extensions),
            tuple(sorted(self.intercepted_binops)), tuple(sorted(self.intercepted_unops)),
        )
        memo = self.__dict__.get("_pf_fingerprint")
        if memo is not None and memo[0] == snapshot:
            return memo[1]
        parts = [
            _describe(type(self)), jinja2.__version__, sys.version, repr(snapshot[0]),
            _describe(self.autoescape), _describe(self.finalize), _describe(self.undefined),
            _describe(self.code_generator_class), repr(snapshot[7]), repr(snapshot[8:]),
        ]
        for label, table in (("filter", self.filters), ("test", self.tests)):
            for fname in sorted(table):
                func = table[fname]
                pass_arg = _PassArg.from_obj(func)
                # Jinja never calls a context filter at compile time: only its kind matters.
                described = "context" if pass_arg is _PassArg.context else _describe(func)
                parts.append(f"{label} {fname} {pass_arg} {described}")
        digest = None
        if not any(p is None for p in parts):
            digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
        self.__dict__["_pf_fingerprint"] = (snapshot, digest)
        return digest


def _describe(obj: Any, depth: int = 0) -> str | None:
    """Name *obj* stably across processes (functions with their closures); None if impossible."""
    if obj is None or isinstance(obj, (str, int, float, bool, bytes)):
        return repr(obj)
    if depth > 4:
        return None
    if isinstance(obj, (tuple, frozenset)):
        ordered = sorted(obj, key=repr) if isinstance(obj, frozenset) else obj
        items = [_describe(x, depth + 1) for x in ordered]
        return None if None in items else f"{type(obj).__name__}({', '.join(items)})"
    if inspect.isclass(obj) or inspect.isbuiltin(obj):
        module = getattr(obj, "__module__", None)
        return f"{module}.{obj.__qualname__}@{module_digest(module)}"
    if inspect.isfunction(obj):
        pieces = [f"{obj.__module__}.{obj.__qualname__}@{module_digest(obj.__module__)}"]
        for value in (obj.__defaults__ or ()) + tuple((obj.__kwdefaults__ or {}).items()):
            pieces.append(_describe(value, depth + 1))
        for cell in obj.__closure__ or ():
            try:
                pieces.append(_describe(cell.cell_contents, depth + 1))
            except ValueError:  # an empty cell
                pieces.append("<empty>")
        return None if None in pieces else "(" + ", ".join(pieces) + ")"
    return None


def module_digest(name: str | None) -> str:
    """Return a digest of the source file of module *name* ("-" when it has none)."""
    # A filter folded into cached code must be the same filter: its module's text is in the key.
    digest = _MODULES.get(name)
    if digest is None:
        path = getattr(sys.modules.get(name or ""), "__file__", None)
        digest = "-"
        if path:
            try:
                with open(path, "rb") as fh:
                    digest = hashlib.sha256(fh.read()).hexdigest()[:16]
            except OSError:
                digest = "?"
        _MODULES[name] = digest
    return digest


def _load(env: jinja2.Environment, name: str, source: str) -> CodeType | None:
    # The entry is sealed with this installation's key (planforge.caches): code that
    # anyone else put in the cache folder is never read back.
    data = read_blob(f"jinja-{name}.cache")
    if data is None:
        return None
    try:
        code = marshal.loads(data)
    except Exception:  # an entry from another Python version
        return None
    return code if isinstance(code, CodeType) else None


def _store(env: jinja2.Environment, name: str, source: str, code: CodeType) -> None:
    try:
        data = marshal.dumps(code)
    except ValueError:  # a constant marshal cannot write: just don't cache
        return
    write_blob(f"jinja-{name}.cache", data)
