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


def find_soffice() -> str:
    """Return the LibreOffice executable, or raise ConversionError saying how to install it."""
    for name in (os.environ.get("PLANFORGE_SOFFICE"), "soffice", "libreoffice"):
        if name and (found := shutil.which(name)):
            return found
    raise ConversionError(
        "PDF export needs LibreOffice, which is not installed (no 'soffice' on PATH). "
        "Install it (Debian/Ubuntu: apt-get install libreoffice-impress libreoffice-writer "
        "fonts-noto-cjk) or build without pdf: --format pptx,docx")


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
