"""Summarise a plan for `planforge check`: key figures, warnings and the readiness checklist."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from planforge import fmt, i18n
from planforge.i18n import N_, _
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


_PNL_KEYS = ("gmv", "refunds", "net_sales", "cogs", "gross_profit", "commission", "payment_fees",
             "fulfilment", "selling_costs", "contribution", "promotion", "staff", "fixed",
             "overheads", "operating_result", "orders", "cumulative", "roi", "break_even_roi", "operating_margin")


def _pnl(fig) -> dict:
    return {"label": fig.label, **{k: _exact(getattr(fig, k)) for k in _PNL_KEYS},
            "below_break_even": fig.below_break_even}


def economics_report(plan: Plan) -> dict | None:
    """The P&L, break-even ROI and funding need as JSON-safe data (exact strings)."""
    econ = plan.economics
    if econ is None:
        return None
    return {
        "margin": _exact(econ.margin), "margin_basis": econ.margin_basis,
        "mix": [{"product": p.name, "share": _exact(p.mix_share)}
                for p in plan.products if p.mix_share is not None],
        "commission_rate": _exact(econ.commission_rate),
        "commission_source": econ.commission_source,
        "payment_fee_rate": _exact(econ.payment_fee_rate),
        "refund_rate": _exact(econ.refund_rate),
        "fulfilment_per_order": _exact(econ.fulfilment_per_order),
        "staff_monthly": _exact(econ.staff_monthly),
        "annual_fee": _exact(econ.annual_fee), "annual_fee_source": econ.annual_fee_source,
        "fixed": [{"name": f.name, "amount": _exact(f.amount)} for f in econ.fixed],
        "fixed_total": _exact(econ.fixed_total),
        "break_even_roi": _exact(econ.break_even_roi),
        "deepest": _exact(econ.deepest), "deepest_month": econ.deepest_month,
        "deposit": _exact(econ.deposit), "deposit_source": econ.deposit_source,
        "funding_need": _exact(econ.funding_need),
        "year": _pnl(econ.year) if econ.year else None,
        "quarters": [_pnl(q) for q in econ.quarters],
        "months": [_pnl(m) for m in econ.months],
    }


_CHANNEL_KEYS = ("spend", "cpc", "cpm", "ctr", "cvr", "commission_rate", "impressions", "clicks",
                 "orders", "gmv", "roi", "share")


def paid_report(plan: Plan) -> dict | None:
    """What each paid channel buys, and the paid/free split, as JSON-safe data."""
    paid = plan.paid
    if paid is None:
        return None
    return {
        "channels": [{"channel": r.channel, "pays_per": r.pays_per,
                      **{k: _exact(getattr(r, k)) for k in _CHANNEL_KEYS},
                      "spend_by_quarter": [_exact(v) for v in r.spend_by_quarter],
                      "gmv_by_quarter": [_exact(v) for v in r.gmv_by_quarter]}
                     for r in paid.channels],
        "spend": _exact(paid.spend), "clicks": _exact(paid.clicks), "orders": _exact(paid.orders),
        "gmv": _exact(paid.gmv), "gmv_by_quarter": [_exact(v) for v in paid.gmv_by_quarter],
        "share": _exact(paid.share), "roi": _exact(paid.roi), "free_gmv": _exact(paid.free_gmv),
        "free_share": _exact(paid.free_share), "visitors": paid.visitors,
        "free_visitors": _exact(paid.free_visitors),
    }


def _in_message_language(plan: Plan) -> bool | None:
    """Chinese (True) or English (False) when the messages' language is not the plan's locale
    (``--lang``, or a spec without meta.locale); None when the plan's own texts will do."""
    if i18n.current_spec_language() is None and plan.source:
        # Called on its own (not within api.check): the spec's meta.locale, as check's text.
        with i18n.spec_language(plan.source):
            zh = i18n.language() == "zh-CN"
    else:
        zh = i18n.language() == "zh-CN"
    return None if zh == fmt.is_zh(plan.meta.locale) else zh


def preflight_report(plan: Plan) -> dict | None:
    """The entry pre-flight: each requirement met / missing / unknown, why, the field to fill
    (in the language of the messages; the plan's own, for the documents, is in its locale)."""
    pf = plan.preflight
    if pf is None:
        return None
    zh = _in_message_language(plan)
    if zh is not None:
        from planforge.model.preflight import assess_preflight

        pf = assess_preflight(plan, zh=zh)
    return {"met": pf.met, "missing": pf.missing, "unknown": pf.unknown, "passed": pf.passed,
            "items": [{"key": i.key, "title": i.title, "status": i.status, "reason": i.reason,
                       "field": i.field} for i in pf.items]}


