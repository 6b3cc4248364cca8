"""Semantic rules the schema cannot express: month order, sums, task dates, images, ratios."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import ROUND_DOWN, Decimal

from planforge.errors import Problem
from planforge.i18n import _
from planforge.loader import Spec
from planforge.resources import read_schema
from planforge.units import parse_money, parse_ratio
from planforge.validation.economics import economics_problems
from planforge.validation.images import image_problem
from planforge.validation.walk import values_of

_FINEST_MONEY = Decimal("0.0001")

PathT = tuple
Clean = Callable[..., bool]


def semantic_problems(spec: Spec, bad: set[PathT]) -> list[Problem]:
    """Run every rule on the parts of the spec that passed the schema."""
    def clean(*paths: PathT) -> bool:
        """Tell whether no schema error lies at, inside, or above any of ``paths``."""
        return not any(b[: len(p)] == p or p[: len(b)] == b for p in paths for b in bad)

    problems: list[Problem] = []
    for rule in (_months, _sums, _month_budgets, _roadmap, _money, _ratios, _images, _seasonality,
                 economics_problems, _authorisation, _ramp, _tables):
        problems.extend(rule(spec, clean))
    return problems


def _get(data, *path):
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _month_items(spec: Spec) -> list:
    months = _get(spec.data, "targets", "months")
    return months if isinstance(months, list) else []


def _months(spec: Spec, clean: Clean) -> Iterator[Problem]:
    items = _month_items(spec)
    paths = [("targets", "months", i, "month") for i in range(len(items))]
    if not items or not clean(("targets", "months"), *paths):
        return
    year = _get(spec.data, "meta", "year")
    year_ok = isinstance(year, int) and clean(("meta", "year"))
    seen: dict[str, int] = {}
    order: list[tuple[int, int, str]] = []  # (index, month number, text) of first occurrences
    for i, item in enumerate(items):
        month = item["month"]
        path = ("targets", "months", i, "month")
        if month in seen:
            line = spec.where(("targets", "months", seen[month], "month"))[0]
            yield spec.problem(path, _("month {month} is given twice (first on line {line}); "
                                       "each month may appear once").format(month=month, line=line),
                               code="PF130")
            continue
        seen[month] = i
        if year_ok and int(month[:4]) != year:
            yield spec.problem(path, _("month {month} is outside the plan year {year} (meta.year); "
                                       "monthly targets cover {year}-01 to {year}-12").format(
                                           month=month, year=year), code="PF131")
            continue
        order.append((i, int(month[:4]) * 12 + int(month[5:]) - 1, month))
    for (_first, prev, prev_text), (i, cur, text) in zip(order, order[1:]):
        path = ("targets", "months", i, "month")
        if cur < prev:
            yield spec.problem(path, _("month {month} comes after {previous}; list the months in "
                                       "calendar order").format(month=text, previous=prev_text),
                               code="PF132")
        elif cur > prev + 1:
            gap = [_month_text(m) for m in range(prev + 1, cur)]
            missing = gap[0] if len(gap) == 1 else _("{first} to {last}").format(
                first=gap[0], last=gap[-1])
            yield spec.problem(path, _("month {month} follows {previous}: the months must be "
                                       "consecutive ({missing} missing)").format(
                                           month=text, previous=prev_text, missing=missing),
                               code="PF132")


def _month_text(n: int) -> str:
    return f"{n // 12}-{n % 12 + 1:02d}"


def _sums(spec: Spec, clean: Clean) -> Iterator[Problem]:
    items = _month_items(spec)
    targets = _get(spec.data, "targets")
    if not items or not isinstance(targets, dict):
        return
    for field, total_key in (("gmv", "annual_gmv"), ("budget", "annual_budget")):
        if total_key not in targets or not all(isinstance(m, dict) and field in m for m in items):
            continue
        paths = [("targets", "months", i, field) for i in range(len(items))]
        if not clean(("targets", total_key), *paths):
            continue
        try:
            total = parse_money(targets[total_key])
            summed = sum((parse_money(m[field]) for m in items), Decimal(0))
        except (ValueError, ArithmeticError):  # too large: _money reports it
            continue
        if summed != total:
            diff = total - summed
            how = (_("{amount} short") if diff > 0 else _("{amount} over")).format(
                amount=_amount(abs(diff)))
            yield spec.problem(("targets", total_key),
                               _("the months' {field} add up to {summed} but {total_key} "
                                 "is {total} ({how}); make them agree or leave "
                                 "{total_key} out").format(field=field, summed=_amount(summed),
                                                           total_key=total_key,
                                                           total=_amount(total), how=how),
                               code="PF133")


def _month_budgets(spec: Spec, clean: Clean) -> Iterator[Problem]:
    """PF200: some months have a budget and others not, so the plan's budget would be two numbers
    (the months' sum on one slide, annual_budget on another)."""
    items = [m for m in _month_items(spec) if isinstance(m, dict)]
    with_budget = [i for i, m in enumerate(items) if "budget" in m]
    if not with_budget or len(with_budget) == len(items):
        return
    first = spec.where(("targets", "months", with_budget[0], "budget"))[0]
    for i, m in enumerate(items):
        if "budget" not in m and clean(("targets", "months", i)):
            yield spec.problem(
                ("targets", "months", i),
                _("month {month} has no budget but {count} other month(s) have one (first on "
                  "line {line}); give every month a budget (0 for none) or leave budget out of "
                  "all months").format(month=m.get("month"), count=len(with_budget), line=first),
                code="PF200", hint="budget: 0")


def _amount(d: Decimal) -> str:
    return f"{d:,}"


def _roadmap(spec: Spec, clean: Clean) -> Iterator[Problem]:
    roadmap = _get(spec.data, "roadmap")
    if not isinstance(roadmap, list):
        return
    first: dict[str, int] = {}
    for q, plan in enumerate(roadmap):
        if not isinstance(plan, dict):
            continue
        quarter = plan.get("quarter")
        if isinstance(quarter, str) and clean(("roadmap", q, "quarter")):
            if quarter in first:
                line = spec.where(("roadmap", first[quarter], "quarter"))[0]
                yield spec.problem(("roadmap", q, "quarter"),
                                   _("{quarter} is planned twice (first on line {line}); "
                                     "give each quarter once").format(quarter=quarter, line=line),
                                   code="PF134")
            else:
                first[quarter] = q
        tasks = plan.get("tasks")
        for t, task in enumerate(tasks if isinstance(tasks, list) else []):
            base = ("roadmap", q, "tasks", t)
            if not isinstance(task, dict) or not clean(base + ("start",), base + ("end",)):
                continue
            start, end = task.get("start"), task.get("end")
            if isinstance(start, str) and isinstance(end, str) and end < start:
                yield spec.problem(base + ("end",),
                                   _("the task ends ({end}) before it starts ({start}); end must "
                                     "be the same month as start or later").format(
                                         end=end, start=start), code="PF135")


def _money(spec: Spec, clean: Clean) -> Iterator[Problem]:
    for path, value in values_of(read_schema(), spec.data, "money"):
        if clean(path):
            try:
                amount = parse_money(value)
            except (ValueError, ArithmeticError):
                yield spec.problem(path, _("this amount is too large to calculate with; "
                                           "check the number of digits and the unit"),
                                  code="PF136")
                continue
            if amount != amount.quantize(_FINEST_MONEY, rounding=ROUND_DOWN):
                # 1e-300 yuan prints as 0 and sums to nothing: a slip, not an amount.
                shown = spec.raw.get(tuple(path), repr(value))
                yield spec.problem(path, _("{value} has more than 4 decimal places; an amount "
                                           "of money is given in yuan to a hundredth of a fen at "
                                           "most").format(value=shown), code="PF507")


def _ratios(spec: Spec, clean: Clean) -> Iterator[Problem]:
    for path, value in values_of(read_schema(), spec.data, "ratio"):
        if isinstance(value, str) and clean(path):
            try:
                parse_ratio(value)
            except ValueError:
                yield spec.problem(path, _("{value} is more than 100%; a ratio is "
                                           "between 0% and 100%").format(value=value.strip()),
                                   code="PF137")


def _images(spec: Spec, clean: Clean) -> Iterator[Problem]:
    for path, value in values_of(read_schema(), spec.data, "image"):
        if isinstance(value, str) and clean(path):
            problem = image_problem(spec, path, value)
            if problem:
                yield problem


def _seasonality(spec: Spec, clean: Clean) -> Iterator[Problem]:
    weights = _get(spec.data, "targets", "seasonality")
    path = ("targets", "seasonality")
    if isinstance(weights, list) and weights and clean(path) and not any(weights):
        yield spec.problem(path, _("all 12 seasonality weights are 0; give at least one month a "
                                   "weight above 0 (or leave seasonality out for the default "
                                   "profile)"), code="PF139")


def _authorisation(spec: Spec, clean: Clean) -> Iterator[Problem]:
    until = _get(spec.data, "qualification", "authorisation_until")
    date = _get(spec.data, "meta", "date")
    path = ("qualification", "authorisation_until")
    if until is None or date is None or not clean(path, ("meta", "date")):
        return
    try:
        until_d, date_d = _day(until), _day(date)
    except ValueError:
        return
    if until_d < date_d:
        yield spec.problem(path, _("the authorisation ends on {until}, before the document date "
                                   "{date} (meta.date); renew it, or give the date of the "
                                   "renewed authorisation").format(until=until_d.isoformat(),
                                                                   date=date_d.isoformat()),
                           code="PF275")


def _day(value):
    import datetime as dt

    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())


