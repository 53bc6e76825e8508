"""Point 3: a vendor's verified outcomes — last attempt per milestone, on the public profile and in the API."""

from __future__ import annotations

from marketplace.outcomes import services
from tests.marketplace.outcomes.conftest import BAD, GOOD


def test_the_last_attempt_counts_and_the_profile_shows_it(acc, client, db_session):
    agreement, milestone, owner, vendor_user, sme, vendor = acc.signed()
    assert services.verified_kpi_outcomes(db_session, agreement.vendor_id).evaluated == 0
    assert "verified-outcomes" not in client.get(f"/vendors/{agreement.vendor_id}").get_data(as_text=True)
    acc.submit(milestone, vendor, BAD)
    outcome = services.verified_kpi_outcomes(db_session, agreement.vendor_id)
    assert (outcome.achieved, outcome.evaluated) == (0, 1)
    acc.submit(milestone, vendor, GOOD)
    outcome = services.verified_kpi_outcomes(db_session, agreement.vendor_id)
    assert (outcome.achieved, outcome.evaluated) == (1, 1)
    page = client.get(f"/vendors/{agreement.vendor_id}").get_data(as_text=True)
    assert "KPI 달성 1/1 (플랫폼 측정)" in page
    api = client.get(f"/api/v1/organisations/{agreement.vendor_id}/verified-outcomes").json
    assert api == {"achieved": 1, "evaluated": 1, "followed_up_12m": 0, "in_use_12m": 0}



def test_a_final_measured_result_becomes_verified_evidence(acc, client, db_session):
    """A failed attempt that may still be retried is not evidence; the passing one is, once per milestone, and
    the vendor's evidence (used by bid evaluation and ranking) shows it as platform-verified."""
    from sqlmodel import select

    from marketplace.offerings.models import VendorEvidence

    agreement, milestone, owner, vendor_user, sme, vendor = acc.signed()

    def measured():
        return db_session.exec(select(VendorEvidence).where(VendorEvidence.source == "kpi_evaluation")).all()

    before = client.get(f"/api/v1/organisations/{agreement.vendor_id}/evidence", headers=sme).json
    acc.submit(milestone, vendor, BAD)
    assert measured() == []
    acc.submit(milestone, vendor, GOOD)
    rows = measured()
    assert [(r.organisation_id, r.provenance, r.attainment) for r in rows] == [(agreement.vendor_id, "verified", 1)]
    after = client.get(f"/api/v1/organisations/{agreement.vendor_id}/evidence", headers=sme).json
    assert after["verified"] == before["verified"] + 1 and after["credibility"] > before["credibility"]
