"""Say which spec field lost text when the deck had to cut it (rule PF300), and where.

The deck's text fitting (``planforge.render.pptx.fit``) shrinks text that does not fit its box
and, as a last resort, cuts it with an ellipsis. It knows the slide and the shape, not the spec;
here the paragraphs it cut are looked up among the spec's texts, so the warning points at the
spec line (``swot.strengths[8]``) and names the built slide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from planforge.errors import Problem
from planforge.i18n import _
from planforge.loader import Spec
from planforge.model.sections import text as reflow
from planforge.render.pptx.fit import Cut

CODE = "PF300"


def _texts(data, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, path + (i,))
    elif isinstance(data, str):
        shown = reflow(data)
        if shown:
            yield path, shown


def _field(path: tuple) -> str:
    return ".".join(str(p) for p in path if not isinstance(p, int))


def _where(spec: Spec | None, lost: tuple[str, ...]) -> tuple | None:
    """The spec path of the first cut paragraph that prints a spec text (longest match)."""
    if spec is None:
        return None
    texts = list(_texts(spec.data))
    for paragraph in lost:
        para = paragraph.strip().rstrip("…")
        best = None
        for path, shown in texts:
            if shown == para or (len(shown) >= 4 and shown in para):
                if best is None or len(shown) > len(best[1]):
                    best = (path, shown)
        if best is not None:
            return best[0]
    return None


def cut_problems(spec: Spec | None, template: Path, notes: list[str]) -> list[Problem]:
    """PF300 warnings for the cuts among a deck render's ``notes``."""
    problems = []
    for note in notes:
        if not isinstance(note, Cut):
            continue
        snippet = next((t.strip() for t in note.lost if t.strip()), "")
        if len(snippet) > 24:
            snippet = snippet[:24] + "…"
        path = _where(spec, note.lost)
        if path is not None and spec is not None:
            message = _("{field}: text cut on slide {slide} of the deck: '{text}' does not fit "
                        "its box (the box shows {kept} of its {total} characters, the rest is "
                        "replaced by …); shorten the text or list fewer items").format(
                field=_field(path), slide=note.slide, text=snippet, kept=note.kept,
                total=note.total)
            problems.append(spec.problem(path, message, severity="warning", code=CODE))
        else:
            problems.append(Problem(str(template), 0, 0, "",
                                    _("text cut: {note}").format(note=note), "warning",
                                    code=CODE))
    return problems
