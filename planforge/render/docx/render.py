"""Render the plan's Word template with docxtpl in planforge's sandboxed, strict environment."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from planforge.caches import read_blob, remember, write_blob
from planforge.i18n import _
from planforge.errors import AssetError, PlanforgeError, TemplateError
from planforge.render.docx.objects import DROP_MARKER, DocxObjects
from planforge.render.docx.roundtrip import keep_page_breaks
from planforge.render.docx.tables import fit_tables
from planforge.render.docx.toc import fill_toc
from planforge.render import budget
from planforge.render.budget import RenderBudgetError
from planforge.render.env import template_error
from planforge.render.jinja_cache import module_digest
from planforge.render.package import docx_bytes, release

PLAN_FILE = "plan.docx"
_XML_TAG = re.compile(r"<[^>]+>")
# docxtpl's cleaned-up XML, by the XML it came from.
_PATCHED: OrderedDict[str, str] = remember(OrderedDict())
_PATCHED_MAX = 16
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as in resolve_listing
_LISTING = re.compile("[\t\a\n\f]")
# The patching code's version: docxtpl's template module's text (hashed).
_PATCH_VERSION = module_digest("docxtpl.template")


class _PlanTemplate(DocxTemplate):
    """docxtpl's template, cleaning up each distinct part XML once per process."""

    def patch_xml(self, src_xml: str) -> str:
        # patch_xml is a pure function of its text (dozens of regexes over the whole body), and
        # the text is the template's: the same for every spec. Kept per process and on disk.
        patched = _PATCHED.get(src_xml)
        if patched is not None:
            _PATCHED.move_to_end(src_xml)
            return patched
        name = f"docxtpl-{_PATCH_VERSION}-{hashlib.sha256(src_xml.encode()).hexdigest()}.xml"
        stored = read_blob(name)
        if stored is not None:
            patched = stored.decode("utf-8")
        else:
            patched = super().patch_xml(src_xml)
            write_blob(name, patched.encode("utf-8"))
        _PATCHED[src_xml] = patched
        if len(_PATCHED) > _PATCHED_MAX:
            _PATCHED.popitem(last=False)
        return patched

    def resolve_listing(self, xml: str) -> str:
        # docxtpl turns tabs, newlines and the like in printed text into Word markup, running
        # nested regexes over every paragraph. Paragraphs without such characters come out
        # unchanged, so only the others go through it (the same paragraph matches as docxtpl's).
        def paragraph(match: re.Match[str]) -> str:
            text = match.group(0)
            return super(_PlanTemplate, self).resolve_listing(text) \
                if _LISTING.search(text) else text

        return _PARAGRAPH.sub(paragraph, xml) if _LISTING.search(xml) else xml

    def map_tree(self, tree: Any) -> None:
        # docxtpl swaps the rendered body in for the template's. Emptied first, the old body is
        # freed outright; moved out whole, lxml first re-homes the namespaces of all its nodes.
        body = self.docx._element.body
        body.clear()
        self.docx._element.replace(body, tree)


# Template digest -> the Jinja source of each of its parts (docxtpl's compiled form).
_PARTS: OrderedDict[bytes, list[tuple[str, str]]] = remember(OrderedDict())


def compiled_parts(template: Path, label: str | None = None) -> list[tuple[str, str]]:
    """Return each part of the Word template (body, headers, footers) and its Jinja source.

    The source is what docxtpl compiles when it renders that part: its XML cleaned up by
    ``patch_xml`` (cached, as for the render) with every paragraph on its own line.
    """
    label = label or str(template)
    try:
        data = Path(template).read_bytes()
    except OSError as exc:
        raise TemplateError(_("{where}: not a Word .docx template ({reason})").format(
            where=label, reason=exc)) from None
    key = hashlib.sha256(data).digest()
    found = _PARTS.get(key)
    if found is not None:
        _PARTS.move_to_end(key)
        return found
    try:
        tpl = _PlanTemplate(str(template))
        tpl.init_docx()
    except Exception as exc:  # a corrupt or non-Word file: python-docx raises assorted errors
        raise TemplateError(_("{where}: not a Word .docx template ({reason})").format(
            where=label, reason=exc)) from None
    parts = [("body", tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        parts += [(str(part.partname).rsplit("/", 1)[-1], tpl.get_part_xml(part))
                  for _, part in tpl.get_headers_footers(uri)]
    found = [(name, re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml)))
             for name, xml in parts]
    _PARTS[key] = found
    if len(_PARTS) > _PATCHED_MAX:
        _PARTS.popitem(last=False)
    return found


