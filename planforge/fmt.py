"""Format numbers, money and dates per locale; templates get these as Jinja filters.

Every function takes the value and a locale (``zh-CN`` or ``en``; anything starting with ``zh``
counts as Chinese), accepts ``None`` (printed as an em dash) and works on exact ``Decimal``
values, so 0.1 + 0.2 never prints as 0.30000000000000004.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable

from planforge.units import parse_money, to_decimal

DASH = "—"
WAN = Decimal(10_000)
YI = Decimal(100_000_000)
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def is_zh(locale: str | None) -> bool:
    """Tell whether a locale is Chinese (zh-CN, zh, zh_CN, ...)."""
    return (locale or "").lower().startswith("zh")


def dec(value: Any) -> Decimal:
    """Turn a number or numeric text (``15万`` included) into an exact Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)):
        return to_decimal(value)
    text = str(value).strip()
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return parse_money(text)


def _q(d: Decimal, places: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _trim(d: Decimal, places: int, keep: int = 0) -> str:
    """Round to ``places`` decimals, then drop trailing zeros down to ``keep`` decimals."""
    text = format(_q(d, places), "f")
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(keep, "0")
        text = whole + ("." + frac if frac else "")
    elif keep:
        text += "." + "0" * keep
    return "0" + text[2:] if text.startswith("-0") and dec(text) == 0 else text


def _grouped(d: Decimal) -> str:
    """Thousands separators; two decimals only when the amount has fen."""
    if d == d.to_integral_value():
        return format(d.quantize(Decimal(1)), ",f")
    return format(_q(d, 2), ",f")


def money(value: Any, locale: str = "zh-CN") -> str:
    """Money: zh-CN ``15万``, ``6.25万``, ``1.2亿``, ``9,800元``, ``0``; en ``¥150,000``.

    Chinese amounts of 1万 or more print with at most two decimals of 万 (rounded half up,
    trailing zeros dropped): the model allocates derived amounts at that precision, so printed
    parts add up to their printed total. Zero prints as a bare ``0`` so that it sits in a column
    of 万 without a unit of its own.
    """
    if value is None:
        return DASH
    d = dec(value)
    sign, d = ("-", -d) if d < 0 else ("", d)
    if not is_zh(locale):
        return f"{sign}¥{_grouped(d)}"
    if d == 0:
        return "0"
    if d >= YI:
        return f"{sign}{_trim(d / YI, 4)}亿"
    if _q(d / WAN, 2) >= 1:
        return f"{sign}{_trim(d / WAN, 2)}万"
    return f"{sign}{_grouped(d)}元"


def money_brief(value: Any, locale: str = "zh-CN") -> str:
    """Money for dense tables (the P&L), to 100 yuan in one unit, so that a row or a column of
    them has one: zh-CN in 万 (``19.92万``, ``0.39万`` beside them, not ``3,864元``), en in
    thousands (``¥151.5K``, ``¥2,524.8K``, ``¥3.9K``); an amount under 50 yuan as ``0``."""
    if value is None:
        return DASH
    d = dec(value)
    sign, d = ("-", -d) if d < 0 else ("", d)
    if _q(d / 100, 0) == 0:
        return "0" if is_zh(locale) else "¥0"
    if is_zh(locale):
        return f"{sign}{_trim(d / WAN, 2)}万"
    thousands = format(_q(d / 1000, 1), ",f")
    return f"{sign}¥{thousands[:-2] if thousands.endswith('.0') else thousands}K"


def money_wan(value: Any, locale: str = "zh-CN") -> str:
    """Money for a column of plan figures: zh-CN always in 万 (``0.8万`` beside ``1.4万``,
    ``12,000万`` rather than ``1.2亿``; zero as ``0``), so one column has one unit; en as
    ``money``."""
    if value is None:
        return DASH
    if not is_zh(locale):
        return money(value, locale)
    d = dec(value)
    if _q(d / WAN, 2) == 0:
        return "0"
    return format(dec(_trim(d / WAN, 2)), ",f") + "万"


def money_compact(value: Any, locale: str = "zh-CN") -> str:
    """Short money for charts: en ``¥4.3M``, ``¥150K``; zh-CN as ``money``."""
    if value is None:
        return DASH
    if is_zh(locale):
        return money(value, locale)
    d = dec(value)
    sign, d = ("-", -d) if d < 0 else ("", d)
    for size, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(1000), "K")):
        # Test the rounded value, so 999,960 prints as ¥1M rather than ¥1000K.
        scaled = _q(d / size, 1)
        if scaled >= 1:
            return f"{sign}¥{_trim(scaled, 1)}{suffix}"
    return f"{sign}¥{_trim(d, 0)}"


def wan(value: Any, locale: str = "zh-CN") -> str:
    """The amount in 万 without the unit: 62500 -> ``6.25``."""
    if value is None:
        return DASH
    return format(dec(_trim(dec(value) / WAN, 2)), ",f")


