"""Offering rules: publish, change, pause and find a vendor's solution offerings.

Services take the session and explicit arguments, flush (never commit) and raise domain errors
with translated messages. Validation collects every bad field at once, so a form or an API
client can fix them in one go.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, select

from domain.criteria import CRITERIA
from domain.money import MAX_WON
from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.core.errors import NotAllowed, NotFound, ValidationFailed
from marketplace.offerings.models import Offering, OfferingStatus
from matching import taxonomy

logger = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_PRICE_KRW = MAX_WON
MAX_WEEKS = 260
MAX_CAPACITY = 100
MAX_COMPLETED_PROJECTS = 10_000
MAX_REFERENCES = 10
MAX_SEARCH = 100
#: reference project field -> maximum length
REFERENCE_FIELDS = {"title": 200, "client_description": 300, "kpi": 200, "achieved": 200}
#: input names that are stored under another column name
COLUMNS = {"references": "reference_projects"}


@dataclass
class OfferingInput:
    """Everything a vendor says about one offering (names as in the API)."""

    title: str
    description: str
    capabilities: list[str]
    deployment_modes: list[str]
    price_min_krw: int
    price_max_krw: int
    typical_weeks: int
    profile: dict[str, float]
    industries: list[str] = field(default_factory=list)
    regions_served: list[str] = field(default_factory=list)
    capacity: int = 1
    references: list[dict[str, str]] = field(default_factory=list)
    completed_projects: int = 0


INPUT_FIELDS = tuple(f.name for f in fields(OfferingInput))


@dataclass(frozen=True)
class OfferingFilters:
    """Catalogue search. Empty values do not filter."""

    vendor_id: int | None = None
    capability: str | None = None
    industry: str | None = None
    region: str | None = None
    deployment_mode: str | None = None
    q: str | None = None


@dataclass(frozen=True)
class TrackRecord:
    completed_projects: int
    mean_review: Decimal | None
    references: list[dict[str, str]]


# --- validation --------------------------------------------------------------------------------

def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any, *, label: str, max_length: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(_("Enter text."))
    value = value.strip()
    if required and not value:
        raise ValidationFailed(_("%(label)s is required.", label=label))
    if len(value) > max_length:
        raise ValidationFailed(_("%(label)s can be at most %(max)d characters.", label=label, max=max_length))
    return value


def _codes(value: Any, lookup, *, unknown, required: str | None = None) -> list[str]:
    if value is None:
        value = []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(_("Enter a list of codes."))
    codes: list[str] = []
    for raw in value:
        code = raw.strip()
        item = lookup(code)
        if item is None:
            raise ValidationFailed(unknown(raw))
        if item.code not in codes:
            codes.append(item.code)
    if required and not codes:
        raise ValidationFailed(required)
    return codes


def _whole(value: Any, *, minimum: int, maximum: int) -> int:
    if not _is_int(value):
        raise ValidationFailed(_("Enter a whole number."))
    if value < minimum or value > maximum:
        raise ValidationFailed(_("Enter a whole number from %(min)s to %(max)s.",
                                 min=f"{minimum:,}", max=f"{maximum:,}"))
    return value


def _profile(value: Any, errors: dict[str, str]) -> dict[str, float]:
    if not isinstance(value, Mapping):
        errors["profile"] = _("Rate every criterion from 0 to 1.")
        return {}
    clean: dict[str, float] = {}
    for key in value:
        if key not in CRITERIA:
            errors[f"profile.{key}"] = _("This criterion is not known.")
    for key in CRITERIA:
        score = value.get(key)
        if score is None:
            errors[f"profile.{key}"] = _("Rate this criterion from 0 to 1.")
        elif isinstance(score, bool) or not isinstance(score, int | float | Decimal) or not math.isfinite(score):
            errors[f"profile.{key}"] = _("Enter a number from 0 to 1.")
        elif not 0 <= score <= 1:
            errors[f"profile.{key}"] = _("Enter a number from 0 to 1.")
        else:
            clean[key] = round(float(score), 4)
    return clean


def _references(value: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        errors["references"] = _("Enter a list of reference projects.")
        return []
    if len(value) > MAX_REFERENCES:
        errors["references"] = _("Add at most %(n)d reference projects.", n=MAX_REFERENCES)
        return []
    labels = {"title": _("Project"), "client_description": _("Client"), "kpi": _("KPI"),
              "achieved": _("Result achieved")}
    clean: list[dict[str, str]] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            errors[f"references.{i}"] = _("Enter a reference project.")
            continue
        for key in item:
            if key not in REFERENCE_FIELDS:
                errors[f"references.{i}.{key}"] = _("This field is not known.")
        row: dict[str, str] = {}
        for key, limit in REFERENCE_FIELDS.items():
            try:
                row[key] = _text(item.get(key), label=labels[key], max_length=limit, required=key == "title")
            except ValidationFailed as exc:
                errors[f"references.{i}.{key}"] = exc.message
        clean.append(row)
    return clean


def validate_offering(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check every field of a whole offering; collect all problems so they can be shown at once.

    Returns the cleaned values keyed by column name.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}

    for key in data:
        if key not in INPUT_FIELDS:
            errors[key] = _("This field is not known.")

    def attempt(name, fn):
        try:
            clean[COLUMNS.get(name, name)] = fn()
        except ValidationFailed as exc:
            errors[name] = exc.message

    attempt("title", lambda: _text(data.get("title"), label=_("Title"), max_length=MAX_TITLE))
    attempt("description", lambda: _text(data.get("description"), label=_("Description"),
                                         max_length=MAX_DESCRIPTION))
    attempt("capabilities", lambda: _codes(
        data.get("capabilities"), taxonomy.get_problem_type,
        unknown=lambda c: _("%(code)s is not a known capability.", code=c),
        required=_("Choose at least one capability.")))
    attempt("industries", lambda: _codes(data.get("industries"), taxonomy.get_industry,
                                         unknown=lambda c: _("%(code)s is not a known industry (KSIC division).",
                                                             code=c)))
    attempt("regions_served", lambda: _codes(data.get("regions_served"), taxonomy.get_region,
                                             unknown=lambda c: _("%(code)s is not a known region.", code=c)))
    attempt("deployment_modes", lambda: _codes(
        data.get("deployment_modes"), taxonomy.get_deployment_mode,
        unknown=lambda c: _("%(code)s is not a known deployment mode.", code=c),
        required=_("Choose at least one deployment mode.")))
    attempt("price_min_krw", lambda: _whole(data.get("price_min_krw"), minimum=0, maximum=MAX_PRICE_KRW))
    attempt("price_max_krw", lambda: _whole(data.get("price_max_krw"), minimum=0, maximum=MAX_PRICE_KRW))
    if "price_min_krw" in clean and "price_max_krw" in clean and clean["price_min_krw"] > clean["price_max_krw"]:
        errors["price_max_krw"] = _("The highest price must not be below the lowest price.")
    attempt("typical_weeks", lambda: _whole(data.get("typical_weeks"), minimum=1, maximum=MAX_WEEKS))
    attempt("capacity", lambda: _whole(data.get("capacity", 1), minimum=0, maximum=MAX_CAPACITY))
    attempt("completed_projects", lambda: _whole(data.get("completed_projects", 0), minimum=0,
                                                 maximum=MAX_COMPLETED_PROJECTS))
    clean["profile"] = _profile(data.get("profile"), errors)
    clean["reference_projects"] = _references(data.get("references"), errors)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    return clean


def offering_values(offering: Offering) -> dict[str, Any]:
    """The offering as input values (names as in :class:`OfferingInput`)."""
    return {name: getattr(offering, COLUMNS.get(name, name)) for name in INPUT_FIELDS}


# --- permissions -------------------------------------------------------------------------------

def vendor_of_user(session: Session, user: User) -> Organisation:
    org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    if org is None or org.kind != OrgKind.VENDOR:
        raise NotAllowed(_("Only AI vendors can publish offerings."))
    return org


def can_change(user: User | None, offering: Offering) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and user.organisation_id is not None and user.organisation_id == offering.organisation_id)


def require_owner(user: User, offering: Offering) -> None:
    if not can_change(user, offering):
        raise NotAllowed(_("Only the vendor that published this offering can change it."))


# --- writing -----------------------------------------------------------------------------------

def create_offering(session: Session, *, data: OfferingInput | Mapping[str, Any], vendor_user: User | None = None,
                    vendor: Organisation | None = None) -> Offering:
    """Publish an offering for ``vendor_user``'s organisation, or for ``vendor`` (seed, CLI)."""
    if vendor_user is not None:
        org = vendor_of_user(session, vendor_user)
        if vendor is not None and vendor.id != org.id:
            raise NotAllowed(_("You can only publish offerings for your own organisation."))
    elif vendor is not None:
        if vendor.kind != OrgKind.VENDOR:
            raise NotAllowed(_("Only AI vendors can publish offerings."))
        org = vendor
    else:
        raise NotAllowed(_("Only AI vendors can publish offerings."))
    values = data if isinstance(data, Mapping) else {name: getattr(data, name) for name in INPUT_FIELDS}
    clean = validate_offering(values)
    offering = Offering(organisation_id=org.id, status=OfferingStatus.ACTIVE, **clean)
    session.add(offering)
    session.flush()
    logger.info("offering created id=%s org=%s by user=%s", offering.id, org.id,
                vendor_user.id if vendor_user else None)
    return offering


