"""Warnings about what the plan earns (rule codes PF250-PF259; docs/rules.md lists them).

They are warnings, not errors: a plan may knowingly lose money in a quarter. Each names both
figures and the spec line they come from.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from planforge.errors import Problem
from planforge.i18n import _
from planforge.loader import Spec
from planforge.model.types import Plan

#: A channel whose ROI is this many times above or below the plan's is worth a second look.
ROI_GAP = Decimal(2)


def _two(d: Decimal) -> str:
    return format(d.quantize(Decimal("0.01"), ROUND_HALF_UP), "f")


def _yuan(d: Decimal) -> str:
    return format(d.quantize(Decimal(1), ROUND_HALF_UP), ",f")


def _warn(spec: Spec, code: str, path: tuple, message: str, key: bool = False) -> Problem:
    return replace(spec.problem(path, message, key=key, severity="warning"), code=code)


def _quarter_path(plan: Plan, quarter: str) -> tuple:
    """Where a quarter's spend stands: its roadmap budget, else its first month in the spec."""
    for i, rq in enumerate(plan.roadmap):
        if rq.quarter == quarter and rq.budget:
            return ("roadmap", i, "budget")
    if not plan.targets.months_derived:
        for i, m in enumerate(plan.targets.months):
            if m.quarter == quarter:
                return ("targets", "months", i, "budget" if m.budget is not None else "gmv")
    return ("targets", "annual_budget" if plan.targets.annual_budget is not None else "annual_gmv")


def economics_warnings(spec: Spec, plan: Plan) -> list[Problem]:
    """Return the P&L and paid-channel warnings of a built plan."""
    problems: list[Problem] = []
    data = spec.data
    econ = plan.economics
    if "economics" in data and econ is None:
        problems.append(_warn(
            spec, "PF256", ("economics",),
            _("economics is given but no product has both a price and a cost, so the gross "
              "margin is unknown and there is no P&L; give products[].price and products[].cost"),
            key=True))
    if econ is not None:
        raw = data.get("economics") or {}
        if raw.get("staff_monthly") is None and plan.team and plan.team.headcount:
            problems.append(_warn(
                spec, "PF255", ("economics",),
                _("economics gives no staff cost (staff_monthly) but the team lists {n} people: "
                  "the operating result leaves their cost out").format(n=plan.team.headcount),
                key=True))
        year = econ.year
        if year is not None and year.contribution <= 0 and year.gmv > 0:
            problems.append(_warn(
                spec, "PF252", ("economics",),
                _("the contribution before promotion is {contribution} on a GMV of {gmv}: every "
                  "sale loses money before any promotion, so no ROI breaks even; check prices, "
                  "costs and the rates in economics").format(
                    contribution=_yuan(year.contribution), gmv=_yuan(year.gmv)), key=True))
        elif econ.break_even_roi is not None:
            for q in econ.quarters:
                if q.below_break_even and q.roi is not None:
                    problems.append(_warn(
                        spec, "PF250", _quarter_path(plan, q.label),
                        _("{q} promotion ROI {roi} is below the break-even ROI {be}: the "
                          "quarter loses money on promotion (promotion {promotion}, contribution "
                          "before promotion {contribution})").format(
                            q=q.label, roi=_two(q.roi),
                            be=_two(q.break_even_roi or econ.break_even_roi),
                            promotion=_yuan(q.promotion), contribution=_yuan(q.contribution))))
            if year is not None and year.below_break_even and year.roi is not None:
                path = ("targets", "annual_budget") if "annual_budget" in data["targets"] \
                    else ("economics",)
                problems.append(_warn(
                    spec, "PF251", path,
                    _("the year's promotion ROI {roi} is below the break-even ROI {be}: the plan "
                      "loses money on promotion (promotion {promotion}, contribution before "
                      "promotion {contribution})").format(
                        roi=_two(year.roi), be=_two(econ.break_even_roi),
                        promotion=_yuan(year.promotion), contribution=_yuan(year.contribution)),
                    key=path == ("economics",)))
    problems += _paid_warnings(spec, plan)
    return problems


def _paid_warnings(spec: Spec, plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    if plan.promotion is None:
        return problems
    from planforge.model.economics import has_kpis

    budgeted = {c.channel for c in plan.channel_budget if not c.unallocated}
    aov = plan.targets.funnel.average_order_value if plan.targets.funnel else None
    for i, ch in enumerate(plan.promotion.channels):
        if has_kpis(ch) and ch.name not in budgeted:
            problems.append(_warn(
                spec, "PF257", ("promotion", "channels", i, "name"),
                _("channel '{name}' has KPIs but no roadmap quarter gives it a budget, so they "
                  "buy nothing; add it to roadmap[].budget or check the name").format(
                    name=ch.name)))
        elif has_kpis(ch) and ch.commission_rate is None and not aov:
            problems.append(_warn(
                spec, "PF258", ("promotion", "channels", i, "name"),
                _("channel '{name}' buys clicks but targets.funnel.average_order_value is "
                  "missing, so the GMV they bring is unknown").format(name=ch.name)))
    paid = plan.paid
    if paid is None:
        return problems
    quarters = {q.label: q for q in plan.targets.quarters}
    if paid.gmv is not None:
        for qi, label in enumerate(("Q1", "Q2", "Q3", "Q4")):
            target = quarters.get(label)
            brought = paid.gmv_by_quarter[qi]
            if target is not None and brought > target.gmv:
                problems.append(_warn(
                    spec, "PF253", _quarter_path(plan, label),
                    _("{q} paid channels alone would bring {brought} of GMV, more than the "
                      "quarter's target {target} ({more} more): the KPIs or the targets are "
                      "off").format(q=label, brought=_yuan(brought), target=_yuan(target.gmv),
                                    more=_yuan(brought - target.gmv))))
    year = plan.targets.year
    plan_roi = year.roi if year is not None else None
    if plan_roi:
        for row in paid.channels:
            if row.roi is None or row.roi == 0:
                continue
            gap = max(row.roi / plan_roi, plan_roi / row.roi)
            if gap > ROI_GAP:
                problems.append(_warn(
                    spec, "PF254", ("promotion", "channels", row.index, "name"),
                    (_("channel '{name}' KPIs give an ROI of {roi}, {gap}x above the plan's ROI "
                       "{plan}: check its cpc/cpm, ctr, cvr or commission rate")
                     if row.roi > plan_roi else
                     _("channel '{name}' KPIs give an ROI of {roi}, {gap}x below the plan's ROI "
                       "{plan}: check its cpc/cpm, ctr, cvr or commission rate")).format(
                        name=row.channel, roi=_two(row.roi), gap=_two(gap),
                        plan=_two(plan_roi))))
    return problems