def pct(value: Any, locale: str = "zh-CN") -> str:
    """A fraction as a percentage, always two decimals, rounded once half up: 0.028 ->
    ``2.80%``, 0.26667 -> ``26.67%`` (one precision for a whole column of them)."""
    if value is None:
        return DASH
    if isinstance(value, str) and value.strip().endswith("%"):
        d = dec(value.strip().rstrip("%").strip()) / 100
    else:
        d = dec(value)
    return _trim(d * 100, 2, keep=2) + "%"


def share(value: Any, locale: str = "zh-CN") -> str:
    """A share of a whole, as ``pct`` prints it: 0.25 -> ``25.00%``.

    Shares are allocated by the model to that precision so a column of them adds up to 100.00%;
    a chart beside the table labels its slices with the same format (``0.00%``).
    """
    return pct(value, locale)


def num(value: Any, locale: str = "zh-CN") -> str:
    """A number with thousands separators: 12345 -> ``12,345``."""
    if value is None:
        return DASH
    d = dec(value)
    if d == d.to_integral_value():
        return format(d.quantize(Decimal(1)), ",f")
    return format(d.normalize(), ",f")


def whole(value: Any, locale: str = "zh-CN") -> str:
    """A count rounded to a whole number, with separators: 4479.6 -> ``4,480``."""
    if value is None:
        return DASH
    return format(_q(dec(value), 0), ",f")


def ratio(value: Any, locale: str = "zh-CN") -> str:
    """A multiple such as ROI, always two decimals, rounded once half up: 4 -> ``4.00``,
    4.16667 -> ``4.17``, 2.12497 -> ``2.12``."""
    if value is None:
        return DASH
    return _trim(dec(value), 2, keep=2)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")


def _section(n: int) -> str:
    """Write 0 < n < 10000 in capital numerals, folding inner zeros into one 零."""
    out, zero = "", False
    for place in range(3, -1, -1):
        digit = n // 10 ** place % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _PLACES[place]
    return out


def _integer_capital(n: int) -> str:
    groups = []
    while n:
        groups.append(n % 10_000)
        n //= 10_000
    if len(groups) > len(_SECTIONS):
        raise ValueError("amount too large for capital numerals")
    out, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _section(group) + _SECTIONS[index]
        gap = False
    return out


def capital(value: Any, locale: str = "zh-CN") -> str:
    """Money in Chinese capital numerals (大写): 1500000 -> ``壹佰伍拾万元整``, with 角 and 分."""
    if value is None:
        return DASH
    d = _q(dec(value), 2)
    sign = "负" if d < 0 else ""
    fen_total = int(abs(d) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    out = _integer_capital(yuan) + "元" if yuan else ""
    if not jiao and not fen:
        return sign + (out or "零元") + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif out:
        out += "零"
    if fen:
        out += _DIGITS[fen] + "分"
    return sign + out


def _as_date(value: Any) -> dt.date | str:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def date(value: Any, locale: str = "zh-CN") -> str:
    """A date: zh-CN ``2026年12月1日``, en ``1 December 2026``."""
    if value is None:
        return DASH
    d = _as_date(value)
    if isinstance(d, str):
        if len(d) == 7 and d[4] == "-":  # a "YYYY-MM" month
            y, m = int(d[:4]), int(d[5:])
            return f"{y}年{m}月" if is_zh(locale) else f"{_MONTHS_EN[m - 1]} {y}"
        return d
    if is_zh(locale):
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def month(value: Any, locale: str = "zh-CN") -> str:
    """A month: ``2027-03`` (or 3) -> zh-CN ``3月``, en ``Mar``."""
    if value is None:
        return DASH
    if isinstance(value, (dt.date, dt.datetime)):
        number = value.month
    elif isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        number = int(text[5:7]) if len(text) >= 7 and text[4] == "-" else int(text)
    return f"{number}月" if is_zh(locale) else _MONTHS_EN[number - 1][:3]


def discount(value: Any, locale: str = "zh-CN") -> str:
    """A price multiplier as a discount: 0.95 -> zh-CN ``95折``, en ``5% off``."""
    if value is None:
        return DASH
    d = dec(value)
    if d >= 1:
        return "无折扣" if is_zh(locale) else "no discount"
    if not is_zh(locale):
        return _trim((1 - d) * 100, 2) + "% off"
    tenths = d * 100
    if tenths % 10 == 0:  # 0.9 is 9折, not 90折
        return _trim(tenths / 10, 2) + "折"
    return _trim(tenths, 2) + "折"


FILTERS: dict[str, Callable[[Any, str], str]] = {
    "money": money, "money_wan": money_wan, "money_compact": money_compact,
    "money_brief": money_brief, "wan": wan, "pct": pct, "share": share, "num": num,
    "whole": whole, "ratio": ratio, "capital": capital, "date": date, "month": month,
    "discount": discount,
}


def filters_for(locale: str | None) -> dict[str, Callable[[Any], str]]:
    """Return the Jinja filters (``money``, ``pct``, ...) bound to one locale."""
    loc = locale or "zh-CN"

    def bind(fn: Callable[[Any, str], str]) -> Callable[[Any], str]:
        def filt(value: Any) -> str:
            return fn(value, loc)
        filt.__name__ = fn.__name__
        filt.__doc__ = fn.__doc__
        return filt

    return {name: bind(fn) for name, fn in FILTERS.items()}
