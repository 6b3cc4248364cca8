"""The figures as an Excel workbook, for consultants who rework a plan in a spreadsheet.

One sheet per table of the model: months, quarters, promotion channels by quarter, products with
their margins. Every value is the model's own (exact ``Decimal`` turned into a number cell);
every total, ratio and share is a formula whose cached result is the model's figure, so the
workbook opens showing the documents' numbers and recomputes when a consultant edits a month.
Money is formatted in 万/亿 for zh-CN and as ``¥150,000`` for en; header rows are frozen.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from planforge.model.types import Plan

#: zh-CN money in 万 with one decimal (15.0万, -0.5万): the "," scales the number by 1000 and
#: the literal "\\." splits what is left, so the cell keeps its value in yuan and only the
#: display is in 万; Excel and LibreOffice read it alike, minus sign included.
MONEY_ZH = '0\\.0,"万";-0\\.0,"万"'
#: Unit amounts (price, cost, cost per click) stay in yuan: 239.00元 / ¥239.00.
PRICE_ZH = '#,##0.00"元"'
PRICE_EN = '"¥"#,##0.00'
MONEY_EN = '"¥"#,##0'
PERCENT = "0.0%"
ROI = "0.00"
COUNT = "#,##0"

#: Sheet names and headers the pack's locale files may not have yet (a pack copied before the
#: workbook existed): the workbook still builds, in the locale's words.
_FALLBACK = {
    "zh-CN": {"months": "月度目标", "quarters": "季度目标", "channels": "渠道预算",
              "products": "产品毛利", "kind": "类型", "assumptions": "测算假设",
              "pnl": "损益测算", "period": "期间", "refunds": "退款", "net_sales": "净销售额",
              "cogs": "商品成本", "gross_profit": "毛利", "commission": "平台佣金",
              "payment_fees": "支付手续费", "fulfilment": "履约成本", "contribution": "贡献毛利",
              "promotion": "推广费", "staff": "人力成本", "fixed": "固定成本",
              "operating_result": "经营利润", "cumulative": "累计经营利润",
              "paid": "付费渠道", "pays_per": "计费方式", "spend": "投放金额",
              "cpc": "单次点击费用", "cpm": "千次展现费用", "ctr": "点击率", "cvr": "转化率",
              "impressions": "展现量", "clicks": "点击量", "orders": "订单数",
              "gmv": "成交额", "roi": "投入产出比", "share": "占全年成交",
              "pays_click": "按点击", "pays_impression": "按展现", "pays_sale": "按成交"},
    "en": {"months": "Months", "quarters": "Quarters", "channels": "Channels by quarter",
           "products": "Products", "kind": "Kind", "assumptions": "Assumptions",
           "pnl": "P&L", "period": "Period", "refunds": "Refunds", "net_sales": "Net sales",
           "cogs": "Cost of goods", "gross_profit": "Gross profit", "commission": "Commission",
           "payment_fees": "Payment fees", "fulfilment": "Fulfilment",
           "contribution": "Contribution", "promotion": "Promotion", "staff": "Staff",
           "fixed": "Fixed costs", "operating_result": "Operating result",
           "cumulative": "Cumulative result", "paid": "Paid channels", "pays_per": "Pays per",
           "spend": "Spend", "cpc": "CPC", "cpm": "CPM", "ctr": "CTR", "cvr": "CVR",
           "impressions": "Impressions", "clicks": "Clicks", "orders": "Orders", "gmv": "GMV",
           "roi": "ROI", "share": "Share of year GMV", "pays_click": "Per click",
           "pays_impression": "Per impression", "pays_sale": "Per sale"},
}


def _num(value: Decimal | int | None) -> float | int | None:
    """A cell value: integers stay integers, other Decimals become the nearest float."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    return float(value)


