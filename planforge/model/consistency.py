"""Warn where the spec's figures disagree with each other (they are not errors: plans change).

Every warning has a stable rule code (PF201-PF249, listed in docs/rules.md), points at the spec
line of the figure that disagrees, and names both figures and the difference.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from planforge.errors import Problem
from planforge.i18n import _
from planforge.loader import Spec
from planforge.model.types import QUARTERS, Plan


def amount(value: Decimal) -> str:
    """Write money for a warning: ``370,000`` (exact, with fen when there are any)."""
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), ",f")
    return format(value, ",f")


def _difference(a: Decimal, b: Decimal) -> str:
    diff = a - b
    return (_("{amount} more") if diff > 0 else _("{amount} less")).format(amount=amount(abs(diff)))


def _pct(value: Decimal) -> str:
    text = format((value * 100).quantize(Decimal("0.01"), ROUND_HALF_UP).normalize(), "f")
    return text + "%"


def check_consistency(spec: Spec, plan: Plan) -> list[Problem]:
    """Return every consistency warning of a built plan."""
    problems: list[Problem] = []
    for rule in (_roadmap, _unplanned_quarters, _annual_budget, _channels, _tasks, _events,
                 _kpis, _segments, _products, _membership):
        problems.extend(rule(spec, plan))
    return problems


def _warn(spec: Spec, path: tuple, code: str, message: str, key: bool = False) -> Problem:
    return spec.problem(path, message, key=key, severity="warning", code=code)


# -- budgets and GMV of the roadmap's quarters ----------------------------------------------------

def _roadmap(spec: Spec, plan: Plan) -> list[Problem]:
    problems = []
    quarters = {q.label: q for q in plan.targets.quarters}
    for i, rq in enumerate(plan.roadmap):
        months = quarters.get(rq.quarter)
        q = rq.quarter
        if months is not None and months.budget is not None:
            lines = rq.budget_total if rq.budget_total is not None else Decimal(0)
            if lines < months.budget and plan.channel_budget:
                where = ("roadmap", i, "budget") if rq.budget else ("roadmap", i, "quarter")
                problems.append(_warn(
                    spec, where, "PF201",
                    _("{q} roadmap channel budgets add up to {lines} but the {q} monthly budgets "
                      "add up to {budget} ({difference}); the documents show {rest} as "
                      "unallocated").format(q=q, lines=amount(lines), budget=amount(months.budget),
                                            difference=_difference(lines, months.budget),
                                            rest=amount(months.budget - lines)),
                    key=bool(rq.budget)))
            elif lines > months.budget:
                problems.append(_warn(
                    spec, ("roadmap", i, "budget"), "PF202",
                    _("{q} roadmap channel budgets add up to {lines} but the {q} monthly budgets "
                      "add up to {budget} ({difference}); the channels spend more than the "
                      "quarter's budget").format(q=q, lines=amount(lines),
                                                 budget=amount(months.budget),
                                                 difference=_difference(lines, months.budget)),
                    key=True))
        if rq.gmv_target is not None and months is not None and rq.gmv_target != months.gmv:
            problems.append(_warn(
                spec, ("roadmap", i, "gmv_target"), "PF204",
                _("{q} gmv_target is {target} but the {q} monthly GMV adds up to {gmv} "
                  "({difference})").format(q=q, target=amount(rq.gmv_target),
                                           gmv=amount(months.gmv),
                                           difference=_difference(rq.gmv_target, months.gmv))))
        if months is None and (rq.budget_total is not None or rq.gmv_target is not None):
            problems.append(_warn(
                spec, ("roadmap", i, "quarter"), "PF205",
                _("the roadmap has figures for {q} but targets.months has no month in {q}").format(
                    q=q)))
    return problems


def _unplanned_quarters(spec: Spec, plan: Plan) -> list[Problem]:
    """PF201 for a quarter with a monthly budget that the roadmap does not list at all."""
    if not plan.channel_budget:
        return []
    listed = {rq.quarter for rq in plan.roadmap}
    problems = []
    for q in plan.targets.quarters:
        if q.label in listed or not q.budget:
            continue
        first = plan.targets.months.index(q.months[0])
        path = (("targets", "months", first, "budget") if not plan.targets.months_derived
                else ("targets", "annual_budget"))
        problems.append(_warn(
            spec, path, "PF201",
            _("the {q} monthly budgets add up to {budget} but the roadmap has no {q} channel "
              "lines (0, {budget} less); the documents show {budget} as unallocated").format(
                q=q.label, budget=amount(q.budget))))
    return problems


def _annual_budget(spec: Spec, plan: Plan) -> list[Problem]:
    """PF203: channel lines against annual_budget when the months have no budgets of their own."""
    t = plan.targets
    if not plan.channel_budget or t.annual_budget is None or (t.year and t.year.budget is not None):
        return []
    lines = sum((c.total for c in plan.channel_budget if not c.unallocated), Decimal(0))
    if lines == t.annual_budget:
        return []
    tail = (_("the documents show {rest} as unallocated").format(
        rest=amount(t.annual_budget - lines))
            if lines < t.annual_budget else _("the channels spend more than the budget"))
    return [_warn(spec, ("targets", "annual_budget"), "PF203",
                  _("the roadmap's channel budgets add up to {lines} but annual_budget is "
                    "{budget} ({difference}); {consequence}").format(
                      lines=amount(lines), budget=amount(t.annual_budget),
                      difference=_difference(lines, t.annual_budget), consequence=tail))]


def _channels(spec: Spec, plan: Plan) -> list[Problem]:
    """PF206: a roadmap channel line naming a channel promotion.channels does not list."""
    if plan.promotion is None or not plan.promotion.channels:
        return []
    names = {c.name for c in plan.promotion.channels}
    problems, seen = [], set()
    for i, rq in enumerate(plan.roadmap):
        for j, line in enumerate(rq.budget):
            if line.channel in names or line.channel in seen:
                continue
            seen.add(line.channel)
            problems.append(_warn(
                spec, ("roadmap", i, "budget", j, "channel"), "PF206",
                _("{q} budgets {amount} for channel '{channel}', which promotion.channels does "
                  "not list (it lists: {names})").format(
                    q=rq.quarter, amount=amount(line.amount), channel=line.channel,
                    names=", ".join(sorted(names)))))
    return problems


# -- tasks and events ------------------------------------------------------------------------------

def _tasks(spec: Spec, plan: Plan) -> list[Problem]:
    """PF207: a task that has no month in the quarter it is listed under."""
    problems = []
    for i, rq in enumerate(plan.roadmap):
        if rq.quarter not in QUARTERS:
            continue
        first = QUARTERS.index(rq.quarter) * 3 + 1
        last = first + 2
        year = plan.meta.year
        for j, task in enumerate(rq.tasks):
            start = _month_number(task.start, year)
            end = _month_number(task.end, year)
            if start is None or end is None or (start <= last and end >= first):
                continue
            problems.append(_warn(
                spec, ("roadmap", i, "tasks", j, "start"), "PF207",
                _("task '{name}' runs {start} to {end}, outside {q} ({first} to {last}) that it "
                  "is listed under").format(name=task.name, start=task.start, end=task.end,
                                            q=rq.quarter, first=f"{year}-{first:02d}",
                                            last=f"{year}-{last:02d}")))
    return problems


def _month_number(month: str, year: int) -> int | None:
    """Months counted from January of ``year`` as 1 (December of the year before is 0)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not m:
        return None
    return (int(m.group(1)) - year) * 12 + int(m.group(2))


