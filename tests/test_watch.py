"""build --watch: an edit rebuilds the deck; a broken edit is reported and the last deck stays."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

# A venv made before these libraries were added lacks them until it is reinstalled;
# CI installs them (.ci/run: pip install -e ".[test]"), so there nothing is skipped.
EXTRA = "not installed: pip install -e '.[test]'"
from pptx import Presentation

pytest.importorskip("watchfiles", reason=EXTRA)

from serve_helpers import copy_example  # noqa: E402


class Watcher:
    """``planforge build --watch`` in its own process, its output collected line by line."""

    def __init__(self, args: list[str], cwd: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "planforge", *args], cwd=cwd,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, after: int = 0, timeout: float = 120) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, line in enumerate(self.lines[after:], start=after):
                if text in line:
                    return i + 1
            if self.proc.poll() is not None and after >= len(self.lines):
                break
            time.sleep(0.05)
        raise AssertionError(f"no line with {text!r}; output:\n" + "\n".join(self.lines))

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.reader.join(timeout=10)
            self.proc.stdout.close()


def _slogan(deck: Path) -> bool:
    return any("Skillets for a lifetime" in shape.text_frame.text
               for slide in Presentation(str(deck)).slides for shape in slide.shapes
               if shape.has_text_frame)


def test_an_edit_rebuilds_the_deck_and_a_broken_edit_keeps_it(tmp_path):
    spec = copy_example(tmp_path / "brand")
    out = tmp_path / "out"
    watcher = Watcher(["build", spec.name, "--watch", "--format", "pptx", "-o", str(out)],
                      cwd=spec.parent)
    try:
        seen = watcher.wait_for("watching for changes")
        deck = out / f"{spec.stem}.pptx"
        assert deck.is_file() and not _slogan(deck)

        text = spec.read_text(encoding="utf-8")
        edited = text.replace("slogan: Pans that last a lifetime of dinners",
                              "slogan: Skillets for a lifetime")
        assert edited != text
        spec.write_text(edited, encoding="utf-8")
        seen = watcher.wait_for(f"changed: {spec.name}", seen)
        seen = watcher.wait_for("built", seen)
        assert _slogan(deck)
        good = deck.read_bytes()

        spec.write_text(edited.replace("annual_gmv: ", "annual_gmv: 15w #", 1), encoding="utf-8")
        seen = watcher.wait_for("$.targets.annual_gmv", seen)
        seen = watcher.wait_for("the documents of the last good build are kept", seen)
        assert deck.read_bytes() == good

        # A changed image rebuilds too.
        logo = spec.parent / "assets" / "ironleaf-logo.png"
        logo.write_bytes(logo.read_bytes())
        spec.write_text(edited, encoding="utf-8")
        watcher.wait_for("built", seen)
    finally:
        code = watcher.stop()
    assert code in (0, 1, -signal.SIGINT), "\n".join(watcher.lines)
    assert not any("Traceback" in line for line in watcher.lines), "\n".join(watcher.lines)
