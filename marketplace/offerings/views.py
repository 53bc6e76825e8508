"""Pages for the offerings catalogue and public vendor profiles."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.accounts.models import Organisation
from marketplace.core.errors import RECOVERABLE, NotFound, ValidationFailed
from marketplace.core.forms import attach_errors, parse_form
from marketplace.core.schemas import parse
from marketplace.extensions import db
from marketplace.i18n import current_locale
from marketplace.offerings import services
from marketplace.offerings.cards import cached_card
from marketplace.offerings.forms import OfferingForm, SearchForm, capability_choices, region_choices
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.offerings.schemas import MAX_SEARCH, OfferingCreate, OfferingFilters, OfferingUpdate
from marketplace.outcomes import services as outcomes
from matching import taxonomy

logger = logging.getLogger(__name__)
bp = Blueprint("offerings", __name__)


@bp.app_context_processor
def _org_kind_helper():
    def current_org_kind() -> str | None:
        """The kind of the signed-in user's organisation (``"vendor"``, ``"sme"``, …), looked up once."""
        if not current_user.is_authenticated or not current_user.organisation_id:
            return None
        if "current_org_kind" not in g:
            org = db.session.get(Organisation, current_user.organisation_id)
            g.current_org_kind = str(org.kind.value) if org else None
        return g.current_org_kind

    def label(lookup):
        return lambda code: (item.label(current_locale()) if (item := lookup(code)) else code)

    return {"current_org_kind": current_org_kind, "cached_card": cached_card,
            "capability_label": label(taxonomy.get_problem_type),
            "deployment_label": label(taxonomy.get_deployment_mode),
            "criterion_label": lambda key: taxonomy.criterion_label(key, current_locale())}


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _save(form: OfferingForm, save) -> tuple[Offering | None, int]:
    """Hand the form's values to the contract and ``save(offering_create)``; on failure the form
    carries the errors, each on its field."""
    try:
        return save(parse_form(OfferingCreate, form.offering_data())), 200
    except ValidationFailed as exc:
        attach_errors(form, exc, rename=form.field_name)
    return None, 422


@bp.route("/offerings")
def catalogue():
    form = SearchForm(request.args)
    given = {"q": (form.q.data or "").strip()[:MAX_SEARCH] or None,
             "capability": request.args.get("capability") or None, "region": request.args.get("region") or None}
    try:
        rows = services.list_offering_cards(db.session, parse(OfferingFilters, given), viewer=_viewer(), limit=100)
    except ValidationFailed:
        rows = []  # a code that is not in the lists finds nothing
    return render_template("offerings/catalogue.html", form=form, rows=rows, filters=given,
                           capabilities=capability_choices(), regions=region_choices())


@bp.route("/offerings/mine")
@login_required
def mine():
    org = services.vendor_of_user(db.session, current_user)
    offerings = services.list_vendor_offerings(db.session, org, viewer=current_user)
    return render_template("offerings/mine.html", org=org, offerings=offerings)


@bp.route("/offerings/new", methods=["GET", "POST"])
@login_required
def new():
    services.vendor_of_user(db.session, current_user)
    form = OfferingForm()
    status = 200
    if form.is_submitted():
        offering, status = _save(form, lambda data: services.create_offering(db.session, vendor_user=current_user,
                                                                             data=data))
        if offering is not None:
            flash(_("Your offering is published."), "success")
            return redirect(url_for("offerings.detail", offering_id=offering.id))
    return render_template("offerings/form.html", form=form, offering=None), status


@bp.route("/offerings/<int:offering_id>")
def detail(offering_id: int):
    offering = services.get_offering(db.session, offering_id, viewer=_viewer())
    vendor = db.session.get(Organisation, offering.organisation_id)
    return render_template("offerings/detail.html", offering=offering, vendor=vendor,
                           provenance=services.offering_provenance(db.session, offering),
                           can_change=services.can_change(_viewer(), offering))


@bp.route("/offerings/<int:offering_id>/edit", methods=["GET", "POST"])
@login_required
def edit(offering_id: int):
    offering = services.get_offering(db.session, offering_id, viewer=current_user)
    services.require_owner(current_user, offering)
    form = OfferingForm(data=None if request.method == "POST" else
                        OfferingForm.initial_data(services.offering_values(offering)))
    status = 200
    if form.is_submitted():
        # The page sends the whole offering: every field is set, so every field is replaced.
        saved, status = _save(form, lambda data: services.update_offering(
            db.session, user=current_user, offering=offering, changes=OfferingUpdate(**dict(data))))
        if saved is not None:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("offerings.detail", offering_id=offering.id))
    return render_template("offerings/form.html", form=form, offering=offering), status


@bp.post("/offerings/<int:offering_id>/<any(pause, activate):action>")
@login_required
def change_status(offering_id: int, action: str):
    offering = services.get_offering(db.session, offering_id, viewer=current_user)
    status = OfferingStatus.PAUSED if action == "pause" else OfferingStatus.ACTIVE
    services.set_offering_status(db.session, user=current_user, offering=offering, status=status)
    if status == OfferingStatus.PAUSED:
        flash(_("The offering is paused: only your organisation can see it now."), "info")
    else:
        flash(_("The offering is active again and visible to everyone."), "success")
    return redirect(request.form.get("next") if request.form.get("next") == url_for("offerings.mine")
                    else url_for("offerings.detail", offering_id=offering_id))


@bp.route("/vendors/<int:organisation_id>")
def vendor_profile(organisation_id: int):
    vendor = services.get_vendor(db.session, organisation_id)
    offerings = services.list_vendor_offerings(db.session, vendor, viewer=_viewer())
    active = [o for o in offerings if o.status == OfferingStatus.ACTIVE]
    return render_template("offerings/vendor.html", vendor=vendor, offerings=offerings,
                           record=services.track_record(active), evidence=services.vendor_record(db.session, vendor.id),
                           verified=outcomes.verified_kpi_outcomes(db.session, vendor.id))


@bp.route("/references/confirm/<token>", methods=["GET", "POST"])
def confirm_reference(token: str):
    """The reference customer's one-time page (no account needed): what was delivered, the KPI reached."""
    errors: dict[str, str] = {}
    try:
        pending = services.pending_confirmation(db.session, token)
    except RECOVERABLE + (NotFound,) as exc:
        return render_template("offerings/confirm_reference.html", refused=exc.message, pending=None,
                               errors={}), exc.status
    if request.method == "POST":
        raw = request.form.get("attainment_percent", "").strip()
        try:
            services.confirm_reference(db.session, token=token, delivered=request.form.get("delivered", ""),
                                       attainment_percent=int(raw) if raw.isdigit() else None)
            return render_template("offerings/confirm_reference.html", done=True, pending=pending, errors={})
        except RECOVERABLE as exc:
            db.session.rollback()
            errors = exc.fields or {"delivered": exc.message}
            pending = services.pending_confirmation(db.session, token)
    return render_template("offerings/confirm_reference.html", pending=pending, errors=errors,
                           form=request.form), 422 if errors else 200
