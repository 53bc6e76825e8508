"""Issue 13.11: list and revoke your API tokens (a lost one too); a cookie session's writes need CSRF whatever
other header they carry."""

from __future__ import annotations

from tests.helpers import api_token, bearer, login, post_form


def test_a_junk_bearer_header_does_not_skip_csrf_for_a_cookie_session(client, factory):
    user = factory.user()
    login(client, user)
    response = client.post("/api/v1/problems", json={"title": "CSRF 없이 만든 과제"},
                           headers={"Authorization": "Bearer junk"})
    assert response.status_code == 400
    assert client.get("/api/v1/problems?scope=mine").json["total"] == 0


def test_list_your_tokens_and_revoke_a_lost_one_by_its_id(app, factory):
    user = factory.user()
    api = app.test_client()
    lost, kept = api_token(api, user), api_token(api, user)
    other = api_token(api, factory.user())
    listed = api.get("/api/v1/tokens", headers=bearer(kept)).json
    assert listed["total"] == 2 and [t["current"] for t in listed["items"]] == [True, False]
    assert "token" not in listed["items"][0] and "token_hash" not in listed["items"][0]
    lost_id = listed["items"][1]["id"]
    other_id = api.get("/api/v1/tokens", headers=bearer(other)).json["items"][0]["id"]
    assert api.delete(f"/api/v1/tokens/{other_id}", headers=bearer(kept)).status_code == 404
    assert api.delete(f"/api/v1/tokens/{lost_id}", headers=bearer(kept)).status_code == 204
    assert api.get("/api/v1/me", headers=bearer(lost)).status_code == 401
    assert api.get("/api/v1/me", headers=bearer(kept)).status_code == 200
    assert api.get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_the_account_page_lists_and_revokes_tokens(app, client, factory):
    user = factory.user()
    token = api_token(app.test_client(), user)
    login(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert 'data-testid="tokens"' in page
    token_id = app.test_client().get("/api/v1/tokens", headers=bearer(token)).json["items"][0]["id"]
    response = post_form(client, f"/account/tokens/{token_id}/revoke", {}, page="/account")
    assert response.status_code == 302
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert 'data-testid="no-tokens"' in client.get("/account").get_data(as_text=True)