def _col(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


class _Sheet:
    """A worksheet with a header row, column formats and helpers that write model values."""

    def __init__(self, book, name: str, headers: list[str], formats: list, widths: list[int],
                 styles: dict):
        self.ws = book.add_worksheet(name[:31])
        self.formats = formats
        self.styles = styles
        for c, (text, width) in enumerate(zip(headers, widths)):
            numeric = c < len(formats) and formats[c] not in ("text", None)
            self.ws.write_string(0, c, text, styles["header_num" if numeric else "header"])
            self.ws.set_column(c, c, width)
        self.ws.set_row(0, 30)
        self.ws.freeze_panes(1, 1)
        # Printed, a sheet is one page wide (as tall as it needs), header repeated.
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)
        self.ws.repeat_rows(0)

    def value(self, row: int, col: int, value: Any, total: bool = False) -> None:
        fmt = self._fmt(col, total)
        if value is None or value == "":
            self.ws.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            self.ws.write_string(row, col, value, fmt)
        else:
            self.ws.write_number(row, col, _num(value), fmt)

    def formula(self, row: int, col: int, formula: str, result: Any, total: bool = False) -> None:
        cached = "" if result is None else _num(result)
        self.ws.write_formula(row, col, formula, self._fmt(col, total), cached)

    def _fmt(self, col: int, total: bool):
        key = self.formats[col] if col < len(self.formats) else None
        return self.styles[(key, total)]


def render_workbook(plan: Plan, labels: dict, locale: str, when: dt.datetime) -> bytes:
    """Return the workbook of ``plan``'s figures as .xlsx bytes (same plan, same bytes)."""
    import xlsxwriter

    zh = locale.lower().startswith("zh")
    words = dict(_FALLBACK["zh-CN" if zh else "en"])
    words.update(labels.get("workbook") or {})
    f = labels.get("fields", {})

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    author = plan.meta.prepared_by or plan.company.name
    book.set_properties({"title": plan.meta.title or "", "author": author or "",
                         "created": when.replace(tzinfo=None)})
    book.set_calc_mode("auto")
    font = {"font_name": "Noto Sans CJK SC" if zh else "Calibri", "font_size": 11}
    number_formats = {"money": MONEY_ZH if zh else MONEY_EN,
                      "price": PRICE_ZH if zh else PRICE_EN, "pct": PERCENT, "roi": ROI,
                      "count": COUNT, "text": "@", None: None}
    header = {**font, "bold": True, "bg_color": "#DDEBE8", "bottom": 1, "text_wrap": True,
              "valign": "vcenter"}
    styles: dict = {"header": book.add_format(header),
                    "header_num": book.add_format({**header, "align": "right"})}
    for key, num_format in number_formats.items():
        for total in (False, True):
            props = dict(font)
            if num_format and key != "text":
                props["num_format"] = num_format
            if total:
                props.update(bold=True, top=1)
            styles[(key, total)] = book.add_format(props)

    months_name = _months_sheet(book, plan, labels, f, words, styles)
    _quarters_sheet(book, plan, labels, f, words, styles, months_name)
    if plan.channel_budget:
        _channels_sheet(book, plan, labels, f, words, styles)
    if plan.products:
        _products_sheet(book, plan, labels, f, words, styles)
    if getattr(plan, "economics", None) is not None and plan.economics.months:
        _pnl_sheet(book, plan, labels, words, styles)
    paid = getattr(plan, "paid", None)
    if paid is not None and paid.channels:
        _paid_sheet(book, plan, labels, f, words, styles)
    book.close()
    return out.getvalue()


_FIGURE_COLS = ["money", "money", "pct", "roi", "count", "count", "pct"]


def _ratio_formula(num: str, den: str) -> str:
    return f'IF(N({den})=0,"",{num}/{den})'


