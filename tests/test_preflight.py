"""The entry pre-flight, the readiness report's store-type rules, festival and price-band checks."""

from __future__ import annotations

import json

import pytest

from test_opening import BASE, plan_of, write

SHARED_ECON = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "specs" / \
    "contract-economics.zh.yaml"


def item(plan, key):
    return next(i for i in plan.preflight.items if i.key == key)


def test_the_base_spec_passes_every_requirement(tmp_path):
    pf = plan_of(tmp_path).preflight
    assert pf.passed and pf.met == len(pf.items) == 8, [(i.key, i.status) for i in pf.items]
    assert all(i.field is None for i in pf.items)


@pytest.mark.skipif(not SHARED_ECON.exists(), reason="../shared/specs is not beside this checkout")
def test_contract_economics_spec_all_met_deposit_5wan_fee_3wan():
    from planforge import api

    plan = api.load_plan(SHARED_ECON)
    assert plan.preflight.passed, [(i.key, i.status, i.reason) for i in plan.preflight.items]
    assert plan.opening.deposit == 50000 and plan.opening.annual_fee == 30000
    assert plan.opening.annual_fee_from_spec  # economics.annual_fee: 3万
    assert plan.economics.deposit == 50000  # the funding need counts the deposit


# Each rule: a change to the base spec, the item, the status and words of its reason/field.
CASES = [
    ("company_type: enterprise", "company_type: individual", "company_type", "missing",
     "个体工商户不能开设天猫店", "qualification.company_type"),
    ("company_type: enterprise", "company_type: overseas", "company_type", "missing",
     "天猫国际", "qualification.company_type"),
    ("  company_type: enterprise\n", "", "company_type", "unknown", "未写明公司类型",
     "qualification.company_type"),
    ("taxpayer: general", "taxpayer: small", "taxpayer", "missing", "一般纳税人",
     "qualification.taxpayer"),
    ("registered_capital: 800万", "registered_capital: 50万", "capital", "missing",
     "低于要求的100万", "company.registered_capital"),
    (", registered_capital: 800万", "", "capital", "unknown", "未写明注册资本",
     "company.registered_capital"),
    ("founded: 2016-04-01", "founded: 2025-06-01", "company_age", "missing", "未满2年",
     "company.founded"),
    ("status: R,", "status: TM,", "trademark", "met", "自荐品牌一般需R标", None),
    ("store_type: flagship, ", "", "authorisation", "missing", "未选择店铺类型", "meta.store_type"),
    ("authorisation: owner", "authorisation: authorised", "authorisation", "missing",
     "普通授权只能开专卖店", "qualification.authorisation"),
    ("holder: 南通织云家纺有限公司", "holder: 织云控股有限公司", "authorisation", "missing",
     "商标持有人为织云控股有限公司", "brand.trademark.holder"),
    ("store_type: flagship", "store_type: franchise", "authorisation", "missing",
     "两个及以上品牌", "qualification.brands"),
    ("licences: []", "licences: [{name: 食品经营许可证, until: 2026-01-31}]", "licences", "missing",
     "已于2026-01-31到期", "qualification.licences"),
    ("category: 家居家纺 / 床品", "category: 休闲食品", "licences", "missing", "食品经营许可证",
     "qualification.licences"),
    ("category: 家居家纺 / 床品, ", "", "licences", "unknown", "未写明类目", "meta.category"),
]


