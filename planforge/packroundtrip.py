"""What ``templates check`` says about a deck LibreOffice saved: the theme it turned into values.

A LibreOffice save writes each theme colour and theme font of the deck's texts as a fixed value
(``a:srgbClr`` for ``a:schemeClr``, ``Arial`` for ``+mn-lt``) and replaces the theme's font
scheme with fonts of its own. What ``planforge.render.pptx.roundtrip`` cannot undo is reported
here, each finding with the file, the slide and shape, what was lost and how to get it back:

* **warnings** (the built deck looks the same): colours and fonts now fixed to values equal to
  the theme's; the theme fonts no longer those of ``pack.yaml`` while no text uses them. A
  consultant who changes the theme later would find those texts unchanged.
* **problems** (the built deck looks different, exit 1): a text that still uses a theme font
  when the theme's font is no longer the one ``pack.yaml`` gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from planforge.i18n import _, ngettext
from planforge.packs import Pack

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_SLOTS = (
    "dk1",
    "lt1",
    "dk2",
    "lt2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)
_THEME_FONT = re.compile(r"^\+(mn|mj)-(lt|ea)$")


@dataclass
class Findings:
    """What a LibreOffice save changed that the build cannot undo."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def roundtrip_findings(pack: Pack) -> Findings:
    """The theme colours and fonts a LibreOffice save fixed in the pack's deck (else nothing)."""
    from planforge.packrt import saved_by

    found = Findings()
    if "libreoffice" not in saved_by(pack.deck_template).lower():
        return found
    try:
        from pptx import Presentation

        prs = Presentation(str(pack.deck_template))
        theme = _theme(prs)
    except Exception:  # an unreadable deck is reported by the tag lint
        return found
    name = f"{pack.root.name}/{pack.deck_template.name}"
    colours, fonts, uses = _fixed(prs, theme)
    if colours:
        first = colours[0]
        found.warnings.append(
            ngettext(
                "{file}: LibreOffice wrote the theme colours of the texts and shapes on {count} "
                "slide as fixed colours (first: slide {number}, shape '{shape}': {value}, the "
                "theme's {slot}); the deck looks the same, but changing the theme colours will not "
                "recolour them: pick the theme colours again in PowerPoint or WPS, or restyle a "
                "copy of the pack you started from",
                "{file}: LibreOffice wrote the theme colours of the texts and shapes on {count} "
                "slides as fixed colours (first: slide {number}, shape '{shape}': {value}, the "
                "theme's {slot}); the deck looks the same, but changing the theme colours will not "
                "recolour them: pick the theme colours again in PowerPoint or WPS, or restyle a "
                "copy of the pack you started from",
                len({c[0] for c in colours}),
            ).format(
                file=name,
                count=len({c[0] for c in colours}),
                number=first[0],
                shape=first[1],
                value=first[2],
                slot=first[3],
            )
        )
    if fonts:
        first = fonts[0]
        found.warnings.append(
            ngettext(
                "{file}: LibreOffice wrote the theme fonts of the texts on {count} slide as fixed "
                "fonts (first: slide {number}, shape '{shape}': {value}); the deck looks the same, "
                "but changing the theme fonts will not change them: set the texts to the theme "
                "fonts (+Headings, +Body) again in PowerPoint or WPS",
                "{file}: LibreOffice wrote the theme fonts of the texts on {count} slides as fixed "
                "fonts (first: slide {number}, shape '{shape}': {value}); the deck looks the same, "
                "but changing the theme fonts will not change them: set the texts to the theme "
                "fonts (+Headings, +Body) again in PowerPoint or WPS",
                len({f[0] for f in fonts}),
            ).format(
                file=name,
                count=len({f[0] for f in fonts}),
                number=first[0],
                shape=first[1],
                value=first[2],
            )
        )
    _font_scheme(pack, name, theme, uses, found)
    return found


