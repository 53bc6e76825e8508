"""``/api/v1``: the JSON API. Every area adds its endpoints in its own ``api.py``.

Handlers are thin: they validate with pydantic schemas, call the same services as the pages and
return schemas. Errors are RFC 9457 ``application/problem+json``. The OpenAPI 3.1 document is
built from the same route declarations and schemas (see :mod:`marketplace.api.openapi`).
"""

from marketplace.api.core import api, bp

__all__ = ["api", "bp"]
