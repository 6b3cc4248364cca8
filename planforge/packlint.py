"""Walk a parsed template knowing the render context's types: unknown names, unsafe access.

The plan's sections are typed dataclasses, labels and chart data are sampled from a real
context, and loop variables take the item type of what they loop over (``{% for p in products %}``
makes ``p`` a Product), so ``p.nmae`` is found without rendering. What the walk cannot tell
(a value computed by a filter, a ``namespace``) it leaves to the real render.
"""

from __future__ import annotations

import types
import typing
from pathlib import PurePath
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import UNSAFE_FUNCTION_ATTRIBUTES, UNSAFE_METHOD_ATTRIBUTES, \
    modifies_known_mutable

from planforge.caches import memo
from planforge.errors import TemplateError
from planforge.i18n import _
from planforge.render.env import clean_text, compile_template, in_tag, make_env
from planforge.render.pptx.runs import TAG
from planforge.render.safe import attribute_allowed

_UNSAFE = UNSAFE_FUNCTION_ATTRIBUTES | UNSAFE_METHOD_ATTRIBUTES | {"mro", "gi_frame", "gi_code",
                                                                  "cr_frame", "cr_code", "ag_code"}
_KEEP = {"list", "sort", "reverse", "unique", "selectattr", "rejectattr", "select", "reject",
         "default", "d"}


@dataclass(frozen=True)
class Kind:
    """What the lint knows of a value: an object of a class, a list, a dict (sampled), a Page."""

    kind: str  # obj | list | dict | page
    of: Any = None


def _hint(hint: Any) -> Kind | None:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, getattr(types, "UnionType", None)):
        real = [a for a in args if a is not type(None)]
        return _hint(real[0]) if len(real) == 1 else None
    if origin is list:
        return Kind("list", _hint(args[0]) if args else None)
    if isinstance(hint, type) and issubclass(hint, PurePath):
        return Kind("obj", str)  # the render context holds paths as strings
    if isinstance(hint, type) and origin is None and hint is not dict:
        return Kind("obj", hint)
    return None


def of_value(value: Any) -> Kind | None:
    """Return the Kind of a sample value from the render context."""
    if isinstance(value, dict):
        return Kind("dict", value)
    if isinstance(value, list):
        return Kind("list", of_value(value[0]) if value else None)
    if value is None:
        return None
    return Kind("obj", type(value))


def top_kinds(context: dict) -> dict[str, Kind | None]:
    """Return the Kind of every top-level name: typed plan sections, sampled labels and charts."""
    from planforge.model.types import Plan

    hints = _hints(Plan)
    kinds = {name: of_value(value) for name, value in context.items()}
    kinds.update({f.name: _hint(hints.get(f.name)) for f in fields(Plan)})
    return kinds


def attribute(kind: Kind | None, name: str) -> tuple[bool, Kind | None]:
    """Return whether ``name`` exists on a value of ``kind``, and the Kind it gives."""
    if kind is None:
        return True, None
    if kind.kind == "page":
        if name == "items":
            return True, Kind("list", kind.of)
        return name in ("number", "count", "first", "last", "continued"), None
    if kind.kind == "dict":
        if name in kind.of:
            return True, of_value(kind.of[name])
        return hasattr(dict, name), None
    if kind.kind == "list":
        return hasattr(list, name), None
    cls = kind.of
    if is_dataclass(cls):
        hints = _hints(cls)
        if name in hints:
            return True, _hint(hints[name])
        if name in {f.name for f in fields(cls)}:
            return True, None
    member = getattr(cls, name, None)
    if isinstance(member, property) and member.fget is not None:
        return True, _hint(_hints(member.fget).get("return"))
    return hasattr(cls, name), None


