"""Template packs: find one by name or path, read its manifest and its locale labels.

A pack is a folder with ``pack.yaml`` (name, description, version, locales, files, theme), the
deck and plan templates it names, and ``locales/<locale>/*.yaml`` label files. Packs are found
by path, or by name among the user's packs (``$PLANFORGE_TEMPLATES``, then
``~/.planforge/templates``) and the built-in ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from planforge.caches import memo
from planforge.errors import SpecError, TemplateError
from planforge.i18n import _
from planforge.resources import templates_dir

MANIFEST = "pack.yaml"
DEFAULT_PACK = "default"


@dataclass(frozen=True)
class Pack:
    """A template pack on disk, with its manifest read."""

    name: str
    root: Path
    description: str = ""
    version: str = ""
    locales: tuple[str, ...] = ()
    files: dict = field(default_factory=dict, hash=False, compare=False)
    theme: dict = field(default_factory=dict, hash=False, compare=False)
    origin: str = "path"  # "built-in" | "user" | "path"

    @property
    def deck_template(self) -> Path:
        return self.root / self.files.get("deck", "deck.pptx")

    @property
    def plan_template(self) -> Path:
        return self.root / self.files.get("plan", "plan.docx")

    def labels(self, locale: str) -> dict:
        """Return the merged label files of ``locale`` (TemplateError when the pack lacks it)."""
        return _labels(self.root, locale, self.locales)


def user_dirs() -> list[Path]:
    """Folders searched for user packs, first match wins."""
    dirs = [Path(p).expanduser() for p in os.environ.get("PLANFORGE_TEMPLATES", "").split(os.pathsep) if p]
    dirs.append(Path.home() / ".planforge" / "templates")
    return dirs


def available_packs(broken: list[str] | None = None) -> list[Pack]:
    """Every pack found by name: user packs first (they shadow built-ins of the same name).

    A folder with a manifest that cannot be read is left out; pass a list as ``broken`` to
    get one message per such folder.
    """
    seen: dict[str, Pack] = {}
    for origin, folder in [("user", d) for d in user_dirs()] + [("built-in", templates_dir())]:
        if not folder.is_dir():
            continue
        for child in sorted(folder.iterdir()):
            if (child / MANIFEST).is_file() and child.name not in seen:
                try:
                    seen[child.name] = read_pack(child, origin)
                except TemplateError as e:
                    if broken is not None:
                        broken.append(e.format())
    return list(seen.values())


def find_pack(ref: str | None = None, relative_to: Path | None = None) -> Pack:
    """Return the pack named or pointed at by ``ref`` (default pack when None).

    A ``ref`` containing a path separator, or naming an existing folder relative to
    ``relative_to`` (a spec's folder), is a path; otherwise it is a pack name.
    """
    ref = ref or DEFAULT_PACK
    as_path = Path(ref).expanduser()
    if not as_path.is_absolute() and relative_to is not None:
        as_path = relative_to / as_path
    looks_like_path = "/" in ref or os.sep in ref or ref.startswith(".")
    if looks_like_path or (as_path / MANIFEST).is_file():
        if not as_path.is_dir():
            raise TemplateError(_("template pack {ref}: no such folder ({path})").format(
                ref=repr(ref), path=as_path))
        return read_pack(as_path, "path")
    for origin, folder in [("user", d) for d in user_dirs()] + [("built-in", templates_dir())]:
        if (folder / ref / MANIFEST).is_file():
            return read_pack(folder / ref, origin)
    names = ", ".join(p.name for p in available_packs()) or _("none")
    raise TemplateError(_("no template pack named {ref} (available: {names}; or give the path "
                          "of a pack folder)").format(ref=repr(ref), names=names))


@memo(32)
def read_pack(root: Path, origin: str = "path") -> Pack:
    """Read and check the manifest of the pack folder ``root``."""
    from planforge.loader import load_spec

    from planforge.packguard import check_pack, check_template_parts

    manifest = root / MANIFEST
    if not manifest.is_file():
        raise TemplateError(_("{root}: not a template pack (no {manifest})").format(
            root=root, manifest=MANIFEST))
    # Nothing is read before the pack is known to stay in its folder (planforge.packguard).
    check_pack(root, {})
    try:
        data = load_spec(manifest).data
    except SpecError as e:
        raise TemplateError(e.format() or e.message) from None
    if not isinstance(data, dict):
        raise TemplateError(_("{manifest}: a pack manifest is a mapping (name:, locales:, "
                              "files:)").format(manifest=manifest))
    problems = []
    for key in ("name", "locales", "files"):
        if key not in data:
            problems.append(_("{manifest}: missing '{key}'").format(manifest=manifest, key=key))
    files = data.get("files") or {}
    if not isinstance(files, dict):
        problems.append(_("{manifest}: 'files' must map deck/plan to file names").format(
            manifest=manifest))
        files = {}
    try:
        check_pack(root, files)
    except TemplateError as e:
        problems.append(e.message)
        files = {}
    for kind in ("deck", "plan"):
        name = files.get(kind)
        if name and not (root / name).is_file():
            problems.append(_("{manifest}: files.{kind} names {name}, which is not in the "
                              "pack").format(manifest=manifest, kind=kind, name=repr(name)))
    for key in ("name", "description", "version"):
        if isinstance(data.get(key), (dict, list)):
            problems.append(_("{manifest}: '{key}' must be text").format(manifest=manifest, key=key))
    theme = data.get("theme") or {}
    if not isinstance(theme, dict):
        problems.append(_("{manifest}: 'theme' must be a mapping (colors:, fonts:)").format(
            manifest=manifest))
        theme = {}
    locales = data.get("locales") or []
    if not isinstance(locales, list) or not all(isinstance(x, str) for x in locales):
        problems.append(_("{manifest}: 'locales' must be a list such as [zh-CN, en]").format(
            manifest=manifest))
        locales = []
    if problems:
        raise TemplateError("\n".join(problems))
    pack = Pack(
        name=str(data["name"]), root=root, description=str(data.get("description") or ""),
        version=str(data.get("version") or ""), locales=tuple(locales), files=dict(files),
        theme=dict(theme), origin=origin,
    )
    for template in (pack.deck_template, pack.plan_template):
        if template.is_file():
            check_template_parts(template)
    return pack


@memo(32)
def _labels(root: Path, locale: str, locales: tuple[str, ...]) -> dict:
    from planforge.loader import load_spec

    folder = root / "locales" / locale
    if locale not in locales or not folder.is_dir():
        raise TemplateError(_("template pack {pack} has no labels for locale {locale} (it has: "
                              "{locales})").format(pack=repr(root.name), locale=repr(locale),
                                                   locales=", ".join(locales) or _("none")))
    from planforge.packguard import inside

    merged: dict = {}
    for path in sorted(folder.glob("*.yaml")):
        if not inside(root, path):  # read_pack refused links out; a pack changed since then
            raise TemplateError(_("{path}: a link that leads out of the template pack").format(
                path=path))
        try:
            data = load_spec(path).data
        except SpecError as e:
            raise TemplateError(e.format() or e.message) from None
        if not isinstance(data, dict):
            raise TemplateError(_("{path}: a label file is a mapping of names to labels").format(
                path=path))
        merged.update(data)
    return merged


# -- label keys and a spec's own wording (meta.labels) ----------------------------------------

def label_keys(labels: dict, prefix: str = "") -> dict[str, str]:
    """Map the dotted key of every text label (``deck.contents``, ``months.0``) to its text."""
    out: dict[str, str] = {}
    items = labels.items() if isinstance(labels, dict) else enumerate(labels)
    for key, value in items:
        dotted = f"{prefix}{key}"
        if isinstance(value, (dict, list)):
            out.update(label_keys(value, dotted + "."))
        else:
            out[dotted] = "" if value is None else str(value)
    return out


def override_labels(labels: dict, plan, pack: Pack) -> dict:
    """Return ``labels`` with the spec's ``meta.labels`` put in; every key must be a pack label.

    Raises SpecError naming each key the pack has no text label for (PF400), with the key's
    line in the spec and the nearest label key the pack does have.
    """
    from copy import deepcopy

    from planforge.errors import Problem
    from planforge.validation.messages import suggest

    overrides = plan.meta.labels
    if not overrides:
        return labels
    known = label_keys(labels)
    problems = []
    for key in overrides:
        if key in known:
            continue
        line, col, source = plan.meta.label_sites.get(key, (0, 0, ""))
        groups = sorted(k for k in known if k.startswith(key + "."))
        if groups:
            text = _("'{key}' is a group of labels, not one label; name one of them: "
                     "{names}").format(
                         key=key, names=", ".join(groups[:6]) + (" ..." if len(groups) > 6 else ""))
            hint = groups[0]
        else:
            hint = suggest(key, list(known)) or ""
            text = _("the template pack '{pack}' has no label '{key}'").format(pack=pack.name,
                                                                             key=key)
            text += _(" — did you mean '{hint}'?").format(hint=hint) if hint else \
                _(" (run 'planforge templates fields SPEC' to see the label keys)")
        problems.append(Problem(str(plan.source), line, col, f"$.meta.labels['{key}']", text,
                                source=source, code="PF400", hint=hint))
    if problems:
        raise SpecError(problems=problems)
    merged = deepcopy(labels)
    for key, text in overrides.items():
        *parents, last = key.split(".")
        node = merged
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = text
        else:
            node[last] = text
    return merged
