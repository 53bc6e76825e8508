"""What a change of a problem changed, and what follows from it (pure: plain data in, plain results out).

A problem is compared as a *snapshot*: a dict of its fields with JSON values (numbers of KPIs as plain
decimal text, dates as ISO text), so equal content compares equal however it was typed in.

**Which fields make bids re-confirm** (:data:`PRICED_FIELDS`): those that change the work a vendor
priced — the description (scope), the problem types, the KPIs (what must be reached), the data sets
and the systems to integrate, on-premises deployment and the wanted-by date. A change of the title,
the process name, the industry code, the budget range, the weights and the cost horizon (how bids are
compared, not what they price), the visibility, the opening setting or the amendment setting is published as
an amendment too, but submitted bids stay valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

#: The order in which changes are listed (the wizard's order).
FIELDS = ("title", "description", "process", "industry", "problem_types", "kpis", "data_assets", "systems",
          "on_premises_required", "budget_min_krw", "budget_max_krw", "wanted_by", "weights", "tco_horizon_years",
          "visibility", "opening_shows_names", "amendment_min_days", "bid_deadline")

PRICED_FIELDS = frozenset({"description", "problem_types", "kpis", "data_assets", "systems",
                           "on_premises_required", "wanted_by"})

DEFAULT_MIN_DAYS = 3


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


def plain_number(value: Decimal | int | float | str | None) -> str | None:
    """``Decimal("7.0000")`` and ``Decimal("7.0")`` both as ``"7"``; ``None`` stays ``None``."""
    if value is None:
        return None
    return format(Decimal(str(value)).normalize(), "f")


def kpi_row(name: str, unit: str, baseline, target, direction: str, metric: str | None = None,
            measured_on: str | None = None, period: str | None = "") -> dict[str, Any]:
    """A KPI as the snapshot compares it: what it measures and how it is measured at acceptance."""
    return {"name": name, "unit": unit or "", "baseline": plain_number(baseline), "target": plain_number(target),
            "direction": str(direction), "metric": metric or None, "measured_on": measured_on or None,
            "period": period or ""}


def plain(value: Any) -> Any:
    """A JSON value for the snapshot."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every field whose value differs, in :data:`FIELDS` order (fields missing on one side are skipped)."""
    return [Change(name, before[name], after[name]) for name in FIELDS
            if name in before and name in after and plain(before[name]) != plain(after[name])]


def needs_reconfirmation(changes: Iterable[Change]) -> bool:
    return any(c.field in PRICED_FIELDS for c in changes)


def deadline_after_amendment(deadline: datetime, now: datetime, min_days: int) -> datetime:
    """The deadline leaves at least ``min_days`` after an amendment; it never moves earlier."""
    return max(deadline, now + timedelta(days=min_days))


def fields_of(changes: Sequence[Change] | Sequence[Mapping[str, Any]]) -> list[str]:
    return [c.field if isinstance(c, Change) else c["field"] for c in changes]
