"""Summarise a plan for `planforge check`: key figures, warnings and the readiness checklist."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from planforge import fmt
from planforge.model.types import MonthFigure, PeriodFigure, Plan

_MARKS = {"met": "✓", "missing": "✗", "na": "–"}


def _exact(value: Any) -> Any:
    """Write a Decimal as an exact string (JSON numbers would be floats); keep ints and None."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _figures(fig: MonthFigure | PeriodFigure) -> dict:
    return {
        "gmv": _exact(fig.gmv), "budget": _exact(fig.budget),
        "budget_ratio": _exact(fig.budget_ratio), "roi": _exact(fig.roi),
        "orders": fig.orders, "visitors": fig.visitors, "share": _exact(fig.share),
    }


def check_report(plan: Plan) -> dict:
    """Return the check report as JSON-safe data (money and ratios as exact strings)."""
    targets = plan.targets
    year = targets.year
    readiness = plan.readiness
    return {
        "file": str(plan.source),
        "title": plan.meta.title,
        "locale": plan.meta.locale,
        "plan_year": plan.meta.year,
        "months_derived": targets.months_derived,
        "year": _figures(year) if year is not None else None,
        "quarters": [{"quarter": q.label, **_figures(q)} for q in targets.quarters],
        "months": [{"month": m.month, "quarter": m.quarter, **_figures(m)} for m in targets.months],
        "channel_budget": [{"channel": c.channel, "total": _exact(c.total),
                            "share": _exact(c.share),
                            "by_quarter": [_exact(v) for v in c.by_quarter]}
                           for c in plan.channel_budget],
        "warnings": [p.to_dict() for p in plan.warnings],
        "readiness": {
            "met": readiness.met, "missing": readiness.missing,
            "not_applicable": readiness.not_applicable,
            "items": [{"key": i.key, "title": i.title, "status": i.status,
                       "evidence": i.evidence, "advice": i.advice} for i in readiness.items],
        },
    }


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0] + " " * (widths[0] - _width(row[0]))]
        cells += [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:])]
        lines.append("  " + "  ".join(cells).rstrip())
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def format_check_text(report: dict) -> str:
    """Write the check report as plain terminal text (money in the plan's locale style)."""
    loc = report.get("locale") or "en"
    lines = [f"{report['file']}: {report.get('title') or ''}".rstrip(": ")]
    year = report.get("year")
    if year:
        parts = [f"GMV {fmt.money(_dec(year['gmv']), loc)}"]
        if year["budget"] is not None:
            parts.append(f"budget {fmt.money(_dec(year['budget']), loc)}"
                         f" ({fmt.pct(_dec(year['budget_ratio']), loc)} of GMV)")
        if year["roi"] is not None:
            parts.append(f"ROI {fmt.ratio(_dec(year['roi']), loc)}")
        if year["orders"] is not None:
            parts.append(f"orders {fmt.num(year['orders'], loc)}")
        if year["visitors"] is not None:
            parts.append(f"visitors {fmt.num(year['visitors'], loc)}")
        line = f"Year {report.get('plan_year', '')}: " + ", ".join(parts)
        if report.get("months_derived"):
            line += " (months derived from the seasonality profile)"
        lines.append(line)
    if report.get("quarters"):
        rows = [["", "GMV", "budget", "ratio", "ROI", "orders", "visitors", "share"]]
        for q in report["quarters"]:
            rows.append([q["quarter"], fmt.money(_dec(q["gmv"]), loc),
                         fmt.money(_dec(q["budget"]), loc), fmt.pct(_dec(q["budget_ratio"]), loc),
                         fmt.ratio(_dec(q["roi"]), loc), fmt.num(q["orders"], loc),
                         fmt.num(q["visitors"], loc), fmt.pct(_dec(q["share"]), loc)])
        lines += ["", "Quarters:"] + _table(rows)
    warnings = report.get("warnings") or []
    lines += ["", f"Warnings ({len(warnings)}):" if warnings else "Warnings: none"]
    for w in warnings:
        where = w["file"] + (f":{w['line']}:{w['column'] or 1}" if w.get("line") else "")
        lines.append(f"  {where}: {w['path'] + ': ' if w.get('path') else ''}{w['message']}")
    readiness = report.get("readiness")
    if readiness:
        lines += ["", f"Readiness: {readiness['met']} met, {readiness['missing']} missing, "
                      f"{readiness['not_applicable']} not applicable"]
        for item in readiness["items"]:
            text = f"  {_MARKS.get(item['status'], '?')} {item['title']}"
            if item.get("evidence"):
                text += f": {item['evidence']}"
            lines.append(text)
            if item["status"] == "missing" and item.get("advice"):
                lines.append(f"      → {item['advice']}")
    return "\n".join(lines) + "\n"
