"""RFC 9457 problem details: the body of every API error, and its schema in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import Response, json, request
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

PROBLEM_BASE = "https://axbridge.example/problems/"
MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(description="the offending input, dotted for nested ones (kpis.0.name)")
    message: str = Field(description="what to change, in the caller's language")


class ProblemDetails(BaseModel):
    """RFC 9457 problem details. Some problems add members of their own (``reasons``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(json_schema_extra={"format": "uri"})
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = Field(default=None, description="for invalid input: each offending field")


def problem_response(status: int, title: str, detail: str | None = None, *, slug: str | None = None,
                     errors: list[dict[str, str]] | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or str(status)),
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.path if request else None,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)


def http_titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Authentication required"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Request too large"),
        415: _("Unsupported media type"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Internal server error"),
        503: _("Service unavailable"),
    }
