"""A vendor's evidence: every past project that ranking and bid evaluation may count, with its provenance.

The rule that weighs it is pure (:mod:`domain.evidence`); this service loads and records the items:

- ``claimed``: the projects the vendor declares on its offerings (``completed_projects``) and its references
  until a customer confirms them;
- ``confirmed``: a reference customer's answer through a one-time e-mailed link
  (:func:`request_reference_confirmation`, :func:`confirm_reference`);
- ``verified``: computed by the platform from its own records: the SME's review of a completed agreement
  (the agreements area calls :func:`record_evidence`), and KPI results measured at acceptance (the seam
  for the KPI acceptance feature: call :func:`record_evidence` with ``source="kpi_result"``).

Confirmed and verified rows are the platform's (:class:`~marketplace.offerings.models.VendorEvidence`);
a vendor edits only its claims.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.criteria import CRITERIA
from domain.evidence import NEUTRAL_PROFILE, EvidenceItem, EvidenceSummary, Provenance, summarise
from marketplace.accounts.models import User
from marketplace.core.errors import Conflict, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.notifications.models import OutboxEmail
from marketplace.offerings.models import Offering, ReferenceConfirmation, VendorEvidence

logger = logging.getLogger(__name__)

#: How long a reference customer's one-time link stays valid.
CONFIRMATION_DAYS = 14
#: Sources of platform evidence.
REFERENCE, REVIEW, KPI_RESULT = "reference", "review", "kpi_result"


def mean_profile(offerings: Sequence) -> dict[str, float]:
    """The criteria profile of these offerings (their mean; middling without any)."""
    if not offerings:
        return {c: NEUTRAL_PROFILE for c in CRITERIA}
    return {c: sum(float((o.profile or {}).get(c, NEUTRAL_PROFILE)) for o in offerings) / len(offerings)
            for c in CRITERIA}


def claimed_items(offerings: Iterable, backed: dict[int, int] | None = None) -> list[EvidenceItem]:
    """One claimed item per project the vendor declares, less those the platform already counts."""
    backed = backed or {}
    return [EvidenceItem(Provenance.CLAIMED, label=o.title) for o in offerings
            for _ in range(max(0, o.completed_projects - backed.get(o.id, 0)))]


def _row_item(row: VendorEvidence) -> EvidenceItem:
    return EvidenceItem(Provenance(row.provenance), Fraction(str(row.attainment)), label=row.label)


def evidence_items(session: Session, vendor_ids: Iterable[int], *, offerings: Sequence) -> dict[int, list[EvidenceItem]]:
    """vendor id → its evidence items: claims from ``offerings`` (the vendor's offering rows) and platform rows."""
    vendor_ids = set(vendor_ids)
    rows = session.exec(select(VendorEvidence).where(VendorEvidence.organisation_id.in_(vendor_ids))
                        .order_by(VendorEvidence.id)).all() if vendor_ids else []
    backed: dict[int, int] = {}
    for row in rows:
        if row.offering_id and row.source == REVIEW:
            backed[row.offering_id] = backed.get(row.offering_id, 0) + 1
    out: dict[int, list[EvidenceItem]] = {v: [] for v in vendor_ids}
    for row in rows:
        out[row.organisation_id].append(_row_item(row))
    for o in offerings:
        if o.organisation_id in out:
            out[o.organisation_id].extend(claimed_items([o], backed))
    return out


def record_evidence(session: Session, *, organisation_id: int, provenance: Provenance, attainment: Fraction | Decimal,
                    source: str, source_key: str, label: str = "", offering_id: int | None = None) -> VendorEvidence:
    """Record one confirmed or verified project (idempotent by ``source`` and ``source_key``)."""
    if provenance == Provenance.CLAIMED:
        raise ValueError("claims are the vendor's; the platform records only confirmed or verified evidence")
    existing = session.exec(select(VendorEvidence).where(VendorEvidence.source == source,
                                                         VendorEvidence.source_key == source_key)).first()
    if existing is not None:
        return existing
    value = min(Decimal(1), max(Decimal(0), Decimal(attainment.numerator) / Decimal(attainment.denominator)
                                if isinstance(attainment, Fraction) else Decimal(attainment)))
    row = VendorEvidence(organisation_id=organisation_id, offering_id=offering_id, provenance=provenance.value,
                         attainment=value.quantize(Decimal("0.0001")), source=source, source_key=source_key,
                         label=label[:200])
    session.add(row)
    session.flush()
    logger.info("evidence recorded vendor=%s provenance=%s source=%s key=%s", organisation_id, provenance, source,
                source_key)
    return row


def platform_profile_locked(session: Session, offering: Offering) -> bool:
    """Reviews of completed work have moved this offering's profile: it is the platform's now."""
    return session.exec(select(VendorEvidence.id).where(VendorEvidence.offering_id == offering.id,
                                                        VendorEvidence.source == REVIEW)).first() is not None


# --- reference confirmation ---------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reference_confirmation(session: Session, *, user: User, offering: Offering, ref_id: int,
                                   email: str) -> ReferenceConfirmation:
    """E-mail a one-time link to the reference customer (an address the vendor gives)."""
    if user.organisation_id != offering.organisation_id:
        raise NotFound(_("No such offering."))
    references = offering.reference_projects or []
    if not 1 <= ref_id <= len(references):
        raise NotFound(_("No such reference."))
    email = (email or "").strip()
    if "@" not in email or len(email) > 254 or " " in email:
        raise ValidationFailed(_("Enter the reference customer's e-mail address."), field="email")
    token = secrets.token_urlsafe(32)
    reference = references[ref_id - 1]
    title = str(reference.get("title", ""))[:200]
    row = ReferenceConfirmation(offering_id=offering.id, ref_index=ref_id, reference_title=title, email=email,
                                token_sha256=_hash(token), expires_at=utcnow() + timedelta(days=CONFIRMATION_DAYS))
    session.add(row)
    base = current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000") if has_app_context() else ""
    link = f"{base.rstrip('/')}/references/confirm/{token}"
    session.add(OutboxEmail(
        to_email=email, subject=_("Please confirm a project reference on AX Bridge"),
        body=_("%(vendor)s names your project “%(title)s” as a reference. Please tell us what was delivered and "
               "how far the KPI target was reached: %(link)s (valid for %(days)d days, once).",
               vendor=offering.title, title=title, link=link, days=CONFIRMATION_DAYS)))
    session.flush()
    logger.info("reference confirmation requested offering=%s ref=%s", offering.id, ref_id)
    return row


