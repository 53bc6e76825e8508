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
