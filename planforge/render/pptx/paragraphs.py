"""Render the tags of a text body: ``{{ }}`` in runs, ``{%p %}`` paragraphs that loop or drop.

A text body becomes one Jinja source: every paragraph and run is announced by a marker made of
characters XML forbids (so neither template text nor printed values can contain one), each tag
sits on its own source line (so an error names its tag), and ``{%p ... %}`` paragraphs become
plain ``{% ... %}`` statements. The rendered output is read back marker by marker: each paragraph
or run marker copies its source element (and so its formatting), and the text that follows
fills the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from copy import deepcopy

from lxml import etree

from planforge.render.pptx.runs import TAG, merge_split_tags, paragraph_text, qn, set_run_text

Render = Callable[[str], str]

_NL = "\x03\n"  # puts each tag on its own source line; removed from the output
_MARK = re.compile("\x01([a-z])(\\d+)\x02")
_P_TAG = re.compile(r"\{%(-?)p\s(.*?)(-?)%\}", re.S)
_CONTENT = {qn("r"), qn("br"), qn("fld"), qn("endParaRPr")}


def mark(kind: str, index: int) -> str:
    """Return the marker announcing source element *index* of *kind* (p, r, b, f, t, c)."""
    return f"\x01{kind}{index}\x02"


def statements(pattern: re.Pattern[str], text: str) -> str:
    """Turn every docxtpl ``{%x ... %}`` tag of *text* into a plain Jinja statement."""
    # The original tag rides along in a comment so an error can quote it as the author wrote it.
    return "".join(
        f"{_NL}{{#{m.group(0)}#}}{{%{m.group(1)} {m.group(2).strip()} {m.group(3)}%}}"
        for m in pattern.finditer(text)
    )


def encode_paragraphs(paragraphs: list[etree._Element]) -> str:
    """Return the Jinja source for *paragraphs* (merging split tags first)."""
    out: list[str] = []
    for i, p in enumerate(paragraphs):
        merge_split_tags(p)
        text = paragraph_text(p)
        if _P_TAG.search(text):
            out.append(statements(_P_TAG, text))
            continue
        out.append(mark("p", i))
        for j, child in enumerate(p):
            if child.tag == qn("r"):
                t = child.find(qn("t"))
                out.append(
                    mark("r", j)
                    + TAG.sub(lambda m: _NL + m.group(0), (t.text or "") if t is not None else "")
                )
            elif child.tag == qn("br"):
                out.append(mark("b", j))
            elif child.tag == qn("fld"):
                out.append(mark("f", j))
    return "".join(out)


def tokens(output: str) -> Iterator[tuple[str, int | str]]:
    """Yield ``(kind, index)`` for each marker of rendered *output* and ``("", text)`` between."""
    output = output.replace(_NL, "").replace("\x03", "")
    parts = _MARK.split(output)
    for k in range(0, len(parts), 3):
        if parts[k]:
            yield "", parts[k]
        if k + 2 < len(parts):
            yield parts[k + 1], int(parts[k + 2])


class BodyBuilder:
    """Rebuild paragraphs from rendered tokens, copying formatting from the source paragraphs."""

    def __init__(self, source: list[etree._Element]):
        self.source = source
        self.paragraphs: list[etree._Element] = []
        self._src_p: etree._Element | None = None
        self._p: etree._Element | None = None
        self._run: etree._Element | None = None
        self._text: list[str] = []

    def feed(self, kind: str, value: int | str) -> None:
        """Take one token: a marker (p, r, b, f) or a piece of text."""
        if kind == "":
            self._add_text(str(value))
        elif kind == "p":
            self._end_paragraph()
            self._src_p = self.source[int(value)]
            self._p = deepcopy(self._src_p)
            for child in list(self._p):
                if child.tag in _CONTENT:
                    self._p.remove(child)
            self.paragraphs.append(self._p)
        elif self._p is not None and self._src_p is not None:
            self._end_run()
            element = deepcopy(self._src_p[int(value)])
            self._p.append(element)
            if kind == "r":
                self._run = element
                self._text = []

    def finish(self) -> list[etree._Element]:
        """Return the rebuilt paragraphs."""
        self._end_paragraph()
        return self.paragraphs

    def _add_text(self, text: str) -> None:
        if self._run is None:
            # Text between paragraphs is the whitespace around control tags.
            if text.strip() and self._p is not None:
                run = etree.SubElement(self._p, qn("r"))
                self._run, self._text = run, []
            else:
                return
        self._text.append(text)

    def _end_run(self) -> None:
        run, self._run = self._run, None
        if run is None:
            return
        text = "".join(self._text).replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        if not text:
            run.getparent().remove(run)
            return
        set_run_text(run, lines[0])
        anchor = run
        rpr = run.find(qn("rPr"))
        for line in lines[1:]:
            br = etree.Element(qn("br"))
            if rpr is not None:
                br.append(deepcopy(rpr))
            anchor.addnext(br)
            anchor = br
            if line:
                piece = deepcopy(run)
                set_run_text(piece, line)
                anchor.addnext(piece)
                anchor = piece
        if not lines[0]:
            run.getparent().remove(run)

    def _end_paragraph(self) -> None:
        self._end_run()
        p, src = self._p, self._src_p
        if p is None or src is None:
            return
        # A value ending in a newline must not leave an empty last line.
        while len(p) and p[-1].tag == qn("br"):
            p.remove(p[-1])
        end = src.find(qn("endParaRPr"))
        if end is not None:
            p.append(deepcopy(end))
        self._p = self._src_p = None


def render_body(body: etree._Element, render: Render, source: str | None = None) -> bool:
    """Render the tags of an ``a:txBody`` (or ``p:txBody``) in place; return whether it had any.

    *source* is the body's ``encode_paragraphs``, when it was compiled before (of this body or
    of the template body it is a copy of).
    """
    paragraphs = body.findall(qn("p"))
    if source is None:
        if not has_tags(body):
            return False
        source = encode_paragraphs(paragraphs)
    builder = BodyBuilder(paragraphs)
    for kind, value in tokens(render(source)):
        builder.feed(kind, value)
    replace_paragraphs(body, paragraphs, builder.finish())
    return True


def has_tags(element: etree._Element) -> bool:
    """Return whether any text under *element* could hold a template tag."""
    text = "".join(t.text or "" for t in element.iter(qn("t")))
    return "{{" in text or "{%" in text or "{#" in text


def replace_paragraphs(
    body: etree._Element, old: list[etree._Element], new: list[etree._Element]
) -> None:
    """Swap *old* paragraphs of *body* for *new* ones, keeping one empty paragraph at least."""
    if not new and old:
        empty = deepcopy(old[0])
        for child in list(empty):
            if child.tag in (qn("r"), qn("br"), qn("fld")):
                empty.remove(child)
        new = [empty]
    anchor = old[0] if old else None
    for p in new:
        if anchor is not None:
            anchor.addprevious(p)
        else:
            body.append(p)
    for p in old:
        body.remove(p)
