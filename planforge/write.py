"""Write outputs atomically and reproducibly.

Atomic: each file is written to a temporary file in the output folder and renamed over the
target, so a failed build leaves an earlier output as it was and no partial file behind.
Reproducible: OOXML zips get fixed entry times, a fixed entry order and fixed document dates,
so the same spec gives the same bytes on every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import signal
import tempfile
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planforge.caches import remember
from planforge.errors import OutputError
from planforge.i18n import _

_EPOCH_MIN = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
# The last moment a zip entry can carry (its year field ends at 2107).
_EPOCH_MAX = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.timezone.utc)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def build_time(spec_date: dt.date | None = None) -> dt.datetime:
    """The timestamp stamped into outputs: SOURCE_DATE_EPOCH, else the spec's date, else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (OverflowError, OSError, ValueError):  # past the year 9999
            when = _EPOCH_MAX
        return min(max(when, _EPOCH_MIN), _EPOCH_MAX)
    if spec_date is not None:
        return min(max(dt.datetime(spec_date.year, spec_date.month, spec_date.day,
                                   tzinfo=dt.timezone.utc), _EPOCH_MIN), _EPOCH_MAX)
    return _EPOCH_MIN


def _core_xml(xml: bytes, when: dt.datetime, title: str | None, author: str | None) -> bytes:
    text = xml.decode("utf-8")
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for tag in ("dcterms:created", "dcterms:modified"):
        element = f'<{tag} xsi:type="dcterms:W3CDTF">{stamp}</{tag}>'
        text = re.sub(rf"<{tag}\b[^>]*>[^<]*</{tag}>", lambda _m, e=element: e, text)
    text = re.sub(r"<cp:lastPrinted>[^<]*</cp:lastPrinted>", "", text)
    for tag, value in (("dc:title", title), ("dc:creator", author), ("cp:lastModifiedBy", author)):
        if value is None:
            continue
        # Printed as given: no regex escapes (C:\\Users, \\1, \\g<0>), no character XML forbids.
        value = _NOT_XML.sub("", value)
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if re.search(rf"<{tag}\b", text):
            element = f"<{tag}>{value}</{tag}>"  # a function: a backslash in a title is text
            text = re.sub(rf"<{tag}\b[^>]*>[^<]*</{tag}>|<{tag}\s*/>", lambda _: element, text)
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
                payload = _normalized_workbook(payload, when)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            _write_deflated(dst, info, payload)
    return out.getvalue()


# Most entries of a document are the same from one build to the next (the template's layouts,
# theme, styles, pictures); in a batch their deflated bytes are kept rather than recomputed.
# zlib output depends on the input and the settings only, so the bytes are those zipfile makes.
# An entry is kept once it was seen twice, so what is new in every build takes no memory.
_DEFLATED: OrderedDict[bytes, bytes] = OrderedDict()
_DEFLATED_LIMIT = 4 * 1024 * 1024  # bytes of deflated data kept
_deflated_size = 0
_SEEN: OrderedDict[bytes, None] = remember(OrderedDict())  # digests of entries seen once
_SEEN_LIMIT = 4096
_WORKBOOKS: OrderedDict[tuple[bytes, tuple[int, ...]], bytes] = remember(OrderedDict())


@remember
def _forget_deflated() -> None:
    global _deflated_size
    _DEFLATED.clear()
    _deflated_size = 0
_injection: bool | None = None  # whether zipfile takes deflated bytes (checked once)


class _Deflated:
    """Stands in for zipfile's zlib compressor, handing over bytes deflated before."""

    def __init__(self, data: bytes):
        self._data = data

    def compress(self, data: bytes) -> bytes:
        out, self._data = self._data, b""
        return out

    def flush(self) -> bytes:
        return b""


def _deflate(payload: bytes) -> bytes:
    # What zipfile does for ZIP_DEFLATED at the default level.
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(payload) + compressor.flush()


def _deflated(payload: bytes) -> bytes:
    global _deflated_size
    key = hashlib.sha256(payload).digest()
    found = _DEFLATED.get(key)
    if found is not None:
        _DEFLATED.move_to_end(key)
        return found
    found = _deflate(payload)
    if key not in _SEEN:
        _SEEN[key] = None
        if len(_SEEN) > _SEEN_LIMIT:
            _SEEN.popitem(last=False)
        return found
    del _SEEN[key]
    _DEFLATED[key] = found
    _deflated_size += len(found)
    while _deflated_size > _DEFLATED_LIMIT and _DEFLATED:
        _deflated_size -= len(_DEFLATED.popitem(last=False)[1])
    return found


