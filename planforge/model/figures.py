"""Derive month, quarter and year figures (ratios, ROI, orders, visitors, shares) exactly.

Ratios (推广费占比, ROI, margins) are kept exact here and rounded once, half up, when printed
(``planforge.fmt``). Figures printed as parts of a total are allocated, never rounded one by one:
the year's orders and visitors are the formula applied to the year's GMV, then split over the
quarters and the months by GMV (largest remainder), so every table adds up and agrees with
GMV ÷ 客单价. Shares of the year are allocated the same way, to two decimals of a percent:
the quarters' add up to exactly 100% and each quarter's months add up to the quarter's.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from planforge.model.allocate import SHARE_QUANTUM, allocate, round_up, shares
from planforge.model.types import QUARTERS, Funnel, MonthFigure, PeriodFigure


def tidy(d: Decimal) -> Decimal:
    """Drop trailing zeros but keep integers integral (4, not 4.0000 nor 4E+0)."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """Return numerator / denominator, unrounded (printing rounds it once), or None when either
    is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return tidy(Decimal(numerator) / Decimal(denominator))


def quarter_of(number: int) -> str:
    """Return "Q1".."Q4" for a month number 1..12."""
    return QUARTERS[(number - 1) // 3]


def month_figure(month: str, gmv: Decimal, budget: Decimal | None,
                 funnel: Funnel | None) -> MonthFigure:
    """Build one month's figures; the share is filled in once the year total is known."""
    number = int(month[5:7])
    fig = MonthFigure(month=month, number=number, quarter=quarter_of(number), gmv=gmv,
                      budget=budget)
    fig.budget_ratio = ratio(budget, gmv) if budget is not None else None
    fig.roi = ratio(gmv, budget) if budget else None
    fig.orders, fig.visitors = orders_visitors(gmv, funnel)
    return fig


def orders_visitors(gmv: Decimal, funnel: Funnel | None) -> tuple[int | None, int | None]:
    """Return (orders, visitors needed) for a GMV by the formula, or None where the funnel lacks
    the inputs: orders = GMV ÷ 客单价 rounded half up, visitors = GMV ÷ (conversion × 客单价)
    rounded up (a fraction of a visitor is one more visitor)."""
    if funnel is None or not funnel.average_order_value:
        return None, None
    aov = funnel.average_order_value
    orders = int((gmv / aov).quantize(Decimal(1), ROUND_HALF_UP))
    visitors = None
    if funnel.conversion_rate:
        visitors = int(round_up(gmv / (funnel.conversion_rate * aov)))
    return orders, visitors


def period_figure(label: str, months: list[MonthFigure], year_gmv: Decimal) -> PeriodFigure:
    """Total a quarter or the year (orders, visitors and share are filled in by ``periods``)."""
    gmv = sum((m.gmv for m in months), Decimal(0))
    budgets = [m.budget for m in months if m.budget is not None]
    budget = sum(budgets, Decimal(0)) if budgets else None
    return PeriodFigure(
        label=label,
        months=list(months),
        gmv=gmv,
        budget=budget,
        budget_ratio=ratio(budget, gmv) if budget is not None else None,
        roi=ratio(gmv, budget) if budget else None,
    )


def periods(months: list[MonthFigure], funnel: Funnel | None = None
            ) -> tuple[list[PeriodFigure], PeriodFigure]:
    """Return (quarters that have months, the year), with orders, visitors and shares allocated
    top down so that months add up to their quarter and quarters to the year."""
    year_gmv = sum((m.gmv for m in months), Decimal(0))
    quarters = [period_figure(q, [m for m in months if m.quarter == q], year_gmv)
                for q in QUARTERS if any(m.quarter == q for m in months)]
    year = period_figure("year", months, year_gmv)
    year.orders, year.visitors = orders_visitors(year_gmv, funnel) if months else (None, None)
    for name in ("orders", "visitors"):
        total = getattr(year, name)
        if total is None:
            for p in quarters + months:
                setattr(p, name, None)
            continue
        for q, part in zip(quarters, allocate(total, [q.gmv for q in quarters])):
            setattr(q, name, int(part))
            for m, sub in zip(q.months, allocate(part, [m.gmv for m in q.months])):
                setattr(m, name, int(sub))
    # Shares the same way: quarters of 100%, then each quarter's share over its months.
    for q, share in zip(quarters, shares([q.gmv for q in quarters])):
        q.share = share
        parts = (allocate(share, [m.gmv for m in q.months], SHARE_QUANTUM) if share is not None
                 else [None] * len(q.months))
        for m, part in zip(q.months, parts):
            m.share = part
    year.share = Decimal(1) if year_gmv else None
    return quarters, year
