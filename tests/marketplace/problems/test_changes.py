"""The pure change rules: what changed, whether bids re-confirm, where the deadline goes."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from marketplace.problems.changes import (
    FIELDS,
    PRICED_FIELDS,
    Change,
    deadline_after_amendment,
    diff,
    kpi_row,
    needs_reconfirmation,
)

values = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5),
                   st.lists(st.text(max_size=3), max_size=3))
snapshots = st.fixed_dictionaries({name: values for name in FIELDS})


@given(snapshots)
def test_a_snapshot_never_differs_from_itself(snapshot):
    assert diff(snapshot, dict(snapshot)) == []


@given(snapshots, snapshots)
def test_applying_the_listed_changes_gives_the_new_snapshot(before, after):
    changes = diff(before, after)
    for c in changes:
        assert (c.old, c.new) == (before[c.field], after[c.field])
    patched = {**before, **{c.field: c.new for c in changes}}
    assert diff(patched, after) == []
    assert [c.field for c in changes] == [f for f in FIELDS if f in {c.field for c in changes}]   # wizard order


def test_kpi_numbers_compare_by_value_not_by_how_they_were_typed():
    assert kpi_row("불량률", "%", Decimal("3.2000"), Decimal("1.0000"), "lower") == \
        kpi_row("불량률", "%", Decimal("3.2"), Decimal("1"), "lower")


def test_only_priced_fields_ask_bids_to_reconfirm():
    assert not needs_reconfirmation([Change("title", "a", "b"), Change("budget_max_krw", 1, 2)])
    for field in PRICED_FIELDS:
        assert needs_reconfirmation([Change("title", "a", "b"), Change(field, 1, 2)])


@given(st.integers(0, 200), st.integers(1, 30))
def test_the_deadline_leaves_the_minimum_and_never_moves_earlier(hours_left, min_days):
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    deadline = now + timedelta(hours=hours_left)
    moved = deadline_after_amendment(deadline, now, min_days)
    assert moved >= deadline and moved >= now + timedelta(days=min_days)
    assert moved == deadline or moved == now + timedelta(days=min_days)
