"""JSON for requests: a body nested too deeply to parse is bad input (400), never a 500.

Python's decoder raises ``RecursionError`` on a few thousand nested brackets (``[[[[…``). Flask answers a
``ValueError`` from ``loads`` as a bad request, so that is what a too-deep document becomes, on every JSON
endpoint at once (the API and any page that reads JSON).
"""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider


class TooDeep(ValueError):
    pass


class SafeJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise TooDeep("the JSON document is nested too deeply") from None
