from datetime import timedelta

import pytest
from sqlmodel import func, select

from marketplace.accounts.models import Organisation, User
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from marketplace.problems import services
from marketplace.problems.models import Problem, ProblemKpi, ProblemState
from marketplace.problems.messages import hint
from marketplace.problems.schemas import ProblemCreate, ProblemUpdate


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_only_smes_and_cooperatives_post_problems(factory, db_session):
    vendor_user = factory.user(factory.vendor())
    with pytest.raises(NotAllowed):
        services.create_problem(db_session, user=vendor_user, draft=ProblemCreate(title="비전 검사 자동화"))
    coop_user = factory.user(factory.organisation("cooperative"))
    assert services.create_problem(db_session, user=coop_user, draft=ProblemCreate(title="조합 공동 예지보전")).id


def test_a_full_problem_is_saved_with_kpis_and_weights(factory, db_session):
    problem = factory.problem()
    kpis = services.list_kpis(db_session, problem)
    assert [(k.name, str(k.baseline), str(k.target)) for k in kpis] == [("당일 폐기율", "15.2000", "7.0000")]
    assert problem.weights["cost"] == 30 and sum(problem.weights.values()) == 100
    assert services.completeness(problem, kpis).score >= 80


@pytest.mark.parametrize("data,field", [
    ({"weights": {"quality": 50, "throughput": 10, "cost": 10, "delivery_speed": 10, "explainability": 10,
                  "data_privacy": 10, "maintenance": 10}}, "weights"),
    ({"weights": {"quality": -5, "throughput": 25, "cost": 20, "delivery_speed": 20, "explainability": 20,
                  "data_privacy": 10, "maintenance": 10}}, "weights.quality"),
    ({"wanted_by": "2020-01-01"}, "wanted_by"),
    ({"problem_types": ["mind_reading"]}, "problem_types"),
    ({"industry": "Z99"}, "industry"),
    ({"budget_min_krw": 50_000_000, "budget_max_krw": 10_000_000}, "budget_max_krw"),
    ({"budget_min_krw": 50_000_000}, "budget_max_krw"),  # above the highest budget already stored
    ({"kpis": [{"name": "불량률", "unit": "%", "baseline": "1.0", "target": "3.2", "direction": "lower"}]},
     "kpis.0.target"),
    ({"kpis": [{"name": "불량률", "baseline": "NaN"}]}, "kpis.0.baseline"),
    ({"kpis": [{"name": "불량률", "baseline": "1e999999999"}]}, "kpis.0.baseline"),
    ({"kpis": [{"name": "불량률", "target": "-1e999999999"}]}, "kpis.0.target"),
    ({"description": "가" * 5001}, "description"),
    ({"title": "x" * 201}, "title"),
])
def test_bad_input_is_refused_with_the_field_and_nothing_changes(factory, db_session, data, field):
    problem = factory.problem()
    before = (problem.title, problem.weights, problem.wanted_by, count(db_session, ProblemKpi))
    with pytest.raises(ValidationFailed) as info:
        services.update_problem(db_session, user=db_session.get(User, problem.created_by_id),
                                problem=problem, changes=parse(ProblemUpdate, data))
    assert field in info.value.fields
    db_session.rollback()
    db_session.refresh(problem)
    assert (problem.title, problem.weights, problem.wanted_by, count(db_session, ProblemKpi)) == before


def test_weights_that_do_not_sum_say_the_current_total(factory, db_session):
    problem = factory.problem()
    owner = db_session.get(User, problem.created_by_id)
    with pytest.raises(ValidationFailed) as info:
        services.update_problem(db_session, user=owner, problem=problem, changes=parse(ProblemUpdate, {"weights": {
            "quality": 40, "throughput": 10, "cost": 10, "delivery_speed": 10, "explainability": 10,
            "data_privacy": 10, "maintenance": 0}}))
    assert "90" in info.value.fields["weights"]


def test_completeness_gives_concrete_hints(factory, db_session):
    owner = factory.user(factory.sme())
    problem = services.create_problem(db_session, user=owner, draft=ProblemCreate.model_validate({
        "title": "불량 줄이기", "kpis": [{"name": "불량률", "unit": "%", "target": "1.0"}]}))
    quality = services.completeness(problem, services.list_kpis(db_session, problem))
    messages = " ".join(hint(h) for h in quality.hints)
    assert quality.level == "weak"
    assert "불량률" in messages  # "your KPI 불량률 has no baseline"
    assert any(h.code == "data" for h in quality.hints)


def test_publishing_needs_the_minimum_and_says_what_is_missing(factory, db_session):
    owner = factory.user(factory.sme())
    problem = services.create_problem(db_session, user=owner, draft=ProblemCreate(title="공정 데이터로 불량 예측"))
    with pytest.raises(ValidationFailed) as info:
        services.publish_problem(db_session, user=owner, problem=problem)
    assert {"problem_types", "industry", "kpis", "budget_max_krw", "wanted_by"} <= set(info.value.fields)
    assert problem.state == ProblemState.DRAFT


