"""Helpers shared by every area's views for forms.

A page's form (WTForms: CSRF and rendering) hands its data to the same pydantic contract the API
uses (:func:`parse_form`); the contract's field errors, or a service's, go back onto the form fields
(:func:`attach_errors`), nested ones too: ``kpis.0.target`` lands on the first KPI row's target.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask_wtf import FlaskForm
from pydantic import BaseModel
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Field, FieldList, FormField, SelectMultipleField

from marketplace.core.errors import DomainError
from marketplace.core.schemas import parse

M = TypeVar("M", bound=BaseModel)


def _given(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _given(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [_given(v) for v in value]
    return value


def parse_form(model: type[M], data: Mapping[str, Any]) -> M:
    """Form data validated into ``model``, or :class:`ValidationFailed` with translated field messages.

    An empty input is no input: ``""`` and ``None`` are left out (in rows too), so the contract's
    default applies and a required field says "This field is required.".
    """
    return parse(model, _given(data))


def submitted(form: FlaskForm) -> dict[str, Any]:
    """The submitted form's values by field name, for :func:`parse_form`: what WTForms could read (an
    int from an IntegerField, a list from a multiple choice), else the text as typed, so that the
    contract says what is wrong with it ("Enter a whole number."). A field that was not sent is None,
    whatever its default (unticked boxes are an empty choice). The CSRF token is left out."""
    values: dict[str, Any] = {}
    for field in form:
        if field.type == "CSRFTokenField":
            continue
        if field.process_errors and field.raw_data:
            value = field.raw_data[0]
        elif field.raw_data == [] and not isinstance(field, SelectMultipleField | BooleanField):
            value = None
        else:
            value = field.data
        values[field.short_name] = value
    return values


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return False


def form_values(model: type[BaseModel], formdata: MultiDict) -> dict[str, Any]:
    """What a posted form (``request.form``) holds for the fields of ``model``, as typed: every value of a
    list field (ticked boxes, a multiple select; none ticked is an empty list, as a browser sends nothing
    then), the one value of the others. Other keys (the CSRF token, buttons) are not the contract's."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if _is_list(info.annotation):
            values[name] = [v for v in formdata.getlist(name) if v != ""]
        elif name in formdata:
            values[name] = formdata[name]
    return values


def form_field(form: FlaskForm, name: str) -> Field | None:
    """The form field a dotted name points at (``kpis.0.target``: field list, row, field; ``kpis``: the list), or None."""
    node: Any = form
    for part in name.split("."):
        if isinstance(node, FormField):
            node = node.form
        if isinstance(node, FieldList):
            if not part.isdigit() or int(part) >= len(node.entries):
                return None
            node = node.entries[int(part)]
        else:
            node = getattr(node, part, None) if part and not part.startswith("_") else None
        if node is None:
            return None
    # a whole list (``milestones``: "must add up to 100%") is a field too; its template shows the message
    return node if isinstance(node, Field) and not isinstance(node, FormField) else None


def attach_errors(form: FlaskForm, exc: DomainError, rename: Callable[[str], str] | None = None) -> None:
    """Put a service's field errors on the form fields; messages for anything else show above the form.

    ``rename`` maps a contract's field name onto the form's where they differ.
    """
    unplaced = []
    for name, message in exc.fields.items():
        field = form_field(form, rename(name) if rename else name)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            unplaced.append(message)
    if not exc.fields:
        form.form_errors.append(exc.message)
    form.form_errors.extend(unplaced)
