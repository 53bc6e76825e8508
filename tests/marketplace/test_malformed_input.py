"""Issue 13.8: malformed input gets a 4xx with a clear message on every JSON endpoint and page, never a 500:
deeply nested JSON, NUL characters (PostgreSQL cannot store them), ids and numbers beyond the database's range."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.accounts.models import User
from tests.helpers import api_token, bearer, login, post_form

DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 20_000 + "1" + "}" * 20_000


@pytest.mark.parametrize("path", ["/api/v1/tokens", "/api/v1/verify", "/api/v1/problems"])
@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_is_a_clear_4xx(client, factory, path, body):
    headers = bearer(api_token(client, factory.user())) if path == "/api/v1/problems" else {}
    response = client.post(path, data=body, content_type="application/json", headers=headers)
    assert response.status_code in (400, 422) and response.content_type == "application/problem+json"
    assert response.json["detail"]


def test_a_nul_character_is_refused_next_to_its_field(client, factory):
    token = api_token(client, factory.user())
    response = client.post("/api/v1/problems", json={"title": "빵 수량\u0000 예측하기"}, headers=bearer(token))
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["title"]
    assert "NUL" in response.json["errors"][0]["message"]


def test_page_forms_with_ids_beyond_the_integer_range_are_not_found(client, factory, db_session):
    problem = factory.problem(state="enquiries")
    owner = db_session.get(User, problem.created_by_id)
    login(client, owner)
    response = post_form(client, f"/problems/{problem.id}/invitations", {"vendor_id": "99999999999"},
                         page=f"/problems/{problem.id}")
    assert response.status_code == 404


def test_page_queries_beyond_range_still_answer(client, factory):
    login(client, factory.admin())
    assert client.get("/admin/audit?page=99999999999999999999").status_code == 200


PAGE_FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
nasty = st.one_of(st.text(max_size=40), st.sampled_from(["\x00", "a\x00b", "9" * 30, "-1", "1e999999999", "", " "]))


@PAGE_FUZZ
@given(body=nasty, vendor_id=nasty)
def test_fuzzed_page_forms_never_fail(app, factory, body, vendor_id):
    """The pages' forms, like the API (tests/marketplace/api/test_fuzz.py), answer anything with < 500."""
    client = app.test_client()
    owner = factory.user()
    problem = factory.problem(owner, state="enquiries")
    login(client, owner)
    for url, data in ((f"/problems/{problem.id}/invitations", {"vendor_id": vendor_id}),
                      (f"/problems/{problem.id}/questions", {"body": body}),
                      (f"/problems/{problem.id}/cancel", {"reason": body})):
        response = post_form(client, url, data, page=f"/problems/{problem.id}")
        assert response.status_code < 500, (url, data, response.status_code)
