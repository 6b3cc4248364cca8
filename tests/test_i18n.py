"""Messages in the user's language: zh-CN and en catalogs, chosen by --lang, the spec's
meta.locale or the environment, and complete (no message lacks a translation)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import i18n as catalogs  # noqa: E402  (tools/i18n.py)

ZH_BAD = (
    "planforge: 1\nmeta:\n  year: 2027\n  locale: zh-CN\n  store_type: 旗舰\n"
    "brnad: {name: 青岚}\ncompany: {name: 福建青岚茶业有限公司}\ntargets: {annual_gmv: 15w}\n"
)


@pytest.fixture(autouse=True)
def _as_a_user(any_language):
    """Every test here sees the language as a user would get it."""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_message_lacks_a_translation():
    assert catalogs.missing("zh_CN") == []


def test_translations_keep_every_placeholder():
    from planforge.i18n import catalog

    zh = catalog("zh-CN")
    assert len(zh) > 100
    for msgid, msgstr in zh.items():
        for text in msgstr if isinstance(msgstr, tuple) else (msgstr,):
            assert set(re.findall(r"\{(\w*)\}", text)) == set(re.findall(r"\{(\w*)\}", msgid)), (
                msgid
            )


def test_the_template_catalog_is_current():
    """planforge/locale/planforge.pot is what tools/i18n.py extract gives (run it when not)."""
    from babel.messages.pofile import read_po

    with catalogs.POT.open("rb") as fh:
        committed = {m.id for m in read_po(fh) if m.id}
    assert committed == {m.id for m in catalogs.extract() if m.id}


def test_english_catalog_exists_for_every_message():
    from babel.messages.pofile import read_po

    with catalogs.po_path("en").open("rb") as fh:
        english = {m.id for m in read_po(fh) if m.id}
    assert english == {m.id for m in catalogs.extract() if m.id}


def test_a_chinese_spec_gets_chinese_errors_at_the_same_place(cli, tmp_path):
    spec = _write(tmp_path, ZH_BAD)
    result = cli("validate", spec)
    assert result.exit_code == 1
    err = result.stderr
    assert f"{spec}:6:1: $.brnad: 未知的键 'brnad'——是不是要写 'brand'？" in err
    assert f"{spec}:8:23: $.targets.annual_gmv: 应为金额，例如 150000、15万" in err
    assert "（'w' 请写成“万”）" in err
    assert "expected" not in err and "unknown key" not in err


def test_lang_option_wins_over_the_spec(cli, tmp_path):
    spec = _write(tmp_path, ZH_BAD)
    result = cli("--lang", "en", "validate", spec)
    assert "unknown key 'brnad' — did you mean 'brand'?" in result.stderr


def test_environment_language_for_a_spec_without_locale(cli, tmp_path, monkeypatch):
    spec = _write(tmp_path, ZH_BAD.replace("  locale: zh-CN\n", ""))
    assert "unknown key" in cli("validate", spec).stderr
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "未知的键" in cli("validate", spec).stderr
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL wins over LANG, as in gettext
    assert "unknown key" in cli("validate", spec).stderr


def test_check_text_and_warnings_in_chinese(cli, tmp_path):
    spec = _write(
        tmp_path,
        "planforge: 1\nmeta: {year: 2027, locale: zh-CN}\n"
        "brand: {name: 测试, slogan: 全网最好的茶}\ncompany: {name: 测试公司}\n"
        "targets: {annual_gmv: 100万}\n",
    )
    out = cli("check", spec).stdout
    assert "2027 年度：成交额 100万" in out and "警告（1 条）：" in out
    assert "绝对化用语" in out and "入驻准备：" in out


def test_message_only_errors_follow_the_environment(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = cli("validate", tmp_path / "none.yaml")
    assert result.exit_code == 1 and "文件不存在" in result.stderr


def test_init_asks_in_chinese_and_explains_a_bad_year(cli, tmp_path, monkeypatch):
    import planforge.cli.initcmd

    monkeypatch.setattr(planforge.cli.initcmd, "is_terminal", lambda: True)
    target = tmp_path / "b.yaml"
    result = cli(
        "init",
        target,
        "--locale",
        "zh-CN",
        input="青岚\n福建青岚茶业有限公司\n二〇二七\n2027\n15w\n600万\n",
    )
    assert result.exit_code == 0, result.text
    assert "品牌名称" in result.stdout and "计划年度" in result.stdout
    assert "不是年份；请写四位数字" in result.stdout
    assert "不是金额" in result.stdout
    assert "is not a valid integer" not in result.stdout


@pytest.mark.parametrize(
    "value, expected",
    [
        ("zh_CN.UTF-8", "zh-CN"),
        ("zh_TW", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("en_US.UTF-8", "en"),
        ("C", "en"),
        ("POSIX", "en"),
        ("fr_FR.UTF-8", None),
    ],
)
def test_locale_names_are_normalized(value, expected):
    from planforge.i18n import normalize

    assert normalize(value) == expected


ALIASED = (
    "planforge: 1\nmeta: {year: 2027, locale: zh-CN, store_type: 旗舰店}\n"
    'brand:\n  name: 青岚\n  trademark: {registration_no: "第12345678号", status: R标}\n'
    "  patents: [{name: 一种茶具, kind: 实用新型}]\n"
    "company: {name: 福建青岚茶业有限公司, channels: [{name: 淘宝店, type: 线上}]}\n"
    "products:\n  - {name: 高山乌龙, role: 爆款, price: 168}\n"
    "  - {name: 试饮装, role: 引流款, price: 19.9}\n  - {name: 礼盒, role: 利润款, price: 598}\n"
    "targets: {annual_gmv: 600万}\n"
    "roadmap:\n  - {quarter: 一季度, phase: 冷启动}\n"
    "promotion: {channels: [{name: 直通车, kind: 付费推广}]}\n"
    "membership: {tiers: [{name: 金卡, threshold: 5000, discount: 95折},"
    " {name: 黑卡, threshold: 20000, discount: 8.5折}]}\n"
)


def test_chinese_names_of_the_vocabulary_are_accepted(tmp_path):
    from decimal import Decimal

    from planforge import api

    plan = api.load_plan(_write(tmp_path, ALIASED))
    assert plan.meta.store_type == "flagship"
    assert plan.brand.trademark.status == "R"
    assert [p.role for p in plan.products] == ["hero", "traffic", "profit"]
    assert plan.roadmap[0].quarter == "Q1"
    assert [t.discount for t in plan.membership.tiers] == [Decimal("0.95"), Decimal("0.85")]


def test_a_near_miss_of_a_chinese_name_gets_did_you_mean_in_chinese(cli, tmp_path):
    spec = _write(tmp_path, ALIASED.replace("store_type: 旗舰店", "store_type: 旗舰点"))
    result = cli("validate", spec)
    assert result.exit_code == 1
    assert (
        "$.meta.store_type: 应为以下之一：flagship（旗舰店）, specialty（专卖店）, franchise（专营店）"
        in result.stderr
    )
    assert "实际是文本 '旗舰点'——是不是要写 '旗舰店'？" in result.stderr


def test_discounts_written_the_chinese_way():
    from decimal import Decimal

    from planforge.units import parse_ratio

    assert parse_ratio("95折") == Decimal("0.95")
    assert parse_ratio("9折") == Decimal("0.9")
    assert parse_ratio("8.5折") == Decimal("0.85")
    assert parse_ratio("10折") == Decimal(1)
    with pytest.raises(ValueError):
        parse_ratio("120折")


def test_help_in_chinese(cli, monkeypatch):
    top = cli("--lang", "zh-CN", "--help")
    assert (
        "把一个品牌的 YAML 方案文件生成天猫入驻方案" in top.stdout
        and "显示版本号并退出" in top.stdout
    )
    from planforge import i18n

    i18n.set_language(None)  # a new command line: no --lang this time
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    check = cli("check", "--help")
    assert "只输出问题（错误和警告）" in check.stdout
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "Print only problems" in cli("check", "--help").stdout


def test_consistency_warnings_in_chinese(cli, tmp_path):
    spec = _write(
        tmp_path,
        "planforge: 1\nmeta: {year: 2027, locale: zh-CN}\nbrand: {name: 青岚}\n"
        "company: {name: 青岚公司}\ntargets: {annual_gmv: 100万}\n"
        "roadmap:\n  - {quarter: Q1, gmv_target: 50万}\n",
    )
    out = cli("check", spec).stdout
    assert "Q1 的 gmv_target 为 500,000，但 Q1 各月成交额合计" in out


def _planforge_under_chinese_lang(cwd, *args: str, **env: str):
    """Run ``python -m planforge ARGS`` in a new process whose environment says zh_CN."""
    import os
    import subprocess

    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "PLANFORGE_LANG")
    }
    clean.update(LANG="zh_CN.UTF-8", PYTHONPATH=str(ROOT), **env)
    out = subprocess.run(
        [sys.executable, "-m", "planforge", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )
    assert out.returncode == 0, out.stderr
    return out


def test_click_speaks_chinese_under_lang_in_a_new_process(tmp_path):
    out = _planforge_under_chinese_lang(tmp_path, "check", "--help")
    assert out.stdout.startswith("用法：")
    assert "选项" in out.stdout and "显示本帮助并退出。" in out.stdout
    assert "--rules 文件" in out.stdout and "Usage:" not in out.stdout


@pytest.mark.parametrize("command", [["--help"], ["check", "--help"], ["build", "--help"]])
def test_chinese_help_wraps_at_the_terminals_width(tmp_path, command):
    """A Chinese character takes two columns: help wrapped by character count ran to about
    twice the width of an 80-column terminal."""
    from planforge.i18n import display_width

    out = _planforge_under_chinese_lang(tmp_path, *command, COLUMNS="80")
    assert "用法" in out.stdout
    too_wide = [line for line in out.stdout.splitlines() if display_width(line) > 80]
    assert too_wide == []


def test_click_speaks_chinese_after_an_english_command_line(cli, monkeypatch):
    """click fills some texts in once (the help option's, the name of a file argument): a
    command line in Chinese after one in English in the same process must not keep them
    English, nor the next English one Chinese."""
    from planforge import i18n

    monkeypatch.setenv("LANG", "C.UTF-8")
    english = cli("check", "--help").stdout
    assert "Usage:" in english and "Show this message and exit." in english
    assert "--rules FILE" in english

    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    chinese = cli("check", "--help").stdout
    assert chinese.startswith("用法：") and "显示本帮助并退出。" in chinese
    assert "--rules 文件" in chinese
    assert "Show this message" not in chinese and "FILE" not in chinese
    # The help columns line up on screen: a Chinese character is two columns wide.
    starts = {
        i18n.display_width(line[: line.index(text)])
        for line, text in (
            (next(ln for ln in chinese.splitlines() if "--rules" in ln), "使用指定的入驻规则表"),
            (next(ln for ln in chinese.splitlines() if "--help" in ln), "显示本帮助"),
        )
    }
    assert len(starts) == 1

    monkeypatch.setenv("LANG", "C.UTF-8")
    again = cli("check", "--help").stdout
    assert again == english


SMALL = (
    "planforge: 1\nmeta: {{year: 2027, locale: {locale}}}\nbrand: {{name: Kite}}\n"
    "company: {{name: Kite Ltd}}\ntargets: {{annual_gmv: 100万, annual_budget: 20万}}\n"
    "products:\n  - {{name: Kite Pan, price: 100, cost: 120}}\n"
)


def test_economics_and_consistency_warnings_follow_the_spec(cli, tmp_path):
    zh = cli("check", _write(tmp_path, SMALL.format(locale="zh-CN"), "zh.yaml")).stdout
    en = cli("check", _write(tmp_path, SMALL.format(locale="en"), "en.yaml")).stdout
    # PF213 (cost above price), in the spec's language.
    assert "'Kite Pan' 的成本为 120，售价为 100（成本高于或等于售价 20）：毛利率为 -20%" in zh
    assert (
        "'Kite Pan' costs 120 to make and sells for 100 (20 at or above the price): "
        "its gross margin is -20%" in en
    )
    # The economics and paid channels of check's text (the examples have them).
    from conftest import EXAMPLES

    zh = cli("check", EXAMPLES / "mutang-skincare.zh.yaml").stdout
    en = cli("check", EXAMPLES / "ironleaf-cookware.en.yaml").stdout
    assert "经营测算：盈亏平衡 ROI 1.78（计划 4.00），经营结果 30.07万（占成交额 6.26%）" in zh
    assert "综合毛利率 73.76%（按销售占比加权）" in zh and "付费渠道：带来成交额" in zh
    assert "Economics: break-even ROI" not in zh and "Paid channels" not in zh
    assert "Economics: break-even ROI" in en and "Paid channels:" in en and "经营测算" not in en
    # --lang wins over the spec.
    assert (
        "Economics: break-even ROI 1.78 (planned 4.00)"
        in cli("--lang", "en", "check", EXAMPLES / "mutang-skincare.zh.yaml").stdout
    )


def test_batch_summary_and_build_lines_in_the_users_language(cli, tmp_path):
    bad = [_write(tmp_path, ZH_BAD, f"bad{n}.yaml") for n in (1, 2)]
    zh = cli("--lang", "zh-CN", "build", *bad, "-o", tmp_path / "out")
    assert zh.exit_code == 1
    assert "共 2 个方案文件，已生成 0 个，2 个失败" in zh.stderr
    en = cli("--lang", "en", "build", *bad, "-o", tmp_path / "out")
    assert "0 of 2 specs built, 2 failed" in en.stderr
    one = cli(
        "--lang",
        "en",
        "build",
        bad[0],
        _write(tmp_path, "nothing", "x.yaml"),
        "-o",
        tmp_path / "out",
    )
    assert "0 of 2 specs built, 2 failed" in one.stderr


def test_the_built_line_follows_the_spec(tmp_path):
    from planforge.cli.batch import BuildJob, build_one

    spec = tmp_path / "s.yaml"
    text = SMALL.format(locale="zh-CN").replace("cost: 120", "cost: 20")
    spec.write_text(text, encoding="utf-8")
    zh = build_one(BuildJob(spec=spec, out_dir=tmp_path / "out", template=None, formats=("pptx",)))
    (line,) = zh.out
    assert line.startswith(f"{spec}：已生成 ") and line.endswith(" 页）")
    spec.write_text(text.replace("zh-CN", "en"), encoding="utf-8")
    en = build_one(BuildJob(spec=spec, out_dir=tmp_path / "out", template=None, formats=("pptx",)))
    assert en.out[0].startswith(f"{spec}: built ") and en.out[0].endswith(" slides)")


def test_watch_says_a_failed_build_in_the_specs_language(tmp_path):
    from planforge.cli.batch import BuildJob
    from planforge.cli.watch import Watched, _build

    spec = _write(tmp_path, ZH_BAD)
    item = Watched(BuildJob(spec=spec, out_dir=tmp_path / "out", template=None, formats=("pptx",)))
    assert _build(item, None).err[-1] == f"{spec}：未生成"
    assert _build(item, [spec]).err[-1] == f"{spec}：未重新生成；保留上次成功生成的文档"
    spec.write_text(ZH_BAD.replace("zh-CN", "en"), encoding="utf-8")
    assert _build(item, None).err[-1] == f"{spec}: not built"


def test_table_and_unit_messages_in_chinese(cli, tmp_path):
    from planforge import i18n
    from planforge.units import parse_money

    with i18n.using("zh-CN"):
        with pytest.raises(ValueError, match="'abc' 不是金额：应为以元为单位的数字"):
            parse_money("abc")
    with i18n.using("en"):
        with pytest.raises(ValueError, match="'abc' is not an amount of money: expected a number"):
            parse_money("abc")
    spec = _write(tmp_path, SMALL.format(locale="zh-CN"))
    missing = cli("check", "--calendar", tmp_path / "none.yaml", spec)
    assert missing.exit_code == 1 and "none.yaml：节日日历文件不存在" in missing.stderr
    broken = _write(tmp_path, "planforge: 1\nfestivals: []\nyeers: {}\n", "cal.yaml")
    bad = cli("check", "--calendar", broken, spec)
    assert (
        "节日日历文件缺少 'calendar'" in bad.stderr
        and "节日日历文件中有未知的键 'yeers'" in bad.stderr
    )
    # An empty table is told what a table starts with, not what a spec does.
    empty = _write(tmp_path, "# nothing yet\n", "empty.yaml")
    told = cli("check", "--calendar", empty, spec)
    assert told.exit_code == 1
    assert "empty.yaml：文件是空的；节日日历文件以 'calendar: 1' 开头" in told.stderr, told.text
    assert "planforge: 1" not in told.stderr
    told = cli("--lang", "en", "check", "--rules", empty, spec)
    assert "the file is empty; a rules file starts with 'rules: 1'" in told.stderr, told.text


def test_serve_refuses_a_bad_target_in_the_users_language(cli, tmp_path):
    target = tmp_path / "notes.txt"
    zh = cli("--lang", "zh-CN", "serve", target)
    assert zh.exit_code == 2 and "notes.txt 既不是文件夹，也不是 .yaml 方案文件" in zh.stderr
    en = cli("--lang", "en", "serve", target)
    assert "notes.txt is neither a folder nor a .yaml spec" in en.stderr
