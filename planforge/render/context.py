"""The names a template sees: the plan's sections, the pack's labels, chart and Gantt data.

See docs/templates.md for the list. Chart values come straight from the model's figures (in 万
for zh-CN money, so axis labels stay short); nothing is summed here.
"""

from __future__ import annotations

import copy
import math
from dataclasses import fields, replace
from decimal import ROUND_HALF_UP, Decimal

from planforge.model.economics import printed_economics
from planforge.model.types import QUARTERS, Plan
from planforge.packs import Pack, override_labels
from planforge.render.data import ChartData, Gantt, GanttTask, Series, SwotPage
from planforge.render.pptx.directives import balanced_pages
from planforge.render.pptx.fit import text_width_pt
from planforge.render.safe import plain_context

_WAN = Decimal(10_000)
#: Tasks on one Gantt slide: more and the rows get too thin to read, so the Gantt continues.
GANTT_ROWS = 14


def build_context(plan: Plan, pack: Pack, locale: str | None = None) -> dict:
    """Return the template context for ``plan`` rendered with ``pack`` in ``locale``.

    It holds plain data only: ``source`` and ``base_dir`` and every image path are strings.
    """
    locale = locale or plan.meta.locale
    if plan.economics is not None:
        # The P&L as printed: to 100 yuan, months adding up to their printed quarters and year.
        plan = copy.copy(plan)
        plan.economics = printed_economics(plan.economics)
    labels = override_labels(period_labels(pack.labels(locale), len(plan.targets.months)),
                             plan, pack)
    context = {f.name: getattr(plan, f.name) for f in fields(plan)}
    context["channel_budget"] = named_channel_rows(plan, labels)
    gantt = roadmap_gantt(plan, labels)
    context.update(
        labels=labels,
        theme=pack.theme,
        locale=locale,
        charts={**chart_datasets(plan, labels, locale), **economics_charts(plan, labels, locale)},
        pnl_table=pnl_table(plan, labels),
        gantts={"roadmap": gantt},
        gantt_pages=paginate_gantt(gantt, GANTT_ROWS),
        swot_pages=paginate_swot(plan.swot),
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
        "price_bands": price_band_chart(plan, labels, locale),
    }


def roadmap_gantt(plan: Plan, labels: dict) -> Gantt:
    """The roadmap's tasks on the plan year's twelve months, with a band per quarter's phase."""
    tasks = [GanttTask(t.name, t.start_index, t.end_index, t.quarter or "") for t in plan.tasks]
    bands = []
    for q in plan.roadmap:
        first = QUARTERS.index(q.quarter) * 3
        name = labels["quarters"].get(q.quarter, q.quarter)
        bands.append((f"{name} {q.phase}" if q.phase else name, first, first + 2))
    festivals = [(w.name, w.start_col, w.end_col) for w in plan.festivals]
    return Gantt(list(labels["months"]), tasks, bands, festivals=festivals,
                 festival_label=labels.get("festivals", ""))


def paginate_gantt(gantt: Gantt, rows: int) -> list[Gantt]:
    """Split a Gantt into balanced pages of at most ``rows`` tasks (no tasks: no page)."""
    return [Gantt(gantt.columns, tasks, gantt.bands, continued=n > 0,
                  festivals=gantt.festivals, festival_label=gantt.festival_label)
            for n, tasks in enumerate(balanced_pages(gantt.tasks, rows))]


#: One SWOT quadrant of the default deck: text width and height (points) for 12 pt bullets,
#: a bullet line's height and the space after each bullet.
SWOT_BOX = (397.0, 134.0)
SWOT_LINE, SWOT_AFTER, SWOT_SIZE = 14.4, 4.0, 12.0
SWOT_KEYS = ("strengths", "weaknesses", "opportunities", "threats")


def _swot_pages_needed(items: list[str]) -> int:
    width, height = SWOT_BOX
    pages, used = 1, 0.0
    for item in items:
        lines = max(1, math.ceil(text_width_pt(item, SWOT_SIZE) / width))
        need = lines * SWOT_LINE + SWOT_AFTER
        if used and used + need > height:
            pages, used = pages + 1, 0.0
        used += need
    return pages


def paginate_swot(swot) -> list[SwotPage]:
    """The SWOT analysis on as many slides as its longest quadrant needs, items spread evenly,
    so that nothing is cut to fit (no SWOT: no page)."""
    if swot is None:
        return []
    lists = {k: list(getattr(swot, k)) for k in SWOT_KEYS}
    count = max(_swot_pages_needed(items) for items in lists.values())
    split = {k: _even(items, count) for k, items in lists.items()}
    return [SwotPage(**{k: split[k][n] for k in SWOT_KEYS}, number=n + 1, count=count)
            for n in range(count)]


def _even(items: list[str], count: int) -> list[list[str]]:
    base, extra = divmod(len(items), count)
    out, start = [], 0
    for n in range(count):
        end = start + base + (1 if n < extra else 0)
        out.append(items[start:end])
        start = end
    return out


# -- economics: the P&L statement and its charts ---------------------------------------------------

