"""Offering rules: publish, change, pause and find a vendor's solution offerings.

Services take the session and validated contracts (:mod:`marketplace.offerings.schemas`), flush
(never commit) and raise domain errors with translated messages. What an offering may say is the
contracts' business; the services add what needs the database or the stored offering (who may
change it, whether a change leaves a valid offering).
"""

from __future__ import annotations

import functools
import logging
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.core.errors import NotAllowed, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.offerings.schemas import OfferingCreate, OfferingFilters, OfferingUpdate
from marketplace.offerings.services.evidence import (  # noqa: F401
    CONFIRMATION_DAYS,
    KPI_RESULT,
    REVIEW,
    adjusted_profiles,
    claimed_items,
    confirm_reference,
    evidence_items,
    mean_profile,
    offering_provenance,
    pending_confirmation,
    platform_profile_locked,
    record_evidence,
    request_reference_confirmation,
    vendor_record,
)
from marketplace.offerings.services.embedding import (  # noqa: F401
    embed_missing,
    embedder,
    offering_text,
    store_embedding,
    stored_vector,
)
from marketplace.offerings.track_record import TrackRecord, track_record  # noqa: F401 (the pure rule, re-exported)
from matching.words import search_terms

logger = logging.getLogger(__name__)

#: contract names that are stored under another column name
COLUMNS = {"references": "reference_projects"}
INPUT_FIELDS = tuple(OfferingCreate.model_fields)


def _columns(data: OfferingCreate) -> dict[str, Any]:
    """The contract's values by column name."""
    values = data.model_dump()
    return {COLUMNS.get(name, name): value for name, value in values.items()}


def offering_values(offering: Offering) -> dict[str, Any]:
    """The offering as input values (names as in :class:`OfferingCreate`)."""
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

def create_offering(session: Session, *, data: OfferingCreate, vendor_user: User | None = None,
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
    offering = Offering(organisation_id=org.id, status=OfferingStatus.ACTIVE, **_columns(data))
    store_embedding(offering)
    session.add(offering)
    session.flush()
    logger.info("offering created id=%s org=%s by user=%s", offering.id, org.id,
                vendor_user.id if vendor_user else None)
    return offering


def update_offering(session: Session, *, user: User, offering: Offering, changes: OfferingUpdate) -> Offering:
    """Change the fields set in ``changes`` (PATCH semantics); the whole result must still be a valid
    :class:`OfferingCreate` (e.g. a new lowest price above the stored highest is refused)."""
    require_owner(user, offering)
    given = changes.model_dump(exclude_unset=True)
    if "profile" in given and platform_profile_locked(session, offering) and \
            {c: float(v) for c, v in (given["profile"] or {}).items()} != \
            {c: float(v) for c, v in (offering.profile or {}).items()}:
        raise ValidationFailed(_("Reviews of completed work set this offering's profile; it is the platform's "
                                 "figure and cannot be edited."), field="profile")
    status = given.pop("status", None)
    merged = parse(OfferingCreate, {**offering_values(offering), **given})
    text_before = offering_text(offering)
    for column, value in _columns(merged).items():
        if getattr(offering, column) != value:
            setattr(offering, column, value)
    if offering.embedding is None or offering_text(offering) != text_before:
        store_embedding(offering)
    if status is not None:
        set_offering_status(session, user=user, offering=offering, status=status)
    session.add(offering)
    session.flush()
    logger.info("offering updated id=%s by user=%s fields=%s", offering.id, user.id, sorted(given))
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


def _json_text(column):
    """The JSON list as text: codes are plain identifiers, so '"code"' matches one element exactly."""
    return sa.cast(column, sa.String)


def offering_search(filters: OfferingFilters | None = None, *, viewer: User | None = None):
    """A statement selecting ``(Offering, Organisation)`` rows, newest first.

    Active offerings, plus the viewer's own paused ones. Works the same on SQLite and PostgreSQL.
    ``filters`` is the validated contract (its codes are known ones, in the taxonomy's spelling).
    """
    return _offering_search(filters or OfferingFilters(), _viewer_org_id(viewer))


def _offering_search(filters: OfferingFilters, own: int | None):
    statement = select(Offering, Organisation).join(Organisation, Organisation.id == Offering.organisation_id)
    if own is not None:
        statement = statement.where(sa.or_(Offering.status == OfferingStatus.ACTIVE, Offering.organisation_id == own))
    else:
        statement = statement.where(Offering.status == OfferingStatus.ACTIVE)
    if filters.vendor_id is not None:
        statement = statement.where(Offering.organisation_id == filters.vendor_id)
    if filters.capability:
        statement = statement.where(_json_text(Offering.capabilities).contains(f'"{filters.capability}"'))
    if filters.industry:
        statement = statement.where(_json_text(Offering.industries).contains(f'"{filters.industry}"'))
    if filters.region:
        # An empty list means the vendor serves the whole country.
        statement = statement.where(sa.or_(_json_text(Offering.regions_served) == "[]",
                                           _json_text(Offering.regions_served).contains(f'"{filters.region}"')))
    if filters.deployment_mode:
        statement = statement.where(_json_text(Offering.deployment_modes).contains(f'"{filters.deployment_mode}"'))
    # Bilingual: the words as written, plus both languages' names of the processes and problem types they name.
    terms = search_terms(filters.q or "")
    if terms:
        statement = statement.where(sa.or_(*(column.icontains(term, autoescape=True) for term in terms
                                             for column in (Offering.title, Offering.description))))
    # The semantic vector (1.5 kB a row) is for the ranking index only: pages and answers never load it.
    return statement.options(defer(Offering.embedding)).order_by(Offering.created_at.desc(), Offering.id.desc())


class OfferingCard(NamedTuple):
    """What a catalogue card shows of an offering (lists as tuples: a card is hashable, see offerings/cards.py)."""

    id: int
    status: OfferingStatus
    title: str
    description: str
    capabilities: tuple[str, ...]
    deployment_modes: tuple[str, ...]
    price_min_krw: int
    price_max_krw: int
    typical_weeks: int


class VendorCard(NamedTuple):
    id: int
    name_ko: str
    name_en: str


CARD_COLUMNS = (Offering.id, Offering.status, Offering.title, Offering.description, Offering.capabilities,
                Offering.deployment_modes, Offering.price_min_krw, Offering.price_max_krw, Offering.typical_weeks,
                Organisation.id, Organisation.name_ko, Organisation.name_en)


def list_offering_cards(session: Session, filters: OfferingFilters | None = None, *, viewer: User | None = None,
                        limit: int | None = None) -> list[tuple[OfferingCard, VendorCard]]:
    """:func:`list_offerings` as the catalogue shows it: only the cards' columns, as plain rows."""
    statement = _card_statement(tuple((filters or OfferingFilters()).model_dump().items()), _viewer_org_id(viewer),
                                limit)
    return [(OfferingCard(oid, status, title, description, tuple(capabilities), tuple(modes), low, high, weeks),
             VendorCard(vid, name_ko, name_en))
            for oid, status, title, description, capabilities, modes, low, high, weeks, vid, name_ko, name_en
            in session.execute(statement)]


@functools.lru_cache(maxsize=256)
def _card_statement(filters: tuple, own: int | None, limit: int | None):
    """The catalogue's statement per search, built once: statements are immutable values (the search's
    words are bound parameters in it), and building one cost more than running it on the demo world."""
    statement = _offering_search(OfferingFilters(**dict(filters)), own).with_only_columns(*CARD_COLUMNS)
    return statement.limit(limit) if limit is not None else statement


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
