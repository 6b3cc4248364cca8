"""Convert built documents to PDF with LibreOffice in headless mode.

Each conversion runs with its own throw-away LibreOffice profile, so parallel builds never
fight over one profile's lock, and under a time limit.
"""

from __future__ import annotations

import os
import shutil
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
        raise ConversionError(f"PLANFORGE_SOFFICE (or --soffice) names {chosen!r}, which is not "
                              "a program; give the path of LibreOffice's soffice")
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    for place in standard_locations():
        if os.path.isfile(place) and os.access(place, os.X_OK):
            return place
    raise ConversionError(
        "PDF export needs LibreOffice, which is not installed (no 'soffice' on PATH). "
        "Install it (Debian/Ubuntu: apt-get install libreoffice-impress libreoffice-writer "
        "fonts-noto-cjk; Windows and macOS: the installer from libreoffice.org), give its path "
        "with --soffice PATH, or build without pdf: --to pptx,docx")


def to_pdf(data: bytes, suffix: str, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Return the PDF LibreOffice makes of a .pptx or .docx given as bytes."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="planforge-pdf-") as tmp:
        work = Path(tmp)
        src = work / f"document{suffix}"
        src.write_bytes(data)
        profile = (work / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout,
                                  env={**os.environ, "HOME": str(work)})
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice took longer than {timeout} s to convert the "
                                  f"{suffix} to PDF; stopped") from None
        pdf = work / "document.pdf"
        if proc.returncode != 0 or not pdf.is_file():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[-500:]
            raise ConversionError(f"LibreOffice could not convert the {suffix} to PDF"
                                  + (f": {detail}" if detail else ""))
        return pdf.read_bytes()


#: How the documents of one build are converted: "together" (one LibreOffice process is given
#: both files: it starts once) or "parallel" (one process per document, side by side, each with
#: its own profile). benchmarks/pdf.py measures both against one after the other; the default
#: is the faster there. PLANFORGE_PDF_MODE overrides it.
DEFAULT_MODE = "together"

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
        raise ConversionError(f"PLANFORGE_PDF_MODE must be together, parallel or sequential, "
                              f"got {mode!r}")
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
        timeout = TIMEOUT_SECONDS * len(documents)
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout,
                                  env={**os.environ, "HOME": str(work)})
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice took longer than {timeout} s to convert the "
                                  "documents to PDF; stopped") from None
        out = {}
        for kind, src in sources.items():
            pdf = src.with_suffix(".pdf")
            if proc.returncode != 0 or not pdf.is_file():
                detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[-500:]
                raise ConversionError(f"LibreOffice could not convert the {src.suffix} to PDF"
                                      + (f": {detail}" if detail else ""))
            out[kind] = pdf.read_bytes()
        return out
