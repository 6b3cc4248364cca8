"""``planforge build --watch``: rebuild when a spec, one of its images or its pack changes.

One warm process: compiled templates, the schema and the packs stay loaded between builds, so
a text edit rebuilds the deck in a fraction of a second. Each rebuild prints what changed and
the warnings that are new; a spec that fails prints its problems and leaves the documents of
its last good build as they were (outputs are written atomically, all or none).
"""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import click

from planforge.cli.batch import BuildJob
from planforge import i18n
from planforge.cli.outcome import EXIT_OK, Outcome, emit, run_guarded
from planforge.i18n import _, ngettext

#: Milliseconds watchfiles waits for more changes once one is seen (an editor's save is
#: often several events: write a temp file, rename it over the spec).
STEP_MS = 20


@dataclass
class Watched:
    """One spec under watch: what it depends on and what its last build warned about."""

    job: BuildJob
    inputs: set[Path] = field(default_factory=set)     # files whose change rebuilds it
    folders: set[Path] = field(default_factory=set)    # folders to watch for them
    warnings: set[str] = field(default_factory=set)
    ok: bool = False


def _inputs(item: Watched) -> None:
    """Find the files a spec depends on: itself, its images and its template pack's files."""
    spec = item.job.spec.resolve()
    item.inputs = {spec}
    item.folders = {spec.parent}
    try:
        from planforge import api
        from planforge.packs import find_pack

        plan = api.load_plan(spec)
    except Exception:
        return  # a spec that does not load yet: its own file is what will change
    images = [plan.brand.logo] + [p.image for p in plan.products]
    item.inputs |= {Path(p).resolve() for p in images if p}
    try:
        pack = find_pack(item.job.template or plan.meta.template, relative_to=plan.base_dir)
    except Exception:
        return
    root = Path(pack.root).resolve()
    item.folders.add(root)
    item.inputs |= {p.resolve() for p in root.rglob("*") if p.is_file()}


def _build(item: Watched, changed: list[Path] | None) -> Outcome:
    from planforge import api

    started = time.perf_counter()
    result, outcome = run_guarded(api.build, item.job.spec, item.job.out_dir,
                                  template=item.job.template, formats=item.job.formats,
                                  debug=item.job.debug)
    took = time.perf_counter() - started
    with i18n.spec_language(item.job.spec):
        return _report(item, changed, result, outcome, took)


def _report(item: Watched, changed: list[Path] | None, result, outcome: Outcome,
            took: float) -> Outcome:
    spec = item.job.spec
    if result is None:
        item.ok = False
        outcome.err.append(
            _("{spec}: not rebuilt; the documents of the last good build are kept").format(
                spec=spec) if changed is not None else _("{spec}: not built").format(spec=spec))
        return outcome
    item.ok = True
    now = {w.format(show_source=False): w for w in result.warnings}
    new = [now[k] for k in now if k not in item.warnings]
    gone = len([k for k in item.warnings if k not in now])
    item.warnings = set(now)
    names = _(", ").join(str(p) for p in result.outputs)
    outcome.out.append(_("{spec}: built {outputs} in {ms} ms").format(
        spec=spec, outputs=names, ms=f"{took * 1000:.0f}"))
    if changed is None:
        outcome.err.extend(w.format() for w in result.warnings)
    else:
        outcome.err.extend(w.format() for w in new)
        if gone:
            outcome.out.append(ngettext("{spec}: {count} warning no longer applies",
                                        "{spec}: {count} warnings no longer apply",
                                        gone).format(spec=spec, count=gone))
    return outcome


def watch(jobs: Iterable[BuildJob], *, echo: Callable[[Outcome], None] = emit,
          stop_event=None, ready: Callable[[], None] | None = None) -> int:
    """Build every job, then rebuild on change until Ctrl+C (or ``stop_event`` is set)."""
    try:
        from watchfiles import watch as watch_files
    except ImportError:
        raise click.ClickException(_("build --watch needs watchfiles, which is not installed: "
                                     "pip install --upgrade planforge")) from None

    items = [Watched(job) for job in jobs]
    worst = EXIT_OK
    for item in items:
        outcome = _build(item, None)
        worst = max(worst, outcome.code)
        echo(outcome)
        _inputs(item)
    folders = sorted({f for item in items for f in item.folders if f.is_dir()})
    click.echo(_("watching for changes (Ctrl+C stops)"), err=True)
    if ready is not None:
        ready()

    def relevant(_change, path: str) -> bool:
        p = Path(path).resolve()
        return any(p in item.inputs for item in items)

    # Ctrl+C (or SIGTERM) asks the loop to stop: a rebuild under way finishes and writes its
    # outputs whole, then the watcher returns. A second Ctrl+C stops at once.
    stop = stop_event if stop_event is not None else threading.Event()

    def on_signal(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            handlers[sig] = signal.signal(sig, on_signal)
    try:
        for changes in watch_files(*folders, watch_filter=relevant, step=STEP_MS,
                                   debounce=400, stop_event=stop, raise_interrupt=False):
            paths = sorted({Path(p).resolve() for _kind, p in changes})
            for item in items:
                hit = [p for p in paths if p in item.inputs]
                if not hit or stop.is_set():
                    continue
                shown = _(", ").join(_short(p) for p in hit)
                echo(Outcome(out=[_("changed: {files}").format(files=shown)]))
                outcome = _build(item, hit)
                echo(outcome)
                before = item.folders
                _inputs(item)
                if item.folders - before:
                    click.echo(_("(the pack changed: restart to watch its new folder)"),
                               err=True)
    except KeyboardInterrupt:
        pass
    finally:
        for sig, previous in handlers.items():
            signal.signal(sig, previous)
    return worst


def _short(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
