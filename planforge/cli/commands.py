"""The ``planforge`` command: parses arguments, calls planforge.api, reports, exits.

Exit codes: 0 success (warnings may print), 1 the input is at fault, 2 usage, 70 internal bug.
With several specs each is handled on its own and the exit code is the worst of them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from planforge import __version__, i18n
from planforge.cli.outcome import EXIT_INPUT, EXIT_OK, Outcome, emit, run_guarded
from planforge.errors import PlanforgeError
from planforge.i18n import _

if TYPE_CHECKING:
    from planforge.errors import Problem

i18n.route_click()  # click's "Usage:", "Error: No such option" follow --lang too


class LocalizedGroup(click.Group):
    """The command group whose help texts (commands' and options') are shown in the user's
    language: ``--lang`` (looked for before click parses, since ``--help`` acts at once), else
    ``PLANFORGE_LANG`` / the environment. The English texts are the msgids of the catalogs
    (tools/i18n.py collects them from this command tree)."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        lang = _lang_in(args)
        if lang:
            i18n.set_language(lang)
        localize_help(self)
        return super().make_context(info_name, args, parent, **extra)


def _lang_in(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] if args[i + 1] in ("zh-CN", "en") else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in ("zh-CN", "en") else None
    return None


def help_texts(command: click.Command) -> Iterator[tuple[Any, str]]:
    """(object, attribute) of every help text of *command* and its subcommands, with click's
    own "Show this message and exit." and "Show the version and exit."."""
    yield command, "help"
    for param in command.params:
        if getattr(param, "help", None):
            yield param, "help"
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from help_texts(sub)


def localize_help(command: click.Command) -> None:
    """Put every help text of the command tree in the current language.

    Also the texts click fills in once and keeps: the help option's (cached per command when
    first shown) and the names of ``click.Path`` arguments ("FILE", also in "File 'x' does not
    exist"), made when the tree is defined. Without this they would stay in the language of the
    first command line of the process (a test run, an embedding program).
    """
    for obj, attr in help_texts(command):
        original = english_help(obj, attr)
        if original:
            setattr(obj, attr, _(original))
    for cmd in _commands(command):
        cached = cmd.__dict__.get("_help_option")
        if cached is not None and cached.help:
            cached.help = i18n.click_gettext(i18n.click_english(cached.help))
        for param in cmd.params:
            if isinstance(param.type, click.Path):
                param.type.name = i18n.click_gettext(_path_kind(param.type))


def _commands(command: click.Command) -> Iterator[click.Command]:
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _commands(sub)


def _path_kind(path: click.Path) -> str:
    """click's English name of a path type, as click.Path chooses it."""
    if path.file_okay and not path.dir_okay:
        return "file"
    if path.dir_okay and not path.file_okay:
        return "directory"
    return "path"


def english_help(obj: Any, attr: str) -> str:
    """The English help text of a command or option, cleaned as click shows it (the msgid)."""
    import inspect

    if f"_english_{attr}" not in obj.__dict__:
        text = getattr(obj, attr)
        # click's own texts ("Show the version and exit.") may have been made in another
        # language when the command tree was defined.
        obj.__dict__[f"_english_{attr}"] = i18n.click_english(inspect.cleandoc(text)) if text else ""
    return obj.__dict__[f"_english_{attr}"]


@click.group(cls=LocalizedGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="planforge")
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
@click.option("--lang", type=click.Choice(["zh-CN", "en"]), default=None,
              help="Language of messages (default: the spec's meta.locale, else LANG/LC_ALL).")
