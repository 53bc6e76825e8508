"""Issue 13.4: other organisations see a public profile only, so an anonymous brief cannot be traced to its poster."""

from __future__ import annotations

from tests.helpers import api_token, bearer


def test_an_anonymous_briefs_facts_match_no_organisation_an_outsider_can_read(client, factory, db_session):
    poster = factory.user(factory.sme(industry="C13", region="daegu"))
    brief = factory.problem(poster, state="enquiries", visibility="anonymous", industry="C13")
    others = [factory.sme(industry="C10"), factory.sme(industry="C23")]
    snoop = factory.user(factory.vendor())
    headers = bearer(api_token(client, snoop))
    shown = client.get(f"/api/v1/problems/{brief.id}", headers=headers).json
    assert shown["organisation"] is None and shown["industry"] == "C"  # the KSIC section only
    matches = []
    for org_id in [poster.organisation_id, *(o.id for o in others)]:
        profile = client.get(f"/api/v1/organisations/{org_id}", headers=headers).json
        for secret in ("brn", "employees", "annual_revenue_krw", "industry", "region"):
            assert profile[secret] is None, (secret, profile)
        if profile["industry"] == shown["industry"]:
            matches.append(org_id)
    assert matches == []


def test_members_and_admins_still_see_the_whole_profile_and_vendors_stay_public(client, factory):
    owner = factory.user(factory.sme())
    mine = client.get(f"/api/v1/organisations/{owner.organisation_id}", headers=bearer(api_token(client, owner))).json
    assert mine["brn"] and mine["employees"] == 45 and mine["industry"]
    admin = client.get(f"/api/v1/organisations/{owner.organisation_id}",
                       headers=bearer(api_token(client, factory.admin()))).json
    assert admin["brn"] == mine["brn"]
    vendor = factory.vendor()
    seen = client.get(f"/api/v1/organisations/{vendor.id}", headers=bearer(api_token(client, owner))).json
    assert seen["industry"] == "J62" and seen["brn"] is None and seen["annual_revenue_krw"] is None
