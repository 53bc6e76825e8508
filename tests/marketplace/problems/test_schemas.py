"""The problem contracts that the API and the wizard share."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.core.errors import ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import travel, utcnow
from marketplace.problems.schemas import WIZARD_STEPS, Basics, Constraints, ProblemCreate, ProblemUpdate
from tests.helpers import api_token, bearer


def fields(model, data) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        parse(model, data)
    return info.value.fields


def test_null_empties_what_may_be_empty_and_is_refused_elsewhere(app):
    with app.test_request_context():
        given = parse(ProblemUpdate, {"description": None, "problem_types": None, "systems": None,
                                      "data_assets": None, "on_premises_required": None, "budget_max_krw": None,
                                      "weights": None}).changes()
        assert given == {"description": "", "problem_types": [], "systems": [], "data_assets": [],
                         "on_premises_required": False, "budget_max_krw": None, "weights": None}
        assert fields(ProblemUpdate, {"title": None, "kpis": None, "visibility": None}) == {
            "title": "텍스트를 입력하세요.", "kpis": "목록을 입력하세요.", "visibility": "허용된 값 중 하나를 선택하세요."}


def test_problem_types_are_counted_once_and_checked_against_the_taxonomy(app):
    with app.test_request_context():
        chosen = ["demand_forecasting", "demand_forecasting", "visual_inspection", "anomaly_detection"]
        assert parse(ProblemUpdate, {"problem_types": chosen}).problem_types == chosen[1:]
        assert fields(ProblemUpdate, {"problem_types": [*chosen, "predictive_maintenance"]}) == {
            "problem_types": "문제 유형은 최대 3개까지 고를 수 있습니다."}
        assert fields(Basics, {"title": "염색 재작업 줄이기", "problem_types": ["telepathy"]}) == {
            "problem_types": "알 수 없는 문제 유형입니다: telepathy."}


def test_systems_are_trimmed_kept_once_and_each_name_is_short(app):
    with app.test_request_context():
        assert parse(ProblemUpdate, {"systems": [" mes ", "mes", "", "분광측색기"]}).systems == ["mes", "분광측색기"]
        assert set(fields(ProblemUpdate, {"systems": ["mes", "가" * 31]})) == {"systems.1"}


def test_the_delivery_date_is_judged_on_the_server_clock(app):
    soon = (utcnow() + timedelta(days=2)).date().isoformat()
    with app.test_request_context():
        assert parse(Constraints, {"wanted_by": soon}).wanted_by.isoformat() == soon
        with travel(timedelta(days=3)):
            assert fields(Constraints, {"wanted_by": soon}) == {"wanted_by": "납기일은 오늘 이후여야 합니다."}
        far = (utcnow() + timedelta(days=3 * 365 + 2)).date().isoformat()
        assert fields(ProblemCreate, {"title": "납기 확인", "wanted_by": far}) == {
            "wanted_by": "납기일은 3년 이내여야 합니다."}


#: For each wizard step: input that is valid, and input with a mistake in every field that can have one.
STEP_INPUT = {
    1: ({"title": "염색 재작업 줄이기", "process": "염색", "industry": "C13", "problem_types": ["process_optimization"]},
        {"title": "짧음", "description": "가" * 5001, "process": "가" * 121, "industry": "Z99", "problem_types": ["x"]}),
    2: ({"kpis": [{"name": "재작업률", "unit": "%", "baseline": "8.5", "target": "3"}]},
        {"kpis": [{"name": "", "baseline": "x"}, {"name": "불량률", "baseline": "1", "target": "2"}]}),
    3: ({"data_assets": [{"kind": "배합 기록", "period_months": "24"}], "systems": ["mes", "분광측색기"]},
        {"data_assets": [{"kind": "", "period_months": "601"}], "systems": ["가" * 31]}),
    4: ({"budget_min_krw": "50,000,000", "budget_max_krw": 90_000_000, "on_premises_required": True},
        {"budget_min_krw": -1, "budget_max_krw": "lots", "wanted_by": "2001-01-01"}),
    5: ({"weights": {"quality": 60, "cost": 40}}, {"weights": {"quality": 101, "cost": "x"}}),
    6: ({"visibility": "anonymous"}, {"visibility": "secret"}),
}


def test_a_wizard_step_reads_its_fields_as_the_api_contract_does(app):
    assert set(STEP_INPUT) == set(WIZARD_STEPS)
    with app.test_request_context():
        for step, model in WIZARD_STEPS.items():
            good, bad = STEP_INPUT[step]
            update = model.model_validate(good).as_update()
            assert update.model_fields_set == set(model.model_fields), step  # every field of the step is saved
            assert update.changes() == {**ProblemUpdate.model_validate(good).changes(),
                                        **{k: v for k, v in update.changes().items() if k not in good}}, step
            assert fields(model, bad) == fields(ProblemUpdate, bad), step


def test_patch_with_null_through_the_api(client, factory):
    problem = factory.problem()
    from marketplace.accounts.models import User
    token = api_token(client, factory.session.get(User, problem.created_by_id))
    weights = dict(problem.weights)
    answer = client.patch(f"/api/v1/problems/{problem.id}", json={"description": None, "weights": None},
                          headers=bearer(token))
    assert answer.status_code == 200 and answer.json["description"] == "" and answer.json["weights"] == weights
    refused = client.patch(f"/api/v1/problems/{problem.id}", json={"title": None}, headers=bearer(token))
    assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["title"]
