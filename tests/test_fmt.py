"""Number, money and date formatting per locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planforge import fmt
from planforge.fmt import filters_for


@pytest.mark.parametrize("value, zh, en", [
    (150000, "15万", "¥150,000"),
    (62500, "6.25万", "¥62,500"),
    (120000000, "1.2亿", "¥120,000,000"),
    (9800, "9,800元", "¥9,800"),
    (Decimal("9800.5"), "9,800.50元", "¥9,800.50"),
    (12345, "1.23万", "¥12,345"),
    (139999, "14万", "¥139,999"),
    (12350, "1.24万", "¥12,350"),
    (9950, "1万", "¥9,950"),
    (0, "0", "¥0"),
    ("15万", "15万", "¥150,000"),
    (-20000, "-2万", "-¥20,000"),
])
def test_money(value, zh, en):
    assert fmt.money(value, "zh-CN") == zh
    assert fmt.money(value, "en") == en


@pytest.mark.parametrize("value, en", [
    (4_300_000, "¥4.3M"), (150_000, "¥150K"), (6_000_000, "¥6M"), (999_960, "¥1M"),
    (1_250_000_000, "¥1.3B"), (500, "¥500"),
])
def test_money_compact(value, en):
    assert fmt.money_compact(value, "en") == en
    assert fmt.money_compact(value, "zh-CN") == fmt.money(value, "zh-CN")


def test_float_input_has_no_binary_noise():
    assert fmt.money(0.1 + 0.2, "en") == "¥0.30"
    assert fmt.pct(0.1 + 0.2) == "30.00%"
    assert fmt.wan(62500.0) == "6.25"


@pytest.mark.parametrize("value, text", [
    (Decimal("0.028"), "2.80%"), (Decimal("0.25"), "25.00%"), ("2.8%", "2.80%"),
    (Decimal("0.29411"), "29.41%"), (Decimal("0.294149"), "29.41%"), (Decimal("0.29415"), "29.42%"),
    (0, "0.00%"), (1, "100.00%"),
])
def test_pct(value, text):
    assert fmt.pct(value) == text


def test_num_ratio_wan():
    assert fmt.num(1234567) == "1,234,567"
    assert fmt.num(Decimal("1234.5")) == "1,234.5"
    assert fmt.num(Decimal("1E+5")) == "100,000"
    assert fmt.ratio(Decimal(4)) == "4.00"
    assert fmt.ratio(Decimal("4.1667")) == "4.17"
    assert fmt.ratio(Decimal("3.5")) == "3.50"
    assert fmt.ratio(Decimal("2.12497")) == "2.12"  # rounded once: not 2.125 then 2.13
    assert fmt.wan(62500) == "6.25"
    assert fmt.wan(120000000) == "12,000"


@pytest.mark.parametrize("value, text", [
    (1_500_000, "壹佰伍拾万元整"),
    (1005, "壹仟零伍元整"),
    (100_000_001, "壹亿零壹元整"),
    (1_000_100, "壹佰万零壹佰元整"),
    (100_010, "壹拾万零壹拾元整"),
    (10, "壹拾元整"),
    (0, "零元整"),
    (Decimal("1234.56"), "壹仟贰佰叁拾肆元伍角陆分"),
    (Decimal("1.05"), "壹元零伍分"),
    (Decimal("0.5"), "伍角"),
    (2_000_000_000, "贰拾亿元整"),
])
def test_capital(value, text):
    assert fmt.capital(value) == text


def test_dates_months_discounts():
    day = dt.date(2026, 12, 1)
    assert fmt.date(day, "zh-CN") == "2026年12月1日"
    assert fmt.date(day, "en") == "1 December 2026"
    assert fmt.date("2026-12-01", "en") == "1 December 2026"
    assert fmt.month("2027-03", "zh-CN") == "3月"
    assert fmt.month("2027-03", "en") == "Mar"
    assert fmt.discount(Decimal("0.95"), "zh-CN") == "95折"
    assert fmt.discount(Decimal("0.9"), "zh-CN") == "9折"
    assert fmt.discount(Decimal("0.95"), "en") == "5% off"
    assert fmt.discount(Decimal("1"), "en") == "no discount"


def test_filters_are_bound_to_the_locale_and_accept_none():
    zh, en = filters_for("zh-CN"), filters_for("en")
    names = {"money", "money_wan", "money_compact", "wan", "pct", "num", "ratio", "capital", "date", "month",
             "discount"}
    assert names <= set(zh) and names <= set(en)
    assert zh["money"](150000) == "15万" and en["money"](150000) == "¥150,000"
    for name in names:
        assert zh[name](None) == "—" and en[name](None) == "—"


@given(st.integers(0, 10 ** 13))
def test_zh_money_reads_back_to_the_same_amount_in_wan(n):
    text = fmt.money(n, "zh-CN")
    if text.endswith("万"):  # two decimals of 万 at most: exact for whole hundreds of yuan
        assert abs(Decimal(text[:-1]) * 10_000 - n) <= 50
        if n % 100 == 0:
            assert Decimal(text[:-1]) * 10_000 == n
    elif text.endswith("元"):
        assert Decimal(text[:-1].replace(",", "")) == n


@given(st.integers(0, 10 ** 15), st.integers(0, 99))
def test_capital_never_has_double_zero(yuan, fen):
    text = fmt.capital(Decimal(yuan) + Decimal(fen) / 100)
    assert "零零" not in text and text[-1] in "整分角"


@pytest.mark.parametrize("value, zh, en", [
    (8000, "0.8万", "¥8,000"), (14000, "1.4万", "¥14,000"), (0, "0", "¥0"), (40, "0", "¥40"),
    (120_000_000, "12,000万", "¥120,000,000"), (139999, "14万", "¥139,999"),
])
def test_money_wan_keeps_one_unit_in_a_column(value, zh, en):
    assert fmt.money_wan(value, "zh-CN") == zh
    assert fmt.money_wan(value, "en") == en
