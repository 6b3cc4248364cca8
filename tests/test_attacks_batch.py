"""Batches survive signals and dead workers; a pair of outputs is renamed all or none."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planforge import write

from conftest import EXAMPLES

SPEC = EXAMPLES / "ironleaf-cookware.en.yaml"
PLANFORGE = [sys.executable, "-m", "planforge"]


def specs(folder: Path, names: list[str]) -> list[Path]:
    shutil.copytree(EXAMPLES / "assets", folder / "assets")
    text = SPEC.read_text(encoding="utf-8")
    out = []
    for name in names:
        (folder / name).write_text(text, encoding="utf-8")
        out.append(folder / name)
    return out


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find workers")
def test_sigterm_to_a_parallel_build_ends_its_workers_and_closes_the_pipes(tmp_path):
    files = specs(tmp_path, [f"s{i}.en.yaml" for i in range(6)])
    proc = subprocess.Popen(PLANFORGE + ["build", *map(str, files), "--jobs", "2", "-o",
                                         str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers |= children(proc.pid)
        time.sleep(0.05)
    assert workers, "the build started no worker"
    time.sleep(0.5)  # the workers are building now

    proc.send_signal(signal.SIGTERM)
    # communicate() returns only when every holder of the pipes (any worker left) is gone.
    out, err = proc.communicate(timeout=30)

    assert proc.returncode != 0
    assert b"Traceback" not in err, err.decode()
    for pid in workers:
        for _ in range(50):
            if not alive(pid):
                break
            time.sleep(0.1)
        assert not alive(pid), f"worker {pid} outlived the build"


def test_a_killed_worker_fails_its_spec_alone_and_the_others_are_built(tmp_path):
    hook = tmp_path / "hook"
    hook.mkdir()
    # Stands for the out-of-memory killer: the worker building oom.en.yaml dies at once.
    (hook / "sitecustomize.py").write_text(
        "import os\n"
        "import planforge.api as api\n"
        "_build = api.build\n"
        "def build(path, *args, **kwargs):\n"
        "    if 'oom' in str(path):\n"
        "        os.kill(os.getpid(), 9)\n"
        "    return _build(path, *args, **kwargs)\n"
        "api.build = build\n", encoding="utf-8")
    files = specs(tmp_path, ["a.en.yaml", "oom.en.yaml", "b.en.yaml", "c.en.yaml"])
    env = {**os.environ, "PYTHONPATH": str(hook)}

    result = subprocess.run(PLANFORGE + ["build", *map(str, files), "--jobs", "2", "-o",
                                         str(tmp_path / "out"), "--format", "pptx"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)

    assert result.returncode == 1, result.stderr
    assert "oom.en.yaml: the process building it was killed" in result.stderr
    assert "3 of 4 specs built, 1 failed" in result.stderr
    assert "Traceback" not in result.stderr
    built = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert built == ["a.en.pptx", "b.en.pptx", "c.en.pptx"]


def test_temp_files_of_a_killed_build_are_removed_by_the_next_one(tmp_path, cli):
    out = tmp_path / "out"
    out.mkdir()
    gone = 4_000_000 + os.getpid() % 100_000  # above any pid this machine hands out
    stale = out / f".ironleaf-cookware.en.pptx.{gone}.k2j4x1.tmp"
    stale.write_bytes(b"half a deck")
    running = out / f".ironleaf-cookware.en.docx.{os.getppid()}.q9w8e7.tmp"
    running.write_bytes(b"being written by a build that is still running")
    other = out / "notes.tmp"
    other.write_text("not ours")

    result = cli("build", SPEC, "-o", out)

    assert result.exit_code == 0, result.text
    assert not stale.exists()
    assert running.exists() and other.exists()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "ironleaf-cookware.en.docx", "ironleaf-cookware.en.pptx", "notes.tmp"]


def test_a_pair_of_outputs_is_renamed_all_or_none(tmp_path, monkeypatch):
    deck, plan = tmp_path / "x.pptx", tmp_path / "x.docx"
    deck.write_bytes(b"old deck")
    plan.write_bytes(b"old plan")
    real = os.replace
    calls = []

    def second_fails(src, dst):
        calls.append(dst)
        if len([c for c in calls if not str(c).endswith(".old")]) == 2 and Path(dst) == plan:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(write.os, "replace", second_fails)
    with pytest.raises(write.OutputError, match="No space left"):
        write.atomic_write_many({deck: b"new deck", plan: b"new plan"})

    assert deck.read_bytes() == b"old deck"
    assert plan.read_bytes() == b"old plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.docx", "x.pptx"]
