"""URL converters shared by every area."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

#: Row ids are INTEGER columns; anything larger cannot exist, so its URL is simply not found.
MAX_ID = 2_147_483_647


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a positive id within the database's INTEGER range, else 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def row_id(value) -> int | None:
    """A row id from a form or query string: a whole number within 1…MAX_ID, else None (an id out of the
    INTEGER range was a 500 on PostgreSQL; such a row cannot exist)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def bounded_int(value, *, low: int, high: int, default: int | None = None) -> int | None:
    """A whole number from a query string clamped into [low, high]; ``default`` when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)
