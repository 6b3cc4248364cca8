"""Render caches: compiled templates per process and on disk, docxtpl's patched XML, part names.

Each cache must be invisible: the same bytes with and without it, safe templates stay safe, and a
damaged or unwritable cache folder never breaks a build.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from pptx.util import Inches
from pptx_engine_helpers import blank_slide, chart, new_deck, png, reopen, text_box, to_bytes

from planforge import api
from planforge.errors import TemplateError
from planforge.fmt import filters_for
from planforge import caches
from planforge.render import jinja_cache
from planforge.caches import forget
from planforge.render.data import ChartData, Series
from planforge.render.env import evaluate, make_env, render_string
from planforge.render.pptx import partnames, render_pptx

from conftest import EXAMPLES, ROOT

UNSAFE = "{{ ''.__class__.__mro__ }}"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A fresh on-disk cache folder and an empty in-process cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANFORGE_CACHE_DIR", str(folder))
    forget()
    yield folder
    forget()


def copy_example(tmp_path: Path) -> Path:
    spec = EXAMPLES / "ironleaf-cookware.en.yaml"
    shutil.copytree(EXAMPLES / "assets", tmp_path / "assets", dirs_exist_ok=True)
    shutil.copy(spec, tmp_path / spec.name)
    return tmp_path / spec.name


def build_bytes(spec: Path, out: Path) -> dict[str, bytes]:
    result = api.build(spec, out)
    return {p.suffix: p.read_bytes() for p in result.outputs}


# -- compiled templates -------------------------------------------------------------------------


def test_a_source_is_compiled_once_per_process(cache_dir, monkeypatch):
    compiled = []
    original = jinja_cache.SandboxedEnvironment.compile

    def counting(self, source, *args, **kwargs):
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja_cache.SandboxedEnvironment, "compile", counting)
    for _ in range(3):  # a new environment per build, as api.build makes
        env = make_env("en", filters=filters_for("en"))
        assert render_string(env, "Hi {{ name }}!", {"name": "Ann"}, "t") == "Hi Ann!"
        assert evaluate(env, "items | length", {"items": [1, 2]}, "t", "@if") == 2
    assert len(compiled) == 2  # the template once, the expression once


def test_cached_code_keeps_each_locales_filters(cache_dir):
    # Jinja runs filters on constants while compiling; a cached zh-CN result must not leak into en.
    source = "{{ 1234567 | money }}"
    zh = render_string(make_env("zh-CN", filters=filters_for("zh-CN")), source, {}, "t")
    en = render_string(make_env("en", filters=filters_for("en")), source, {}, "t")
    assert zh == filters_for("zh-CN")["money"](1234567)
    assert en == filters_for("en")["money"](1234567)
    assert zh != en
    forget()  # now from disk
    assert render_string(make_env("en", filters=filters_for("en")), source, {}, "t") == en


def test_sandbox_refuses_unsafe_code_with_a_warm_cache(cache_dir):
    for _ in range(2):  # cold, then from the in-process cache
        with pytest.raises(TemplateError, match="unsafe"):
            render_string(make_env(), UNSAFE, {}, "t")
    forget()  # then from the on-disk cache
    assert list(cache_dir.glob("jinja-*.cache"))
    with pytest.raises(TemplateError, match="unsafe"):
        render_string(make_env(), UNSAFE, {}, "t")
    with pytest.raises(TemplateError, match="unsafe"):
        evaluate(make_env(), "''.__class__.__mro__", {}, "t", "@if")


def test_syntax_errors_are_reported_every_time(cache_dir):
    for _ in range(2):
        with pytest.raises(TemplateError, match=r"t: syntax error: .* in \{\{ x \+ \}\}"):
            render_string(make_env(), "{{ x + }}", {"x": 1}, "t")


def test_build_is_the_same_cold_warm_and_without_a_cache(cache_dir, tmp_path, monkeypatch):
    spec = copy_example(tmp_path)
    cold = build_bytes(spec, tmp_path / "cold")
    assert list(cache_dir.glob("jinja-*.cache")) and list(cache_dir.glob("docxtpl-*.xml"))
    warm = build_bytes(spec, tmp_path / "warm")  # in-process cache
    forget()
    disk = build_bytes(spec, tmp_path / "disk")  # on-disk cache only
    monkeypatch.setenv("PLANFORGE_CACHE_DIR", "")
    forget()
    off = build_bytes(spec, tmp_path / "off")
    assert cold == warm == disk == off


def test_damaged_cache_files_are_ignored(cache_dir, tmp_path):
    spec = copy_example(tmp_path)
    expected = build_bytes(spec, tmp_path / "first")
    files = sorted(cache_dir.iterdir())
    for i, path in enumerate(files):
        data = path.read_bytes()
        # Cut short, garbage, or one byte changed in the middle.
        damaged = [data[: len(data) // 2], b"\x00garbage", data[:-9] + b"X" + data[-8:]]
        path.write_bytes(damaged[i % 3])
    forget()
    assert build_bytes(spec, tmp_path / "second") == expected


def test_unusable_cache_folder_never_breaks_a_build(tmp_path, monkeypatch):
    spec = copy_example(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("PLANFORGE_CACHE_DIR", str(blocker / "cache"))
    forget()
    first = build_bytes(spec, tmp_path / "a")
    assert blocker.read_text().startswith("a file")
    # Entries that can be neither read nor replaced (each name taken by a folder), and a
    # bytecode cache whose writes fail (disk full).
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANFORGE_CACHE_DIR", str(folder))
    forget()
    build_bytes(spec, tmp_path / "b")
    for path in folder.iterdir():
        path.unlink()
        path.mkdir()
        (path / "x").write_text("x")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(caches, "tempfile", SimpleNamespace(mkstemp=fail))
    forget()
    assert build_bytes(spec, tmp_path / "c") == first
    forget()


def test_document_changing_filters_run_at_render_time_only(cache_dir, tmp_path):
    # Jinja would run a filter on a constant while compiling; a picture inserted then would be
    # missing from every later document rendered from the cached code.
    from planforge.api import load_plan
    from planforge.packs import find_pack
    from planforge.render.context import build_context
    from planforge.render.docx import render_plan

    spec = copy_example(tmp_path)
    picture = png(40, 20)
    (tmp_path / "pic.png").write_bytes(picture)
    template = Document(str(ROOT / "templates" / "default" / "plan.docx"))
    template.add_paragraph("{{ 'pic.png' | picture(20) }}")
    template.save(str(tmp_path / "plan.docx"))
    plan = load_plan(spec)
    context = build_context(plan, find_pack(str(ROOT / "templates" / "default")), "en")
    outputs = []
    for _ in range(2):
        env = make_env("en", filters=filters_for("en"), autoescape=True)
        data, _ = render_plan(context, tmp_path / "plan.docx", env, tmp_path)
        doc = Document(io.BytesIO(data))
        last = doc.element.body.xpath(".//a:blip/@r:embed")[-1]
        assert doc.part.rels[last].target_part.blob == picture
        outputs.append(data)
    assert outputs[0] == outputs[1]


# -- part names ---------------------------------------------------------------------------------


def _deck_with_copies(tmp_path: Path) -> tuple[bytes, dict]:
    (tmp_path / "a.png").write_bytes(png(30, 20))
    (tmp_path / "b.png").write_bytes(png(20, 30))
    prs = new_deck()
    for notes, items in (("@for p in products\nAbout {{ p.name }}", "products"),
                         ("@if false", ""),  # a slide leaving the package after copies
                         ("@for p in others", "others"),  # charts and pictures left out
                         ("@for p in products", "products")):
        slide = blank_slide(prs, notes=notes)
        chart(slide, "chart:p.sales" if items else "chart:c", {"s": [1, 2]}, ["a", "b"])
        if items:
            text_box(slide, "T", ["{{ p.name }}"])
            text_box(slide, "image:p.image", ["x"], top=Inches(4), height=Inches(2))
    sales = ChartData(["x", "y"], [Series("s", [1, 2])])
    products = [{"name": f"P{i}", "image": "ab"[i % 2] + ".png", "sales": sales} for i in range(5)]
    others = [
        {"name": f"O{i}", "image": ["a.png", None, "b.png"][i % 3],
         "sales": sales if i % 4 else ChartData([], [])}
        for i in range(9)
    ]
    return to_bytes(prs), {"products": products, "others": others}


def test_part_index_names_parts_as_python_pptx_does(tmp_path, monkeypatch):
    template, context = _deck_with_copies(tmp_path)
    fast, _ = render_pptx(template, context, make_env(), base_dir=tmp_path)
    monkeypatch.setattr(partnames.PartIndex, "install", classmethod(lambda cls, package: None))
    slow, _ = render_pptx(template, context, make_env(), base_dir=tmp_path)
    assert fast == slow
    deck = reopen(fast)
    assert len(deck.slides) == 19
    names = zipfile.ZipFile(io.BytesIO(fast)).namelist()
    assert len(names) == len(set(names))
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides]
    assert notes[:3] == ["About P0", "About P1", "About P2"]


def test_opening_a_template_again_gives_a_fresh_deck(tmp_path):
    template, context = _deck_with_copies(tmp_path)
    other = {**context, "products": context["products"][:2]}
    runs = [render_pptx(template, c, make_env(), base_dir=tmp_path)[0]
            for c in (context, other, context, other)]
    assert runs[0] == runs[2] and runs[1] == runs[3] and runs[0] != runs[1]


# -- equivalence of the faster paths ------------------------------------------------------------


def _reference_merge(runs):
    # The general algorithm of runs._merge_segment (every character follows its tag's first run).
    from planforge.render.pptx.runs import _QUOTES, TAG, run_text, set_run_text

    texts = [run_text(r) for r in runs]
    full = "".join(texts)
    if "{" not in full:
        return
    owner = [i for i, text in enumerate(texts) for _ in text]
    for match in TAG.finditer(full):
        for k in range(match.start(), match.end()):
            owner[k] = owner[match.start()]
    pieces = [[] for _ in runs]
    for ch, i in zip(full, owner):
        pieces[i].append(ch)
    for run, old, new in zip(runs, texts, pieces):
        text = TAG.sub(lambda m: m.group(0).translate(_QUOTES), "".join(new))
        if old and not text:
            run.getparent().remove(run)
        elif text != old:
            set_run_text(run, text)


@pytest.mark.parametrize("texts", [
    ["Hi {{ bra", "nd.na", "me }}!"], ["{{ a }}", " and ", "{{ “b” }}"], ["{", "{ x }", "}"],
    ["plain", "", "text"], ["{% if x %}", "", "{{ y }}{% endif %}"],
    ["{{ a", "", " }}", "{#", "c#}"],
    ["{{ ‘q’ }} {", "{ z }}"], ["", "{{ x }}", ""],
])
def test_merging_split_tags_matches_the_general_algorithm(texts):
    from lxml import etree

    from planforge.render.pptx.runs import merge_split_tags, qn

    def paragraph():
        p = etree.Element(qn("p"))
        for text in texts:
            etree.SubElement(etree.SubElement(p, qn("r")), qn("t")).text = text
        return p

    fast, slow = paragraph(), paragraph()
    merge_split_tags(fast)
    _reference_merge(list(slow))
    assert etree.tostring(fast) == etree.tostring(slow)
    again = etree.tostring(fast)
    merge_split_tags(fast)
    assert etree.tostring(fast) == again


def test_listing_characters_resolve_as_docxtpl_does():
    from docxtpl import DocxTemplate

    from planforge.render.docx.render import _PlanTemplate

    r = '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>'
    p = '<w:p w:rsidR="1"><w:pPr><w:jc w:val="left"/></w:pPr>{}</w:p>'
    xml = "<w:body>" + "".join([
        p.format(r.format("plain")), p.format(r.format("one\ntwo")), p.format(r.format("a\tb")),
        p.format(r.format("page\fbreak") + r.format("x\ay")),
        "<w:p>" + r.format("outer") + "<w:txbxContent>" + p.format(r.format("in\nner"))
        + "</w:txbxContent>" + r.format("tail\t") + "</w:p>",
        "\n", p.format(r.format("last")),
    ]) + "</w:body>"
    template = _PlanTemplate.__new__(_PlanTemplate)
    assert template.resolve_listing(xml) == DocxTemplate.resolve_listing(template, xml)
    plain = xml.replace("\n", "").replace("\t", "").replace("\a", "").replace("\f", "")
    assert template.resolve_listing(plain) == plain


def test_zip_entries_are_the_bytes_zipfile_writes(monkeypatch):
    from planforge import write

    assert write._injection_works()
    spec = EXAMPLES / "ironleaf-cookware.en.yaml"
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("ppt/slides/slide1.xml", spec.read_bytes() * 3)
        z.writestr("ppt/media/image1.png", png(50, 40))
        z.writestr("docProps/core.xml", b"<cp:coreProperties></cp:coreProperties>")
    when = write.build_time(None)
    first = write.normalize_ooxml(data.getvalue(), when, title="T")
    again = write.normalize_ooxml(data.getvalue(), when, title="T")  # from the deflate cache
    monkeypatch.setattr(write, "_injection", False)
    plain = write.normalize_ooxml(data.getvalue(), when, title="T")
    assert first == again == plain


def test_gantt_boxes_are_the_shapes_python_pptx_makes():
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Pt

    from planforge.render.pptx.gantt import _Boxes

    boxes = [
        dict(left=10, top=20, width=300, height=40),
        dict(left=10, top=60, width=300, height=40, text="1月", size=9.3,
             fill=(MSO_THEME_COLOR.ACCENT_1, 0.9)),
        dict(left=0, top=0, width=0, height=5, text="Task\x01 <a> & “b”", size=6.0,
             align=PP_ALIGN.LEFT),
        dict(left=5, top=5, width=50, height=5, fill=(MSO_THEME_COLOR.BACKGROUND_2, 0.0)),
    ]
    prs = new_deck()
    fast, slow = blank_slide(prs), blank_slide(prs)
    group = fast.shapes.add_group_shape()
    add = _Boxes(group)
    for spec in boxes:
        add.box(**spec)
    group._element.recalculate_extents()

    reference = slow.shapes.add_group_shape()
    for spec in boxes:  # the way gantt.py drew each box with python-pptx before
        box = reference.shapes.add_shape(MSO_SHAPE.RECTANGLE, int(spec["left"]), int(spec["top"]),
                                         max(1, int(spec["width"])), max(1, int(spec["height"])))
        box._element.remove(box._element.find(
            "{http://schemas.openxmlformats.org/presentationml/2006/main}style"))
        box.line.fill.background()
        box.fill.background()
        frame = box.text_frame
        frame.word_wrap = False
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.margin_left = frame.margin_right = Pt(2)
        frame.margin_top = frame.margin_bottom = 0
        paragraph = frame.paragraphs[0]
        paragraph.alignment = spec.get("align", PP_ALIGN.CENTER)
        if spec.get("text"):
            run = paragraph.add_run()
            run.text = spec["text"]
            run.font.size = Pt(round(spec.get("size", 11.0) * 2) / 2)
            run.font.color.theme_color = MSO_THEME_COLOR.TEXT_1
        if spec.get("fill"):
            color, brightness = spec["fill"]
            box.fill.solid()
            box.fill.fore_color.theme_color = color
            if brightness:
                box.fill.fore_color.brightness = brightness
    from lxml import etree

    assert etree.tostring(group._element) == etree.tostring(reference._element)


def test_nothing_of_a_rendered_deck_stays_in_memory(tmp_path, monkeypatch):
    import gc
    import weakref

    from pptx_engine_helpers import TITLE_ONLY

    template, context = _deck_with_copies(tmp_path)
    deck = reopen(template)
    titled = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    titled.shapes.title.text = "{{ products | length }} products and a long title " * 3
    packages = []
    install = partnames.PartIndex.install.__func__

    def remember_package(cls, package):
        packages.append(weakref.ref(package))
        return install(cls, package)

    monkeypatch.setattr(partnames.PartIndex, "install", classmethod(remember_package))
    for _ in range(3):  # the second and later renders copy the deck parsed before
        render_pptx(to_bytes(deck), context, make_env(), base_dir=tmp_path)
    gc.collect()
    assert len(packages) == 3 and all(ref() is None for ref in packages)


def test_cache_folder_follows_the_environment(tmp_path, monkeypatch):
    from planforge.caches import cache_dir

    monkeypatch.delenv("PLANFORGE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "planforge"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "planforge"
    monkeypatch.setenv("PLANFORGE_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("PLANFORGE_CACHE_DIR", "")
    assert cache_dir() is None
