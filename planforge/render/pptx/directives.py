"""Read slide directives from a slide's notes and expand them into one context per output slide.

Grammar, one directive per notes line, applied top to bottom::

    @if <expr>                      keep the slide only when <expr> is truthy
    @for <var> in <expr>            one slide per item of <expr>, the item bound to <var>
    @paginate <var> in <expr> by <N>
                                    one slide per page of at most <N> items, the items spread
                                    evenly over the pages; <var> is a Page

``<expr>`` is a Jinja expression evaluated in the sandbox; later directives see the names earlier
ones bound, so ``@for p in products`` followed by ``@if p.image`` keeps only products with images.
A list that is empty gives no slide at all. Directive lines are removed from the rendered notes;
other notes text is rendered like any text (tags allowed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

from planforge.i18n import _
from planforge.errors import TemplateError
from planforge.render.budget import MAX_SLIDES
from planforge.render.env import evaluate

_DIRECTIVE = re.compile(r"^\s*@(if|for|paginate)\b\s*(.*?)\s*$", re.S)
_LOOP = re.compile(r"^([A-Za-z_]\w*)\s+in\s+(.+?)$", re.S)
_PAGINATE = re.compile(r"^([A-Za-z_]\w*)\s+in\s+(.+?)\s+by\s+(.+?)$", re.S)


@dataclass(frozen=True)
class Directive:
    """One parsed directive line: ``kind`` is if/for/paginate."""

    kind: str
    var: str
    expr: str
    size: str
    text: str


@dataclass(frozen=True)
class Page:
    """One page of a paginated list, as bound by ``@paginate``."""

    items: list[Any]
    number: int
    count: int

    @property
    def first(self) -> bool:
        return self.number == 1

    @property
    def last(self) -> bool:
        return self.number == self.count

    @property
    def continued(self) -> bool:
        return self.number > 1


def balanced_pages(items: list[Any], size: int) -> list[list[Any]]:
    """Split *items* into as few pages of at most *size* as needed, balanced: 9 rows by 8 make
    pages of 5 and 4, never a page of 8 and a continuation slide with one row."""
    count = math.ceil(len(items) / size)
    if count == 0:
        return []
    base, extra = divmod(len(items), count)
    pages, start = [], 0
    for n in range(count):
        end = start + base + (1 if n < extra else 0)
        pages.append(items[start:end])
        start = end
    return pages


def is_directive(line: str) -> bool:
    """Return whether a notes line is a slide directive."""
    return _DIRECTIVE.match(line) is not None


def parse(line: str, where: str) -> Directive:
    """Parse one directive line, raising TemplateError naming *where* when it is malformed."""
    match = _DIRECTIVE.match(line)
    if match is None:
        raise TemplateError(_("{where}: not a directive: {line}").format(
            where=where, line=line.strip()))
    kind, rest = match.group(1), match.group(2)
    text = line.strip()
    if kind == "if":
        if not rest:
            raise TemplateError(_("{where}: '@if' needs an expression in {tag}").format(
                where=where, tag=text))
        return Directive(kind, "", rest, "", text)
    pattern = _PAGINATE if kind == "paginate" else _LOOP
    found = pattern.match(rest)
    if found is None:
        usage = (
            "@paginate <name> in <expr> by <N>" if kind == "paginate" else "@for <name> in <expr>"
        )
        raise TemplateError(_("{where}: expected '{usage}' in {tag}").format(
            where=where, usage=usage, tag=text))
    return Directive(
        kind, found.group(1), found.group(2), found.group(3) if kind == "paginate" else "", text
    )


def expand(
    env: jinja2.Environment,
    directives: list[Directive],
    context: Mapping[str, Any],
    where: str,
) -> list[dict[str, Any]]:
    """Return the local bindings of each output slide the *directives* call for, in order."""
    bindings: list[dict[str, Any]] = [{}]
    for d in directives:
        step: list[dict[str, Any]] = []
        for bound in bindings:
            scope = {**context, **bound}
            if d.kind == "if":
                if _evaluate(env, d.expr, scope, d, where):
                    step.append(bound)
                continue
            items = _items(_evaluate(env, d.expr, scope, d, where), d, where)
            if d.kind == "for":
                step.extend({**bound, d.var: item} for item in items)
            else:
                size = _evaluate(env, d.size, scope, d, where)
                if isinstance(size, bool) or not isinstance(size, int) or size < 1:
                    raise TemplateError(
                        _("{where}: page size must be a positive whole number, got {value} in "
                          "{tag}").format(where=where, value=repr(size), tag=d.text)
                    )
                chunks = balanced_pages(items, size)
                step.extend(
                    {**bound, d.var: Page(chunk, n + 1, len(chunks))}
                    for n, chunk in enumerate(chunks)
                )
            if len(step) > MAX_SLIDES:
                raise TemplateError(
                    _("{where}: the directives make more than {limit} copies of the slide; a "
                      "deck may have at most {limit} slides, in {tag}").format(
                          where=where, limit=f"{MAX_SLIDES:,}", tag=d.text)
                )
        bindings = step
    return bindings


def _evaluate(
    env: jinja2.Environment, expr: str, scope: Mapping[str, Any], d: Directive, where: str
) -> Any:
    return evaluate(env, expr, scope, where, d.text)


def _items(value: Any, d: Directive, where: str) -> list[Any]:
    if value is None:
        return []
    if (
        isinstance(value, (str, bytes))
        or not isinstance(value, Iterable)
        or isinstance(value, Mapping)
    ):
        raise TemplateError(_("{where}: expected a list, got {type} in {tag}").format(
            where=where, type=type(value).__name__, tag=d.text))
    return list(value)
