"""``/api/v1``: the JSON API core on flask-openapi3. Every area declares its operations in its own
``api.py`` on an :class:`AreaBlueprint`; :func:`api_blueprint` nests them under ``/api/v1``.

Handlers are thin: their pydantic arguments are validated by flask-openapi3, they call the same
services as the pages and return schemas. Errors are RFC 9457 ``application/problem+json``. The
OpenAPI 3.1 document is generated from the same declarations (:mod:`marketplace.api.document`),
with the statuses each operation can answer derived from its code (:mod:`marketplace.api.statuses`).
"""

from __future__ import annotations

from flask_openapi3 import APIBlueprint

from marketplace.api import document
from marketplace.api.core import PUBLIC, AreaBlueprint, before_request, domain_error, paginate, session
from marketplace.core.errors import DomainError
from marketplace.extensions import csrf

__all__ = ["PUBLIC", "AreaBlueprint", "api_blueprint", "paginate", "session"]


def api_blueprint(*areas: AreaBlueprint) -> APIBlueprint:
    """``/api/v1`` for one app: the areas nested under it, the checks every operation shares, the
    document and its docs page. The areas are module-level; this parent is made anew for each app."""
    bp = APIBlueprint("api", __name__, url_prefix="/api/v1")
    bp.before_request(before_request)
    bp.register_error_handler(DomainError, domain_error)
    bp.add_url_rule("/openapi.json", "openapi_json", document.openapi_json)
    bp.add_url_rule("/docs", "docs", document.docs)
    for area in areas:
        csrf.exempt(area)  # cookie writes are checked in before_request; token clients have no CSRF token
        bp.register_api(area)
    return bp
