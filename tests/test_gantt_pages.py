"""A long roadmap continues on further Gantt slides: every task is drawn, none is cut."""

from __future__ import annotations

import zipfile

from planforge.render.context import GANTT_ROWS


def test_every_task_gets_a_bar_on_some_gantt_slide(cli, tmp_path):
    count = GANTT_ROWS * 2 + 3
    tasks = "\n".join(f'      - {{name: "task {i:02d}", start: "2027-01", end: "2027-03"}}'
                      for i in range(count))
    spec = tmp_path / "long.yaml"
    spec.write_text("planforge: 1\nmeta: {year: 2027, locale: en}\nbrand: {name: B}\n"
                    "company: {name: C}\ntargets: {annual_gmv: 1200000}\n"
                    f"roadmap:\n  - quarter: Q1\n    tasks:\n{tasks}\n", encoding="utf-8")
    result = cli("build", spec, "-o", tmp_path, "--to", "pptx")
    assert result.exit_code == 0, result.text
    assert "do not fit" not in result.stderr
    deck = zipfile.ZipFile(tmp_path / "long.pptx")
    slides = [deck.read(n).decode() for n in deck.namelist()
              if n.startswith("ppt/slides/slide") and n.endswith(".xml")]
    gantt_slides = [s for s in slides if "task 00" in s or "(cont.)" in s and "task " in s]
    assert len(gantt_slides) == 3
    text = "".join(slides)
    assert all(f"task {i:02d}" in text for i in range(count))
