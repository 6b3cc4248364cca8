"""Convert built documents to PDF with LibreOffice in headless mode.

Each conversion runs with its own throw-away LibreOffice profile, so parallel builds never
fight over one profile's lock, and under a time limit (``PLANFORGE_PDF_TIMEOUT`` seconds,
default 180) past which LibreOffice's whole process group is stopped. What LibreOffice leaves
behind is checked: an exit code 0 with a cut-short or non-PDF file is an error, not a PDF.
``reproducible`` stamps the build time into the PDF in place of the conversion time and
derives the file ID from the content, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

from planforge.errors import ConversionError
from planforge.i18n import _

TIMEOUT_SECONDS = 180


def standard_locations() -> list[str]:
    """Where LibreOffice's installers put the program on Windows, macOS and Linux."""
    places = []
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)"),
                 r"C:\Program Files", r"C:\Program Files (x86)"):
        if base:
            places.append(os.path.join(base, "LibreOffice", "program", "soffice.exe"))
    places += ["/Applications/LibreOffice.app/Contents/MacOS/soffice",
               os.path.expanduser("~/Applications/LibreOffice.app/Contents/MacOS/soffice"),
               "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
               "/opt/libreoffice/program/soffice", "/snap/bin/libreoffice"]
    places += sorted((str(p) for p in Path("/opt").glob("libreoffice*/program/soffice")),
                     reverse=True)  # /opt/libreoffice24.8/...: the newest first
    return list(dict.fromkeys(places))


def find_soffice() -> str:
    """Return the LibreOffice executable, or raise ConversionError saying how to install it.

    ``$PLANFORGE_SOFFICE`` (or ``build --soffice PATH``) first, then ``soffice`` and
    ``libreoffice`` on PATH, then the standard install locations of Windows, macOS and Linux.
    """
    chosen = os.environ.get("PLANFORGE_SOFFICE")
    if chosen:
        found = shutil.which(chosen) or (chosen if os.path.isfile(chosen) else None)
        if found:
            return found
        raise ConversionError(_("PLANFORGE_SOFFICE (or --soffice) names {path}, which is not "
                                "a program; give the path of LibreOffice's soffice").format(
                                    path=repr(chosen)))
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    for place in standard_locations():
        if os.path.isfile(place) and os.access(place, os.X_OK):
            return place
    raise ConversionError(
        _("PDF export needs LibreOffice, which is not installed (no 'soffice' on PATH). "
          "Install it (Debian/Ubuntu: apt-get install libreoffice-impress libreoffice-writer "
          "fonts-noto-cjk; Windows and macOS: the installer from libreoffice.org), give its path "
          "with --soffice PATH, or build without pdf: --to pptx,docx"))


def timeout_seconds() -> float:
    """The time limit of one conversion: ``$PLANFORGE_PDF_TIMEOUT`` seconds, default 180."""
    raw = os.environ.get("PLANFORGE_PDF_TIMEOUT", "").strip()
    if not raw:
        return TIMEOUT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if not value > 0:
        raise ConversionError(_("$PLANFORGE_PDF_TIMEOUT must be a number of seconds, got "
                                "{value}").format(value=repr(raw)))
    return value


def to_pdf(data: bytes, suffix: str, *, timeout: float | None = None) -> bytes:
    """Return the PDF LibreOffice makes of a .pptx or .docx given as bytes."""
    soffice = find_soffice()
    limit = timeout if timeout is not None else timeout_seconds()
    with tempfile.TemporaryDirectory(prefix="planforge-pdf-") as tmp:
        work = Path(tmp)
        src = work / f"document{suffix}"
        src.write_bytes(data)
        profile = (work / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work), str(src)]
        returncode, output = run_converter(cmd, limit, {**os.environ, "HOME": str(work)})
        if returncode is None:
            raise ConversionError(_("LibreOffice took longer than {limit} s to convert the "
                                    "{document} to PDF; stopped it (set PLANFORGE_PDF_TIMEOUT "
                                    "to allow more)").format(limit=f"{limit:g}", document=suffix))
        pdf = work / "document.pdf"
        if returncode != 0 or not pdf.is_file():
            detail = output.decode("utf-8", "replace").strip()[-500:]
            raise ConversionError(_("LibreOffice could not convert the {document} to "
                                    "PDF").format(document=suffix)
                                  + (f": {detail}" if detail else ""))
        result = pdf.read_bytes()
        problem = pdf_problem(result)
        if problem:
            raise ConversionError(_("LibreOffice exited without error but its PDF of the "
                                    "{document} {problem}; nothing was written").format(
                                        document=suffix, problem=problem))
        return result


#: How the documents of one build are converted: "together" (one LibreOffice process is given
#: both files: it starts once) or "parallel" (one process per document, side by side, each with
#: its own profile). benchmarks/pdf.py measures both against one after the other: with two or
#: more cores "parallel" is the faster (0.62x against "together"'s 0.80x on two cores), on one
#: core the processes would only take turns, so one start for both wins there.
#: PLANFORGE_PDF_MODE overrides it.
DEFAULT_MODE = "parallel" if (os.cpu_count() or 1) >= 2 else "together"

#: Called with a short text while LibreOffice converts (the command line shows it as a status
#: line in a terminal); None: nothing is shown.
status: ContextVar[Callable[[str], None] | None] = ContextVar("planforge_pdf_status", default=None)


