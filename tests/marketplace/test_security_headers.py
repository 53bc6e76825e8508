"""Headers every answer carries, cookies' flags, and no inline script anywhere."""

import re

from marketplace import create_app
from tests.conftest import app_settings
from tests.helpers import login, post_form

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)


def test_content_security_policy_and_friends(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # only in production (HTTPS)


def test_hsts_and_secure_cookies_in_production(database_url, tmp_path, engine):
    app = create_app(app_settings(database_url, tmp_path, ENV="production", TESTING=False,
                                  SECRET_KEY="p" * 48))
    response = app.test_client().get("/healthz")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    app.extensions["axbridge_db"].engine.dispose()


def test_signed_in_pages_and_the_api_are_not_cached(client, factory):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(client, factory.user())
    assert client.get("/account").headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/me").headers["Cache-Control"] == "no-store"


def test_no_page_carries_inline_script(client, factory, db_session):
    problem = factory.problem(state="bidding")
    factory.offering()
    from marketplace.accounts.models import User
    login(client, db_session.get(User, problem.created_by_id))
    pages = ["/", "/login", "/signup", "/account", "/account/security", "/problems", "/problems/new",
             f"/problems/{problem.id}", f"/problems/{problem.id}/discover", f"/problems/{problem.id}/edit/5",
             "/offerings", "/programs", "/notifications", "/api/v1/docs", "/no-such-page"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert not INLINE_SCRIPT.search(html), path
        assert " style=\"" not in html, path
        assert " onclick=" not in html.lower(), path


def test_logging_out_is_a_post_with_csrf(client, factory):
    login(client, factory.user())
    assert client.get("/logout").status_code == 405
    assert post_form(client, "/logout", {}, page="/account").status_code == 302
