"""Subsidy arithmetic: what the program pays, what the SME pays, what the budget has left.

Pure rules: plain numbers in, plain numbers out; no Flask, no database, no translation (an
import-linter contract in pyproject.toml checks it). Money is whole won (``int``) and ratios are
exact :class:`~decimal.Decimal` values; a float never touches either.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal


@dataclass(frozen=True)
class Split:
    """A contract price split between the program and the SME; the two add up to the price."""

    subsidy_krw: int
    own_share_krw: int


def split_price(price_krw: int, *, ratio: Decimal, cap_krw: int) -> Split:
    """The program pays ``min(cap, floor(ratio × price))`` whole won; the SME pays the rest.

    ``ratio`` is exact (``Decimal("0.7") × 10`` is 7, where floats give 6.999…). Rounding is down, so
    the program never pays more than its ratio of the price.
    """
    if isinstance(price_krw, bool) or not isinstance(price_krw, int) or price_krw < 0:
        raise ValueError("the price must be a whole number of won, 0 or more")
    if isinstance(cap_krw, bool) or not isinstance(cap_krw, int) or cap_krw < 0:
        raise ValueError("the cap must be a whole number of won, 0 or more")
    ratio = Decimal(ratio)
    if not ratio.is_finite() or not 0 <= ratio <= 1:
        raise ValueError("the ratio must be between 0 and 1")
    subsidy = int((ratio * price_krw).to_integral_value(rounding=ROUND_FLOOR))
    subsidy = min(subsidy, cap_krw)
    return Split(subsidy_krw=subsidy, own_share_krw=price_krw - subsidy)


def shares_fit(subsidy_ratio: Decimal, min_own_share_ratio: Decimal) -> bool:
    """A program can promise its ratio and still leave the SME its minimum own share.

    When this holds, every split leaves the SME at least ``min_own_share_ratio × price``: the subsidy
    is at most ``subsidy_ratio × price``.
    """
    return Decimal(subsidy_ratio) + Decimal(min_own_share_ratio) <= 1


@dataclass(frozen=True)
class Budget:
    """A program's budget as its ledger reads: approved money is reserved, signed money committed;
    pending requests are shown but hold nothing."""

    total: int
    reserved: int
    committed: int
    pending: int

    @property
    def used(self) -> int:
        return self.reserved + self.committed

    @property
    def left(self) -> int:
        return self.total - self.used

    def covers(self, amount_krw: int) -> bool:
        """Whether approving ``amount_krw`` more keeps the reserved and committed money within the total."""
        return 0 <= amount_krw <= self.left

    def as_dict(self) -> dict[str, int]:
        return {"total_krw": self.total, "reserved_krw": self.reserved, "committed_krw": self.committed,
                "pending_krw": self.pending, "left_krw": self.left}