def to_pdfs(documents: dict[str, tuple[bytes, str]], *, mode: str | None = None) -> dict[str, bytes]:
    """Convert several documents at once: ``{kind: (bytes, ".pptx"|".docx")}`` -> ``{kind: pdf}``.

    Faster than one :func:`to_pdf` after the other: LibreOffice starts once for all of them
    (``together``), or once per document side by side (``parallel``).
    """
    mode = mode or os.environ.get("PLANFORGE_PDF_MODE") or DEFAULT_MODE
    if mode not in ("together", "parallel", "sequential"):
        raise ConversionError(_("PLANFORGE_PDF_MODE must be together, parallel or sequential, "
                                "got {value}").format(value=repr(mode)))
    shown = status.get()
    if shown is not None:
        shown(_("converting {names} to PDF with LibreOffice…").format(
            names=_(" and ").join(suffix.lstrip(".") for _data, suffix in documents.values())))
    if len(documents) < 2 or mode == "sequential":
        return {kind: to_pdf(data, suffix) for kind, (data, suffix) in documents.items()}
    if mode == "parallel":
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=len(documents)) as pool:
            futures = {kind: pool.submit(to_pdf, data, suffix)
                       for kind, (data, suffix) in documents.items()}
            return {kind: future.result() for kind, future in futures.items()}
    return _together(documents)


def _together(documents: dict[str, tuple[bytes, str]]) -> dict[str, bytes]:
    """One LibreOffice process converts every document (each under its own file name)."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="planforge-pdf-") as tmp:
        work = Path(tmp)
        sources = {}
        for n, (kind, (data, suffix)) in enumerate(documents.items()):
            src = work / f"document{n}{suffix}"
            src.write_bytes(data)
            sources[kind] = src
        profile = (work / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work),
               *(str(s) for s in sources.values())]
        limit = timeout_seconds() * len(documents)
        returncode, output = run_converter(cmd, limit, {**os.environ, "HOME": str(work)})
        if returncode is None:
            raise ConversionError(_("LibreOffice took longer than {limit} s to convert the "
                                    "documents to PDF; stopped it (set PLANFORGE_PDF_TIMEOUT "
                                    "to allow more)").format(limit=f"{limit:g}"))
        out = {}
        for kind, src in sources.items():
            pdf = src.with_suffix(".pdf")
            if returncode != 0 or not pdf.is_file():
                detail = output.decode("utf-8", "replace").strip()[-500:]
                raise ConversionError(_("LibreOffice could not convert the {document} to "
                                        "PDF").format(document=src.suffix)
                                      + (f": {detail}" if detail else ""))
            out[kind] = pdf.read_bytes()
            problem = pdf_problem(out[kind])
            if problem:
                raise ConversionError(_("LibreOffice exited without error but its PDF of the "
                                        "{document} {problem}; nothing was written").format(
                                            document=src.suffix, problem=problem))
        return out


def run_converter(cmd: list[str], limit: float, env: dict) -> tuple[int | None, bytes]:
    """Run *cmd* in a process group of its own; return its exit code (None: timed out, stopped)
    and what it printed. On timeout every process of the group is killed, not just the first.
    """
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env,
                                start_new_session=True)
        code: int | None
        try:
            code = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            code = None
        except BaseException:  # Ctrl-C or SIGTERM while waiting: take LibreOffice along
            _kill_group(proc)
            raise
        else:
            _kill_group(proc)  # helpers LibreOffice may have left behind
        out.seek(0)
        return code, out.read()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def pdf_problem(data: bytes) -> str | None:
    """What makes *data* not a complete PDF file (None: it is one)."""
    if not data:
        return _("is empty")
    if not data.startswith(b"%PDF-"):
        return _("is not a PDF file")
    if b"%%EOF" not in data[-1024:]:
        return _("is cut short (no end-of-file marker)")
    if b"startxref" not in data[-2048:]:
        return _("is cut short (no cross-reference table)")
    return None


_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def reproducible(pdf: bytes, when: dt.datetime) -> bytes:
    """Stamp *when* as the PDF's creation and change date and make its /ID from its content.

    Every value is replaced by one of the same length, so the file's byte offsets stay valid.
    """
    stamp = when.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%S").encode()

    def date(match: re.Match[bytes]) -> bytes:
        old = match.group(2)
        if len(old) < 16:  # a date without a time: leave it as LibreOffice wrote it
            return match.group(0)
        zone = old[16:]
        if zone[:1] in (b"+", b"-"):  # the time is UTC: say so in the same number of bytes
            zone = (b"+00'00'" + b"'" * len(zone))[:len(zone)]
        return b"/" + match.group(1) + b"(D:" + stamp + zone + b")"

    fixed = _DATE.sub(date, pdf)
    zeroed = _ID.sub(lambda m: b"/ID [<" + b"0" * len(m.group(1)) + b"><" +
                     b"0" * len(m.group(2)) + b">]", fixed)
    zeroed = _CHECKSUM.sub(lambda m: b"/DocChecksum /" + b"0" * len(m.group(1)), zeroed)
    digest = hashlib.sha256(zeroed).hexdigest().upper().encode() * 4
    # LibreOffice's own checksum of the file, which covers the conversion time.
    fixed = _CHECKSUM.sub(lambda m: b"/DocChecksum /" + digest[-len(m.group(1)):], fixed)

    def ident(match: re.Match[bytes]) -> bytes:
        text = match.group(0)
        for group in (1, 2):
            old = match.group(group)
            text = text.replace(b"<" + old + b">", b"<" + digest[:len(old)] + b">", 1)
        return text

    return _ID.sub(ident, fixed)
