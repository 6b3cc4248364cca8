"""Template packs as a consultant uses them: copy, edit in PowerPoint and Word, rebuild, check."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pptx.util import Inches

from conftest import EXAMPLES

EN_SPEC = EXAMPLES / "ironleaf-cookware.en.yaml"
SPLIT = ["Brand check: {{ bra", "nd.na", "me }}!"]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # No stray user packs from the machine running the tests.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PLANFORGE_TEMPLATES", raising=False)
    return tmp_path


def add_text_box(pack: Path, slide: int, runs: list[str], name: str = "Added") -> None:
    """Do what a consultant does in PowerPoint: a new text box whose text is in several runs."""
    deck = pack / "deck.pptx"
    prs = Presentation(str(deck))
    box = prs.slides[slide - 1].shapes.add_textbox(Inches(0.5), Inches(6.0), Inches(6), Inches(0.5))
    box.name = name
    paragraph = box.text_frame.paragraphs[0]
    for text in runs:
        paragraph.add_run().text = text
    prs.save(str(deck))


def add_paragraph(pack: Path, runs: list[str]) -> None:
    """Do what a consultant does in Word: a new paragraph whose text Word split into runs."""
    plan = pack / "plan.docx"
    doc = Document(str(plan))
    paragraph = doc.add_paragraph()
    for text in runs:
        paragraph.add_run(text)
    doc.save(str(plan))


def deck_text(path: Path) -> str:
    def walk(shapes):
        for shape in shapes:
            if shape.shape_type == 6:  # group
                yield from walk(shape.shapes)
            elif getattr(shape, "has_table", False) and shape.has_table:
                yield from (cell.text for row in shape.table.rows for cell in row.cells)
            elif shape.has_text_frame:
                yield shape.text_frame.text

    return "\n".join(t for slide in Presentation(str(path)).slides for t in walk(slide.shapes))


def plan_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_copied_pack_renders_tags_added_in_powerpoint_and_word_even_when_split(cli, in_tmp):
    result = cli("templates", "new", "client")
    assert result.exit_code == 0, result.text
    assert (in_tmp / "client" / "pack.yaml").read_text(encoding="utf-8").count("name: client")
    add_text_box(in_tmp / "client", 2, SPLIT)
    add_paragraph(in_tmp / "client", SPLIT)

    result = cli("build", EN_SPEC, "-o", in_tmp / "out", "--template", in_tmp / "client")

    assert result.exit_code == 0, result.text
    assert "Brand check: Ironleaf!" in deck_text(in_tmp / "out" / "ironleaf-cookware.en.pptx")
    assert "Brand check: Ironleaf!" in plan_text(in_tmp / "out" / "ironleaf-cookware.en.docx")
    assert "{{" not in deck_text(in_tmp / "out" / "ironleaf-cookware.en.pptx")


def test_a_typo_is_reported_with_its_slide_number_and_name(cli, in_tmp):
    cli("templates", "new", "client")
    add_text_box(in_tmp / "client", 2, ["Brand: {{ brand.nmae }}"], name="Typo box")

    check = cli("templates", "check", "client")
    build = cli("build", EN_SPEC, "-o", in_tmp / "out", "--template", "client")

    assert check.exit_code == 1, check.text
    expected = "slide 2, shape 'Typo box': unknown name 'brand.nmae' in {{ brand.nmae }}"
    assert expected in check.stdout
    assert build.exit_code == 1, build.text
    assert "slide 2" in build.stderr and "brand.nmae" in build.stderr
    assert not (in_tmp / "out").exists() or not any((in_tmp / "out").iterdir())


def test_a_template_reaching_for_python_internals_is_refused_and_nothing_is_written(cli, in_tmp):
    cli("templates", "new", "evil")
    add_text_box(in_tmp / "evil", 3, ["{{ ''.__class__.__mro__ }}"])
    out = in_tmp / "out"
    out.mkdir()

    build = cli("build", EN_SPEC, "-o", out, "--template", "evil")
    check = cli("templates", "check", "evil")

    assert build.exit_code == 1, build.text
    assert "unsafe" in build.stderr and "__class__" in build.stderr
    assert list(out.iterdir()) == []
    assert check.exit_code == 1, check.text
    assert "slide 3" in check.stdout and "unsafe" in check.stdout


def test_check_reports_every_problem_at_once_in_deck_and_plan(in_tmp):
    from planforge.packcheck import check_pack
    from planforge.cli.templates import copy_pack

    pack = copy_pack("many", "default")
    add_text_box(pack, 2, ["{{ labels.deck.contnts }} {{ foo }}"], name="A")
    add_text_box(pack, 2, ["{% if brand.name %}unclosed"], name="B")
    prs = Presentation(str(pack / "deck.pptx"))
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.name == "chart:segments":
                shape.name = "chart:segmnts"
                charted = number
    prs.save(str(pack / "deck.pptx"))
    add_paragraph(pack, ["{{ company.nmae }}"])

    problems = "\n".join(check_pack(str(pack)))

    assert "slide 2, shape 'A': unknown name 'labels.deck.contnts'" in problems
    assert "slide 2, shape 'A': unknown name 'foo'" in problems
    assert "slide 2, shape 'B': syntax error" in problems
    assert f"slide {charted}, shape 'chart:segmnts': no chart data named 'segmnts'" in problems
    assert ("plan.docx (body), paragraph \u201c{{ company.nmae }}\u201d: "
            "unknown name 'company.nmae'") in problems


def test_loop_variables_of_slide_directives_and_table_rows_are_checked(in_tmp):
    from planforge.packcheck import check_pack
    from planforge.cli.templates import copy_pack

    pack = copy_pack("loops", "default")
    prs = Presentation(str(pack / "deck.pptx"))
    found = {}
    for number, slide in enumerate(prs.slides, start=1):
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        if notes.startswith("@for p in products"):
            found["product"] = number
        for shape in slide.shapes:
            if shape.has_table and "{%tr for c in page.items %}" in "".join(
                    c.text for r in shape.table.rows for c in r.cells):
                found["channels"] = number
    prs.save(str(pack / "deck.pptx"))
    add_text_box(pack, found["product"], ["{{ p.nmae }} {{ p.name }}"])
    add_text_box(pack, found["channels"], ["{{ page.itms }} {{ page.number }}"])

    problems = check_pack(str(pack))

    assert any(f"slide {found['product']}" in p and "'p.nmae'" in p for p in problems), problems
    assert any(f"slide {found['channels']}" in p and "'page.itms'" in p for p in problems)
    assert not any("'p.name'" in p or "'page.number'" in p for p in problems)


@pytest.mark.parametrize("pack", ["default", "mono"])
def test_check_passes_for_the_built_in_packs(cli, in_tmp, pack):
    result = cli("templates", "check", pack)
    assert result.exit_code == 0, result.text
    assert "no problems found" in result.stdout


def test_mono_is_english_only_and_check_says_which_samples_it_skipped(cli, in_tmp):
    result = cli("templates", "check", "mono")
    assert "rendered with ironleaf-cookware.en.yaml" in result.stdout
    assert "skipped mutang-skincare.zh.yaml (zh-CN)" in result.stdout


def test_list_shows_both_built_in_packs_and_a_users_pack(cli, in_tmp, monkeypatch):
    from planforge.cli.templates import copy_pack

    user_dir = in_tmp / "my-packs"
    user_dir.mkdir()
    copy_pack(str(user_dir / "agency"), "mono")
    monkeypatch.setenv("PLANFORGE_TEMPLATES", str(user_dir))

    result = cli("templates", "list")

    assert result.exit_code == 0, result.text
    lines = result.stdout.splitlines()
    names = [line.split()[0] for line in lines if line and not line[0].isspace()]
    assert {"default", "mono", "agency"} <= set(names)
    assert f"user: {user_dir / 'agency'}" in result.stdout
    assert "built-in" in result.stdout


def _marked_pack(name: str, mark: str) -> Path:
    from planforge.cli.templates import copy_pack

    pack = copy_pack(name, "default")
    add_text_box(pack, 1, [mark])
    return pack


def test_template_option_beats_meta_template_beats_the_default(in_tmp):
    from planforge import api

    shutil.copytree(EXAMPLES, in_tmp / "ex")
    spec = in_tmp / "ex" / EN_SPEC.name
    plain = in_tmp / "ex" / "plain.en.yaml"
    plain.write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
    text = spec.read_text(encoding="utf-8").replace("meta:\n", "meta:\n  template: ../pack-b\n", 1)
    spec.write_text(text, encoding="utf-8")
    _marked_pack("pack-a", "MARK-A")
    _marked_pack("pack-b", "MARK-B")

    def built(path: Path, template: str | None = None) -> str:
        result = api.build(path, in_tmp / "out", template=template, formats=("pptx",))
        return deck_text(result.outputs[0])

    from_default = built(plain)
    from_meta = built(spec)
    from_option = built(spec, str(in_tmp / "pack-a"))

    assert "MARK" not in from_default
    assert "MARK-B" in from_meta and "MARK-A" not in from_meta
    assert "MARK-A" in from_option and "MARK-B" not in from_option


def test_mono_looks_different_grey_theme_and_other_fonts(in_tmp):
    import re

    from planforge.packs import find_pack

    def theme(pack: str) -> str:
        with zipfile.ZipFile(find_pack(pack).deck_template) as z:
            return z.read("ppt/theme/theme1.xml").decode()

    mono, default = theme("mono"), theme("default")
    colours = re.findall(r'<a:(?:dk|lt|accent)\d><a:srgbClr val="([0-9A-F]{6})"', mono)
    assert colours and all(c[0:2] == c[2:4] == c[4:6] for c in colours), colours
    assert re.search(r'<a:majorFont><a:latin typeface="([^"]+)"', mono).group(1) != \
        re.search(r'<a:majorFont><a:latin typeface="([^"]+)"', default).group(1)


def test_mono_keeps_every_tag_of_the_default_pack():
    # mono is the default pack restyled; after the default changes, run tools/make_mono_pack.py.
    from planforge.packs import find_pack

    default, mono = find_pack("default"), find_pack("mono")
    assert deck_text(mono.deck_template) == deck_text(default.deck_template)
    assert plan_text(mono.plan_template) == plan_text(default.plan_template)


@pytest.mark.libreoffice
def test_mono_builds_the_english_example_and_converts_to_pdf(in_tmp):
    from planforge import api

    result = api.build(EN_SPEC, in_tmp / "out", template="mono", formats=("pptx", "docx", "pdf"))

    pdfs = [p for p in result.outputs if p.suffix == ".pdf"]
    assert len(pdfs) == 2
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    deck = (in_tmp / "out" / "ironleaf-cookware.en.pptx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        assert "Georgia" in z.read("ppt/theme/theme1.xml").decode()


def test_list_names_a_user_pack_it_cannot_read(cli, tmp_path, monkeypatch):
    broken = tmp_path / "packs" / "half-done"
    broken.mkdir(parents=True)
    (broken / "pack.yaml").write_text("name: half-done\n", encoding="utf-8")
    monkeypatch.setenv("PLANFORGE_TEMPLATES", str(tmp_path / "packs"))
    result = cli("templates", "list")
    assert result.exit_code == 0, result.text
    assert "default" in result.stdout and "half-done" not in result.stdout
    assert "skipped a pack that cannot be read" in result.stderr
    assert "missing 'locales'" in result.stderr


def test_a_new_pack_has_its_own_name_and_description(cli, in_tmp):
    assert cli("templates", "new", "acme", "--from", "mono").exit_code == 0
    assert cli("templates", "new", "house", "--description", "House style: #2").exit_code == 0
    from planforge.packs import read_pack

    acme, house = read_pack(in_tmp / "acme"), read_pack(in_tmp / "house")
    assert (acme.name, acme.description) == ("acme", "Your own pack 'acme', copied from the "
                                                     "'mono' pack.")
    assert acme.locales == ("en",)  # the rest of the manifest is the source's
    assert (house.name, house.description) == ("house", "House style: #2")
