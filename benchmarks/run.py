"""planforge's benchmark: whole-process timings against a hand-written floor, with targets.

    python benchmarks/run.py [--spec PATH] [--reps N] [--quick] [--profile]

Times, in one run with interleaved repetitions: ``planforge build`` of the contract spec and the
floor (benchmarks/floor.py) on the same spec; ``planforge validate`` and ``--help``; a batch of
variant specs with ``--jobs 1`` and ``--jobs 2`` against the floor doing the same batch; specs with
10, 100 and 300 products and tasks. Prints the table and the targets, and rewrites
docs/performance.md (not with --quick, unless --write is given).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402  (sibling modules of this script)
import specgen  # noqa: E402
from measure import Case, CommandFailed, run_once, run_rounds  # noqa: E402

SHARED_SPEC = REPO / ".." / "shared" / "specs" / "contract-full.zh.yaml"
EXAMPLE_SPEC = REPO / "examples" / "mutang-skincare.zh.yaml"
GROWTH = (10, 100, 300)
# Modules 'planforge validate' must not load: the renderers and what only they need.
RENDER_MODULES = ("pptx", "docx", "docxtpl", "xlsxwriter", "planforge.render")


def default_spec() -> Path:
    """The team's full contract spec when ../shared is there, else the bundled example."""
    return SHARED_SPEC.resolve() if SHARED_SPEC.is_file() else EXAMPLE_SPEC


def planforge_cmd() -> list[str]:
    """The installed ``planforge`` script next to this interpreter, else ``python -m planforge``."""
    script = Path(sys.executable).parent / "planforge"
    return [sys.executable, str(script)] if script.is_file() else [sys.executable, "-m", "planforge"]


def import_times(argv: list[str]) -> tuple[dict[str, float], list[tuple[float, str]]]:
    """Run *argv* (a Python command) with -X importtime; return every module's and the
    top-level modules' cumulative import ms (slowest first)."""
    proc = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], capture_output=True, text=True)
    every: dict[str, float] = {}
    tops = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\s*)(\S+)", line)
        if m:
            every[m.group(3)] = int(m.group(1)) / 1000
            if not m.group(2):
                tops.append((int(m.group(1)) / 1000, m.group(3)))
    return every, sorted(tops, reverse=True)


def slowest(tops: list[tuple[float, str]], limit: int = 6) -> str:
    return ", ".join(f"{name} {ms:.0f} ms" for ms, name in tops[:limit])