#: The P&L statement, top to bottom: (line, kind) with kind "money", "total" or "ratio".
PNL_ROWS = (("gmv", "total"), ("refunds", "money"), ("net_sales", "total"), ("cogs", "money"),
            ("gross_profit", "total"), ("commission", "money"), ("payment_fees", "money"),
            ("fulfilment", "money"), ("contribution", "total"), ("promotion", "money"),
            ("staff", "money"), ("fixed", "money"), ("operating_result", "total"),
            ("roi", "ratio"), ("break_even_roi", "ratio"))
#: The waterfall from GMV to the operating result: costs step down, totals stand on the axis.
WATERFALL = (("gmv", True), ("refunds", False), ("cogs", False), ("commission", False),
             ("payment_fees", False), ("fulfilment", False), ("contribution", True),
             ("promotion", False), ("staff", False), ("fixed", False), ("operating_result", True))


def pnl_table(plan: Plan, labels: dict) -> list[dict]:
    """The P&L statement by quarter: a row per line with Q1..Q4 (None where the plan has no
    months), the year, and the year's share of GMV. Empty without economics."""
    econ = plan.economics
    if econ is None or econ.year is None:
        return []
    names = labels.get("pnl", {})
    quarters = {q.label: q for q in econ.quarters}
    rows = []
    for key, kind in PNL_ROWS:
        year = getattr(econ.year, key)
        rows.append({
            "key": key, "label": names.get(key, key), "kind": kind,
            "money": kind != "ratio", "total": kind == "total",
            "quarters": [getattr(quarters[q], key) if q in quarters else None for q in QUARTERS],
            "year": year,
            "share": (year / econ.year.gmv if kind != "ratio" and econ.year.gmv else None),
        })
    return rows


def waterfall(plan: Plan) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal]]:
    """Bars of the waterfall: (line, base, total part, cost part above 0, cost part below 0).

    A stacked chart draws the invisible base, then the visible parts; a cost that takes the
    running total below 0 is split at the axis so each part stacks from 0 the right way.
    """
    econ = plan.economics
    year = econ.year if econ else None
    if year is None:
        return []
    zero = Decimal(0)
    bars, level = [], zero
    for key, is_total in WATERFALL:
        value = getattr(year, key)
        if is_total:
            level = value
            bars.append((key, zero, value, zero, zero))
            continue
        top, bottom = level, level - value
        level = bottom
        if bottom >= 0:
            bars.append((key, bottom, zero, top - bottom, zero))
        elif top <= 0:
            bars.append((key, top, zero, zero, bottom - top))
        else:
            bars.append((key, zero, zero, top, bottom))
    return bars


def economics_charts(plan: Plan, labels: dict, locale: str) -> dict[str, ChartData]:
    """Chart datasets of the P&L and the paid channels (empty where the data is missing)."""
    names = labels.get("pnl", {})
    bars = waterfall(plan)
    series = []
    fmt = None
    if bars:
        for i, name in enumerate(("waterfall_base", "waterfall_total", "waterfall_step",
                                  "waterfall_step")):
            values, fmt = _money_series([b[i + 1] for b in bars], locale)
            series.append(Series(names.get(name, name), values, fmt))
    econ = plan.economics
    cumulative = []
    if econ is not None and econ.months:
        values, cfmt = _money_series([m.cumulative for m in econ.months], locale)
        cumulative = [Series(names.get("cumulative", "Cumulative"), values, cfmt)]
    paid = plan.paid
    split = []
    if paid is not None and paid.share is not None and paid.free_gmv is not None \
            and paid.free_gmv >= 0:
        # The shares as printed (two decimals of a percent), the free one the rest of 100%.
        share = paid.share.quantize(Decimal("0.0001"), ROUND_HALF_UP)
        split = [Series(names.get("paid_share", "Share"), [share, 1 - share], "0.00%")]
    month_names = [labels["months"][m.number - 1] for m in econ.months] if econ else []
    return {
        "pnl_waterfall": ChartData([names.get(b[0], b[0]) for b in bars], series, fmt),
        "pnl_cumulative": ChartData(month_names if cumulative else [], cumulative,
                                    cumulative[0].number_format if cumulative else None),
        "paid_split": ChartData([names.get("paid", "Paid"), names.get("free", "Free")]
                                if split else [], split,
                                split[0].number_format if split else None),
    }

def _price_series(values, locale: str):
    """Prices stay in yuan on the price-band chart (a 599 yuan product is not 0.06万)."""
    return list(values), ('#,##0"元"' if locale == "zh-CN" else '"¥"#,##0')


def price_band_chart(plan: Plan, labels: dict, locale: str) -> ChartData:
    """Competitors' bands as floating columns (an unfilled base at the low price, then the
    band's width) and each priced product as a line at its price across them."""
    bands = plan.price_bands
    if not bands:
        return ChartData([], [])
    f = labels.get("fields", {})
    low, fmt = _price_series([b.low for b in bands], locale)
    spread, _series = _price_series([b.spread for b in bands], locale)
    series = [Series(f.get("band_low", "Low"), low, fmt),
              Series(f.get("price_band", "Price band"), spread, fmt)]
    for p in plan.products:
        if p.price is not None:
            series.append(Series(p.name, _price_series([p.price] * len(bands), locale)[0], fmt))
    return ChartData([b.name for b in bands], series, fmt)
