"""Competitors' price bands, read from ``market.competitors[].price_band``, and the brand's prices.

A band is written as two prices: ``99-299``, ``¥99–¥299``, ``100~300元``, ``1.2万-2万``. Each band
becomes a floating bar from its low to its high price on the price-band chart, and the brand's
products are marked on it. A hero product priced outside every band is worth a warning: the
guides ask for pricing within the category's band.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from planforge.i18n import _
from planforge.model.types import Plan, PriceBand

_PRICE = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|w|k)?", re.IGNORECASE)
_UNITS = {"万": Decimal(10_000), "w": Decimal(10_000), "k": Decimal(1_000)}


def parse_band(text: str | None) -> tuple[Decimal, Decimal] | None:
    """Return (low, high) from a band such as ``99-299元``, or None when it has not two prices."""
    if not text:
        return None
    found = _PRICE.findall(text)
    if len(found) != 2:
        return None
    values = []
    for number, unit in found:
        value = Decimal(number.replace(",", "")) * _UNITS.get(unit.lower() if unit else "", 1)
        values.append(value)
    # "1.2-2万" means both in 万: a unit on the second number only applies to both.
    if found[1][1] and not found[0][1]:
        values[0] = Decimal(found[0][0].replace(",", "")) * _UNITS[found[1][1].lower()]
    low, high = sorted(values)
    return low, high


def price_bands(plan: Plan) -> list[PriceBand]:
    """The competitors' bands that can be read, in spec order."""
    out = []
    for c in plan.market.competitors if plan.market else []:
        band = parse_band(c.price_band)
        if band is not None:
            out.append(PriceBand(name=c.name, low=band[0], high=band[1], text=c.price_band or "",
                                 spread=band[1] - band[0]))
    return out


def price_band_problems(spec, plan: Plan) -> list:
    """Warnings: a band that cannot be read (PF274), a hero outside every band (PF273)."""
    problems = []
    competitors = plan.market.competitors if plan.market else []
    for i, c in enumerate(competitors):
        if c.price_band and parse_band(c.price_band) is None:
            problems.append(replace(spec.problem(
                ("market", "competitors", i, "price_band"),
                _("price band '{band}' of {competitor} is not two prices, so the price-band "
                  "chart leaves it out").format(band=c.price_band, competitor=c.name),
                severity="warning"),
                code="PF274", hint=_("write it as low-high, e.g. 99-299")))
    bands = plan.price_bands
    if not bands:
        return problems
    for i, p in enumerate(plan.products):
        if p.role != "hero" or p.price is None:
            continue
        if not any(b.low <= p.price <= b.high for b in bands):
            shown = ", ".join(f"{b.name} {b.text}" for b in bands)
            problems.append(replace(spec.problem(
                ("products", i, "price"),
                _("hero product '{product}' is priced at {price} yuan, outside every "
                  "competitor's price band ({bands})").format(
                    product=p.name, price=f"{p.price:,}", bands=shown), severity="warning"),
                code="PF273", hint=_("price the hero within the category's band, or say why "
                                     "not")))
    return problems