def update_offering(session: Session, *, user: User, offering: Offering, changes: Mapping[str, Any]) -> Offering:
    """Change some fields (PATCH semantics); the whole result must still be valid."""
    require_owner(user, offering)
    changes = dict(changes)
    status = changes.pop("status", None)
    merged = {**offering_values(offering), **changes}
    clean = validate_offering(merged)
    for column, value in clean.items():
        if getattr(offering, column) != value:
            setattr(offering, column, value)
    if status is not None:
        set_offering_status(session, user=user, offering=offering, status=status)
    session.add(offering)
    session.flush()
    logger.info("offering updated id=%s by user=%s fields=%s", offering.id, user.id, sorted(changes))
    return offering


def set_offering_status(session: Session, *, user: User, offering: Offering, status: str) -> Offering:
    require_owner(user, offering)
    try:
        status = OfferingStatus(status)
    except ValueError:
        raise ValidationFailed(_("Choose active or paused."), field="status") from None
    if offering.status != status:
        offering.status = status
        session.add(offering)
        session.flush()
        logger.info("offering status id=%s status=%s by user=%s", offering.id, status.value, user.id)
    return offering


# --- reading -----------------------------------------------------------------------------------

def _viewer_org_id(viewer: User | None) -> int | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return viewer.organisation_id


