"""The figures workbook (--format xlsx): the model's numbers, totals as live formulas, per locale."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

# A venv made before these libraries were added lacks them until it is reinstalled;
# CI installs them (.ci/run: pip install -e ".[test]"), so there nothing is skipped.
EXTRA = "not installed: pip install -e '.[test]'"

openpyxl = pytest.importorskip("openpyxl", reason=EXTRA)

import planforge  # noqa: E402
from conftest import EXAMPLES  # noqa: E402

ZH = EXAMPLES / "mutang-skincare.zh.yaml"
EN = EXAMPLES / "ironleaf-cookware.en.yaml"


def _build(cli, spec: Path, out: Path) -> Path:
    result = cli("build", spec, "--to", "xlsx", "-o", out)
    assert result.exit_code == 0, result.text
    path = out / f"{spec.stem}.xlsx"
    assert path.is_file()
    return path


def _close(value, expected) -> bool:
    if expected is None:
        return value in (None, "")
    return abs(Decimal(str(value)) - Decimal(expected)) < Decimal("0.00005")


@pytest.mark.parametrize("spec", [ZH, EN], ids=["zh", "en"])
def test_month_and_quarter_sheets_hold_the_models_figures(cli, tmp_path, spec):
    plan = planforge.load_plan(spec)
    path = _build(cli, spec, tmp_path)
    values = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    months_name, quarters_name = values.sheetnames[:2]
    months = values[months_name]
    assert months.freeze_panes == "B2"
    for i, m in enumerate(plan.targets.months, start=2):
        assert months[f"C{i}"].value == m.gmv
        assert months[f"D{i}"].value == m.budget
        assert _close(months[f"E{i}"].value, m.budget_ratio)
        assert _close(months[f"F{i}"].value, m.roi)
        assert months[f"G{i}"].value == m.orders
        assert months[f"H{i}"].value == m.visitors
        assert _close(months[f"I{i}"].value, m.share)
    total = len(plan.targets.months) + 2
    year = plan.targets.year
    assert months[f"C{total}"].value == year.gmv
    assert months[f"D{total}"].value == year.budget
    assert months[f"G{total}"].value == year.orders
    # Totals are formulas over the months, not typed-in numbers.
    assert formulas[months_name][f"C{total}"].value == f"=SUM(C2:C{total - 1})"
    assert formulas[months_name][f"D{total}"].value == f"=SUM(D2:D{total - 1})"

    quarters = values[quarters_name]
    for i, q in enumerate(plan.targets.quarters, start=2):
        assert quarters[f"B{i}"].value == q.gmv
        assert quarters[f"C{i}"].value == q.budget
        assert _close(quarters[f"H{i}"].value, q.share)
        assert formulas[quarters_name][f"B{i}"].value.startswith("=SUMIFS(")
    qt = len(plan.targets.quarters) + 2
    assert quarters[f"B{qt}"].value == year.gmv


def test_channels_and_products_sheets(cli, tmp_path):
    plan = planforge.load_plan(EN)
    path = _build(cli, EN, tmp_path)
    values = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    assert values.sheetnames[:4] == ["Months", "Quarters", "Channels by quarter", "Products"]
    ch = values["Channels by quarter"]
    for i, c in enumerate(plan.channel_budget, start=2):
        assert ch[f"A{i}"].value == c.channel
        assert [ch[f"{col}{i}"].value for col in "CDEF"] == c.by_quarter
        assert ch[f"G{i}"].value == c.total
        assert formulas["Channels by quarter"][f"G{i}"].value == f"=SUM(C{i}:F{i})"
    t = len(plan.channel_budget) + 2
    assert ch[f"A{t}"].value == "Total"
    assert ch[f"G{t}"].value == plan.channel_budget_total
    assert [ch[f"{col}{t}"].value for col in "CDEF"] == plan.channel_budget_by_quarter

    pr = values["Products"]
    for i, p in enumerate(plan.products, start=2):
        assert pr[f"A{i}"].value == p.name
        assert pr[f"D{i}"].value == p.price
        assert pr[f"F{i}"].value == p.gross_profit
        assert _close(pr[f"G{i}"].value, p.gross_margin)
        assert formulas["Products"][f"F{i}"].value == f"=D{i}-E{i}"


def test_money_formats_follow_the_locale(cli, tmp_path):
    zh = openpyxl.load_workbook(_build(cli, ZH, tmp_path))
    en = openpyxl.load_workbook(_build(cli, EN, tmp_path))
    assert zh.sheetnames[0] == "月度目标"
    assert zh.worksheets[0]["C2"].number_format == '0\\.0,"万";-0\\.0,"万"'
    assert zh["产品毛利"]["D2"].number_format == '#,##0.00"元"'
    assert en.worksheets[0]["C2"].number_format == '"¥"#,##0'
    assert en.worksheets[0]["E2"].number_format == "0.0%"


def test_same_spec_same_bytes(cli, tmp_path):
    a = _build(cli, ZH, tmp_path / "a").read_bytes()
    b = _build(cli, ZH, tmp_path / "b").read_bytes()
    assert a == b


def test_a_minimal_spec_without_budget_or_products_still_gives_a_workbook(cli, tmp_path):
    spec = tmp_path / "mini.yaml"
    spec.write_text("planforge: 1\nmeta: {year: 2027, locale: en}\nbrand: {name: Kite}\n"
                    "company: {name: Kite Ltd}\ntargets: {annual_gmv: 1200000}\n",
                    encoding="utf-8")
    book = openpyxl.load_workbook(_build(cli, spec, tmp_path), data_only=True)
    assert book.sheetnames == ["Months", "Quarters"]
    months = book["Months"]
    assert sum(months[f"C{i}"].value for i in range(2, 14)) == 1200000
    assert months["C14"].value == 1200000
    assert months["D2"].value is None


@pytest.mark.libreoffice
def test_an_edit_in_a_spreadsheet_recomputes_the_totals(cli, tmp_path):
    """Change January's GMV as a consultant would: the year total, ROI and shares follow."""
    from planforge.pdf import find_soffice

    plan = planforge.load_plan(EN)
    book = openpyxl.load_workbook(_build(cli, EN, tmp_path))
    january = plan.targets.months[0]
    book["Months"]["C2"] = int(january.gmv) + 1_000_000
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    env = {**os.environ, "HOME": str(tmp_path)}
    # Every sheet to its own CSV, numbers as LibreOffice computes them (not as formatted).
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    proc = subprocess.run([find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                           "--headless", "--convert-to", csv_filter, "--outdir", str(tmp_path),
                           str(edited)], capture_output=True, timeout=180, env=env)
    assert proc.returncode == 0, proc.stderr

    def sheet(name: str) -> list[list[str]]:
        text = (tmp_path / f"edited-{name}.csv").read_text(encoding="utf-8")
        return list(csv.reader(io.StringIO(text)))

    rows = sheet("Months")
    year_row = rows[13]
    assert year_row[0] == "Year"
    assert Decimal(year_row[2]) == plan.targets.year.gmv + 1_000_000
    assert Decimal(year_row[5]) == (plan.targets.year.gmv + 1_000_000) / plan.targets.year.budget
    # Orders follow the funnel's average order value beside the table.
    aov = plan.targets.funnel.average_order_value
    assert Decimal(rows[1][6]) == ((january.gmv + 1_000_000) / aov).quantize(Decimal(1))
    # The P&L's formulas, computed by LibreOffice from the model's cost lines, give the
    # model's own subtotals: the workbook adds up as the documents do.
    from planforge.packs import find_pack

    names = find_pack("default").labels("en")["pnl"]
    pnl = sheet("P&L")
    header = pnl[0]
    for attr in ("net_sales", "contribution", "operating_result", "cumulative"):
        column = header.index(names[attr])
        for row, month in zip(pnl[1:], plan.economics.months):
            assert abs(Decimal(row[column]) - getattr(month, attr)) < Decimal("0.01"), (attr, row)


