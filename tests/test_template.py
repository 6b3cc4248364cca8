"""templates check and build walk the same compiled template: they agree on every tag."""

from __future__ import annotations

from pptx import Presentation
from pptx.util import Inches

from conftest import EXAMPLES

EN_SPEC = EXAMPLES / "ironleaf-cookware.en.yaml"


def _pack(tmp_path, name):
    from planforge.cli.templates import copy_pack

    return copy_pack(str(tmp_path / name), "default")


def _grouped_box(pack, slide: int, text: str) -> None:
    deck = pack / "deck.pptx"
    prs = Presentation(str(deck))
    group = prs.slides[slide - 1].shapes.add_group_shape()
    group.name = "Group"
    box = group.shapes.add_textbox(Inches(0.5), Inches(6.0), Inches(6), Inches(0.5))
    box.name = "Inner"
    box.text_frame.text = text
    prs.save(str(deck))


def test_a_default_guarded_name_passes_check_and_build(cli, tmp_path):
    pack = _pack(tmp_path, "guarded")
    _grouped_box(pack, 2, "{{ brand.motto | default('-') }} {{ brand.name | d('') }}")

    check = cli("templates", "check", pack)
    build = cli("build", EN_SPEC, "-o", tmp_path / "out", "--template", pack)

    assert check.exit_code == 0, check.text
    assert build.exit_code == 0, build.text


def test_check_and_build_name_the_same_shape_inside_a_group(cli, tmp_path):
    pack = _pack(tmp_path, "grouped")
    _grouped_box(pack, 3, "{{ brand.nmae }}")

    check = cli("templates", "check", pack)
    build = cli("build", EN_SPEC, "-o", tmp_path / "out", "--template", pack)

    where = "grouped/deck.pptx: slide 3, shape 'Inner': unknown name 'brand.nmae' in {{ brand.nmae }}"
    assert check.exit_code == 1 and where in check.stdout, check.text
    assert build.exit_code == 1 and where in build.stderr, build.text


def test_a_deck_template_renders_what_build_writes(tmp_path):
    import planforge
    from planforge.packs import find_pack
    from planforge.render.context import build_context
    from planforge.render.template import DeckTemplate, PlanTemplate
    from planforge.write import build_time, normalize_ooxml

    plan = planforge.load_plan(EN_SPEC)
    pack = find_pack("default")
    context = build_context(plan, pack, "en")
    deck, _ = DeckTemplate.of(pack).render(context, base_dir=plan.base_dir)
    doc, _ = PlanTemplate.of(pack).render(context, base_dir=plan.base_dir)
    docs = planforge.render(EN_SPEC)
    when, author = build_time(plan.meta.date), plan.meta.prepared_by or plan.company.name
    assert normalize_ooxml(deck, when, title=plan.meta.title, author=author) == docs.pptx
    assert normalize_ooxml(doc, when, title=plan.meta.title, author=author) == docs.docx
