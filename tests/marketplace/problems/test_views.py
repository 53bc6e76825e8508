import re
from pathlib import Path

from sqlmodel import select

from marketplace.problems.models import Problem, ProblemState
from tests.helpers import csrf_token, login, post_form


def test_wizard_walks_through_the_steps_and_saves_a_draft_each_time(client, factory, db_session):
    owner = factory.user(factory.sme(region="daegu", industry="C13"))
    login(client, owner)
    response = post_form(client, "/problems/new", {"template": ""})
    problem_id = int(re.search(r"/problems/(\d+)/edit/1", response.headers["Location"]).group(1))
    base = f"/problems/{problem_id}/edit"

    r = post_form(client, f"{base}/1", {"title": "염색 재작업률 줄이기", "description": "폴리에스터 원단 염색에서 색차 불량으로 "
              "재작업이 월 40건 발생합니다. 레시피를 데이터로 최적화하고 싶습니다.", "process": "염색 공정",
              "industry": "C13", "problem_types": ["process_optimization"], "keywords": "불량 검사, 뭔지모를말"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"{base}/2")
    step2 = client.get(f"{base}/2").get_data(as_text=True)
    assert "비전 검사" in step2 or "외관" in step2 or "불량" in step2  # the keyword was mapped and reported

    r = post_form(client, f"{base}/2", {"kpis-0-name": "재작업률", "kpis-0-unit": "%", "kpis-0-baseline": "8.5",
                                        "kpis-0-target": "3", "kpis-0-direction": "lower"})
    assert r.status_code == 302
    r = post_form(client, f"{base}/3", {"data_assets-0-kind": "염색 배합 기록", "data_assets-0-volume": "1.2만 배치",
                                        "data_assets-0-period_months": "24", "systems": ["mes", "spreadsheet"],
                                        "other_systems": "분광측색기"})
    assert r.status_code == 302
    r = post_form(client, f"{base}/4", {"budget_min_krw": "50000000", "budget_max_krw": "120000000",
                                        "wanted_by": "2099-01-01"})
    assert r.status_code == 422
    assert "3년 이내" in r.get_data(as_text=True)
    r = post_form(client, f"{base}/4", {"budget_min_krw": "50000000", "budget_max_krw": "120000000"})
    assert r.status_code == 302
    weights = {"quality": "40", "throughput": "5", "cost": "20", "delivery_speed": "10", "explainability": "15",
               "data_privacy": "5", "maintenance": "5"}
    r = post_form(client, f"{base}/5", {**weights, "quality": "45"})
    assert r.status_code == 422
    assert "합이 100이 되어야 합니다" in r.get_data(as_text=True) and "105" in r.get_data(as_text=True)
    assert post_form(client, f"{base}/5", weights).status_code == 302
    assert post_form(client, f"{base}/6", {"visibility": "anonymous"}).status_code == 302

    db_session.expire_all()
    problem = db_session.get(Problem, problem_id)
    assert problem.title == "염색 재작업률 줄이기" and problem.weights["quality"] == 40
    assert "visual_inspection" in problem.problem_types and "process_optimization" in problem.problem_types
    assert problem.systems == ["mes", "spreadsheet", "분광측색기"] and problem.visibility == "anonymous"
    review = client.get(f"{base}/7").get_data(as_text=True)
    assert "희망 납기일" in review  # publishing still needs the delivery date
    assert problem.state == ProblemState.DRAFT


def test_html_in_problem_text_is_shown_escaped(client, factory):
    owner = factory.user(factory.sme())
    problem = factory.problem(owner, title="<script>alert('x')</script> 불량", state="enquiries")
    html = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_vendor_asks_owner_answers_and_another_vendor_reads_it_without_the_asker(app, client, factory):
    problem = factory.problem(state="enquiries")
    asker = factory.user(factory.vendor(), name="질문자비밀")
    login(client, asker)
    post_form(client, f"/problems/{problem.id}/questions", {"body": "라벨링된 불량 이미지가 몇 장 있나요?"},
              page=f"/problems/{problem.id}")
    owner_client = app.test_client()
    from marketplace.accounts.models import User
    from marketplace.extensions import db
    with app.app_context():
        owner = db.session.get(User, problem.created_by_id)
    login(owner_client, owner)
    page = owner_client.get(f"/problems/{problem.id}").get_data(as_text=True)
    question_id = re.search(r"/questions/(\d+)/answer", page).group(1)
    post_form(owner_client, f"/questions/{question_id}/answer", {"answer": "약 3천 장입니다."},
              page=f"/problems/{problem.id}")
    other = app.test_client()
    login(other, factory.user(factory.vendor()))
    html = other.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "라벨링된 불량 이미지가 몇 장 있나요?" in html and "약 3천 장입니다." in html
    assert asker.name not in html and "your question" not in html and "내 질문" not in html


def test_drafts_and_invited_only_problems_are_404_for_others(client, factory):
    draft = factory.problem()
    invited = factory.problem(state="enquiries", visibility="invited")
    login(client, factory.user(factory.vendor()))
    assert client.get(f"/problems/{draft.id}").status_code == 404
    assert client.get(f"/problems/{invited.id}").status_code == 404
    assert client.get(f"/problems/{draft.id}/edit/1").status_code == 404


def test_discovery_page_ranks_offerings_and_invites(client, factory, db_session):
    problem = factory.problem(state="enquiries")
    offering = factory.offering()
    from marketplace.accounts.models import User
    login(client, db_session.get(User, problem.created_by_id))
    page = client.get(f"/problems/{problem.id}/discover").get_data(as_text=True)
    assert offering.title in page and 'data-testid="reasons"' in page
    response = post_form(client, f"/problems/{problem.id}/invitations", {"vendor_id": offering.organisation_id},
                         page=f"/problems/{problem.id}/discover", follow_redirects=True)
    assert "입찰에 초대했습니다" in response.get_data(as_text=True)


def test_opportunities_are_for_vendors(client, factory):
    login(client, factory.user(factory.sme()))
    assert client.get("/opportunities").status_code == 403


def test_publish_from_the_review_step(client, factory, db_session):
    problem = factory.problem()
    from marketplace.accounts.models import User
    login(client, db_session.get(User, problem.created_by_id))
    response = client.post(f"/problems/{problem.id}/publish",
                           data={"csrf_token": csrf_token(client, f"/problems/{problem.id}/edit/7")})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.exec(select(Problem.state).where(Problem.id == problem.id)).one() == ProblemState.ENQUIRIES


def _owner_client(client, factory, db_session, **problem):
    from marketplace.accounts.models import User
    created = factory.problem(**problem)
    login(client, db_session.get(User, created.created_by_id))
    return created, f"/problems/{created.id}/edit"


def _error(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}">([^<]*)<', html)
    assert match, f"no {testid} on the page"
    return match.group(1)


def test_a_kpi_error_lands_on_its_own_row_and_nothing_is_saved(client, factory, db_session):
    problem, base = _owner_client(client, factory, db_session)
    # the first row left blank: the refused KPI is the form's second row, and its error is there
    blank = {f"kpis-0-{k}": "" for k in ("name", "unit", "baseline", "target")}
    r = post_form(client, f"{base}/2", {**blank, "kpis-0-direction": "lower", "kpis-1-name": "불량률", "kpis-1-unit": "%", "kpis-1-baseline": "1.0",
                                        "kpis-1-target": "3.2", "kpis-1-direction": "lower",
                                        "kpis-2-name": "", "kpis-2-baseline": "5"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert _error(html, "error-kpis-1-target") == "낮을수록 좋은 KPI는 목표값이 현재값보다 낮아야 합니다."
    assert _error(html, "error-kpis-2-name") == "필수 항목입니다."
    assert 'data-testid="error-kpis-0-target"' not in html
    db_session.expire_all()
    from marketplace.problems.services import list_kpis
    assert [k.name for k in list_kpis(db_session, db_session.get(Problem, problem.id))] == ["당일 폐기율"]


def test_weight_errors_sit_next_to_the_weights(client, factory, db_session):
    _problem, base = _owner_client(client, factory, db_session)
    weights = {"quality": "40", "throughput": "5", "cost": "20", "delivery_speed": "10", "explainability": "15",
               "data_privacy": "5", "maintenance": "5"}
    html = post_form(client, f"{base}/5", {**weights, "cost": "25"}).get_data(as_text=True)
    assert _error(html, "error-weights") == "가중치의 합이 100이 되어야 합니다. 지금은 105입니다."
    assert 'data-testid="form-error"' not in html  # next to the total, not above the form
    html = post_form(client, f"{base}/5", {**weights, "quality": "140", "cost": "-20"}).get_data(as_text=True)
    assert _error(html, "error-quality") == _error(html, "error-cost") == "0부터 100 사이의 정수를 입력하세요."


def test_the_weights_page_takes_the_rule_from_the_server(client, factory, db_session):
    from domain.criteria import WEIGHT_MAX, WEIGHT_MIN, WEIGHTS_TOTAL
    _problem, base = _owner_client(client, factory, db_session)
    html = client.get(f"{base}/5").get_data(as_text=True)
    assert f'data-weights-total="{WEIGHTS_TOTAL}"' in html
    assert html.count(f'min="{WEIGHT_MIN}" max="{WEIGHT_MAX}"') == 7
    script = (Path(__file__).resolve().parents[3] / "marketplace/static/js/weights.js").read_text()
    assert "100" not in script  # the total comes from the page, not from a copy of the rule


def test_constraints_read_amounts_with_separators_and_keep_the_budget_in_order(client, factory, db_session):
    problem, base = _owner_client(client, factory, db_session)
    r = post_form(client, f"{base}/4", {"budget_min_krw": "50,000,000", "budget_max_krw": "10,000,000"})
    assert r.status_code == 422
    assert _error(r.get_data(as_text=True), "error-budget_max_krw") == "최대 예산은 최소 예산보다 작을 수 없습니다."
    r = post_form(client, f"{base}/4", {"budget_min_krw": "50,000,000", "budget_max_krw": "120,000,000",
                                        "wanted_by": "2020-02-30"})
    assert _error(r.get_data(as_text=True), "error-wanted_by") == "날짜를 YYYY-MM-DD 형식으로 입력하세요."
    r = post_form(client, f"{base}/4", {"budget_min_krw": "50,000,000", "budget_max_krw": "120,000,000"})
    assert r.status_code == 302
    db_session.expire_all()
    saved = db_session.get(Problem, problem.id)
    assert (saved.budget_min_krw, saved.budget_max_krw, saved.wanted_by) == (50_000_000, 120_000_000, None)


def test_a_step_with_a_required_choice_says_so_next_to_it(client, factory, db_session):
    _problem, base = _owner_client(client, factory, db_session)
    html = post_form(client, f"{base}/6", {}).get_data(as_text=True)
    assert _error(html, "error-visibility") == "필수 항목입니다."
    r = post_form(client, f"{base}/1", {"title": "   ", "industry": "Z99"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert _error(html, "error-title") == "너무 짧습니다: 최소 5."
    assert _error(html, "error-industry") == "목록에서 업종(한국표준산업분류 중분류)을 선택하세요."


def test_the_wizard_asks_how_many_years_of_cost_to_compare_and_whether_the_opening_names_bidders(
        client, factory, db_session):
    owner = factory.user(factory.sme())
    problem = factory.problem(owner)
    login(client, owner)
    base = f"/problems/{problem.id}/edit"
    weights = {"quality": "40", "throughput": "5", "cost": "20", "delivery_speed": "10", "explainability": "15",
               "data_privacy": "5", "maintenance": "5"}
    page = client.get(f"{base}/5").get_data(as_text=True)
    assert 'name="tco_horizon_years"' in page and "유지비" in page
    refused = post_form(client, f"{base}/5", {**weights, "tco_horizon_years": "15"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'data-testid="error-tco_horizon_years"' in html and 'value="15"' in html
    assert post_form(client, f"{base}/5", {**weights, "tco_horizon_years": "5"}).status_code == 302
    assert post_form(client, f"{base}/6", {"visibility": "public", "opening_shows_names": "y"}).status_code == 302
    db_session.expire_all()
    stored = db_session.get(Problem, problem.id)
    assert stored.tco_horizon_years == 5 and stored.opening_shows_names is True
    assert 'value="5"' in client.get(f"{base}/5").get_data(as_text=True)
    assert post_form(client, f"{base}/6", {"visibility": "public"}).status_code == 302   # unticked: off again
    db_session.expire_all()
    assert db_session.get(Problem, problem.id).opening_shows_names is False
