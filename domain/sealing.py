"""SHA-256 commitments of what the award rests on: the published weights and each submitted bid.

When bidding opens the product records the digest of the weights (with the cost horizon); when a bid is
submitted, the digest of its scored terms. The evaluation recomputes both and refuses to score when one
differs; the opening result publishes the canonical texts and their digests so that anyone can recompute
them (``sha256sum`` of the text) and then the award (the README's formulas).

The canonical text is JSON with sorted keys, no spaces, UTF-8; money in whole won, KPI values as written.
A pure module: no Flask, no database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from domain.criteria import CRITERIA


def canonical(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def weights_text(problem_id: int, weights: Mapping[str, int], horizon_years: int) -> str:
    return canonical({"problem_id": problem_id, "weights": {c: int(weights[c]) for c in CRITERIA},
                      "horizon_years": int(horizon_years)})


def bid_text(*, bid_id: int, problem_id: int, vendor_id: int, price_krw: int, duration_weeks: int,
             maintenance_yearly_krw: int, maintenance_years: int, commitments: Sequence[Mapping[str, str]]) -> str:
    """``commitments``: ``[{"kpi_id": 3, "value": "1.5"}]`` (values as written)."""
    return canonical({
        "bid_id": bid_id, "problem_id": problem_id, "vendor_id": vendor_id, "price_krw": price_krw,
        "duration_weeks": duration_weeks, "maintenance_yearly_krw": maintenance_yearly_krw,
        "maintenance_years": maintenance_years,
        "kpi_commitments": sorted(({"kpi_id": int(c["kpi_id"]), "value": str(c["value"])} for c in commitments),
                                  key=lambda c: c["kpi_id"]),
    })
