"""Check the images a spec points at: inside the spec's folder, present, and really PNG or JPEG."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from planforge.errors import Problem
from planforge.i18n import N_, _
from planforge.loader import Spec

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
# Formats people export by mistake, named so the message can say what the file really is.
_OTHER = [(b"GIF8", N_("a GIF image")), (b"BM", N_("a BMP image")),
          (b"II*\x00", N_("a TIFF image")), (b"MM\x00*", N_("a TIFF image")),
          (b"%PDF", N_("a PDF document")), (b"<svg", N_("an SVG drawing")),
          (b"<?xml", N_("an XML (perhaps SVG) file")), (b"PK\x03\x04", N_("a ZIP archive"))]


def image_problem(spec: Spec, path: tuple, value: str) -> Problem | None:
    """Return what is wrong with the image path ``value`` (given at ``path``), or None."""
    def bad(text: str, code: str = "PF138") -> Problem:
        return spec.problem(path, text, code=code)

    if "\x00" in value or any(ord(ch) < 32 for ch in value):
        return bad(_("{value} holds a control character (such as NUL); give the image's path "
                     "as plain text, such as assets/logo.png").format(value=repr(value)), "PF505")
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() \
            or PureWindowsPath(value).drive:
        return bad(_("'{value}' is an absolute path; give the image's path relative to the "
                     "spec file's folder, such as assets/logo.png").format(value=value))
    if "\\" in value:
        return bad(_("'{value}' uses backslashes; write the path with forward slashes, "
                     "such as {fixed}").format(value=value, fixed=value.replace(chr(92), "/")))
    base = spec.path.parent.resolve()
    target = (base / value).resolve()
    if not target.is_relative_to(base):
        return bad(_("'{value}' points outside the spec file's folder; keep images in that "
                     "folder or below it (no '..' that climbs out, no link leading out)").format(
                         value=value))
    if not target.exists():
        return bad(_("image not found: '{value}' (looked for it relative to the spec file's "
                     "folder)").format(value=value))
    if not target.is_file():
        return bad(_("'{value}' is a folder, not an image file").format(value=value))
    try:
        with target.open("rb") as fh:
            head = fh.read(16)
    except OSError as e:
        return bad(_("'{value}' cannot be read ({reason})").format(value=value,
                                                                    reason=e.strerror or e))
    if head.startswith((_PNG, _JPEG)):
        # Decoded once here, so a damaged, CMYK or oversized picture is reported with its line
        # (the documents use the same check when they embed it).
        from planforge.render.assets import image_problem as decoding_problem

        problem = decoding_problem(target)
        return bad(_("the image '{value}' {problem}").format(value=value, problem=problem),
                   "PF506") if problem else None
    what = _sniff(head)
    return bad(_("'{value}' is {what}, not a PNG or JPEG image; save it as PNG or JPEG").format(
        value=value, what=_(what)))


def _sniff(head: bytes) -> str:
    if not head:
        return N_("an empty file")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return N_("a WebP image")
    if head[4:8] == b"ftyp":
        return N_("a HEIC/AVIF image") if head[8:12] in (b"heic", b"heix", b"avif", b"mif1") \
            else N_("a video or HEIC file")
    for magic, name in _OTHER:
        if head.lstrip().startswith(magic):
            return name
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 3:  # not just a character cut at the end of the sample
            return N_("not an image planforge can read")
    return N_("a text file")