def opening_report(plan: Plan) -> dict | None:
    """The cost of opening the store (indicative figures from the rules table)."""
    o = plan.opening
    if o is None:
        return None
    return {
        "indicative": o.indicative, "rules_date": o.rules_date.isoformat(), "note": o.note,
        "sources": o.sources, "store_type": o.store_type, "trademark": o.mark,
        "category_group": o.category_key, "category_name": o.category_name,
        "deposit": _exact(o.deposit), "deposit_from": "spec" if o.deposit_from_spec else "rules",
        "annual_fee": _exact(o.annual_fee),
        "annual_fee_from": "spec" if o.annual_fee_from_spec else "rules",
        "commission_rate": _exact(o.commission_rate),
        "refund": [{"share": _exact(r.share), "sales": _exact(r.sales)} for r in o.refund],
        "licences": o.licences, "first_year": _exact(o.first_year),
    }


def check_report(plan: Plan) -> dict:
    """Return the check report as JSON-safe data (money and ratios as exact strings)."""
    targets = plan.targets
    year = targets.year
    readiness = plan.readiness
    zh = _in_message_language(plan)
    if zh is not None:
        from planforge.model.readiness import assess_readiness

        readiness = assess_readiness(plan, zh=zh)
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
        "economics": economics_report(plan),
        "paid_channels": paid_report(plan),
        "warnings": [p.to_dict() for p in plan.warnings],
        "notes": [p.to_dict() for p in plan.notes],
        "preflight": preflight_report(plan),
        "opening": opening_report(plan),
        "festivals": [{"key": w.key, "name": w.name, "start": w.start.isoformat(),
                       "end": w.end.isoformat()} for w in plan.festivals],
        "price_bands": [{"competitor": b.name, "low": _exact(b.low), "high": _exact(b.high)}
                        for b in plan.price_bands],
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
    # In the language the spec asks for with meta.locale (unless --lang), as its messages are.
    with i18n.spec_language(report.get("file")):
        return _format_check_text(report)


def _format_check_text(report: dict) -> str:
    loc = report.get("locale") or "en"
    lines = [f"{report['file']}: {report.get('title') or ''}".rstrip(": ")]
    year = report.get("year")
    if year:
        parts = [_("GMV {amount}").format(amount=fmt.money(_dec(year["gmv"]), loc))]
        if year["budget"] is not None:
            parts.append(_("budget {amount} ({ratio} of GMV)").format(
                amount=fmt.money(_dec(year["budget"]), loc),
                ratio=fmt.pct(_dec(year["budget_ratio"]), loc)))
        if year["roi"] is not None:
            parts.append(_("ROI {value}").format(value=fmt.ratio(_dec(year["roi"]), loc)))
        if year["orders"] is not None:
            parts.append(_("orders {value}").format(value=fmt.num(year["orders"], loc)))
        if year["visitors"] is not None:
            parts.append(_("visitors {value}").format(value=fmt.num(year["visitors"], loc)))
        line = _("Year {year}: {figures}").format(year=report.get("plan_year", ""),
                                                  figures=_(", ").join(parts))
        if report.get("months_derived"):
            line += " " + _("(months derived from the seasonality profile)")
        lines.append(line)
    if report.get("quarters"):
        rows = [["", _("GMV"), _("budget"), _("ratio"), _("ROI"), _("orders"), _("visitors"),
                 _("share")]]
        for q in report["quarters"]:
            rows.append([q["quarter"], fmt.money(_dec(q["gmv"]), loc),
                         fmt.money(_dec(q["budget"]), loc), fmt.pct(_dec(q["budget_ratio"]), loc),
                         fmt.ratio(_dec(q["roi"]), loc), fmt.num(q["orders"], loc),
                         fmt.num(q["visitors"], loc), fmt.pct(_dec(q["share"]), loc)])
        lines += ["", _("Quarters:")] + _table(rows)
    lines += _economics_text(report.get("economics"), loc)
    lines += _paid_text(report.get("paid_channels"), loc)
    warnings = report.get("warnings") or []
    lines += ["", _("Warnings ({count}):").format(count=len(warnings)) if warnings
              else _("Warnings: none")]
    for w in warnings:
        where = w["file"] + (f":{w['line']}:{w['column'] or 1}" if w.get("line") else "")
        lines.append(f"  {where}: {w['path'] + ': ' if w.get('path') else ''}{w['message']}")
    notes = report.get("notes") or []
    if notes:
        lines += ["", _("Notes ({count}, information only):").format(count=len(notes))]
        for w in notes:
            where = w["file"] + (f":{w['line']}:{w['column'] or 1}" if w.get("line") else "")
            lines.append(f"  {where}: {w['message']}" + (f" ({w['hint']})" if w.get("hint") else ""))
    lines += _preflight_text(report, loc)
    readiness = report.get("readiness")
    if readiness:
        lines += ["", _("Readiness: {met} met, {missing} missing, {na} not applicable").format(
            met=readiness["met"], missing=readiness["missing"], na=readiness["not_applicable"])]
        for item in readiness["items"]:
            text = f"  {_MARKS.get(item['status'], '?')} {item['title']}"
            if item.get("evidence"):
                text += f": {item['evidence']}"
            lines.append(text)
            if item["status"] == "missing" and item.get("advice"):
                lines.append(f"      → {item['advice']}")
    return "\n".join(lines) + "\n"


