"""Render a PowerPoint template with planforge's model: docxtpl's tag language, for .pptx.

``render_pptx(template, context, env, where=..., base_dir=..., ea_font=...)`` returns
``(pptx_bytes, warnings)`` (an uncompressed zip; ``planforge.write.normalize_ooxml``
compresses it). ``env`` comes from ``planforge.render.env.make_env`` (sandboxed,
strict: an unknown name is an error). Errors raise ``TemplateError`` naming the file, the 1-based
template slide, the shape and the tag, e.g.
``deck.pptx: slide 4, shape 'Body': unknown name 'brand.nmae' in {{ brand.nmae }}``.

Text (text boxes, placeholders, table cells, shapes inside groups, slide notes)
    ``{{ expr }}`` prints a value anywhere in a run. A tag PowerPoint split across runs still
    works; the first run's formatting wins. A newline in a value becomes a line break. Inline
    ``{% if %}``/``{% for %}`` work inside one paragraph. Values are data: a value containing
    ``{{ 7*7 }}`` prints as written.

    ``{%p for x in xs %}`` ... ``{%p endfor %}`` and ``{%p if cond %}`` ... ``{%p endif %}``
    (also ``{%p elif %}``, ``{%p else %}``, ``{%p set %}``), each alone in its own paragraph,
    repeat or drop the paragraphs between them (bullet lists). The control paragraphs vanish.

Tables
    ``{%tr for row in rows %}`` in a row (any cell) and ``{%tr endfor %}`` in a later row
    repeat the rows between; control rows vanish. Row heights are kept and the table's frame
    height becomes the sum of its rows. A table left with no rows is removed.

Slide directives (one per line in the slide's notes; removed from the rendered notes)
    ``@if <expr>``                          drop the slide when <expr> is falsy
    ``@for <var> in <expr>``                one slide per item, bound to <var>
    ``@paginate <var> in <expr> by <N>``    one slide per page of N items; <var> has .items,
                                            .number (1-based), .count, .first, .last, .continued
    Directives apply top to bottom, later ones seeing earlier bindings (``@for p in products``
    then ``@if p.image``). An empty list gives no slide. Copies of a slide keep their pictures
    and get their own chart parts and embedded workbooks.

Shapes bound by name (Selection Pane)
    ``chart:<name>``  a chart whose data becomes ``context["charts"][name]`` (a ChartData from
                      planforge.render.data); styling and number formats are kept. If <name> is
                      not a key there it is evaluated as an expression (``chart:p.sales``). No
                      categories: the chart is deleted.
    ``image:<expr>``  any shape or picture; <expr> (``brand.logo``, ``p.image``) gives a path
                      relative to ``base_dir``; the image is fitted into the shape's box, aspect
                      kept, centred, and the shape removed. None removes the shape.
    ``gantt:<name>``  any shape; replaced by a Gantt (``context["gantts"][name]``, a Gantt)
                      drawn with native shapes in its box. Same expression fallback as charts.

After rendering, text that would overflow its box is shrunk (down to 60%, not below 9pt) and
then cut with "…" (with a warning). Every run gets an East Asian font (``a:ea``): its CJK latin
font, else ``ea_font``. The same inputs give the same bytes.
"""

from planforge.render.pptx.engine import render_pptx

__all__ = ["render_pptx"]
