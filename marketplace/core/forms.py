"""Helpers shared by every area's views for forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from pydantic import BaseModel, ValidationError

from marketplace.core.errors import DomainError, ValidationFailed
from marketplace.core.schemas import field_errors

M = TypeVar("M", bound=BaseModel)


def parse_form(model: type[M], data: Mapping[str, Any], *, message: str | None = None) -> M:
    """The data of a form (or any mapping) as the area's input contract, the one the API uses too.

    Refused data raises :class:`ValidationFailed` with the translated messages by field
    (:func:`~marketplace.core.schemas.field_errors`), for :func:`attach_errors` to put next to the fields.
    """
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise ValidationFailed(message or _("Please correct the highlighted fields."),
                               fields=field_errors(exc)) from None


def attach_errors(form: FlaskForm, exc: DomainError) -> None:
    """Put a service's field errors on the form fields; messages for anything else show above the form."""
    unplaced = []
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [message]
        else:
            unplaced.append(message)
    if not exc.fields:
        form.form_errors.append(exc.message)
    form.form_errors.extend(unplaced)
