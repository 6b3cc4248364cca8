"""Validation: the contract specs pass, every invalid case gives the message it promises."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planforge.errors import SpecError
from planforge.loader import Spec, load_spec, parse_spec
from planforge.validation import check_valid, validate

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CONTRACTS = ["contract-full.zh.yaml", "contract-minimal.en.yaml"]
INVALID = sorted((HERE / "cases" / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(?:(\d+):)? (\$\S*): (.+)$", re.M)

MINIMAL = """\
planforge: 1
meta:
  year: 2027
brand:
  name: Northwind
company:
  name: Northwind Co.
targets:
  annual_gmv: 100万
"""


def contract(name: str) -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not next to the repository")
    return SHARED / "specs" / name


@pytest.mark.parametrize("name", CONTRACTS)
def test_contract_specs_are_valid(name):
    spec = load_spec(contract(name))
    assert validate(spec) == []
    check_valid(spec)


def test_there_are_enough_invalid_cases():
    assert len(INVALID) >= 30


@pytest.mark.parametrize("case", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_case(case):
    expects = EXPECT.findall(case.read_text(encoding="utf-8"))
    assert expects, f"{case.name} has no '# expect:' line"
    try:
        problems = validate(load_spec(case))
    except SpecError as e:  # YAML-level cases: the loader refuses the file before validation
        problems = e.problems
    shown = "\n".join(p.format(show_source=False) for p in problems)
    for line, col, path, text in expects:
        assert any(
            p.line == int(line) and (not col or p.col == int(col)) and p.path == path
            and text in p.message
            for p in problems
        ), f"expected {line}:{col} {path}: {text!r}\ngot:\n{shown}"
    assert problems == sorted(problems)
    assert all(p.severity == "error" and p.file == str(case) for p in problems)


def test_check_valid_raises_with_every_problem_sorted():
    spec = load_spec(HERE / "cases" / "invalid" / "several_problems_sorted.yaml")
    with pytest.raises(SpecError) as info:
        check_valid(spec)
    lines = [p.line for p in info.value.problems]
    assert len(lines) == 5 and lines == sorted(lines)
    assert "5 problems" in info.value.message
    text = info.value.format()
    assert "several_problems_sorted.yaml:7:3: $.meta.locle: unknown key 'locle'" in text


def test_problem_shows_the_source_line_with_a_caret():
    spec = parse_spec(MINIMAL.replace("100万", "15w"), "plan.yaml")
    (problem,) = validate(spec)
    assert problem.format().splitlines()[1:] == ["      annual_gmv: 15w", "                  ^"]


def test_one_problem_per_value():
    spec = parse_spec(MINIMAL.replace("  year: 2027", '  year: 2027\n  date: "2027/02/30"'))
    assert [p.path for p in validate(spec)] == ["$.meta.date"]


def test_misspelt_required_key_is_reported_once():
    spec = parse_spec(MINIMAL.replace("  name: Northwind\n", "  nmae: Northwind\n", 1))
    assert [p.message for p in validate(spec)] == ["unknown key 'nmae' — did you mean 'name'?"]


@pytest.mark.parametrize("date", ["2026-12-01", '"2026-12-01"'])
def test_dates_bare_or_quoted(date):
    spec = parse_spec(MINIMAL.replace("  year: 2027", f"  year: 2027\n  date: {date}"))
    assert validate(spec) == []


@pytest.mark.parametrize("amount", ["150000", "15万", "6.25万", "1.2亿", '"¥150,000"', "150000元", "0"])
def test_money_forms_accepted(amount):
    assert validate(parse_spec(MINIMAL.replace("100万", amount))) == []


@pytest.mark.parametrize("amount", ["1.0e+28", "99999999999999999999999亿"])
def test_huge_amount_is_reported_not_crashed(amount):
    (problem,) = validate(parse_spec(MINIMAL.replace("100万", amount)))
    assert "too large" in problem.message


@pytest.mark.parametrize("amount", ["15w", "-3万", "-5", "1,50,000", "十万", "true", "[1]"])
def test_money_forms_rejected(amount):
    (problem,) = validate(parse_spec(MINIMAL.replace("100万", amount)))
    assert problem.path == "$.targets.annual_gmv" and "an amount of money" in problem.message


@pytest.mark.parametrize("ratio, ok", [("2.8%", True), ("0.028", True), ("100%", True), ("1", True),
                                       ("100.5%", False), ("1.01", False), ("-1%", False)])
def test_ratios(ratio, ok):
    spec = parse_spec(MINIMAL + f"  funnel:\n    conversion_rate: {ratio}\n")
    assert (validate(spec) == []) is ok


def test_months_that_add_up_exactly_without_float_drift():
    months = "".join(f'    - {{month: "2027-{m:02d}", gmv: 0.1, budget: 0.1}}\n' for m in (1, 2, 3))
    spec = parse_spec(MINIMAL.replace("100万", "0.3") + "  annual_budget: 0.3\n  months:\n" + months)
    assert validate(spec) == []


def test_a_month_without_a_budget_beside_months_with_one_is_an_error_at_its_line():
    # Otherwise the deck prints two budgets: the months' sum on one slide, annual_budget on
    # another. The sum itself is not compared (one error, not two).
    spec = parse_spec(MINIMAL.replace("100万", "2") + "  annual_budget: 5\n  months:\n"
                      '    - {month: "2027-01", gmv: 1, budget: 1}\n'
                      '    - {month: "2027-02", gmv: 1}\n')
    [problem] = validate(spec)
    assert (problem.code, problem.line, problem.path) == ("PF200", 13, "$.targets.months[1]")
    assert "2027-02 has no budget" in problem.message and "line 12" in problem.message


def test_no_semantic_noise_after_a_schema_error():
    spec = parse_spec(MINIMAL + '  months:\n    - {month: "2027-01", gmv: lots}\n')
    assert [p.path for p in validate(spec)] == ["$.targets.months[0].gmv"]


def test_image_link_leading_out_is_refused(tmp_path):
    outside = tmp_path / "outside.png"
    shutil.copy(HERE / "cases" / "invalid" / "assets" / "not-really.png", outside)
    folder = tmp_path / "spec"
    folder.mkdir()
    try:
        (folder / "logo.png").symlink_to(outside)
    except OSError:
        pytest.skip("symbolic links are not available here")
    spec_file = folder / "plan.yaml"
    with_logo = MINIMAL.replace("  name: Northwind\n", "  name: Northwind\n  logo: logo.png\n", 1)
    spec_file.write_text(with_logo, encoding="utf-8")
    (problem,) = validate(load_spec(spec_file))
    assert "points outside the spec file's folder" in problem.message


def test_real_jpeg_and_png_accepted(tmp_path):
    # Real files: the images are decoded at validation (a header alone is not an image).
    from PIL import Image

    Image.new("RGB", (8, 6), (200, 30, 30)).save(tmp_path / "a.jpg", "JPEG")
    Image.new("L", (6, 8), 128).save(tmp_path / "b.png", "PNG")
    (tmp_path / "plan.yaml").write_text(
        MINIMAL.replace("  name: Northwind\n", "  name: Northwind\n  logo: ./a.jpg\n", 1)
        + "products:\n  - {name: Pan, image: b.png}\n", encoding="utf-8")
    assert validate(load_spec(tmp_path / "plan.yaml")) == []


# Values of every kind a YAML file can hold, to drop anywhere in a good spec.
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**12) | st.floats(allow_nan=True)
    | st.text(max_size=12) | st.dates()
    | st.sampled_from(["2027-13", "Q9", "280%", "../x.png", "15万"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _paths(data, path=()):
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, path + (i,))


@pytest.fixture(scope="module")
def full_spec():
    return load_spec(contract("contract-full.zh.yaml"))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_never_crashes_on_bad_data(full_spec, data):
    import copy

    spec = full_spec
    mutated = copy.deepcopy(spec.data)
    paths = [p for p in _paths(mutated) if p]
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(paths))
        parent = mutated
        try:
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = data.draw(_ANY)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
    problems = validate(Spec(path=spec.path, data=mutated, lines=spec.lines,
                             positions=spec.positions, key_positions=spec.key_positions))
    assert all(p.message and p.path.startswith("$") for p in problems)
