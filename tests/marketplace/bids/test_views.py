"""The bid page: the form goes through the same contract as the API, and each message sits next to its input."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from marketplace.bids.models import Bid, BidState
from marketplace.problems import services as problems
from tests.helpers import login, post_form


def error(page: str, testid: str) -> str | None:
    match = re.search(rf'data-testid="{re.escape(testid)}">([^<]*)<', page)
    return html.unescape(match.group(1)) if match else None


@pytest.fixture
def bidding(client, factory, db_session):
    """A problem open for bids, a signed-in vendor, and a complete form as a browser would post it."""
    problem = factory.problem(state="bidding")
    kpi = problems.list_kpis(db_session, problem)[0]
    vendor = factory.vendor()
    user = factory.user(vendor)
    login(client, user)
    form = {
        "price_krw": "30000000", "duration_weeks": "10", "offering_id": "",
        "approach": "POS 판매 기록과 날씨로 품목별 수요를 예측해 매일 생산 수량을 안내합니다.", "team": "",
        "milestones-0-name": "데이터 연동", "milestones-0-deliverable": "", "milestones-0-week": "3",
        "milestones-0-payment_percent": "40",
        "milestones-1-name": "운영 전환", "milestones-1-deliverable": "", "milestones-1-week": "10",
        "milestones-1-payment_percent": "60",
        "maintenance_yearly_krw": "", "maintenance_years": "", "service_level": "",
        f"kpi-{kpi.id}": "6.5", "action": "submit",
    }
    return {"problem": problem, "kpi": kpi, "vendor": vendor, "url": f"/problems/{problem.id}/bid", "form": form}


def post(client, bidding, **changes):
    response = post_form(client, bidding["url"], {**bidding["form"], **changes})
    return response, response.get_data(as_text=True)


def bids_of(db_session, bidding) -> list[Bid]:
    return db_session.exec(select(Bid).where(Bid.problem_id == bidding["problem"].id)).all()


def test_a_complete_bid_is_submitted_from_the_page(client, db_session, bidding):
    response, _page = post(client, bidding)
    assert response.status_code == 302
    [bid] = bids_of(db_session, bidding)
    assert bid.state == BidState.SUBMITTED and bid.price_krw == 30_000_000
    assert [(m["name"], m["week"], m["payment_percent"]) for m in bid.milestones] == [("데이터 연동", 3, 40),
                                                                                     ("운영 전환", 10, 60)]
    assert [(c.kpi_id, str(c.value)) for c in bid.kpi_commitments] == [(bidding["kpi"].id, "6.5")]
    assert bid.maintenance_years == 0 and bid.maintenance_yearly_krw == 0  # left empty: none offered
    page = client.get(bidding["url"]).get_data(as_text=True)
    assert 'value="6.5"' in page  # the commitment as it was written


@pytest.mark.parametrize("changes,testid,message", [
    ({"price_krw": "0"}, "error-price_krw", "0원보다 큰 가격을 원 단위 정수로 입력하세요."),
    ({"price_krw": "삼천만"}, "error-price_krw", "0원보다 큰 가격을 원 단위 정수로 입력하세요."),
    ({"duration_weeks": "300"}, "error-duration_weeks", "수행 기간을 주 단위로 입력하세요 (1–260)."),
    ({"maintenance_years": "11"}, "error-maintenance_years", "유지보수 기간은 0년에서 10년 사이로 입력하세요."),
    ({"milestones-1-week": "0"}, "error-milestones-1-week", "주차를 입력하세요 (1–260)."),
    ({"milestones-1-name": ""}, "error-milestones-1-name", "마일스톤 이름을 입력하세요."),
    ({"milestones-1-payment_percent": "50"}, "error-milestones",
     "마일스톤 지급 비율의 합이 100%가 되어야 합니다. 지금은 90%입니다."),
    ({"milestones-1-week": "2"}, "error-milestones", "마일스톤은 주차 순서대로 적어 주세요."),
    ({"approach": "짧은 설명"}, "error-approach", "수행 방법을 20자 이상 설명해 주세요."),
])
def test_bad_input_gets_its_message_next_to_the_input_and_nothing_is_saved(client, db_session, bidding, changes,
                                                                              testid, message):
    response, page = post(client, bidding, **changes)
    assert response.status_code == 422
    assert error(page, testid) == message
    assert bids_of(db_session, bidding) == []


def test_a_kpi_commitment_that_is_no_number_is_marked_at_its_kpi(client, db_session, bidding):
    kpi = bidding["kpi"]
    response, page = post(client, bidding, **{f"kpi-{kpi.id}": "절반"})
    assert response.status_code == 422
    assert error(page, f"error-kpi-{kpi.id}") == "숫자를 입력하세요."
    assert 'value="절반"' in page  # what was typed stays in the input
    response, page = post(client, bidding, **{f"kpi-{kpi.id}": ""})
    assert error(page, f"error-kpi-{kpi.id}") == f"‘{kpi.name}’에 대한 약속값을 입력하세요."
    assert bids_of(db_session, bidding) == []


def test_a_milestone_error_names_the_row_it_was_typed_in(client, db_session, bidding):
    """An empty first row is left out, yet the error of the third row shows at the third row."""
    rows = {"milestones-0-name": "", "milestones-0-week": "", "milestones-0-payment_percent": "",
            "milestones-2-name": "검수", "milestones-2-deliverable": "", "milestones-2-week": "999",
            "milestones-2-payment_percent": "40"}
    response, page = post(client, bidding, **rows)
    assert response.status_code == 422
    assert error(page, "error-milestones-2-week") == "주차를 입력하세요 (1–260)."
    assert error(page, "error-milestones-1-week") is None


def test_an_offering_of_another_vendor_is_refused(client, factory, db_session, bidding):
    foreign = factory.offering(factory.vendor())
    response, page = post(client, bidding, offering_id=str(foreign.id))
    assert response.status_code == 422
    assert error(page, "error-offering_id") == "귀사의 솔루션 중에서 선택하세요."
    assert bids_of(db_session, bidding) == []


def test_a_draft_may_be_incomplete_and_is_completed_later(client, db_session, bidding):
    response, _page = post(client, bidding, action="save", price_krw="", approach="",
                           **{"milestones-1-payment_percent": "30"})
    assert response.status_code == 302
    [bid] = bids_of(db_session, bidding)
    assert bid.state == BidState.DRAFT and bid.price_krw is None
    response, page = post(client, bidding, price_krw="", **{"milestones-1-payment_percent": "30"})
    assert response.status_code == 422  # submitting needs a price and payments of 100%
    assert error(page, "error-price_krw") == "0원보다 큰 가격을 원 단위 정수로 입력하세요."
    assert error(page, "error-milestones") == "마일스톤 지급 비율의 합이 100%가 되어야 합니다. 지금은 70%입니다."
    db_session.refresh(bid)
    assert bid.state == BidState.DRAFT
    response, _page = post(client, bidding)
    db_session.refresh(bid)
    assert response.status_code == 302 and bid.state == BidState.SUBMITTED


def test_messages_are_in_the_vendors_language(app, factory, db_session, bidding):
    client = app.test_client()
    login(client, factory.user(bidding["vendor"], locale="en"))
    _response, page = post(client, bidding, price_krw="0")
    assert error(page, "error-price_krw") == "Enter a price above zero in whole won."
    _response, page = post(client, bidding, **{"milestones-1-payment_percent": "50"})
    assert error(page, "error-milestones") == "Milestone payments must add up to 100%; now they add up to 90%."
