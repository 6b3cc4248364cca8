"""Render the Tmall application deck: a pack's ``deck.pptx`` filled from the render context."""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from planforge.i18n import _
from planforge.errors import TemplateError
from planforge.render.budget import document_budget
from planforge.render.pptx import render_pptx

DECK_FILE = "deck.pptx"


def deck_template(pack: Path) -> Path:
    """Return the deck template of *pack*: its folder's ``deck.pptx``, or *pack* if a file."""
    pack = Path(pack)
    return pack / DECK_FILE if pack.is_dir() else pack


def render_deck(
    context: Mapping[str, Any], pack_dir: Path, env: jinja2.Environment
) -> tuple[bytes, list[str]]:
    """Render the pack's deck template with *context*; return the .pptx bytes and warnings.

    *pack_dir* is the pack folder (its ``deck.pptx`` is used) or the template file itself.
    Images are resolved inside the spec's folder (``context["base_dir"]``) or the pack's folder,
    never outside them (``planforge.render.assets``).
    """
    template = deck_template(pack_dir)
    if not template.is_file():
        raise TemplateError(_("{template}: the template pack has no deck template").format(
            template=template))
    base_dir = context.get("base_dir")
    where = f"{template.parent.name}/{template.name}"
    with document_budget(where):
        result = render_pptx(
            template, context, env,
            where=where,
            base_dir=Path(base_dir) if base_dir else None,
            ea_font=_ea_font(context),
            pack_dir=template.parent,
        )
    # python-pptx's slide and shape objects refer to each other, so a rendered deck (tens of MB
    # for hundreds of slides) waits for the cycle collector; the young generations it is in
    # take a millisecond to collect, and the plan then renders without it in memory.
    gc.collect(1)
    return result


def _ea_font(context: Mapping[str, Any]) -> str:
    # The pack manifest names the East Asian font; the engine stamps it on runs that lack one.
    fonts = (context.get("theme") or {}).get("fonts") or {}
    return str(fonts.get("east_asian") or "Microsoft YaHei")
