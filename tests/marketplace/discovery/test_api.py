"""Criteria decide among relevant offerings, through ``GET /api/v1/problems/{id}/matches?weights=``.

Today's criteria profile is the vendor's own claim (the evaluation issue's evidence rule, claims shrunk toward a
prior, had not landed when these were written; the engine's hook for it is tested in tests/matching).
"""

from sqlmodel import select

from marketplace.accounts.models import User
from tests.helpers import api_token, bearer

SAME_TEXT = dict(title="베이커리 일일 수요 예측", description="POS 판매 기록으로 내일 품목별 빵 생산 수량을 예측합니다.",
                 capabilities=["demand_forecasting"], industries=["C10"], deployment_modes=["cloud"],
                 completed_projects=10, typical_weeks=8)
PROFILE = {"throughput": 0.5, "cost": 0.5, "delivery_speed": 0.5, "explainability": 0.5, "data_privacy": 0.5,
           "maintenance": 0.5}


def _matches(client, db_session, problem, weights):
    owner = db_session.exec(select(User).where(User.organisation_id == problem.organisation_id)).first()
    response = client.get(f"/api/v1/problems/{problem.id}/matches", query_string={"weights": weights},
                          headers=bearer(api_token(client, owner)))
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_equally_relevant_vendors_swap_when_weights_move_from_quality_to_throughput(client, factory, db_session):
    problem = factory.problem(state="enquiries")
    careful = factory.offering(**SAME_TEXT, price_min_krw=20_000_000, price_max_krw=30_000_000,
                               profile={**PROFILE, "quality": 0.95, "throughput": 0.35})
    fast = factory.offering(**SAME_TEXT, price_min_krw=20_000_000, price_max_krw=30_000_000,
                            profile={**PROFILE, "quality": 0.35, "throughput": 0.95})
    quality_first = _matches(client, db_session, problem, "quality:60,throughput:10,cost:30")
    throughput_first = _matches(client, db_session, problem, "quality:10,throughput:60,cost:30")
    assert [m["offering_id"] for m in quality_first] == [careful.id, fast.id]
    assert [m["offering_id"] for m in throughput_first] == [fast.id, careful.id]
    # Equally relevant: only the criteria contribution differs.
    a, b = quality_first
    assert a["contributions"]["text"] == b["contributions"]["text"]
    assert a["contributions"]["taxonomy"] == b["contributions"]["taxonomy"]
    assert a["contributions"]["criteria"] > b["contributions"]["criteria"]


def test_a_cost_weight_of_80_puts_in_budget_offerings_above_over_budget_ones(client, factory, db_session):
    problem = factory.problem(state="enquiries", budget_min_krw=10_000_000, budget_max_krw=40_000_000)
    in_budget = [
        factory.offering(**SAME_TEXT, price_min_krw=20_000_000, price_max_krw=30_000_000,
                         profile={**PROFILE, "quality": 0.4, "cost": 0.9}),
        factory.offering(**SAME_TEXT, price_min_krw=35_000_000, price_max_krw=40_000_000,
                         profile={**PROFILE, "quality": 0.5}),
    ]
    over_budget = [
        # More relevant (says more about the problem) and stronger on quality, but above the budget.
        factory.offering(**{**SAME_TEXT, "description": SAME_TEXT["description"] + " 동네 빵집 폐기율을 줄입니다."},
                         price_min_krw=60_000_000, price_max_krw=90_000_000, profile={**PROFILE, "quality": 1.0}),
        factory.offering(**SAME_TEXT, price_min_krw=48_000_000, price_max_krw=70_000_000,
                         profile={**PROFILE, "quality": 0.95}),
    ]
    ranked = [m["offering_id"] for m in _matches(client, db_session, problem, "cost:80,quality:20")]
    assert set(ranked[:2]) == {o.id for o in in_budget}, ranked
    assert set(ranked[2:4]) == {o.id for o in over_budget}, ranked
