"""What the plan earns: the P&L per month, quarter and year, the break-even ROI, the funding
need, and what each paid channel's spend buys.

Figures (DESIGN.md section 3, issue "What the plan earns"):

- blended gross margin m = sum over products of share x (price - cost) / price, the share being
  ``sales_share``, else monthly_sales x price, else equal;
- refunds = GMV x refund_rate, net sales = GMV - refunds, gross profit = net sales x m;
- commission and payment fees are shares of net sales; fulfilment = orders x per-order cost with
  orders = GMV / average order value;
- contribution before promotion = gross profit - commission - payment fees - fulfilment;
- operating result = contribution - promotion - staff - fixed costs and the annual fee (spread
  evenly over the plan's months);
- break-even ROI = GMV / contribution; funding need = the deepest cumulative loss + deposit.

Everything is exact: each month's lines are computed at 60 digits and kept to 1e-10 yuan, so a
quarter and the year are exact sums of their months. Documents round once, when they print.
"""

from __future__ import annotations

import copy
from decimal import ROUND_DOWN, Decimal, localcontext

from planforge.model.allocate import round_half_up, round_parts
from planforge.model.types import (
    QUARTERS, ChannelEconomics, Economics, FixedCost, PaidTraffic, Plan, PnlFigure, Product,
)
from planforge.units import parse_money, parse_ratio

#: Money and counts in the P&L are kept to this step (far below a fen: invisible, but exact sums).
STEP = Decimal("1E-10")
PRECISION = 60
#: Ratios (ROI, shares) carry 28 significant digits: exact for every figure a plan prints.
RATIO_DIGITS = 28
ZERO = Decimal(0)
#: The documents print P&L money to 100 yuan (0.01万, ¥0.1K).
PRINT_QUANTUM = Decimal(100)

_PNL_LINES = ("gmv", "refunds", "net_sales", "cogs", "gross_profit", "commission", "payment_fees",
              "fulfilment", "contribution", "promotion", "staff", "fixed", "operating_result")


def _keep(d: Decimal) -> Decimal:
    return _tidy(d.quantize(STEP))