def _ramp(spec: Spec, clean: Clean) -> Iterator[Problem]:
    ramp = _get(spec.data, "targets", "ramp")
    path = ("targets", "ramp")
    if not isinstance(ramp, list) or not clean(path):
        return
    months = _month_items(spec)
    if months and len(ramp) > len(months):
        yield spec.problem(path, _("the ramp has {count} multipliers but the plan has {months} "
                                   "months (targets.months); give at most one multiplier per "
                                   "month").format(count=len(ramp), months=len(months)),
                           code="PF276")


def _tables(spec: Spec, clean: Clean) -> Iterator[Problem]:
    """A rules table or festival calendar named by the spec must exist and follow its schema."""
    from planforge.errors import SpecError
    from planforge.model.calendar import load_calendar
    from planforge.model.opening import load_rules

    for key, load in (("rules", load_rules), ("calendar", load_calendar)):
        given = _get(spec.data, "meta", key)
        if not isinstance(given, str) or not given.strip() or not clean(("meta", key)):
            continue
        file = spec.base_dir / given.strip()
        inside = file.resolve().is_relative_to(spec.base_dir.resolve())
        if not inside:
            yield spec.problem(("meta", key), _("the {key} file {path} is outside the spec's "
                                                "folder; keep it beside the spec (or pass "
                                                "--{key} on the command line)").format(
                key=key, path=given.strip()), code="PF277")
            continue
        if not file.is_file():
            yield spec.problem(("meta", key), _("no {key} file at {path} (the path is relative "
                                                "to the spec file)").format(
                key=key, path=given.strip()), code="PF277")
            continue
        try:
            load(file)
        except SpecError as e:
            if e.problems:
                yield from e.problems
            else:
                yield spec.problem(("meta", key), e.message)
