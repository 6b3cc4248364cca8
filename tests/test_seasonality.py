"""Derived months: exact sums, never negative, for any annual figure and profile."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planforge.model.seasonality import DEFAULT_PROFILE, normalise, split_exact

weights = st.lists(st.one_of(st.integers(0, 1000),
                             st.decimals(0, 1000, places=3, allow_nan=False, allow_infinity=False)),
                   min_size=12, max_size=12).filter(lambda ws: sum(ws) > 0)
yuan = st.integers(0, 10 ** 12).map(Decimal)
with_fen = st.integers(0, 10 ** 14).map(lambda n: Decimal(n).scaleb(-2))


@settings(deadline=None)  # speed is the benchmarks' business, not a test's
@given(yuan, weights)
def test_months_add_up_exactly_and_are_whole_yuan(total, profile):
    months = split_exact(total, profile)
    assert len(months) == 12
    assert sum(months) == total
    assert all(m >= 0 and m == m.to_integral_value() for m in months)
    if total % 100 == 0:  # a total in whole hundreds splits into whole hundreds (0.01万)
        assert all(m % 100 == 0 for m in months)


@settings(deadline=None)  # speed is the benchmarks' business, not a test's
@given(with_fen, weights)
def test_amounts_with_fen_split_to_the_fen(total, profile):
    months = split_exact(total, profile)
    assert sum(months) == total and all(m >= 0 for m in months)


@settings(deadline=None)  # speed is the benchmarks' business, not a test's
@given(yuan, weights)
def test_each_month_is_within_a_quantum_of_its_exact_share(total, profile):
    shares = [Fraction(w) / sum(Fraction(x) for x in profile) for w in profile]
    quantum = 100 if total % 100 == 0 else 1
    for month, share in zip(split_exact(total, profile), shares):
        assert abs(Fraction(month) - share * Fraction(total)) < quantum
        if share == 0:
            assert month == 0


def test_default_profile_peaks_at_double_11():
    assert len(DEFAULT_PROFILE) == 12
    assert max(range(12), key=lambda i: DEFAULT_PROFILE[i]) == 10
    assert min(range(12), key=lambda i: DEFAULT_PROFILE[i]) == 1  # Spring Festival
    assert DEFAULT_PROFILE[5] > DEFAULT_PROFILE[4]  # 618
    months = split_exact(Decimal(2_500_000), DEFAULT_PROFILE)
    assert sum(months) == 2_500_000 and months[10] == max(months)


def test_normalised_weights_add_up_to_one():
    assert sum(normalise(DEFAULT_PROFILE)) == 1
    assert normalise([1] * 12)[0] == Decimal("0.083333")


@pytest.mark.parametrize("bad", [[1] * 11, [0] * 12, [1] * 11 + [-1]])
def test_bad_profiles_are_refused(bad):
    with pytest.raises(ValueError):
        split_exact(Decimal(100), bad)


@settings(deadline=None)
@given(st.integers(0, 10 ** 9), st.lists(st.integers(0, 50), min_size=2, max_size=12))
def test_allocations_add_up_and_stay_within_a_unit(total, weights):
    from planforge.model.allocate import allocate

    parts = allocate(total, weights)
    assert sum(parts) == total
    if sum(weights):
        exact = [Fraction(w, sum(weights)) * total for w in weights]
        assert all(abs(Fraction(p) - e) < 1 for p, e in zip(parts, exact))
        assert all(p == 0 for p, w in zip(parts, weights) if w == 0)


def test_equal_parts_print_equal_shares_when_another_part_can_take_the_hundredth():
    from planforge.model.allocate import shares

    # Seed 002's channels of 110万: two of 5万 get 4.54% each, 15.25万 takes the hundredth.
    amounts = [21.25, 15.25, 10, 5, 5, 1, 52.5]
    got = shares([Decimal(str(a)) for a in amounts])
    assert sum(got) == 1
    assert got[3] == got[4] == Decimal("0.0454") and got[1] == Decimal("0.1387")
    # Three equal thirds cannot all be equal and add up to 100%: one takes the hundredth.
    assert sorted(shares([1, 1, 1])) == [Decimal("0.3333"), Decimal("0.3333"), Decimal("0.3334")]
