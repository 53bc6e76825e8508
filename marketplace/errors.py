"""Errors become responses here, in one place: problem+json for the API, friendly pages otherwise."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from marketplace.api.problems import http_titles, problem_response
from marketplace.core.errors import DomainError

logger = logging.getLogger(__name__)


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def page_messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please go back and try again."),
        401: _("Please log in to continue."),
        403: _("You are not allowed to see this page. If you think you should be, ask your organisation's owner."),
        404: _("We could not find this page. It may have moved, or you may not have access to it."),
        405: _("This page cannot be used that way."),
        409: _("This cannot be done in the current state."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on our side. We have logged it; please try again in a moment."),
        503: _("The service is briefly unavailable. Please try again in a moment."),
    }


def render_error(status: int, detail: str | None = None):
    title = http_titles().get(status, _("Error"))
    if wants_problem_json():
        return problem_response(status, title, detail)
    message = detail or page_messages().get(status, title)
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render_error(400, _("This form has expired or was sent from elsewhere. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        detail = None
        if status == 429:
            detail = _("Too many attempts. Please wait a few minutes and try again.")
        elif status in (400, 413, 415) and wants_problem_json():
            detail = http_titles().get(status)
        response = render_error(status, detail)
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            response = app.make_response(response)
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        response = render_error(exc.status, exc.message)
        if exc.extra.get("retry_after"):  # e.g. a sign-in too soon after failures (accounts/throttle.py)
            response = app.make_response(response)
            response.headers["Retry-After"] = str(int(exc.extra["retry_after"]))
        return response

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def out_of_range(exc):
        # A number the database cannot hold (a huge id or amount that slipped past validation).
        logger.warning("value out of range on %s %s: %s", request.method, request.path, exc)
        return render_error(422, _("A number in the request is out of range."))

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):
        if not g.get("db_retry_with_write_lock"):  # else the request runs again (marketplace/database.py)
            logger.error("database unavailable: %s", exc.orig)
        return render_error(503)

    @app.errorhandler(InternalServerError)
    def internal(exc: InternalServerError):
        # The commit at the end of a request runs after the view; a database that went away then
        # arrives here wrapped, and deserves the same friendly 503 as during the view.
        if isinstance(getattr(exc, "original_exception", None), OperationalError):
            logger.error("database unavailable at commit: %s", exc.original_exception)
            return render_error(503)
        return render_error(500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
