"""The sandboxed Jinja environment shared by the pptx and docx renderers, and its error wrapping.

Templates run in Jinja's sandbox with ``StrictUndefined``: a misspelt name is an error, and a
template reaching for Python internals (``''.__class__``) is refused. Every printed value passes
through ``finalize``, which strips the characters XML 1.0 forbids; values are printed, never
re-parsed, so a spec string holding ``{{ 7*7 }}`` prints as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from planforge.errors import TemplateError
from planforge.i18n import N_, _
from planforge.render.budget import RenderBudgetError, located
from planforge.render.jinja_cache import CachingSandbox

__all__ = [
    "clean_text",
    "compile_template",
    "evaluate",
    "make_env",
    "render_string",
    "render_template",
    "template_error",
]

# XML 1.0 allows \t \n \r and everything from U+0020 up, minus surrogates and U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_TEMPLATE_FILE = "<template>"


def clean_text(text: str) -> str:
    """Return *text* without the characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", text)


def _finalize(value: Any) -> Any:
    # Markup (docxtpl RichText, |safe) keeps its markup; everything else becomes clean text.
    if hasattr(value, "__html__"):
        return Markup(clean_text(value.__html__()))
    return clean_text(str(value))


def make_env(
    locale: str = "zh-CN",
    filters: Mapping[str, Callable[..., Any]] | None = None,
    *,
    autoescape: bool = False,
) -> SandboxedEnvironment:
    """Return a strict, sandboxed Jinja environment with *filters* registered.

    Keep ``autoescape`` off for pptx (python-pptx escapes XML itself); docxtpl renders XML text
    and needs ``autoescape=True``. Compiled templates are cached per process and on disk
    (``planforge.render.jinja_cache``).
    """
    env = CachingSandbox(
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    env.globals["locale"] = locale
    env.filters.update(filters or {})
    return env


def compile_template(env: jinja2.Environment, source: str, where: str) -> jinja2.Template:
    """Compile *source*, raising TemplateError naming *where* and the tag on a syntax error."""
    try:
        return env.from_string(source)
    except TemplateSyntaxError as exc:
        raise template_error(exc, source, where, exc.lineno) from exc


def render_template(
    template: jinja2.Template,
    source: str,
    context: Mapping[str, Any],
    where: str,
    *,
    clean: bool = True,
) -> str:
    """Render a compiled *template*; wrap any error it raises into TemplateError naming *where*.

    With ``clean=False`` control characters of the template text itself survive (printed values
    are cleaned by ``finalize`` regardless); the pptx engine uses them as markers.
    """
    try:
        output = template.render(context)
        return clean_text(output) if clean else output
    except RenderBudgetError as exc:
        raise located(template_error(exc, source, where, _template_line(exc))) from None
    except TemplateError:
        raise
    except Exception as exc:  # template code may raise anything (filters, division, ...)
        raise template_error(exc, source, where, _template_line(exc)) from exc


def render_string(
    env: jinja2.Environment, source: str, context: Mapping[str, Any], where: str
) -> str:
    """Render *source* with *context*; errors become TemplateError naming *where* and the tag."""
    return render_template(compile_template(env, source, where), source, context, where)


def evaluate(
    env: jinja2.Environment, expr: str, scope: Mapping[str, Any], where: str, tag: str
) -> Any:
    """Evaluate the Jinja expression *expr*; errors become TemplateError naming *where*, *tag*."""
    try:
        value = env.compile_expression(expr, undefined_to_none=False)(**scope)
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return value
    except RenderBudgetError as exc:
        raise located(template_error(exc, "", where, None, tag=tag)) from None
    except TemplateError:
        raise
    except Exception as exc:  # syntax, unknown names, sandbox refusals, errors in filters
        raise template_error(exc, "", where, None, tag=tag) from exc


def template_error(
    exc: BaseException, source: str, where: str, lineno: int | None, tag: str | None = None
) -> TemplateError:
    """Build the TemplateError for *exc* naming *where* and *tag* (default: the tag on *lineno*)."""
    if tag is None:
        tag = _tag_on_line(source, lineno)
    if isinstance(exc, RenderBudgetError):
        what = exc.message
    elif isinstance(exc, TemplateSyntaxError):
        what = _("syntax error: {reason}").format(reason=exc.message)
    elif isinstance(exc, SecurityError):
        what = _("unsafe: {reason}").format(reason=_sandbox_reason(str(exc).rstrip(".")))
    elif isinstance(exc, UndefinedError):
        what = _("unknown name {name}").format(name=_undefined_name(str(exc), tag))
    else:
        what = f"{type(exc).__name__}: {exc}"
    return TemplateError(in_tag(where, what, tag))


def in_tag(where: str, what: str, tag: str | None) -> str:
    """``where: what in {{ tag }}``, the shape of every template finding (lint and render)."""
    if not tag:
        return f"{where}: {what}"
    return _("{where}: {what} in {tag}").format(where=where, what=what, tag=tag)


#: The sandbox's own refusals (jinja2.sandbox), in words a translator can reach.
_SANDBOX = (
    (re.compile(r"access to attribute (?P<attribute>'[^']*') of (?P<type>'[^']*') object is "
                r"unsafe"),
     N_("access to attribute {attribute} of {type} object is unsafe")),
    (re.compile(r"(?P<callable>.+) is not safely callable"),
     N_("{callable} is not safely callable")),
)


def _sandbox_reason(text: str) -> str:
    for pattern, message in _SANDBOX:
        found = pattern.fullmatch(text)
        if found:
            return _(message).format(**found.groupdict())
    return text


def _template_line(exc: BaseException) -> int | None:
    # Jinja rewrites tracebacks so template frames carry the template's own line numbers; a
    # budget error raised from a signal handler knows the line it interrupted.
    line = getattr(exc, "template_lineno", None)
    if line is not None:
        return line
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _tag_on_line(source: str, lineno: int | None) -> str:
    lines = source.split("\n")
    if lineno is None or not 1 <= lineno <= len(lines):
        tags = _TAG.findall(source)
        return _visible(tags[0]) if len(tags) == 1 else ""
    # A tag may span lines; search from the start of the failing line onwards.
    start = sum(len(line) + 1 for line in lines[: lineno - 1])
    match = _TAG.search(source, start)
    if match is None:
        match = _TAG.search(lines[lineno - 1])
    return _visible(match.group(0)) if match else ""


def _visible(tag: str) -> str:
    # A comment holding a tag stands for that tag as the author wrote it ({%p ...%}, {%tr ...%}).
    if tag.startswith("{#") and _TAG.fullmatch(tag[2:-2]):
        tag = tag[2:-2]
    return clean_text(tag).replace("\n", " ")


def _undefined_name(message: str, tag: str) -> str:
    undefined = re.match(r"'(.+)' is undefined", message)
    if undefined:
        return f"'{undefined.group(1)}'"
    attribute = re.search(r"has no (?:attribute|element) '?([^']+?)'?$", message)
    if attribute:
        name = attribute.group(1)
        dotted = re.search(rf"([A-Za-z_][\w.]*)\.{re.escape(name)}\b", tag)
        return f"'{dotted.group(0)}'" if dotted else f"'{name}'"
    return f"({message})"
