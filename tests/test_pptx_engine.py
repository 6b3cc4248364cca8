"""The pptx template engine: tags, loops, slide directives, bound shapes, fitting, safety."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.util import Emu, Inches, Pt
from pptx_engine_helpers import (
    blank_slide,
    chart,
    new_deck,
    png,
    reopen,
    table,
    text_box,
    texts,
    to_bytes,
)

from planforge.errors import AssetError, TemplateError
from planforge.render.data import ChartData, Gantt, GanttTask, Series
from planforge.render.env import make_env, render_string
from planforge.render.pptx import render_pptx

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def render(prs, context, **kwargs):
    return render_pptx(to_bytes(prs), context, make_env(), **kwargs)


def one_box(runs, context, **box):
    prs = new_deck()
    text_box(blank_slide(prs), "Body", runs, **box)
    data, warnings = render(prs, context)
    return reopen(data).slides[0].shapes[0], warnings


# -- text ---------------------------------------------------------------------------------------


def test_tag_split_across_runs_is_merged_and_first_run_format_wins():
    shape, _ = one_box(["Hi {{ bra", "nd.na", "me }}!"], {"brand": {"name": "Acme"}})
    runs = shape.text_frame.paragraphs[0].runs
    assert shape.text_frame.text == "Hi Acme!"
    assert runs[0].text == "Hi Acme" and runs[0].font.bold


def test_newline_in_value_becomes_line_break():
    shape, _ = one_box(["{{ text }}"], {"text": "one\ntwo"})
    p = shape.text_frame.paragraphs[0]._p
    assert [etree.QName(c).localname for c in p if etree.QName(c).localname in ("r", "br")] == [
        "r",
        "br",
        "r",
    ]


def test_paragraph_loop_repeats_bullets_and_control_paragraphs_vanish():
    paragraphs = [["{%p for x in items %}"], ["• ", "{{ x }}"], ["{%p endfor %}"], ["end"]]
    shape, _ = one_box(paragraphs, {"items": ["a", "b", "c"]})
    assert shape.text_frame.text.split("\n") == ["• a", "• b", "• c", "end"]


def test_paragraph_if_drops_paragraphs():
    paragraphs = [["keep"], ["{%p if show %}"], ["hidden"], ["{%p endif %}"]]
    shape, _ = one_box(paragraphs, {"show": False})
    assert shape.text_frame.text == "keep"


def test_table_row_loop_repeats_rows_and_resizes_frame():
    prs = new_deck()
    rows = [
        ["Name", "GMV"],
        ["{%tr for r in rows %}", ""],
        ["{{ r.name }}", "{{ r.gmv }}"],
        ["{%tr endfor %}", ""],
    ]
    table(blank_slide(prs), "Targets", rows, row_height=Inches(0.4))
    data, _ = render(
        prs,
        {
            "rows": [
                {"name": n, "gmv": g}
                for n, g in [("1月", "15万"), ("2月", "6.25万"), ("3月", "1.2亿")]
            ]
        },
    )
    frame = reopen(data).slides[0].shapes[0]
    cells = [[c.text for c in row.cells] for row in frame.table.rows]
    assert cells == [["Name", "GMV"], ["1月", "15万"], ["2月", "6.25万"], ["3月", "1.2亿"]]
    assert frame.height == Inches(0.4) * 4


def test_spec_values_are_data_not_template_code():
    shape, _ = one_box(["{{ name }}"], {"name": "{{ 7*7 }} {% if x %}"})
    assert shape.text_frame.text == "{{ 7*7 }} {% if x %}"


def test_characters_xml_forbids_are_stripped():
    shape, _ = one_box(["{{ name }}"], {"name": "a\x00b\x07c\td"})
    assert shape.text_frame.text == "abc\td"


def test_every_run_gets_an_east_asian_font():
    shape, _ = one_box(["品牌 {{ name }}"], {"name": "天猫"}, size=20)
    for run in shape._element.iter(f"{A}r"):
        assert run.find(f"{A}rPr/{A}ea").get("typeface") == "Microsoft YaHei"


def test_notes_are_rendered():
    prs = new_deck()
    blank_slide(prs, notes="Say {{ brand }}")
    data, _ = render(prs, {"brand": "Acme"})
    assert reopen(data).slides[0].notes_slide.notes_text_frame.text == "Say Acme"


# -- errors and safety ---------------------------------------------------------------------------


def test_unknown_name_names_slide_shape_and_tag():
    prs = new_deck()
    blank_slide(prs)
    text_box(blank_slide(prs), "Body", ["{{ brand.nmae }}"])
    with pytest.raises(TemplateError) as caught:
        render(prs, {"brand": {"name": "Acme"}}, where="templates/default/deck.pptx")
    assert str(caught.value) == (
        "templates/default/deck.pptx: slide 2, shape 'Body': "
        "unknown name 'brand.nmae' in {{ brand.nmae }}"
    )


def test_reaching_for_python_internals_is_refused():
    with pytest.raises(TemplateError, match="unsafe"):
        one_box(["{{ ''.__class__.__mro__ }}"], {})


def test_syntax_error_names_the_tag():
    with pytest.raises(
        TemplateError, match=r"slide 1, shape 'Body': syntax error.* in \{%p for x %\}"
    ):
        one_box([["{%p for x %}"], ["a"], ["{%p endfor %}"]], {})


def test_render_string_wraps_errors_and_cleans_output():
    env = make_env(filters={"shout": str.upper})
    assert render_string(env, "{{ a | shout }}", {"a": "x\x01"}, "w") == "X"
    with pytest.raises(TemplateError, match="^w: ZeroDivisionError"):
        render_string(env, "{{ 1 / 0 }}", {}, "w")


# -- slide directives ----------------------------------------------------------------------------


def test_if_directive_drops_the_slide():
    prs = new_deck()
    text_box(blank_slide(prs, notes="@if brand.awards"), "T", ["awards"])
    text_box(blank_slide(prs), "T", ["last"])
    data, _ = render(prs, {"brand": {"awards": []}})
    deck = reopen(data)
    assert [texts(s) for s in deck.slides] == [["last"]]


def test_for_directive_clones_slide_with_own_chart_workbook_and_picture(tmp_path):
    (tmp_path / "p.png").write_bytes(png(40, 20))
    prs = new_deck()
    slide = blank_slide(prs, notes="@for p in products\nTalk about {{ p.name }}")
    text_box(slide, "Title", ["{{ p.name }}"])
    slide.shapes.add_picture(str(tmp_path / "p.png"), Inches(8), Inches(1), Inches(2), Inches(1))
    chart(slide, "chart:p.sales", {"GMV": [1, 2]}, ["a", "b"])
    text_box(blank_slide(prs), "T", ["end"])
    products = [
        {
            "name": f"P{i}",
            "sales": ChartData(["Q1", "Q2", "Q3"], [Series("GMV", [i, i + 1, i + 2])]),
        }
        for i in range(3)
    ]
    data, _ = render(prs, {"products": products})
    deck = reopen(data)
    assert [texts(s)[0] for s in deck.slides] == ["P0", "P1", "P2", "end"]
    charts = [sh for s in list(deck.slides)[:3] for sh in s.shapes if sh.has_chart]
    assert len({c.chart.part.partname for c in charts}) == 3
    workbooks = [c.chart.part.chart_workbook.xlsx_part for c in charts]
    assert len({w.partname for w in workbooks}) == 3
    for i, (frame, workbook) in enumerate(zip(charts, workbooks)):
        assert list(frame.chart.plots[0].series[0].values) == [i, i + 1, i + 2]
        assert zipfile.ZipFile(io.BytesIO(workbook.blob)).testzip() is None
    pictures = [sh for s in list(deck.slides)[:3] for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 3 and all(p.image.size == (40, 20) for p in pictures)
    notes = [s.notes_slide.notes_text_frame.text for s in list(deck.slides)[:3]]
    assert notes == ["Talk about P0", "Talk about P1", "Talk about P2"]


def test_paginate_directive_binds_pages():
    prs = new_deck()
    slide = blank_slide(prs, notes="@paginate page in items by 2")
    text_box(
        slide, "T", ["{{ page.number }}/{{ page.count }}{% if page.continued %} (cont.){% endif %}"]
    )
    text_box(
        slide, "L", [["{%p for x in page.items %}"], ["{{ x }}"], ["{%p endfor %}"]], top=Inches(4)
    )
    data, _ = render(prs, {"items": ["a", "b", "c", "d", "e"]})
    assert [texts(s) for s in reopen(data).slides] == [
        ["1/3", "a\nb"],
        ["2/3 (cont.)", "c\nd"],
        ["3/3 (cont.)", "e"],
    ]


def test_for_over_empty_list_removes_slide_and_bad_directive_is_an_error():
    prs = new_deck()
    blank_slide(prs, notes="@for p in products")
    text_box(blank_slide(prs), "T", ["x"])
    data, _ = render(prs, {"products": []})
    assert len(reopen(data).slides) == 1
    prs = new_deck()
    blank_slide(prs, notes="@for p of products")
    with pytest.raises(TemplateError, match="slide 1 notes: expected '@for <name> in <expr>'"):
        render(prs, {})
    prs = new_deck()
    blank_slide(prs, notes="@if brand.nmae")
    with pytest.raises(
        TemplateError, match=r"slide 1 notes: unknown name 'brand.nmae' in @if brand.nmae"
    ):
        render(prs, {"brand": {}})


# -- charts --------------------------------------------------------------------------------------


def test_chart_data_replaced_keeping_number_format_and_new_series_colours():
    prs = new_deck()
    chart(blank_slide(prs), "chart:monthly", {"GMV": [1, 2]}, ["a", "b"], number_format='#,##0"元"')
    data = ChartData(
        ["1月", "2月", "3月"], [Series("GMV", [1, 2, 3]), Series("Budget", [0.5, None, 1])]
    )
    out, _ = render(prs, {"charts": {"monthly": data}})
    frame = reopen(out).slides[0].shapes[0]
    plot = frame.chart.plots[0]
    assert list(plot.categories) == ["1月", "2月", "3月"]
    assert [s.name for s in plot.series] == ["GMV", "Budget"]
    assert list(plot.series[1].values) == [0.5, None, 1.0]
    codes = frame.chart._chartSpace.xpath(".//c:val//c:formatCode")
    assert [c.text for c in codes] == ['#,##0"元"', '#,##0"元"']


def test_series_added_beyond_template_take_the_next_accent_colour():
    prs = new_deck()
    frame = chart(blank_slide(prs), "chart:c", {"GMV": [1, 2]}, ["a", "b"])
    fill = frame.chart.plots[0].series[0].format.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor(0xC0, 0, 0)
    data = ChartData(
        ["a", "b"], [Series("GMV", [1, 2]), Series("Budget", [3, 4]), Series("ROI", [5, 6])]
    )
    out, _ = render(prs, {"charts": {"c": data}})
    series = list(reopen(out).slides[0].shapes[0].chart.plots[0].series)
    assert str(series[0].format.fill.fore_color.rgb) == "C00000"
    assert [s.format.fill.fore_color.theme_color for s in series[1:]] == [
        MSO_THEME_COLOR.ACCENT_2,
        MSO_THEME_COLOR.ACCENT_3,
    ]


def test_chart_without_categories_is_deleted_and_unknown_dataset_is_an_error():
    prs = new_deck()
    chart(blank_slide(prs), "chart:monthly", {"GMV": [1, 2]}, ["a", "b"])
    out, _ = render(prs, {"charts": {"monthly": ChartData([], [])}})
    deck = reopen(out)
    assert len(deck.slides[0].shapes) == 0
    assert not any("chart" in str(p.partname) for p in deck.part.package.iter_parts())
    with pytest.raises(TemplateError, match="shape 'chart:monthly': no chart data named 'monthly'"):
        render(prs, {"charts": {}})


# -- images --------------------------------------------------------------------------------------


def test_image_fitted_in_box_with_aspect_kept_and_centred(tmp_path):
    (tmp_path / "logo.png").write_bytes(png(100, 100))
    prs = new_deck()
    box = text_box(
        blank_slide(prs),
        "image:brand.logo",
        ["placeholder"],
        left=Inches(1),
        top=Inches(1),
        width=Inches(4),
        height=Inches(2),
    )
    out, _ = render(prs, {"brand": {"logo": "logo.png"}}, base_dir=tmp_path)
    shapes = list(reopen(out).slides[0].shapes)
    assert len(shapes) == 1 and shapes[0].shape_type == 13
    pic = shapes[0]
    assert (pic.width, pic.height) == (Inches(2), Inches(2))
    assert (pic.left, pic.top) == (box.left + Inches(1), box.top)


def test_image_none_removes_shape_and_missing_file_is_an_asset_error(tmp_path):
    prs = new_deck()
    text_box(blank_slide(prs), "image:brand.logo", ["x"])
    out, _ = render(prs, {"brand": {"logo": None}}, base_dir=tmp_path)
    assert len(reopen(out).slides[0].shapes) == 0
    with pytest.raises(
        AssetError, match="slide 1, shape 'image:brand.logo': image not found: 'nope.png'"
    ):
        render(prs, {"brand": {"logo": "nope.png"}}, base_dir=tmp_path)


# -- gantt ---------------------------------------------------------------------------------------


def test_image_path_may_not_leave_base_dir(tmp_path):
    (tmp_path / "logo.png").write_bytes(png(10, 10))
    prs = new_deck()
    text_box(blank_slide(prs), "image:logo", ["x"])
    with pytest.raises(AssetError, match="leads outside the spec's folder"):
        render(prs, {"logo": "../logo.png"}, base_dir=tmp_path / "spec")


def test_gantt_drawn_with_native_shapes_in_its_box():
    prs = new_deck()
    text_box(blank_slide(prs), "gantt:roadmap", ["x"], width=Inches(10), height=Inches(4))
    months = [f"{m}月" for m in range(1, 13)]
    tasks = [
        GanttTask("筹备", 0, 2, "prep"),
        GanttTask("上新", 3, 5, "ops"),
        GanttTask("双11", 9, 10, "ops"),
    ]
    gantt = Gantt(months, tasks, [("Q1", 0, 2), ("Q4", 9, 11)])
    out, warnings = render(prs, {"gantts": {"roadmap": gantt}})
    group = reopen(out).slides[0].shapes[0]
    assert group.name == "gantt:roadmap" and warnings == []
    # two shapes per band (label + shading), one per month, two per task (label + bar)
    assert len(group.shapes) == 2 * 2 + 12 + 2 * 3
    labels = {s.text_frame.text for s in group.shapes if s.text_frame.text}
    assert {"1月", "12月", "Q1", "Q4", "筹备", "双11"} <= labels


def test_gantt_with_too_many_tasks_warns():
    prs = new_deck()
    text_box(blank_slide(prs), "gantt:roadmap", ["x"], width=Inches(10), height=Inches(1.5))
    tasks = [GanttTask(f"t{i}", 0, 1) for i in range(20)]
    _, warnings = render(prs, {"gantts": {"roadmap": Gantt(["1月", "2月"], tasks)}})
    assert len(warnings) == 1 and "Gantt tasks do not fit" in warnings[0]


# -- fitting -------------------------------------------------------------------------------------


def test_overflowing_text_is_shrunk():
    shape, warnings = one_box(
        ["{{ text }}"], {"text": "天猫旗舰店" * 12}, size=24, width=Inches(4), height=Inches(1.5),
        fixed=True,
    )
    sizes = {r.font.size for p in shape.text_frame.paragraphs for r in p.runs}
    assert warnings == [] and len(sizes) == 1
    assert Pt(24 * 0.6) <= sizes.pop() < Pt(24)


def test_a_box_that_resizes_to_fit_its_text_grows_down_to_the_next_shape():
    """A "resize shape to fit text" box (LibreOffice shrinks it to its tags) is not a limit."""
    prs = new_deck()
    slide = blank_slide(prs)
    text_box(slide, "Story", ["{{ text }}"], size=24, width=Inches(4), height=Inches(0.5))
    text_box(slide, "Below", ["x"], top=Inches(3.5), left=Inches(2), height=Inches(1))
    data, warnings = render(prs, {"text": "天猫旗舰店" * 12})
    story = reopen(data).slides[0].shapes[0]
    assert warnings == []
    assert {r.font.size for p in story.text_frame.paragraphs for r in p.runs} <= {None, Pt(24)}
    # With the shape below it two inches higher, the same text has to shrink.
    prs = new_deck()
    slide = blank_slide(prs)
    text_box(slide, "Story", ["{{ text }}"], size=24, width=Inches(4), height=Inches(0.5))
    text_box(slide, "Below", ["x"], top=Inches(1.6), left=Inches(2), height=Inches(1))
    data, _ = render(prs, {"text": "天猫旗舰店" * 12})
    story = reopen(data).slides[0].shapes[0]
    assert max(r.font.size for p in story.text_frame.paragraphs for r in p.runs) < Pt(24)


def test_text_that_cannot_fit_is_cut_with_a_warning():
    shape, warnings = one_box(
        ["{{ text }}"], {"text": "天猫旗舰店" * 200}, size=24, width=Inches(4), height=Inches(1.5),
        fixed=True,
    )
    text = shape.text_frame.text
    assert text.endswith("…") and len(text) < 1000
    assert len(warnings) == 1 and "slide 1, shape 'Body': text too long" in warnings[0]


# -- determinism and LibreOffice -----------------------------------------------------------------


def _rich_deck(tmp_path):
    (tmp_path / "p.png").write_bytes(png(30, 30))
    prs = new_deck()
    slide = blank_slide(prs, notes="@for p in products")
    text_box(slide, "T", ["{{ p }}"])
    text_box(slide, "image:logo", ["x"], top=Inches(4), height=Inches(2))
    chart(slide, "chart:c", {"s": [1, 2]}, ["a", "b"])
    context = {
        "products": ["甲", "乙"],
        "logo": "p.png",
        "charts": {"c": ChartData(["x", "y", "z"], [Series("s", [1, 2, 3])])},
    }
    return prs, context


def test_same_inputs_give_same_bytes(tmp_path):
    prs, context = _rich_deck(tmp_path)
    first, _ = render(prs, context, base_dir=tmp_path)
    second, _ = render(prs, context, base_dir=tmp_path)
    assert first == second


@pytest.mark.libreoffice
def test_rendered_deck_converts_with_libreoffice(tmp_path):
    prs, context = _rich_deck(tmp_path)
    out, _ = render(prs, context, base_dir=tmp_path)
    (tmp_path / "deck.pptx").write_bytes(out)
    soffice = shutil.which("soffice") or "soffice"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "deck.pptx"),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    assert (tmp_path / "deck.pdf").stat().st_size > 1000


def test_emu_helpers_are_consistent():
    assert Emu(Inches(1)).pt == 72


def test_a_rebuild_reuses_nothing_that_changed_and_keeps_its_warnings():
    # Watch mode renders one template again and again; each render must equal a fresh one.
    from planforge.caches import forget

    prs = new_deck()
    slide = blank_slide(prs)
    text_box(slide, "Body", ["{{ text }}"], size=24, width=Inches(4), height=Inches(1.5))
    text_box(slide, "Other", ["{{ other }}"])
    template = to_bytes(prs)
    long = {"text": "天猫旗舰店" * 200, "other": "a"}
    runs = [render_pptx(template, c, make_env())
            for c in (long, {**long, "other": "b"}, long, {**long, "text": "short"})]
    forget()
    fresh = [render_pptx(template, c, make_env())
             for c in (long, {**long, "other": "b"}, long, {**long, "text": "short"})]
    assert runs == fresh
    assert runs[0][0] == runs[2][0] != runs[1][0]
    assert all(len(w) == 1 and "text too long" in w[0] for _, w in runs[:3])
    assert runs[3][1] == []
