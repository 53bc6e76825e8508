"""The ``/api/v1`` core on flask-openapi3: area blueprints, authentication, CSRF on cookie writes, input
checks, problem+json answers and pagination.

Each area declares its operations on its own :class:`AreaBlueprint` with flask-openapi3's decorators
(``@bp.post(rule, responses={201: ProblemPublic})``) and typed arguments (``path``, ``query``,
``body``: pydantic models); :func:`marketplace.api.api_blueprint` nests the areas under ``/api/v1``.
An operation needs a token unless it says ``security=PUBLIC``. A handler returns a schema (or a
dict, or a ready :class:`~flask.Response`); :func:`respond` turns it into JSON with the operation's
success status. Which error statuses each operation declares is derived, not typed: see
:mod:`marketplace.api.statuses`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Response, current_app, jsonify, request
from flask import session as http_session
from flask_babel import gettext as _
from flask_login import current_user
from flask_openapi3 import APIBlueprint, Tag
from flask_openapi3.utils import parse_rule
from pydantic import BaseModel, ValidationError
from sqlalchemy import func
from sqlmodel import select

from marketplace.api.problems import http_titles, problem_response
from marketplace.core.errors import DomainError, NotAuthenticated
from marketplace.core.schemas import PageQuery, field_errors
from marketplace.extensions import csrf, db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BEARER = [{"bearerAuth": []}]
#: ``security=PUBLIC``: an operation anyone may call, without a token.
PUBLIC: list = []


@dataclass(eq=False)
class Operation:
    """What the layer needs to know about one declared operation at request time."""

    method: str
    rule: str
    handler: Callable
    responses: dict[int, Any]
    secured: bool
    path: type[BaseModel] | None
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    spec: Any = field(repr=False, default=None)  # flask_openapi3's Operation in the document
    _statuses: frozenset[int] | None = field(repr=False, default=None)  # see statuses.declared_statuses


def _operation_id(*, name: str, path: str, method: str) -> str:
    return name


class AreaBlueprint(APIBlueprint):
    """One area's API: flask-openapi3's blueprint under one tag, with a token required by default."""

    def __init__(self, name: str, import_name: str, *, description: str):
        super().__init__(name, import_name, abp_tags=[Tag(name=name, description=description)],
                         operation_id_callback=_operation_id, validate_response=True)

    def _collect_openapi_info(self, rule, func, *, security=None, responses=None, method="GET", **kwargs):
        secured = security is None
        parameters = super()._collect_openapi_info(rule, func, security=BEARER if secured else None,
                                                   responses=responses, method=method, **kwargs)
        _header, _cookie, path, query, _form, body, _raw = parameters
        declared = {int(status): value for status, value in (responses or {}).items()}
        if not any(200 <= status < 300 for status in declared):
            raise TypeError(f"{func.__name__}: declare its success response, e.g. responses={{200: Model}}")
        operation = Operation(method=str(method), rule=rule, handler=func, responses=declared, secured=secured,
                              path=path, query=query, body=body)
        operation.spec = getattr(self.paths[parse_rule(rule, url_prefix=self.url_prefix)], str(method).lower())
        # flask-openapi3 wraps the handler with functools.wraps, so the registered view carries this too.
        func.api_operation = operation
        return parameters


def current_operation() -> Operation | None:
    """The declared operation this request was routed to: None outside the API, before routing, and for
    OPTIONS (Flask answers it for every route, like before the API moved)."""
    if request.endpoint is None or request.method == "OPTIONS":
        return None
    return getattr(current_app.view_functions.get(request.endpoint), "api_operation", None)


# --- every request ---------------------------------------------------------------------------------

BEARER_HEADER = re.compile(r"^Bearer\s+(\S+)\s*$", re.IGNORECASE)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    match = BEARER_HEADER.match(header)
    return match.group(1) if match else None


def require_user():
    """The calling user; 401 without a valid token (or a browser session)."""
    if not current_user.is_authenticated:
        raise NotAuthenticated(_("Send a valid token: Authorization: Bearer <token>."))
    return current_user._get_current_object()


def before_request():
    # Browser pages may call the API with their session cookie; writes then need the CSRF token, whatever
    # other header the request carries (an ``Authorization: Bearer junk`` header once skipped the check).
    if request.method not in SAFE_METHODS and http_session.get("sid") and current_user.is_authenticated:
        csrf.protect()
    operation = current_operation()
    if operation is None:
        return None
    if operation.secured:
        require_user()
    problem = _check_repeated_query(operation.query) if operation.query is not None else None
    if problem is None and operation.body is not None:
        problem = _check_json_body()
    return problem


def _check_repeated_query(model: type[BaseModel]) -> Response | None:
    """flask-openapi3 reads the first of repeated scalar parameters (``?page=1&page=2``); the API has
    always refused them: a repeated parameter is validated as the list it is."""
    repeated = {key: values for key in request.args if len(values := request.args.getlist(key)) > 1}
    if not repeated:
        return None
    try:
        model.model_validate({**request.args.to_dict(), **repeated})
    except ValidationError as exc:
        return validation_error(exc)
    return None


def _check_json_body() -> Response | None:
    """415 for a body that is not JSON, 400 for broken JSON, 422 for JSON that is not an object; the
    object itself is validated by flask-openapi3 against the operation's model (then :func:`validation_error`)."""
    if not request.is_json:
        return _input_problem(415, _("Send a JSON body with Content-Type: application/json."))
    data = request.get_json(silent=True)
    if data is None:
        return _input_problem(400, _("The request body is not valid JSON."))
    if not isinstance(data, dict):
        return _input_problem(422, _("The request body must be a JSON object."))
    return None


