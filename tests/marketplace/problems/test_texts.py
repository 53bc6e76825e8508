"""Texts that are right: errors next to their field in the page's language, with the values kept."""

from __future__ import annotations

import html
import re

from marketplace.problems.models import ProblemState
from tests.helpers import login, post_form
from tests.marketplace.bids.test_views import bidding, error, post  # noqa: F401 (fixture)


def test_a_too_large_price_is_told_it_is_too_large_not_that_it_must_be_above_zero(client, db_session, bidding):
    response, page = post(client, bidding, price_krw="99999999999999999999")
    assert response.status_code == 422
    assert error(page, "error-price_krw") == "가격이 너무 큽니다. 1,000억 원(100,000,000,000원) 이하로 입력하세요."
    assert 'value="99999999999999999999"' in page


def test_a_refused_deadline_stays_in_its_field_with_the_message_next_to_it(client, factory, db_session):
    sme = factory.user()
    problem = factory.problem(sme, state="enquiries")
    login(client, sme)
    response = post_form(client, f"/problems/{problem.id}/open-bidding", {"deadline": "2020-01-01T10:00"},
                         page=f"/problems/{problem.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error(page, "error-deadline") == "입찰 마감은 지금부터 최소 하루 뒤여야 합니다."
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*value="2020-01-01T10:00"', page) or \
        re.search(r'<input[^>]*value="2020-01-01T10:00"[^>]*aria-invalid="true"', page)
    assert 'aria-describedby="deadline-error"' in page
    db_session.refresh(problem)
    assert problem.state == ProblemState.ENQUIRIES
    empty = post_form(client, f"/problems/{problem.id}/open-bidding", {"deadline": ""},
                      page=f"/problems/{problem.id}")
    assert empty.status_code == 422
    assert error(empty.get_data(as_text=True), "error-deadline") == "입찰 마감을 날짜와 시각으로 입력하세요."