_PF_MARKS = {"met": "✓", "missing": "✗", "unknown": "?"}


def _preflight_text(report: dict, loc: str) -> list[str]:
    lines: list[str] = []
    pf = report.get("preflight")
    if pf:
        verdict = _("all met") if pf["passed"] else _(
            "{met} met, {missing} missing, {unknown} unknown").format(
            met=pf["met"], missing=pf["missing"], unknown=pf["unknown"])
        lines += ["", _("Pre-flight (Tmall entry qualification): {verdict}").format(
            verdict=verdict)]
        for item in pf["items"]:
            lines.append(f"  {_PF_MARKS.get(item['status'], '?')} {item['title']}: {item['reason']}")
            if item.get("field"):
                lines.append(f"      → {item['field']}")
    o = report.get("opening")
    if o:
        parts = []
        from_spec = _(" (from the spec)")
        if o["deposit"] is not None:
            parts.append(_("deposit {amount}").format(amount=fmt.money(_dec(o["deposit"]), loc))
                         + (from_spec if o["deposit_from"] == "spec" else ""))
        else:
            parts.append(_("deposit unknown (needs meta.store_type and brand.trademark.status)"))
        parts.append(_("annual fee {amount}").format(amount=fmt.money(_dec(o["annual_fee"]), loc))
                     + (from_spec if o["annual_fee_from"] == "spec" else ""))
        refunds = [_("{share} refunded at {sales}").format(
            share=fmt.pct(_dec(r["share"]), loc), sales=fmt.money(_dec(r["sales"]), loc))
            for r in o["refund"]]
        if refunds:
            parts[-1] += _(" ({refunds} of annual sales)").format(refunds=", ".join(refunds))
        parts.append(_("commission {rate}").format(rate=fmt.pct(_dec(o["commission_rate"]), loc)))
        lines += ["", _("Cost of opening ({category}, indicative, rules table of {date}): "
                        "{terms}").format(category=o["category_name"], date=o["rules_date"],
                                          terms="; ".join(parts))]
    return lines


_BASIS = {"sales_share": N_("weighed by sales share"),
          "monthly_sales": N_("weighed by monthly sales x price"),
          "equal": N_("products weighed equally")}


def _economics_text(econ: dict | None, loc: str) -> list[str]:
    if not econ:
        return []
    year = econ["year"]
    money = lambda v: fmt.money(_dec(v), loc)  # noqa: E731
    be = econ["break_even_roi"]
    head = _("Economics: break-even ROI {roi}").format(
        roi=fmt.ratio(_dec(be), loc) if be is not None else _("none (no contribution)"))
    if year["roi"]:
        head += _(" (planned {roi})").format(roi=fmt.ratio(_dec(year["roi"]), loc))
    head += _(", operating result {amount} ({margin} of GMV), funding need {need}").format(
        amount=money(year["operating_result"]),
        margin=fmt.pct(_dec(year["operating_margin"]), loc), need=money(econ["funding_need"]))
    basis = econ["margin_basis"]
    detail = _("blended gross margin {margin} ({basis}); deepest cumulative result {amount}").format(
        margin=fmt.pct(_dec(econ["margin"]), loc),
        basis=_(_BASIS[basis]) if basis in _BASIS else basis, amount=money(econ["deepest"]))
    if econ["deepest_month"]:
        detail += _(" in {month}").format(month=econ["deepest_month"])
    detail += _("; deposit {amount}").format(amount=money(econ["deposit"]))
    lines = ["", head, "  " + detail]
    rows = [["", _("GMV"), _("contribution"), _("promotion"), _("result"), _("ROI"),
             _("break-even")]]
    for q in econ["quarters"] + [dict(year, label=_("Year"))]:
        rows.append([q["label"], money(q["gmv"]), money(q["contribution"]), money(q["promotion"]),
                     money(q["operating_result"]), fmt.ratio(_dec(q["roi"]), loc),
                     fmt.ratio(_dec(q["break_even_roi"]), loc)])
    return lines + _table(rows)


def _paid_text(paid: dict | None, loc: str) -> list[str]:
    if not paid:
        return []
    money = lambda v: fmt.money(_dec(v), loc)  # noqa: E731
    count = lambda v: fmt.whole(_dec(v), loc)  # noqa: E731
    rows = [["", _("spend"), _("clicks"), _("orders"), _("GMV"), _("ROI")]]
    for c in paid["channels"]:
        rows.append([c["channel"], money(c["spend"]), count(c["clicks"]), count(c["orders"]),
                     money(c["gmv"]), fmt.ratio(_dec(c["roi"]), loc)])
    head = _("Paid channels:")
    if paid["share"] is not None:
        head = _("Paid channels: {amount} of GMV ({share}), free {free}").format(
            amount=money(paid["gmv"]), share=fmt.pct(_dec(paid["share"]), loc),
            free=money(paid["free_gmv"]))
        if paid["free_visitors"] is not None:
            head += _("; free visitors needed {count}").format(count=count(paid["free_visitors"]))
    return ["", head] + _table(rows)
