"""Pieces every area's pydantic contracts share, and the ONE mapping from validation errors to messages.

``Strict`` is the base of every input contract (unknown fields are refused). ``field_errors`` turns a
pydantic :class:`~pydantic.ValidationError` into translated messages by field: the API answers them in
problem+json ``errors``, and pages can put them next to their fields. It needs no request: outside one
the messages are English.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Generic, TypeVar

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from marketplace.core.errors import ValidationFailed
from marketplace.core.routing import MAX_ID

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

#: A row id in a path, body or query: positive and within the database's INTEGER range.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


_JSON_SCHEMAS: dict[tuple, str] = {}


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class Strict(BaseModel):
    """An input contract: fields it does not know are refused, not ignored; no text may hold a NUL character
    (PostgreSQL cannot store one: it was a 500)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul_character(cls, value: Any) -> Any:
        if _has_nul(value):
            raise PydanticCustomError("nul_character", "text must not contain a NUL character")
        return value

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON schema, built once per class and arguments (a class's schema never changes).

        flask-openapi3 asks for a query model's schema on every request, to find its list fields;
        pydantic would build it anew each time (about half a millisecond). Kept as JSON text: each caller
        gets its own copy (callers may change it), decoded in C rather than deep-copied in Python.
        """
        key = (cls, args, tuple(sorted(kwargs.items())))
        if key not in _JSON_SCHEMAS:
            _JSON_SCHEMAS[key] = json.dumps(super().model_json_schema(*args, **kwargs))
        return json.loads(_JSON_SCHEMAS[key])


def text(max_length: int) -> Any:
    """Required text of at most ``max_length`` characters: surrounding spaces go, and blank is missing
    ("This field is required.")."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)]


class PageQuery(Strict):
    page: int = Field(default=1, ge=1, le=100_000, description="1-based page number")
    per_page: int = Field(default=20, ge=1, le=100, description="items per page, at most 100")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


def _messages() -> dict[str, str | None]:
    return {
        "missing": _("This field is required."),
        "extra_forbidden": _("This field is not known."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "string_type": _("Enter text."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "list_type": _("Enter a list."),
        "dict_type": _("Enter an object."),
        "model_type": _("Enter an object."),
        "enum": _("Choose one of the allowed values."),
        "literal_error": _("Choose one of the allowed values."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "datetime_parsing": _("Enter a date and time in ISO 8601."),
        "finite_number": _("Enter a finite number."),
        "nul_character": _("Remove the NUL control character (\\0) from the text."),
        # the domain types' own error types (domain/): one message each, translated here
        "kpi_number": _("Enter a number."),
        "kpi_number_range": _("Enter a finite number."),
        "kpi_direction": _("Choose whether lower or higher is better."),
        "won_type": _("Enter an amount in whole won."),
        # problems (marketplace/problems/schemas.py)
        "industry_unknown": _("Choose an industry (KSIC division) from the list."),
        "wanted_by_past": _("The delivery date must be in the future."),
        "wanted_by_far": _("The delivery date must be within three years."),
        "budget_order": _("The highest budget must not be below the lowest."),
        "share_range": _("Enter a share above 0 and at most 100."),
        # accounts and offerings (marketplace/accounts/schemas.py, marketplace/offerings/schemas.py;
        # accounts' industry uses industry_unknown above)
        "brn_format": _("A business registration number has 10 digits (e.g. 123-45-67890)."),
        "brn_component": _("This business registration number cannot have been issued: its tax office, "
                           "business type or serial part does not exist. Please check it against your "
                           "registration certificate."),
        "brn_checksum": _("This business registration number is not valid: its check digit does not match. "
                          "Please check it against your registration certificate."),
        "email": _("Enter a valid e-mail address."),
        "password_too_easy": _("This password is too easy to guess."),
        "passwords_differ": _("The passwords differ."),
        "region_unknown": _("Choose a region (시·도) from the list."),
        "price_order": _("The highest price must not be below the lowest price."),
        "criterion_score": _("Enter a number from 0 to 1."),
        # bids (marketplace/bids/schemas.py); %(...)s placeholders are filled from the error's ctx
        "kpi_metric": _("Choose how this KPI is measured from the list."),
        "kpi_measured_on": _("Choose what this KPI is measured on from the list."),
        "bid_price": _("Enter a price above zero in whole won."),
        "bid_price_large": _("The price is too large: enter at most 100,000,000,000 won (1,000억 원)."),
        "bid_duration": _("Enter the duration in weeks (1–260)."),
        "bid_maintenance_cost": _("Enter a yearly maintenance cost of 0 or more won."),
        "bid_maintenance_years": _("Enter 0 to 10 years of maintenance."),
        "bid_approach_short": _("Describe your approach in at least 20 characters."),
        "milestone_name": _("Name the milestone."),
        "milestone_week": _("Enter the week (1–260)."),
        "milestone_share": _("Enter a payment share of 0 to 100 percent."),
        "milestones_missing": _("Add at least one milestone with its payment share."),
        "milestones_max": _("Give at most %(n)d milestones."),
        "milestones_total": _("Milestone payments must add up to 100%%; now they add up to %(total)d%%."),
        "milestones_order": _("List the milestones in the order of their weeks."),
    }


def _code_unknown(kind: str, code: str) -> str:
    """A taxonomy code that is not in the list (``kind``: capability, industry, region, deployment_mode)."""
    if kind == "capability":
        return _("%(code)s is not a known capability.", code=code)
    if kind == "industry":
        return _("%(code)s is not a known industry (KSIC division).", code=code)
    if kind == "region":
        return _("%(code)s is not a known region.", code=code)
    return _("%(code)s is not a known deployment mode.", code=code)


def _with_context(message: str, ctx: dict[str, Any]) -> str:
    """Fill a translated message's ``%(name)s`` placeholders from the error's ctx (``%%`` becomes ``%``)."""
    if "%" not in message:
        return message
    try:
        return message % ctx
    except (KeyError, TypeError, ValueError):
        return message


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Translated messages by field (``kpis.0.name`` for nested ones), the first error of each field."""
    messages = _messages()
    result: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind in ("string_too_long", "too_long"):
            message = _("Too long: at most %(n)s.", n=ctx.get("max_length"))
        elif kind == "string_too_short" and ctx.get("min_length") == 1:
            message = messages["missing"]  # an empty (or blank) required text
        elif kind in ("string_too_short", "too_short"):
            message = _("Too short: at least %(n)s.", n=ctx.get("min_length"))
        elif kind in ("greater_than_equal", "greater_than"):
            message = _("Must be at least %(n)s.", n=ctx.get("ge", ctx.get("gt")))
        elif kind in ("less_than_equal", "less_than"):
            message = _("Must be at most %(n)s.", n=ctx.get("le", ctx.get("lt")))
        elif kind == "weight_range":
            message = _("Enter a whole number from 0 to 100.")
        elif kind == "weights_sum":
            message = _("The weights must add up to 100; now they add up to %(total)d.", total=ctx.get("total", 0))
        elif kind == "weights_unknown":
            message = _("Unknown criterion: %(names)s.", names=ctx.get("names", ""))
        elif kind == "kpi_target_direction":
            message = (_("For a lower-is-better KPI the target must be below the baseline.")
                       if ctx.get("direction") == "lower" else
                       _("For a higher-is-better KPI the target must be above the baseline."))
        elif kind == "problem_type_unknown":
            message = _("Unknown problem type: %(codes)s.", codes=ctx.get("codes", ""))
        elif kind == "problem_types_max":
            message = _("Choose at most %(n)d problem types.", n=ctx.get("max", 0))
        elif kind == "code_unknown":
            message = _code_unknown(str(ctx.get("kind")), str(ctx.get("code", "")))
        elif kind == "choose_at_least_one":
            message = (_("Choose at least one capability.") if ctx.get("kind") == "capability" else
                       _("Choose at least one deployment mode."))
        elif kind == "password_too_short":
            message = _("Use at least %(n)d characters for the password.", n=ctx.get("n", 0))
        elif kind == "value_error":
            message = str(ctx.get("error", err["msg"]))
        elif messages.get(kind):
            message = _with_context(messages[kind], ctx)
        else:
            message = err["msg"]
        result.setdefault(".".join(str(p) for p in err["loc"]), message)
    return result


def parse(model: type[M], data: Any, *, message: str | None = None) -> M:
    """``data`` validated into the contract ``model``; else :class:`ValidationFailed` carrying the
    translated messages by field (``message`` says what went wrong as a whole)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(message or _("Please correct the highlighted fields."),
                               fields=field_errors(exc)) from None
