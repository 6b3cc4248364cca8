"""Money and ratio parsing: exact values, clear refusals."""

from decimal import Decimal

import pytest

from planforge.units import parse_money, parse_ratio


@pytest.mark.parametrize("text,yuan", [
    ("15万", 150000), ("6.25万", 62500), ("1.2亿", 120000000), ("¥150,000", 150000),
    ("150000元", 150000), (268, 268), (0.1, Decimal("0.1")), ("3万元", 30000),
])
def test_money(text, yuan):
    assert parse_money(text) == Decimal(yuan)


@pytest.mark.parametrize("bad", ["15w", "-3万", "1,50,000", "abc", 1.0e28, float("nan"), -1])
def test_bad_money_is_a_value_error(bad):
    with pytest.raises(ValueError):
        parse_money(bad)


@pytest.mark.parametrize("text,ratio", [("2.8%", "0.028"), (0.25, "0.25"), ("100%", "1"), (1, "1")])
def test_ratio(text, ratio):
    assert parse_ratio(text) == Decimal(ratio)


@pytest.mark.parametrize("bad", ["280%", 1.5, "2.8", float("inf")])
def test_bad_ratio(bad):
    with pytest.raises(ValueError):
        parse_ratio(bad)
