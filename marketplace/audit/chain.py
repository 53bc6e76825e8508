"""The audit log's hash chain as a pure rule: plain entries in, hashes and findings out (no Flask, no
database; :mod:`marketplace.audit.services` loads and stores the rows).

Each entry's hash is the SHA-256 of the previous entry's hash followed by a canonical JSON of the
entry (keys sorted, no spaces, UTF-8, anything else as its ``str``). Editing an entry changes its
hash; deleting one leaves a gap in ``seq`` and breaks the next entry's link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: The "previous hash" of the first entry.
GENESIS = "0" * 64
#: The fields an entry's hash covers (its own ``hash`` and ``prev_hash`` aside).
HASHED_FIELDS = ("seq", "created_at", "action", "actor_id", "organisation_id", "object_type", "object_id",
                 "ip_address", "details")


def payload(entry: Mapping[str, Any]) -> str:
    """The canonical JSON of an entry's hashed fields (``created_at`` in ISO 8601)."""
    fields = {name: entry[name] for name in HASHED_FIELDS}
    fields["created_at"] = entry["created_at"].isoformat()
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + payload(entry)).encode()).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head: str
    problems: list[ChainProblem]


def walk(entries: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Check entries in ``seq`` order (any iterable, read once): gaps, broken links, changed entries.

    Each entry is a mapping with the hashed fields and its ``prev_hash`` and ``hash``.
    """
    problems: list[ChainProblem] = []
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for entry in entries:
        seq = entry["seq"]
        if seq != expected_seq:
            problems.append(ChainProblem(expected_seq, f"entries {expected_seq}–{seq - 1} are missing"))
        if entry["prev_hash"] != prev_hash:
            problems.append(ChainProblem(seq, "does not link to the previous entry"))
        if entry_hash(entry["prev_hash"], entry) != entry["hash"]:
            problems.append(ChainProblem(seq, "was changed after it was written"))
        prev_hash, expected_seq = entry["hash"], seq + 1
        count += 1
    return ChainReport(count, prev_hash, problems)
