"""Admin pages. Every route requires a platform administrator."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from marketplace.accounts import services
from marketplace.accounts.models import Organisation
from marketplace.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _require_admin():
    if not current_user.is_admin:
        abort(403)


@bp.get("/organisations")
def organisations():
    orgs = db.session.exec(select(Organisation).order_by(Organisation.verified_at.is_not(None),
                                                         Organisation.created_at.desc())).all()
    return render_template("admin/organisations.html", orgs=orgs)


@bp.post("/organisations/<int:organisation_id>/verify")
def verify(organisation_id: int):
    org = services.get_organisation(db.session, organisation_id)
    services.verify_organisation(db.session, admin=current_user, organisation=org)
    flash(_("%(name)s is verified.", name=org.name_ko), "success")
    return redirect(url_for("admin.organisations"))
