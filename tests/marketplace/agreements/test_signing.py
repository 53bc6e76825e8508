"""Signing rules, versions and immutability (in the service and in the database)."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from marketplace.agreements import services
from marketplace.agreements.models import AgreementStatus, Signature, VersionStatus
from marketplace.agreements.schemas import ProposalIn, TerminateIn
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs import services as programs
from marketplace.programs.models import SubsidyStatus
from tests.marketplace.programs.conftest import ProgramKit


def terminate_in(password: str, reason: str) -> TerminateIn:
    return parse(TerminateIn, {"password": password, "reason": reason})


def signature_count(db_session) -> int:
    return len(db_session.exec(select(Signature)).all())


def test_signing_rules_refuse_with_a_clear_error_and_change_nothing(kit, db_session, factory):
    agreement, owner, vendor_user = kit.agreement()
    member = factory.user(factory.session.get(type(factory.sme()), owner.organisation_id), role="member")
    stranger = factory.user(factory.vendor())
    with pytest.raises(NotAllowed, match="소유자|owner"):
        kit.sign(agreement, member)
    with pytest.raises(NotFound):
        kit.sign(agreement, stranger)
    with pytest.raises(ValidationFailed) as wrong:
        kit.sign(agreement, owner, password="not-my-password")
    assert wrong.value.fields == {"password": wrong.value.message}
    db_session.rollback()
    assert signature_count(db_session) == 0 and agreement.status == AgreementStatus.DRAFT
    kit.sign(agreement, owner)
    assert agreement.status == AgreementStatus.PENDING_SIGNATURES
    with pytest.raises(Conflict, match="이미|already signed"):
        kit.sign(agreement, owner)
    db_session.rollback()
    assert signature_count(db_session) == 1


def test_both_signatures_render_store_and_contract(kit, db_session, fast_pdf):
    agreement, owner, vendor_user = kit.agreement()
    kit.sign(agreement, owner, ip="211.234.10.7")
    kit.sign(agreement, vendor_user)
    version = services.get_version(db_session, agreement)
    assert agreement.status == AgreementStatus.SIGNED and version.status == VersionStatus.SIGNED
    assert version.pdf_ko.startswith(b"%PDF") and len(version.sha256_ko) == 64 and version.sha256_en != version.sha256_ko
    terms = services.terms_of(version)
    assert terms.fully_signed
    assert {s.ip_address for s in terms.signatures} == {"211.234.10.7", "203.0.113.9"}
    assert db_session.get(Problem, agreement.problem_id).state == ProblemState.CONTRACTED
    milestones = services.list_milestones(db_session, agreement)
    signed_on = services.korean_date(version.signed_at)
    assert [(m.sequence, m.due_date, m.amount_krw) for m in milestones] == [
        (1, signed_on + timedelta(weeks=3), 9_000_000), (2, signed_on + timedelta(weeks=7), 12_000_000),
        (3, signed_on + timedelta(weeks=10), 9_000_000)]
    with pytest.raises(Conflict):
        kit.sign(agreement, owner)


def test_signing_commits_the_approved_subsidy(kit, db_session, factory, fast_pdf):
    programs_kit = ProgramKit(db_session, factory)
    officer = programs_kit.officer()
    problem = programs_kit.applied_problem(programs_kit.program(officer), state="bidding")
    _p, _b, owner, vendor_user = kit.awarded(problem=problem)
    subsidy = programs.active_subsidy(db_session, problem)
    programs.approve_subsidy(db_session, officer=officer, subsidy=subsidy)
    agreement = services.agreement_for_problem(db_session, problem)
    kit.sign(agreement, vendor_user)
    kit.sign(agreement, owner)
    assert subsidy.status == SubsidyStatus.COMMITTED


def test_a_proposal_replaces_the_pending_version_and_resets_signatures(kit, db_session):
    agreement, owner, vendor_user = kit.agreement()
    kit.sign(agreement, owner)
    due = (utcnow() + timedelta(days=60)).date()
    version = services.propose_changes(db_session, user=vendor_user, agreement=agreement, proposal=parse(
        ProposalIn, {"warranty_months": "24", "ip_ownership": "vendor_licensed",
                     "milestone_due_dates": {"3": due.isoformat()}, "note": "라이선스 방식"}))
    assert version.number == 2 and agreement.current_version == 2 and agreement.status == AgreementStatus.DRAFT
    assert services.get_version(db_session, agreement, 1).status == VersionStatus.SUPERSEDED
    assert services.list_signatures(db_session, version) == []
    labels_ko = {c["label"] for c in services.changes_from_previous(db_session, agreement, version, "ko")}
    labels_en = {c["label"] for c in services.changes_from_previous(db_session, agreement, version, "en")}
    assert {"하자담보기간(개월)", "지식재산권 귀속", "3단계 · 납기일", "3단계 · 납기(주차)"} <= labels_ko
    assert {"warranty (months)", "IP and model ownership"} <= labels_en
    with pytest.raises(ValidationFailed) as past:
        services.propose_changes(db_session, user=owner, agreement=agreement,
                                 proposal=parse(ProposalIn, {"milestone_due_dates": {"1": "2020-01-01"}}))
    assert "milestone_due_dates.1" in past.value.fields
    with pytest.raises(ValidationFailed):
        services.propose_changes(db_session, user=owner, agreement=agreement,
                                 proposal=parse(ProposalIn, {"price_won": 1}))


def test_signed_versions_are_immutable_in_the_service_and_the_database(kit, db_session, fast_pdf):
    agreement, owner, vendor_user = kit.signed()
    signed = services.get_version(db_session, agreement)
    # An amendment is a new version; the signed one stays as it was.
    amendment = services.propose_changes(db_session, user=owner, agreement=agreement,
                                         proposal=ProposalIn(acceptance_days=21))
    db_session.commit()
    assert agreement.status == AgreementStatus.PENDING_SIGNATURES and agreement.signed_version == 1
    assert amendment.number == 2 and signed.status == VersionStatus.SIGNED
    with pytest.raises(Conflict):
        services.require_unsigned(signed)
    for statement in ("UPDATE agreement_version SET note = 'changed' WHERE id = :id",
                      "UPDATE agreement_version SET pdf_ko = NULL, status = 'draft' WHERE id = :id",
                      "DELETE FROM agreement_version WHERE id = :id"):
        with pytest.raises(DBAPIError, match="immutable"), db_session.begin_nested():
            db_session.execute(text(statement), {"id": signed.id})
    db_session.expire_all()
    assert services.get_version(db_session, agreement, 1).note == ""
    # The amendment is signed like the first version; delivery dates keep counting from the first signing.
    kit.sign(agreement, owner)
    kit.sign(agreement, vendor_user)
    assert agreement.signed_version == 2 and agreement.status == AgreementStatus.SIGNED
    assert services.terms_of(services.get_version(db_session, agreement, 2)).acceptance_days == 21


def test_wrong_signing_passwords_are_limited_and_signatures_are_audited(app, client, kit, db_session, fast_pdf):
    from sqlmodel import select

    from marketplace.audit.models import AuditEntry
    from tests.factories import PASSWORD
    from tests.helpers import api_token, bearer

    app.config["SIGN_LIMIT_PER_USER"] = "3 per 15 minutes"
    agreement, owner, vendor_user = kit.agreement()
    token = api_token(client, owner)
    for _ in range(3):
        wrong = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": "not-it-at-all"},
                            headers=bearer(token))
        assert wrong.status_code == 422
    blocked = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": PASSWORD},
                          headers=bearer(token))
    assert blocked.status_code == 429
    kit.sign(agreement, vendor_user)
    signed = db_session.exec(select(AuditEntry).where(AuditEntry.action == "agreement_signed")).all()
    assert [e.actor_id for e in signed] == [vendor_user.id]


def test_a_party_terminates_a_signed_agreement_and_the_subsidy_goes_back(kit, db_session, fast_pdf):
    from marketplace.agreements.models import AgreementStatus
    from marketplace.notifications.models import Notification
    from tests.factories import PASSWORD

    agreement, owner, vendor_user = kit.signed()
    with pytest.raises(ValidationFailed):
        services.terminate_agreement(db_session, user=vendor_user, agreement=agreement,
                                     termination=terminate_in("wrong-password-1", "발주사 요청"))
    with pytest.raises(ValidationFailed):
        services.terminate_agreement(db_session, user=vendor_user, agreement=agreement,
                                     termination=terminate_in(PASSWORD, " "))
    signed_before = services.get_version(db_session, agreement, agreement.signed_version).sha256_ko
    services.terminate_agreement(db_session, user=vendor_user, agreement=agreement,
                                 termination=terminate_in(PASSWORD, "현장 데이터를 받지 못해 계속할 수 없습니다."))
    assert agreement.status == AgreementStatus.TERMINATED
    assert db_session.get(Problem, agreement.problem_id).state == ProblemState.CANCELLED
    assert services.get_version(db_session, agreement, agreement.signed_version).sha256_ko == signed_before
    told = db_session.exec(select(Notification).where(Notification.user_id == owner.id,
                                                      Notification.kind == "agreement_terminated")).all()
    assert told
    with pytest.raises(Conflict):
        services.terminate_agreement(db_session, user=owner, agreement=agreement,
                                     termination=terminate_in(PASSWORD, "다시"))


def test_an_unsigned_agreement_cannot_be_terminated_and_outsiders_cannot_try(kit, factory, db_session, fast_pdf):
    from tests.factories import PASSWORD

    agreement, owner, vendor_user = kit.agreement()
    with pytest.raises(Conflict):
        services.terminate_agreement(db_session, user=owner, agreement=agreement,
                                     termination=terminate_in(PASSWORD, "그만"))
    with pytest.raises(NotFound):
        services.terminate_agreement(db_session, user=factory.user(factory.sme()), agreement=agreement,
                                     termination=terminate_in(PASSWORD, "남의 계약"))
