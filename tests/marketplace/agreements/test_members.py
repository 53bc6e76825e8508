"""A cooperative's joint problem: its member SMEs are parties of the agreement, view it and each sign it.

The cooperative acts for its members in everything else (proposals, termination, milestones, the
review); a member is refused with a message that says so, and nothing changes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from sqlmodel import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation, User
from marketplace.agreements import services
from marketplace.agreements.models import (
    AgreementMember,
    AgreementStatus,
    AgreementVersion,
    MilestoneStatus,
    VersionStatus,
)
from marketplace.agreements.schemas import MilestoneRejectIn, ProposalIn, ReviewIn, TerminateIn
from marketplace.core.errors import Conflict, NotAllowed, NotFound
from marketplace.notifications import services as notifications
from marketplace.notifications.models import Notification
from tests.factories import PASSWORD
from tests.helpers import api_token, bearer, login, post_form


@dataclass
class Joint:
    coop: User          # an owner of the cooperative (the client)
    vendor: User
    members: list[User]  # an owner of each member SME, in the order of the terms
    agreement: object


@pytest.fixture
def joint(kit, factory, db_session) -> Joint:
    """A cooperative with two member SMEs posts a joint problem; the bid is awarded, the agreement drafted."""
    coop_org = factory.organisation("cooperative")
    member_orgs = [factory.sme(name_ko="대성정밀", name_en="Daesung Precision"),
                   factory.sme(name_ko="한일기공", name_en="Hanil Machinery")]
    for org in member_orgs:
        accounts.add_cooperative_member(db_session, cooperative=coop_org, member=org)
    db_session.commit()
    owners = [factory.user(member_orgs[0], name="Lee Daesung"), factory.user(member_orgs[1], name="Park Hanil")]
    coop = factory.user(coop_org, name="Nam Kihun")
    problem = factory.problem(coop, state="bidding")
    agreement, _coop, vendor = kit.agreement(problem=problem)
    return Joint(coop, vendor, owners, agreement)


def kinds_for(db_session, user) -> list[str]:
    return list(db_session.exec(select(Notification.kind).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


def test_members_are_recorded_at_drafting_told_and_may_view(joint, db_session, factory):
    a = joint.agreement
    terms = services.terms_of(services.get_version(db_session, a))
    member_org_ids = [m.organisation_id for m in joint.members]
    assert [m.party.name.ko for m in terms.members] == ["대성정밀", "한일기공"]
    assert services.member_ids(db_session, a) == tuple(member_org_ids)
    assert services.party_ids(db_session, a) == (a.client_id, *member_org_ids, a.vendor_id)
    for owner in joint.members:
        assert services.get_agreement(db_session, a.id, viewer=owner).id == a.id
        note = db_session.exec(select(Notification).where(Notification.user_id == owner.id,
                                                          Notification.kind == "agreement_ready")).one()
        assert note.link == f"/agreements/{a.id}"
    assert [ag.id for ag, _problem in services.list_member_agreements(db_session, member_org_ids[0])] == [a.id]
    assert services.list_member_agreements(db_session, a.client_id) == []
    with pytest.raises(NotFound):
        services.get_agreement(db_session, a.id, viewer=factory.user(factory.sme()))


def test_signing_waits_for_every_member_and_a_second_signature_is_refused(joint, kit, db_session, fast_pdf):
    a, first, second = joint.agreement, *joint.members
    kit.sign(a, joint.coop)
    kit.sign(a, joint.vendor)
    version = services.get_version(db_session, a)
    assert a.status == AgreementStatus.PENDING_SIGNATURES and version.status == VersionStatus.DRAFT
    assert version.pdf_ko is None and services.list_milestones(db_session, a) == []
    # the vendor's signature tells the members, who have not signed yet, and not the cooperative, which has
    assert kinds_for(db_session, first)[-1] == "agreement_signed_by_other"
    assert "agreement_signed_by_other" not in kinds_for(db_session, joint.coop)

    kit.sign(a, first)
    assert a.status == AgreementStatus.PENDING_SIGNATURES
    with pytest.raises(Conflict, match="이미|already signed"):
        kit.sign(a, first)
    db_session.rollback()

    kit.sign(a, second)
    version = services.get_version(db_session, a)
    assert a.status == AgreementStatus.SIGNED and version.status == VersionStatus.SIGNED
    terms = services.terms_of(version)
    assert terms.fully_signed
    member_brns = [m.party.business_registration_no for m in terms.members]
    assert [(s.role.value, s.business_registration_no, s.signer_name) for s in terms.signatures] == [
        ("client", terms.client.business_registration_no, "Nam Kihun"),
        ("member", member_brns[0], "Lee Daesung"), ("member", member_brns[1], "Park Hanil"),
        ("vendor", terms.vendor.business_registration_no, "박공급")]
    assert len(services.list_milestones(db_session, a)) == 3
    for user in (joint.coop, first, second, joint.vendor):
        assert kinds_for(db_session, user)[-1] == "agreement_signed"
    with pytest.raises(Conflict):
        kit.sign(a, second)


def test_a_member_non_owner_is_refused_like_any_non_owner(joint, kit, db_session, factory):
    a = joint.agreement
    clerk = factory.user(db_session.get(Organisation, joint.members[0].organisation_id), role="member")
    with pytest.raises(NotAllowed, match="소유자만 계약서에 서명|Only an owner of your organisation can sign"):
        kit.sign(a, clerk)
    db_session.rollback()
    assert services.list_signatures(db_session, services.get_version(db_session, a)) == []


def test_members_cannot_act_for_the_cooperative(joint, kit, db_session, fast_pdf):
    a, member = joint.agreement, joint.members[0]
    versions = lambda: db_session.exec(select(func.count()).select_from(AgreementVersion)  # noqa: E731
                                       .where(AgreementVersion.agreement_id == a.id)).one()
    with pytest.raises(NotAllowed, match="조합|cooperative") as proposal:
        services.propose_changes(db_session, user=member, agreement=a, proposal=ProposalIn(warranty_months=24))
    assert "propos" in proposal.value.message or "제안" in proposal.value.message
    db_session.rollback()
    assert versions() == 1 and a.current_version == 1

    for user in (joint.coop, *joint.members, joint.vendor):
        kit.sign(a, user)
    milestone = services.list_milestones(db_session, a)[0]
    services.deliver_milestone(db_session, user=joint.vendor, milestone=milestone)
    db_session.commit()
    for decide in (lambda: services.accept_milestone(db_session, user=member, milestone=milestone),
                   lambda: services.reject_milestone(db_session, user=member, milestone=milestone,
                                             rejection=MilestoneRejectIn(reason="미달"))):
        with pytest.raises(NotAllowed, match="조합|cooperative"):
            decide()
        db_session.rollback()
    assert milestone.status == MilestoneStatus.DELIVERED
    with pytest.raises(NotAllowed, match="공급기업|vendor"):
        services.deliver_milestone(db_session, user=member, milestone=milestone)
    db_session.rollback()
    with pytest.raises(NotAllowed, match="조합|cooperative"):
        services.terminate_agreement(db_session, user=member, agreement=a,
                                     termination=TerminateIn(password=PASSWORD, reason="그만"))
    db_session.rollback()
    with pytest.raises(NotAllowed, match="조합|cooperative"):
        services.submit_review(db_session, user=member, agreement=a, review=ReviewIn(scores={}))
    db_session.rollback()
    assert a.status == AgreementStatus.SIGNED and services.get_review(db_session, a) is None
    # the cooperative acts for them: it accepts, and a termination reaches every member
    services.accept_milestone(db_session, user=joint.coop, milestone=milestone)
    services.terminate_agreement(db_session, user=joint.coop, agreement=a,
                                 termination=TerminateIn(password=PASSWORD, reason="사업 중단"))
    db_session.commit()
    note = db_session.exec(select(Notification).where(Notification.user_id == member.id,
                                                      Notification.kind == "agreement_terminated")).one()
    assert note.params["by"] == "client" and note.params["parties"] == 4


def test_notifications_name_every_party_when_there_are_members(app):
    with app.test_request_context():
        from flask import session
        from flask_babel import refresh

        session["locale"] = "en"
        refresh()
        several = {"title": "예지보전", "parties": 4}
        assert "every party" in notifications.message("agreement_signed", several)
        assert "both parties" in notifications.message("agreement_signed", {"title": "예지보전"})
        assert notifications.message("agreement_signed_by_other", several).startswith("Another party signed")
        assert notifications.message("agreement_terminated", {**several, "by": "vendor", "reason": "x"}) \
            .startswith("The vendor terminated")


def test_member_owner_signs_on_the_page_and_finds_the_agreement(joint, client, db_session, fast_pdf):
    a, member = joint.agreement, joint.members[0]
    login(client, member)
    mine = client.get("/problems").get_data(as_text=True)
    assert f"/agreements/{a.id}" in mine and 'data-testid="joint-agreements"' in mine
    page = client.get(f"/agreements/{a.id}").get_data(as_text=True)
    assert page.count('data-testid="party-member"') == 2 and "한일기공" in page
    assert 'data-testid="sign-form"' in page and 'data-testid="member-note"' in page
    assert 'data-testid="proposal-form"' not in page and 'data-testid="terminate-form"' not in page
    signed = post_form(client, f"/agreements/{a.id}/sign", {"password": PASSWORD}, page=f"/agreements/{a.id}")
    assert signed.status_code == 302
    page = client.get(f"/agreements/{a.id}").get_data(as_text=True)
    assert "Lee Daesung" in page and 'data-testid="sign-form"' not in page
    refused = post_form(client, f"/agreements/{a.id}/versions", {"ip_ownership": "joint", "warranty_months": "24"},
                        page=f"/agreements/{a.id}")
    assert refused.status_code == 403 and a.current_version == 1


def test_the_api_lists_every_party_with_its_signature(joint, kit, client, db_session, fast_pdf):
    a = joint.agreement
    kit.sign(a, joint.members[1])
    body = client.get(f"/api/v1/agreements/{a.id}", headers=bearer(api_token(client, joint.members[0]))).json
    assert [p["role"] for p in body["parties"]] == ["client", "member", "member", "vendor"]
    assert [m["id"] for m in body["members"]] == [u.organisation_id for u in joint.members]
    assert body["members"][0]["signed_at"] is None and body["members"][1]["signer_name"] == "Park Hanil"
    assert sum(m["share_won"] for m in body["members"]) == 30_000_000
    assert body["client"]["id"] == a.client_id and body["vendor"]["id"] == a.vendor_id


def test_an_sme_that_is_not_a_member_party_gets_404(joint, client, factory, db_session):
    """Another SME, even one joining the cooperative after the drafting, is not a party."""
    a = joint.agreement
    latecomer = factory.user(factory.sme())
    accounts.add_cooperative_member(db_session, cooperative=db_session.get(Organisation, a.client_id),
                                    member=db_session.get(Organisation, latecomer.organisation_id))
    db_session.commit()
    token = bearer(api_token(client, latecomer))
    assert client.get(f"/api/v1/agreements/{a.id}", headers=token).status_code == 404
    assert client.post(f"/api/v1/agreements/{a.id}/sign", json={"password": PASSWORD},
                       headers=token).status_code == 404
    login(client, latecomer)
    assert client.get(f"/agreements/{a.id}").status_code == 404
    assert client.get(f"/agreements/{a.id}/pdf?lang=ko").status_code == 404


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_the_final_pdf_carries_every_member_signature(joint, kit, db_session):
    """The one test here with the real renderer: the stored PDF shows each member's signer."""
    for user in (joint.coop, *joint.members, joint.vendor):
        kit.sign(joint.agreement, user)
    version = services.get_version(db_session, joint.agreement)
    for pdf in (version.pdf_ko, version.pdf_en):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        flat = re.sub(r"[\s\u2060]+", "", text)
        for name in ("NamKihun", "LeeDaesung", "ParkHanil", "박공급"):
            assert name in flat


def test_drafts_before_0008_get_their_member_rows_from_the_terms(joint, db_session):
    """Migration 0008 fills agreement_member from the first version's terms; run its function on this agreement."""
    import importlib

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    migration = importlib.import_module("marketplace.migrations.versions.0008_agreement_members")
    a = joint.agreement
    expected = services.member_ids(db_session, a)
    for row in db_session.exec(select(AgreementMember)):
        db_session.delete(row)
    db_session.flush()
    assert services.member_ids(db_session, a) == ()
    with Operations.context(MigrationContext.configure(db_session.connection())):
        migration._members_from_terms()
    db_session.expire_all()
    assert services.member_ids(db_session, a) == expected


def test_seed_signing_includes_the_members(joint, db_session, fast_pdf):
    from seed.agreements import _sign
    from seed.loader import SeedReport

    report = SeedReport()
    _sign(db_session, joint.agreement, PASSWORD, report)
    assert joint.agreement.status == AgreementStatus.SIGNED and report.created["signed agreements"] == 1
    _sign(db_session, joint.agreement, PASSWORD, report)  # a second run changes nothing
    assert len(services.list_signatures(db_session, services.get_version(db_session, joint.agreement))) == 4
