"""A zip of a spec folder, unpacked into the request's own temporary folder, within limits.

A body is never trusted: sizes are bounded, and zip members may not leave the folder. Whatever goes wrong is a ``SpecError`` whose
message the page shows; the folder is removed when the request is done.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from planforge.errors import SpecError
from planforge.i18n import _


@dataclass(frozen=True)
class Limits:
    """What one request may send (documented in README)."""

    body_bytes: int = 20 * 1024 * 1024        # a YAML spec, a zip of a spec folder, an image
    zip_members: int = 500
    zip_unpacked_bytes: int = 60 * 1024 * 1024
    image_bytes: int = 10 * 1024 * 1024


ZIP_MAGIC = b"PK\x03\x04"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


def is_zip(body: bytes, content_type: str = "") -> bool:
    return body.startswith(ZIP_MAGIC) or "zip" in content_type


@contextmanager
def request_folder() -> Iterator[Path]:
    """A fresh temporary folder for one request, removed afterwards whatever happened."""
    tmp = tempfile.mkdtemp(prefix="planforge-serve-")
    try:
        yield Path(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def place_spec(body: bytes, content_type: str, folder: Path, *, name: str,
               source_dir: Path | None, limits: Limits) -> Path:
    """Write the request's spec into ``folder`` (a zip is unpacked); return the spec's path."""
    if is_zip(body, content_type):
        return _unzip(body, folder, limits)
    spec = folder / name
    spec.write_bytes(body)
    return spec


def _unzip(body: bytes, folder: Path, limits: Limits) -> Path:
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SpecError(_("the upload is not a readable zip file")) from None
    if len(members) > limits.zip_members:
        raise SpecError(_("the zip holds {count} entries; at most {limit} are accepted").format(
            count=len(members), limit=limits.zip_members))
    total = sum(m.file_size for m in members)
    if total > limits.zip_unpacked_bytes:
        raise SpecError(_("the zip unpacks to {size} bytes; at most {limit} are accepted").format(
            size=f"{total:,}", limit=f"{limits.zip_unpacked_bytes:,}"))
    specs = []
    for m in members:
        name = PurePosixPath(m.filename.replace("\\", "/"))
        if m.is_dir():
            continue
        if name.is_absolute() or ".." in name.parts or not name.parts:
            raise SpecError(_("the zip entry {name} would be written outside its folder").format(
                name=repr(m.filename)))
        target = folder.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with archive.open(m) as src, open(target, "wb") as dst:
            while chunk := src.read(1 << 16):
                written += len(chunk)
                if written > limits.zip_unpacked_bytes:
                    raise SpecError(_("the zip unpacks to more than it declares; refused"))
                dst.write(chunk)
        if name.suffix.lower() in (".yaml", ".yml") and not name.name.startswith("."):
            specs.append(name)
    if not specs:
        raise SpecError(_("the zip holds no spec (.yaml file)"))
    # The spec at the top of the folder, or the only one.
    specs.sort(key=lambda p: (len(p.parts), str(p)))
    return folder.joinpath(*specs[0].parts)
