"""How a cooperative's joint problem splits the SME cost among its member companies: pure rules.

No Flask, no database: member ids and percentages in, shares or refusal codes out (the service says
them in the reader's language).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import ROUND_DOWN, Decimal

WHOLE = Decimal(100)
CENT = Decimal("0.01")


def even_split(count: int) -> list[Decimal]:
    """``count`` shares to 0.01 percent that add up to exactly 100; the remainder goes to the first."""
    if count < 1:
        return []
    even = (WHOLE / count).quantize(CENT, rounding=ROUND_DOWN)
    rest = WHOLE - even * count
    return [even + rest] + [even] * (count - 1)


def split_refusals(shares: Mapping[int, Decimal], members: Collection[int]) -> dict[str, tuple[str, dict]]:
    """Why a split (member id → percent, each already above 0 and at most 100) cannot stand, by field:
    ``shares.<id>`` ``not_member`` for a company outside the cooperative, else ``shares`` ``members_missing``
    when a member has no share, else ``shares`` ``shares_sum`` (ctx ``total``) when they do not add up to 100.
    Empty when the split stands."""
    outsiders = [member for member in shares if member not in members]
    if outsiders:
        return {f"shares.{member}": ("not_member", {}) for member in outsiders}
    if set(shares) != set(members):
        return {"shares": ("members_missing", {})}
    total = sum(shares.values(), Decimal(0))
    if total != WHOLE:
        return {"shares": ("shares_sum", {"total": format(total, "f")})}
    return {}