def render_plan(context: dict, pack_dir: Path, env: jinja2.Environment,
                base_dir: Path) -> tuple[bytes, list[str]]:
    """Render the pack's plan template with *context*; return the .docx bytes and render notes.

    *pack_dir* is the pack folder (its ``plan.docx`` is used) or the template file itself.
    *env* must be planforge's sandboxed, strict environment; images are resolved from *base_dir*.
    """
    template = Path(pack_dir)
    if template.is_dir():
        template = template / PLAN_FILE
    if not template.is_file():
        raise TemplateError(_("{template}: the pack has no plan template").format(
            template=template))
    try:
        tpl = _PlanTemplate(str(template))
        tpl.init_docx()
    except Exception as exc:  # a corrupt or non-Word file: python-docx raises assorted errors
        raise TemplateError(_("{where}: not a Word .docx template ({reason})").format(
            where=template, reason=exc)) from None
    keep_page_breaks(tpl.docx.element.body)  # a LibreOffice re-save puts them on {%p %} lines
    objects = DocxObjects(tpl, Path(base_dir), context.get("theme"), pack_dir=template.parent)
    # An overlay keeps the caller's sandbox, undefined and finalize, and leaves its filters alone.
    render_env = env.overlay()
    render_env.filters = {**env.filters, **objects.filters()}
    with budget.document_budget(str(template)):
        try:
            tpl.render(context, jinja_env=render_env, autoescape=True)
        except RenderBudgetError as exc:
            if exc.located:
                raise
            raise budget.located(_wrap(exc, tpl, template)) from None
        except AssetError as exc:  # the picture filter: say which paragraph asked for the image
            where, _line, _col = _location(exc, tpl, template)
            raise AssetError(f"{where}: {exc.message}") from None
        except PlanforgeError:
            raise
        except Exception as exc:  # template code raises anything: undefined names, filters, ...
            raise _wrap(exc, tpl, template) from exc
    doc = tpl.docx
    _drop_marked(doc.element.body)
    fit_tables(doc.element.body, doc.styles.element)
    fill_toc(doc)
    data = docx_bytes(doc)
    release(doc.part.package)
    return data, objects.notes


def _drop_marked(body: Any) -> None:
    """Delete the paragraphs a filter marked for removal (charts without data)."""
    for para in list(body.iter(qn("w:p"))):
        if any(DROP_MARKER in (t.text or "") for t in para.iter(qn("w:t"))):
            para.getparent().remove(para)


def _failing_source(tpl: DocxTemplate) -> tuple[str, str]:
    """Return the Jinja source docxtpl was rendering when it failed, and which part it was."""
    part = tpl.current_rendering_part
    if part is None or part is tpl.docx.part:
        xml, where = tpl.patch_xml(tpl.get_xml()), "body"
    else:
        xml, where = tpl.patch_xml(tpl.get_part_xml(part)), str(part.partname).rsplit("/", 1)[-1]
    # docxtpl puts every paragraph on its own line before compiling; line numbers follow that.
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml), where


def _template_line(exc: BaseException) -> int | None:
    line = getattr(exc, "lineno", None)
    if getattr(exc, "template_lineno", None) is not None:  # a budget error knows its line
        return exc.template_lineno  # type: ignore[attr-defined]
    tb = exc.__traceback__
    while tb is not None:  # Jinja maps template frames to the template's own line numbers
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _paragraph_text(source: str, lineno: int | None, exc: BaseException) -> str:
    lines = source.split("\n")
    if lineno and 1 <= lineno <= len(lines):
        return _XML_TAG.sub("", lines[lineno - 1]).strip()
    # No line: find the paragraph that mentions the undefined name.
    name = re.search(r"'([^']+)'(?: is undefined)?$", str(exc))
    if name:
        for line in lines:
            text = _XML_TAG.sub("", line)
            if ("{{" in text or "{%" in text) and name.group(1) in text:
                return text.strip()
    return ""


def _location(exc: BaseException, tpl: DocxTemplate, template: Path) -> tuple[str, str, int | None]:
    """Name the part and paragraph *exc* was raised in; also return the source and line."""
    source, part = _failing_source(tpl)
    lineno = _template_line(exc)
    paragraph = _paragraph_text(source, lineno, exc)
    where = f"{template} ({part})"
    if paragraph:
        shown = paragraph if len(paragraph) <= 120 else paragraph[:117] + "..."
        where += _(", paragraph \u201c{text}\u201d").format(text=shown)
    return where, source, lineno


def _wrap(exc: BaseException, tpl: DocxTemplate, template: Path) -> TemplateError:
    where, source, lineno = _location(exc, tpl, template)
    return template_error(exc, source, where, lineno, _failing_tag(source, lineno, exc))


def _failing_tag(source: str, lineno: int | None, exc: BaseException) -> str | None:
    """Pick, among the tags of the failing line, the one naming what was undefined."""
    lines = source.split("\n")
    if not lineno or not 1 <= lineno <= len(lines):
        return None
    tags = re.findall(r"\{\{.*?\}\}|\{%.*?%\}", _XML_TAG.sub("", lines[lineno - 1]))
    name = re.search(r"'([^']+)'(?: is undefined)?$", str(exc))
    for tag in tags:
        if name and re.search(r"\b%s\b" % re.escape(name.group(1)), tag):
            return tag
    return tags[0] if len(tags) == 1 else None
