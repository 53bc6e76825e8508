"""Helpers shared by every area's views for forms."""

from __future__ import annotations

from flask_wtf import FlaskForm

from marketplace.core.errors import DomainError


def attach_errors(form: FlaskForm, exc: DomainError) -> None:
    """Put a service's field errors on the form fields; the rest becomes a form-level error."""
    placed = False
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
            placed = True
    if not placed or not exc.fields:
        form.form_errors.append(exc.message)
