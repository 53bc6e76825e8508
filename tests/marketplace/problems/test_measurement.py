"""How each KPI is measured: asked in the wizard with a default per problem type, kept, checked, and used by the
agreement's acceptance clause."""

from __future__ import annotations

import re
from datetime import timedelta

import contracts
from hypothesis import given
from hypothesis import strategies as st

from marketplace.agreements import services as agreements
from marketplace.bids import services as bids
from marketplace.core.types import travel
from marketplace.problems import services
from marketplace.problems.measurement import DATA_CODES, METRIC_CODES, default_measurement, describe
from matching import taxonomy
from tests.helpers import api_token, bearer, login, post_form
from tests.marketplace.agreements.conftest import fast_pdf  # noqa: F401 (fixture)

ROW = {"kpis-0-name": "당일 폐기율", "kpis-0-unit": "%", "kpis-0-baseline": "15.2", "kpis-0-target": "7",
       "kpis-0-direction": "lower"}


@given(st.lists(st.sampled_from([t.code for t in taxonomy.problem_types()]), max_size=3),
       st.integers(min_value=0, max_value=10), st.sampled_from(["ko", "en"]))
def test_every_problem_type_has_a_default_from_the_acceptance_library(types, position, lang):
    default = default_measurement(types, position, lang)
    assert default.metric in METRIC_CODES and default.measured_on in DATA_CODES and default.period


def test_the_wizard_suggests_the_problem_types_measurement_and_keeps_the_smes_choice(client, factory, db_session):
    sme = factory.user()
    problem = factory.problem(sme)  # demand forecasting
    login(client, sme)
    page = client.get(f"/problems/{problem.id}/edit/2").get_data(as_text=True)
    assert re.search(r'<option selected value="mape">', page)  # the forecasting default: MAPE on a hold-out
    assert "착수 시 수요기업이 봉인한 최근 3개월 데이터" in page
    response = post_form(client, f"/problems/{problem.id}/edit/2",
                         {**ROW, "kpis-0-metric": "measured_value", "kpis-0-measured_on": "measured",
                          "kpis-0-period": "2027년 3월 한 달 매장 3곳의 폐기 기록"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    [kpi] = services.list_kpis(db_session, problem)
    assert (kpi.metric, kpi.measured_on, kpi.period) == ("measured_value", "measured",
                                                        "2027년 3월 한 달 매장 3곳의 폐기 기록")
    page = client.get(f"/problems/{problem.id}/edit/2").get_data(as_text=True)
    assert re.search(r'<option selected value="measured_value">', page)


def test_an_unknown_metric_is_refused_at_its_row(client, factory, db_session):
    sme = factory.user()
    problem = factory.problem(sme)
    login(client, sme)
    before = [(k.name, k.metric) for k in services.list_kpis(db_session, problem)]
    response = post_form(client, f"/problems/{problem.id}/edit/2",
                         {"kpis-0-name": "", "kpis-1-name": "불량률", "kpis-1-baseline": "3", "kpis-1-target": "1",
                          "kpis-1-direction": "lower", "kpis-1-metric": "vibes", "kpis-1-measured_on": "holdout"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-testid="error-kpis-1-metric">측정 방법을 목록에서 고르세요.<' in page
    assert [(k.name, k.metric) for k in services.list_kpis(db_session, problem)] == before


def test_the_api_takes_and_gives_the_measurement(client, factory, db_session):
    sme = factory.user()
    problem = factory.problem(sme)
    token = api_token(client, sme)
    kpi = {"name": "불량 검출 재현율", "unit": "%", "baseline": "80", "target": "95", "direction": "higher",
           "metric": "recall", "measured_on": "holdout", "period": "2026년 하반기 검사 이미지 2,000장"}
    response = client.patch(f"/api/v1/problems/{problem.id}", json={"kpis": [kpi]}, headers=bearer(token))
    assert response.status_code == 200, response.json
    assert {k: response.json["kpis"][0][k] for k in ("metric", "measured_on", "period")} == \
        {"metric": "recall", "measured_on": "holdout", "period": "2026년 하반기 검사 이미지 2,000장"}
    bad = client.patch(f"/api/v1/problems/{problem.id}", json={"kpis": [{**kpi, "metric": "vibes"}]},
                       headers=bearer(token))
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "kpis.0.metric"


def test_the_acceptance_clause_measures_each_kpi_as_the_sme_said(factory, db_session, fast_pdf):
    kpis = [{"name": "당일 폐기율", "unit": "%", "baseline": "15.2", "target": "7.0", "direction": "lower",
             "metric": "measured_value", "measured_on": "measured", "period": "2027년 3월 매장 3곳의 폐기 기록"}]
    problem = factory.problem(state="bidding", kpis=kpis)
    bid = factory.bid(problem)
    with travel(timedelta(days=8)):
        bids.award_bid(db_session, user=db_session.get(type(factory.user()), problem.created_by_id), bid=bid)
        db_session.commit()
    agreement = agreements.agreement_for_problem(db_session, problem)
    terms = agreements.terms_of(agreements.get_version(db_session, agreement))
    [kpi] = terms.kpis
    assert kpi.test_set == describe("measured_value", "measured", "2027년 3월 매장 3곳의 폐기 기록", "ko")
    assert "측정값" in kpi.test_set and "2027년 3월 매장 3곳의 폐기 기록" in kpi.test_set
    assert kpi.test_set_en.startswith("Measured value") and "holdout" not in kpi.test_set_en
    english = contracts.draft_html(terms, "en").replace("\u2060", "")
    assert "a measured value entered with evidence" in english and "홀드아웃" not in english
