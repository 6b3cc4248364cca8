"""The pack generators in tools/ never silently overwrite a binary edited by hand."""

from __future__ import annotations

import importlib.util
import io
import sys

import pytest
from pptx import Presentation

from conftest import ROOT


def _tool(name: str):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return module


def _deck_bytes(title: str) -> bytes:
    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = title
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def test_a_generated_file_is_replaced_but_a_hand_edit_is_refused(tmp_path):
    generated = _tool("generated")
    target = tmp_path / "deck.pptx"
    assert generated.write_generated(target, _deck_bytes("first"))
    # One save of "second", written twice: two saves can differ in their zip times.
    second = _deck_bytes("second")
    assert generated.write_generated(target, second)  # still the generator's own
    assert not generated.write_generated(target, second)  # same bytes: untouched
    edited = Presentation(str(target))  # what PowerPoint does: open, change, save
    edited.slides[0].shapes.title.text = "a consultant's title"
    edited.save(str(target))
    before = target.read_bytes()

    with pytest.raises(SystemExit, match="edited by hand"):
        generated.write_generated(target, _deck_bytes("third"))
    assert target.read_bytes() == before

    assert generated.write_generated(target, _deck_bytes("third"), force=True)
    assert Presentation(str(target)).slides[0].shapes.title.text == "third"


def test_the_deck_generator_refuses_to_overwrite_an_edited_deck(tmp_path):
    tool = _tool("make_default_deck")
    target = tool.build(tmp_path / "deck.pptx")
    again = tool.build(tmp_path / "deck.pptx")  # its own output: rebuilt in place
    assert again.read_bytes() == target.read_bytes()
    prs = Presentation(str(target))
    prs.slides[0].shapes[0].name = "Renamed in the selection pane"
    prs.save(str(target))

    with pytest.raises(SystemExit, match="--force"):
        tool.build(target)
    tool.build(target, force=True)
    assert not _tool("generated").hand_edited(target)
