"""Helpers shared by every area's views for forms."""

from __future__ import annotations

from flask_wtf import FlaskForm

from marketplace.core.errors import DomainError


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
