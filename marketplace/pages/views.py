"""The home page and the language switch."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_from_directory, session, url_for
from flask_login import current_user
from sqlalchemy import text

from marketplace.accounts import services
from marketplace.extensions import db
from marketplace.i18n import SUPPORTED

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    counts = services.count_organisations_by_kind(db.session)
    return render_template("pages/home.html", counts=counts)


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang not in SUPPORTED:
        abort(400)
    session["locale"] = lang
    if current_user.is_authenticated:
        services.set_locale(db.session, user=current_user, locale=lang)
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("pages.home")
    return redirect(target)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the same icon (SVG), cached for a day."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/healthz")
def health():
    db.session.exec(text("SELECT 1"))
    return {"status": "ok"}
