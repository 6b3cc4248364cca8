"""Errors in the economic fields a schema cannot catch (rule codes PF260-PF269).

The schema already refuses negative money and ratios outside 0 to 1 (``commission_rate: 5``
is told to write 5%). Here: sales shares that do not add up to 100%, prices and costs they
need, KPIs of 0 that would divide by zero, and channel KPIs that contradict each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal

from planforge.errors import Problem
from planforge.i18n import _
from planforge.loader import Spec
from planforge.units import parse_money, parse_ratio

Clean = Callable[..., bool]


def _error(spec: Spec, code: str, path: tuple, message: str, key: bool = False) -> Problem:
    return replace(spec.problem(path, message, key=key), code=code)


def _pct(d: Decimal) -> str:
    text = format((d * 100).normalize(), "f")
    return text + "%"


def economics_problems(spec: Spec, clean: Clean) -> Iterator[Problem]:
    yield from _sales_shares(spec, clean)
    yield from _channel_kpis(spec, clean)


def _sales_shares(spec: Spec, clean: Clean) -> Iterator[Problem]:
    products = spec.data.get("products")
    if not isinstance(products, list) or not clean(("products",)):
        return
    items = [(i, p) for i, p in enumerate(products) if isinstance(p, dict)]
    given = [(i, p) for i, p in items if p.get("sales_share") is not None]
    if not given:
        return
    for i, p in items:
        name = str(p.get("name", f"products[{i}]")).strip()
        priced = p.get("price") is not None and p.get("cost") is not None
        if p.get("sales_share") is None and priced:
            yield _error(spec, "PF261", ("products", i, "name"),
                         _("product '{name}' has no sales_share while other products give one; "
                           "give every product with a price and a cost its sales_share (or "
                           "none)").format(name=name))
        elif p.get("sales_share") is not None and not priced:
            missing = "price" if p.get("price") is None else "cost"
            yield _error(spec, "PF262", ("products", i, "sales_share"),
                         (_("product '{name}' gives a sales_share but no price: its margin "
                            "cannot be weighed in the store's blend; give its price and cost")
                          if missing == "price" else
                          _("product '{name}' gives a sales_share but no cost: its margin "
                            "cannot be weighed in the store's blend; give its price and cost")
                          ).format(name=name))
    paths = [("products", i, "sales_share") for i, _ in given]
    if not clean(*paths):
        return
    total = sum((parse_ratio(p["sales_share"]) for _, p in given), Decimal(0))
    if total != 1:
        diff = total - 1
        how = (_("{amount} short").format(amount=_pct(-diff)) if diff < 0
               else _("{amount} over").format(amount=_pct(diff)))
        yield _error(spec, "PF260", paths[0],
                     _("the products' sales_share add up to {total}, not 100% ({how}); the "
                       "shares of the sales mix must add up to 100%").format(
                         total=_pct(total), how=how))


def _channel_kpis(spec: Spec, clean: Clean) -> Iterator[Problem]:
    promotion = spec.data.get("promotion")
    channels = promotion.get("channels") if isinstance(promotion, dict) else None
    if not isinstance(channels, list):
        return
    for i, ch in enumerate(channels):
        if not isinstance(ch, dict):
            continue
        base = ("promotion", "channels", i)
        name = str(ch.get("name", "")).strip() or f"channels[{i}]"
        for key in ("cpc", "cpm"):
            if ch.get(key) is not None and clean(base + (key,)) \
                    and parse_money(ch[key]) == 0:
                yield _error(spec, "PF263", base + (key,),
                             _("{key} of '{name}' is 0: a click or an impression costs more "
                               "than 0 (leave the key out if the channel's cost is "
                               "unknown)").format(key=key, name=name))
        if ch.get("commission_rate") is not None and clean(base + ("commission_rate",)) \
                and parse_ratio(ch["commission_rate"]) == 0:
            yield _error(spec, "PF264", base + ("commission_rate",),
                         _("commission_rate of '{name}' is 0%: a per-sale channel pays a "
                           "commission above 0, such as 20%").format(name=name))
        if ch.get("cpc") is not None and ch.get("cpm") is not None:
            yield _error(spec, "PF265", base + ("cpm",),
                         _("'{name}' gives both cpc and cpm: a channel is bought per click "
                           "(cpc) or per 1,000 impressions (cpm with ctr); keep one").format(
                             name=name), key=True)
        if ch.get("commission_rate") is not None and (ch.get("cpc") is not None
                                                      or ch.get("cpm") is not None):
            yield _error(spec, "PF265", base + ("commission_rate",),
                         _("'{name}' gives commission_rate with cpc or cpm: a channel pays per "
                           "sale (commission_rate) or per click or impression; keep one").format(
                             name=name), key=True)
        if ch.get("cpm") is not None and ch.get("ctr") is None:
            yield _error(spec, "PF266", base + ("cpm",),
                         _("'{name}' gives cpm but no ctr: impressions become clicks only with "
                           "a click-through rate; add ctr, such as 1%").format(name=name),
                         key=True)
