"""Warn where the spec's figures disagree with each other (they are not errors: plans change)."""

from __future__ import annotations

from decimal import Decimal

from planforge.errors import Problem
from planforge.loader import Spec
from planforge.model.types import Plan


def amount(value: Decimal) -> str:
    """Write money for a warning: ``370,000`` (exact, with fen when there are any)."""
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), ",f")
    return format(value, ",f")


def _difference(a: Decimal, b: Decimal) -> str:
    diff = a - b
    return f"{amount(abs(diff))} {'more' if diff > 0 else 'less'}"


def check_consistency(spec: Spec, plan: Plan) -> list[Problem]:
    """Return warnings for roadmap budgets, quarter targets and events that disagree with months."""
    return _roadmap(spec, plan) + _events(spec, plan)


def _roadmap(spec: Spec, plan: Plan) -> list[Problem]:
    problems = []
    quarters = {q.label: q for q in plan.targets.quarters}
    for i, rq in enumerate(plan.roadmap):
        months = quarters.get(rq.quarter)
        q = rq.quarter
        if rq.budget_total is not None and months is not None and months.budget is not None \
                and rq.budget_total != months.budget:
            problems.append(spec.problem(
                ("roadmap", i, "budget"),
                f"{q} roadmap channel budgets add up to {amount(rq.budget_total)} but the {q} "
                f"monthly budgets add up to {amount(months.budget)} "
                f"({_difference(rq.budget_total, months.budget)})",
                key=True, severity="warning"))
        if rq.gmv_target is not None and months is not None and rq.gmv_target != months.gmv:
            problems.append(spec.problem(
                ("roadmap", i, "gmv_target"),
                f"{q} gmv_target is {amount(rq.gmv_target)} but the {q} monthly GMV adds up to "
                f"{amount(months.gmv)} ({_difference(rq.gmv_target, months.gmv)})",
                severity="warning"))
        if months is None and (rq.budget_total is not None or rq.gmv_target is not None):
            problems.append(spec.problem(
                ("roadmap", i, "quarter"),
                f"the roadmap has figures for {q} but targets.months has no month in {q}",
                severity="warning"))
    return problems


def _events(spec: Spec, plan: Plan) -> list[Problem]:
    problems = []
    if plan.promotion is None:
        return problems
    months = {m.month: m for m in plan.targets.months}
    year = plan.meta.year
    for i, event in enumerate(plan.promotion.events):
        if event.date is None:
            continue
        if event.date.year != year:
            problems.append(spec.problem(
                ("promotion", "events", i, "date"),
                f"event '{event.name}' on {event.date.isoformat()} is outside the plan year {year}",
                severity="warning"))
            continue
        month = months.get(event.month)
        if event.budget is None or month is None or month.budget is None:
            continue
        if event.budget > month.budget:
            problems.append(spec.problem(
                ("promotion", "events", i, "budget"),
                f"event '{event.name}' has a budget of {amount(event.budget)} but its month "
                f"{event.month} has a budget of {amount(month.budget)} "
                f"({_difference(event.budget, month.budget)})",
                severity="warning"))
    return problems
