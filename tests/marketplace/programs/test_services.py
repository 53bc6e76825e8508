from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import func, select

from marketplace.bids.models import Bid
from marketplace.core.errors import Conflict, NotAllowed, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from marketplace.problems.models import Problem
from marketplace.programs import services
from marketplace.programs.models import Application, Subsidy, SubsidyStatus
from marketplace.programs.schemas import ProgramCreate, ProgramUpdate
from tests.marketplace.programs.conftest import program_data

# --- programs ------------------------------------------------------------------------------------

def test_an_officer_creates_a_program_with_exact_ratios(kit):
    program = kit.program(subsidy_ratio="0.7", min_own_share_ratio="0.3")
    assert program.subsidy_ratio == Decimal("0.7") and program.agency_id is not None


@pytest.mark.parametrize(("change", "field"), [
    ({"subsidy_ratio": "1.5"}, "subsidy_ratio"),
    ({"subsidy_ratio": "-0.1"}, "subsidy_ratio"),
    ({"subsidy_ratio": "abc"}, "subsidy_ratio"),
    ({"cap_per_project_krw": 2_000_000_000}, "cap_per_project_krw"),
    ({"total_budget_krw": 0}, "total_budget_krw"),
    ({"subsidy_ratio": "0.9", "min_own_share_ratio": "0.2"}, "subsidy_ratio"),
    ({"regions": ["atlantis"]}, "regions"),
    ({"industries": ["Z99"]}, "industries"),
    ({"name_ko": ""}, "name_ko"),
])
def test_bad_program_input_is_refused_with_a_message_on_the_field(kit, change, field):
    officer = kit.officer()
    with pytest.raises(ValidationFailed) as caught:
        services.create_program(kit.session, officer=officer, data=parse(ProgramCreate, program_data(**change)))
    assert caught.value.fields.get(field)


def test_the_window_cannot_close_before_it_opens(kit):
    today = utcnow().date()
    with pytest.raises(ValidationFailed) as caught:
        services.create_program(kit.session, officer=kit.officer(), data=parse(
            ProgramCreate, program_data(opens_on=today, closes_on=today - timedelta(days=1))))
    assert "closes_on" in caught.value.fields


def test_only_agencies_run_programs(kit):
    with pytest.raises(NotAllowed):
        services.create_program(kit.session, officer=kit.sme_user(), data=ProgramCreate(**program_data()))


def test_another_agency_cannot_edit_the_program(kit):
    program = kit.program()
    with pytest.raises(NotAllowed):
        services.update_program(kit.session, officer=kit.officer(), program=program,
                                data=ProgramUpdate(**program_data(name_ko="남의 사업")))


# --- applications ----------------------------------------------------------------------------------

def test_an_eligible_problem_is_entered_and_linked(kit):
    program = kit.program(regions=["busan"], industries=["C"])
    problem = kit.applied_problem(program, state="draft")
    assert problem.program_id == program.id
    assert kit.session.exec(select(Application).where(Application.problem_id == problem.id)).one().status == "accepted"


def test_an_ineligible_problem_gets_every_reason_and_nothing_is_saved(kit):
    program = kit.program(regions=["daegu"], max_employees=10, problem_types=["visual_inspection"])
    owner = kit.sme_user(region="busan", employees=45)
    problem = kit.factory.problem(owner)
    with pytest.raises(ValidationFailed) as caught:
        services.apply_to_program(kit.session, user=owner, program=program, problem=problem)
    codes = [r["code"] for r in caught.value.extra["reasons"]]
    assert codes == ["employees", "region", "problem_type"]
    kit.session.refresh(problem)
    assert problem.program_id is None
    assert kit.session.exec(select(func.count()).select_from(Application)).one() == 0


def test_outside_the_window_is_a_conflict(kit):
    today = utcnow().date()
    program = kit.program(opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=30))
    owner = kit.sme_user()
    problem = kit.factory.problem(owner)
    with pytest.raises(Conflict) as caught:
        services.apply_to_program(kit.session, user=owner, program=program, problem=problem)
    assert caught.value.extra["reasons"][0]["code"] == "window"


def test_one_application_per_problem_and_program(kit):
    program = kit.program()
    owner = kit.sme_user()
    problem = kit.applied_problem(program, owner)
    with pytest.raises(Conflict):
        services.apply_to_program(kit.session, user=owner, program=program, problem=problem)
    other = kit.program()
    with pytest.raises(Conflict):
        services.apply_to_program(kit.session, user=owner, program=other, problem=problem)


