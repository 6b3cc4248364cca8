"""Generated valid specs: every one validates, builds both documents, and (a few) convert to PDF."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planforge

# Text as users type it: any script, punctuation that XML escapes, emoji; no control characters.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
               min_size=1, max_size=30).filter(lambda s: s.strip() == s and s.strip())
WORDS = st.sampled_from(["青岚", "Northwind", "A&B <c> \"d\" 'e'", "茶 🍵", "{{ 7*7 }}", "口粮茶"])
NAME = st.one_of(WORDS, TEXT)
MONEY = st.integers(min_value=0, max_value=10**9)


@st.composite
def specs(draw) -> dict:
    year = draw(st.integers(2020, 2035))
    spec: dict = {
        "planforge": 1,
        "meta": {"year": year, "locale": draw(st.sampled_from(["zh-CN", "en"]))},
        "brand": {"name": draw(NAME)},
        "company": {"name": draw(NAME)},
    }
    if draw(st.booleans()):  # months written out, annual figure their exact sum
        gmvs = draw(st.lists(MONEY, min_size=1, max_size=12))
        budgets = [draw(st.integers(0, g)) for g in gmvs]
        spec["targets"] = {
            "annual_gmv": sum(gmvs), "annual_budget": sum(budgets),
            "months": [{"month": f"{year}-{i + 1:02d}", "gmv": g, "budget": b}
                       for i, (g, b) in enumerate(zip(gmvs, budgets))],
        }
    else:
        spec["targets"] = {"annual_gmv": draw(MONEY)}
    if draw(st.booleans()):
        spec["targets"]["funnel"] = {"conversion_rate": draw(st.sampled_from(["2.8%", 0.05, "10%"])),
                                     "average_order_value": draw(st.integers(1, 5000))}
    products = draw(st.lists(st.fixed_dictionaries({
        "name": NAME, "price": st.integers(1, 99999),
        "role": st.sampled_from(["hero", "traffic", "profit", "bundle", "image", "new"]),
        "selling_points": st.lists(TEXT, max_size=3)}), max_size=5))
    for p in products:
        p["cost"] = draw(st.integers(0, p["price"]))
    if products:
        spec["products"] = products
    if draw(st.booleans()):
        spec["team"] = {"members": draw(st.lists(st.fixed_dictionaries({
            "role": NAME, "headcount": st.integers(1, 20),
            "responsibilities": st.lists(TEXT, max_size=3)}), min_size=1, max_size=4))}
    if draw(st.booleans()):
        spec["swot"] = {k: draw(st.lists(TEXT, min_size=1, max_size=3))
                        for k in ("strengths", "weaknesses", "opportunities", "threats")}
    if draw(st.booleans()):
        quarters = draw(st.lists(st.sampled_from(["Q1", "Q2", "Q3", "Q4"]), unique=True, max_size=4))
        spec["roadmap"] = []
        for q in sorted(quarters):
            first = (int(q[1]) - 1) * 3 + 1
            spec["roadmap"].append({"quarter": q, "phase": draw(NAME), "tasks": [
                {"name": draw(NAME), "start": f"{year}-{first:02d}", "end": f"{year}-{first + 2:02d}"}]})
    if draw(st.booleans()):
        spec["risks"] = draw(st.lists(st.fixed_dictionaries({"risk": TEXT, "mitigation": TEXT}),
                                      min_size=1, max_size=3))
    return spec


def write(spec: dict, folder: Path) -> Path:
    path = folder / "generated.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_generated_specs_build(spec):
    with tempfile.TemporaryDirectory() as tmp:
        path = write(spec, Path(tmp))
        result = planforge.build(path, Path(tmp) / "out")
        deck = zipfile.ZipFile(Path(tmp) / "out" / "generated.pptx")
        assert result.slides >= 3
        # The brand name is printed as written, even when it looks like a template tag.
        slides = "".join(deck.read(n).decode() for n in deck.namelist() if n.startswith("ppt/slides/"))
        name = spec["brand"]["name"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert name in slides or "…" in slides


@pytest.mark.libreoffice
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_generated_specs_convert_to_pdf(spec):
    with tempfile.TemporaryDirectory() as tmp:
        path = write(spec, Path(tmp))
        result = planforge.build(path, Path(tmp) / "out", formats=("pptx", "docx", "pdf"))
        pdfs = [p for p in result.outputs if p.suffix == ".pdf"]
        assert len(pdfs) == 2 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
