"""Build the typed plan, with every derived figure, from one validated spec."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from planforge.errors import Problem
from planforge.i18n import _
from planforge.loader import Spec
from planforge.model import sections as s
from planforge.model.adlint import lint_claims
from planforge.model.consistency import check_consistency
from planforge.model.allocate import shares
from planforge.model.econ_warnings import economics_warnings
from planforge.model.economics import build_economics, build_paid, store_terms
from planforge.model.extensions import attach as attach_extensions
from planforge.model.figures import month_figure, periods
from planforge.model.calendar import (
    Calendar, apply_ramp, calendar_path_of, calendar_profile, festival_months,
    festival_problems, festival_windows, load_calendar,
)
from planforge.model.opening import load_rules, opening_terms, rules_path_of, spec_annual_fee
from planforge.model.preflight import assess_preflight
from planforge.model.price_bands import price_band_problems, price_bands
from planforge.model.readiness import assess_readiness
from planforge.model.seasonality import DEFAULT_PROFILE, normalise, split_exact
from planforge.model.types import (
    QUARTERS, ChannelAmount, ChannelBudget, Event, Funnel, Kpi, Plan, Promotion, RoadmapQuarter,
    Targets, Task,
)
from planforge.units import parse_money, parse_ratio, to_decimal


def build_model(spec: Spec, *, rules: str | Path | None = None,
                calendar: str | Path | None = None) -> Plan:
    """Return the plan for a spec that passed validation; warnings are in ``plan.warnings``.

    ``rules`` and ``calendar`` are the paths of a rules table and a festival calendar that
    replace the shipped ones (and ``meta.rules`` / ``meta.calendar``).
    """
    data = spec.data
    table = load_rules(rules_path_of(data, spec.base_dir, rules))
    cal = load_calendar(calendar_path_of(data, spec.base_dir, calendar))
    brand = s.build_brand(data["brand"], spec.base_dir)
    meta = s.build_meta(data, brand.name)
    products, roles = s.build_products(data.get("products"), spec.base_dir)
    market, strategy = s.build_market(data.get("market"))
    targets = build_targets(data["targets"], meta.year, cal)
    roadmap, tasks, task_problems = build_roadmap(spec, meta.year, targets)
    promotion = s.build_promotion_channels(data.get("promotion"))
    events = build_events((data.get("promotion") or {}).get("events"))
    if events and promotion is None:
        promotion = Promotion()
    if promotion is not None:
        promotion.events = events
    plan = Plan(
        source=spec.path, base_dir=spec.base_dir, meta=meta, brand=brand,
        company=s.build_company(data["company"]), targets=targets,
        team=s.build_team(data.get("team")), products=products, product_roles=roles,
        market=market, strategy=strategy, swot=s.build_swot(data.get("swot")),
        roadmap=roadmap, tasks=tasks, promotion=promotion,
        service=s.build_service(data.get("service")),
        membership=s.build_membership(data.get("membership")),
        risks=s.build_risks(data.get("risks")),
        qualification=s.build_qualification(data.get("qualification")),
    )
    plan.promotion_budget = promotion_budget(targets, roadmap)
    for key in meta.labels:
        line, col = spec.key_where(("meta", "labels", key))
        meta.label_sites[key] = (line, col, spec.lines[line - 1] if 0 < line <= len(spec.lines)
                                 else "")
    plan.rules = table
    plan.calendar = cal
    plan.festivals = festival_windows(cal, meta.year, meta.locale)
    if plan.festivals:
        plan.calendar_note = cal.note.get("zh-CN" if meta.locale.startswith("zh") else "en") \
            or "indicative"
    plan.festival_months = festival_months(plan.festivals,
                                           "、" if meta.locale.startswith("zh") else ", ")
    tm = brand.trademark
    plan.opening = opening_terms(
        table, store_type=meta.store_type, mark=tm.status if tm else None,
        category=meta.category, locale=meta.locale,
        deposit=plan.qualification.deposit if plan.qualification else None,
        annual_fee=spec_annual_fee(data))
    plan.channel_budget, plan.channel_budget_total, plan.channel_budget_by_quarter = \
        channel_budgets(roadmap, promotion, targets)
    plan.economics = build_economics(plan, data.get("economics"), store_terms(plan, data))
    # Every object built from a mapping of the spec is there now: hand each its x- fields.
    attach_extensions(plan, data)
    plan.paid = build_paid(plan)
    plan.readiness = assess_readiness(plan)
    plan.preflight = assess_preflight(plan)
    plan.price_bands = price_bands(plan)
    problems: list[Problem] = task_problems + check_consistency(spec, plan) + lint_claims(spec)
    problems += economics_warnings(spec, plan)
    festival_warnings, notes = festival_problems(spec, plan)
    problems += festival_warnings + price_band_problems(spec, plan)
    plan.notes = sorted(notes)
    if data["targets"].get("ramp") and data["targets"].get("months"):
        problems.append(spec.problem(
            ("targets", "ramp"), _("targets.ramp scales derived months only; targets.months are "
                                   "given, so the ramp is not applied (write the ramped figures "
                                   "into the months, or leave the months out)"),
            key=True, severity="warning", code="PF270"))
    plan.warnings = sorted(problems)
    return plan


def build_targets(raw: dict, year: int, cal: Calendar | None = None) -> Targets:
    """Build targets with monthly, quarterly and yearly figures (months derived when absent).

    Derived months take the seasonality profile (the default one follows ``cal``: January and
    February share their weight by the plan year's New Year), and ``ramp`` scales the first
    months' GMV of a new store; the months still add up to the annual figures exactly.
    """
    annual_gmv = s.money(raw["annual_gmv"])
    annual_budget = s.money(raw.get("annual_budget"))
    fr = raw.get("funnel")
    funnel = None
    if fr:
        funnel = Funnel(conversion_rate=s.rate(fr.get("conversion_rate")),
                        average_order_value=s.money(fr.get("average_order_value")),
                        repeat_rate=s.rate(fr.get("repeat_rate")))
    targets = Targets(annual_gmv=annual_gmv, annual_budget=annual_budget, funnel=funnel,
                      kpis=[_kpi(k) for k in raw.get("kpis") or []])
    if raw.get("months"):
        targets.months = [month_figure(str(m["month"]), s.money(m["gmv"]), s.money(m.get("budget")),
                                       funnel) for m in raw["months"]]
    else:
        if raw.get("seasonality"):
            weights = [Fraction(to_decimal(w)) for w in raw["seasonality"]]
        else:
            weights = calendar_profile(cal, year, DEFAULT_PROFILE)
            targets.calendar_year = cal is not None and year in cal.years
        ramp = [Fraction(to_decimal(r)) for r in raw.get("ramp") or []]
        targets.ramp = [to_decimal(r) for r in raw.get("ramp") or []]
        gmv_weights = apply_ramp(weights, ramp)
        gmvs = split_exact(annual_gmv, gmv_weights)
        budgets = split_exact(annual_budget, weights) if annual_budget is not None else [None] * 12
        targets.months = [month_figure(f"{year}-{n:02d}", gmvs[n - 1], budgets[n - 1], funnel)
                          for n in range(1, 13)]
        targets.months_derived = True
        targets.seasonality = normalise(gmv_weights)
    targets.quarters, targets.year = periods(targets.months, funnel)
    return targets


def _kpi(raw: dict) -> Kpi:
    target = raw.get("target")
    shown = str(to_decimal(target)) if isinstance(target, (int, float)) else str(target).strip()
    value = None
    try:
        value = (to_decimal(target) if isinstance(target, (int, float))
                 else parse_ratio(shown) if shown.endswith("%") else parse_money(shown))
    except (ValueError, ArithmeticError):
        value = None  # a text target such as "TOP20" stays text
    if value is not None and not value.is_finite():
        value = None
    return Kpi(name=str(raw["name"]).strip(), target=shown, value=value)


def _month_index(month: str, year: int) -> tuple[int, bool]:
    """Return the 0-based index of a "YYYY-MM" month in the plan year, clamped, and if it fits."""
    y, m = int(month[:4]), int(month[5:7])
    index = (y - year) * 12 + m - 1
    return min(max(index, 0), 11), 0 <= index <= 11


def build_roadmap(spec: Spec, year: int,
                  targets: Targets) -> tuple[list[RoadmapQuarter], list[Task], list[Problem]]:
    """Build roadmap quarters, the flat task list (with month indexes) and out-of-year warnings."""
    quarters, tasks, problems = [], [], []
    months_gmv = {q.label: q.gmv for q in targets.quarters}
    months_budget = {q.label: q.budget for q in targets.quarters}
    for qi, raw in enumerate(spec.data.get("roadmap") or []):
        label = str(raw["quarter"])
        budget = [ChannelAmount(channel=str(b["channel"]).strip(), amount=s.money(b["amount"]))
                  for b in raw.get("budget") or []]
        quarter = RoadmapQuarter(
            quarter=label, phase=s.text(raw.get("phase")),
            gmv_target=s.money(raw.get("gmv_target")), goals=s.texts(raw.get("goals")),
            budget=budget,
            budget_total=sum((b.amount for b in budget), Decimal(0)) if budget else None,
            months_gmv=months_gmv.get(label))
        quarter.quarter_budget = months_budget.get(label)
        if quarter.quarter_budget is None:
            quarter.quarter_budget = quarter.budget_total
        elif quarter.quarter_budget > (quarter.budget_total or 0):
            quarter.unallocated = quarter.quarter_budget - (quarter.budget_total or 0)
        for ti, t in enumerate(raw.get("tasks") or []):
            start, end = str(t["start"]).strip(), str(t["end"]).strip()
            si, start_ok = _month_index(start, year)
            ei, end_ok = _month_index(end, year)
            task = Task(name=str(t["name"]).strip(), start=start, end=end,
                        owner=s.text(t.get("owner")), quarter=label, start_index=si,
                        end_index=max(ei, si))
            if not (start_ok and end_ok):
                where = "start" if not start_ok else "end"
                problems.append(spec.problem(
                    ("roadmap", qi, "tasks", ti, where),
                    _("task '{task}' runs {start} to {end}, outside the plan year {year}; the "
                      "Gantt chart shows it clipped to {year}").format(
                        task=task.name, start=start, end=end, year=year),
                    severity="warning", code="PF216"))
            quarter.tasks.append(task)
            tasks.append(task)
        quarters.append(quarter)
    return quarters, tasks, problems


def promotion_budget(targets: Targets, roadmap: list[RoadmapQuarter]) -> Decimal | None:
    """The plan period's promotion budget: months' budgets, else annual_budget, else channels."""
    if targets.year is not None and targets.year.budget is not None:
        return targets.year.budget
    if targets.annual_budget is not None:
        return targets.annual_budget
    lines = [b.amount for q in roadmap if q.quarter in QUARTERS for b in q.budget]
    return sum(lines, Decimal(0)) if lines else None


def channel_budgets(roadmap: list[RoadmapQuarter], promotion: Promotion | None,
                    targets: Targets | None = None
                    ) -> tuple[list[ChannelBudget], Decimal | None, list[Decimal | None]]:
    """Total each channel's roadmap budget per quarter, biggest channel first, then the part of
    the promotion budget no channel line covers (per quarter where the months have budgets).

    Shares are shares of the rows' total (the promotion budget unless channels overspend it),
    allocated to two decimals of a percent so that they add up to 100%.
    """
    kinds = {c.name: c.kind for c in (promotion.channels if promotion else [])}
    by_channel: dict[str, list[Decimal]] = {}
    for quarter in roadmap:
        if quarter.quarter not in QUARTERS:
            continue
        qi = QUARTERS.index(quarter.quarter)
        for line in quarter.budget:
            row = by_channel.setdefault(line.channel, [Decimal(0)] * 4)
            row[qi] += line.amount
    if not by_channel:
        return [], None, []
    rows = [ChannelBudget(channel=name, by_quarter=row, total=sum(row, Decimal(0)),
                          kind=kinds.get(name)) for name, row in by_channel.items()]
    rows.sort(key=lambda r: (-r.total, r.channel))
    lines = [sum((r.by_quarter[i] for r in rows), Decimal(0)) for i in range(4)]
    extra = _unallocated(lines, targets) if targets is not None else None
    if extra is not None:
        rows.append(extra)
    by_quarter: list[Decimal | None] = [
        None if any(r.by_quarter[i] is None for r in rows)
        else sum((r.by_quarter[i] for r in rows), Decimal(0)) for i in range(4)]
    grand = sum((r.total for r in rows), Decimal(0))
    for row, share in zip(rows, shares([r.total for r in rows])):
        row.share = share
    return rows, grand, by_quarter


def _unallocated(lines: list[Decimal], targets: Targets) -> ChannelBudget | None:
    """The budget the channel lines leave uncovered, or None when they cover all of it."""
    quarters = {q.label: q for q in targets.quarters}
    if targets.year is not None and targets.year.budget is not None:
        left: list[Decimal | None] = []
        for i, q in enumerate(QUARTERS):
            months = quarters.get(q)
            budget = months.budget if months is not None else None
            left.append(max(budget - lines[i], Decimal(0)) if budget is not None else Decimal(0))
        total = sum((v for v in left if v is not None), Decimal(0))
    elif targets.annual_budget is not None:
        total = max(targets.annual_budget - sum(lines, Decimal(0)), Decimal(0))
        left = [None] * 4  # no monthly budgets: the quarters of the rest are unknown
    else:
        return None
    if total == 0:
        return None
    return ChannelBudget(channel="", by_quarter=left, total=total, unallocated=True)


def build_events(items: list | None) -> list[Event]:
    """Build promotion events with the month each falls in."""
    events = []
    for e in items or []:
        day = s.as_date(e.get("date"))
        events.append(Event(name=str(e["name"]).strip(), date=day,
                             month=f"{day.year}-{day.month:02d}" if day else None,
                             budget=s.money(e.get("budget")), goal=s.text(e.get("goal"))))
    return events