def _events(spec: Spec, plan: Plan) -> list[Problem]:
    problems = []
    if plan.promotion is None:
        return problems
    months = {m.month: m for m in plan.targets.months}
    span = (_("{first} to {last}").format(first=plan.targets.months[0].month,
                                          last=plan.targets.months[-1].month)
            if plan.targets.months else "")
    year = plan.meta.year
    for i, event in enumerate(plan.promotion.events):
        if event.date is None:
            continue
        if event.date.year != year:
            problems.append(_warn(
                spec, ("promotion", "events", i, "date"), "PF208",
                _("event '{name}' on {date} is outside the plan year {year}").format(
                    name=event.name, date=event.date.isoformat(), year=year)))
            continue
        month = months.get(event.month)
        if month is None:
            problems.append(_warn(
                spec, ("promotion", "events", i, "date"), "PF209",
                _("event '{name}' on {date} falls in {month}, a month the plan has no targets "
                  "for (the plan runs {span})").format(name=event.name,
                                                       date=event.date.isoformat(),
                                                       month=event.month, span=span)))
            continue
        if event.budget is None or month.budget is None:
            continue
        if event.budget > month.budget:
            problems.append(_warn(
                spec, ("promotion", "events", i, "budget"), "PF210",
                _("event '{name}' has a budget of {budget} but its month {month} has a budget "
                  "of {month_budget} ({difference})").format(
                    name=event.name, budget=amount(event.budget), month=event.month,
                    month_budget=amount(month.budget),
                    difference=_difference(event.budget, month.budget))))
    return problems


