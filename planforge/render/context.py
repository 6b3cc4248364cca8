"""The names a template sees: the plan's sections, the pack's labels, chart and Gantt data.

See docs/templates.md for the list. Chart values come straight from the model's figures (in 万
for zh-CN money, so axis labels stay short); nothing is summed here.
"""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from planforge.model.types import QUARTERS, Plan
from planforge.packs import Pack
from planforge.render.data import ChartData, Gantt, GanttTask, Series
from planforge.render.safe import plain_context

_WAN = Decimal(10_000)
#: Tasks on one Gantt slide: more and the rows get too thin to read, so the Gantt continues.
GANTT_ROWS = 14


def build_context(plan: Plan, pack: Pack, locale: str | None = None) -> dict:
    """Return the template context for ``plan`` rendered with ``pack`` in ``locale``.

    It holds plain data only: ``source`` and ``base_dir`` and every image path are strings.
    """
    locale = locale or plan.meta.locale
    labels = pack.labels(locale)
    context = {f.name: getattr(plan, f.name) for f in fields(plan)}
    gantt = roadmap_gantt(plan, labels)
    context.update(
        labels=labels,
        theme=pack.theme,
        locale=locale,
        charts=chart_datasets(plan, labels, locale),
        gantts={"roadmap": gantt},
        gantt_pages=paginate_gantt(gantt, GANTT_ROWS),
    )
    # Templates see data, never the file system: paths become strings, and nothing else but
    # plain values and planforge's template objects gets through (planforge.render.safe).
    return plain_context(context)


def _money_series(values, locale: str):
    """Chart values for money: 万 in Chinese decks, yuan otherwise (exact Decimal either way)."""
    if locale == "zh-CN":
        return [None if v is None else v / _WAN for v in values], '#,##0.0"万"'
    return list(values), '"¥"#,##0'


def chart_datasets(plan: Plan, labels: dict, locale: str) -> dict[str, ChartData]:
    """Build every named chart dataset a template may bind with ``chart:<name>``."""
    f = labels.get("fields", {})
    months = plan.targets.months
    month_names = [labels["months"][m.number - 1] for m in months]

    monthly = []
    gmv, fmt = _money_series([m.gmv for m in months], locale)
    monthly.append(Series(f.get("gmv_unit", "GMV"), gmv, fmt))
    if months and all(m.budget is not None for m in months):
        budget, fmt = _money_series([m.budget for m in months], locale)
        monthly.append(Series(f.get("budget_unit", "Budget"), budget, fmt))

    channels = plan.channel_budget
    totals, fmt = _money_series([c.total for c in channels], locale)
    by_quarter = []
    for c in channels:
        values, qfmt = _money_series(c.by_quarter, locale)
        by_quarter.append(Series(c.channel, values, qfmt))

    segments = plan.market.target_customers if plan.market else []
    segments = [s for s in segments if s.share is not None]

    funnel = []
    if months and all(m.visitors is not None for m in months):
        funnel = [Series(f.get("visitors", "Visitors"), [m.visitors for m in months], "#,##0"),
                  Series(f.get("orders", "Orders"), [m.orders for m in months], "#,##0")]

    return {
        "monthly": ChartData(month_names if months else [], monthly, fmt),
        "channels": ChartData([c.channel for c in channels],
                              [Series(f.get("budget_unit", "Budget"), totals, fmt)] if channels else [], fmt),
        "channels_by_quarter": ChartData(
            [labels["quarters"].get(q, q) for q in QUARTERS] if channels else [], by_quarter, fmt),
        "segments": ChartData([s.segment for s in segments],
                              [Series(f.get("share", "Share"), [s.share for s in segments], "0%")]
                              if segments else [], "0%"),
        "funnel": ChartData(month_names if funnel else [], funnel, "#,##0"),
    }


def roadmap_gantt(plan: Plan, labels: dict) -> Gantt:
    """The roadmap's tasks on the plan year's twelve months, with a band per quarter's phase."""
    tasks = [GanttTask(t.name, t.start_index, t.end_index, t.quarter or "") for t in plan.tasks]
    bands = []
    for q in plan.roadmap:
        first = QUARTERS.index(q.quarter) * 3
        name = labels["quarters"].get(q.quarter, q.quarter)
        bands.append((f"{name} {q.phase}" if q.phase else name, first, first + 2))
    return Gantt(list(labels["months"]), tasks, bands)


def paginate_gantt(gantt: Gantt, rows: int) -> list[Gantt]:
    """Split a Gantt into pages of at most ``rows`` tasks (no tasks: no page)."""
    return [Gantt(gantt.columns, gantt.tasks[i:i + rows], gantt.bands, continued=i > 0)
            for i in range(0, len(gantt.tasks), rows)]