def _theme(prs: Any) -> dict[str, Any]:
    """The colours (slot -> RRGGBB) and fonts ("mn-lt" -> typeface) of the deck's theme."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    master = prs.slide_masters[0].part
    part = master.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    colours = {}
    for slot in _SLOTS:
        node = root.find(f".//{_A}clrScheme/{_A}{slot}")
        value = _colour_value(node[0]) if node is not None and len(node) else None
        if value:
            colours[slot] = value
    fonts = {}
    for kind, tag in (("mj", "majorFont"), ("mn", "minorFont")):
        for script in ("latin", "ea"):
            node = root.find(f".//{_A}fontScheme/{_A}{tag}/{_A}{script}")
            if node is not None:
                fonts[f"{kind}-{'lt' if script == 'latin' else 'ea'}"] = node.get("typeface", "")
    return {"colours": colours, "fonts": fonts}


def _colour_value(node: Any) -> str | None:
    if node.tag == f"{_A}srgbClr":
        return (node.get("val") or "").upper() or None
    if node.tag == f"{_A}sysClr":
        return (node.get("lastClr") or "").upper() or None
    return None


def _fixed(prs: Any, theme: dict) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Fixed colours equal to a theme colour, fixed fonts equal to a theme font, and texts that
    still use a theme font: (slide number, shape name, value[, slot]) each, in slide order."""
    by_value: dict[str, str] = {}
    for slot, value in theme["colours"].items():
        by_value.setdefault(value, slot)
    theme_fonts = {f for f in theme["fonts"].values() if f}
    colours: list[tuple] = []
    fonts: list[tuple] = []
    uses: list[tuple] = []
    for number, slide in enumerate(prs.slides, start=1):
        for sp in slide._element.cSld.spTree.iter(f"{_P}sp", f"{_P}graphicFrame", f"{_P}cxnSp"):
            name = sp.find(f".//{_P}cNvPr")
            shape = name.get("name", "") if name is not None else ""
            if shape.startswith("gantt:"):
                uses.append((number, shape, "+mn-lt"))  # its boxes take the theme's body font
            for node in sp.iter(f"{_A}srgbClr"):
                slot = by_value.get((node.get("val") or "").upper())
                if slot and len(colours) < 10_000:
                    colours.append((number, shape, (node.get("val") or "").upper(), slot))
            for node in sp.iter(f"{_A}latin", f"{_A}ea"):
                if node.getparent().tag == f"{_A}endParaRPr":
                    continue  # the mark ending a paragraph prints nothing
                face = node.get("typeface") or ""
                theme_ref = _THEME_FONT.match(face)
                if theme_ref:
                    uses.append((number, shape, face))
                elif face in theme_fonts:
                    fonts.append((number, shape, face))
    return colours, fonts, uses


def _font_scheme(pack: Pack, name: str, theme: dict, uses: list[tuple], found: Findings) -> None:
    """Compare the theme's fonts with those ``pack.yaml`` gives (``theme.fonts``)."""
    wanted = pack.theme.get("fonts") if isinstance(pack.theme.get("fonts"), dict) else {}
    expected = {"lt": str(wanted.get("latin") or ""), "ea": str(wanted.get("east_asian") or "")}
    wrong = {}
    for key, face in theme["fonts"].items():
        want = expected[key.split("-")[1]]
        if want and face != want:
            wrong[key] = (face, want)
    if not wrong:
        return
    shown = ", ".join(
        sorted(
            {
                _("'{face}' (pack.yaml: '{want}')").format(face=face, want=want)
                for face, want in wrong.values()
            }
        )
    )
    hit = next((u for u in uses if u[2][1:] in wrong), None)
    if hit is not None:
        found.problems.append(
            _(
                "{file}: slide {number}, shape '{shape}': the text uses the theme font {tag}, and "
                "LibreOffice replaced the theme's fonts with {fonts}, so it prints in another font; "
                "in PowerPoint or WPS set the theme fonts again (Design › Variants › Fonts › "
                "Customize), or give the text the font by name"
            ).format(file=name, number=hit[0], shape=hit[1], tag=hit[2], fonts=shown)
        )
    else:
        found.warnings.append(
            _(
                "{file}: theme: LibreOffice replaced the theme's fonts with {fonts}; no text of the "
                "deck uses them, so it looks the same, but a text box added later will; in "
                "PowerPoint or WPS set the theme fonts again (Design › Variants › Fonts › "
                "Customize)"
            ).format(file=name, fonts=shown)
        )
