"""What a template may touch: plain data in, a whitelist of attributes and calls, sizes bounded.

A template pack comes from a stranger, so the render context holds only plain values (strings,
numbers, Decimals, dates, lists, mappings) and planforge's own template objects (the plan's
dataclasses, chart and Gantt data), whose fields are plain values too: ``plain_context`` builds
it, turning paths into strings and refusing anything else. ``PlanforgeSandbox`` then lets a
template read only

* the fields and properties of planforge's dataclasses (never a method),
* the non-mutating methods of the plain types (``str.upper``, ``dict.get``, ``dict.items``),
* Jinja's own loop, namespace, cycler and joiner objects,

and call only those methods, Jinja's globals (``range``, ``dict``, ``namespace``, ...) and the
macros the template defines. Everything else is refused with a ``SecurityError`` naming the
attribute, so ``{{ source.read_text() }}`` fails the build instead of reading a file.

Arithmetic and string building that a single C call could make enormous (``10**(10**9)``,
``'x' * 10**9``, ``'%999999999d' % 1``, ``'x'.center(10**9)``) are checked before they run.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from jinja2 import nodes, pass_eval_context
from jinja2 import filters as _jinja_filters
from jinja2 import runtime as _jinja_runtime
from jinja2 import utils as _jinja_utils
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, modifies_known_mutable
from markupsafe import Markup

from planforge.i18n import N_, _
from planforge.model.extensions import Extensions
from planforge.render.budget import BudgetTemplate
from planforge.render.budget import check as check_deadline

__all__ = [
    "MAX_DIGITS",
    "MAX_STRING",
    "PlanforgeSandbox",
    "attribute_allowed",
    "plain_context",
]

#: The longest string (or list) one operation of a template may build.
MAX_STRING = 10_000_000
#: The most digits an integer computed by a template may have.
MAX_DIGITS = 4_000
_MAX_BITS = MAX_DIGITS * 10 // 3 + 1

# Values a template may hold as they are (their non-mutating methods may be called).
_PLAIN = (str, bool, int, float, Decimal, _dt.date, _dt.datetime, _dt.time, list, tuple, dict,
          range, type(None), Markup)
# Python types whose methods a template may call once it has them (views of a dict, a range).
_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
# str methods whose int argument is the length of the result.
_PADDING = {"center", "ljust", "rjust", "zfill", "expandtabs"}
_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)|\{[^{}]*:\D*(\d+)[^{}]*\}")


def _jinja_object(obj: Any) -> bool:
    """Jinja's runtime objects a template handles: loop, namespace, cycler, joiner, macros."""
    return isinstance(obj, (_jinja_runtime.LoopContext, _jinja_utils.Namespace,
                            _jinja_utils.Cycler, _jinja_utils.Joiner, _jinja_runtime.Macro,
                            _jinja_runtime.Undefined))


def _planforge_object(obj: Any) -> bool:
    cls = type(obj)
    return is_dataclass(cls) and cls.__module__.split(".")[0] == "planforge"


def attribute_allowed(cls: type, name: str) -> bool:
    """Whether a template may read attribute *name* of a value of class *cls*.

    The template lint (``planforge.packlint``) asks the same question without a value.
    """
    if name.startswith("_"):
        return False
    if is_dataclass(cls) and cls.__module__.split(".")[0] == "planforge":
        if name in {f.name for f in fields(cls)}:
            return True
        return isinstance(getattr(cls, name, None), property)
    if issubclass(cls, _PLAIN) or issubclass(cls, _VIEWS):
        return hasattr(cls, name)
    return False


