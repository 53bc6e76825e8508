"""My work: 내 입찰, 내 계약 and the SME home, on pages and in the API, with the next step."""

from datetime import timedelta

from marketplace.core.types import travel
from marketplace.problems import services as problems
from tests.helpers import api_token, bearer, login


def test_a_vendor_sees_every_bid_with_its_state_and_deadline(client, factory, db_session):
    vendor_user = factory.user(factory.vendor())
    open_problem = factory.problem(state="bidding", title="내일 구울 빵 수량 예측")
    other = factory.problem(state="bidding", title="염색 레시피 최적화")
    factory.bid(open_problem, vendor_user)
    factory.bid(other, vendor_user, submit=False)
    factory.bid(factory.problem(state="bidding", title="다른 회사의 과제"))   # another vendor's bid
    login(client, vendor_user)
    html = client.get("/my/bids").get_data(as_text=True)
    assert "내일 구울 빵 수량 예측" in html and "염색 레시피 최적화" in html and "다른 회사의 과제" not in html
    assert "제출됨" in html or "Submitted" in html
    assert "입찰 마감" in html
    assert "submit_bid" not in html and "revise_or_wait" not in html   # codes never reach the page


def test_my_bids_api_is_paginated_with_next_steps(client, factory, db_session):
    vendor_user = factory.user(factory.vendor())
    for n in range(3):
        factory.bid(factory.problem(state="bidding", title=f"공정 과제 번호 {n}"), vendor_user)
    token = api_token(client, vendor_user)
    page = client.get("/api/v1/bids?scope=mine&per_page=2", headers=bearer(token)).json
    assert page["total"] == 3 and len(page["items"]) == 2 and page["page"] == 1
    assert {i["next_step"] for i in page["items"]} == {"revise_or_wait"}
    assert all(i["bid_deadline"] for i in page["items"])
    second = client.get("/api/v1/bids?scope=mine&per_page=2&page=2", headers=bearer(token)).json
    assert len(second["items"]) == 1
    sme_token = api_token(client, factory.user())
    assert client.get("/api/v1/bids?scope=mine", headers=bearer(sme_token)).status_code == 403


def test_an_edit_asks_the_vendor_to_confirm_again(client, factory, db_session):
    vendor_user = factory.user(factory.vendor())
    problem = factory.problem(state="bidding")
    factory.bid(problem, vendor_user)
    owner = db_session.get(type(vendor_user), problem.created_by_id)
    from marketplace.problems.schemas import ProblemUpdate
    problems.update_problem(db_session, user=owner, problem=problem,
                            changes=ProblemUpdate(on_premises_required=True))
    db_session.commit()
    token = api_token(client, vendor_user)
    items = client.get("/api/v1/bids?scope=mine", headers=bearer(token)).json["items"]
    assert items[0]["state"] == "invalidated" and items[0]["next_step"] == "confirm_bid"


def test_after_the_award_both_parties_find_the_agreement_with_the_next_step(client, kit, fast_pdf, db_session):
    agreement, owner, vendor_user = kit.agreement()
    token = api_token(client, vendor_user)
    bids = client.get("/api/v1/bids?scope=mine", headers=bearer(token)).json["items"]
    assert bids[0]["state"] == "awarded" and bids[0]["agreement_id"] == agreement.id
    assert bids[0]["next_step"] == "open_agreement"
    mine = client.get("/api/v1/agreements?scope=mine", headers=bearer(token)).json
    assert mine["total"] == 1 and mine["items"][0]["role"] == "vendor"
    assert mine["items"][0]["next_step"] == "sign_agreement"
    kit.sign(agreement, owner)
    sme = client.get("/api/v1/agreements?scope=mine", headers=bearer(api_token(client, owner))).json["items"][0]
    assert sme["role"] == "client" and sme["next_step"] == "wait_for_signatures"
    login(client, vendor_user)
    html = client.get("/my/agreements").get_data(as_text=True)
    assert agreement.reference in html and "계약서에 서명하기" in html


def test_the_sme_home_lists_each_problem_with_its_next_action(client, factory, db_session):
    owner = factory.user()
    factory.problem(owner, title="초안 상태의 과제", description="")
    published = factory.problem(owner, state="enquiries", title="공개된 과제")
    problems.ask_question(db_session, user=factory.user(factory.vendor()), problem=published,
                          body="POS 데이터는 어떤 형식으로 제공되나요?")
    db_session.commit()
    token = api_token(client, owner)
    login(client, owner)
    html = client.get("/").get_data(as_text=True)
    assert "초안 상태의 과제" in html and "공개된 과제" in html
    assert "초안 완성하기" in html and "공급기업의 질문에 답하기" in html
    api = client.get("/api/v1/problems?scope=mine", headers=bearer(token)).json
    steps = {i["title"]: i["next_step"] for i in api["items"]}
    assert steps == {"초안 상태의 과제": "complete_draft", "공개된 과제": "answer_questions"}


def test_the_home_page_of_a_visitor_is_unchanged(client):
    assert "AX Bridge" in client.get("/").get_data(as_text=True)


def test_after_the_deadline_a_submitted_bid_waits_for_the_decision(client, factory, db_session):
    vendor_user = factory.user(factory.vendor())
    factory.bid(factory.problem(state="bidding"), vendor_user)
    token = api_token(client, vendor_user)
    with travel(timedelta(days=8)):
        item = client.get("/api/v1/bids?scope=mine", headers=bearer(token)).json["items"][0]
    assert item["next_step"] == "wait_for_decision"
