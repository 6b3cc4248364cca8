"""Serialize a python-pptx or python-docx package without compressing it.

The renderers hand their documents to ``planforge.write.normalize_ooxml``, which rewrites the
zip with fixed times and order and compresses every entry. Compressing here as well (what
``Presentation.save`` and ``Document.save`` do) would only be undone there, so the renderers
write the same entries uncompressed, with fixed entry times: equal input still gives equal bytes.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

__all__ = ["docx_bytes", "pptx_bytes", "release"]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class _StoredZip:
    """Stands in for python-pptx's and python-docx's zip writers, without compression."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_STORED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=_ZIP_DATE)
        entry.external_attr = 0o644 << 16
        self.zip.writestr(entry, blob)

    def close(self) -> bytes:
        self.zip.close()
        return self.buffer.getvalue()


def pptx_bytes(prs: Any) -> bytes:
    """Return the .pptx of presentation *prs*: the entries ``Presentation.save`` writes."""
    from pptx.opc.serialized import PackageWriter

    package = prs.part.package
    target = _StoredZip()
    writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
    writer._write_content_types_stream(target)
    writer._write_pkg_rels(target)
    writer._write_parts(target)
    return target.close()


def docx_bytes(document: Any) -> bytes:
    """Return the .docx of *document*: the entries ``Document.save`` writes."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    target = _StoredZip()
    parts = package.parts
    PackageWriter._write_content_types_stream(target, parts)
    PackageWriter._write_pkg_rels(target, package.rels)
    PackageWriter._write_parts(target, parts)
    return target.close()


def release(package: Any) -> None:
    """Take a package written out apart, so that its memory is freed now.

    Parts and their package refer to each other; left as they are, a document (tens of MB of
    XML for a big deck) stays in memory until Python's cycle collector runs.
    """
    parts = list(package.iter_parts())
    for part in parts:
        part.__dict__.clear()
    package.__dict__.clear()
