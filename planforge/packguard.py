"""A pack stays in its folder: no link out of it, no file named outside it, no external parts.

A template pack is a stranger's folder. Before planforge reads anything of it, ``check_pack``
makes sure that every file in it (the manifest, the templates, the label files, whatever else)
is inside the folder once symbolic links are followed, and that the deck and plan templates
carry no external relationship that would make the built document fetch something when it is
opened: a linked picture or an attached template on a web server or a file share
(``TargetMode="External"``), or anything at a ``file:`` address. Plain web and mail hyperlinks
(``https:``, ``http:``, ``mailto:``) are fine. Messages name the pack file and never quote the
content of what a link points at.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from planforge.errors import TemplateError
from planforge.i18n import _

__all__ = ["check_pack", "inside", "MAX_PACK_FILES"]

#: The most files a pack folder may hold (a pack has about ten).
MAX_PACK_FILES = 2_000
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_SAFE_LINK = re.compile(r"(?i)^(https?:|mailto:|#)")
_REL = re.compile(rb"<Relationship\b[^>]*>", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def inside(root: Path, path: Path) -> bool:
    """Whether *path*, links followed, is inside the folder *root* (links followed too)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # a link loop, a name too long
        return False


def check_pack(root: Path, files: dict) -> None:
    """Raise TemplateError when the pack at *root* reaches outside its folder (module doc)."""
    problems: list[str] = []
    real = root.resolve()
    count = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        for name in sorted(dirs + names):
            count += 1
            path = Path(folder) / name
            if path.is_symlink() and not inside(real, path):
                problems.append(_("{path}: a link that leads out of the template pack; a "
                                  "pack's files must be inside its folder (copy the file in "
                                  "instead)").format(path=path))
        # Walk into linked folders only when they stay inside (checked above).
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
        if count > MAX_PACK_FILES:
            raise TemplateError(_("{root}: the template pack holds more than {limit} files; a "
                                  "pack is a manifest, two templates and label files").format(
                                      root=root, limit=f"{MAX_PACK_FILES:,}"))
    for kind in ("deck", "plan"):
        name = files.get(kind)
        if name is None:
            continue
        if not isinstance(name, str) or not name.strip():
            problems.append(_("{manifest}: files.{kind} must be a file name such as "
                              "{example}").format(
                                  manifest=root / "pack.yaml", kind=kind,
                                  example=f"{kind}.{'pptx' if kind == 'deck' else 'docx'}"))
            continue
        if "\x00" in name or os.path.isabs(name) or not inside(real, real / name):
            problems.append(_("{manifest}: files.{kind} names {name}, which is outside the "
                              "pack's folder; a pack's files must be inside it").format(
                                  manifest=root / "pack.yaml", kind=kind, name=repr(name)))
    if problems:
        raise TemplateError("\n".join(dict.fromkeys(problems)))


def check_template_parts(template: Path) -> None:
    """Raise TemplateError when the .pptx/.docx *template* has an external relationship."""
    try:
        with zipfile.ZipFile(template) as z:
            parts = [(n, z.read(n)) for n in z.namelist()
                     if n.endswith(".rels") and z.getinfo(n).file_size < 10_000_000]
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return  # not a zip: the renderer says what is wrong with it
    problems = []
    for name, xml in parts:
        for rel in _REL.findall(xml):
            attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(rel)}
            target = attrs.get("Target", "")
            external = attrs.get("TargetMode", "") == "External"
            if target.lower().startswith("file:") or (
                    external and not (attrs.get("Type") == _HYPERLINK and _SAFE_LINK.match(target))):
                kind = attrs.get("Type", "").rsplit("/", 1)[-1] or "relationship"
                shown = target if len(target) <= 80 else target[:77] + "..."
                problems.append(_("{template} ({part}): an external {kind} to {target}; a "
                                  "pack's documents may not fetch anything from outside when "
                                  "opened (embed the file instead)").format(
                                      template=template, part=name, kind=kind,
                                      target=repr(shown)))
    if problems:
        raise TemplateError("\n".join(problems))
