"""The audit hash chain is a pure rule: plain entries in, hashes and findings out; no app needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from marketplace.audit.chain import GENESIS, HASHED_FIELDS, entry_hash, walk

START = datetime(2026, 11, 30, 9, 15, 2, tzinfo=UTC)


def entry(seq: int, **fields) -> dict:
    return {"seq": seq, "created_at": START + timedelta(seconds=seq), "action": "login", "actor_id": seq,
            "organisation_id": None, "object_type": "user_account", "object_id": seq, "ip_address": "127.0.0.1",
            "details": {}, **fields}


def chained(entries: list[dict]) -> list[dict]:
    prev = GENESIS
    for item in entries:
        item["prev_hash"] = prev
        item["hash"] = prev = entry_hash(prev, item)
    return entries


def test_the_hash_of_an_entry_is_what_chains_written_before_expect():
    """Pinned: entries already in databases must keep verifying (computed with the hashing of 2026-11)."""
    written = entry(7, created_at=START, action="bid_submitted", actor_id=12, organisation_id=4, object_type="bid",
                    object_id=31, details={"problem_id": 9, "vendor": "비전에이아이랩", "amount": Decimal("1.5")})
    assert entry_hash(GENESIS, written) == "8131eeecc8bae403a961d35ea4bb30694ab77bb28bb47c37019a0bfa013425b2"


def test_an_intact_chain_verifies_and_names_its_head():
    entries = chained([entry(n) for n in range(1, 6)])
    report = walk(iter(entries))
    assert (report.checked, report.head, report.problems) == (5, entries[-1]["hash"], [])
    assert walk([]) == walk(iter(())) and walk([]).head == GENESIS


def test_a_gap_and_a_broken_link_are_named():
    entries = chained([entry(n) for n in range(1, 6)])
    del entries[2]
    assert [(p.seq, p.reason) for p in walk(entries).problems] == [
        (3, "entries 3–3 are missing"), (4, "does not link to the previous entry")]


@given(n=st.integers(min_value=1, max_value=8), data=st.data())
def test_changing_any_hashed_field_of_any_entry_is_detected(n, data):
    entries = chained([entry(k, details={"k": k}) for k in range(1, n + 1)])
    victim = data.draw(st.integers(min_value=0, max_value=n - 1))
    name = data.draw(st.sampled_from([f for f in HASHED_FIELDS if f != "seq"]))
    original = entries[victim][name]
    changed = {"created_at": original + timedelta(seconds=1) if name == "created_at" else None,
               "details": {**original, "edited": True} if name == "details" else None}.get(name) or f"{original}!"
    entries[victim][name] = changed
    assert [(p.seq, p.reason) for p in walk(entries).problems] == [(victim + 1, "was changed after it was written")]
