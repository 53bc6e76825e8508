"""The home page (a poster's problems with the next action), my work (내 입찰, 내 계약) and the language switch."""

from __future__ import annotations

import time

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_from_directory, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, text
from sqlmodel import select

from marketplace.accounts import services
from marketplace.accounts.models import Organisation, OrgKind
from marketplace.core.origin import from_this_site
from marketplace.core.redirects import safe_next
from marketplace.extensions import csrf, db
from marketplace.i18n import SUPPORTED
from marketplace.pages import services as work

bp = Blueprint("pages", __name__)
PER_PAGE = 20
POSTERS = (OrgKind.SME, OrgKind.COOPERATIVE)


def _org() -> Organisation | None:
    if not current_user.is_authenticated or not current_user.organisation_id:
        return None
    return db.session.get(Organisation, current_user.organisation_id)


def _page_of(statement):
    """One page of ``statement`` (``?page=``, 20 rows) and the number of pages."""
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    total = db.session.exec(select(func.count()).select_from(statement.order_by(None).subquery())).one()
    rows = db.session.exec(statement.offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return rows, page, max((total + PER_PAGE - 1) // PER_PAGE, 1), total


@bp.get("/")
def home():
    org = _org()
    if org is not None and org.kind in POSTERS:
        rows, page, pages, total = _page_of(work.my_problems_query(org.id))
        items = [work.problem_item(db.session, p, org.id) for p in rows]
        return render_template("pages/sme_home.html", organisation=org, items=items, page=page, pages=pages,
                               total=total, steps=work.next_step_labels())
    return render_template("pages/home.html", counts=_organisation_counts())


#: How stale the home page's counts of registered organisations may be (seconds).
COUNTS_MAX_AGE = 60


def _organisation_counts() -> dict[str, int]:
    """The visitor's home page counts organisations by kind: a figure that may be a minute old, so each
    worker reads it at most once a minute and the page otherwise needs no database at all."""
    read_at, counts = current_app.extensions.get("axbridge_home_counts", (None, None))
    now = time.monotonic()
    if counts is None or now - read_at >= COUNTS_MAX_AGE:
        counts = services.count_organisations_by_kind(db.session)
        current_app.extensions["axbridge_home_counts"] = (now, counts)
    return counts


@bp.get("/my/bids")
@login_required
def my_bids():
    org = _org()
    if org is None or org.kind != OrgKind.VENDOR:
        abort(403)
    rows, page, pages, total = _page_of(work.my_bids_query(org.id))
    items = [work.bid_item(db.session, bid, problem) for bid, problem in rows]
    return render_template("pages/my_bids.html", items=items, page=page, pages=pages, total=total,
                           steps=work.next_step_labels())


@bp.get("/my/agreements")
@login_required
def my_agreements():
    org = _org()
    if org is None:
        abort(403)
    rows, page, pages, total = _page_of(work.my_agreements_query(org.id))
    items = [work.agreement_item(db.session, a, p, org.id) for a, p in rows]
    return render_template("pages/my_agreements.html", items=items, page=page, pages=pages, total=total,
                           steps=work.next_step_labels(), roles=work.role_labels())


@bp.post("/language")
@csrf.exempt
def set_language():
    """The reader's language. A visitor who is not signed in changes only their own cookie session, so
    their pages carry no CSRF token for it (generating one for every first visit cost a signed token and
    a session cookie per page): the browser's own headers must place the post on this site instead. A
    signed-in user's choice is saved to the account, and needs the token."""
    if current_user.is_authenticated:
        csrf.protect()
    elif not from_this_site(request):
        abort(400)
    lang = request.form.get("lang", "")
    if lang not in SUPPORTED:
        abort(400)
    session["locale"] = lang
    if current_user.is_authenticated:
        services.set_locale(db.session, user=current_user, locale=lang)
    return redirect(safe_next(request.form.get("next"), url_for("pages.home")))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the same icon (SVG), cached for a day."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/healthz")
def health():
    db.session.exec(text("SELECT 1"))
    return {"status": "ok"}
