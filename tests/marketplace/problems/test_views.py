import re

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