def is_visible(offering: Offering, viewer: User | None) -> bool:
    if offering.status == OfferingStatus.ACTIVE:
        return True
    if viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_admin:
        return True
    return _viewer_org_id(viewer) is not None and _viewer_org_id(viewer) == offering.organisation_id


def get_offering(session: Session, offering_id: int, *, viewer: User | None = None) -> Offering:
    """The offering; paused ones only for their own vendor (others get :class:`NotFound`)."""
    offering = session.get(Offering, offering_id)
    if offering is None or not is_visible(offering, viewer):
        raise NotFound(_("No such offering."))
    return offering


def get_vendor(session: Session, organisation_id: int) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None or org.kind != OrgKind.VENDOR:
        raise NotFound(_("No such vendor."))
    return org


def validate_filters(filters: OfferingFilters) -> OfferingFilters:
    errors: dict[str, str] = {}
    checks = (("capability", taxonomy.get_problem_type, _("This capability is not known.")),
              ("industry", taxonomy.get_industry, _("This industry is not known.")),
              ("region", taxonomy.get_region, _("This region is not known.")),
              ("deployment_mode", taxonomy.get_deployment_mode, _("This deployment mode is not known.")))
    for name, lookup, message in checks:
        value = getattr(filters, name)
        if value and lookup(value) is None:
            errors[name] = message
    if filters.q and len(filters.q) > MAX_SEARCH:
        errors["q"] = _("Search for at most %(n)d characters.", n=MAX_SEARCH)
    if errors:
        raise ValidationFailed(_("Some search filters are not valid."), fields=errors)
    return filters


