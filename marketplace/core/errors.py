"""Domain errors raised by services and mapped to responses in one place (see ``errors.py``).

Each carries a translated, user-facing message. ``field`` names the offending input where there
is one, so forms and problem+json answers can point at it.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    type_slug = "bad-request"

    def __init__(self, message: str, *, field: str | None = None, fields: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.fields = dict(fields or {})
        if field:
            self.fields[field] = self.message
        self.extra = dict(extra or {})


class ValidationFailed(DomainError):
    """Input is well-formed but not acceptable (422)."""

    status = 422
    type_slug = "validation-error"


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it does (404)."""

    status = 404
    type_slug = "not-found"


class NotAllowed(DomainError):
    """The caller is known and may see the object, but may not do this (403)."""

    status = 403
    type_slug = "forbidden"


class Unverified(NotAllowed):
    """The caller's organisation has not been verified by a platform administrator yet (403)."""

    type_slug = "organisation-unverified"


class NotAuthenticated(DomainError):
    status = 401
    type_slug = "unauthenticated"


class Conflict(DomainError):
    """The object's state forbids this now (deadline passed, already awarded, budget used up)."""

    status = 409
    type_slug = "conflict"


#: Errors a page answers with a message on the same page (bad input, wrong moment). NotFound and
#: NotAllowed are not among them: they become real 404/403 answers.
RECOVERABLE = (ValidationFailed, Conflict)
