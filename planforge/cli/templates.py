"""``planforge templates``: list the packs, copy one to restyle, check one."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from planforge.i18n import N_, _, ngettext


@click.group()
def templates() -> None:
    """Template packs: list them, copy one to restyle in PowerPoint and Word, check one."""


@templates.command("list")
def list_packs() -> None:
    """List the packs found by name: your own first, then the built-in ones."""
    from planforge.packs import available_packs, user_dirs

    broken: list[str] = []
    packs = available_packs(broken)
    width = max((len(p.name) for p in packs), default=4)
    for p in packs:
        click.echo(f"{p.name:<{width}}  {p.description}")
        click.echo(f"{'':<{width}}  " + _("locales: {locales}; {origin}: {root}").format(
            locales=", ".join(p.locales), origin=_(ORIGINS.get(p.origin, p.origin)), root=p.root))
    folders = ", ".join(str(d) for d in user_dirs())
    click.echo("\n" + _("Your packs are looked for in: {folders}").format(folders=folders),
               err=True)
    for message in broken:
        click.echo(_("skipped a pack that cannot be read: {message}").format(message=message),
                   err=True)


#: Where a pack was found, as ``templates list`` says it.
ORIGINS = {"user": N_("user"), "built-in": N_("built-in"), "path": N_("path")}


@templates.command("new")
@click.argument("name")
@click.option("--from", "source", default="default", show_default=True, metavar="PACK",
              help="The pack to copy (a name or a folder).")
@click.option("--description", default=None, metavar="TEXT",
              help="The new pack's description, shown by 'templates list' "
                   "(default: says which pack it was copied from).")
@click.pass_context
def new_pack(ctx: click.Context, name: str, source: str, description: str | None) -> None:
    """Copy a pack into ./NAME, ready to restyle in PowerPoint and Word."""
    from planforge.cli.outcome import emit, run_guarded

    result, outcome = run_guarded(copy_pack, name, source, description,
                                  debug=ctx.find_root().obj["debug"])
    if result is not None:
        outcome.out.append(_("copied pack '{source}' to {folder}/ — open {folder}/deck.pptx in "
                             "PowerPoint and {folder}/plan.docx in Word, then build with "
                             "--template {folder}").format(source=source, folder=result))
    emit(outcome)
    ctx.exit(outcome.code)


def copy_pack(name: str, source: str, description: str | None = None) -> Path:
    """Copy pack ``source`` to the folder ``name``; its manifest gets its own name and description.

    The rest of the manifest (version, locales, files, theme) and its comments stay as they were.
    """
    from planforge.errors import OutputError
    from planforge.packs import MANIFEST, find_pack

    target = Path(name)
    if target.exists():
        raise OutputError(_("{target}: already exists; choose another name").format(target=target))
    pack = find_pack(source)
    if description is None:
        description = _("Your own pack '{name}', copied from the '{source}' pack.").format(
            name=target.name, source=pack.name)
    shutil.copytree(pack.root, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    manifest = target / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    own = {"name": _scalar(target.name), "description": _scalar(" ".join(description.split()))}
    lines = []
    for line in text.splitlines():
        key = line.split(":", 1)[0]
        if key in own and line.startswith(key + ":"):
            line = f"{key}: {own.pop(key)}"
        lines.append(line)
    lines[:0] = [f"{key}: {value}" for key, value in own.items()]  # a manifest that lacked them
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _scalar(text: str) -> str:
    """Write ``text`` as a YAML scalar: as is when YAML reads it back unchanged, else quoted."""
    import json

    import yaml

    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain = False
    return text if plain and "#" not in text else json.dumps(text, ensure_ascii=False)


@templates.command("fields")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--template", "template", default=None, metavar="PACK",
              help="The pack whose labels to show (default: the spec's meta.template, "
                   "else the default pack).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Aligned columns, or JSON for other programs.")
@click.pass_context
def fields_cmd(ctx: click.Context, spec: Path, template: str | None, fmt: str) -> None:
    """List every name a template can use with SPEC, its type and SPEC's value.

    Names are written the way a tag writes them (brand.name, products[0].price,
    labels.deck.contents, x.agency for an x-agency field). A list shows how many items it
    has, then its first item; a section SPEC lacks still shows its fields, with no value.
    """
    import json

    from planforge.cli.outcome import emit, run_guarded
    from planforge.fields import as_text, template_fields

    rows, outcome = run_guarded(template_fields, spec, template,
                                debug=ctx.find_root().obj["debug"])
    if rows is not None:
        if fmt == "json":
            outcome.out.append(json.dumps([r.to_dict() for r in rows], ensure_ascii=False,
                                          indent=2))
        else:
            outcome.out += as_text(rows)
    emit(outcome)
    ctx.exit(outcome.code)


@templates.command("check")
@click.argument("pack", metavar="PACK")
@click.pass_context
def check_pack_cmd(ctx: click.Context, pack: str) -> None:
    """Check a pack: every tag, then a real render.

    PACK is a pack name or folder, as build's --template takes it. Every tag of its deck and
    plan is read, then the pack is built from planforge's example specs and from its coverage
    specs, which fill every optional field and use every value the schema lists. Each unknown
    name, syntax error and unsafe construct is reported with its file, slide and shape (deck)
    or paragraph (plan), and the tag; a failure only a coverage spec meets names that spec.
    Exits 1 when there is any.
    """
    from planforge.cli.outcome import EXIT_INPUT, emit, run_guarded
    from planforge.packcheck import run_check

    result, outcome = run_guarded(run_check, pack, debug=ctx.find_root().obj["debug"])
    if result is not None:
        p = result.pack
        outcome.out.append(_("pack '{name}' ({root}): {deck}, {plan}; locales {locales}").format(
            name=p.name, root=p.root, deck=p.deck_template.name, plan=p.plan_template.name,
            locales=", ".join(p.locales)))
        for spec in result.rendered:
            outcome.out.append("  " + _("rendered with {spec}").format(spec=spec))
        for spec in result.skipped:
            outcome.out.append("  " + _("skipped {spec}: the pack has no labels for that "
                                        "locale").format(spec=spec))
        outcome.out += result.problems
        outcome.out += [_("warning: {message}").format(message=w) for w in result.warnings]
        count = len(result.problems)
        outcome.out.append(ngettext("{count} problem", "{count} problems", count).format(
            count=count) if count else _("no problems found"))
        outcome.code = EXIT_INPUT if count else outcome.code
    emit(outcome)
    ctx.exit(outcome.code)