@click.pass_context
def main(ctx: click.Context, debug: bool, lang: str | None) -> None:
    """Turn one YAML spec of a brand into a Tmall entry deck (.pptx) and an annual
    operation plan (.docx).

    \b
    Start:   planforge init brand.yaml      (a commented starter spec)
    Check:   planforge check brand.yaml     (figures, warnings, Tmall readiness)
    Build:   planforge build brand.yaml -o out/

    Exit codes: 0 ok, 1 a spec/template/asset/output problem, 2 usage, 70 internal bug.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    if lang:
        i18n.set_language(lang)


SPECS = click.argument("specs", nargs=-1, required=True,
                       type=click.Path(path_type=Path, dir_okay=False))


@main.command()
@SPECS
@click.pass_context
def validate(ctx: click.Context, specs: tuple[Path, ...]) -> None:
    """Check SPECS against the format: schema and semantic rules, no documents built."""
    from planforge import api

    worst = EXIT_OK
    for spec in specs:
        _result, outcome = run_guarded(api.validate, spec, debug=ctx.obj["debug"])
        if outcome.code == EXIT_OK:
            with i18n.spec_language(spec):
                outcome.out.append(_("{spec}: valid").format(spec=spec))
        emit(outcome)
        worst = max(worst, outcome.code)
    ctx.exit(worst)


_TABLE_OPTS = (
    click.option("--rules", "rules", type=click.Path(path_type=Path, dir_okay=False),
                 help="Entry rules table (deposits, fees, requirements) to use instead of the "
                      "shipped one; overrides the spec's meta.rules."),
    click.option("--calendar", "calendar", type=click.Path(path_type=Path, dir_okay=False),
                 help="Festival calendar to use instead of the shipped one; overrides the "
                      "spec's meta.calendar."),
)


def table_options(f):
    """Add --rules and --calendar to a command."""
    for option in reversed(_TABLE_OPTS):
        f = option(f)
    return f


@main.command()
@SPECS
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True,
              help="Readable text; one JSON document for other programs (docs/output.md); or "
                   "GitHub Actions annotations on the lines at fault.")
@click.option("-q", "--quiet", is_flag=True,
              help="Print only problems (errors and warnings), nothing for a spec without any.")
@click.option("--only-specs", is_flag=True,
              help="Skip, silently, every file that does not declare 'planforge: 1' (for "
                   "pre-commit hooks that see all YAML files).")
@table_options
@click.pass_context
def check(ctx: click.Context, specs: tuple[Path, ...], strict: bool, fmt: str, quiet: bool,
          only_specs: bool, rules: Path | None, calendar: Path | None) -> None:
    """Validate SPECS and show key figures, consistency warnings and Tmall readiness."""
    import json

    from planforge import api
    from planforge.diagnostics import (envelope, error_problems, file_entry, from_record,
                                       github_annotation)
    from planforge.report import format_check_text

    if only_specs:
        specs = tuple(s for s in specs if declares_planforge(s))
    worst = EXIT_OK
    files = []
    for spec in specs:
        try:
            report, outcome = run_guarded(api.check, spec, rules=rules, calendar=calendar,
                                          debug=ctx.obj["debug"], reraise=fmt != "text")
        except PlanforgeError as e:
            report, outcome = None, Outcome(e.exit_code)
            problems = error_problems(spec, e)
        else:
            problems = [] if report is None else [from_record(w) for w in report["warnings"]]
            if report is None:  # an internal error, told on stderr: still a record of it
                from planforge.errors import Problem

                problems = [Problem(str(spec), 0, 0, "", outcome.err[0].removeprefix(
                    "planforge: "), code="PF199")]
        # Notes (severity info) are information: they never fail --strict.
        if report is not None and strict and any(w["severity"] != "info"
                                                 for w in report["warnings"]):
            outcome.code = EXIT_INPUT
        if fmt == "json":
            files.append(file_entry(spec, report, problems))
        elif fmt == "github":
            outcome.out += [github_annotation(p) for p in problems]
        elif report is not None:
            if not quiet:
                outcome.out.append(format_check_text(report))
            elif problems:
                outcome.out += [p.format() for p in problems]
        emit(outcome)
        worst = max(worst, outcome.code)
    if fmt == "json":
        click.echo(json.dumps(envelope(files), ensure_ascii=False, indent=2))
    ctx.exit(worst)


def declares_planforge(path: Path) -> bool:
    """Tell whether a file is a planforge spec: a top-level ``planforge:`` key in its text.

    A file that cannot be read counts as a spec, so that its error is reported, not hidden.
    """
    import re

    import os
    import stat

    try:
        # Without blocking, and only the head of a regular file: a FIFO or /dev/zero given as a
        # spec must reach the loader's clear refusal, not hang here or fill the memory.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return True
            head = fh.read(65536).decode("utf-8", "replace")
    except OSError:
        return True
    return re.search(r"^planforge\s*:", head, re.MULTILINE) is not None


@main.command()
@SPECS
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("out"), show_default=True, help="Folder the documents are written to.")
@click.option("--template", metavar="PACK",
              help="Template pack: a name (see 'planforge templates list') or a folder. "
                   "Overrides the spec's meta.template.")
@click.option("--to", "formats", default=None, metavar="LIST",
              help="The files to write, comma-separated: pptx, docx, pdf (pdf needs "
                   "LibreOffice), xlsx (the figures as a workbook).  [default: pptx,docx]")
@click.option("--format", "old_formats", default=None, metavar="LIST", hidden=True,
              help="Deprecated spelling of --to (kept working).")
@click.option("--soffice", metavar="PATH", type=click.Path(dir_okay=False),
              help="The LibreOffice program for pdf (else $PLANFORGE_SOFFICE, PATH, and the "
                   "usual install folders of Windows, macOS and Linux).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Build this many specs in parallel processes.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@click.option("--watch", is_flag=True,
              help="Stay running: rebuild when a spec, its images or its pack change.")
@table_options
@click.pass_context
def build(ctx: click.Context, specs: tuple[Path, ...], out_dir: Path, template: str | None,
          formats: str | None, old_formats: str | None, soffice: str | None, jobs: int,
          quiet: bool, watch: bool, rules: Path | None, calendar: Path | None) -> None:
    """Build the deck (SPEC stem.pptx) and the plan (.docx) of each of SPECS into --out."""
    import os

    from planforge.cli.batch import BuildJob, run_batch

    if old_formats is not None:
        if formats is not None:
            raise click.UsageError(_("give --to only (--format is its old spelling)"))
        # --format meant "which files" here but "how to print" on check: --to says what it is.
        click.echo(_("planforge: build --format is deprecated; write --to {value}").format(
            value=old_formats), err=True)
        formats = old_formats
    formats = formats or "pptx,docx"
    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    bad = [f for f in wanted if f not in ("pptx", "docx", "pdf", "xlsx")]
    if bad or not wanted:
        raise click.BadParameter(_("unknown format {names}; choose from pptx, docx, pdf, xlsx").format(
            names=", ".join(bad) or _("(none)")), param_hint="--to")
    if soffice:
        os.environ["PLANFORGE_SOFFICE"] = soffice  # worker processes of --jobs see it too
    jobs_list = [BuildJob(spec, out_dir, template, tuple(wanted), ctx.obj["debug"], rules, calendar)
                 for spec in specs]
    if watch:
        from planforge.cli.watch import watch as watch_specs

        ctx.exit(watch_specs(jobs_list))
    ctx.exit(run_batch(jobs_list, jobs=jobs, quiet=quiet))


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--locale", type=click.Choice(["zh-CN", "en"]), default=None,
              help="Language of the starter spec (asked in a terminal; default zh-CN).")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.pass_context
def init(ctx: click.Context, path: Path | None, locale: str | None, force: bool) -> None:
    """Write a commented starter spec to PATH (default: brand.yaml).

    In a terminal it asks for the brand, the company, the plan year and the annual GMV.
    """
    from planforge.cli.initcmd import run_init

    result, outcome = run_guarded(run_init, path, locale, force, debug=ctx.obj["debug"])
    outcome = result if result is not None else outcome
    emit(outcome)
    ctx.exit(outcome.code)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the spec format."""
    from planforge.resources import schema_file

    click.echo(schema_file().read_text(encoding="utf-8").rstrip())


from planforge.cli.templates import templates  # noqa: E402  (registered after main exists)

main.add_command(templates)


from planforge.serve.command import serve  # noqa: E402

main.add_command(serve)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
