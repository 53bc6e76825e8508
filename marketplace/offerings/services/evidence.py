"""A vendor's evidence: every past project that ranking and bid evaluation may count, with its provenance.

The rule that weighs it is pure (:mod:`domain.evidence`); this service loads the items:

- ``claimed``: the projects the vendor declares on its offerings (``completed_projects``);
- ``confirmed`` and ``verified``: rows of :class:`~marketplace.offerings.models.VendorEvidence`, written by
  the platform only (a reference customer's answer, a review of a completed agreement; the KPI acceptance
  feature adds measured KPI results through :func:`record_evidence`).

A vendor edits only its claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from domain.criteria import CRITERIA
from domain.evidence import NEUTRAL_PROFILE, EvidenceItem, Provenance


def mean_profile(offerings: Sequence) -> dict[str, float]:
    """The criteria profile of these offerings (their mean; middling without any)."""
    if not offerings:
        return {c: NEUTRAL_PROFILE for c in CRITERIA}
    return {c: sum(float((o.profile or {}).get(c, NEUTRAL_PROFILE)) for o in offerings) / len(offerings)
            for c in CRITERIA}


def claimed_items(offerings: Iterable) -> list[EvidenceItem]:
    """One claimed item per project the vendor declares (the rule counts at most ten)."""
    return [EvidenceItem(Provenance.CLAIMED, label=o.title) for o in offerings for _ in range(o.completed_projects)]


def evidence_items(session, vendor_ids: Iterable[int], *, offerings: Sequence) -> dict[int, list[EvidenceItem]]:
    """vendor id → its evidence items (claims from ``offerings``, the vendor's offering rows)."""
    out: dict[int, list[EvidenceItem]] = {v: [] for v in vendor_ids}
    for o in offerings:
        if o.organisation_id in out:
            out[o.organisation_id].extend(claimed_items([o]))
    return out
