"""How fast `planforge build --watch` rebuilds the deck after a text edit, in one warm process.

    .venv/bin/python benchmarks/watch_latency.py [--spec PATH] [--edits N] [--format pptx]

Copies the spec (default: ../shared/specs/contract-full.zh.yaml when it exists beside the
repository, else examples/mutang-skincare.zh.yaml) with its images into a temporary folder,
starts the watch loop in this process, then edits a line of text N times. For each edit it
reports the time from the file's write to the new deck being in place ("write to deck"), and
the build itself as the watcher timed it ("rebuild"); the gap between them is the file event's
delivery plus watchfiles' grouping step. Prints the medians and every sample.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CONTRACT = ROOT.parent / "shared" / "specs" / "contract-full.zh.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path,
                        default=CONTRACT if CONTRACT.is_file()
                        else ROOT / "examples" / "mutang-skincare.zh.yaml")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--format", default="pptx")
    args = parser.parse_args()

    from planforge.cli.batch import BuildJob
    from planforge.cli.watch import watch

    work = Path(tempfile.mkdtemp(prefix="planforge-watch-bench-"))
    try:
        folder = work / "spec"
        shutil.copytree(args.spec.parent, folder)
        spec = folder / args.spec.name
        out = work / "out"
        events: list[tuple[float, str]] = []
        built = threading.Event()
        ready = threading.Event()
        stop = threading.Event()

        def echo(outcome) -> None:
            for line in outcome.out + outcome.err:
                events.append((time.perf_counter(), line))
                if " built " in line:
                    built.set()

        job = BuildJob(spec, out, None, tuple(args.format.split(",")))
        thread = threading.Thread(target=watch, args=([job],),
                                  kwargs={"echo": echo, "stop_event": stop, "ready": ready.set},
                                  daemon=True)
        thread.start()
        if not ready.wait(300):
            print("the watcher did not start", file=sys.stderr)
            return 1
        time.sleep(0.5)
        text = spec.read_text(encoding="utf-8")
        match = re.search(r"^(\s*slogan:\s*)(.+)$", text, re.M) or \
            re.search(r"^(\s*name:\s*)(.+)$", text, re.M)
        totals, rebuilds = [], []
        for n in range(args.edits):
            built.clear()
            edited = text[:match.start(2)] + f"{match.group(2)} {n}" + text[match.end(2):]
            start = time.perf_counter()
            spec.write_text(edited, encoding="utf-8")
            if not built.wait(60):
                print(f"edit {n}: no rebuild within 60 s", file=sys.stderr)
                return 1
            done, line = [e for e in events if " built " in e[1]][-1]
            totals.append((done - start) * 1000)
            took = re.search(r" in (\d+) ms", line)
            rebuilds.append(float(took.group(1)) if took else float("nan"))
            time.sleep(0.3)
        stop.set()
        thread.join(10)
        print(f"spec: {args.spec.name}, format: {args.format}, {args.edits} edits")
        print(f"write to deck: median {statistics.median(totals):.0f} ms "
              f"(min {min(totals):.0f}, max {max(totals):.0f})")
        print(f"rebuild:       median {statistics.median(rebuilds):.0f} ms "
              f"(min {min(rebuilds):.0f}, max {max(rebuilds):.0f})")
        print("samples (write to deck / rebuild, ms):",
              ", ".join(f"{a:.0f}/{b:.0f}" for a, b in zip(totals, rebuilds)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
