"""Keep words whole in table columns: how wide a column's widest word is, and how to share a
table's width so that every column holds its widest word.

LibreOffice and Word break a word inside when it is wider than its column ("Quarte|r"). A
column must be at least as wide as its widest unbreakable piece of text (a word, a number, one
CJK character, which may wrap anywhere), plus the cell's padding. Text boxes are sized
with an average width per character (:func:`char_em`, used by :mod:`planforge.render.pptx.fit`:
a wide character 1 em, any other 0.55 em), which is right for running text but not for one
word, which must fit whole: "Unknown" is 4.6 em, not 3.9. So a word is measured letter by
letter, regular or bold, with the widths of DejaVu Sans, the widest of the sans serif faces
LibreOffice falls back on for Arial (narrower faces fit all the more), and 3% kept spare.
"""

from __future__ import annotations

import unicodedata
from typing import Callable, Iterable, Sequence


# Widths of the printable ASCII characters (! to ~) in thousandths of an em, regular and bold.
_ASCII = (
    "401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 "
    "636 636 636 636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 "
    "295 295 656 557 863 748 787 603 787 695 635 611 732 684 989 685 611 685 390 337 "
    "390 838 500 500 613 635 550 635 615 352 635 634 278 278 579 278 974 634 612 635 "
    "635 411 521 392 634 592 818 592 592 525 636 337 636 838"
)
_ASCII_BOLD = (
    "456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 "
    "696 696 696 696 696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 "
    "372 372 775 637 995 837 850 733 850 770 720 682 812 774 1103 771 724 725 457 365 "
    "457 838 500 500 675 716 593 716 678 435 716 712 343 343 665 343 1042 712 687 716 "
    "716 493 595 478 712 652 924 645 652 582 712 365 712 838"
)
_REGULAR_EM = {chr(33 + i): int(w) / 1000 for i, w in enumerate(_ASCII.split())}
_BOLD_EM = {chr(33 + i): int(w) / 1000 for i, w in enumerate(_ASCII_BOLD.split())}
_OTHER_EM = 0.64  # a narrow character beyond ASCII (¥, é, ·): about a digit
_CAPITAL_EM = 0.75  # a capital beyond ASCII
_BOLD = 1.12  # bold beyond ASCII
_SPARE = 1.03
#: The one step a table's font shrinks by when its words cannot all fit at its own size.
SHRINK = 0.9
#: Breaks come after these when a letter follows (mid-|autumn, a/|b), not before a digit (10-20).
_BREAK_AFTER = "-/\u2013\u2014"

Char = tuple[str, float, bool]  # a character, its size in points, whether it is bold


def char_em(ch: str) -> float:
    """Return the estimated width of *ch* in em (the estimate fit.py sizes text boxes by)."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55


def _em(ch: str, bold: bool) -> float:
    table = _BOLD_EM if bold else _REGULAR_EM
    if ch in table:
        return table[ch]
    if _wide(ch):
        return 1.0
    return (_CAPITAL_EM if ch.isupper() else _OTHER_EM) * (_BOLD if bold else 1.0)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _ideograph(ch: str) -> bool:
    """A wide letter (Han, kana, Hangul): a line may break before and after it."""
    return _wide(ch) and unicodedata.category(ch) == "Lo"


def pieces(chars: Sequence[Char]) -> list[list[Char]]:
    """Split *chars* into the pieces a line cannot break inside (a newline is a hard break)."""
    out: list[list[Char]] = []
    current: list[Char] = []

    def flush() -> None:
        if current:
            out.append(current.copy())
            current.clear()

    for i, item in enumerate(chars):
        ch = item[0]
        if ch.isspace():
            flush()
            continue
        if _ideograph(ch):
            flush()
            out.append([item])
            continue
        current.append(item)
        following = chars[i + 1][0] if i + 1 < len(chars) else ""
        if ch in _BREAK_AFTER and following.isalpha():
            flush()
    flush()
    return out


def piece_width_pt(piece: Iterable[Char], scale: float = 1.0) -> float:
    """The estimated width in points of an unbreakable piece at *scale* times its sizes."""
    return sum(_em(ch, bold) * size * scale for ch, size, bold in piece) * _SPARE


def widest_pt(chars: Sequence[Char], scale: float = 1.0) -> float:
    """The width in points of the widest unbreakable piece of *chars* (0 for no text)."""
    return max((piece_width_pt(p, scale) for p in pieces(chars)), default=0.0)


def grid_needs(widths: Sequence[int], needs: Sequence[float]) -> list[float]:
    """Columns the template made equal, three or more of them (a timeline's months, a grid),
    stay equal: each needs what the most demanding of them needs."""
    out = list(needs)
    for width in set(widths):
        group = [i for i, w in enumerate(widths) if w == width]
        if len(group) >= 3:
            top = max(needs[i] for i in group)
            for i in group:
                out[i] = top
    return out


def balance(widths: Sequence[int], needs: Sequence[float]) -> list[int] | None:
    """Share the total of *widths* so that each column is at least its need.

    Columns narrower than their need widen to it; the width comes from the columns with slack,
    each giving in proportion to its slack (so none drops below its own need). The total stays
    the same, to the unit. Widths come back unchanged when every column holds its need, and
    None when the needs add up to more than the total.
    """
    total = sum(widths)
    short = [i for i, (w, n) in enumerate(zip(widths, needs)) if w < n]
    if not short:
        return list(widths)
    if sum(needs) > total:
        return None
    deficit = sum(needs[i] - widths[i] for i in short)
    slack = {i: widths[i] - needs[i] for i in range(len(widths)) if i not in short}
    room = sum(slack.values())
    out = []
    for i, width in enumerate(widths):
        if i in slack:
            out.append(int(width - deficit * slack[i] / room) if room else width)
        else:
            out.append(int(-(-needs[i] // 1)))  # rounded up to the unit
    _settle(out, total, [out[i] - needs[i] for i in range(len(out))])
    return out


def _settle(out: list[int], total: int, room: Sequence[float]) -> None:
    """Give the units rounding left over (or take those it gave too many) to the roomiest
    column."""
    out[max(range(len(out)), key=lambda i: room[i])] += total - sum(out)


def helped(widths: Sequence[int], needs: Sequence[float]) -> list[int]:
    """Share the total of *widths* when not every column can have its need: the columns
    missing most (with the others of their grid) are given up on and keep their width, until
    the rest can all have theirs. No width goes where it cannot keep a word whole."""
    wants = list(needs)
    while True:
        got = balance(widths, wants)
        if got is not None:
            return got
        short = [i for i in range(len(widths)) if wants[i] > widths[i]]
        worst = max(short, key=lambda i: wants[i] - widths[i])
        grid = (widths[worst], wants[worst])
        for i in short:
            if (widths[i], wants[i]) == grid:
                wants[i] = widths[i]


def fit_widths(
    widths: Sequence[int], need: Callable[[float], Sequence[float]]
) -> tuple[list[int], float]:
    """Column widths that hold every column's widest word, and the font scale they need.

    *need(scale)* gives each column's need (widest word plus padding, in the units of
    *widths*) at *scale* times the table's font sizes. The table keeps its size when its words
    fit, else shrinks one step (:data:`SHRINK`); when they fit at neither, it keeps its size
    and the columns that can be helped are (:func:`helped`).
    """
    for scale in (1.0, SHRINK):
        got = balance(widths, grid_needs(widths, need(scale)))
        if got is not None:
            return got, scale
    return helped(widths, grid_needs(widths, need(1.0))), 1.0
