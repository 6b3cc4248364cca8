"""Check the images a spec points at: inside the spec's folder, present, and really PNG or JPEG."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from planforge.errors import Problem
from planforge.loader import Spec

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
# Formats people export by mistake, named so the message can say what the file really is.
_OTHER = [(b"GIF8", "a GIF image"), (b"BM", "a BMP image"), (b"II*\x00", "a TIFF image"),
          (b"MM\x00*", "a TIFF image"), (b"%PDF", "a PDF document"), (b"<svg", "an SVG drawing"),
          (b"<?xml", "an XML (perhaps SVG) file"), (b"PK\x03\x04", "a ZIP archive")]


def image_problem(spec: Spec, path: tuple, value: str) -> Problem | None:
    """Return what is wrong with the image path ``value`` (given at ``path``), or None."""
    def bad(text: str) -> Problem:
        return spec.problem(path, text, code="PF138")

    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() \
            or PureWindowsPath(value).drive:
        return bad(f"'{value}' is an absolute path; give the image's path relative to the "
                   "spec file's folder, such as assets/logo.png")
    if "\\" in value:
        return bad(f"'{value}' uses backslashes; write the path with forward slashes, "
                   f"such as {value.replace(chr(92), '/')}")
    base = spec.path.parent.resolve()
    target = (base / value).resolve()
    if not target.is_relative_to(base):
        return bad(f"'{value}' points outside the spec file's folder; keep images in that "
                   "folder or below it (no '..' that climbs out, no link leading out)")
    if not target.exists():
        return bad(f"image not found: '{value}' (looked for it relative to the spec file's folder)")
    if not target.is_file():
        return bad(f"'{value}' is a folder, not an image file")
    try:
        with target.open("rb") as fh:
            head = fh.read(16)
    except OSError as e:
        return bad(f"'{value}' cannot be read ({e.strerror or e})")
    if head.startswith((_PNG, _JPEG)):
        return None
    what = _sniff(head)
    return bad(f"'{value}' is {what}, not a PNG or JPEG image; save it as PNG or JPEG")


def _sniff(head: bytes) -> str:
    if not head:
        return "an empty file"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:8] == b"ftyp":
        return "a HEIC/AVIF image" if head[8:12] in (b"heic", b"heix", b"avif", b"mif1") \
            else "a video or HEIC file"
    for magic, name in _OTHER:
        if head.lstrip().startswith(magic):
            return name
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 3:  # not just a character cut at the end of the sample
            return "not an image planforge can read"
    return "a text file"