def _months_sheet(book, plan: Plan, labels: dict, f: dict, words: dict, styles: dict) -> str:
    months = plan.targets.months
    funnel = plan.targets.funnel
    headers = [f.get("month", "Month"), f.get("quarter", "Quarter"), f.get("gmv", "GMV"),
               f.get("budget", "Budget"), f.get("budget_ratio", "Budget / GMV"),
               f.get("roi", "ROI"), f.get("orders", "Orders"),
               f.get("visitors", "Visitors"), f.get("share", "Share")]
    sheet = _Sheet(book, words["months"], headers, ["text", "text"] + _FIGURE_COLS,
                   [10, 12, 14, 14, 12, 9, 11, 13, 11], styles)
    ws = sheet.ws
    first, last = 2, len(months) + 1          # spreadsheet rows of the months (1-based)
    total_row = last + 1
    aov = funnel.average_order_value if funnel else None
    rate = funnel.conversion_rate if funnel else None
    # The funnel's inputs sit beside the table, so orders and visitors follow an edited GMV.
    if aov:
        ws.write_string(0, 10, words["assumptions"], styles["header"])
        ws.write_string(0, 11, "", styles["header"])
        ws.set_column(10, 10, 20)
        ws.set_column(11, 11, 12)
        ws.write_string(1, 10, f.get("average_order_value", "Average order value"),
                        styles[("text", False)])
        ws.write_number(1, 11, _num(aov), styles[("price", False)])
        if rate:
            ws.write_string(2, 10, f.get("conversion_rate", "Conversion rate"),
                            styles[("text", False)])
            ws.write_number(2, 11, _num(rate), styles[("pct", False)])
    for i, m in enumerate(months):
        r = i + 1
        x = r + 1
        sheet.value(r, 0, labels["months"][m.number - 1])
        sheet.value(r, 1, labels.get("quarters", {}).get(m.quarter, m.quarter))
        sheet.value(r, 2, m.gmv)
        sheet.value(r, 3, m.budget)
        sheet.formula(r, 4, _ratio_formula(f"D{x}", f"C{x}") if m.budget is not None else '""',
                      m.budget_ratio)
        sheet.formula(r, 5, _ratio_formula(f"C{x}", f"D{x}"), m.roi)
        if m.orders is not None:
            sheet.formula(r, 6, f"ROUND(C{x}/$L$2,0)", m.orders)
        else:
            sheet.value(r, 6, None)
        if m.visitors is not None:
            sheet.formula(r, 7, f"ROUNDUP(C{x}/($L$3*$L$2),0)", m.visitors)
        else:
            sheet.value(r, 7, None)
        sheet.formula(r, 8, _ratio_formula(f"C{x}", f"$C${total_row}"), m.share)
    year = plan.targets.year
    r = total_row - 1
    sheet.value(r, 0, labels.get("year", "Year"), total=True)
    sheet.value(r, 1, "", total=True)
    sheet.formula(r, 2, f"SUM(C{first}:C{last})", year.gmv, total=True)
    if year.budget is not None:
        sheet.formula(r, 3, f"SUM(D{first}:D{last})", year.budget, total=True)
        sheet.formula(r, 4, _ratio_formula(f"D{total_row}", f"C{total_row}"), year.budget_ratio,
                      total=True)
    else:
        sheet.value(r, 3, None, total=True)
        sheet.value(r, 4, None, total=True)
    sheet.formula(r, 5, _ratio_formula(f"C{total_row}", f"D{total_row}"), year.roi, total=True)
    for col, value in ((6, year.orders), (7, year.visitors)):
        letter = _col(col)
        if value is not None:
            sheet.formula(r, col, f"SUM({letter}{first}:{letter}{last})", value, total=True)
        else:
            sheet.value(r, col, None, total=True)
    sheet.formula(r, 8, _ratio_formula(f"C{total_row}", f"C{total_row}"), year.share, total=True)
    return words["months"][:31]


