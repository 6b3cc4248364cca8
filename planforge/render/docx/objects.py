"""The docx-only filters a plan template uses: ``picture`` (an inline image) and ``chart``.

Both insert drawing XML while docxtpl renders, the way docxtpl's own ``InlineImage`` does: the
output closes the current text run, adds a run holding the drawing, and reopens a text run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.image.image import Image
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import pass_context
from markupsafe import Markup

from planforge.errors import AssetError
from planforge.i18n import _
from planforge.render.assets import resolve_asset
from planforge.render.data import ChartData
from planforge.render.imagefit import fitted, oriented_size
from planforge.render.docx.charts import KINDS, ChartStyle, add_chart_part, inline_chart_xml

# A paragraph holding this marker is deleted after rendering (a chart with no data).
DROP_MARKER = "\u2063pf-drop\u2063"
# A4 with the template's margins leaves 160 mm; charts and pictures default to that width.
CONTENT_WIDTH_MM = 160.0


class DocxObjects:
    """Build the ``picture`` and ``chart`` filters bound to one DocxTemplate being rendered."""

    def __init__(self, tpl: DocxTemplate, base_dir: Path, theme: dict | None = None,
                 pack_dir: Path | None = None):
        self.tpl = tpl
        self.base_dir = base_dir
        self.pack_dir = pack_dir
        self.style = ChartStyle(theme)
        self.charts = 0
        self.notes: list[str] = []

    def filters(self) -> dict:
        # Both change the document, so Jinja must never call them while compiling (it does call
        # filters on constants then), and compiled code is shared between renders: a context
        # filter is only ever called at render time.
        return {"picture": _at_render_time(self.picture), "chart": _at_render_time(self.chart)}

    def picture(self, path: Any, width: float = 40, height: float | None = None) -> Any:
        """Fit the image at *path* in a box *width* x *height* mm, keeping its aspect ratio."""
        if path is None or path == "":
            return ""
        # The deck's image: shapes follow the same rule, with the same message.
        file = resolve_asset(path, self.base_dir, self.pack_dir, "picture")
        try:
            Image.from_file(str(file))
            px_width, px_height = oriented_size(file)  # a photo's EXIF rotation counts
        except Exception as exc:  # python-docx raises its own error types for unreadable images
            raise AssetError(_("picture: the image {path} is not a PNG or JPEG image a Word "
                               "document can embed ({reason})").format(
                                   path=repr(path), reason=exc)) from None
        w_mm = float(width)
        h_mm = w_mm * px_height / px_width if px_width else w_mm
        if height is not None and h_mm > float(height):
            h_mm = float(height)
            w_mm = h_mm * px_width / px_height
        # No more pixels than the box needs (planforge.render.imagefit).
        source = fitted(file, Mm(w_mm).emu, Mm(h_mm).emu)
        return InlineImage(self.tpl, source if not isinstance(source, Path) else str(source),
                           width=Mm(w_mm), height=Mm(h_mm))

    def chart(self, data: Any, kind: str = "column", height: float = 75,
              width: float = CONTENT_WIDTH_MM) -> Markup:
        """Draw *data* (a ChartData) as a native Word chart; no data drops the paragraph."""
        if kind not in KINDS:
            raise ValueError(f"chart kind {kind!r} is not one of {', '.join(KINDS)}")
        if not isinstance(data, ChartData):
            raise ValueError("the chart filter takes a chart dataset, e.g. charts.monthly")
        if not data.categories or not data.series:
            return Markup(DROP_MARKER)
        self.charts += 1
        part = self.tpl.current_rendering_part
        rid = add_chart_part(part, data, kind, self.style)
        inline = inline_chart_xml(rid, float(width), float(height), 4000 + self.charts,
                                  f"Chart {self.charts}")
        return Markup(
            f'</w:t></w:r><w:r><w:drawing>{inline}</w:drawing></w:r><w:r><w:t xml:space="preserve">'
        )


def _at_render_time(method: Any) -> Any:
    """Wrap a filter method so that Jinja treats it as a context filter."""

    @pass_context
    def filter_(_context: Any, *args: Any, **kwargs: Any) -> Any:
        return method(*args, **kwargs)

    filter_.__name__ = method.__name__
    filter_.__doc__ = method.__doc__
    return filter_
