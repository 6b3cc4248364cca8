"""Replace a template chart's data, keeping what python-pptx's ``replace_data`` would lose.

``Chart.replace_data`` resets every value's number format to "General" (python-pptx #666), gives
series added beyond the template's count the colour of the last one (#539), and, on a combined
chart, drops whole plots when the data has fewer series (#877) while leaving their axes behind.
Here the template's format codes are carried over, added series take the next theme accent,
orphaned axes are removed and a dropped plot is reported. The embedded workbook gets a fixed
creation date so that rendering twice gives identical bytes.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.shapes.graphfrm import GraphicFrame
from xlsxwriter import Workbook

from planforge.i18n import _
from planforge.errors import TemplateError
from planforge.render.data import ChartData
from planforge.render.pptx import partnames

_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_AXES = ("catAx", "valAx", "dateAx", "serAx")
_COLORS = ("srgbClr", "schemeClr", "sysClr", "prstClr", "scrgbClr", "hslClr")
_FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def _c(tag: str) -> str:
    return f"{{{_C}}}{tag}"


class _FixedDateWriter(CategoryWorkbookWriter):
    """Workbook writer whose workbook carries a fixed creation date."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(xlsx_file, {"in_memory": True})
        workbook.set_properties({"created": _FIXED_DATE})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _ChartData(CategoryChartData):
    @property
    def _workbook_writer(self):
        return _FixedDateWriter(self)


def replace_chart(frame: GraphicFrame, data: ChartData, where: str) -> list[str]:
    """Put *data* into the chart of *frame*, or delete the frame when *data* has no categories."""
    if not data.categories or not data.series:
        remove_chart(frame)
        return []
    for series in data.series:
        if len(series.values) != len(data.categories):
            raise TemplateError(
                _("{where}: series '{series}' has {values} values for {categories} "
                  "categories").format(where=where, series=series.name,
                                       values=len(series.values),
                                       categories=len(data.categories))
            )
    chart = frame.chart
    plot_area = chart._chartSpace.plotArea
    old_sers = list(plot_area.sers)
    old_plots = [etree.QName(x).localname for x in plot_area.iter_xCharts()]
    formats = [_format_code(ser) for ser in old_sers]

    chart_data = _ChartData(
        number_format=data.number_format or (formats[0] if formats else None) or "General"
    )
    chart_data.categories = [str(c) for c in data.categories]
    for i, series in enumerate(data.series):
        template_format = formats[min(i, len(formats) - 1)] if formats else None
        chart_data.add_series(
            series.name,
            [_number(v) for v in series.values],
            number_format=series.number_format or data.number_format or template_format,
        )
    try:
        chart.replace_data(chart_data)
    except (NotImplementedError, ValueError, KeyError) as exc:
        raise TemplateError(_("{where}: cannot replace this chart's data ({reason})").format(
            where=where, reason=exc)) from exc

    _unlink_axis_formats(plot_area)
    sers = list(plot_area.sers)
    for ser in sers[len(old_sers) :]:
        _recolor(ser, int(ser.idx.val))
    for ser in sers:
        _drop_points_beyond(ser, len(data.categories))
    warnings = []
    kept = [etree.QName(x).localname for x in plot_area.iter_xCharts()]
    if len(kept) < len(old_plots):
        warnings.append(
            f"{where}: the data has {len(data.series)} series but the template chart has "
            f"{len(old_sers)} in {len(old_plots)} plots; "
            f"plots left out: {', '.join(old_plots[len(kept) :])}"
        )
        _remove_orphan_axes(plot_area)
    return warnings


def _unlink_axis_formats(plot_area: etree._Element) -> None:
    """Give a value axis whose number format is linked to its data that format outright.

    A template links an axis to the data so that it prints the unit the render sets per
    locale (万, 元, ¥); LibreOffice ignores the link and prints bare numbers.
    """
    by_axis: dict[str, str] = {}
    for plot in plot_area.iter_xCharts():
        codes = [code for code in map(_format_code, plot.findall(_c("ser"))) if code]
        for ax_id in plot.findall(_c("axId")):
            if codes and ax_id.get("val") not in by_axis:
                by_axis[ax_id.get("val")] = codes[0]
    for axis in plot_area.findall(_c("valAx")):
        ax_id = axis.find(_c("axId"))
        num_fmt = axis.find(_c("numFmt"))
        code = by_axis.get(ax_id.get("val")) if ax_id is not None else None
        if code and num_fmt is not None and num_fmt.get("sourceLinked") in ("1", "true"):
            num_fmt.set("formatCode", code)
            num_fmt.set("sourceLinked", "0")


def remove_chart(frame: GraphicFrame) -> None:
    """Delete a chart's graphic frame and its relationship to the chart part."""
    element = frame._element
    rids = [
        v for el in element.iter(_c("chart")) for k, v in el.attrib.items() if k.endswith("}id")
    ]
    part = frame.part
    element.getparent().remove(element)
    for rid in rids:
        target = part.related_part(rid)
        part.drop_rel(rid)
        partnames.dropped(part, target)


def _number(value: float | Decimal | None) -> float | None:
    return None if value is None else float(value)


def _format_code(ser: etree._Element) -> str | None:
    codes = ser.xpath("./c:val//c:numCache/c:formatCode")
    return codes[0].text if codes and codes[0].text else None


def _recolor(ser: etree._Element, idx: int) -> None:
    # A series cloned by replace_data keeps its source's explicit colour; give it the accent
    # PowerPoint would have picked for its index.
    accent = f"accent{idx % 6 + 1}"
    for sp_pr in ser.xpath("./c:spPr | ./c:marker/c:spPr"):
        for color in [e for e in sp_pr.iter() if etree.QName(e).localname in _COLORS]:
            new = etree.Element(f"{{{_A}}}schemeClr", val=accent)
            for child in color:
                new.append(child)
            color.getparent().replace(color, new)


def _drop_points_beyond(ser: etree._Element, count: int) -> None:
    for point in ser.xpath("./c:dPt | ./c:dLbls/c:dLbl"):
        idx = point.find(_c("idx"))
        if idx is not None and int(idx.get("val", "0")) >= count:
            point.getparent().remove(point)


def _remove_orphan_axes(plot_area: etree._Element) -> None:
    used = {ax.get("val") for x in plot_area.iter_xCharts() for ax in x.findall(_c("axId"))}
    for tag in _AXES:
        for axis in plot_area.findall(_c(tag)):
            ax_id = axis.find(_c("axId"))
            if ax_id is not None and ax_id.get("val") not in used:
                plot_area.remove(axis)
