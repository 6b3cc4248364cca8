"""Images at the size their frame needs: a 4.8 MB camera JPEG in a 6 cm box becomes ~100 KB.

A picture is printed at most at its frame's size, so pixels beyond about twice what the frame
shows at screen resolution (``PIXELS_PER_INCH``, 192 px per inch: sharp on a high-density screen
and in print) only make the document heavy. :func:`fitted` returns the image downscaled to that,
recompressed (JPEG quality 85; PNG kept PNG, transparency and all), with its EXIF rotation
applied, and the same bytes for the same input every time. An image already small enough is
returned as it is.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from planforge.caches import memo

#: Pixels per inch of frame kept: twice the 96 px/inch of a screen at 100%.
PIXELS_PER_INCH = 192
#: An image is left as it is unless it has this much more than it needs (no loss for a little).
SLACK = 1.25
EMU_PER_INCH = 914_400
JPEG_QUALITY = 85


def target_pixels(frame_w_emu: int, frame_h_emu: int) -> tuple[int, int]:
    """The pixels a frame of that size (EMU) needs."""
    return (
        max(1, math.ceil(frame_w_emu / EMU_PER_INCH * PIXELS_PER_INCH)),
        max(1, math.ceil(frame_h_emu / EMU_PER_INCH * PIXELS_PER_INCH)),
    )


def oriented_size(path: str | Path) -> tuple[int, int]:
    """(width, height) in pixels as the image is shown: after its EXIF rotation."""
    from PIL import Image

    with Image.open(path) as im:
        w, h = im.size
        return (h, w) if _exif_rotation(im) in (5, 6, 7, 8) else (w, h)


def fitted(path: str | Path, frame_w_emu: int, frame_h_emu: int) -> io.BytesIO | Path:
    """The image at *path* for a frame of that size: *path* itself, or smaller bytes."""
    path = Path(path)
    stat = path.stat()
    data = _fitted(
        str(path), stat.st_size, stat.st_mtime_ns, *target_pixels(frame_w_emu, frame_h_emu)
    )
    return path if data is None else io.BytesIO(data)


@memo(maxsize=64)
def _fitted(path: str, size: int, mtime: int, want_w: int, want_h: int) -> bytes | None:
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        fmt = im.format
        orientation = _exif_rotation(im)
        rotated = orientation not in (None, 1)
        swap = orientation in (5, 6, 7, 8)
        shown_w, shown_h = (im.size[1], im.size[0]) if swap else im.size
        # Cover the frame's pixels in both directions (the frame keeps the image's aspect).
        scale = max(want_w / shown_w, want_h / shown_h)
        if scale * SLACK >= 1 and not rotated:
            return None
        scale = min(scale, 1.0)
        target = (max(1, round(shown_w * scale)), max(1, round(shown_h * scale)))
        if fmt == "JPEG" and scale < 1:
            # Let the JPEG decoder scale by 1/2, 1/4 or 1/8 while decoding (never below the
            # pixels wanted): many times faster than decoding 12 million pixels to drop most.
            im.draft("RGB", (target[1], target[0]) if swap else target)
        im = ImageOps.exif_transpose(im)
        if im.mode not in ("RGBA", "LA", "RGB", "L"):  # palette, 16-bit, 1-bit: resample in RGB(A)
            im = im.convert("RGBA" if fmt == "PNG" and _has_alpha(im) else "RGB")
        if im.size != target:
            im = im.resize(target, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if fmt == "PNG":
            im.save(out, "PNG", optimize=True)
        else:
            if im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            im.save(
                out,
                "JPEG",
                quality=JPEG_QUALITY,
                optimize=True,
                progressive=False,
                subsampling="4:2:0",
            )
    data = out.getvalue()
    if not rotated and len(data) >= size:  # recompressing gained nothing: keep the original
        return None
    return data


def _has_alpha(im) -> bool:  # type: ignore[no-untyped-def]
    return im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info


def _exif_rotation(im) -> int | None:  # type: ignore[no-untyped-def]
    try:
        return im.getexif().get(0x0112)
    except Exception:  # a damaged EXIF block: leave the image as it is
        return None
