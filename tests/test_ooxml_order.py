"""Built documents keep the element order the OOXML schema demands (Word calls files that
break it damaged, even when LibreOffice opens them)."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from conftest import example_specs

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
# The schema's sequence of w:pPr and w:rPr children (ECMA-376 part 1, CT_PPrBase / CT_RPr).
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
           "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
           "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
           "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
           "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange".split(),
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
           "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
           "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath".split(),
}


def misordered_docx(path) -> list[str]:
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            root = etree.fromstring(z.read(name))
            for tag, order in ORDER.items():
                for el in root.iter(f"{{{W}}}{tag}"):
                    names = [etree.QName(c).localname for c in el if etree.QName(c).namespace == W]
                    ranks = [order.index(n) for n in names if n in order]
                    if ranks != sorted(ranks):
                        found.append(f"{name}: {tag} {names}")
    return found


def doubled_backgrounds(path) -> list[str]:
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("ppt/slide") and name.endswith(".xml"):
                for csld in etree.fromstring(z.read(name)).iter(f"{{{P}}}cSld"):
                    if len(csld.findall(f"{{{P}}}bg")) > 1:
                        found.append(name)
    return found


@pytest.mark.parametrize("pack", ["default", "mono"])
def test_built_documents_keep_schema_order(cli, tmp_path, pack):
    spec = example_specs()[0]  # English: both packs have it
    result = cli("build", spec, "-o", tmp_path, "--template", pack)
    assert result.exit_code == 0, result.text
    assert misordered_docx(tmp_path / f"{spec.stem}.docx") == []
    assert doubled_backgrounds(tmp_path / f"{spec.stem}.pptx") == []