def _div(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """a / b to 28 significant digits, or None when either is missing or b is 0."""
    if a is None or b is None or b == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = RATIO_DIGITS
        return _tidy(a / b)


def _tidy(d: Decimal) -> Decimal:
    """Drop trailing zeros (3.2000 -> 3.2) but keep integers integral (4, not 4E+0)."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def _money(value) -> Decimal | None:
    return None if value is None else parse_money(value)


def _rate(value) -> Decimal | None:
    return None if value is None else parse_ratio(value)


# -- the product mix ------------------------------------------------------------------------------

def blended_margin(products: list[Product]) -> tuple[Decimal | None, str]:
    """Return (blended gross margin, basis) over the products with a price above 0 and a cost.

    Sets each product's ``mix_share``. The basis is "sales_share", "monthly_sales" or "equal".
    """
    mix = [p for p in products if p.price and p.cost is not None]
    if not mix:
        return None, "equal"
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if any(p.sales_share is not None for p in mix):
            basis = "sales_share"
            weights = [p.sales_share or ZERO for p in mix]
        elif all(p.monthly_sales for p in mix):
            basis = "monthly_sales"
            weights = [Decimal(p.monthly_sales) * p.price for p in mix]
        else:
            basis = "equal"
            weights = [Decimal(1)] * len(mix)
        total = sum(weights, ZERO)
        if total == 0:
            return None, basis
        margin = ZERO
        for product, weight in zip(mix, weights):
            product.mix_share = _tidy(weight / total)
            margin += weight / total * (product.price - product.cost) / product.price
    return margin, basis


# -- the P&L --------------------------------------------------------------------------------------

def _spread(total: Decimal, count: int) -> list[Decimal]:
    """Split ``total`` into ``count`` parts that add up to it exactly (the first takes the rest)."""
    if count == 0:
        return []
    with localcontext() as ctx:
        ctx.prec = PRECISION
        part = (total / count).quantize(STEP, ROUND_DOWN)
        return [total - part * (count - 1)] + [part] * (count - 1)


def _month_promotion(plan: Plan) -> list[Decimal]:
    """Each month's promotion spend: its budget, else its quarter's roadmap budget spread."""
    months = plan.targets.months
    if any(m.budget is not None for m in months):
        return [m.budget or ZERO for m in months]
    spend = [ZERO] * len(months)
    for rq in plan.roadmap:
        members = [i for i, m in enumerate(months) if m.quarter == rq.quarter]
        if rq.budget_total and members:
            for i, part in zip(members, _spread(rq.budget_total, len(members))):
                spend[i] = part
    return spend


def printed_economics(econ: Economics, quantum: Decimal = PRINT_QUANTUM) -> Economics:
    """A copy of *econ* whose P&L amounts are the ones the documents print, to ``quantum``:
    each line's year rounded once, its quarters allocated to add up to it and each quarter's
    months to add up to the quarter (largest remainder). Every printed row adds up as printed;
    the cumulative result, the deepest point and the funding need follow the printed months.
    Ratios (ROI, margins) stay those of the exact figures."""
    out = copy.deepcopy(econ)
    if not out.months or out.year is None:
        return out
    lines = (*_PNL_LINES, "selling_costs", "overheads")
    groups = [[m for m in out.months if m.quarter == q.label] for q in out.quarters]
    if sum(len(g) for g in groups) != len(out.months):  # months outside the quarters
        groups = [out.months]
    for key in lines:
        if key == "operating_result":
            continue  # below: by its running total
        quarters = round_parts([sum((getattr(m, key) for m in g), ZERO) for g in groups],
                               quantum)
        for group, total in zip(groups, quarters):
            printed = round_parts([getattr(m, key) for m in group], quantum, total)
            for month, value in zip(group, printed):
                setattr(month, key, value)
    # The operating result is printed month by month and as its running total, whose lowest
    # point is the deepest loss and makes the funding need. The running total is the exact one
    # rounded (so the deepest point and the funding need are the exact figures rounded, as
    # `check` prints them exactly), and each month is the step between two of them, so the
    # months still add up to the printed year.
    exact, shown = ZERO, ZERO
    for month in out.months:
        exact += month.operating_result
        rounded = round_half_up(exact / quantum) * quantum
        month.operating_result, shown = rounded - shown, rounded
        month.cumulative = rounded
    for period in [*out.quarters, out.year]:
        members = [m for m in out.months if period is out.year or m.quarter == period.label]
        for key in lines:
            setattr(period, key, sum((getattr(m, key) for m in members), ZERO))
        period.cumulative = members[-1].cumulative if members else None
    lowest = min(out.months, key=lambda m: m.cumulative or ZERO)
    if econ.deepest_month is not None and lowest.cumulative is not None \
            and lowest.cumulative < 0:
        out.deepest, out.deepest_month = lowest.cumulative, lowest.label
        out.funding_need = out.deposit - out.deepest
    return out


def _sum_figure(label: str, parts: list[PnlFigure]) -> PnlFigure:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        totals = {k: sum((getattr(p, k) for p in parts), ZERO) for k in _PNL_LINES}
        orders = [p.orders for p in parts]
        fig = PnlFigure(label=label, **totals,
                        orders=sum(orders, ZERO) if orders and None not in orders else None)
    fig.cumulative = parts[-1].cumulative if parts else None
    return _ratios(fig)


def _ratios(fig: PnlFigure) -> PnlFigure:
    fig.selling_costs = fig.commission + fig.payment_fees + fig.fulfilment
    fig.overheads = fig.staff + fig.fixed
    fig.roi = _div(fig.gmv, fig.promotion)
    fig.break_even_roi = _div(fig.gmv, fig.contribution) if fig.contribution > 0 else None
    fig.below_break_even = fig.promotion > fig.contribution and fig.promotion > 0
    fig.operating_margin = _div(fig.operating_result, fig.gmv)
    return fig


def build_economics(plan: Plan, raw: dict | None, terms: dict | None = None) -> Economics | None:
    """Return the plan's P&L, or None without ``economics`` or without a product margin.

    ``terms`` holds what the store's category and type imply when the spec is silent:
    ``commission_rate``, ``annual_fee`` and ``deposit`` (each may be missing).
    """
    if raw is None:
        return None
    margin, basis = blended_margin(plan.products)
    if margin is None:
        return None
    terms = terms or {}
    commission_rate, commission_source = _given(_rate(raw.get("commission_rate")),
                                                terms.get("commission_rate"))
    annual_fee, fee_source = _given(_money(raw.get("annual_fee")), terms.get("annual_fee"))
    deposit = terms.get("deposit")
    econ = Economics(
        margin=margin, margin_basis=basis, commission_rate=commission_rate,
        commission_source=commission_source,
        payment_fee_rate=_rate(raw.get("payment_fee_rate")) or ZERO,
        refund_rate=_rate(raw.get("refund_rate")) or ZERO,
        fulfilment_per_order=_money(raw.get("fulfilment_per_order")) or ZERO,
        staff_monthly=_money(raw.get("staff_monthly")),
        annual_fee=annual_fee, annual_fee_source=fee_source,
        fixed=[FixedCost(name=str(f["name"]).strip(), amount=parse_money(f["amount"]))
               for f in raw.get("fixed") or []],
        deposit=deposit if deposit is not None else ZERO,
        deposit_source=terms.get("deposit_source") or ("rules" if deposit is not None else "none"),
    )
    econ.fixed_total = sum((f.amount for f in econ.fixed), ZERO)
    months = plan.targets.months
    funnel = plan.targets.funnel
    aov = funnel.average_order_value if funnel else None
    promotion = _month_promotion(plan)
    fixed = _spread(econ.fixed_total + econ.annual_fee, len(months))
    staff = econ.staff_monthly or ZERO
    cumulative = ZERO
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for i, month in enumerate(months):
            gmv = month.gmv
            refunds = _keep(gmv * econ.refund_rate)
            net = gmv - refunds
            gross = _keep(net * margin)
            commission = _keep(net * econ.commission_rate)
            fees = _keep(net * econ.payment_fee_rate)
            exact_orders = gmv / aov if aov else None
            orders = _keep(exact_orders) if aov else None
            fulfilment = (_keep(exact_orders * econ.fulfilment_per_order) if aov else ZERO)
            contribution = gross - commission - fees - fulfilment
            result = contribution - promotion[i] - staff - fixed[i]
            cumulative += result
            econ.months.append(_ratios(PnlFigure(
                label=month.month, number=month.number, quarter=month.quarter, gmv=gmv,
                refunds=refunds, net_sales=net, cogs=net - gross, gross_profit=gross,
                commission=commission, payment_fees=fees, fulfilment=fulfilment,
                contribution=contribution, promotion=promotion[i], staff=staff, fixed=fixed[i],
                operating_result=result, orders=orders, cumulative=cumulative)))
    for q in QUARTERS:
        members = [m for m in econ.months if m.quarter == q]
        if members:
            econ.quarters.append(_sum_figure(q, members))
    econ.year = _sum_figure("year", econ.months)
    econ.break_even_roi = econ.year.break_even_roi
    lowest = min(econ.months, key=lambda m: m.cumulative, default=None)
    if lowest is not None and lowest.cumulative < 0:
        econ.deepest, econ.deepest_month = lowest.cumulative, lowest.label
    econ.funding_need = econ.deposit - econ.deepest
    return econ


def _given(value: Decimal | None, fallback: Decimal | None) -> tuple[Decimal, str]:
    if value is not None:
        return value, "spec"
    if fallback is not None:
        return fallback, "category"
    return ZERO, "none"


# -- what the store's type and category imply --------------------------------------------------

def store_terms(plan: Plan, data: dict) -> dict:
    """The deposit, annual fee and commission rate the spec leaves to the store's terms.

    They come from ``plan.opening`` (planforge.model.opening: the entry rules table by store
    type, trademark status and category), where ``qualification.deposit`` already overrides the
    table's deposit. ``economics.annual_fee`` / ``commission_rate`` still win (see above).
    """
    terms: dict = {}
    opening = getattr(plan, "opening", None)
    if opening is None:
        return terms
    if opening.deposit is not None:
        terms["deposit"] = opening.deposit
        terms["deposit_source"] = "spec" if opening.deposit_from_spec else "rules"
    terms["annual_fee"] = opening.annual_fee
    terms["commission_rate"] = opening.commission_rate
    return terms


# -- paid channels --------------------------------------------------------------------------------

def has_kpis(channel) -> bool:
    return any(v is not None for v in (channel.cpc, channel.cpm, channel.commission_rate))


def build_paid(plan: Plan) -> PaidTraffic | None:
    """Return what the paid channels with KPIs buy with their roadmap spend, or None."""
    if plan.promotion is None:
        return None
    spend = {c.channel: c for c in plan.channel_budget if not c.unallocated}
    funnel = plan.targets.funnel
    aov = funnel.average_order_value if funnel else None
    year = plan.targets.year
    rows = []
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for index, ch in enumerate(plan.promotion.channels):
            budget = spend.get(ch.name)
            if not has_kpis(ch) or budget is None:
                continue
            cvr = ch.cvr if ch.cvr is not None else (funnel.conversion_rate if funnel else None)
            row = ChannelEconomics(
                channel=ch.name, index=index,
                pays_per="sale" if ch.commission_rate is not None
                else "click" if ch.cpc is not None else "impression",
                spend=budget.total, spend_by_quarter=list(budget.by_quarter), cpc=ch.cpc,
                cpm=ch.cpm, ctr=ch.ctr, cvr=cvr, commission_rate=ch.commission_rate)
            quarters = [_buys(row, amount, aov) for amount in budget.by_quarter]
            for attr, position in (("impressions", 0), ("clicks", 1), ("orders", 2), ("gmv", 3)):
                values = [q[position] for q in quarters]
                setattr(row, attr, None if None in values else sum(values, ZERO))
            row.gmv_by_quarter = [q[3] for q in quarters]
            row.roi = _div(row.gmv, row.spend)
            row.share = _div(row.gmv, year.gmv if year else None)
            rows.append(row)
        if not rows:
            return None
        paid = PaidTraffic(channels=rows, spend=sum((r.spend for r in rows), ZERO),
                           clicks=sum((r.clicks for r in rows if r.clicks is not None), ZERO))
        known = [r for r in rows if r.gmv is not None]
        if known:
            paid.gmv = sum((r.gmv for r in known), ZERO)
            paid.gmv_by_quarter = [sum((r.gmv_by_quarter[i] for r in known), ZERO)
                                   for i in range(4)]
            paid.roi = _div(paid.gmv, sum((r.spend for r in known), ZERO))
            if year is not None:
                paid.share = _div(paid.gmv, year.gmv)
                paid.free_gmv = year.gmv - paid.gmv
                paid.free_share = _div(paid.free_gmv, year.gmv)
        orders = [r.orders for r in rows]
        paid.orders = None if None in orders else sum(orders, ZERO)
        if year is not None and year.visitors is not None:
            paid.visitors = year.visitors
            paid.free_visitors = Decimal(year.visitors) - paid.clicks
    return paid


def _buys(row: ChannelEconomics, amount: Decimal, aov: Decimal | None):
    """Return (impressions, clicks, orders, gmv) that ``amount`` of spend buys on a channel.

    Computed at full precision from one another, each kept to STEP only at the end.
    """
    impressions = clicks = orders = gmv = None
    if row.pays_per == "sale":
        gmv = amount / row.commission_rate if row.commission_rate else None
        orders = gmv / aov if gmv is not None and aov else None
    else:
        if row.pays_per == "click":
            clicks = amount / row.cpc if row.cpc else None
        else:
            impressions = amount / row.cpm * 1000 if row.cpm else None
            clicks = impressions * row.ctr if impressions is not None and row.ctr is not None \
                else None
        if clicks is not None and row.cvr is not None:
            orders = clicks * row.cvr
            gmv = orders * aov if aov else None
    return tuple(None if v is None else _keep(v) for v in (impressions, clicks, orders, gmv))