def pending_confirmation(session: Session, token: str) -> ReferenceConfirmation:
    """The confirmation behind a link; forged, reused or expired links are refused with a clear message."""
    row = session.exec(select(ReferenceConfirmation).where(
        ReferenceConfirmation.token_sha256 == _hash(token or ""))).first()
    if row is None:
        raise NotFound(_("This confirmation link is not valid."))
    if row.used_at is not None:
        raise Conflict(_("This confirmation link was already used."))
    if utcnow() > row.expires_at:
        raise Conflict(_("This confirmation link has expired. Ask the vendor to send a new one."))
    return row


def confirm_reference(session: Session, *, token: str, delivered: str, attainment_percent: int | None) -> VendorEvidence:
    """The reference customer answers: what was delivered, and the share of the KPI target reached."""
    row = pending_confirmation(session, token)
    errors = {}
    delivered = (delivered or "").strip()
    if not delivered:
        errors["delivered"] = _("Say what was delivered.")
    if attainment_percent is None or not 0 <= attainment_percent <= 100:
        errors["attainment_percent"] = _("Give a whole number from 0 to 100.")
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    row.used_at = utcnow()
    row.delivered = delivered[:4000]
    row.attainment_percent = attainment_percent
    session.add(row)
    offering = session.get(Offering, row.offering_id)
    try:
        with session.begin_nested():
            evidence = record_evidence(session, organisation_id=offering.organisation_id, offering_id=offering.id,
                                       provenance=Provenance.CONFIRMED, attainment=Fraction(attainment_percent, 100),
                                       source=REFERENCE, source_key=f"confirmation:{row.id}",
                                       label=row.reference_title)
    except IntegrityError:
        raise Conflict(_("This confirmation link was already used.")) from None
    return evidence