@pytest.mark.parametrize("old, new, key, status, words, field", CASES,
                         ids=[f"{c[2]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_preflight_rule(tmp_path, old, new, key, status, words, field):
    assert old in BASE
    plan = plan_of(tmp_path, BASE.replace(old, new, 1))
    got = item(plan, key)
    assert (got.status, got.field) == (status, field), got
    assert words in got.reason, got.reason
    assert plan.preflight.passed is (status == "met")


def test_flagship_with_tm_has_the_higher_deposit(tmp_path):
    plan = plan_of(tmp_path, BASE.replace("status: R,", "status: TM,"))
    assert plan.opening.deposit == 100000 and "10万" in item(plan, "trademark").reason


def test_flagship_under_an_exclusive_licence_passes(tmp_path):
    text = BASE.replace("holder: 南通织云家纺有限公司", "holder: 织云控股有限公司").replace(
        "authorisation: owner", "authorisation: exclusive\n  authorisation_until: 2029-12-31")
    plan = plan_of(tmp_path, text)
    assert plan.preflight.passed, [(i.key, i.status, i.reason) for i in plan.preflight.items]
    readiness = next(i for i in plan.readiness.items if i.key == "store_type")
    assert readiness.status == "met" and "独占授权" in readiness.evidence


def test_authorisation_must_run_a_year_past_the_document_date(tmp_path):
    text = BASE.replace("store_type: flagship", "store_type: specialty").replace(
        "authorisation: owner", "authorisation: authorised\n  authorisation_until: 2027-06-30")
    got = item(plan_of(tmp_path, text), "authorisation_term")
    assert got.status == "missing" and "不足2026-12-10起一年" in got.reason
    text = text.replace("2027-06-30", "2028-01-31")
    assert item(plan_of(tmp_path, text), "authorisation_term").status == "met"
    text = text.replace("\n  authorisation_until: 2028-01-31", "")
    got = item(plan_of(tmp_path, text), "authorisation_term")
    assert got.status == "unknown" and got.field == "qualification.authorisation_until"


def test_franchise_store_with_two_brands_passes(tmp_path):
    text = BASE.replace("store_type: flagship", "store_type: franchise").replace(
        "brands: [织云]", "brands: [织云, 眠境]").replace(
        "authorisation: owner", "authorisation: authorised\n  authorisation_until: 2028-12-31")
    plan = plan_of(tmp_path, text)
    assert item(plan, "authorisation").status == "met"
    assert next(i for i in plan.readiness.items if i.key == "store_type").status == "met"


def test_food_store_with_its_licence_passes(tmp_path):
    text = BASE.replace("category: 家居家纺 / 床品", "category: 茶 / 乌龙茶").replace(
        "licences: []", 'licences: [{name: 食品经营许可证, number: "JY13501", until: 2030-01-01}]')
    got = item(plan_of(tmp_path, text), "licences")
    assert got.status == "met" and "食品经营许可证" in got.reason


def test_english_spec_reads_in_english(tmp_path):
    text = BASE.replace("locale: zh-CN", "locale: en").replace("company_type: enterprise",
                                                               "company_type: overseas")
    got = item(plan_of(tmp_path, text), "company_type")
    assert got.title == "Company type" and "Tmall Global" in got.reason


# -- the readiness report's own mistakes -----------------------------------------------------------

def test_readiness_without_store_type_is_missing(tmp_path):
    plan = plan_of(tmp_path, BASE.replace("store_type: flagship, ", ""))
    r = next(i for i in plan.readiness.items if i.key == "store_type")
    assert r.status == "missing"


def test_readiness_specialty_without_authorisation_is_missing(tmp_path):
    text = BASE.replace("store_type: flagship", "store_type: specialty").replace(
        "holder: 南通织云家纺有限公司", "holder: 织云控股有限公司").replace(
        "  authorisation: owner\n", "")
    r = next(i for i in plan_of(tmp_path, text).readiness.items if i.key == "store_type")
    assert r.status == "missing" and "授权" in r.advice


def test_products_without_selling_points_are_not_evidence(tmp_path):
    text = BASE + "products:\n" + "".join(f"  - {{name: 商品{i}}}\n" for i in range(5))
    plan = plan_of(tmp_path, text)
    r = next(i for i in plan.readiness.items if i.key == "products")
    assert r.status == "missing" and r.evidence == "5款商品，其中0款写明卖点"
    text = text.replace("{name: 商品0}", "{name: 商品0, selling_points: [60支长绒棉]}")
    r = next(i for i in plan_of(tmp_path, text).readiness.items if i.key == "products")
    assert r.status == "met"


# -- check: text and JSON --------------------------------------------------------------------------

def test_check_prints_the_preflight_and_the_cost_of_opening(tmp_path, cli):
    path = write(tmp_path, BASE.replace("taxpayer: general", "taxpayer: small"))
    result = cli("check", path)
    assert result.exit_code == 0, result.text
    out = result.stdout
    assert "Pre-flight (Tmall entry qualification): 7 met, 1 missing, 0 unknown" in out
    # The items in the language of the messages (English here, as with --lang en), not the
    # Chinese the documents of this zh-CN spec print.
    assert "✗ General taxpayer status: small-scale taxpayer: Tmall requires" in out
    assert "→ qualification.taxpayer" in out and "一般纳税人资格" not in out
    assert "Cost of opening (家纺, indicative, rules table of 2026-11-01): deposit 5万" in out
    assert "annual fee 3万 (50.00% refunded at 18万, 100.00% refunded at 60万 of annual sales)" in out
    data = json.loads(cli("check", path, "--format", "json").stdout)["files"][0]["figures"]
    pf = data["preflight"]
    assert (pf["met"], pf["missing"], pf["unknown"], pf["passed"]) == (7, 1, 0, False)
    tax = next(i for i in pf["items"] if i["key"] == "taxpayer")
    assert tax["status"] == "missing" and tax["field"] == "qualification.taxpayer"
    assert data["opening"]["deposit"] == "50000" and data["opening"]["annual_fee"] == "30000"
    assert data["opening"]["indicative"] is True and data["opening"]["sources"]
    # The documents keep the spec's locale: the plan's own items are Chinese.
    plan = plan_of(tmp_path, BASE.replace("taxpayer: general", "taxpayer: small"))
    item = next(i for i in plan.preflight.items if i.key == "taxpayer")
    assert item.title == "一般纳税人资格" and item.reason.startswith("小规模纳税人")


def test_check_gives_the_preflight_in_the_specs_language(tmp_path, cli, any_language):
    path = write(tmp_path, BASE.replace("taxpayer: general", "taxpayer: small"))
    out = cli("check", path).stdout
    assert "✗ 一般纳税人资格: 小规模纳税人：天猫要求一般纳税人资格" in out
    english = cli("--lang", "en", "check", path).stdout
    assert "✗ General taxpayer status: small-scale taxpayer" in english
    assert "一般纳税人资格" not in english


# -- festivals ------------------------------------------------------------------------------------

EVENTS = "promotion:\n  events:\n{}"


def _with_events(*events: str) -> str:
    return BASE + EVENTS.format("".join(f"    - {e}\n" for e in events))


@pytest.mark.parametrize("name, date", [("618大促", "2027-07-18"), ("双11", "2027-12-11"),
                                        ("双12", "2027-11-12"), ("年货节", "2027-03-01"),
                                        ("38女王节", "2027-04-08"), ("Double 11", "2027-10-01")])
def test_event_named_after_a_festival_outside_its_window_warns(tmp_path, name, date):
    plan = plan_of(tmp_path, _with_events(f'{{name: "{name}", date: "{date}"}}'))
    (w,) = [w for w in plan.warnings if w.code == "PF271"]
    assert w.path == "$.promotion.events[0].date" and date in w.message and "window" in w.message


def test_events_inside_their_windows_do_not_warn_and_leave_no_note(tmp_path):
    plan = plan_of(tmp_path, _with_events('{name: "618", date: "2027-06-18"}',
                                          '{name: 双11狂欢, date: "2027-11-11"}',
                                          '{name: 年货节, date: "2027-01-20"}'))
    assert not [w for w in plan.warnings if w.code == "PF271"] and plan.notes == []


def test_618_and_double11_without_events_are_notes_that_never_fail_strict(tmp_path, cli):
    plan = plan_of(tmp_path, _with_events('{name: 双11, date: "2027-11-11"}'))
    (n,) = plan.notes
    assert n.code == "PF272" and n.severity == "info" and "618" in n.message
    path = write(tmp_path, _with_events('{name: 双11, date: "2027-11-11"}'))
    result = cli("check", "--strict", path)
    assert result.exit_code == 0, result.text
    assert "Notes (1, information only)" in result.stdout and "618" in result.stdout
    data = json.loads(cli("check", "--strict", "--format", "json", path).stdout)
    # Information, not a diagnostic: the JSON keeps it with the figures.
    assert not [d for d in data["files"][0]["diagnostics"] if d["code"] == "PF272"]
    (note,) = data["files"][0]["figures"]["notes"]
    assert note["code"] == "PF272" and note["severity"] == "info"


def test_festival_windows_of_the_plan_year_are_on_the_plan(tmp_path):
    fest = {w.key: w for w in plan_of(tmp_path).festivals}
    assert fest["double11"].start.isoformat() == "2027-10-20"
    assert 9.6 < fest["double11"].start_col < 9.62 and 10.36 < fest["double11"].end_col < 10.37
    assert fest["new_year_goods"].name == "年货节"


# -- price bands -----------------------------------------------------------------------------------

MARKET = """\
products:
  - {name: 四件套, role: hero, price: 599}
  - {name: 夏被, role: traffic, price: 199}
market:
  competitors:
    - {name: 甲, price_band: 199-499元}
    - {name: 乙, price_band: "¥300–¥800"}
    - {name: 丙, price_band: 0.1万-0.25万}
"""


def test_price_bands_are_read_from_competitors(tmp_path):
    from planforge.model.price_bands import parse_band

    plan = plan_of(tmp_path, BASE + MARKET)
    assert [(b.name, b.low, b.high) for b in plan.price_bands] == [
        ("甲", 199, 499), ("乙", 300, 800), ("丙", 1000, 2500)]
    assert parse_band("1.2-2万") == (12000, 20000)
    assert parse_band("about 300") is None
    assert not [w for w in plan.warnings if w.code in ("PF273", "PF274")]


def test_hero_outside_every_band_warns(tmp_path):
    plan = plan_of(tmp_path, BASE + MARKET.replace("price: 599", "price: 899"))
    (w,) = [w for w in plan.warnings if w.code == "PF273"]
    assert w.path == "$.products[0].price" and "899" in w.message and "甲 199-499元" in w.message


def test_unreadable_band_is_said_not_dropped_silently(tmp_path):
    plan = plan_of(tmp_path, BASE + MARKET.replace("0.1万-0.25万", "中高端"))
    (w,) = [w for w in plan.warnings if w.code == "PF274"]
    assert "中高端" in w.message and [b.name for b in plan.price_bands] == ["甲", "乙"]


# -- the documents: price-band chart, Gantt festival bands, pre-flight and cost of opening --------

EXAMPLE_ZH = __import__("pathlib").Path(__file__).resolve().parents[1] / "examples" / \
    "mutang-skincare.zh.yaml"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _chart_series(space):
    """(plot kind, series name, values) of every series of a chart part."""
    out = []
    for plot in space.find(f"{_C}chart").find(f"{_C}plotArea"):
        kind = plot.tag.replace(_C, "")
        for ser in plot.findall(f"{_C}ser"):
            name = ser.find(f"{_C}tx").find(f".//{_C}v").text
            vals = [float(v.text) for v in ser.find(f"{_C}val").iter(f"{_C}v")]
            out.append((kind, name, vals))
    return out


@pytest.fixture(scope="module")
def example_docs():
    from planforge import api

    return api.render(EXAMPLE_ZH)


def _parts(blob: bytes, folder: str):
    import io
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.startswith(folder) and n.endswith(".xml") and "/_rels/" not in n}


def _band_chart(parts):
    for space in parts.values():
        series = _chart_series(space)
        if series and series[0][0] == "barChart" and any(k == "lineChart" for k, _, _ in series):
            if series[1][1] == "价格带":
                return series
    raise AssertionError("no price-band chart")


@pytest.mark.parametrize("kind, folder", [("pptx", "ppt/charts/"), ("docx", "word/charts/")])
def test_price_band_chart_plots_the_bands_and_the_prices(example_docs, kind, folder):
    plan = example_docs.plan
    series = _band_chart(_parts(example_docs.files[kind], folder))
    bars = [s for s in series if s[0] == "barChart"]
    lines = [s for s in series if s[0] == "lineChart"]
    # Floating bars: an unfilled base at each low price, then the band's width.
    assert bars[0][2] == [float(b.low) for b in plan.price_bands]
    assert [lo + w for lo, w in zip(bars[0][2], bars[1][2])] == [float(b.high)
                                                                  for b in plan.price_bands]
    # One line per priced product, at its price across every competitor.
    assert [(n, v) for _, n, v in lines] == [(p.name, [float(p.price)] * len(plan.price_bands))
                                             for p in plan.products if p.price is not None]


def test_deck_gantt_draws_the_festival_bands(example_docs):
    from pptx import Presentation
    import io

    prs = Presentation(io.BytesIO(example_docs.pptx))
    texts = set()
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.name == "gantt:gantt":
                texts |= {s.text_frame.text for s in shape.shapes if s.has_text_frame}
    assert {"大促节点", "年货节", "618", "双11", "双12", "38节"} <= texts


def test_deck_has_the_preflight_slide_with_the_cost_of_opening(example_docs):
    from pptx import Presentation
    import io

    prs = Presentation(io.BytesIO(example_docs.pptx))
    slide = next(s for s in prs.slides if s.shapes.title is not None
                 and s.shapes.title.text_frame.text == "入驻资质预检与开店成本")
    text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "保证金  5万" in text and "软件服务年费  3万" in text and "indicative" in text
    assert "开店公司、商标授权与行业资质均已满足" in text


def test_plan_gantt_has_a_festival_row_and_the_appendix_the_preflight(example_docs):
    import io

    from docx import Document

    doc = Document(io.BytesIO(example_docs.docx))
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    fest = next(r for r in rows if r[0] == "大促节点")
    assert fest[2] == "年货节" and "618" in fest[7] and "双11" in fest[12]
    assert ["公司类型", "已具备", "企业（有限公司）", ""] in rows
    assert any(r[:2] == ["保证金", "5万（方案给定）"] for r in rows)


def test_documents_carry_the_calendars_indicative_note(example_docs):
    import io
    import zipfile

    note = example_docs.plan.calendar_note
    assert "indicative" in note
    for kind in ("pptx", "docx"):
        with zipfile.ZipFile(io.BytesIO(example_docs.files[kind])) as z:
            text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        assert note in text, kind