def _inject(dst: zipfile.ZipFile, info: zipfile.ZipInfo, payload: bytes, deflated: bytes) -> None:
    # ZipFile.writestr, with the compressor's output given rather than computed.
    info.file_size = len(payload)
    with dst.open(info, mode="w") as fh:
        fh._compressor = _Deflated(deflated)  # type: ignore[attr-defined]
        fh.write(payload)


# The one private step left here: zipfile's _compressor attribute (stdlib, not a dependency
# to pin). _injection_works checks it against zipfile's own output once per process and falls
# back to plain writestr when it differs or is gone.
def _injection_works() -> bool:
    """Whether this Python's zipfile writes given deflated bytes exactly as it would its own."""
    global _injection
    if _injection is None:
        sample = b"planforge " * 200 + bytes(range(256))
        made = []
        for inject in (False, True):
            buffer = io.BytesIO()
            info = zipfile.ZipInfo("a/b.xml", date_time=(2020, 1, 2, 3, 4, 6))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            try:
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
                    if inject:
                        _inject(dst, info, sample, _deflate(sample))
                    else:
                        dst.writestr(info, sample)
            except Exception:  # a zipfile without the hook: compress as usual
                buffer = io.BytesIO(b"failed")
            made.append(buffer.getvalue())
        _injection = made[0] == made[1]
    return _injection


def _write_deflated(dst: zipfile.ZipFile, info: zipfile.ZipInfo, payload: bytes) -> None:
    if _injection_works():
        _inject(dst, info, payload, _deflated(payload))
    else:
        dst.writestr(info, payload)


def _normalized_workbook(payload: bytes, when: dt.datetime) -> bytes:
    key = (hashlib.sha256(payload).digest(), when.timetuple()[:6])
    found = _WORKBOOKS.get(key)
    if found is None:
        found = _WORKBOOKS[key] = normalize_ooxml(payload, when)
        if len(_WORKBOOKS) > 64:
            _WORKBOOKS.popitem(last=False)
    return found


def atomic_write_many(outputs: dict[Path, bytes]) -> None:
    """Write every file or none: all go to temp files first, then all are renamed into place.

    The renames happen with SIGINT/SIGTERM held back, and if one fails the files already
    renamed are put back as they were, so a deck is never new beside an old plan. Temp files
    carry the writer's process id; those of a writer that is gone (a killed build) are removed
    by the next write into the folder.
    """
    temps: list[tuple[str, Path]] = []
    try:
        for folder in dict.fromkeys(target.parent for target in outputs):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise OutputError(_("{folder}: cannot create the output folder ({reason})").format(
                    folder=folder, reason=e.strerror or e)) from None
            remove_stale_temps(folder)
        for target, payload in outputs.items():
            folder = target.parent
            if target.is_dir():
                raise OutputError(_("{target}: is a folder; cannot write the output there").format(
                    target=target))
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                           dir=folder)
            except OSError as e:
                raise OutputError(_("{folder}: cannot write there ({reason})").format(
                    folder=folder, reason=e.strerror or e)) from None
            temps.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        with _signals_held():
            _rename_all(temps)
        temps.clear()
    except OSError as e:
        raise OutputError(_("cannot write the outputs: {reason}").format(
            reason=e.strerror or e)) from None
    finally:
        for tmp, _target in temps:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _rename_all(temps: list[tuple[str, Path]]) -> None:
    """Rename each temp file onto its target; on a failure put back what was there before."""
    saved: list[tuple[Path, str | None]] = []  # target, the hard link keeping its old content
    try:
        for tmp, target in temps:
            old = None
            if target.exists():
                old = f"{tmp}.old"
                try:
                    os.link(target, old)
                except OSError:  # no hard links here: the old file cannot be kept
                    old = None
            saved.append((target, old))
        done: list[tuple[Path, str | None]] = []
        try:
            for (tmp, target), entry in zip(temps, saved):
                os.replace(tmp, target)
                done.append(entry)
        except OSError:
            for target, old in reversed(done):
                try:
                    if old is not None:
                        os.replace(old, target)
                    else:
                        os.unlink(target)
                except OSError:
                    pass
            raise
    finally:
        for _new, old in saved:
            if old is not None:
                try:
                    os.unlink(old)
                except OSError:
                    pass


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the block runs (they arrive right after it)."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp(?:\.old)?$")


def remove_stale_temps(folder: Path) -> None:
    """Remove the temp files a writer that is no longer running left in *folder*."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _TEMP.match(name)
        if not match:
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or _alive(pid):
            continue
        try:
            os.unlink(folder / name)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process: not ours to judge
    return True
