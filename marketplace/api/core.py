"""The API blueprint, its route decorator, authentication and pagination."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar

from flask import Blueprint, Response, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func
from sqlmodel import select

from marketplace.api.problems import http_titles, problem_response
from marketplace.core.errors import DomainError, NotAuthenticated
from marketplace.core.routing import MAX_ID
from marketplace.extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

T = TypeVar("T")

#: A row id in a request body or query: positive and within the database's INTEGER range.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1, le=100_000, description="1-based page number")
    per_page: int = Field(default=20, ge=1, le=100, description="items per page, at most 100")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


def paginate(session, statement, query: PageQuery, convert: Callable[[Any], Any]) -> dict:
    """Run ``statement`` for one page; ``convert`` turns each row into its public schema."""
    total = session.exec(select(func.count()).select_from(statement.order_by(None).subquery())).one()
    rows = session.exec(statement.offset((query.page - 1) * query.per_page).limit(query.per_page)).all()
    return {"items": [convert(r) for r in rows], "total": total, "page": query.page, "per_page": query.per_page}


@dataclass
class ApiRoute:
    rule: str
    methods: list[str]
    endpoint: str
    summary: str
    tags: list[str]
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    auth: bool
    errors: list[int] = field(default_factory=list)
    content_type: str = "application/json"


class Api:
    """Declares routes once: Flask routing, input validation and the OpenAPI document."""

    def __init__(self, blueprint: Blueprint):
        self.blueprint = blueprint
        self.routes: list[ApiRoute] = []

    def route(self, rule: str, *, methods: tuple[str, ...] = ("GET",), summary: str, tags: tuple[str, ...] = (),
              body: type[BaseModel] | None = None, query: type[BaseModel] | None = None, response: Any = None,
              status: int = 200, auth: bool = True, errors: tuple[int, ...] = (),
              content_type: str = "application/json"):
        def decorator(fn):
            endpoint = fn.__name__
            self.routes.append(ApiRoute(rule, list(methods), f"{self.blueprint.name}.{endpoint}", summary,
                                        list(tags), body, query, response, status, auth, list(errors),
                                        content_type))
            accepts = inspect.signature(fn).parameters

            @functools.wraps(fn)
            def view(**path_args):
                if auth:
                    require_user()
                kwargs = dict(path_args)
                if query is not None:
                    kwargs["query"] = parse_query(query)
                if body is not None:
                    kwargs["body"] = parse_body(body)
                result = fn(**{k: v for k, v in kwargs.items() if k in accepts})
                return to_response(result, status)

            self.blueprint.add_url_rule(rule, endpoint, view, methods=list(methods))
            return fn

        return decorator


api = Api(bp)


# --- input -------------------------------------------------------------------------------------

class InputError(Exception):
    def __init__(self, status: int, detail: str, errors: list[dict[str, str]] | None = None):
        self.status, self.detail, self.errors = status, detail, errors or []


def _field_errors(exc: ValidationError) -> list[dict[str, str]]:
    messages = {
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
        "value_error": None,
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "datetime_parsing": _("Enter a date and time in ISO 8601."),
        "finite_number": _("Enter a finite number."),
    }
    result = []
    for err in exc.errors(include_url=False):
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind in ("string_too_long", "too_long"):
            message = _("Too long: at most %(n)s.", n=ctx.get("max_length"))
        elif kind in ("string_too_short", "too_short"):
            message = _("Too short: at least %(n)s.", n=ctx.get("min_length"))
        elif kind in ("greater_than_equal", "greater_than"):
            message = _("Must be at least %(n)s.", n=ctx.get("ge", ctx.get("gt")))
        elif kind in ("less_than_equal", "less_than"):
            message = _("Must be at most %(n)s.", n=ctx.get("le", ctx.get("lt")))
        elif kind == "value_error":
            message = str(ctx.get("error", err["msg"]))
        else:
            message = messages.get(kind) or err["msg"]
        result.append({"field": ".".join(str(p) for p in err["loc"]), "message": message})
    return result


def parse_body(model: type[BaseModel]) -> BaseModel:
    if not request.is_json:
        raise InputError(415, _("Send a JSON body with Content-Type: application/json."))
    data = request.get_json(silent=True)
    if data is None:
        raise InputError(400, _("The request body is not valid JSON."))
    if not isinstance(data, dict):
        raise InputError(422, _("The request body must be a JSON object."))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(422, _("Some fields are not valid."), _field_errors(exc)) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    raw: dict[str, Any] = {}
    for key in request.args:
        values = request.args.getlist(key)
        raw[key] = values if len(values) > 1 else values[0]
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InputError(422, _("Some query parameters are not valid."), _field_errors(exc)) from None


def to_response(result: Any, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if isinstance(result, BaseModel):
        payload = result.model_dump(mode="json")
    else:
        payload = _jsonable(result)
    response = jsonify(payload)
    response.status_code = status
    return response


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# --- authentication ------------------------------------------------------------------------------

BEARER = re.compile(r"^Bearer\s+(\S+)\s*$", re.IGNORECASE)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    match = BEARER.match(header)
    return match.group(1) if match else None


def require_user():
    """The calling user; 401 without a valid token (or a browser session)."""
    if not current_user.is_authenticated:
        raise NotAuthenticated(_("Send a valid token: Authorization: Bearer <token>."))
    return current_user._get_current_object()


@bp.before_request
def _protect_cookie_writes():
    """Browser pages may call the API with their session cookie; writes then need the CSRF token."""
    g.api_request = True
    if request.method not in SAFE_METHODS and bearer_token() is None and current_user.is_authenticated:
        csrf.protect()


@bp.errorhandler(InputError)
def _input_error(exc: InputError):
    return problem_response(exc.status, http_titles().get(exc.status, _("Bad request")), exc.detail,
                            slug="validation-error" if exc.status == 422 else None, errors=exc.errors or None)


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    errors = [{"field": f, "message": m} for f, m in exc.fields.items()] or None
    return problem_response(exc.status, http_titles().get(exc.status, _("Bad request")), exc.message,
                            slug=exc.type_slug, errors=errors, **exc.extra)


def session():
    return db.session
