"""Words stay whole in table columns: a column is at least as wide as its widest word.

LibreOffice breaks a word inside when its column is too narrow ("Quarte|r"). The unit tests pin
the sharing of a table's width; the LibreOffice test prints the English example's deck and plan
to PDF and reads the text back as a reader sees it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

import planforge
from conftest import EXAMPLES
from planforge.api import build
from planforge.render.docx.tables import fit_tables
from planforge.render.pptx.tables import fit_columns
from planforge.render.words import balance, fit_widths, grid_needs, helped, pieces, widest_pt

EN_SPEC = EXAMPLES / "ironleaf-cookware.en.yaml"


def _chars(text: str, size: float = 10.0, bold: bool = False):
    return [(ch, size, bold) for ch in text]


def test_a_short_column_widens_and_the_others_pay_in_proportion_to_their_slack():
    got = balance([100, 500, 400], [150, 100, 300])
    assert got is not None
    assert sum(got) == 1000 and got[0] == 150
    # Slack 400 and 100: the 50 units come 40 from the second, 10 from the third.
    assert got[1] == 460 and got[2] == 390


def test_columns_that_hold_their_words_are_left_alone():
    assert balance([100, 200, 300], [90, 200, 10]) == [100, 200, 300]


def test_needs_beyond_the_total_cannot_be_balanced():
    assert balance([100, 100], [150, 60]) is None


def test_a_grid_of_equal_columns_stays_a_grid():
    needs = grid_needs([300, 50, 50, 50], [100, 80, 20, 20])
    assert needs == [100, 80, 80, 80]
    got = balance([300, 50, 50, 50], needs)
    assert got is not None and got[1] == got[2] == got[3] == 80 and sum(got) == 450


def test_hopeless_columns_keep_their_width_and_the_others_are_helped():
    # The months cannot all take 80; the owner column (need 120) still can, from the task's.
    got = helped([400, 100, 50, 50, 50], [380, 120, 80, 80, 80])
    assert got == [380, 120, 50, 50, 50]


def test_the_font_shrinks_one_step_before_words_are_given_up():
    widths = [100, 100]
    got, scale = fit_widths(widths, lambda s: [120 * s, 90 * s])
    assert scale == 0.9 and sum(got) == 200 and got[0] >= 108 and got[1] >= 81


def test_pieces_break_at_spaces_hyphens_before_letters_and_around_cjk():
    texts = ["".join(c for c, _s, _b in p) for p in pieces(_chars("mid-autumn 10-20 a/b 全年占比"))]
    assert texts == ["mid-", "autumn", "10-20", "a/", "b", "全", "年", "占", "比"]


def test_bold_and_capitals_are_wider():
    assert (
        widest_pt(_chars("Quarter", bold=True))
        > widest_pt(_chars("Quarter"))
        > widest_pt(_chars("quarter"))
    )
    # DejaVu Sans Bold prints "Quarter" 4.38 em wide: at 12 pt, 52.5 pt.
    assert 52.5 <= widest_pt(_chars("Quarter", 12, True)) <= 56


# -- what LibreOffice prints ---------------------------------------------------------------------


def _document_words(path: Path) -> tuple[set[str], set[str]]:
    """Every word a document's parts hold, and the words of its tables' header rows."""
    words: set[str] = set()
    headers: set[str] = set()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            xml = z.read(name).decode("utf-8")
            text = " ".join(re.findall(r"<(?:a|w|c):(?:t|v)(?: [^>]*)?>([^<]*)<", xml))
            words.update(_tokens(text))
            for table in re.findall(r"<(?:a|w):tbl>.*?</(?:a|w):tbl>", xml, re.S):
                first = re.search(r"<(?:a|w):tr[ >].*?</(?:a|w):tr>", table, re.S)
                if first:
                    head = " ".join(re.findall(r"<(?:a|w):t(?: [^>]*)?>([^<]*)<", first.group(0)))
                    headers.update(w for w in _tokens(head) if len(w) >= 3)
    return words, headers


def _tokens(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z]+", text)


def broken_words(printed: str, words: set[str], headers: set[str]) -> list[str]:
    """The printed fragments that are no word of the document but the start (or, three letters
    or more, the end) of a header word: that word was broken across lines."""
    found = []
    for token in _tokens(printed):
        if token in words:
            continue
        if any(
            h != token and (h.startswith(token) or (len(token) >= 3 and h.endswith(token)))
            for h in headers
        ):
            found.append(token)
    return found


def test_the_check_sees_a_broken_word():
    assert broken_words(
        "Quarte  Phase\nr      Launch", {"Quarter", "Phase", "Launch"}, {"Quarter", "Phase"}
    ) == ["Quarte"]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[str, Path]]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (installed by .ci/run)"
    assert shutil.which("pdftotext"), "poppler's pdftotext is needed (installed by .ci/run)"
    tmp = tmp_path_factory.mktemp("words")
    build(EN_SPEC, tmp)
    deck, plan = tmp / "deck.pptx", tmp / "plan.docx"  # two names: two PDFs
    (tmp / f"{EN_SPEC.stem}.pptx").rename(deck)
    (tmp / f"{EN_SPEC.stem}.docx").rename(plan)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp / "pdf"),
            str(deck),
            str(plan),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = {}
    for source in (deck, plan):
        pdf = tmp / "pdf" / f"{source.stem}.pdf"
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        out[source.suffix] = (text, source)
    return out


@pytest.mark.parametrize("kind", [".pptx", ".docx"])
def test_no_table_header_word_is_broken_in_libreoffice(printed, kind):
    text, source = printed[kind]
    words, headers = _document_words(source)
    assert {"Quarter", "Orders"} <= headers  # the tables the check is about
    assert "Quarter" in _tokens(text)
    assert broken_words(text, words, headers) == []


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _pptx_table(widths, texts, span="1", size="1200"):
    cells = "".join(
        f'<a:tc gridSpan="{span}"><a:txBody><a:bodyPr/><a:p><a:r><a:rPr sz="{size}"/>'
        f"<a:t>{t}</a:t></a:r></a:p></a:txBody><a:tcPr/></a:tc>"
        for t in texts
    )
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    return etree.fromstring(
        f'<a:tbl xmlns:a="{_A}"><a:tblPr/><a:tblGrid>{grid}</a:tblGrid>'
        f'<a:tr h="100">{cells}</a:tr></a:tbl>'
    )


def test_a_deck_table_column_widens_to_its_word_and_the_table_keeps_its_width():
    tbl = _pptx_table([700000, 5000000], ["Conversion", "short"])
    fit_columns(tbl)
    got = [int(c.get("w")) for c in tbl.iter(f"{{{_A}}}gridCol")]
    assert sum(got) == 5700000
    need = widest_pt(_chars("Conversion", 12)) * 12700 + 2 * 91440
    assert got[0] >= need > 700000


def test_odd_table_attributes_do_not_break_the_render():
    tbl = _pptx_table(["7e5", "5000000"], ["Conversion", "x"], span="two", size="big")
    fit_columns(tbl)  # no width to share: left as it is
    assert [c.get("w") for c in tbl.iter(f"{{{_A}}}gridCol")] == ["7e5", "5000000"]
    body = etree.fromstring(
        f'<w:body xmlns:w="{_W}"><w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="500"/>'
        f'<w:gridCol w:w="5in"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:gridSpan w:val="x"/>'
        f'</w:tcPr><w:p><w:r><w:rPr><w:sz w:val="big"/></w:rPr><w:t>Conversion</w:t></w:r>'
        f"</w:p></w:tc></w:tr></w:tbl></w:body>"
    )
    fit_tables(body, None)
    assert body.find(f".//{{{_W}}}gridCol").get(f"{{{_W}}}w") == "500"


def test_no_festival_name_is_broken_in_the_plans_gantt(printed):
    # The Gantt's festival row has one narrow column per month: the English names of the
    # calendar are short enough to stay whole there ("Dou|ble 11" before).
    calendar = yaml.safe_load(
        (Path(planforge.__file__).parent / "data" / "calendar.yaml").read_text("utf-8")
    )
    names = {w for f in calendar["festivals"] for w in _tokens(f["name"]["en"])}
    text, source = printed[".docx"]
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Festivals"))
    festival_rows = lines[max(at - 2, 0) : at + 3]  # a name may take the lines above and below
    assert festival_rows, text  # the row is printed
    words, _headers = _document_words(source)
    assert broken_words("\n".join(festival_rows), words, names) == []