def _quarters_sheet(book, plan: Plan, labels: dict, f: dict, words: dict, styles: dict,
                    months_name: str) -> None:
    months = plan.targets.months
    quarters = plan.targets.quarters
    headers = [f.get("quarter", "Quarter"), f.get("gmv", "GMV"), f.get("budget", "Budget"),
               f.get("budget_ratio", "Budget / GMV"), f.get("roi", "ROI"),
               f.get("orders", "Orders"), f.get("visitors", "Visitors"), f.get("share", "Share")]
    sheet = _Sheet(book, words["quarters"], headers, ["text"] + _FIGURE_COLS,
                   [14, 14, 14, 12, 9, 11, 13, 11], styles)
    src = "'" + months_name.replace("'", "''") + "'!"
    n = len(months)
    keys = f"{src}$B$2:$B${n + 1}"
    first, last = 2, len(quarters) + 1
    total_row = last + 1

    def sumifs(col: str, x: int) -> str:
        return f"SUMIFS({src}${col}$2:${col}${n + 1},{keys},A{x})"

    for i, q in enumerate(quarters):
        r = i + 1
        x = r + 1
        sheet.value(r, 0, labels.get("quarters", {}).get(q.label, q.label))
        sheet.formula(r, 1, sumifs("C", x), q.gmv)
        if q.budget is not None:
            sheet.formula(r, 2, sumifs("D", x), q.budget)
            sheet.formula(r, 3, _ratio_formula(f"C{x}", f"B{x}"), q.budget_ratio)
        else:
            sheet.value(r, 2, None)
            sheet.value(r, 3, None)
        sheet.formula(r, 4, _ratio_formula(f"B{x}", f"C{x}"), q.roi)
        for col, src_col, value in ((5, "G", q.orders), (6, "H", q.visitors)):
            if value is not None:
                sheet.formula(r, col, sumifs(src_col, x), value)
            else:
                sheet.value(r, col, None)
        sheet.formula(r, 7, _ratio_formula(f"B{x}", f"$B${total_row}"), q.share)
    year = plan.targets.year
    r = total_row - 1
    sheet.value(r, 0, labels.get("year", "Year"), total=True)
    for col, value in ((1, year.gmv), (2, year.budget), (5, year.orders), (6, year.visitors)):
        letter = _col(col)
        if value is not None:
            sheet.formula(r, col, f"SUM({letter}{first}:{letter}{last})", value, total=True)
        else:
            sheet.value(r, col, None, total=True)
    if year.budget is not None:
        sheet.formula(r, 3, _ratio_formula(f"C{total_row}", f"B{total_row}"), year.budget_ratio,
                      total=True)
    else:
        sheet.value(r, 3, None, total=True)
    sheet.formula(r, 4, _ratio_formula(f"B{total_row}", f"C{total_row}"), year.roi, total=True)
    sheet.formula(r, 7, _ratio_formula(f"B{total_row}", f"B{total_row}"), year.share, total=True)


def _channels_sheet(book, plan: Plan, labels: dict, f: dict, words: dict, styles: dict) -> None:
    quarter_names = [labels.get("quarters", {}).get(q, q) for q in ("Q1", "Q2", "Q3", "Q4")]
    headers = [f.get("channel", "Channel"), words["kind"], *quarter_names,
               labels.get("total", "Total"), f.get("share", "Share")]
    sheet = _Sheet(book, words["channels"], headers,
                   ["text", "text", "money", "money", "money", "money", "money", "pct"],
                   [22, 14, 13, 13, 13, 13, 14, 10], styles)
    rows = plan.channel_budget
    first, last = 2, len(rows) + 1
    total_row = last + 1
    kinds = labels.get("channel_kinds", {})
    for i, c in enumerate(rows):
        r = i + 1
        x = r + 1
        sheet.value(r, 0, c.channel)
        sheet.value(r, 1, kinds.get(c.kind, c.kind) if c.kind else None)
        for q, amount in enumerate(c.by_quarter):
            sheet.value(r, 2 + q, amount)
        sheet.formula(r, 6, f"SUM(C{x}:F{x})", c.total)
        sheet.formula(r, 7, _ratio_formula(f"G{x}", f"$G${total_row}"), c.share)
    r = total_row - 1
    sheet.value(r, 0, labels.get("total", "Total"), total=True)
    sheet.value(r, 1, "", total=True)
    for q, amount in enumerate(plan.channel_budget_by_quarter):
        letter = _col(2 + q)
        sheet.formula(r, 2 + q, f"SUM({letter}{first}:{letter}{last})", amount, total=True)
    sheet.formula(r, 6, f"SUM(G{first}:G{last})", plan.channel_budget_total, total=True)
    sheet.formula(r, 7, _ratio_formula(f"G{total_row}", f"G{total_row}"),
                  Decimal(1) if plan.channel_budget_total else None, total=True)


