"""Provenance of vendor figures: claims, customer confirmations through a one-time link, platform evidence."""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction

import pytest
from sqlmodel import select

from domain.evidence import Provenance
from marketplace.accounts.models import Organisation, User
from marketplace.core.errors import Conflict, NotFound, ValidationFailed
from marketplace.core.types import travel
from marketplace.notifications.models import OutboxEmail
from marketplace.offerings import services
from marketplace.offerings.models import ReferenceConfirmation
from marketplace.offerings.schemas import OfferingUpdate
from tests.helpers import api_token, bearer, post_form

REFERENCE = {"title": "자동차 부품 치수 검사", "client_description": "경남 부품사", "kpi": "불량 검출률", "achieved": "92% → 99%"}


def vendor_user(db_session, offering, factory=None) -> User:
    user = db_session.exec(select(User).where(User.organisation_id == offering.organisation_id)).first()
    return user or factory.user(db_session.get(Organisation, offering.organisation_id))


def link_token(db_session) -> str:
    mail = db_session.exec(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    return re.search(r"/references/confirm/([\w-]+)", mail.body).group(1)


def test_a_reference_customer_confirms_once_through_the_emailed_link(client, factory, db_session):
    offering = factory.offering(references=[REFERENCE], completed_projects=12)
    user = vendor_user(db_session, offering, factory)
    token = bearer(api_token(client, user))
    before = client.get(f"/api/v1/organisations/{offering.organisation_id}/evidence", headers=token).json
    assert (before["claimed"], before["confirmed"], before["verified"]) == (12, 0, 0)
    assert {"name": "reference:1", "value": REFERENCE["title"], "provenance": "claimed",
            "offering_id": offering.id} in before["figures"]
    sent = client.post(f"/api/v1/offerings/{offering.id}/references/1/confirmation-request",
                       json={"email": "qa@daesung.example"}, headers=token)
    assert sent.status_code == 202
    mail = db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == "qa@daesung.example")).one()
    secret = link_token(db_session)
    assert mail and all(secret not in repr(vars(r)) for r in db_session.exec(select(ReferenceConfirmation)))
    page = client.get(f"/references/confirm/{secret}")
    assert page.status_code == 200 and REFERENCE["title"] in page.get_data(as_text=True)
    bad = post_form(client, f"/references/confirm/{secret}", {"delivered": "", "attainment_percent": "120"})
    assert bad.status_code == 422
    done = post_form(client, f"/references/confirm/{secret}", {"delivered": "비전 검사 시스템", "attainment_percent": "95"},
                     page=f"/references/confirm/{secret}")
    assert done.status_code == 200 and 'data-testid="confirmed"' in done.get_data(as_text=True)
    reused = client.get(f"/references/confirm/{secret}")
    assert reused.status_code == 409
    after = client.get(f"/api/v1/organisations/{offering.organisation_id}/evidence", headers=token).json
    assert after["confirmed"] == 1 and after["backed_attainment"] == pytest.approx(0.95)
    assert after["credibility"] > before["credibility"]
    ref = next(f for f in after["figures"] if f["name"] == "reference:1")
    assert ref["provenance"] == "confirmed"


def test_forged_and_expired_links_are_refused(client, factory, db_session):
    offering = factory.offering(references=[REFERENCE])
    assert client.get("/references/confirm/forged-token").status_code == 404
    services.request_reference_confirmation(db_session, user=vendor_user(db_session, offering, factory), offering=offering,
                                            ref_id=1, email="qa@daesung.example")
    secret = link_token(db_session)
    with travel(timedelta(days=services.CONFIRMATION_DAYS, hours=1)):
        with pytest.raises(Conflict, match="만료"):
            services.confirm_reference(db_session, token=secret, delivered="x", attainment_percent=90)
        with pytest.raises(NotFound):
            services.confirm_reference(db_session, token=secret + "x", delivered="x", attainment_percent=90)
    with pytest.raises(NotFound):
        services.request_reference_confirmation(db_session, user=vendor_user(db_session, offering, factory), offering=offering,
                                                ref_id=2, email="qa@daesung.example")


