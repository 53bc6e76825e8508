"""Helpers shared by every area's views for forms: WTForms renders and carries the CSRF token; the data
goes into the area's input contract (a pydantic model) through :func:`parse_form`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from pydantic import BaseModel, ValidationError
from wtforms import Field, FieldList, FormField

from marketplace.core.errors import DomainError, ValidationFailed
from marketplace.core.schemas import field_errors

M = TypeVar("M", bound=BaseModel)


def parse_form(model: type[M], data: Mapping[str, Any]) -> M:
    """``data`` (taken from a form) as ``model``, or :class:`ValidationFailed` with a translated message per
    field (``milestones.0.week`` for a row's field), the same messages the API answers."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=field_errors(exc)) from None


def form_field(form: FlaskForm, name: str) -> Field | None:
    """The field an error key names: ``price_krw``, or ``milestones.2.week`` for a field of a FieldList's row."""
    first, *rest = name.split(".")
    node = getattr(form, first, None)
    for part in rest:
        if isinstance(node, FieldList):
            node = node.entries[int(part)] if part.isdigit() and int(part) < len(node.entries) else None
        elif isinstance(node, FormField):
            node = node.form._fields.get(part)
        else:
            node = None
    return node if isinstance(node, Field) else None


def attach_errors(form: FlaskForm, exc: DomainError) -> None:
    """Put a service's field errors on the form fields; messages for anything else show above the form."""
    unplaced = []
    for name, message in exc.fields.items():
        field = form_field(form, name)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            unplaced.append(message)
    if not exc.fields:
        form.form_errors.append(exc.message)
    form.form_errors.extend(unplaced)
