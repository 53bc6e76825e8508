"""Load the demo offerings (seed/data/offerings.json) through the offering services. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import select

from marketplace.accounts.models import Organisation
from marketplace.core.errors import DomainError
from marketplace.core.schemas import parse
from marketplace.offerings import services as offerings
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.offerings.schemas import OfferingCreate


def load_offerings(session, orgs_by_key: dict[str, Organisation], report, *, records: list[dict] | None = None
                   ) -> dict[str, Offering]:
    """Create each offering unless its vendor already has one with the same title.

    ``report`` is the loader's :class:`seed.loader.SeedReport`. Raises ``SeedError`` naming the record
    when the data is inconsistent.
    """
    from seed.loader import SeedError, read

    loaded: dict[str, Offering] = {}
    for record in records if records is not None else read("offerings.json"):
        key = record["key"]
        vendor = orgs_by_key.get(record["vendor"])
        if vendor is None:
            raise SeedError(f"offering {key}: unknown vendor {record['vendor']}")
        offering = session.exec(select(Offering).where(Offering.organisation_id == vendor.id,
                                                       Offering.title == record["title"].strip())).first()
        if offering is not None:
            report.existing["offerings"] += 1
        else:
            data = {k: v for k, v in record.items() if k not in ("key", "vendor", "mean_review", "status")}
            try:
                offering = offerings.create_offering(session, vendor=vendor, data=parse(OfferingCreate, data))
            except DomainError as exc:
                raise SeedError(f"offering {key}: {exc.message} {exc.fields}") from exc
            if record.get("mean_review") is not None:
                offering.mean_review = Decimal(str(record["mean_review"]))
            if record.get("status") == "paused":
                offering.status = OfferingStatus.PAUSED
            session.add(offering)
            session.flush()
            report.created["offerings"] += 1
        loaded[key] = offering
    return loaded
