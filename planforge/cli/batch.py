"""Build many specs: each on its own, optionally in parallel processes, with progress and a summary."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from planforge.cli.outcome import EXIT_INPUT, EXIT_OK, Outcome, emit, run_guarded
from planforge import i18n
from planforge.i18n import _, ngettext


@dataclass(frozen=True)
class BuildJob:
    spec: Path
    out_dir: Path
    template: str | None
    formats: tuple[str, ...]
    debug: bool = False
    rules: Path | None = None
    calendar: Path | None = None


def build_one(job: BuildJob) -> Outcome:
    """Build one spec and describe the result; never raises (errors become the outcome)."""
    from planforge import api

    result, outcome = run_guarded(api.build, job.spec, job.out_dir, template=job.template,
                                  formats=job.formats, rules=job.rules,
                                  calendar=job.calendar, debug=job.debug)
    # python-pptx and lxml leave reference cycles behind each document; collect them now so
    # a batch of hundreds of specs stays at the memory of one.
    gc.collect()
    if result is not None:
        outcome.err.extend(w.format() for w in result.warnings)
        names = []
        with i18n.spec_language(job.spec):
            for path in result.outputs:
                extra = ngettext(" ({count} slide)", " ({count} slides)", result.slides).format(
                    count=result.slides) if path.suffix == ".pptx" else ""
                names.append(f"{path}{extra}")
            outcome.out.append(_("{spec}: built {outputs}").format(
                spec=job.spec, outputs=_(", ").join(names)))
    # In a batch every message names its spec, also those about a template or an asset.
    outcome.err = [_name_spec(job.spec, line) for line in outcome.err]
    return outcome


def _name_spec(spec: Path, line: str) -> str:
    return line if line.startswith(str(spec)) else f"{spec}: {line}"


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def refuse_collisions(items: list[BuildJob]) -> tuple[list[BuildJob], list[Outcome]]:
    """Split off the jobs whose outputs another job of the batch would overwrite.

    Two specs with the same file name in different folders write the same ``out/<stem>.pptx``;
    which one survived used to depend on the order the processes finished. Both are refused,
    before anything is written, each message naming the other spec. A spec given twice is
    built once.
    """
    from planforge.api import output_paths

    owners: dict[str, int] = {}
    clashes: dict[int, list[str]] = {}
    seen_specs: set[str] = set()
    kept: list[int] = []
    for i, job in enumerate(items):
        if _key(job.spec) in seen_specs:
            continue
        seen_specs.add(_key(job.spec))
        kept.append(i)
        for path in output_paths(job.spec, job.out_dir, job.formats).values():
            first = owners.setdefault(_key(path), i)
            if first != i:
                other = items[first]
                clashes.setdefault(i, []).append(
                    (str(other.spec), _refusal(job.spec, path, other.spec)))
                clashes.setdefault(first, []).append(
                    (str(job.spec), _refusal(other.spec, path, job.spec)))
    refused = [Outcome(1, err=_first_per_pair(clashes[i])) for i in kept if i in clashes]
    return [items[i] for i in kept if i not in clashes], refused


def _refusal(spec: Path, path: Path, other: Path) -> str:
    return _("{spec}: refused: it would write {path}, which {other} writes too; build them into "
             "different folders (-o) or rename one of them").format(spec=spec, path=path,
                                                                    other=other)


def _first_per_pair(lines: list[tuple[str, str]]) -> list[str]:
    """One line per other spec (a .pptx and a .docx clash say the same thing twice)."""
    out, seen = [], set()
    for other, line in lines:
        if other not in seen:
            seen.add(other)
            out.append(line)
    return out


@contextlib.contextmanager
def pdf_status(job: BuildJob, quiet: bool, progress: Any = None, task: Any = None) -> Iterator[None]:
    """While LibreOffice converts *job*'s documents, say so in the terminal: a status line (a
    spinner and the text), or the progress bar's description in a batch."""
    from planforge import pdf

    if quiet or "pdf" not in job.formats or not sys.stderr.isatty():
        yield
        return
    shown: dict[str, Any] = {}

    def show(text: str) -> None:
        if progress is not None:
            progress.update(task, description=f"{job.spec.name}: {text}")
            return
        from rich.console import Console

        shown["status"] = Console(stderr=True).status(f"{job.spec}: {text}")
        shown["status"].start()

    token = pdf.status.set(show)
    try:
        yield
    finally:
        pdf.status.reset(token)
        if "status" in shown:
            shown["status"].stop()


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` (temp files, workers) runs."""


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM unwinds the build like Ctrl-C instead of killing it outright."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _worker_init() -> None:
    """In a worker: die with the parent (Linux), and leave signals to the parent.

    SIGTERM keeps its default meaning (the parent stops its workers with it); Ctrl-C reaches
    the whole process group, and the parent, not each worker, answers it.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the parent gone, the worker goes too
    except (OSError, AttributeError):  # not Linux: the parent's finally stops the workers
        pass


def _in_workers(items: list[BuildJob], workers: int) -> Iterator[tuple[BuildJob, Outcome]]:
    """Build *items* in worker processes; yield each outcome in order.

    A worker that dies (the out-of-memory killer, a signal) breaks the whole pool, so the specs
    it took down are built again one at a time, each in a worker of its own: the one that kills
    its worker again fails alone, the others are built.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
    try:
        futures = [pool.submit(build_one, job) for job in items]
        for job, future in zip(items, futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                outcome = _alone(job)
            yield job, outcome
    finally:
        _stop(pool)


def _alone(job: BuildJob) -> Outcome:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=1, initializer=_worker_init)
    try:
        return pool.submit(build_one, job).result()
    except BrokenProcessPool:
        return Outcome(EXIT_INPUT, err=[
            _("{spec}: the process building it was killed before it finished (out of memory?); "
              "nothing was written for it").format(spec=job.spec)])
    finally:
        _stop(pool)


def _stop(pool: Any) -> None:
    """Stop a pool's workers now, whatever they are doing (no worker outlives the batch)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


def run_batch(items: list[BuildJob], *, jobs: int = 1, quiet: bool = False) -> int:
    """Build every job, show progress in a terminal, print a summary; return the worst exit code.

    Jobs that would overwrite each other's outputs are refused first (nothing of theirs is
    written); the others are built.
    """
    total = len(items)
    items, refused = refuse_collisions(items)
    for outcome in refused:
        emit(outcome)
    show_progress = not quiet and sys.stderr.isatty() and len(items) > 1
    outcomes: list[Outcome] = []
    progress = None
    if show_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        progress = Progress(TextColumn(_("building")), BarColumn(), MofNCompleteColumn(),
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
        with terminate_as_interrupt():
            if jobs > 1 and len(items) > 1:
                for job, outcome in _in_workers(items, min(jobs, len(items))):
                    done(job, outcome)
            else:
                for job in items:
                    with pdf_status(job, quiet, progress,
                                    task if progress is not None else None):
                        outcome = build_one(job)
                    done(job, outcome)
    finally:
        if progress is not None:
            progress.stop()
    outcomes += refused
    worst = max((o.code for o in outcomes), default=EXIT_OK)
    if total > 1 and not quiet:
        failed = sum(1 for o in outcomes if o.code != EXIT_OK)
        built = len(outcomes) - failed
        total_done = built + failed
        line = ngettext("{built} of {total} spec built", "{built} of {total} specs built",
                        total_done).format(built=built, total=total_done)
        if failed:
            line += ngettext(", {failed} failed", ", {failed} failed", failed).format(
                failed=failed)
        click.echo(line, err=True)
    return worst