def test_pnl_and_paid_channel_sheets(cli, tmp_path):
    plan = planforge.load_plan(EN)
    path = _build(cli, EN, tmp_path)
    values = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    assert values.sheetnames[-2:] == ["P&L", "Paid channels"]
    pnl, pnl_f = values["P&L"], formulas["P&L"]
    headers = [c.value for c in pnl[1]]
    # Headers are the pack's P&L labels, as the documents print them.
    from planforge.packs import find_pack

    names = find_pack("default").labels("en")["pnl"]
    col = {key: openpyxl.utils.get_column_letter(headers.index(names[key]) + 1)
           for key in ("net_sales", "contribution", "operating_result", "cumulative")}
    for i, m in enumerate(plan.economics.months, start=2):
        assert pnl[f"B{i}"].value == m.gmv
        for key in col:
            assert _close(pnl[f"{col[key]}{i}"].value, getattr(m, key)), (key, i)
        assert pnl_f[f"{col['operating_result']}{i}"].value.startswith("=")
    year_row = len(plan.economics.months) + 2
    assert _close(pnl[f"{col['operating_result']}{year_row}"].value,
                  plan.economics.year.operating_result)
    paid = values["Paid channels"]
    for i, ch in enumerate(plan.paid.channels, start=2):
        assert paid[f"A{i}"].value == ch.channel
        assert paid[f"C{i}"].value == ch.spend
    assert paid[f"C{len(plan.paid.channels) + 2}"].value == plan.paid.spend
