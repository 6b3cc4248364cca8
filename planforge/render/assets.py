"""One rule for every image a document embeds: where it may be, and what it must be.

The deck's ``image:<expr>`` shapes and the plan's ``picture`` filter both resolve their path
here: a path (relative, or absolute) names a file inside the spec's folder or the template
pack's folder, after symbolic links are followed; anything else is refused with the same
message in both documents. The file must be a PNG or JPEG that decodes completely, in RGB or
greyscale, and of a sane size (``image_problem``); the spec's own images are checked with the
same function when the spec is validated, so a broken picture is reported with its spec line.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from planforge.caches import memo
from planforge.errors import AssetError, TemplateError
from planforge.i18n import N_, _

__all__ = ["MAX_IMAGE_BYTES", "MAX_PIXELS", "image_problem", "resolve_asset"]

#: The largest image file embedded, in bytes.
MAX_IMAGE_BYTES = 50 * 1024 * 1024
#: The most pixels an embedded image may have (a 8000 x 5000 photo); more is a decompression bomb.
MAX_PIXELS = 40_000_000
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


def resolve_asset(value: Any, spec_dir: Path | None, pack_dir: Path | None, where: str) -> Path:
    """Return the image file *value* names, inside the spec's or the pack's folder.

    Raises TemplateError when *value* is not a path (a template bug) and AssetError when it
    leads outside both folders, names no file, or names a file that is not a usable image.
    """
    if not isinstance(value, str):
        raise TemplateError(_("{where}: expected an image path (text), got {type}").format(
            where=where, type=type(value).__name__))
    if "\x00" in value:
        raise AssetError(_("{where}: the image path {path} holds a NUL character").format(
            where=where, path=repr(value)))
    roots = [Path(r) for r in (spec_dir, pack_dir) if r]
    inside = []
    for root in roots:
        try:
            base = root.resolve()
            path = (base / value).resolve()
        except (OSError, RuntimeError, ValueError):  # a link loop, a name too long
            continue
        if path.is_relative_to(base):
            inside.append(path)
            if path.exists():
                break
    else:
        if not inside:
            raise AssetError(_("{where}: the image path {path} leads outside the spec's folder "
                               "and the template pack's folder; images must be inside one of "
                               "them").format(where=where, path=repr(value)))
        raise AssetError(_("{where}: image not found: {path} (looked in the spec's folder and "
                           "the template pack's folder)").format(where=where, path=repr(value)))
    problem = image_problem(path)
    if problem:
        raise AssetError(_("{where}: the image {path} {problem}").format(
            where=where, path=repr(value), problem=problem))
    return path


def image_problem(path: Path) -> str | None:
    """Say what makes the file at *path* unfit to embed (None: a good PNG or JPEG).

    The answer completes the sentence "the image 'x.png' ...".
    """
    try:
        st = path.stat()
    except OSError as exc:
        return _("cannot be read ({reason})").format(reason=exc.strerror or exc)
    found = _problem(str(path), st.st_size, st.st_mtime_ns, st.st_mode)
    # Remembered untranslated (the cache outlives a change of language), said in the current one.
    return None if found is None else _(found[0]).format(**found[1])


@memo(256)
def _problem(path: str, size: int, mtime: int, mode: int) -> tuple[str, dict] | None:
    import stat

    if not stat.S_ISREG(mode):
        return N_("is not a regular file"), {}
    if size > MAX_IMAGE_BYTES:
        return N_("is {size} bytes; an image may be at most {limit}"), {
            "size": f"{size:,}", "limit": f"{MAX_IMAGE_BYTES:,}"}
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return N_("cannot be read ({reason})"), {"reason": exc.strerror or exc}
    if not head.startswith((_PNG, _JPEG)):
        return N_("is not a PNG or JPEG image"), {}
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:
                    return N_("has {width} x {height} pixels; an image may have at most "
                              "{limit} million (save a smaller copy)"), {
                        "width": width, "height": height, "limit": MAX_PIXELS // 1_000_000}
                if im.mode == "CMYK":
                    return N_("is a CMYK JPEG, which Word and many viewers show with wrong "
                              "colours or refuse; save it as RGB"), {}
                if im.format not in ("PNG", "JPEG"):
                    return N_("is not a PNG or JPEG image"), {}
                im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return N_("has more pixels than planforge decodes ({limit} million at most): it looks "
                  "like a decompression bomb"), {"limit": MAX_PIXELS // 1_000_000}
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's errors for damaged files
        reason = str(exc).rstrip(".") or type(exc).__name__
        return N_("is damaged or cut short ({reason})"), {"reason": reason}
    except Exception as exc:  # a decoder bug on a hostile file: still only a bad image
        return N_("cannot be decoded ({type})"), {"type": type(exc).__name__}
    return None


def pack_folder(template: Path) -> Path:
    """The pack folder of a template file (or the folder given itself)."""
    template = Path(template)
    return template if template.is_dir() else template.parent