def test_verified_evidence_counts_more_and_reviewed_profiles_are_the_platforms(factory, db_session):
    offering = factory.offering(completed_projects=3)
    services.record_evidence(db_session, organisation_id=offering.organisation_id, offering_id=offering.id,
                             provenance=Provenance.VERIFIED, attainment=Fraction(94, 100), source=services.REVIEW,
                             source_key="agreement:1", label="검증된 납품")
    again = services.record_evidence(db_session, organisation_id=offering.organisation_id, offering_id=offering.id,
                                     provenance=Provenance.VERIFIED, attainment=Fraction(1, 2),
                                     source=services.REVIEW, source_key="agreement:1")
    record = services.vendor_record(db_session, offering.organisation_id)
    assert (record.summary.claimed, record.summary.verified) == (2, 1)  # the reviewed project is no longer a claim
    assert float(again.attainment) == 0.94  # recording it again changes nothing
    user = vendor_user(db_session, offering, factory)
    with pytest.raises(ValidationFailed) as refused:
        services.update_offering(db_session, user=user, offering=offering,
                                 changes=OfferingUpdate(profile={**offering.profile, "quality": 1.0}))
    assert "profile" in refused.value.fields
    services.update_offering(db_session, user=user, offering=offering, changes=OfferingUpdate(capacity=5))
    with pytest.raises(ValueError):
        services.record_evidence(db_session, organisation_id=offering.organisation_id, provenance=Provenance.CLAIMED,
                                 attainment=Fraction(1), source="x", source_key="y")


def test_the_evidence_adjusted_profile_for_ranking_trusts_backed_vendors_more(factory, db_session):
    claimed = factory.offering(completed_projects=30, profile={**dict.fromkeys(
        ["quality", "throughput", "cost", "delivery_speed", "explainability", "data_privacy", "maintenance"], 1.0)})
    backed = factory.offering(completed_projects=0, profile=dict(claimed.profile))
    for n in range(3):
        services.record_evidence(db_session, organisation_id=backed.organisation_id, offering_id=backed.id,
                                 provenance=Provenance.VERIFIED, attainment=Fraction(9, 10), source=services.REVIEW,
                                 source_key=f"agreement:{100 + n}")
    profiles = services.adjusted_profiles(db_session, [claimed, backed])
    assert 0.5 < profiles[claimed.id]["quality"] < profiles[backed.id]["quality"] < 1.0


def test_the_offering_page_marks_each_figure_self_reported_until_a_client_confirms_it(client, factory, db_session):
    second = {**REFERENCE, "title": "사출 성형품 외관 검사"}
    offering = factory.offering(references=[REFERENCE, second], completed_projects=12)

    def badges() -> dict[str, str]:
        html = client.get(f"/offerings/{offering.id}").get_data(as_text=True)
        rows = re.findall(r"<tr><td>([^<]+?) <span class=\"badge[^\"]*\" data-provenance=\"(\w+)\"", html)
        return {title: provenance for title, provenance in rows} | {
            "strengths": re.search(r"<h2 class=\"h6\">[^<]*<span class=\"badge[^\"]*\" data-provenance=\"(\w+)\"",
                                   html).group(1)}

    assert badges() == {REFERENCE["title"]: "claimed", second["title"]: "claimed", "strengths": "claimed"}
    services.request_reference_confirmation(db_session, user=vendor_user(db_session, offering, factory),
                                            offering=offering, ref_id=2, email="qa@daesung.example")
    services.confirm_reference(db_session, token=link_token(db_session), delivered="비전 검사", attainment_percent=90)
    db_session.commit()
    assert badges() == {REFERENCE["title"]: "claimed", second["title"]: "confirmed", "strengths": "claimed"}
    client.post("/language", data={"lang": "en", "next": f"/offerings/{offering.id}"})
    english = client.get(f"/offerings/{offering.id}").get_data(as_text=True)
    assert "Client-confirmed" in english and "Self-reported" in english