def _json_text(column):
    """The JSON list as text: codes are plain identifiers, so '"code"' matches one element exactly."""
    return sa.cast(column, sa.String)


def offering_search(filters: OfferingFilters | None = None, *, viewer: User | None = None):
    """A statement selecting ``(Offering, Organisation)`` rows, newest first.

    Active offerings, plus the viewer's own paused ones. Works the same on SQLite and PostgreSQL.
    """
    filters = validate_filters(filters or OfferingFilters())
    statement = select(Offering, Organisation).join(Organisation, Organisation.id == Offering.organisation_id)
    own = _viewer_org_id(viewer)
    if own is not None:
        statement = statement.where(sa.or_(Offering.status == OfferingStatus.ACTIVE, Offering.organisation_id == own))
    else:
        statement = statement.where(Offering.status == OfferingStatus.ACTIVE)
    if filters.vendor_id is not None:
        statement = statement.where(Offering.organisation_id == filters.vendor_id)
    if filters.capability:
        statement = statement.where(_json_text(Offering.capabilities).contains(f'"{filters.capability}"'))
    if filters.industry:
        code = taxonomy.get_industry(filters.industry).code
        statement = statement.where(_json_text(Offering.industries).contains(f'"{code}"'))
    if filters.region:
        # An empty list means the vendor serves the whole country.
        statement = statement.where(sa.or_(_json_text(Offering.regions_served) == "[]",
                                           _json_text(Offering.regions_served).contains(f'"{filters.region}"')))
    if filters.deployment_mode:
        statement = statement.where(_json_text(Offering.deployment_modes).contains(f'"{filters.deployment_mode}"'))
    q = (filters.q or "").strip()
    if q:
        statement = statement.where(sa.or_(Offering.title.icontains(q, autoescape=True),
                                           Offering.description.icontains(q, autoescape=True)))
    return statement.order_by(Offering.created_at.desc(), Offering.id.desc())


def list_offerings(session: Session, filters: OfferingFilters | None = None, *, viewer: User | None = None,
                   limit: int | None = None) -> list[tuple[Offering, Organisation]]:
    statement = offering_search(filters, viewer=viewer)
    if limit is not None:
        statement = statement.limit(limit)
    return [(row[0], row[1]) for row in session.exec(statement).all()]


def list_vendor_offerings(session: Session, organisation: Organisation, *, viewer: User | None = None
                          ) -> list[Offering]:
    """The organisation's offerings: all of them for its own people, the active ones for others."""
    statement = select(Offering).where(Offering.organisation_id == organisation.id)
    if _viewer_org_id(viewer) != organisation.id:
        statement = statement.where(Offering.status == OfferingStatus.ACTIVE)
    return list(session.exec(statement.order_by(Offering.created_at.desc(), Offering.id.desc())))


def track_record(offerings: list[Offering]) -> TrackRecord:
    """Completed projects, the project-weighted mean review and every reference of these offerings."""
    completed = sum(o.completed_projects for o in offerings)
    rated = [(o.mean_review, max(o.completed_projects, 1)) for o in offerings if o.mean_review is not None]
    mean = None
    if rated:
        weight = sum(w for _m, w in rated)
        mean = (sum(Decimal(m) * w for m, w in rated) / weight).quantize(Decimal("0.1"))
    references = [ref for o in offerings for ref in o.reference_projects]
    return TrackRecord(completed_projects=completed, mean_review=mean, references=references)
