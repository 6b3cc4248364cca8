"""The loader: positions, duplicate keys, unsafe tags, alias bombs, encodings, empty files."""

from __future__ import annotations

import time

import pytest

from planforge.errors import SpecError
from planforge.loader import load_spec, parse_spec

from conftest import CONTRACT_FULL, needs_shared


def problems_of(text: str) -> list:
    with pytest.raises(SpecError) as e:
        parse_spec(text, "spec.yaml")
    return e.value.problems or [e.value.message]


@needs_shared
def test_positions_point_at_values_and_keys():
    spec = load_spec(CONTRACT_FULL)
    line, col = spec.where(("targets", "months", 3, "gmv"))
    assert "45万" in spec.lines[line - 1][col - 1:]
    kline, kcol = spec.key_where(("brand", "logo"))
    assert spec.lines[kline - 1][kcol - 1:].startswith("logo:")


def test_dates_stay_dates_and_numbers_stay_numbers():
    spec = parse_spec("meta:\n  date: 2026-12-01\n  year: 2027\n", "s.yaml")
    assert str(spec.data["meta"]["date"]) == "2026-12-01"
    assert spec.data["meta"]["year"] == 2027


def test_duplicate_key_names_both_lines():
    [p] = problems_of("brand:\n  name: A\n  name: B\n")
    assert (p.line, p.col, p.path) == (3, 3, "$.brand.name")
    assert "duplicate key 'name'" in p.message and "line 2" in p.message


def test_python_tags_are_refused():
    [p] = problems_of("brand: !!python/object/apply:os.system ['echo hi']\n")
    assert p.line == 1 and "not allowed" in p.message


def test_alias_bomb_is_refused_fast():
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    [p] = problems_of("\n".join(levels) + "\n")
    assert "alias bomb" in p.message
    assert time.perf_counter() - started < 1.0


def test_gbk_file_is_named(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("planforge: 1\nbrand:\n  name: 青岚茶业\n".encode("gbk"))
    with pytest.raises(SpecError) as e:
        load_spec(path)
    text = e.value.format()
    assert "not UTF-8" in text and "GBK" in text and ":3:" in text


def test_utf8_bom_is_fine(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfplanforge: 1\n")
    assert load_spec(path).data == {"planforge": 1}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text):
    [message] = problems_of(text)
    assert "empty" in message


@pytest.mark.parametrize("text,word", [("- a\n- b\n", "a list"), ("just text\n", "just text")])
def test_document_must_be_a_mapping(text, word):
    [p] = problems_of(text)
    assert "must be a mapping" in p.message and word in p.message


def test_yaml_syntax_error_has_position_and_caret():
    [p] = problems_of("brand:\n  name: [A\nmeta: {}\n")
    assert p.line >= 2 and "YAML syntax" in p.message
    assert "^" in p.format()


def test_tab_indentation_is_explained():
    [p] = problems_of("brand:\n\tname: A\n")
    assert "tabs" in p.message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SpecError, match="no such file"):
        load_spec(tmp_path / "nope.yaml")
    with pytest.raises(SpecError, match="is a folder"):
        load_spec(tmp_path)


def test_merge_keys_work_and_explicit_keys_win():
    spec = parse_spec("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n", "s.yaml")
    assert spec.data["item"] == {"x": 1, "y": 3}
