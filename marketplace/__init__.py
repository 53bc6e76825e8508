"""AX Bridge: the web application.

:func:`create_app` is the only factory. Configuration comes from code defaults, then
``AXBRIDGE_*`` environment variables, then the ``config`` mapping given here (tests).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, session
from flask_babel import lazy_gettext as _l

from marketplace.api.core import respond, validation_error
from marketplace.api.document import OpenAPI
from marketplace.api.statuses import install_check
from marketplace.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> OpenAPI:
    app = OpenAPI(
        __name__,
        validation_error_callback=validation_error,
        validate_response_callback=respond,
        instance_path=str((config or {}).get("INSTANCE_PATH") or (ROOT / "instance")),
        instance_relative_config=True,
        template_folder="templates",
        static_folder="static",
    )
    load_config(app, config)
    from marketplace import deployment

    deployment.configure(app)
    from marketplace.core.json import SafeJSONProvider
    from marketplace.core.routing import IdConverter

    app.json = SafeJSONProvider(app)

    app.url_map.converters["int"] = IdConverter
    _configure_logging(app)

    from marketplace import security
    from marketplace.errors import register_error_handlers
    from marketplace.extensions import babel, bootstrap, csrf, db, limiter, login_manager
    from marketplace.i18n import select_locale

    db.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _configure_login(app, login_manager)
    security.init_app(app)
    register_error_handlers(app)
    _register_blueprints(app)
    _connect_receivers()
    from marketplace import jobs

    jobs.init_app(app)
    if app.config.get("API_CHECK_DECLARED_STATUSES"):  # the test suite's check
        install_check(app)
    _register_template_helpers(app)
    return app


def _configure_logging(app: Flask) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _configure_login(app: Flask, login_manager) -> None:
    from marketplace.accounts import services
    from marketplace.api.core import bearer_token
    from marketplace.extensions import db

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # Our own server-side session rows replace flask-login's IP/agent heuristics.
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(user_id: str):
        user = services.user_for_login_session(db.session, session.get("sid"))
        return user if user is not None and user.get_id() == user_id else None

    @login_manager.request_loader
    def load_user_from_token(request):
        if not request.path.startswith("/api/"):
            return None
        token = bearer_token()
        return services.user_for_api_token(db.session, token) if token else None


def _register_blueprints(app: OpenAPI) -> None:
    from marketplace.accounts import api as accounts_api
    from marketplace.accounts.views import bp as accounts_bp
    from marketplace.admin import api as admin_api
    from marketplace.admin.views import bp as admin_bp
    from marketplace.agreements import api as agreements_api
    from marketplace.agreements.views import bp as agreements_bp
    from marketplace.api import api_blueprint
    from marketplace.bids import api as bids_api
    from marketplace.bids.views import bp as bids_bp
    from marketplace.discovery import api as discovery_api
    from marketplace.discovery.views import bp as discovery_bp
    from marketplace.documents import api as documents_api
    from marketplace.documents.views import bp as documents_bp
    from marketplace.notifications import api as notifications_api
    from marketplace.notifications.views import bp as notifications_bp
    from marketplace.offerings import api as offerings_api
    from marketplace.offerings.views import bp as offerings_bp
    from marketplace.outcomes import api as outcomes_api
    from marketplace.outcomes.views import bp as outcomes_bp
    from marketplace.pages import api as work_api
    from marketplace.pages.views import bp as pages_bp
    from marketplace.problems import api as problems_api
    from marketplace.problems.views import bp as problems_bp
    from marketplace.programs import api as programs_api
    from marketplace.programs.views import bp as programs_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(problems_bp)
    app.register_blueprint(discovery_bp)
    app.register_blueprint(offerings_bp)
    app.register_blueprint(programs_bp)
    app.register_blueprint(bids_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(agreements_bp)
    app.register_blueprint(outcomes_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(documents_bp)
    # /api/v1: each area owns its API blueprint; they are nested here, in the order of the document.
    app.register_api(api_blueprint(accounts_api.bp, problems_api.bp, offerings_api.bp, discovery_api.bp,
                                   bids_api.bp, programs_api.bp, agreements_api.bp, outcomes_api.bp,
                                   notifications_api.bp, work_api.bp, admin_api.bp, documents_api.bp))


def _connect_receivers() -> None:
    """Each area that reacts to another's signal (marketplace/signals.py) connects its receivers.

    Connecting again (a second app in the same process) is a no-op: blinker keeps one connection
    per receiver.
    """
    from marketplace.agreements import receivers as agreements
    from marketplace.bids import receivers as bids
    from marketplace.discovery import receivers as discovery
    from marketplace.notifications import receivers as notifications
    from marketplace.outcomes import receivers as outcomes
    from marketplace.programs import receivers as programs

    for area in (bids, notifications, programs, agreements, discovery, outcomes):
        area.connect()


def _register_template_helpers(app: Flask) -> None:
    from domain import labels
    from marketplace.i18n import current_locale, format_number, format_when, format_won, install_template_gettext, localised
    from matching import taxonomy

    install_template_gettext(app)
    from marketplace.core.views import select_options

    app.jinja_env.globals["select_options"] = select_options

    app.jinja_env.filters["won"] = format_won
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.globals.update(
        current_locale=current_locale,
        localised=localised,
        region_label=lambda code: (r.label(current_locale()) if (r := taxonomy.get_region(code)) else code),
        industry_label=lambda code: (i.label(current_locale()) if (i := taxonomy.get_industry(code)
                                                                   or taxonomy.get_industry_section(code)) else code),
        problem_type_label=lambda code: (t.label(current_locale()) if (t := taxonomy.get_problem_type(code)) else code),
        data_kind_label=lambda code: labels.data_kind_label(code, current_locale()),
        system_label=lambda code: labels.system_label(code, current_locale()),
    )
    app.jinja_env.filters["num"] = format_number
