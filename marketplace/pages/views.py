"""The home page and the language switch."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from marketplace.accounts import services
from marketplace.core.redirects import safe_next
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
    return redirect(safe_next(request.form.get("next"), url_for("pages.home")))


@bp.get("/healthz")
def health():
    db.session.exec(text("SELECT 1"))
    return {"status": "ok"}
