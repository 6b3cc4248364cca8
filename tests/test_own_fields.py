"""The user's own fields (x- keys) and a spec's own wording of pack labels (meta.labels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches

from planforge.api import build, load_plan
from planforge.errors import SpecError

SPEC = """\
planforge: 1
x-agency:
  name: Harbour Lane Consulting
  contact: "{{ 7*7 }}"
x-agency-code: HL-7
meta:
  year: 2027
  locale: en
  x-internal: true
  labels:
    deck.contents: Agenda
    months.0: January
brand:
  name: Ironleaf
  x-note: cast in Ningbo
  awards:
    - name: Red Dot
      x-jury: product design
company: {name: Ironleaf Co}
targets:
  annual_gmv: 1000000
  x-why: first year
market:
  strategy:
    brand: Long-lived pans
    x-draft: not for print
"""


def write(tmp_path: Path, text: str = SPEC) -> Path:
    spec = tmp_path / "brand.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def test_x_keys_are_accepted_anywhere_and_kept_as_written(tmp_path):
    plan = load_plan(write(tmp_path))
    assert plan.x == {"agency": {"name": "Harbour Lane Consulting", "contact": "{{ 7*7 }}"},
                      "agency-code": "HL-7"}
    assert plan.meta.x == {"internal": True}
    assert plan.brand.x == {"note": "cast in Ningbo"}
    assert plan.brand.awards[0].x == {"jury": "product design"}
    assert plan.targets.x == {"why": "first year"}
    # An x- key is never read as data: no positioning strategy named "x-draft".
    assert [s.key for s in plan.strategy] == ["brand"]


def test_a_near_miss_that_is_not_an_x_key_is_still_an_error(tmp_path):
    with pytest.raises(SpecError) as err:
        load_plan(write(tmp_path, SPEC.replace("x-note:", "xnote:")))
    assert "unknown key 'xnote'" in err.value.format()


def test_templates_print_x_fields_and_overridden_labels(tmp_path, cli):
    from planforge.packs import find_pack

    pack = tmp_path / "mine"
    import shutil

    shutil.copytree(find_pack("default").root, pack)
    prs = Presentation(str(pack / "deck.pptx"))
    box = prs.slides[0].shapes.add_textbox(Inches(0.5), Inches(6.0), Inches(8), Inches(0.5))
    box.text_frame.text = ("{{ x.agency.name }} / {{ x['agency-code'] }} / {{ brand.x.note }} / "
                           "{{ x.agency.contact }}")
    prs.save(str(pack / "deck.pptx"))
    assert cli("templates", "check", pack).exit_code == 0
    spec = write(tmp_path)
    build(spec, tmp_path / "out", template=str(pack))
    deck = Presentation(str(tmp_path / "out" / "brand.pptx"))
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    assert "Harbour Lane Consulting / HL-7 / cast in Ningbo / {{ 7*7 }}" in texts
    assert "Agenda" in texts and "Contents" not in texts


def test_label_override_of_a_list_item(tmp_path):
    from planforge.packs import find_pack
    from planforge.render.context import build_context

    context = build_context(load_plan(write(tmp_path)), find_pack("default"))
    assert context["labels"]["months"][:2] == ["January", "Feb"]
    assert context["charts"]["monthly"].categories[0] == "January"


def test_unknown_label_key_names_its_line_and_the_nearest_key(tmp_path, cli):
    spec = write(tmp_path, SPEC.replace("deck.contents:", "deck.contnts:"))
    result = cli("build", spec, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.text
    assert "brand.yaml:11:5: $.meta.labels['deck.contnts']: the template pack 'default' has " \
           "no label 'deck.contnts' — did you mean 'deck.contents'?" in result.stderr, result.text
    assert not (tmp_path / "out").exists()


def test_a_label_group_is_not_a_label(tmp_path):
    with pytest.raises(SpecError) as err:
        build(write(tmp_path, SPEC.replace("months.0:", "deck:")), tmp_path / "out")
    assert "'deck' is a group of labels, not one label; name one of them: deck." in \
        err.value.format()


def test_every_mapping_of_a_spec_hands_its_x_fields_to_the_templates(tmp_path, cli):
    """The coverage spec has an x- key on every mapping the schema lets have one (economics,
    its fixed costs, qualification and licences, market.strategy, list items ...): a plan
    paragraph that prints each of them shows each value, and 'templates fields' lists them."""
    import shutil

    import yaml
    from docx import Document
    from schema_helpers import data_map, own_fields, schema_map

    from planforge.packs import find_pack
    from planforge.resources import coverage_specs

    spec = next(p for p in coverage_specs() if p.name == "flagship.zh.yaml")
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    _values, extended = data_map(data)
    assert extended == schema_map().objects  # the spec itself leaves no mapping out
    printed = own_fields(data)
    assert {"economics.x.note", "economics.fixed[0].x.note", "qualification.licences[0].x.note",
            "market.strategy.x.note", "products[0].x.note", "x.agency.name"} <= set(printed)

    pack = tmp_path / "own"
    shutil.copytree(find_pack("default").root, pack)
    plan = Document(str(pack / "plan.docx"))
    for expr in printed:
        plan.add_paragraph(f"{expr} = {{{{ {expr} }}}}")
    plan.save(str(pack / "plan.docx"))
    result = cli("build", spec, "-o", tmp_path / "out", "--template", pack, "--to", "docx")
    assert result.exit_code == 0, result.text
    text = {p.text for p in Document(str(tmp_path / "out" / "flagship.zh.docx")).paragraphs}
    missing = [f"{expr} = {value}" for expr, value in printed.items()
               if f"{expr} = {value}" not in text]
    assert not missing, missing

    listed = cli("templates", "fields", spec, "--format", "json")
    assert listed.exit_code == 0, listed.text
    rows = {row["name"]: row["value"] for row in __import__("json").loads(listed.stdout)}
    for expr, value in printed.items():
        assert rows.get(expr) == value, expr
