"""Test-client helpers: forms with their CSRF token, logging in, API tokens."""

from __future__ import annotations

import re

from tests.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(client, page: str = "/login") -> str:
    html = client.get(page).get_data(as_text=True)
    match = CSRF.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post_form(client, url: str, data: dict, *, page: str | None = None, **kwargs):
    """Post a form the way a browser does: with the CSRF token the page handed out."""
    token = csrf_token(client, page or url)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def login(client, user, password: str = PASSWORD):
    response = post_form(client, "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def api_token(client, user, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": password})
    assert response.status_code == 201, response.json
    return response.json["token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