def make_cases(spec: Path, work: Path, batch: int, pf: list[str]) -> tuple[list[Case], dict[str, str]]:
    floor = [sys.executable, str(HERE / "floor.py")]
    small = max(2, batch // 10)
    specs = specgen.variants(spec, batch, work / "batch")
    grown = {n: specgen.grown(spec, n, work / "grow") for n in GROWTH}
    out = lambda name: str(work / "out" / name)  # noqa: E731
    vs = [str(p) for p in specs]
    cases = [
        Case("build", pf + ["build", str(spec), "-o", out("build"), "-q"]),
        Case("floor", floor + [str(spec), "-o", out("floor")]),
        Case("validate", pf + ["validate", str(spec)]),
        Case("help", pf + ["--help"]),
        Case(f"grow-{GROWTH[0]}", pf + ["build", str(grown[GROWTH[0]]), "-o", out("grow"), "-q"]),
        Case(f"grow-{GROWTH[1]}", pf + ["build", str(grown[GROWTH[1]]), "-o", out("grow"), "-q"]),
        Case(f"grow-{GROWTH[2]}", pf + ["build", str(grown[GROWTH[2]]), "-o", out("grow"), "-q"]),
        Case(f"batch-{small}-j1", pf + ["build", *vs[:small], "-o", out("bs"), "-q", "--jobs", "1"],
             heavy=True),
        Case(f"batch-{batch}-j1", pf + ["build", *vs, "-o", out("b1"), "-q", "--jobs", "1"], heavy=True),
        Case(f"batch-{batch}-j2", pf + ["build", *vs, "-o", out("b2"), "-q", "--jobs", "2"], heavy=True),
        Case(f"floor-batch-{batch}", floor + [*vs, "-o", out("fb")], heavy=True),
    ]
    describe = {
        "build": f"`planforge build {spec.name}` (deck + plan)",
        "floor": "`benchmarks/floor.py` on the same spec (python-pptx + docxtpl, nothing else)",
        "validate": f"`planforge validate {spec.name}`",
        "help": "`planforge --help`",
        f"batch-{small}-j1": f"`planforge build` of {small} variant specs, `--jobs 1`",
        f"batch-{batch}-j1": f"`planforge build` of {batch} variant specs, `--jobs 1`",
        f"batch-{batch}-j2": f"the same {batch} specs, `--jobs 2`",
        f"floor-batch-{batch}": f"the floor on the same {batch} specs, one process",
    }
    describe.update({f"grow-{n}": f"`planforge build`, {n} products and {n} roadmap tasks" for n in GROWTH})
    return cases, describe


def paired(a: Case, b: Case) -> float:
    """The median of the per-round ratios a/b (the two ran in the same rounds, interleaved)."""
    import statistics

    return statistics.median(x.wall_ms / y.wall_ms for x, y in zip(a.samples, b.samples))


def warm_rebuilds(spec: Path, reps: int) -> dict | None:
    """Run benchmarks/warm.py (one process, rebuilds after a warm-up); None if it failed."""
    import json

    proc = subprocess.run([sys.executable, str(HERE / "warm.py"), str(spec), "--reps", str(reps)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"warm rebuilds failed: {proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout)


def evaluate(by: dict[str, Case], batch: int, small: int, validate_mods: dict[str, float],
             help_tops: str, validate_tops: str, warm: dict | None = None) -> tuple[list, list[str]]:
    """Compare the medians with the issue's targets; return (targets rows, notes)."""
    b, f = by["build"].median_ms, by["floor"].median_ms
    cold = paired(by["build"], by["floor"])
    val = paired(by["validate"], by["floor"])
    j1, j2 = by[f"batch-{batch}-j1"].median_ms, by[f"batch-{batch}-j2"].median_ms
    fb = by[f"floor-batch-{batch}"].median_ms
    pf_marginal = (j1 - b) / (batch - 1)
    floor_marginal = (fb - f) / (batch - 1)
    loaded = sorted(m for m in validate_mods if m.split(".")[0] in RENDER_MODULES
                    or any(m.startswith(r + ".") or m == r for r in RENDER_MODULES))
    g = [by[f"grow-{n}"].median_ms for n in GROWTH]
    slope_lo = (g[1] - g[0]) / (GROWTH[1] - GROWTH[0])
    slope_hi = (g[2] - g[1]) / (GROWTH[2] - GROWTH[1])
    rss_build = by["build"].rss_mb or 0
    rss_small, rss_big = by[f"batch-{small}-j1"].rss_mb or 0, by[f"batch-{batch}-j1"].rss_mb or 0
    targets = [
        ("cold build of the spec vs floor (paired)", f"{b:,.0f} / {f:,.0f} ms; **{cold:.2f}×**",
         "≤ 1.0× (stretch ≤ 0.7×)", cold <= 1.0),
        ("validate vs floor (paired)", f"{by['validate'].median_ms:,.0f} ms; **{val:.2f}×**",
         "≤ 0.5×", val <= 0.5),
        ("validate loads no renderer", ", ".join(loaded[:6]) + (" …" if len(loaded) > 6 else "") or "none",
         "none of pptx, docx, docxtpl, planforge.render", not loaded),
        ("`--help`", f"**{by['help'].median_ms:,.0f} ms**", "< 150 ms", by["help"].median_ms < 150),
        ("batch: per spec once imports are paid",
         f"{pf_marginal:,.0f} vs floor {floor_marginal:,.0f} ms = **{pf_marginal / floor_marginal:.2f}×**",
         "≤ 1.0×", pf_marginal / floor_marginal <= 1.0),
        ("`--jobs 2` throughput vs `--jobs 1`", f"**{j1 / j2:.2f}×**", "≥ 1.8×", j1 / j2 >= 1.8),
        ("peak RSS of one build", f"**{rss_build:.0f} MB**", "≤ 120 MB", rss_build <= 120),
        (f"batch memory: {small} → {batch} specs", f"{rss_small:.0f} → {rss_big:.0f} MB",
         "no growth (≤ +5 MB)", rss_big - rss_small <= 5),
        ("growth: 300 products + tasks", f"**{g[2]:,.0f} ms**", "< 5 s", g[2] < 5000),
        ("growth is linear", f"{slope_lo:.1f} ms/item (10→100), {slope_hi:.1f} ms/item (100→300)",
         "later slope ≤ 1.5× earlier", slope_hi <= 1.5 * max(slope_lo, 0.1)),
    ]
    if warm is not None:
        med = warm["median"]
        targets[1:1] = [
            ("warm rebuild in one process vs the floor's in-process render (paired)",
             f"{med['warm']:,.0f} / {med['floor']:,.0f} ms; **{warm['warm_vs_floor']:.2f}×**",
             "≤ 1.0×", warm["warm_vs_floor"] <= 1.0),
            ("warm rebuild, one text field changed, deck only",
             f"**{med['deck-edit']:,.0f} ms** ({med['deck-edit'] / med['floor']:.2f}× the floor's "
             "in-process deck + document)", "≤ 150 ms", med["deck-edit"] <= 150),
        ]
    notes = [
        f"Batch: `--jobs 1` {j1 / batch:,.0f} ms per spec, `--jobs 2` {j2 / batch:,.0f} ms per spec, "
        f"floor {fb / batch:,.0f} ms per spec (wall time / {batch}).",
        f"Per spec once imports are paid = (batch of {batch} − one cold build) / {batch - 1}, "
        "for planforge and for the floor alike.",
        f"Slowest top-level imports of `validate`: {validate_tops}.",
        f"Slowest top-level imports of `--help`: {help_tops}.",
        "The floor's plan has no Word charts and no table of contents; planforge's has both, so the "
        "floor is a little below a truly equivalent document.",
    ]
    return targets, notes


def profile(pf: list[str], spec: Path, variants: list[Path], work: Path) -> None:
    """Write pyinstrument text profiles of a build, a batch and a validate; print where they are."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        print("--profile needs pyinstrument: pip install pyinstrument", file=sys.stderr)
        return
    runs = {
        "build": ["build", str(spec), "-o", str(work / "out" / "prof"), "-q"],
        "batch": ["build", *map(str, variants[:20]), "-o", str(work / "out" / "prof"), "-q"],
        "validate": ["validate", str(spec)],
    }
    target = Path(tempfile.gettempdir()) / "planforge-profiles"
    target.mkdir(exist_ok=True)
    for name, args in runs.items():
        out = target / f"{name}.txt"
        subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(out),
                        *pf[1:], *args], check=True, stdout=subprocess.DEVNULL)
        print(f"profile of {name}: {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=None,
                        help="spec to build (default: ../shared/specs/contract-full.zh.yaml "
                             "if present, else examples/mutang-skincare.zh.yaml)")
    parser.add_argument("--reps", type=int, default=None,
                        help="rounds of the single-spec commands (default 5; 1 with --quick)")
    parser.add_argument("--batch-reps", type=int, default=1,
                        help="rounds that also run the batches (default 1: a batch is 100 builds already)")
    parser.add_argument("--batch", type=int, default=None, help="specs in the batch (default 100)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 round, batch of 10")
    parser.add_argument("--write", action="store_true", help="write docs/performance.md even with --quick")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--profile", action="store_true", help="also write pyinstrument profiles")
    args = parser.parse_args(argv)

    spec = (args.spec or default_spec()).resolve()
    # An installed package has its modules compiled; without them (PYTHONDONTWRITEBYTECODE)
    # every planforge process would compile its own source first.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    import compileall

    compileall.compile_dir(str(REPO / "planforge"), quiet=1)
    reps = args.reps or (1 if args.quick else 5)
    heavy = max(1, min(args.batch_reps, reps))
    batch = args.batch or (10 if args.quick else 100)
    small = max(2, batch // 10)
    pf = planforge_cmd()
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="planforge-bench-"))
    try:
        cases, describe = make_cases(spec, work, batch, pf)
        print(f"spec {spec}; {reps} rounds ({heavy} with the batches); batch of {batch}")
        load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        try:
            for case in cases[:4]:  # warm the disk cache and prove the commands work
                run_once(case.cmd)
            run_rounds(cases, reps, heavy)
        except CommandFailed as e:
            print(f"benchmark aborted, a command failed: {e}", file=sys.stderr)
            return 1
        by = {c.name: c for c in cases}
        validate_mods, validate_tops = import_times(pf + ["validate", str(spec)])
        _, help_tops = import_times(pf + ["--help"])
        warm = warm_rebuilds(spec, max(5, reps))
        targets, notes = evaluate(by, batch, small, validate_mods, slowest(help_tops),
                                  slowest(validate_tops), warm)
        if args.profile:
            profile(pf, spec, sorted((work / "batch").glob("*.yaml")), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    command = "python benchmarks/run.py" + (f" --reps {args.reps}" if args.reps else "") + \
        (" --quick" if args.quick else "") + (f" --batch {args.batch}" if args.batch else "")
    spec_shown = spec.name if spec != EXAMPLE_SPEC else f"examples/{spec.name}"
    notes.insert(0, f"Spec: `{spec_shown}`; {reps} rounds ({heavy} with the batches); "
                    f"the whole run took {time.perf_counter() - started:,.0f} s.")
    if load_before is not None:
        notes.insert(1, f"Load average (1 min) before / after the run: {load_before:.2f} / "
                        f"{os.getloadavg()[0]:.2f}. The benchmark itself keeps about one core busy; much more "
                        "means other processes shared the cores, which mostly hurts the `--jobs 2` figure.")
    text = report.document(command, report.machine_facts(REPO), report.case_table(cases, describe),
                           report.target_table(targets), notes)
    print("\n" + text)
    if not args.quick or args.write:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
