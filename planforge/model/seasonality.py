"""Split an annual figure into twelve months by a seasonality profile, exactly.

The default profile follows the Chinese e-commerce calendar. Weights are relative (they need
not add up to anything); the split normalises them, then rounds each month to 100 yuan (or whole yuan, or fen, when the
total needs it) with the largest-remainder method so that the months add up to the annual figure to the last yuan
and none is negative.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from planforge.model.allocate import allocate, print_quantum

# Why each month weighs what it does (the weights add up to 100, so each is a percentage):
#   Jan  7  年货节 (New Year goods festival) before the Spring Festival
#   Feb  4  Spring Festival: couriers stop for a week or two, buyers travel
#   Mar  7  spring new arrivals (春上新), 3.8 women's day promotions
#   Apr  6  a quiet month between spring launch and 618 warm-up
#   May  7  618 pre-sales start late in May
#   Jun 11  618 mid-year shopping festival, the year's second peak
#   Jul  6  summer lull after 618
#   Aug  6  summer lull, back-to-school in some categories
#   Sep  8  mid-autumn festival gifts (中秋), 99 promotions
#   Oct  7  national holiday week, Double 11 pre-sales from late October
#   Nov 18  Double 11 (双11), the year's peak
#   Dec 13  Double 12 (双12) and the start of the New Year goods season
DEFAULT_PROFILE: tuple[int, ...] = (7, 4, 7, 6, 7, 11, 6, 6, 8, 7, 18, 13)

#: Places kept when the normalised weights are stored for display (the split itself is exact).
WEIGHT_PLACES = Decimal("0.000001")


def normalise(weights: Sequence[int | Decimal | Fraction]) -> list[Decimal]:
    """Return the weights scaled to add up to 1, rounded to six places for display."""
    fractions = _fractions(weights)
    return [_to_decimal(f) for f in fractions]


def split_exact(total: Decimal, weights: Sequence[int | Decimal | Fraction],
                quantum: Decimal | None = None) -> list[Decimal]:
    """Split ``total`` by ``weights`` into parts that add up to it exactly, none negative.

    Parts are multiples of ``quantum``; by default the coarsest of 100 yuan (0.01万, the precision
    a Chinese document prints), 1 yuan or 1 fen that divides ``total``, so derived months print
    without tails such as 13.9999万 and still add up to the printed total.
    """
    total = Decimal(total)
    if total < 0:
        raise ValueError("cannot split a negative amount")
    _fractions(weights)  # refuse a malformed profile
    return allocate(total, list(weights), quantum if quantum is not None else print_quantum(total))


def _fractions(weights: Sequence[int | Decimal | Fraction]) -> list[Fraction]:
    values = [Fraction(w) if not isinstance(w, float) else Fraction(repr(w)) for w in weights]
    if len(values) != 12:
        raise ValueError(f"a seasonality profile has 12 weights, not {len(values)}")
    if any(v < 0 for v in values):
        raise ValueError("seasonality weights must not be negative")
    total = sum(values)
    if total == 0:
        raise ValueError("seasonality weights must not all be zero")
    return [v / total for v in values]


def _to_decimal(f: Fraction) -> Decimal:
    d = (Decimal(f.numerator) / Decimal(f.denominator)).quantize(WEIGHT_PLACES)
    return d.normalize() if d != 0 else Decimal(0)