@memo(None)
def _hints(obj: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(obj)
    except Exception:  # an annotation naming what its module cannot import: know nothing
        return {}


def _allowed(kind: Kind | None, name: str) -> bool:
    """Whether the render's sandbox lets a template read *name* of a value of *kind*."""
    if kind is None or kind.kind == "page":
        return True
    sample: Any = {"list": [], "dict": {}}.get(kind.kind)
    if sample is not None:
        return not modifies_known_mutable(sample, name)
    return attribute_allowed(kind.of, name)


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return f"{base}.{node.attr}" if base else None
    return None


class Linter:
    """Walk a parsed template with a scope of known names; report unknown names, unsafe access."""

    def __init__(self, env: Any, kinds: dict[str, Kind | None], report):
        self.env, self.kinds, self.report = env, kinds, report

    def lint(self, node: nodes.Node, scope: dict[str, Kind | None]) -> None:
        """Visit ``node`` and its children in order; ``report(what, lineno)`` gets each problem."""
        if isinstance(node, nodes.Name):
            if node.ctx == "load" and not self.known(node.name, scope):
                self.report(_("unknown name {name}").format(name=f"'{node.name}'"), node.name,
                            node.lineno)
        elif isinstance(node, nodes.Getattr):
            self.lint(node.node, scope)
            self._member(node.node, node.attr, node, scope)
        elif isinstance(node, nodes.Getitem):
            self.lint(node.node, scope)
            self.lint(node.arg, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                self._member(node.node, node.arg.value, node, scope)
        elif isinstance(node, nodes.Test) and node.name in ("defined", "undefined"):
            return  # the author tests for it: a missing name is expected here
        elif isinstance(node, nodes.Filter) and node.name in ("default", "d") \
                and isinstance(node.node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            # ``x.y | default(z)``: the render gives z when y is missing (only the last step may
            # be missing: Jinja fails on reading anything of a missing value), so lint x alone.
            base = node.node
            if isinstance(base, nodes.Getattr):
                self.lint(base.node, scope)
                found, _kind = attribute(self.infer(base.node, scope), base.attr)
                if found or base.attr.startswith("_") or base.attr in _UNSAFE:
                    self._member(base.node, base.attr, base, scope)  # what the sandbox refuses
            elif isinstance(base, nodes.Getitem):
                self.lint(base.node, scope)
                self.lint(base.arg, scope)
            for child in [*node.args, *(k.value for k in node.kwargs)]:
                self.lint(child, scope)
        elif isinstance(node, nodes.For):
            self.lint(node.iter, scope)
            inner = dict(scope, loop=None)
            item = self.infer(node.iter, scope)
            self.bind(node.target, item.of if item and item.kind == "list" else None, inner)
            for child in [*node.body, *([node.test] if node.test else [])]:
                self.lint(child, inner)
            for child in node.else_:
                self.lint(child, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self.lint(value, scope)
                self.bind(target, self.infer(value, scope), inner)
            for child in node.body:
                self.lint(child, inner)
        elif isinstance(node, nodes.Assign):
            self.lint(node.node, scope)
            self.bind(node.target, self.infer(node.node, scope), scope)
        elif isinstance(node, (nodes.AssignBlock, nodes.Macro, nodes.CallBlock)):
            if isinstance(node, nodes.AssignBlock):
                self.bind(node.target, None, scope)
            inner = dict(scope, caller=None, varargs=None, kwargs=None)
            for arg in getattr(node, "args", []):
                self.bind(arg, None, inner)
            if isinstance(node, nodes.Macro):
                scope[node.name] = None
            for child in node.body:
                self.lint(child, inner)
        else:
            for child in node.iter_child_nodes():
                self.lint(child, scope)

    def known(self, name: str, scope: dict) -> bool:
        return name in scope or name in self.kinds or name in self.env.globals

    def bind(self, target: nodes.Node, kind: Kind | None, scope: dict) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = kind
        else:
            for name in target.find_all(nodes.Name):
                scope[name.name] = None

    def _member(self, base: nodes.Node, name: str, node: nodes.Node, scope: dict) -> None:
        if name.startswith("_") or name in _UNSAFE:
            self.report(_unsafe(_("templates may not use '{name}' (Python internals)").format(
                name=name)), name, node.lineno)
            return
        if isinstance(base, nodes.Name) and not self.known(base.name, scope):
            return  # already reported as an unknown name
        kind = self.infer(base, scope)
        found, _kind = attribute(kind, name)
        if found and not _allowed(kind, name):
            self.report(_unsafe(_("templates may not use '{name}' (they read data; they do not "
                                  "call methods of planforge's objects or change lists and "
                                  "mappings)").format(name=name)), name, node.lineno)
            return
        if not found:
            dotted = _dotted(node) or name
            self.report(_("unknown name {name}").format(name=f"'{dotted}'"), name, node.lineno)

    def infer(self, node: nodes.Node | None, scope: dict) -> Kind | None:
        """Return what the lint can tell of the value of ``node`` (None: nothing)."""
        if isinstance(node, nodes.Name):
            return scope[node.name] if node.name in scope else self.kinds.get(node.name)
        if isinstance(node, nodes.Getattr):
            return attribute(self.infer(node.node, scope), node.attr)[1]
        if isinstance(node, nodes.Getitem):
            base = self.infer(node.node, scope)
            if base is None or isinstance(node.arg, nodes.Slice):
                return base
            if base.kind == "list":
                return base.of
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return attribute(base, node.arg.value)[1]
            return None
        if isinstance(node, nodes.Filter):
            base = self.infer(node.node, scope)
            if base is None or base.kind != "list":
                return base if node.name in ("default", "d") else None
            if node.name in _KEEP:
                return base
            if node.name in ("batch", "slice"):
                return Kind("list", base)
            if node.name in ("first", "last", "random"):
                return base.of
            attr = next((k.value for k in node.kwargs if k.key == "attribute"), None)
            if node.name == "map" and isinstance(attr, nodes.Const):
                return Kind("list", attribute(base.of, str(attr.value))[1])
            return None
        if isinstance(node, nodes.CondExpr):
            return self.infer(node.expr1, scope) or self.infer(node.expr2, scope)
        if isinstance(node, nodes.Or):
            return self.infer(node.left, scope) or self.infer(node.right, scope)
        return None


def parse_expression(env: Any, expr: str) -> nodes.Node:
    """Parse one Jinja expression (raises TemplateSyntaxError)."""
    return env.parse("{{ " + expr + " }}").body[0].nodes[0]


def lint_source(env: Any, kinds: dict, source: str, where: str, scope: dict | None = None,
                tag_of=None) -> list[str]:
    """Compile then walk ``source``; return the problems, each naming ``where`` and the tag."""
    tag_of = tag_of or (lambda lineno, name: tag_on_line(source, lineno))
    problems: list[str] = []
    try:
        compile_template(env, source, where)
    except TemplateError as exc:
        problems.append(exc.message)
    try:
        tree = env.parse(source)
    except Exception:  # a syntax error, reported above
        return problems

    def report(what: str, name: str, lineno: int) -> None:
        tag = tag_of(lineno, name)
        line = in_tag(where, what, tag)
        # One unsafe finding per tag: ''.__class__.__mro__ is one mistake.
        unsafe = _unsafe("")
        if line not in problems and not (what.startswith(unsafe) and tag and any(
                p.startswith(f"{where}: {unsafe}") and p.endswith(tag) for p in problems)):
            problems.append(line)

    Linter(env, kinds, report).lint(tree, dict(scope or {}))
    return problems


def _unsafe(reason: str) -> str:
    return _("unsafe: {reason}").format(reason=reason)


def tag_on_line(source: str, lineno: int) -> str:
    """Return the tag on line ``lineno`` of ``source`` as the author wrote it."""
    lines = source.split("\n")
    if not 1 <= lineno <= len(lines):
        return ""
    found = TAG.search(lines[lineno - 1])
    if not found:
        return ""
    tag = found.group(0)
    if tag.startswith("{#") and TAG.fullmatch(tag[2:-2]):
        tag = tag[2:-2]
    return clean_text(tag).replace("\n", " ")


def lint_env(locale: str, extra_filters: tuple[str, ...] = ()) -> Any:
    """Return the environment a render in ``locale`` uses, with ``extra_filters`` stubbed in."""
    from planforge.fmt import filters_for

    env = make_env(locale, filters=filters_for(locale))
    env.filters.update({name: (lambda value, *a, **k: value) for name in extra_filters})
    return env
