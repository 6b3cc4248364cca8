"""Shell completion works as README.md documents it (click's _PLANFORGE_COMPLETE protocol)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import ROOT


def _complete(words: str, cword: int) -> str:
    env = {
        **os.environ,
        "_PLANFORGE_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    return subprocess.run(
        [sys.executable, "-c", 'from planforge.cli import main; main(prog_name="planforge")'],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_readme_documents_the_completion_lines():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        assert f"_PLANFORGE_COMPLETE={shell}_source planforge" in readme


def test_commands_and_choices_complete():
    assert re.search(r"plain,check\b", _complete("planforge ch", 1))
    lang = _complete("planforge --lang ", 2)
    assert "zh-CN" in lang and "en" in lang
    formats = _complete("planforge check x.yaml --format ", 4)
    assert "github" in formats and "json" in formats