# -- KPIs that name a figure the model computes ---------------------------------------------------

_PREFIXES = ("全年", "年度", "整体", "全店", "店铺", "目标", "annual", "overall", "store", "year",
             "yearly", "target")
_KPI_NAMES = {
    "budget_ratio": {"推广费占比", "推广费用占比", "推广费比", "费比", "营销费用占比", "推广费率",
                     "budgetratio", "adspendshareofgmv", "adspendratio", "promotionspendratio",
                     "promotionbudgetratio", "marketingspendratio", "spendshareofgmv",
                     "adspendshare", "promotionspendshareofgmv"},
    "roi": {"roi", "投入产出比", "投入产出比roi", "投产比", "推广roi", "returnonadspend", "roas"},
    "average_order_value": {"客单价", "averageordervalue", "aov"},
    "conversion_rate": {"转化率", "转化率目标", "conversionrate", "conversion"},
    "repeat_rate": {"复购率", "老客复购率", "repeatrate", "repeatpurchaserate"},
}


def _kpi_figure(name: str) -> str | None:
    norm = re.sub(r"[\s()（）·\-_:：,，./]", "", name.lower())
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if norm.startswith(prefix) and len(norm) > len(prefix):
                norm, changed = norm[len(prefix):], True
    for figure, names in _KPI_NAMES.items():
        if norm in names:
            return figure
    return None


def _kpis(spec: Spec, plan: Plan) -> list[Problem]:
    """PF211: a KPI naming a computed figure (推广费占比, ROI, 客单价, ...) that says otherwise."""
    t = plan.targets
    year, funnel = t.year, t.funnel
    computed = {
        "budget_ratio": year.budget_ratio if year else None,
        "roi": year.roi if year else None,
        "average_order_value": funnel.average_order_value if funnel else None,
        "conversion_rate": funnel.conversion_rate if funnel else None,
        "repeat_rate": funnel.repeat_rate if funnel else None,
    }
    source = {"budget_ratio": "the budget / GMV of the plan", "roi": "GMV / budget of the plan",
              "average_order_value": "targets.funnel.average_order_value",
              "conversion_rate": "targets.funnel.conversion_rate",
              "repeat_rate": "targets.funnel.repeat_rate"}
    problems = []
    for i, kpi in enumerate(t.kpis):
        figure = _kpi_figure(kpi.name)
        value = computed.get(figure) if figure else None
        if figure is None or value is None or kpi.value is None:
            continue
        percent = kpi.target.endswith("%")
        stated = kpi.value * 100 if percent else kpi.value
        exponent = stated.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        quantum = Decimal(1).scaleb(-places)
        shown = ((value * 100) if percent else value).quantize(quantum, ROUND_HALF_UP)
        if shown == stated.quantize(quantum, ROUND_HALF_UP):
            continue
        unit = "%" if percent else ""
        diff = abs(shown - stated.quantize(quantum))
        problems.append(_warn(
            spec, ("targets", "kpis", i, "target"), "PF211",
            (_("KPI '{name}' targets {target} but {source} gives {value} ({difference} more in "
               "the KPI)") if stated > shown else
             _("KPI '{name}' targets {target} but {source} gives {value} ({difference} less in "
               "the KPI)")).format(name=kpi.name, target=kpi.target, source=source[figure],
                                   value=f"{format(shown.normalize(), 'f')}{unit}",
                                   difference=f"{format(diff.normalize(), 'f')}{unit}")))
    return problems


