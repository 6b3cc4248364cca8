"""Build a deck and a plan straight with python-pptx and docxtpl: the floor planforge is timed against.

No validation, no template pack, no model: read the YAML, print its values. It produces about
the content planforge does (about 20 slides with 4 tables, 3 native charts, pictures and a Gantt
drawn with shapes; a Word plan of about 15 sections with 4 table loops) so that the difference
between the two is what planforge spends on top of its libraries.

    python benchmarks/floor.py SPEC... -o DIR
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

import yaml
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor_plan import render_plan  # noqa: E402  (a sibling module, not a package)

TITLE, CONTENT, TITLE_ONLY = 0, 1, 5
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def money(value) -> Decimal:
    """Turn 30万, 1.2亿, ¥150,000, 150000元 or a number into yuan."""
    if value is None:
        return Decimal(0)
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = str(value).replace(",", "").replace("¥", "").replace("元", "").strip()
    for unit, factor in (("亿", 100_000_000), ("万", 10_000)):
        if text.endswith(unit):
            return Decimal(text[:-1]) * factor
    return Decimal(text)


def wan(value: Decimal) -> str:
    return f"{value / 10_000:.4g}万"


def bullets(slide, items, title: str | None = None) -> None:
    if title is not None:
        slide.shapes.title.text = title
    frame = slide.placeholders[1].text_frame
    items = [str(i) for i in items if i] or ["—"]
    frame.text = items[0]
    for item in items[1:]:
        frame.add_paragraph().text = item


def table(slide, header, rows, top=Inches(1.5)) -> None:
    rows = list(rows) or [["—"] * len(header)]
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(0.4), top, Inches(9.2),
                                   Inches(0.3) * (len(rows) + 1))
    cells = shape.table
    for c, text in enumerate(header):
        cells.cell(0, c).text = str(text)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            cell = cells.cell(r, c)
            cell.text = "" if value is None else str(value)
            cell.text_frame.paragraphs[0].runs[0].font.size = Pt(10)


def chart(slide, kind, categories, series, box=(0.4, 1.4, 9.2, 3.2)) -> None:
    data = CategoryChartData()
    data.categories = categories
    for name, values in series:
        data.add_series(name, [float(v) for v in values])
    x, y, w, h = (Inches(v) for v in box)
    graphic = slide.shapes.add_chart(kind, x, y, w, h, data)
    graphic.chart.has_legend = len(series) > 1


def gantt(slide, tasks, year: int) -> None:
    left, top, width = Inches(2.4), Inches(1.5), Inches(7.2)
    month_w = width / 12
    for m in range(12):
        box = slide.shapes.add_textbox(left + int(month_w * m), top - Inches(0.3), int(month_w), Inches(0.3))
        box.text_frame.text = f"{m + 1}月"
    row_h = min(Inches(0.3), int((Inches(5.5) - top) / max(len(tasks), 1)))
    for i, task in enumerate(tasks):
        y = top + row_h * i
        label = slide.shapes.add_textbox(Inches(0.3), y, Inches(2.0), row_h)
        label.text_frame.text = str(task["name"])
        start = int(str(task["start"])[5:7]) - 1
        end = int(str(task["end"])[5:7])
        bar = slide.shapes.add_shape(1, left + int(month_w * start), y, int(month_w * (end - start)), row_h)
        bar.text_frame.text = str(task.get("owner") or "")


def months_of(spec: dict) -> list[dict]:
    """Return the spec's months, or twelve split from the annual figures by its seasonality."""
    targets = spec.get("targets", {})
    if targets.get("months"):
        return targets["months"]
    weights = [Decimal(str(w)) for w in targets.get("seasonality") or [1] * 12]
    total, year = sum(weights), spec.get("meta", {}).get("year", 2027)
    gmv, budget = money(targets.get("annual_gmv")), money(targets.get("annual_budget"))
    return [{"month": f"{year}-{i + 1:02d}", "gmv": round(gmv * w / total), "budget": round(budget * w / total)}
            for i, w in enumerate(weights)]


