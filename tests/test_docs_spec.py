"""docs/spec.md is generated from the schema and must not fall behind it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "gen_spec_docs.py"


def test_docs_spec_is_up_to_date():
    run = subprocess.run([sys.executable, str(TOOL), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + "\nrun: python tools/gen_spec_docs.py"


def test_check_fails_when_stale(tmp_path, monkeypatch):
    sys.path.insert(0, str(TOOL.parent))
    try:
        import gen_spec_docs
    finally:
        sys.path.remove(str(TOOL.parent))
    stale = tmp_path / "spec.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(gen_spec_docs, "DOC_FILE", stale)
    monkeypatch.setattr(gen_spec_docs, "ROOT", tmp_path)
    assert gen_spec_docs.main(["--check"]) == 1
    assert gen_spec_docs.main([]) == 0
    assert gen_spec_docs.main(["--check"]) == 0


def test_every_field_is_documented():
    text = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")
    for field in ["`meta.year`", "`targets.months[].gmv`", "`roadmap[].tasks[].end`",
                  "`membership.tiers[].discount`", "`brand.trademark.status`"]:
        assert field in text