def _products_sheet(book, plan: Plan, labels: dict, f: dict, words: dict, styles: dict) -> None:
    name = words["products"]
    headers = [f.get("name", "Name"), f.get("sku", "SKU"), f.get("role", "Role"),
               f.get("price", "Price"), f.get("cost", "Cost"),
               f.get("gross_profit", "Gross profit"), f.get("gross_margin", "Gross margin"),
               f.get("reviews", "Reviews"), f.get("monthly_sales", "Monthly sales")]
    sheet = _Sheet(book, name, headers,
                   ["text", "text", "text", "price", "price", "price", "pct", "count", "count"],
                   [28, 12, 12, 12, 12, 13, 12, 11, 12], styles)
    roles = labels.get("roles", {})
    for i, p in enumerate(plan.products):
        r = i + 1
        x = r + 1
        sheet.value(r, 0, p.name)
        sheet.value(r, 1, p.sku)
        sheet.value(r, 2, roles.get(p.role, p.role) if p.role else None)
        sheet.value(r, 3, p.price)
        sheet.value(r, 4, p.cost)
        if p.gross_profit is not None:
            sheet.formula(r, 5, f"D{x}-E{x}", p.gross_profit)
            sheet.formula(r, 6, _ratio_formula(f"(D{x}-E{x})", f"D{x}"), p.gross_margin)
        else:
            sheet.value(r, 5, None)
            sheet.value(r, 6, None)
        sheet.value(r, 7, p.reviews)
        sheet.value(r, 8, p.monthly_sales)


_PNL = ["refunds", "net_sales", "cogs", "gross_profit", "commission", "payment_fees",
        "fulfilment", "contribution", "promotion", "staff", "fixed", "operating_result",
        "cumulative"]


def _pnl_sheet(book, plan: Plan, labels: dict, words: dict, styles: dict) -> None:
    """The P&L by month: the model's cost lines, its subtotals as formulas (as the model adds)."""
    econ = plan.economics
    f = labels.get("fields", {})
    pnl = labels.get("pnl") or {}
    headers = [words["period"], f.get("gmv", "GMV")] + [pnl.get(k) or words[k] for k in _PNL]
    sheet = _Sheet(book, words["pnl"], headers, ["text"] + ["money"] * (len(_PNL) + 1),
                   [10] + [13] * (len(_PNL) + 1), styles)
    cols = {k: _col(i + 2) for i, k in enumerate(_PNL)}       # refunds -> C, ...
    months = econ.months
    first, last = 2, len(months) + 1
    total_row = last + 1
    for i, m in enumerate(months):
        r, x = i + 1, i + 2
        c = {k: f"{v}{x}" for k, v in cols.items()}
        sheet.value(r, 0, labels["months"][m.number - 1])
        sheet.value(r, 1, m.gmv)
        for k in ("refunds", "gross_profit", "commission", "payment_fees", "fulfilment",
                  "promotion", "staff", "fixed"):
            sheet.value(r, 2 + _PNL.index(k), getattr(m, k))
        sheet.formula(r, 2 + _PNL.index("net_sales"), f"B{x}-{c['refunds']}", m.net_sales)
        sheet.formula(r, 2 + _PNL.index("cogs"), f"{c['net_sales']}-{c['gross_profit']}", m.cogs)
        sheet.formula(r, 2 + _PNL.index("contribution"),
                      f"{c['gross_profit']}-{c['commission']}-{c['payment_fees']}"
                      f"-{c['fulfilment']}", m.contribution)
        sheet.formula(r, 2 + _PNL.index("operating_result"),
                      f"{c['contribution']}-{c['promotion']}-{c['staff']}-{c['fixed']}",
                      m.operating_result)
        previous = f"+{cols['cumulative']}{x - 1}" if i else ""
        sheet.formula(r, 2 + _PNL.index("cumulative"),
                      f"{c['operating_result']}{previous}", m.cumulative)
    year = econ.year
    r = total_row - 1
    sheet.value(r, 0, labels.get("year", "Year"), total=True)
    sheet.formula(r, 1, f"SUM(B{first}:B{last})", year.gmv, total=True)
    for k in _PNL[:-1]:
        letter = cols[k]
        sheet.formula(r, 2 + _PNL.index(k), f"SUM({letter}{first}:{letter}{last})",
                      getattr(year, k), total=True)
    sheet.formula(r, 2 + _PNL.index("cumulative"), f"{cols['cumulative']}{last}",
                  months[-1].cumulative, total=True)


