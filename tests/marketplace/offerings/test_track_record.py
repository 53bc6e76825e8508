"""A vendor's track record is a pure rule: plain records in, a plain result out; no app needed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from marketplace.offerings.track_record import track_record


@dataclass
class Record:
    completed_projects: int
    mean_review: Decimal | float | None = None
    reference_projects: list[dict] = field(default_factory=list)


def test_reviews_weigh_by_completed_projects():
    record = track_record([Record(14, Decimal("4.8"), [{"title": "a"}]), Record(6, 4.0, [{"title": "b"}]),
                           Record(3, None)])
    assert record.completed_projects == 23
    assert record.mean_review == Decimal("4.6")  # (4.8 × 14 + 4.0 × 6) / 20
    assert [r["title"] for r in record.references] == ["a", "b"]


def test_an_offering_without_completed_projects_still_counts_once_and_none_has_no_mean():
    assert track_record([Record(0, Decimal("3.0")), Record(1, Decimal("5.0"))]).mean_review == Decimal("4.0")
    assert track_record([Record(2), Record(0)]).mean_review is None
    assert track_record([]).completed_projects == 0


reviews = st.decimals(min_value=1, max_value=5, places=2)


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10_000), st.one_of(st.none(), reviews)), max_size=12))
def test_the_mean_lies_between_the_lowest_and_the_highest_review(rows):
    record = track_record([Record(n, review) for n, review in rows])
    rated = [review for _n, review in rows if review is not None]
    assert record.completed_projects == sum(n for n, _r in rows)
    if rated:
        assert min(rated).quantize(Decimal("0.1"), rounding="ROUND_FLOOR") <= record.mean_review
        assert record.mean_review <= max(rated).quantize(Decimal("0.1"), rounding="ROUND_CEILING")
    else:
        assert record.mean_review is None