def build_deck(spec: dict, base: Path) -> Presentation:
    """Fill a python-pptx default presentation with the spec's values."""
    prs = Presentation()
    add = lambda layout: prs.slides.add_slide(prs.slide_layouts[layout])  # noqa: E731
    meta, brand, company = spec.get("meta", {}), spec.get("brand", {}), spec.get("company", {})
    targets, market = spec.get("targets", {}), spec.get("market", {})
    year = int(meta.get("year", 2027))

    cover = add(TITLE)
    cover.shapes.title.text = meta.get("title") or brand["name"]
    cover.placeholders[1].text = f"{meta.get('prepared_by', company['name'])}  {meta.get('date', '')}"
    if brand.get("logo"):
        cover.shapes.add_picture(str(base / brand["logo"]), Inches(0.4), Inches(0.3), height=Inches(1))
    bullets(add(CONTENT), ["品牌介绍", "公司与渠道", "团队", "产品", "市场", "目标", "规划", "推广", "服务"], "目录")
    bullets(add(CONTENT), [brand.get("slogan"), brand.get("positioning"), brand.get("story")], brand["name"])
    tm = brand.get("trademark") or {}
    bullets(add(CONTENT), [f"商标 {tm.get('registration_no', '')} 第{tm.get('class', '')}类 {tm.get('status', '')}"]
            + [f"{a['year']} {a['name']}" for a in brand.get("awards", [])]
            + [f"{p['name']} {p['number']}" for p in brand.get("patents", [])]
            + brand.get("endorsements", []), "资质与荣誉")
    bullets(add(CONTENT), [company.get("intro"), company.get("address"), company.get("business")], company["name"])
    s = add(TITLE_ONLY)
    s.shapes.title.text = "销售渠道"
    table(s, ["渠道", "类型", "年销售额"], [[c["name"], c.get("type"), wan(money(c.get("annual_sales")))]
                                           for c in company.get("channels", [])])
    team = spec.get("team", {})
    s = add(TITLE_ONLY)
    s.shapes.title.text = "团队"
    table(s, ["岗位", "人数", "职责"], [[m["role"], m.get("headcount", 1), "；".join(m.get("responsibilities", []))]
                                       for m in team.get("members", [])])
    products = spec.get("products", [])
    for start in range(0, len(products), 3):
        s = add(TITLE_ONLY)
        s.shapes.title.text = "产品"
        for i, p in enumerate(products[start:start + 3]):
            x = Inches(0.4 + 3.1 * i)
            if p.get("image"):
                s.shapes.add_picture(str(base / p["image"]), x, Inches(1.5), width=Inches(2.5))
            box = s.shapes.add_textbox(x, Inches(4.2), Inches(2.9), Inches(2))
            box.text_frame.text = f"{p['name']} ¥{p.get('price', '')}"
            for point in p.get("selling_points", []):
                box.text_frame.add_paragraph().text = point
    roles: dict[str, int] = {}
    for p in products:
        roles[p.get("role", "other")] = roles.get(p.get("role", "other"), 0) + 1
    s = add(TITLE_ONLY)
    s.shapes.title.text = "产品结构"
    chart(s, XL_CHART_TYPE.PIE, list(roles), [("产品数", roles.values())])
    bullets(add(CONTENT), [market.get("overview"), f"市场规模 {market.get('size', '')}"]
            + [f"{c['segment']}：{c.get('description', '')}" for c in market.get("target_customers", [])], "市场与人群")
    s = add(TITLE_ONLY)
    s.shapes.title.text = "竞品"
    table(s, ["品牌", "价格带", "月销", "优势", "劣势"],
          [[c["name"], c.get("price_band"), c.get("monthly_sales"), c.get("strengths"), c.get("weaknesses")]
           for c in market.get("competitors", [])])
    swot = spec.get("swot", {})
    bullets(add(CONTENT), [f"{k}: {'；'.join(v)}" for k, v in swot.items()], "SWOT")
    bullets(add(CONTENT), [f"{k}: {v}" for k, v in (market.get("strategy") or {}).items()], "九大策略")
    bullets(add(CONTENT), [f"年度GMV {wan(money(targets.get('annual_gmv')))}",
                           f"年度预算 {wan(money(targets.get('annual_budget')))}"]
            + [f"{k['name']} {k['target']}" for k in targets.get("kpis", [])], "年度目标")
    months = months_of(spec)
    s = add(TITLE_ONLY)
    s.shapes.title.text = "月度目标"
    chart(s, XL_CHART_TYPE.COLUMN_CLUSTERED, [m["month"] for m in months],
          [("GMV", [money(m["gmv"]) for m in months]), ("预算", [money(m.get("budget")) for m in months])],
          box=(0.4, 1.2, 9.2, 2.6))
    table(s, ["月份", "GMV", "预算"], [[m["month"], wan(money(m["gmv"])), wan(money(m.get("budget")))]
                                      for m in months[:6]], top=Inches(4.0))
    funnel = targets.get("funnel", {})
    bullets(add(CONTENT), [f"{k}: {v}" for k, v in funnel.items()], "流量漏斗")
    roadmap = spec.get("roadmap", [])
    bullets(add(CONTENT), [f"{q['quarter']} {q.get('phase', '')} {'；'.join(q.get('goals', []))}"
                           for q in roadmap], "季度规划")
    tasks = [t for q in roadmap for t in q.get("tasks", [])]
    for start in range(0, max(len(tasks), 1), 15):
        s = add(TITLE_ONLY)
        s.shapes.title.text = "甘特图"
        gantt(s, tasks[start:start + 15], year)
    channels: dict[str, dict[str, Decimal]] = {}
    for q in roadmap:
        for b in q.get("budget", []):
            channels.setdefault(b["channel"], {})[q["quarter"]] = money(b["amount"])
    s = add(TITLE_ONLY)
    s.shapes.title.text = "推广预算"
    chart(s, XL_CHART_TYPE.COLUMN_STACKED, list(QUARTERS),
          [(name, [by_q.get(q, 0) for q in QUARTERS]) for name, by_q in channels.items()])
    promotion = spec.get("promotion", {})
    bullets(add(CONTENT), [f"{e['name']} {e['date']} {e.get('goal', '')}" for e in promotion.get("events", [])],
            "重点活动")
    service = spec.get("service", {})
    bullets(add(CONTENT), [service.get("presale"), service.get("aftersale")] + service.get("faq", []), "服务")
    membership = spec.get("membership", {})
    bullets(add(CONTENT), [f"{t['name']} {t['threshold']}" for t in membership.get("tiers", [])]
            + membership.get("programs", []), "会员")
    bullets(add(CONTENT), [f"{r['risk']}：{r['mitigation']}" for r in spec.get("risks", [])], "风险")
    add(TITLE).shapes.title.text = "谢谢"
    return prs


