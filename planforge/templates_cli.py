"""``planforge templates``: list the packs, copy one to restyle, check one."""

from __future__ import annotations

import shutil
from pathlib import Path

import click


@click.group()
def templates() -> None:
    """Template packs: list them, copy one to restyle in PowerPoint and Word, check one."""


@templates.command("list")
def list_packs() -> None:
    """List the packs found by name: your own first, then the built-in ones."""
    from planforge.packs import available_packs, user_dirs

    packs = available_packs()
    width = max((len(p.name) for p in packs), default=4)
    for p in packs:
        click.echo(f"{p.name:<{width}}  {p.description}")
        click.echo(f"{'':<{width}}  locales: {', '.join(p.locales)}; {p.origin}: {p.root}")
    click.echo("\nYour packs are looked for in: " + ", ".join(str(d) for d in user_dirs()), err=True)


@templates.command("new")
@click.argument("name")
@click.option("--from", "source", default="default", show_default=True, metavar="PACK",
              help="The pack to copy (a name or a folder).")
@click.pass_context
def new_pack(ctx: click.Context, name: str, source: str) -> None:
    """Copy a pack into ./NAME, ready to restyle in PowerPoint and Word."""
    from planforge.cli import emit, run_guarded

    result, outcome = run_guarded(copy_pack, name, source, debug=ctx.find_root().obj["debug"])
    if result is not None:
        outcome.out.append(f"copied pack '{source}' to {result}/ — open {result}/deck.pptx in "
                           f"PowerPoint and {result}/plan.docx in Word, then build with "
                           f"--template {result}")
    emit(outcome)
    ctx.exit(outcome.code)


def copy_pack(name: str, source: str) -> Path:
    """Copy pack ``source`` to the folder ``name`` and rename it in its manifest."""
    from planforge.errors import OutputError
    from planforge.packs import MANIFEST, find_pack

    target = Path(name)
    if target.exists():
        raise OutputError(f"{target}: already exists; choose another name")
    pack = find_pack(source)
    shutil.copytree(pack.root, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    manifest = target / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    lines = [f"name: {target.name}" if ln.startswith("name:") else ln for ln in text.splitlines()]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
