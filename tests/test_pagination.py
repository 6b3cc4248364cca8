"""Paginated slides spread their items evenly: as few pages as the page size allows, no page
more than one item longer than another (so never a continuation slide with a single row)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from planforge.render.pptx.directives import balanced_pages


@settings(deadline=None)
@given(st.lists(st.integers(), max_size=60), st.integers(1, 12))
def test_pages_are_few_full_enough_and_in_order(items, size):
    pages = balanced_pages(items, size)
    assert [x for page in pages for x in page] == items
    assert len(pages) == math.ceil(len(items) / size)
    assert all(0 < len(p) <= size for p in pages)
    if pages:
        assert max(map(len, pages)) - min(map(len, pages)) <= 1


def test_nine_rows_by_eight_make_five_and_four():
    assert [len(p) for p in balanced_pages(list(range(9)), 8)] == [5, 4]
    assert [len(p) for p in balanced_pages(list(range(7)), 6)] == [4, 3]