def _paid_sheet(book, plan: Plan, labels: dict, f: dict, words: dict, styles: dict) -> None:
    """What each paid channel's spend buys (the model's KPI arithmetic, as values)."""
    paid = plan.paid
    keys = ["pays_per", "spend", "cpc", "cpm", "ctr", "cvr", "impressions", "clicks",
            "orders", "gmv", "roi", "share"]
    kinds = {"spend": "money", "cpc": "price", "cpm": "price", "ctr": "pct", "cvr": "pct",
             "impressions": "count", "clicks": "count", "orders": "count", "gmv": "money",
             "roi": "roi", "share": "pct", "pays_per": "text"}
    # The packs' P&L labels where they have the figure, so the workbook names it as the
    # documents do.
    pnl = labels.get("pnl") or {}
    same = {"spend": "spend", "pays_per": "pays_per", "impressions": "impressions",
            "clicks": "clicks", "orders": "paid_orders", "gmv": "paid_gmv", "roi": "channel_roi"}
    headers = [f.get("channel", "Channel")] + [pnl.get(same.get(k, ""), words[k]) for k in keys]
    pays = pnl.get("pays") or {}
    sheet = _Sheet(book, words["paid"], headers, ["text"] + [kinds[k] for k in keys],
                   [20] + [12] * len(keys), styles)
    rows = paid.channels
    first, last = 2, len(rows) + 1
    for i, ch in enumerate(rows):
        r, x = i + 1, i + 2
        sheet.value(r, 0, ch.channel)
        for j, k in enumerate(keys, start=1):
            if k == "pays_per":
                sheet.value(r, j, pays.get(ch.pays_per) or words.get(f"pays_{ch.pays_per}",
                                                                     ch.pays_per))
            elif k == "roi" and ch.gmv is not None:
                sheet.formula(r, j, _ratio_formula(f"K{x}", f"C{x}"), ch.roi)
            else:
                sheet.value(r, j, getattr(ch, k))
    r = last
    sheet.value(r, 0, labels.get("total", "Total"), total=True)
    for j, k in enumerate(keys, start=1):
        letter = _col(j)
        if k in ("spend", "clicks", "orders", "gmv"):
            value = {"spend": paid.spend, "clicks": paid.clicks, "orders": paid.orders,
                     "gmv": paid.gmv}[k]
            if value is None:
                sheet.value(r, j, None, total=True)
            else:
                sheet.formula(r, j, f"SUM({letter}{first}:{letter}{last})", value, total=True)
        elif k == "roi" and paid.gmv is not None:
            sheet.formula(r, j, _ratio_formula(f"K{last + 1}", f"C{last + 1}"), paid.roi,
                          total=True)
        elif k == "share":
            sheet.value(r, j, paid.share, total=True)
        else:
            sheet.value(r, j, None, total=True)
