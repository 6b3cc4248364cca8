"""Native Word charts: a chart part with its embedded workbook, drawn inline in a paragraph.

python-pptx already writes DrawingML chart XML (``ChartXmlWriter``); Word reads the same
``c:chartSpace``. We reuse it, style it through python-pptx's chart API, write the workbook
ourselves (python-pptx stamps it with the current time, which would break byte-identical
builds), and add both parts to the docx package the way Word itself lays them out.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import xlsxwriter
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.chart.xmlwriter import ChartXmlWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION,
)
from pptx.oxml import parse_xml
from pptx.util import Pt

from planforge.render.data import ChartData

CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
EMU_PER_MM = 36000

KINDS = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked": XL_CHART_TYPE.COLUMN_STACKED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "pie": XL_CHART_TYPE.PIE,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
    # Floating bars: the first series is an unfilled base, the second the bar; every further
    # series is a line with markers across the categories (e.g. a product's price).
    "bands": XL_CHART_TYPE.COLUMN_STACKED,
}
# Used after the theme's own colours run out (muted, distinguishable on white and in grey print).
_FALLBACK_COLORS = ("4E79A7", "F28E2B", "76B7B2", "59A14F", "EDC948", "B07AA1", "9C755F", "BAB0AC")
_FIXED_TIME = dt.datetime(2000, 1, 1)


class ChartStyle:
    """Fonts and colours a chart is drawn with (from the pack's theme)."""

    def __init__(self, theme: dict | None = None):
        theme = theme or {}
        colors = theme.get("colors") or {}
        fonts = theme.get("fonts") or {}
        own = [colors.get(k) for k in ("primary", "accent", "muted")]
        self.colors = [str(c).lstrip("#") for c in own if c] + list(_FALLBACK_COLORS)
        self.latin = fonts.get("latin") or "Arial"
        self.east_asian = fonts.get("east_asian") or "Microsoft YaHei"
        self.size_pt = 9


def _plain(value: Any) -> Any:
    """Turn a Decimal into an int when whole, so chart XML and the workbook hold exact values."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


def _number_format(data: ChartData, series_format: str | None) -> str:
    return series_format or data.number_format or "General"


def category_chart_data(data: ChartData) -> CategoryChartData:
    """Return python-pptx chart data holding exactly the categories and series of *data*."""
    chart_data = CategoryChartData(number_format=data.number_format or "General")
    chart_data.categories = list(data.categories)
    for s in data.series:
        chart_data.add_series(s.name, [_plain(v) for v in s.values],
                              number_format=_number_format(data, s.number_format))
    return chart_data


def workbook_blob(data: ChartData) -> bytes:
    """Write the chart's data sheet (categories in column A, a column per series) reproducibly."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.set_properties({"created": _FIXED_TIME})
    sheet = book.add_worksheet("Sheet1")
    sheet.set_column(0, 0, 14)
    for row, category in enumerate(data.categories, start=1):
        sheet.write_string(row, 0, str(category))
    for col, s in enumerate(data.series, start=1):
        cell_format = book.add_format({"num_format": _number_format(data, s.number_format)})
        sheet.write_string(0, col, s.name)
        sheet.set_column(col, col, 12)
        for row, value in enumerate(s.values, start=1):
            if value is None:
                continue
            # xlsxwriter stores floats; Decimal fractions here are short (万 with 4 places).
            sheet.write_number(row, col, float(value), cell_format)
    book.close()
    return buf.getvalue()


def chart_xml(data: ChartData, kind: str, style: ChartStyle,
              legend: bool | None = None) -> etree._Element:
    """Return the styled ``c:chartSpace`` element for *data* drawn as *kind*."""
    chart_type = KINDS[kind]
    space = parse_xml(ChartXmlWriter(chart_type, category_chart_data(data)).xml.encode("utf-8"))
    chart = Chart(space, None)
    chart.has_title = False  # the document prints its own caption above the chart
    pie = kind in ("pie", "doughnut")
    chart.has_legend = (pie or len(data.series) > 1) if legend is None else legend
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.RIGHT if pie else XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    chart.font.size = Pt(style.size_pt)
    chart.font.name = style.latin
    plot = chart.plots[0]
    if pie:
        for idx, point in enumerate(plot.series[0].points if plot.series else []):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _color(style, idx)
        plot.has_data_labels = True
        labels = plot.data_labels
        share_format = data.series[0].number_format if data.series else None
        if share_format and "%" in share_format:
            # The slices are shares the table beside prints: label them with those values, not
            # with percentages Word would compute and round its own way.
            labels.show_percentage, labels.show_value = False, True
            labels.number_format = share_format
        else:
            labels.show_percentage, labels.show_value = True, False
            labels.number_format = "0.0%"
        labels.number_format_is_linked = False
        labels.position = (XL_LABEL_POSITION.OUTSIDE_END if kind == "pie"
                           else XL_LABEL_POSITION.CENTER)
    else:
        for idx, series in enumerate(plot.series):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _color(style, idx)
        if kind in ("column", "stacked", "bar"):
            plot.gap_width = 60 if kind != "stacked" else 80
            if kind == "stacked":
                plot.overlap = 100
        axis = chart.value_axis
        first = data.series[0].number_format if data.series else None
        axis.tick_labels.number_format = _number_format(data, first)
        axis.tick_labels.number_format_is_linked = False
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("D9D9D9")
        axis.format.line.fill.background()
        chart.category_axis.format.line.color.rgb = RGBColor.from_string("BFBFBF")
        # Category labels below the plot, not on the zero line among negative values (a
        # cumulative result that starts with losses); the same place when all are positive.
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if kind == "bands":
        _floating_bars(space, style)
    _east_asian_font(space, style.east_asian)
    _no_rounded_corners(space)
    return space


def _floating_bars(space: etree._Element, style: ChartStyle) -> None:
    """Hide the base series, keep the bar series, and move the rest into a line plot."""
    c = f"{{{C_NS}}}"
    legend_pos = space.find(f".//{c}legend/{c}legendPos")
    if legend_pos is not None:  # the base is no entry of the legend
        legend_pos.addnext(parse_xml(f'<c:legendEntry xmlns:c="{C_NS}"><c:idx val="0"/>'
                                     '<c:delete val="1"/></c:legendEntry>'))
    bar = space.find(f".//{c}barChart")
    sers = bar.findall(f"{c}ser")
    base = sers[0]
    sp = base.find(f"{c}spPr")
    if sp is not None:
        base.remove(sp)
    base.find(f"{c}tx").addnext(parse_xml(
        f'<c:spPr xmlns:c="{C_NS}" xmlns:a="{A_NS}"><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'))
    if len(sers) <= 2:
        return
    line = etree.Element(f"{c}lineChart")
    etree.SubElement(line, f"{c}grouping").set("val", "standard")
    etree.SubElement(line, f"{c}varyColors").set("val", "0")
    for n, ser in enumerate(sers[2:]):
        bar.remove(ser)
        for child in ser.findall(f"{c}invertIfNegative") + ser.findall(f"{c}spPr"):
            ser.remove(child)
        color = style.colors[(n + 2) % len(style.colors)]  # not the bar's colour
        ser.find(f"{c}tx").addnext(parse_xml(
            f'<c:spPr xmlns:c="{C_NS}" xmlns:a="{A_NS}"><a:ln w="19050"><a:solidFill>'
            f'<a:srgbClr val="{color}"/></a:solidFill><a:prstDash val="dash"/></a:ln></c:spPr>'))
        ser.find(f"{c}spPr").addnext(parse_xml(
            f'<c:marker xmlns:c="{C_NS}" xmlns:a="{A_NS}"><c:symbol val="diamond"/>'
            f'<c:size val="8"/><c:spPr><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
            f'</c:spPr></c:marker>'))
        smooth = etree.SubElement(ser, f"{c}smooth")
        smooth.set("val", "0")
        line.append(ser)
    etree.SubElement(line, f"{c}marker").set("val", "1")
    for ax in bar.findall(f"{c}axId"):
        etree.SubElement(line, f"{c}axId").set("val", ax.get("val"))
    bar.addnext(line)


def _color(style: ChartStyle, index: int) -> RGBColor:
    return RGBColor.from_string(style.colors[index % len(style.colors)])


def _east_asian_font(space: etree._Element, typeface: str) -> None:
    # python-pptx sets only a:latin; Chinese category names need a:ea to avoid tofu in Word.
    for rpr in space.iter(f"{{{A_NS}}}defRPr"):
        if rpr.find(f"{{{A_NS}}}ea") is None:
            ea = etree.SubElement(rpr, f"{{{A_NS}}}ea")
            ea.set("typeface", typeface)
            latin = rpr.find(f"{{{A_NS}}}latin")
            if latin is not None:  # schema order: latin, ea, cs
                latin.addnext(ea)


def _no_rounded_corners(space: etree._Element) -> None:
    # Word draws rounded chart borders unless told otherwise; a business document wants square.
    rounded = etree.Element(f"{{{C_NS}}}roundedCorners")
    rounded.set("val", "0")
    first = space.find(f"{{{C_NS}}}date1904")
    if first is not None:
        first.addnext(rounded)
    else:
        space.insert(0, rounded)


def _external_data(space: etree._Element, rid: str) -> None:
    """Point the chart at its embedded workbook (what makes "Edit Data" work in Word)."""
    ext = etree.SubElement(space, f"{{{C_NS}}}externalData")
    ext.set(f"{{{R_NS}}}id", rid)
    auto = etree.SubElement(ext, f"{{{C_NS}}}autoUpdate")
    auto.set("val", "0")
    # Schema order: ... txPr, externalData, printSettings, userShapes, extLst.
    for tag in ("printSettings", "userShapes", "extLst"):
        later = space.find(f"{{{C_NS}}}{tag}")
        if later is not None:
            later.addprevious(ext)
            break


class _BlobPart(Part):
    """A package part whose bytes are set after its relationships exist."""

    def set_blob(self, blob: bytes) -> None:
        self._blob = blob


def add_chart_part(parent_part: Part, data: ChartData, kind: str, style: ChartStyle) -> str:
    """Add a chart part and its workbook to the package; return its id from *parent_part*."""
    package = parent_part.package
    name = package.next_partname("/word/charts/chart%d.xml")
    chart_part = _BlobPart(name, CHART_CT, b"", package)
    rid = parent_part.relate_to(chart_part, RT.CHART)
    book_name = package.next_partname("/word/embeddings/Microsoft_Excel_Sheet%d.xlsx")
    book_part = Part(PackURI(book_name), XLSX_CT, workbook_blob(data), package)
    book_rid = chart_part.relate_to(book_part, RT.PACKAGE)
    space = chart_xml(data, kind, style)
    _external_data(space, book_rid)
    chart_part.set_blob(etree.tostring(space, xml_declaration=True, encoding="UTF-8",
                                       standalone=True))
    return rid


def inline_chart_xml(rid: str, width_mm: float, height_mm: float, shape_id: int, name: str) -> str:
    """Return the ``wp:inline`` drawing that shows chart *rid* at the given size."""
    cx, cy = int(width_mm * EMU_PER_MM), int(height_mm * EMU_PER_MM)
    return (
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}"'
        f' xmlns:c="{C_NS}" xmlns:r="{R_NS}">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="{name}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline>'
    )
