"""Write outputs atomically and reproducibly.

Atomic: each file is written to a temporary file in the output folder and renamed over the
target, so a failed build leaves an earlier output as it was and no partial file behind.
Reproducible: OOXML zips get fixed entry times, a fixed entry order and fixed document dates,
so the same spec gives the same bytes on every run.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from planforge.errors import OutputError

_EPOCH_MIN = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


def build_time(spec_date: dt.date | None = None) -> dt.datetime:
    """The timestamp stamped into outputs: SOURCE_DATE_EPOCH, else the spec's date, else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return max(dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc), _EPOCH_MIN)
    if spec_date is not None:
        return max(dt.datetime(spec_date.year, spec_date.month, spec_date.day,
                               tzinfo=dt.timezone.utc), _EPOCH_MIN)
    return _EPOCH_MIN


def _core_xml(xml: bytes, when: dt.datetime, title: str | None, author: str | None) -> bytes:
    text = xml.decode("utf-8")
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for tag in ("dcterms:created", "dcterms:modified"):
        text = re.sub(rf"<{tag}\b[^>]*>[^<]*</{tag}>",
                      f'<{tag} xsi:type="dcterms:W3CDTF">{stamp}</{tag}>', text)
    text = re.sub(r"<cp:lastPrinted>[^<]*</cp:lastPrinted>", "", text)
    for tag, value in (("dc:title", title), ("dc:creator", author), ("cp:lastModifiedBy", author)):
        if value is None:
            continue
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if re.search(rf"<{tag}\b", text):
            text = re.sub(rf"<{tag}\b[^>]*>[^<]*</{tag}>|<{tag}\s*/>", f"<{tag}>{value}</{tag}>", text)
        else:
            text = text.replace("</cp:coreProperties>", f"<{tag}>{value}</{tag}></cp:coreProperties>")
    return text.encode("utf-8")


def normalize_ooxml(data: bytes, when: dt.datetime, *, title: str | None = None,
                    author: str | None = None) -> bytes:
    """Rewrite an OOXML zip with fixed times, a stable entry order and fixed core properties."""
    stamp = when.timetuple()[:6]
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    # [Content_Types].xml first (Office expects it), then the rest in a stable order.
    order = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            payload = src.read(name)
            if name == "docProps/core.xml":
                payload = _core_xml(payload, when, title, author)
            elif name.endswith(".xlsx"):
                # Embedded chart workbooks are zips too: normalise them the same way.
                payload = normalize_ooxml(payload, when)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, payload)
    return out.getvalue()


def atomic_write_many(outputs: dict[Path, bytes]) -> None:
    """Write every file or none: all go to temp files first, then each is renamed into place."""
    temps: list[tuple[str, Path]] = []
    try:
        for target, payload in outputs.items():
            folder = target.parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise OutputError(f"{folder}: cannot create the output folder ({e.strerror or e})") from None
            if target.is_dir():
                raise OutputError(f"{target}: is a folder; cannot write the output there")
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            except OSError as e:
                raise OutputError(f"{folder}: cannot write there ({e.strerror or e})") from None
            temps.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        for tmp, target in temps:
            os.replace(tmp, target)
        temps.clear()
    except OSError as e:
        raise OutputError(f"cannot write the outputs: {e.strerror or e}") from None
    finally:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except OSError:
                pass
