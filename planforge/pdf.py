"""Convert built documents to PDF with LibreOffice in headless mode.

Each conversion runs with its own throw-away LibreOffice profile, so parallel builds never
fight over one profile's lock, and under a time limit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from planforge.errors import ConversionError

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