# -- market, products, membership ------------------------------------------------------------------

def _segments(spec: Spec, plan: Plan) -> list[Problem]:
    """PF212: target customers' shares of a whole that do not add up to 100%."""
    if plan.market is None:
        return []
    given = [s.share for s in plan.market.target_customers if s.share is not None]
    if not given:
        return []
    total = sum(given, Decimal(0))
    every = len(given) == len(plan.market.target_customers)
    if total == 1 or (not every and total < 1):
        return []
    return [_warn(
        spec, ("market", "target_customers"), "PF212",
        (_("the target customers' shares add up to {total}, not 100% ({difference} more); the "
           "doughnut would show each segment's part of {total} instead of the share its table "
           "prints") if total > 1 else
         _("the target customers' shares add up to {total}, not 100% ({difference} less); the "
           "doughnut would show each segment's part of {total} instead of the share its table "
           "prints")).format(total=_pct(total), difference=_pct(abs(total - 1))))]


def _products(spec: Spec, plan: Plan) -> list[Problem]:
    """PF213 cost at or above price; PF214 a SKU given to two products."""
    problems, skus = [], {}
    for i, p in enumerate(plan.products):
        if p.price is not None and p.cost is not None and p.cost >= p.price:
            problems.append(_warn(
                spec, ("products", i, "cost"), "PF213",
                _("'{name}' costs {cost} to make and sells for {price} ({over} at or above the "
                  "price): its gross margin is {margin}").format(
                    name=p.name, cost=amount(p.cost), price=amount(p.price),
                    over=amount(p.cost - p.price),
                    margin=_pct((p.price - p.cost) / p.price) if p.price else "—")))
        if p.sku:
            if p.sku in skus:
                line = spec.where(("products", skus[p.sku], "sku"))[0]
                problems.append(_warn(
                    spec, ("products", i, "sku"), "PF214",
                    _("SKU {sku} is also the SKU of '{other}' (line {line}); each product needs "
                      "its own").format(sku=p.sku, other=plan.products[skus[p.sku]].name,
                                        line=line)))
            else:
                skus[p.sku] = i
    return problems


def _membership(spec: Spec, plan: Plan) -> list[Problem]:
    """PF215: a membership tier whose threshold does not rise above the tier before it."""
    if plan.membership is None:
        return []
    problems = []
    tiers = plan.membership.tiers
    for i in range(1, len(tiers)):
        prev, cur = tiers[i - 1], tiers[i]
        if prev.threshold is None or cur.threshold is None or cur.threshold > prev.threshold:
            continue
        problems.append(_warn(
            spec, ("membership", "tiers", i, "threshold"), "PF215",
            _("tier '{name}' starts at {threshold} but the tier before it, '{previous}', starts "
              "at {previous_threshold} ({difference}); each tier's threshold must rise").format(
                name=cur.name, threshold=amount(cur.threshold), previous=prev.name,
                previous_threshold=amount(prev.threshold),
                difference=_difference(cur.threshold, prev.threshold))))
    return problems