# --- what the API and pages show --------------------------------------------------------------------

@dataclass
class Figure:
    name: str
    value: object
    provenance: str
    offering_id: int | None = None


@dataclass
class VendorRecord:
    organisation_id: int
    figures: list[Figure]
    summary: EvidenceSummary


def vendor_record(session: Session, organisation_id: int) -> VendorRecord:
    """Every figure ranking and evaluation use, each with its provenance, and the counts behind them."""
    offerings = session.exec(select(Offering).where(Offering.organisation_id == organisation_id)
                             .order_by(Offering.id)).all()
    rows = session.exec(select(VendorEvidence).where(VendorEvidence.organisation_id == organisation_id)
                        .order_by(VendorEvidence.id)).all()
    confirmed_refs = {(c.offering_id, c.ref_index) for c in session.exec(select(ReferenceConfirmation).where(
        ReferenceConfirmation.offering_id.in_([o.id for o in offerings]), ReferenceConfirmation.used_at.is_not(None)))}
    figures = []
    reviewed = {r.offering_id for r in rows if r.source == REVIEW}
    for o in offerings:
        figures.append(Figure("completed_projects", o.completed_projects, Provenance.CLAIMED.value, o.id))
        figures.append(Figure("profile", dict(o.profile or {}),
                              (Provenance.VERIFIED if o.id in reviewed else Provenance.CLAIMED).value, o.id))
        for index, ref in enumerate(o.reference_projects or [], start=1):
            figures.append(Figure(f"reference:{index}", ref.get("title", ""),
                                  (Provenance.CONFIRMED if (o.id, index) in confirmed_refs else Provenance.CLAIMED).value,
                                  o.id))
    for r in rows:
        figures.append(Figure(f"{r.source}", float(r.attainment), r.provenance, r.offering_id))
    items = evidence_items(session, [organisation_id], offerings=offerings)[organisation_id]
    return VendorRecord(organisation_id=organisation_id, figures=figures, summary=summarise(items))


@dataclass(frozen=True)
class OfferingProvenance:
    """Where an offering's figures come from, for its page: its profile, its completed-project count and each
    reference project (by number, from 1)."""

    profile: str
    completed_projects: str
    references: dict[int, str]


def offering_provenance(session: Session, offering: Offering) -> OfferingProvenance:
    figures = [f for f in vendor_record(session, offering.organisation_id).figures if f.offering_id == offering.id]
    by_name = {f.name: f.provenance for f in figures}
    return OfferingProvenance(
        profile=by_name.get("profile", Provenance.CLAIMED.value),
        completed_projects=by_name.get("completed_projects", Provenance.CLAIMED.value),
        references={int(name.split(":", 1)[1]): prov for name, prov in by_name.items()
                    if name.startswith("reference:")})


def adjusted_profiles(session: Session, offerings: Sequence[Offering]) -> dict[int, dict[str, float]]:
    """offering id → its criteria profile shrunk toward the population's by its vendor's evidence
    (:func:`domain.evidence.adjusted_profile`): what ranking can use instead of the vendor's own figures."""
    from domain.evidence import adjusted_profile

    vendors = {o.organisation_id for o in offerings}
    all_offerings = session.exec(select(Offering).where(Offering.organisation_id.in_(vendors))).all() if vendors else []
    items = evidence_items(session, vendors, offerings=all_offerings)
    return {o.id: adjusted_profile(o.profile or {}, items[o.organisation_id]) for o in offerings}
