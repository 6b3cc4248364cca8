"""Merge template tags that PowerPoint split across runs, and tidy their quotes."""

from __future__ import annotations

import bisect
import re

from lxml import etree

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u00a0": " ",
        "\u3000": " ",
    }
)


def qn(tag: str) -> str:
    """Return the Clark name of a DrawingML ``a:`` tag."""
    return f"{{{A}}}{tag}"


def run_text(run: etree._Element) -> str:
    """Return the text of an ``a:r`` element."""
    t = run.find(qn("t"))
    return (t.text or "") if t is not None else ""


def set_run_text(run: etree._Element, text: str) -> None:
    """Set the text of an ``a:r`` element, adding its ``a:t`` when missing."""
    t = run.find(qn("t"))
    if t is None:
        t = etree.SubElement(run, qn("t"))
    t.text = text


def paragraph_text(p: etree._Element) -> str:
    """Return the text of an ``a:p``, with line breaks as newlines."""
    parts = []
    for child in p:
        if child.tag == qn("r") or child.tag == qn("fld"):
            parts.append(run_text(child))
        elif child.tag == qn("br"):
            parts.append("\n")
    return "".join(parts)


def merge_split_tags(p: etree._Element) -> None:
    """Move every tag of paragraph *p* into the run where it starts; that run's format wins."""
    segment: list[etree._Element] = []
    for child in list(p):
        if child.tag == qn("r"):
            segment.append(child)
        else:
            _merge_segment(segment)
            segment = []
    _merge_segment(segment)


def _merge_segment(runs: list[etree._Element]) -> None:
    if not runs:
        return
    texts = [run_text(r) for r in runs]
    full = "".join(texts)
    if "{" not in full:
        return
    matches = list(TAG.finditer(full))
    ends, total = [], 0
    for text in texts:
        total += len(text)
        ends.append(total)
    if all(_run_at(ends, m.start()) == _run_at(ends, m.end() - 1) for m in matches):
        # Every tag already sits in one run (the usual case, and always the second time): only
        # the quotes inside tags are tidied, which is what the general case below comes to.
        for run, old in zip(runs, texts):
            text = TAG.sub(_tidy, old)
            if text != old:
                set_run_text(run, text)
        return
    owner = [i for i, text in enumerate(texts) for _ in text]
    for match in matches:
        first = owner[match.start()]
        for k in range(match.start(), match.end()):
            owner[k] = first
    pieces: list[list[str]] = [[] for _ in runs]
    for ch, i in zip(full, owner):
        pieces[i].append(ch)
    for run, old, new in zip(runs, texts, pieces):
        text = TAG.sub(_tidy, "".join(new))
        if old and not text:
            run.getparent().remove(run)
        elif text != old:
            set_run_text(run, text)


def _tidy(match: re.Match[str]) -> str:
    return match.group(0).translate(_QUOTES)


def _run_at(ends: list[int], offset: int) -> int:
    """Return the index of the run holding character *offset*, given each run's end offset."""
    return bisect.bisect_right(ends, offset)