class _CheckedConcat(CodeGenerator):
    """Jinja's code generator, with ``~`` calling the sandbox's length check first."""

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"environment.checked_concat({func_name}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class PlanforgeSandbox(SandboxedEnvironment):
    """Jinja's sandbox narrowed to planforge's template objects and plain types (module doc)."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})
    template_class = BudgetTemplate
    code_generator_class = _CheckedConcat  # '~' goes through checked_concat

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.update(center=_center, indent=_indent, format=_format, join=_join)
        # Lorem ipsum has no place in a document built from a spec.
        self.globals.pop("lipsum", None)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        check_deadline()
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if _jinja_object(obj):
            return True
        if not attribute_allowed(type(obj), attr):
            return False
        # A template reads data; it never changes the context the other document renders from.
        return not modifies_known_mutable(obj, attr)

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        if _jinja_object(obj) or isinstance(obj, _Format):
            return True
        if obj in (dict, _jinja_utils.Namespace, _jinja_utils.Cycler, _jinja_utils.Joiner):
            return True
        if any(obj is value for value in self.globals.values()):
            return True
        owner = getattr(obj, "__self__", None)
        if owner is None:
            return False
        if _jinja_object(owner):
            return True
        return isinstance(owner, _PLAIN + _VIEWS) and not isinstance(owner, type) \
            and attribute_allowed(type(owner), getattr(obj, "__name__", "_"))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        check_deadline()
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in _PADDING:
                _check_length(max((a for a in args if isinstance(a, int)), default=0)
                              * (8 if name == "expandtabs" else 1), f"str.{name}")
            elif name == "join" and args and isinstance(args[0], (list, tuple)):
                _check_length(sum(len(i) for i in args[0] if isinstance(i, str))
                              + len(owner) * len(args[0]), "str.join")
            elif name == "replace" and len(args) >= 2 and isinstance(args[1], str):
                _check_length(len(owner) + len(owner) * len(args[1]), "str.replace")
        return super().call(__context, __obj, *args, **kwargs)

    @staticmethod
    def checked_concat(join: Any, items: tuple) -> Any:
        """Jinja's ``~``, refusing a result longer than MAX_STRING (a doubling loop)."""
        _check_length(sum(len(i) for i in items if isinstance(i, str)), N_("a concatenation (~)"))
        return join(items)

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        return None if wrapped is None else _Format(value.__self__, value.__name__, wrapped)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_deadline()
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)


def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    if isinstance(value, (list, tuple)) and attribute is None:
        _check_length(sum(len(i) for i in value if isinstance(i, str)) + len(str(d)) * len(value),
                      N_("the join filter"))
    return _jinja_filters.do_join(eval_ctx, value, d, attribute)


_join = pass_eval_context(_join)


class _Format:
    """Jinja's sandboxed ``str.format``/``format_map``, refusing widths that build huge text."""

    def __init__(self, text: str, name: str, wrapped: Any):
        self.text, self.name, self.wrapped = text, name, wrapped

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        if self.name == "format_map":
            _check_format(self.text, args[0] if args else ())
        else:
            _check_format(self.text, (*args, *kwargs.values()))
        return self.wrapped(*args, **kwargs)


def _center(value: Any, width: int = 80) -> str:
    if _is_int(width):
        _check_length(width, N_("the center filter"))
    return _jinja_filters.do_center(value, width)


def _indent(s: Any, width: Any = 4, first: bool = False, blank: bool = False) -> str:
    if _is_int(width):
        _check_length(width * (str(s).count("\n") + 1), N_("the indent filter"))
    elif isinstance(width, str):
        _check_length(len(width) * (str(s).count("\n") + 1), N_("the indent filter"))
    return _jinja_filters.do_indent(s, width, first, blank)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_format(str(value), kwargs or args)
    return _jinja_filters.do_format(value, *args, **kwargs)


def _check_length(length: int, what: str) -> None:
    if length > MAX_STRING:
        raise SecurityError(_("{what} would build {count} characters; a template may build at "
                              "most {limit} at once").format(what=_(what), count=f"{length:,}",
                                                             limit=f"{MAX_STRING:,}"))


