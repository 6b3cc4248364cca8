"""The deck and the plan go to LibreOffice at once, with a status line while it converts."""

from __future__ import annotations

import pytest

from conftest import example_specs


def test_to_pdfs_says_what_it_converts(monkeypatch):
    from planforge import pdf

    seen = []
    monkeypatch.setattr(pdf, "_together", lambda docs: {k: b"%PDF-1.7" for k in docs})
    token = pdf.status.set(seen.append)
    try:
        out = pdf.to_pdfs({"deck-pdf": (b"x", ".pptx"), "plan-pdf": (b"y", ".docx")},
                          mode="together")
    finally:
        pdf.status.reset(token)
    assert set(out) == {"deck-pdf", "plan-pdf"}
    assert seen == ["converting pptx and docx to PDF with LibreOffice…"]


def test_an_unknown_mode_is_refused(monkeypatch):
    from planforge import pdf
    from planforge.errors import ConversionError

    monkeypatch.setenv("PLANFORGE_PDF_MODE", "fast")
    with pytest.raises(ConversionError, match="PLANFORGE_PDF_MODE"):
        pdf.to_pdfs({"deck-pdf": (b"x", ".pptx"), "plan-pdf": (b"y", ".docx")})


def _pages(pdf: bytes, tmp_path, name: str) -> int:
    import re
    import subprocess

    path = tmp_path / name
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


@pytest.mark.libreoffice
@pytest.mark.parametrize("mode", ["together", "parallel"])
def test_every_mode_gives_both_pdfs_with_the_right_pages(mode, tmp_path):
    import planforge
    from planforge.pdf import to_pdfs

    docs = planforge.render(example_specs()[0], formats=("pptx", "docx"))
    out = to_pdfs(
        {"deck-pdf": (docs.files["pptx"], ".pptx"), "plan-pdf": (docs.files["docx"], ".docx")},
        mode=mode,
    )
    assert _pages(out["deck-pdf"], tmp_path, "deck.pdf") == docs.slides  # a page per slide
    assert _pages(out["plan-pdf"], tmp_path, "plan.pdf") >= 10  # the plan, not the deck again