def plan_context(spec: dict) -> dict:
    """Return what the Word template prints: the spec, plus the few sums a plan shows."""
    targets = spec.get("targets", {})
    months = [dict(m, gmv=wan(money(m["gmv"])), budget=wan(money(m.get("budget"))))
              for m in months_of(spec)]
    quarters = [dict(quarter=q["quarter"], phase=q.get("phase", ""), gmv=wan(money(q.get("gmv_target"))),
                     budget=wan(sum((money(b["amount"]) for b in q.get("budget", [])), Decimal(0))),
                     goals="；".join(q.get("goals", [])))
                for q in spec.get("roadmap", [])]
    products = [dict(p, margin=f"{(1 - money(p.get('cost')) / money(p['price'])) * 100:.1f}%"
                     if p.get("price") else "") for p in spec.get("products", [])]
    return {"spec": spec, "months": months, "strategy": spec.get("market", {}).get("strategy") or {}, "quarters": quarters, "products": products,
            "annual_gmv": wan(money(targets.get("annual_gmv"))),
            "annual_budget": wan(money(targets.get("annual_budget")))}


def build(spec_path: Path, out_dir: Path) -> None:
    """Write OUT/<stem>.pptx and OUT/<stem>.docx from one spec."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    base = spec_path.parent
    build_deck(spec, base).save(str(out_dir / f"{spec_path.stem}.pptx"))
    render_plan(plan_context(spec), out_dir / f"{spec_path.stem}.docx")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="+", type=Path)
    parser.add_argument("-o", "--out", type=Path, default=Path("out-floor"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for spec in args.specs:
        build(spec, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
