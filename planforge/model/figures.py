"""Derive month, quarter and year figures (ratios, ROI, orders, visitors, shares) exactly."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from planforge.model.types import QUARTERS, Funnel, MonthFigure, PeriodFigure

#: Ratios and ROI are kept to four places: enough for 2.8% or 4.17 and no long tails.
RATIO_PLACES = Decimal("0.0001")


def tidy(d: Decimal) -> Decimal:
    """Drop trailing zeros but keep integers integral (4, not 4.0000 nor 4E+0)."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """Return numerator / denominator to four places, or None when either is missing or zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return tidy((Decimal(numerator) / Decimal(denominator)).quantize(RATIO_PLACES, ROUND_HALF_UP))


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
    """Return (orders, visitors needed) for a GMV, or None where the funnel lacks the inputs."""
    if funnel is None or not funnel.average_order_value:
        return None, None
    aov = funnel.average_order_value
    orders = int((gmv / aov).quantize(Decimal(1), ROUND_HALF_UP))
    visitors = None
    if funnel.conversion_rate:
        visitors = int((gmv / (funnel.conversion_rate * aov)).quantize(Decimal(1), ROUND_CEILING))
    return orders, visitors


def period_figure(label: str, months: list[MonthFigure], year_gmv: Decimal) -> PeriodFigure:
    """Total a quarter or the year; orders and visitors are the months' own sums (tables add up)."""
    gmv = sum((m.gmv for m in months), Decimal(0))
    budgets = [m.budget for m in months if m.budget is not None]
    budget = sum(budgets, Decimal(0)) if budgets else None
    orders = [m.orders for m in months]
    visitors = [m.visitors for m in months]
    return PeriodFigure(
        label=label,
        months=list(months),
        gmv=gmv,
        budget=budget,
        budget_ratio=ratio(budget, gmv) if budget is not None else None,
        roi=ratio(gmv, budget) if budget else None,
        orders=sum(orders) if orders and None not in orders else None,
        visitors=sum(visitors) if visitors and None not in visitors else None,
        share=ratio(gmv, year_gmv),
    )


def periods(months: list[MonthFigure]) -> tuple[list[PeriodFigure], PeriodFigure]:
    """Fill each month's share and return (quarters that have months, the year)."""
    year_gmv = sum((m.gmv for m in months), Decimal(0))
    for m in months:
        m.share = ratio(m.gmv, year_gmv)
    quarters = []
    for q in QUARTERS:
        members = [m for m in months if m.quarter == q]
        if members:
            quarters.append(period_figure(q, members, year_gmv))
    return quarters, period_figure("year", months, year_gmv)