def test_an_earlier_subsidy_excludes_when_the_program_says_so(kit):
    officer = kit.officer()
    first = kit.program(officer)
    owner = kit.sme_user()
    services.approve_subsidy(kit.session, officer=officer, subsidy=kit.subsidy(first, owner=owner))
    strict = kit.program(exclude_previously_subsidised=True)
    lenient = kit.program()
    problem = kit.factory.problem(owner)
    with pytest.raises(ValidationFailed) as caught:
        services.apply_to_program(kit.session, user=owner, program=strict, problem=problem)
    assert [r["code"] for r in caught.value.extra["reasons"]] == ["previous_subsidy"]
    services.apply_to_program(kit.session, user=owner, program=lenient, problem=problem)


# --- the ledger ------------------------------------------------------------------------------------

def test_estimate_is_floor_of_ratio_times_price_capped_in_whole_won(kit):
    program = kit.program(subsidy_ratio="0.7", min_own_share_ratio="0.3", cap_per_project_krw=150_000_000)
    assert services.estimate_subsidy(program, 10) == (7, 3)  # 0.7 * 10 in floats is 6.999…
    assert services.estimate_subsidy(program, 123_456_789) == (86_419_752, 37_037_037)
    assert services.estimate_subsidy(program, 300_000_000) == (150_000_000, 150_000_000)
    assert services.estimate_subsidy(program, 0) == (0, 0)
    with pytest.raises(ValidationFailed):
        services.estimate_subsidy(program, -1)


def test_approval_reserves_commit_and_release_move_the_budget(kit):
    officer = kit.officer()
    program = kit.program(officer, total_budget_krw=300_000_000, cap_per_project_krw=200_000_000)
    a = kit.subsidy(program, price=100_000_000)
    assert (a.status, a.amount_krw, a.own_share_krw) == ("pending", 80_000_000, 20_000_000)
    assert services.budget_of(kit.session, program).pending == 80_000_000
    services.approve_subsidy(kit.session, officer=officer, subsidy=a)
    budget = services.budget_of(kit.session, program)
    assert (budget.reserved, budget.committed, budget.left) == (80_000_000, 0, 220_000_000)
    services.commit_subsidy(kit.session, subsidy=a)
    budget = services.budget_of(kit.session, program)
    assert (budget.reserved, budget.committed, budget.left) == (0, 80_000_000, 220_000_000)
    services.release_subsidy(kit.session, subsidy=a, reason="협약 해지")
    assert services.budget_of(kit.session, program).left == 300_000_000
    with pytest.raises(Conflict):
        services.commit_subsidy(kit.session, subsidy=a)


def test_a_second_approval_and_an_approval_beyond_the_budget_are_conflicts(kit):
    officer = kit.officer()
    program = kit.program(officer, total_budget_krw=250_000_000, cap_per_project_krw=200_000_000)
    first = kit.subsidy(program, price=200_000_000)   # 160,000,000
    second = kit.subsidy(program, price=150_000_000)  # 120,000,000
    services.approve_subsidy(kit.session, officer=officer, subsidy=first)
    with pytest.raises(Conflict):
        services.approve_subsidy(kit.session, officer=officer, subsidy=first)
    with pytest.raises(Conflict) as caught:
        services.approve_subsidy(kit.session, officer=officer, subsidy=second)
    assert "90,000,000" in caught.value.message and caught.value.extra["left_krw"] == 90_000_000
    assert kit.session.get(Subsidy, second.id).status == SubsidyStatus.PENDING


def test_only_the_programs_agency_decides_and_never_for_its_own_organisation(kit):
    officer = kit.officer()
    program = kit.program(officer)
    subsidy = kit.subsidy(program)
    with pytest.raises(NotAllowed):
        services.approve_subsidy(kit.session, officer=kit.officer(), subsidy=subsidy)
    with pytest.raises(NotAllowed):
        services.reject_subsidy(kit.session, officer=kit.sme_user(), subsidy=subsidy, reason="no")
    problem = kit.session.get(Problem, subsidy.problem_id)
    problem.organisation_id = officer.organisation_id  # the agency's own project
    kit.session.add(problem)
    kit.session.flush()
    with pytest.raises(NotAllowed):
        services.approve_subsidy(kit.session, officer=officer, subsidy=subsidy)


def test_rejection_needs_a_reason_and_one_active_subsidy_per_problem(kit):
    officer = kit.officer()
    program = kit.program(officer)
    subsidy = kit.subsidy(program)
    with pytest.raises(ValidationFailed):
        services.reject_subsidy(kit.session, officer=officer, subsidy=subsidy, reason="  ")
    problem = kit.session.get(Problem, subsidy.problem_id)
    bid = kit.session.get(Bid, subsidy.bid_id)
    with pytest.raises(Conflict):
        services.request_subsidy(kit.session, program=program, problem=problem, bid=bid)
    services.reject_subsidy(kit.session, officer=officer, subsidy=subsidy, reason="자부담 증빙 미비")
    again = services.request_subsidy(kit.session, program=program, problem=problem, bid=bid)
    assert again.status == "pending" and kit.session.get(Subsidy, subsidy.id).reason == "자부담 증빙 미비"
