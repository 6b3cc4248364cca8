"""A batch never lets two specs overwrite each other's outputs, and names the spec of every message."""

from __future__ import annotations

from pathlib import Path

import pytest

SPEC = """\
planforge: 1
meta: {{year: 2027, locale: en}}
brand: {{name: {name}}}
company: {{name: {name} Co.}}
targets: {{annual_gmv: 100万}}
"""


def _spec(path: Path, name: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SPEC.format(name=name), encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_same_file_name_in_two_folders_is_refused_before_anything_is_written(cli, tmp_path, jobs):
    a = _spec(tmp_path / "a" / "shop.yaml", "Alpha")
    b = _spec(tmp_path / "b" / "shop.yaml", "Beta")
    other = _spec(tmp_path / "other.yaml", "Gamma")
    out = tmp_path / "out"
    result = cli("build", a, b, other, "-o", out, "--to", "pptx", "--jobs", jobs)
    assert result.exit_code == 1, result.text
    assert f"{a}: refused: it would write {out / 'shop.pptx'}, which {b} writes too" in result.stderr
    assert f"{b}: refused: it would write {out / 'shop.pptx'}, which {a} writes too" in result.stderr
    assert "1 of 3 specs built, 2 failed" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["other.pptx"]


def test_distinct_folders_build_both(cli, tmp_path):
    a = _spec(tmp_path / "a" / "shop.yaml", "Alpha")
    b = _spec(tmp_path / "b" / "shop.yaml", "Beta")
    first = cli("build", a, "-o", tmp_path / "out-a", "--to", "pptx")
    second = cli("build", b, "-o", tmp_path / "out-b", "--to", "pptx")
    assert first.exit_code == 0 and second.exit_code == 0, first.text + second.text


def test_a_spec_given_twice_is_built_once(cli, tmp_path):
    a = _spec(tmp_path / "shop.yaml", "Alpha")
    result = cli("build", a, a, "-o", tmp_path / "out", "--to", "pptx")
    assert result.exit_code == 0, result.text
    assert result.stdout.count("built") == 1


def test_a_template_error_in_a_batch_names_the_spec(cli, tmp_path):
    pack = tmp_path / "broken"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: broken\nlocales: [en]\n", encoding="utf-8")
    a = _spec(tmp_path / "one.yaml", "Alpha")
    b = _spec(tmp_path / "two.yaml", "Beta")
    result = cli("build", a, b, "-o", tmp_path / "out", "--template", pack, "--to", "pptx")
    assert result.exit_code == 1, result.text
    lines = [ln for ln in result.stderr.splitlines() if ln.strip() and not ln.startswith(" ")
             and "specs built" not in ln]
    assert lines, result.text
    for line in lines:
        assert line.startswith(str(a)) or line.startswith(str(b)), line
