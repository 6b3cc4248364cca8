"""Money and ratio values as a spec writes them, parsed to exact ``Decimal``.

Money is yuan: a number, or a string with a unit (``15万``, ``6.25万``, ``1.2亿``, ``¥150,000``,
``150000元``). A ratio is a number in [0, 1] or a percentage string (``2.8%``). The regular
expressions here are the ones the JSON Schema uses (a test keeps the two the same).
"""

from __future__ import annotations

import re
from decimal import Decimal

from planforge.i18n import N_, _

# A number with optional thousands separators, then an optional unit.
MONEY_PATTERN = r"^\s*[¥￥]?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*(万|亿|元|万元|亿元)?\s*$"
# A percentage, or a discount written the Chinese way (95折 = 95%, 9折 = 90%, 8.5折 = 85%).
RATIO_PATTERN = r"^\s*\d+(\.\d+)?\s*(%|折)\s*$"

_MONEY_RE = re.compile(MONEY_PATTERN)
_RATIO_RE = re.compile(RATIO_PATTERN)
_UNITS = {None: Decimal(1), "元": Decimal(1), "万": Decimal(10_000), "万元": Decimal(10_000),
          "亿": Decimal(100_000_000), "亿元": Decimal(100_000_000)}

#: The largest amount accepted (a thousand trillion yuan): larger figures are typing mistakes.
MAX_MONEY = Decimal(10) ** 15

MONEY_EXAMPLES = N_("a number of yuan, or 15万, 6.25万, 1.2亿, ¥150,000, 150000元")
RATIO_EXAMPLES = N_("a number from 0 to 1, or a percentage such as 2.8%")


def _not_money(value: object) -> ValueError:
    return ValueError(_("{value} is not an amount of money: expected {examples}").format(
        value=repr(value), examples=_(MONEY_EXAMPLES)))


def _not_ratio(value: object) -> ValueError:
    return ValueError(_("{value} is not a ratio: expected {examples}").format(
        value=repr(value), examples=_(RATIO_EXAMPLES)))


def to_decimal(value: int | float | Decimal) -> Decimal:
    """Turn a YAML number into a Decimal without binary-float noise (0.1 stays 0.1)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(_("expected a number, got true/false"))
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def parse_money(value: int | float | str | Decimal) -> Decimal:
    """Return the amount in yuan; raise ValueError with a user-facing message when malformed."""
    if isinstance(value, str):
        m = _MONEY_RE.match(value)
        if not m:
            raise _not_money(value)
        digits = (m.group(1) + (m.group(3) or "")).replace(",", "")
        amount = Decimal(digits) * _UNITS[m.group(4)]
    else:
        amount = to_decimal(value)
    if not amount.is_finite():
        raise _not_money(value)
    if amount < 0:
        raise ValueError(_("{value} is negative: an amount of money must be 0 or more").format(
            value=repr(value)))
    if amount > MAX_MONEY:
        raise ValueError(_("{value} is too large: amounts stop at {limit} yuan").format(
            value=repr(value), limit=f"{MAX_MONEY:,}"))
    return _normalize(amount)


def parse_ratio(value: int | float | str | Decimal) -> Decimal:
    """Return the ratio as a fraction (``2.8%`` -> ``0.028``); raise ValueError when malformed."""
    if isinstance(value, str):
        if not _RATIO_RE.match(value):
            raise _not_ratio(value)
        text = value.strip()
        if text.endswith("折"):
            number = Decimal(text[:-1].strip())
            ratio = number / 10 if number <= 10 else number / 100
        else:
            ratio = Decimal(text.rstrip("%").strip()) / 100
    else:
        ratio = to_decimal(value)
    if not ratio.is_finite():
        raise _not_ratio(value)
    if not Decimal(0) <= ratio <= Decimal(1):
        raise ValueError(_("{value} is outside 0 to 1 (0% to 100%)").format(value=repr(value)))
    return _normalize(ratio)


def _normalize(d: Decimal) -> Decimal:
    """Drop trailing zeros of the exponent but keep integers integral (150000, not 1.5E+5)."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()