def _check_format(text: str, args: Any = ()) -> None:
    """Refuse a %-format or str.format whose field widths would build a huge string."""
    for match in _WIDTH.finditer(text):
        width = match.group(1) or match.group(2)
        if width and width != "*":
            _check_length(int(width[:12]), N_("a format width"))
    if "*" in text or re.search(r"\{[^{}]*:[^{}]*\{", text):  # widths taken from the arguments
        values = args.values() if isinstance(args, Mapping) else \
            args if isinstance(args, (tuple, list)) else (args,)
        for value in values:
            if _is_int(value) and value > MAX_STRING:
                _check_length(value, N_("a format width"))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "**":
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            bits = (abs(left).bit_length() - 1) * right
            if bits > _MAX_BITS:
                raise SecurityError(_("{power} would have about {count} digits; a template may "
                                      "compute at most {limit}").format(
                                          power=f"{left} ** {right}",
                                          count=f"{int(bits * 0.30103):,}",
                                          limit=f"{MAX_DIGITS:,}"))
        return
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and _is_int(count):
                # A list element costs more than a character: lists get a tenth of the room.
                scale = 1 if isinstance(seq, str) else 10
                _check_length(len(seq) * count * scale, N_("a repetition"))
                return
        if _is_int(left) and _is_int(right) \
                and left.bit_length() + right.bit_length() > _MAX_BITS:
            raise SecurityError(_("a product of more than {limit} digits").format(
                limit=f"{MAX_DIGITS:,}"))
        return
    if operator == "+":
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            _check_length(len(left) + len(right), N_("a concatenation"))
        return
    if operator == "%" and isinstance(left, str):
        _check_format(left, right)


def plain_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """Return *context* as plain data: paths become strings, anything else unknown is refused.

    Dataclasses of planforge are copied with their fields made plain (identity is kept: an
    object reachable twice is one copy). Raises TypeError naming the key of a value that is not
    plain data, a bug in planforge rather than in the pack.
    """
    memo: dict[int, Any] = {}
    return {str(k): _plain(v, str(k), memo) for k, v in context.items()}


def _plain(value: Any, where: str, memo: dict[int, Any]) -> Any:
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, (str, bool, int, float, Decimal, _dt.date, _dt.time, type(None))):
        if type(value) not in (str, bool, int, float, Decimal, _dt.date, _dt.datetime,
                               _dt.time, type(None)) and not isinstance(value, Markup):
            return _exact(value)
        return value
    done = memo.get(id(value))
    if done is not None:
        return done[1]
    if isinstance(value, (list, tuple)):
        out: Any = [] if isinstance(value, list) else None
        memo[id(value)] = (value, out)
        items = [_plain(v, f"{where}[{i}]", memo) for i, v in enumerate(value)]
        if isinstance(value, list):
            out.extend(items)
        else:
            out = tuple(items)
            memo[id(value)] = (value, out)
        return out
    if isinstance(value, Mapping):
        # The spec's own x- fields keep answering a name they lack with nothing (Absent).
        out = Extensions() if isinstance(value, Extensions) else {}
        memo[id(value)] = (value, out)
        for k, v in value.items():
            out[_plain(k, where, memo)] = _plain(v, f"{where}.{k}", memo)
        return out
    if _planforge_object(value):
        copy = object.__new__(type(value))
        memo[id(value)] = (value, copy)
        for f in fields(value):
            object.__setattr__(copy, f.name, _plain(getattr(value, f.name), f"{where}.{f.name}",
                                                    memo))
        return copy
    raise TypeError(_("the render context holds a {type} at {where}; templates may only see "
                      "plain data").format(type=type(value).__name__, where=where))


def _exact(value: Any) -> Any:
    # A subclass of a plain type may carry methods of its own: keep only the plain value.
    for kind in (bool, int, float, Decimal, str, _dt.datetime, _dt.date, _dt.time):
        if isinstance(value, kind):
            if kind in (_dt.datetime, _dt.date, _dt.time):
                return value
            return kind(value)
    return value
