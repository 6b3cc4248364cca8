"""planforge.render: the documents of a spec in memory, from a path, YAML text or a mapping."""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml

import planforge
from conftest import example_specs


def _slide_texts(pptx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist()
                       if n.startswith("ppt/slides/slide"))


def test_render_path_text_and_mapping_give_the_same_documents():
    spec = example_specs()[1]  # the Chinese example: images in its assets folder
    from_path = planforge.render(spec)
    text = spec.read_text(encoding="utf-8")
    from_text = planforge.render(text, base_dir=spec.parent, name=spec.name)
    from_bytes = planforge.render(text.encode("utf-8"), base_dir=spec.parent)
    from_data = planforge.render(yaml.safe_load(text), base_dir=spec.parent)
    for docs in (from_text, from_bytes, from_data):
        assert docs.pptx == from_path.pptx and docs.docx == from_path.docx
        assert docs.slides == from_path.slides > 10
    assert zipfile.is_zipfile(io.BytesIO(from_path.pptx))
    assert from_path.plan.brand.name in _slide_texts(from_path.pptx)


def test_render_makes_only_the_formats_asked_for():
    docs = planforge.render(example_specs()[0], formats=["pptx"])
    assert set(docs.files) == {"pptx"} and docs.docx is None
    docs = planforge.render(example_specs()[0], formats="docx")
    assert set(docs.files) == {"docx"} and docs.pptx is None


def test_build_writes_what_render_returns(tmp_path):
    spec = example_specs()[0]
    result = planforge.build(spec, tmp_path)
    docs = planforge.render(spec)
    assert [p.name for p in result.outputs] == [f"{spec.stem}.pptx", f"{spec.stem}.docx"]
    assert result.outputs[0].read_bytes() == docs.pptx
    assert result.outputs[1].read_bytes() == docs.docx
    assert result.slides == docs.slides


def test_render_of_bad_text_names_the_line():
    with pytest.raises(planforge.SpecError) as caught:
        planforge.render("planforge: 1\nmeta:\n  year: next\n", name="web.yaml")
    assert "web.yaml:3:9: $.meta.year:" in caught.value.format()


def test_render_of_bad_mapping_names_the_field():
    with pytest.raises(planforge.SpecError) as caught:
        planforge.render({"planforge": 1, "meta": {"year": 2027}, "brand": {}})
    assert "$.brand.name: missing required key 'name'" in caught.value.format()


def test_render_refuses_unknown_formats():
    with pytest.raises(ValueError, match="unknown format 'odp'"):
        planforge.render(example_specs()[0], formats=["pptx", "odp"])


def test_render_gives_the_workbook_in_memory():
    docs = planforge.render(example_specs()[0], formats=["xlsx"])
    assert set(docs.files) == {"xlsx"}
    assert docs.files["xlsx"].startswith(b"PK")


def test_render_is_callable_after_the_renderers_are_imported():
    import planforge.render.deck  # noqa: F401  binds the package planforge.render

    docs = planforge.render(example_specs()[0], formats=["pptx"])
    assert docs.pptx
