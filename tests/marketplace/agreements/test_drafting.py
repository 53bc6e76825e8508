"""Drafting: the awarded bid becomes terms at once, or after the subsidy decision for a program problem."""

from datetime import timedelta
from decimal import Decimal

import pytest

import contracts
from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation
from marketplace.agreements import services
from marketplace.agreements.models import AgreementStatus
from marketplace.core.errors import Conflict
from marketplace.core.types import travel
from marketplace.notifications.models import Notification
from marketplace.problems.models import ProblemState
from marketplace.programs import services as programs
from tests.marketplace.programs.conftest import ProgramKit
from sqlmodel import select


def html(terms, lang):
    """The drafted HTML without the word joiners the drafting puts between Korean syllables."""
    return contracts.draft_html(terms, lang).replace("\u2060", "")


def test_award_without_program_drafts_the_agreement_at_once(kit, db_session):
    problem, bid, owner, vendor_user = kit.awarded()
    agreement = services.agreement_for_problem(db_session, problem)
    assert agreement is not None and agreement.status == AgreementStatus.DRAFT
    assert problem.state == ProblemState.AWARDED
    terms = services.terms_of(services.get_version(db_session, agreement))
    vendor = db_session.get(Organisation, bid.vendor_id)
    assert terms.vendor.name.ko == vendor.name_ko and terms.price_won == 30_000_000
    assert [(m.sequence, m.due_week, m.payment_percent) for m in terms.milestones] == [(1, 3, 30), (2, 7, 40),
                                                                                        (3, 10, 30)]
    kpi = terms.kpis[0]
    assert (kpi.name, kpi.baseline, kpi.target, kpi.committed) == ("당일 폐기율", Decimal("15.2"), Decimal("7"),
                                                                   Decimal("7"))
    assert "POS 판매 기록" in kpi.test_set
    assert terms.ip_ownership is contracts.IpOwnership.SME and terms.subsidy is None
    assert terms.maintenance.yearly_won == 3_000_000 and terms.maintenance.years == 2
    ko, en = html(terms, "ko"), html(terms, "en")
    assert "당일 폐기율" in ko and "당일 폐기율" in en and vendor.name_en in en
    kinds = set(db_session.exec(select(Notification.kind).where(Notification.user_id == vendor_user.id)))
    assert "agreement_ready" in kinds


def test_program_problem_waits_for_the_subsidy_then_drafts_with_the_split(kit, db_session, factory):
    programs_kit = ProgramKit(db_session, factory)
    officer = programs_kit.officer()
    program = programs_kit.program(officer)
    problem = programs_kit.applied_problem(program, state="bidding")
    kit.awarded(problem=problem)
    assert services.agreement_for_problem(db_session, problem) is None
    assert services.waiting_for(db_session, problem).reason == "subsidy_pending"
    subsidy = programs.active_subsidy(db_session, problem)
    programs.approve_subsidy(db_session, officer=officer, subsidy=subsidy)
    agreement = services.agreement_for_problem(db_session, problem)
    terms = services.terms_of(services.get_version(db_session, agreement))
    assert terms.subsidy.subsidy_won == 24_000_000 and terms.subsidy.sme_share_won == 6_000_000
    assert terms.subsidy.program_name.ko == "AI 도입 바우처"
    assert "AI Adoption Voucher" in html(terms, "en")
    assert "AI 도입 바우처" in html(terms, "ko")


def test_refused_subsidy_keeps_the_award_and_lets_the_parties_continue_without_it(kit, db_session, factory):
    programs_kit = ProgramKit(db_session, factory)
    officer = programs_kit.officer()
    program = programs_kit.program(officer)
    problem = programs_kit.applied_problem(program, state="bidding")
    _problem, _bid, owner, vendor_user = kit.awarded(problem=problem)
    with pytest.raises(Conflict):
        services.continue_without_subsidy(db_session, user=owner, problem=problem)
    programs.reject_subsidy(db_session, officer=officer, subsidy=programs.active_subsidy(db_session, problem),
                            reason="예산 소진")
    assert problem.state == ProblemState.AWARDED
    assert services.waiting_for(db_session, problem).reason == "subsidy_rejected"
    told = set(db_session.exec(select(Notification.user_id).where(Notification.kind == "subsidy_rejected")))
    assert {owner.id, vendor_user.id} <= told
    agreement = services.continue_without_subsidy(db_session, user=vendor_user, problem=problem)
    assert services.terms_of(services.get_version(db_session, agreement)).subsidy is None


def test_cooperative_members_are_parties_with_their_share(kit, db_session, factory):
    coop = factory.organisation("cooperative")
    members = [factory.sme(name_ko="대성정밀", name_en="Daesung Precision"),
               factory.sme(name_ko="한일기공", name_en="Hanil Machinery")]
    for m in members:
        accounts.add_cooperative_member(db_session, cooperative=coop, member=m)
    db_session.commit()
    owner = factory.user(coop)
    problem = factory.problem(owner, state="bidding")
    kit.awarded(problem=problem)
    agreement = services.agreement_for_problem(db_session, problem)
    terms = services.terms_of(services.get_version(db_session, agreement))
    assert terms.client_kind is contracts.ClientKind.COOPERATIVE
    assert [(m.party.name.ko, m.share_won) for m in terms.members] == [("대성정밀", 15_000_000),
                                                                        ("한일기공", 15_000_000)]
    assert "한일기공" in html(terms, "ko") and "Hanil Machinery" in html(terms, "en")


def test_one_agreement_per_problem(kit, db_session):
    problem, bid, _owner, _vendor = kit.awarded()
    first = services.agreement_for_problem(db_session, problem)
    again = services.draft_agreement(db_session, problem=problem, bid=bid)
    assert again.id == first.id
    from marketplace.agreements.models import Agreement
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.add(Agreement(problem_id=problem.id, bid_id=bid.id, client_id=first.client_id,
                                 vendor_id=first.vendor_id))
        db_session.flush()


