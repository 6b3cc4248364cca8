"""Time a command as a whole process: wall time, CPU time and the peak RSS of that child alone."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field


class CommandFailed(RuntimeError):
    """A benchmarked command exited non-zero (a benchmark of a failure measures nothing)."""


@dataclass
class Sample:
    wall_ms: float
    cpu_ms: float
    rss_mb: float | None


@dataclass
class Case:
    """A command measured several times; its statistics are over the samples."""

    name: str
    cmd: list[str]
    heavy: bool = False  # measured in fewer rounds (batches, big specs)
    samples: list[Sample] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(s.wall_ms for s in self.samples)

    @property
    def min_ms(self) -> float:
        return min(s.wall_ms for s in self.samples)

    @property
    def max_ms(self) -> float:
        return max(s.wall_ms for s in self.samples)

    @property
    def cpu_ms(self) -> float:
        return statistics.median(s.cpu_ms for s in self.samples)

    @property
    def rss_mb(self) -> float | None:
        values = [s.rss_mb for s in self.samples if s.rss_mb is not None]
        return max(values) if values else None


def run_once(cmd: list[str], cwd: str | None = None, env: dict | None = None) -> Sample:
    """Run *cmd* to completion; raise CommandFailed with its stderr when it exits non-zero."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                cwd=cwd, env=env)
        if hasattr(os, "wait4"):
            # wait4 gives this child's own rusage (with its reaped children: a worker pool's peak
            # is the largest single process), unlike RUSAGE_CHILDREN, which is cumulative.
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            # Linux reports ru_maxrss in KiB, macOS in bytes.
            scale = 1024 * 1024 if sys.platform == "darwin" else 1024
            cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / scale
        else:  # pragma: no cover - no per-child rusage on this platform
            proc.wait()
            wall = time.perf_counter() - start
            cpu, rss = float("nan"), None
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise CommandFailed(f"exit {proc.returncode}: {' '.join(cmd)}\n{tail}")
    return Sample(wall * 1000, cpu * 1000, rss)


def run_rounds(cases: list[Case], rounds: int, heavy_rounds: int, cwd: str | None = None,
               progress=print) -> None:
    """Measure every case once per round, interleaved, rotating the order between rounds.

    Heavy cases take part in the first *heavy_rounds* rounds only.
    """
    for r in range(rounds):
        active = [c for c in cases if not c.heavy or r < heavy_rounds]
        shift = r % len(active)
        for case in active[shift:] + active[:shift]:
            sample = run_once(case.cmd, cwd=cwd)
            case.samples.append(sample)
            progress(f"  round {r + 1}/{rounds}  {case.name:<24} {sample.wall_ms:8.0f} ms")