def _input_problem(status: int, detail: str, errors: dict[str, str] | None = None) -> Response:
    return problem_response(status, http_titles().get(status, _("Bad request")), detail,
                            slug="validation-error" if status == 422 else None,
                            errors=[{"field": f, "message": m} for f, m in (errors or {}).items()] or None)


def validation_error(exc: ValidationError) -> Response:
    """flask-openapi3's ``validation_error_callback``: a query or body that its model refuses (422)."""
    operation = current_operation()
    in_query = operation is not None and operation.query is not None and exc.title == operation.query.__name__
    detail = _("Some query parameters are not valid.") if in_query else _("Some fields are not valid.")
    return _input_problem(422, detail, field_errors(exc))


def domain_error(exc: DomainError):
    errors = [{"field": f, "message": m} for f, m in exc.fields.items()] or None
    response = problem_response(exc.status, http_titles().get(exc.status, _("Bad request")), exc.message,
                                slug=exc.type_slug, errors=errors, **exc.extra)
    if exc.extra.get("retry_after"):  # a sign-in too soon after failures (accounts/throttle.py)
        response.headers["Retry-After"] = str(int(exc.extra["retry_after"]))
    return response


# --- answers -------------------------------------------------------------------------------------

def respond(result: Any, responses: dict | None = None) -> Response:
    """flask-openapi3's ``validate_response_callback``, given each handler's result: a schema, dict or
    list becomes JSON with the operation's declared success status; a Response passes as it is."""
    if isinstance(result, Response):
        return result
    status = next(int(s) for s in (responses or {200: None}) if 200 <= int(s) < 300)
    if isinstance(result, BaseModel):  # pydantic writes its own JSON (in Rust): the same document, faster
        return current_app.response_class(result.model_dump_json(), status=status, mimetype="application/json")
    response = jsonify(_jsonable(result))
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


def paginate(session, statement, query: PageQuery, convert: Callable[[Any], Any]) -> dict:
    """Run ``statement`` for one page; ``convert`` turns each row into its public schema."""
    total = session.exec(select(func.count()).select_from(statement.order_by(None).subquery())).one()
    rows = session.exec(statement.offset((query.page - 1) * query.per_page).limit(query.per_page)).all()
    return {"items": [convert(r) for r in rows], "total": total, "page": query.page, "per_page": query.per_page}


def session():
    return db.session
