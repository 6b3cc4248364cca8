"""Split a total into parts that add up to it exactly: the one allocation rule of the model.

Every figure the documents print as "parts and their total" (months of a quarter, quarters of a
year, channel shares of a budget, percentages of a whole) is allocated here, with the
largest-remainder method: each part is floored to the quantum, and the units left over go to the
parts with the largest remainders (ties: the heavier weight, then the earlier part; equal parts
get a unit together or not at all, so equal amounts print equal shares). The parts
then add up to the total to the last quantum and none is negative.

Use :func:`allocate` for money, counts and ratios alike; :func:`shares` for percentages of a
whole that must print as exactly 100%.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Sequence

Weight = int | Decimal | Fraction | float

#: Shares of a whole are kept to two decimals of a percent (0.0001), the printed precision.
SHARE_QUANTUM = Decimal("0.0001")


def _fraction(w: Weight) -> Fraction:
    return Fraction(repr(w)) if isinstance(w, float) else Fraction(w)


def allocate(total: Decimal | int, weights: Sequence[Weight],
             quantum: Decimal | int = 1) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` into multiples of ``quantum`` that add up to it.

    ``total`` must be a multiple of ``quantum`` (raise ValueError otherwise) and not negative;
    weights must not be negative. When every weight is 0 the parts are split evenly.
    """
    total, quantum = Decimal(total), Decimal(quantum)
    if total < 0:
        raise ValueError("cannot split a negative amount")
    if quantum <= 0:
        raise ValueError("the quantum must be above 0")
    units_exact = Fraction(total) / Fraction(quantum)
    if units_exact.denominator != 1:
        raise ValueError(f"{total} is not a multiple of {quantum}")
    units = units_exact.numerator
    values = [_fraction(w) for w in weights]
    if not values:
        return []
    if any(v < 0 for v in values):
        raise ValueError("weights must not be negative")
    whole = sum(values)
    shares = [v / whole for v in values] if whole else [Fraction(1, len(values))] * len(values)
    exact = [s * units for s in shares]
    floors = [e.numerator // e.denominator for e in exact]
    left = units - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), -shares[i], i))
    # Equal parts stay equal: parts with the same exact value get the extra unit together or
    # not at all (the unit then goes to the next largest remainder), so two channels of 5万
    # never print 4.55% and 4.54%. Only when no later part can take the units left over does
    # the plain order decide.
    bumped: set[int] = set()
    groups: list[list[int]] = []
    for i in order:
        if groups and exact[groups[-1][0]] == exact[i]:
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        if exact[group[0]] == floors[group[0]]:
            break  # no remainder left: these parts are exact already
        if left >= len(group):
            bumped.update(group)
            left -= len(group)
    for i in order:
        if left == 0:
            break
        if i not in bumped:
            bumped.add(i)
            left -= 1
    for i in bumped:
        floors[i] += 1
    return [_clean(Decimal(n) * quantum) for n in floors]


def shares(weights: Sequence[Weight], quantum: Decimal = SHARE_QUANTUM) -> list[Decimal | None]:
    """Return each weight's share of their sum, to ``quantum``, adding up to exactly 1.

    All ``None`` when the weights add up to 0 (a share of nothing is not a figure).
    """
    values = [_fraction(w) for w in weights]
    if not values or sum(values) == 0:
        return [None] * len(values)
    return list(allocate(Decimal(1), values, quantum))


def print_quantum(total: Decimal) -> Decimal:
    """The coarsest of 100 yuan (0.01万, what a Chinese document prints), 1 yuan or 1 fen that
    divides ``total`` exactly: derived amounts split at that quantum print without tails."""
    for q in (Decimal(100), Decimal(1), Decimal("0.01")):
        if (Fraction(total) / Fraction(q)).denominator == 1:
            return q
    exponent = total.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def round_half_up(value: Decimal | Fraction, places: int = 0) -> Decimal:
    """Round once, half up, to ``places`` decimals."""
    d = value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)
    return _clean(d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def round_up(value: Decimal) -> Decimal:
    """Round up to a whole number (visitors needed: 10.2 visitors means 11)."""
    return value.quantize(Decimal(1), ROUND_CEILING)


def _clean(d: Decimal) -> Decimal:
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def round_parts(parts: Sequence[Decimal], quantum: Decimal | int = 100,
                total: Decimal | None = None) -> list[Decimal]:
    """Round *parts* (of any sign) to ``quantum`` so that they add up to *total* (a multiple of
    the quantum less than one quantum from their sum; by default their sum rounded once, half
    up): the largest-remainder method again, without weights. Each part is floored to the
    quantum; the quanta left over go one each to the parts with the largest remainders (ties:
    the earlier part). So printed months add up to their printed quarter, quarters to the
    year, and each printed part is its own amount to less than one quantum."""
    quantum = Decimal(quantum)
    exact = [Fraction(p) / Fraction(quantum) for p in parts]
    if total is None:
        units = int(round_half_up(sum(exact, Fraction(0))))
    else:
        units_exact = Fraction(total) / Fraction(quantum)
        if units_exact.denominator != 1:
            raise ValueError(f"{total} is not a multiple of {quantum}")
        units = units_exact.numerator
    floors = [e.numerator // e.denominator for e in exact]
    left = units - sum(floors)
    if not 0 <= left <= len(parts):
        raise ValueError(f"{total} is not within one {quantum} of the parts' sum")
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [_clean(Decimal(n) * quantum) for n in floors]
