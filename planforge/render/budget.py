"""A time and size budget for rendering one document: a hostile pack cannot keep a build busy.

``document_budget(where)`` wraps the render of one document (the deck or the plan). Past the
time limit (``PLANFORGE_RENDER_TIMEOUT`` seconds, default 60; a real pack takes a few
seconds), the render stops with ``RenderBudgetError``, raised where the template is running so
that the error names the pack file, the slide or paragraph and the tag. In the main thread a
timer signal interrupts even a loop that prints nothing; elsewhere the budget is checked each
time a template prints, calls or looks something up. Each template render may print at most
``MAX_OUTPUT`` characters (``PLANFORGE_RENDER_MAX_OUTPUT``), and a deck at most ``MAX_SLIDES``
slides.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jinja2

from planforge.errors import TemplateError
from planforge.i18n import _

__all__ = ["MAX_OUTPUT", "MAX_SLIDES", "RenderBudgetError", "BudgetTemplate", "check",
           "document_budget", "max_output", "timeout"]

DEFAULT_TIMEOUT = 60.0
#: The most characters one template render may produce (a plan's whole body is a few million).
MAX_OUTPUT = 100_000_000
#: The most slides a deck may have once its directives are expanded.
MAX_SLIDES = 2_000

_state = threading.local()


class RenderBudgetError(TemplateError):
    """A template used more time or produced more output than a document may."""

    located = False  # True once the message names the file, the slide or paragraph, the tag
    template_lineno: int | None = None  # the line of the template that was running


def located(error: TemplateError) -> RenderBudgetError:
    """Return *error* (a message naming where) as a located RenderBudgetError."""
    found = RenderBudgetError(error.message)
    found.located = True
    return found


def at(label: str) -> None:
    """Note what the document's render is busy with (named if the budget runs out there)."""
    _state.label = label


def timeout() -> float:
    """The time limit for one document, in seconds (0: none), from the environment."""
    return _number("PLANFORGE_RENDER_TIMEOUT", DEFAULT_TIMEOUT)


def max_output() -> int:
    return int(_number("PLANFORGE_RENDER_MAX_OUTPUT", MAX_OUTPUT))


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise TemplateError(_("{name} must be a number, got {value}").format(
            name=f"${name}", value=repr(raw))) from None
    if value < 0 or value != value:
        raise TemplateError(_("{name} must be 0 or more, got {value}").format(
            name=f"${name}", value=repr(raw)))
    return value


def _over(limit: float) -> RenderBudgetError:
    return RenderBudgetError(_("rendering took longer than {limit} s, the time limit of one "
                               "document (set PLANFORGE_RENDER_TIMEOUT to change it); "
                               "stopped").format(limit=f"{limit:g}"))


def check() -> None:
    """Raise RenderBudgetError when the running document is past its time limit."""
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        _state.deadline = None  # said once; the error unwinds the render
        error = _over(_state.limit)
        error.template_lineno = _line_in_template(sys._getframe(1))
        raise error


@contextmanager
def document_budget(where: str) -> Iterator[None]:
    """Give the render inside this block (of the document *where*) the time budget of one."""
    if getattr(_state, "active", False):  # already inside a document's budget
        yield
        return
    limit = timeout()
    _state.active, _state.limit, _state.label = True, limit, where
    _state.deadline = time.monotonic() + limit if limit else None
    alarm = limit and threading.current_thread() is threading.main_thread() \
        and hasattr(signal, "setitimer")
    previous: Any = None
    if alarm:
        def ring(signum: int, frame: Any) -> None:
            _state.deadline = None
            # Ring again later, in case something catches this one; not so soon that it rings
            # again while the error is being unwound and explained.
            signal.setitimer(signal.ITIMER_REAL, 5.0)
            error = _over(limit)
            error.template_lineno = _line_in_template(frame)
            raise error

        previous = signal.signal(signal.SIGALRM, ring)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    except RenderBudgetError as exc:
        if exc.located:
            raise
        # Ran out between two templates (cloning slides, drawing): name the slide it was on.
        raise located(TemplateError(f"{_state.label}: {exc.message}")) from None
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _state.active, _state.deadline = False, None


class BudgetTemplate(jinja2.Template):
    """A Template whose render stops, at the tag printing, past the output or time budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        limit = max_output()
        try:
            parts: list[str] = []
            size = 0
            gen = self.root_render_func(ctx)
            for chunk in gen:
                size += len(chunk)
                parts.append(chunk)
                if size > limit or (len(parts) & 255 == 0 and _late()):
                    # Raised inside the template, so the traceback holds the tag's line.
                    error = _over(_state.limit) if size <= limit else RenderBudgetError(
                        _("the template printed more than {limit} characters, the most one "
                          "template may print (set PLANFORGE_RENDER_MAX_OUTPUT to change "
                          "it)").format(limit=f"{limit:,}"))
                    _state.deadline = None
                    error.template_lineno = _line_in_template(gen.gi_frame)
                    gen.throw(error)
            return self.environment.concat(parts)  # type: ignore[attr-defined]
        except Exception:
            self.environment.handle_exception()
        raise AssertionError("unreachable")


def _late() -> bool:
    deadline = getattr(_state, "deadline", None)
    return deadline is not None and time.monotonic() > deadline


def _line_in_template(frame: Any) -> int | None:
    """The template line the innermost template frame at or above *frame* is running."""
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            try:
                return template.get_corresponding_lineno(frame.f_lineno)
            except Exception:  # no debug information: the line is unknown
                return None
        if frame.f_code is BudgetTemplate.render.__code__:
            # Between two pieces of output: the template waits at the line that printed.
            gen = frame.f_locals.get("gen")
            inner = getattr(gen, "gi_frame", None)
            return _line_in_template(inner) if inner is not None else None
        frame = frame.f_back
    return None
