"""Build many specs: each on its own, optionally in parallel processes, with progress and a summary."""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from planforge.cli.outcome import EXIT_OK, Outcome, emit, run_guarded


@dataclass(frozen=True)
class BuildJob:
    spec: Path
    out_dir: Path
    template: str | None
    formats: tuple[str, ...]
    debug: bool = False


def build_one(job: BuildJob) -> Outcome:
    """Build one spec and describe the result; never raises (errors become the outcome)."""
    from planforge import api

    result, outcome = run_guarded(api.build, job.spec, job.out_dir, template=job.template,
                                  formats=job.formats, debug=job.debug)
    # python-pptx and lxml leave reference cycles behind each document; collect them now so
    # a batch of hundreds of specs stays at the memory of one.
    gc.collect()
    if result is not None:
        outcome.err.extend(w.format() for w in result.warnings)
        names = []
        for path in result.outputs:
            extra = f" ({result.slides} slides)" if path.suffix == ".pptx" else ""
            names.append(f"{path}{extra}")
        outcome.out.append(f"{job.spec}: built " + ", ".join(names))
    return outcome


def run_batch(items: list[BuildJob], *, jobs: int = 1, quiet: bool = False) -> int:
    """Build every job, show progress in a terminal, print a summary; return the worst exit code."""
    show_progress = not quiet and sys.stderr.isatty() and len(items) > 1
    outcomes: list[Outcome] = []
    progress = None
    if show_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        progress = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.description}"), transient=True)
        progress.start()
        task = progress.add_task("", total=len(items))

    def done(job: BuildJob, outcome: Outcome) -> None:
        outcomes.append(outcome)
        if progress is not None:
            progress.update(task, advance=1, description=job.spec.name)
            for line in outcome.out + outcome.err:
                progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            emit(outcome)

    try:
        if jobs > 1 and len(items) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(jobs, len(items))) as pool:
                for job, outcome in zip(items, pool.map(build_one, items)):
                    done(job, outcome)
        else:
            for job in items:
                done(job, build_one(job))
    finally:
        if progress is not None:
            progress.stop()
    worst = max((o.code for o in outcomes), default=EXIT_OK)
    if len(items) > 1 and not quiet:
        failed = sum(1 for o in outcomes if o.code != EXIT_OK)
        click.echo(f"{len(items) - failed} of {len(items)} specs built"
                   + (f", {failed} failed" if failed else ""), err=True)
    return worst
