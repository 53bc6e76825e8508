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
