"""The names a template sees: the plan's sections, the pack's labels, chart and Gantt data.

See docs/templates.md for the list. Chart values come straight from the model's figures (in 万
for zh-CN money, so axis labels stay short); nothing is summed here.
"""

from __future__ import annotations

from dataclasses import fields, replace
from decimal import ROUND_HALF_UP, Decimal

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
    labels = period_labels(pack.labels(locale), len(plan.targets.months))
    context = {f.name: getattr(plan, f.name) for f in fields(plan)}
    context["channel_budget"] = named_channel_rows(plan, labels)
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


def period_labels(labels: dict, months: int) -> dict:
    """Labels for a plan of ``months`` months: shorter than twelve, the pack's ``period``
    labels (计划期 / plan period) replace those that say 全年 / full year."""
    overlay = labels.get("period")
    if months >= 12 or not isinstance(overlay, dict):
        return labels
    return _merged(labels, overlay)


def _merged(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def unallocated_label(labels: dict) -> str:
    """The pack's name for the budget no channel line covers (未分配 / Unallocated)."""
    return str(labels.get("fields", {}).get("unallocated") or "—")


def named_channel_rows(plan: Plan, labels: dict) -> list:
    """The channel budget rows with the unallocated row named in the document's language."""
    name = unallocated_label(labels)
    return [replace(c, channel=name) if c.unallocated else c for c in plan.channel_budget]


def _money_series(values, locale: str):
    """Chart values for money: 万 in Chinese decks (rounded to the two decimals the tables
    print, so the chart plots what the table says), yuan otherwise."""
    if locale == "zh-CN":
        return [None if v is None else (v / _WAN).quantize(Decimal("0.01"), ROUND_HALF_UP)
                for v in values], 'General"万"'
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

    channels = named_channel_rows(plan, labels)
    fmt = _money_series([], locale)[1]
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
        # Slices are the shares the budget table prints (they add up to 100%), not amounts.
        "channels": ChartData([c.channel for c in channels],
                              [Series(f.get("share", "Share"), [c.share for c in channels],
                                      "0.00%")] if channels else [], "0.00%"),
        "channels_by_quarter": ChartData(
            [labels["quarters"].get(q, q) for q in QUARTERS] if channels else [], by_quarter, fmt),
        "segments": ChartData([s.segment for s in segments],
                              [Series(f.get("share", "Share"), [s.share for s in segments],
                                      "0.00%")] if segments else [], "0.00%"),
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
