"""Write a pack binary a generator made, never over a hand edit.

The shipped packs' ``.pptx``/``.docx`` are the source a consultant edits in PowerPoint and Word.
A generator in ``tools/`` stamps what it writes: the zip's comment holds a digest of every
entry. A file whose entries still match its stamp is the generator's own output, and is
replaced; a file without a stamp, or whose entries changed (PowerPoint and Word rewrite the
whole zip and drop the comment), was edited by hand, and the generator refuses to overwrite it
unless given ``--force``.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

_STAMP = b"planforge-generated sha256:"


def _digest(archive: zipfile.ZipFile) -> str:
    h = hashlib.sha256()
    for name in sorted(archive.namelist()):
        data = archive.read(name)
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def stamped(data: bytes) -> bytes:
    """Return the zip *data* with its generator stamp as the zip comment."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.comment = _STAMP + _digest(source).encode()
    return out.getvalue()


def hand_edited(path: Path) -> bool:
    """Whether the file at *path* is not, or no longer, what a generator wrote."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return True
    with archive:
        comment = archive.comment
        if not comment.startswith(_STAMP):
            return True
        return comment[len(_STAMP):].decode("ascii", "replace") != _digest(archive)


def write_generated(target: Path, data: bytes, *, force: bool = False) -> bool:
    """Write the generated zip *data* (stamped) to *target*; return whether it changed.

    Raises SystemExit, naming the file, when *target* was edited by hand since a generator
    wrote it and *force* is not set.
    """
    data = stamped(data)
    if target.exists():
        if target.read_bytes() == data:
            return False
        if hand_edited(target) and not force:
            raise SystemExit(
                f"{target}: edited by hand since it was generated (or never generated); "
                "not overwriting it. Carry the edit over into the generator, or rerun with "
                "--force to replace it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)
    return True


def refuse_hand_edits(*targets: Path, force: bool = False) -> None:
    """Exit naming the first of *targets* edited by hand, unless *force*."""
    for target in targets:
        if target.exists() and hand_edited(target) and not force:
            raise SystemExit(
                f"{target}: edited by hand since it was generated (or never generated); "
                "not overwriting it. Carry the edit over into the generator, or rerun with "
                "--force to replace it.")


def force_flag(argv: list[str] | None = None) -> tuple[bool, list[str]]:
    """Split ``--force`` off the command line: (force, the other arguments)."""
    args = list(sys.argv[1:] if argv is None else argv)
    force = "--force" in args
    return force, [a for a in args if a != "--force"]