def test_publish_then_open_bidding_then_no_second_publish(factory, db_session):
    problem = factory.problem()
    owner = db_session.get(User, problem.created_by_id)
    services.publish_problem(db_session, user=owner, problem=problem)
    assert problem.state == ProblemState.ENQUIRIES and problem.published_at
    with pytest.raises(Conflict):
        services.publish_problem(db_session, user=owner, problem=problem)
    with pytest.raises(ValidationFailed):
        services.open_bidding(db_session, user=owner, problem=problem, deadline=utcnow() + timedelta(hours=2))
    services.open_bidding(db_session, user=owner, problem=problem, deadline=utcnow() + timedelta(days=10))
    assert problem.state == ProblemState.BIDDING


def test_editing_a_published_problem_bumps_its_revision(factory, db_session):
    problem = factory.problem(state="bidding")
    owner = db_session.get(User, problem.created_by_id)
    services.update_problem(db_session, user=owner, problem=problem, changes=ProblemUpdate(budget_max_krw=40_000_000))
    assert problem.revision == 2


def test_other_organisations_cannot_change_a_problem(factory, db_session):
    problem = factory.problem()
    stranger = factory.user(factory.sme())
    with pytest.raises(NotFound):
        services.update_problem(db_session, user=stranger, problem=problem, changes=ProblemUpdate(title="남의 문제 수정"))
    with pytest.raises(NotFound):
        services.publish_problem(db_session, user=stranger, problem=problem)


def test_drafts_are_invisible_and_invited_only_problems_need_an_invitation(factory, db_session):
    draft = factory.problem()
    vendor_user = factory.user(factory.vendor())
    with pytest.raises(NotFound):
        services.get_problem(db_session, draft.id, viewer=vendor_user)
    invited_only = factory.problem(state="enquiries", visibility="invited")
    assert not services.can_view(db_session, invited_only, vendor_user)
    owner = db_session.get(User, invited_only.created_by_id)
    vendor = db_session.get(Organisation, vendor_user.organisation_id)
    services.invite_vendor(db_session, user=owner, problem=invited_only, vendor=vendor)
    assert services.get_problem(db_session, invited_only.id, viewer=vendor_user).id == invited_only.id


def test_anonymous_brief_hides_the_company_until_revealed(factory, db_session):
    problem = factory.problem(state="enquiries", visibility="anonymous")
    vendor_user = factory.user(factory.vendor())
    owner = db_session.get(User, problem.created_by_id)
    assert not services.shows_identity(problem, vendor_user)
    assert services.shows_identity(problem, owner)
    services.reveal_identity(db_session, user=owner, problem=problem)
    assert services.shows_identity(problem, vendor_user)


def test_questions_are_public_but_the_asker_is_not(factory, db_session):
    problem = factory.problem(state="enquiries")
    owner = db_session.get(User, problem.created_by_id)
    asker = factory.user(factory.vendor())
    question = services.ask_question(db_session, user=asker, problem=problem, body="POS 데이터는 CSV로 받을 수 있나요?")
    services.answer_question(db_session, user=owner, question=question, answer="네, 일별 CSV로 드립니다.")
    listed = services.list_questions(db_session, problem)
    assert [(q.body, q.answer) for q in listed] == [("POS 데이터는 CSV로 받을 수 있나요?", "네, 일별 CSV로 드립니다.")]
    with pytest.raises(NotAllowed):
        services.ask_question(db_session, user=owner, problem=problem, body="스스로 묻기")
    other_vendor = factory.user(factory.vendor())
    with pytest.raises(NotFound):
        services.answer_question(db_session, user=other_vendor, question=question, answer="끼어들기")


def test_cancel_needs_a_reason_and_closes_the_problem(factory, db_session):
    problem = factory.problem(state="enquiries")
    owner = db_session.get(User, problem.created_by_id)
    with pytest.raises(ValidationFailed):
        services.cancel_problem(db_session, user=owner, problem=problem, reason="  ")
    services.cancel_problem(db_session, user=owner, problem=problem, reason="예산 사정으로 내년으로 미룹니다.")
    assert problem.state == ProblemState.CANCELLED
    with pytest.raises(Conflict):
        services.update_problem(db_session, user=owner, problem=problem, changes=ProblemUpdate(title="다시 수정"))


def test_templates_come_from_the_demo_world(factory, db_session):
    templates = services.problem_templates()
    assert any("빵" in t["title"] for t in templates)
    owner = factory.user(factory.sme())
    problem = services.create_from_template(db_session, user=owner, key=templates[0]["key"])
    assert problem.problem_types and services.list_kpis(db_session, problem)
    assert db_session.get(Problem, problem.id).state == ProblemState.DRAFT
