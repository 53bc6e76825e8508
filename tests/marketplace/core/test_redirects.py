"""Issue 13.5: one checked helper for every ``next``; no open redirect, no 500 on CR/LF."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.core.redirects import is_local_path, safe_next
from tests.helpers import login, post_form

EVIL = ["//evil.example", "/\t/evil.example", "/%09/evil.example", "/\\evil.example", "https://evil.example/",
        "javascript:alert(1)", "/\r\nSet-Cookie: x=1", " /account", "http:/evil.example", "/\n/evil.example"]


@pytest.mark.parametrize("target", EVIL)
def test_foreign_or_malformed_targets_fall_back(target):
    if target == "/%09/evil.example":  # encoded: a harmless path on this site as far as the browser goes
        assert urlsplit(safe_next(target, "/")).netloc == ""
        return
    assert safe_next(target, "/home") == "/home"


@given(st.text(max_size=60))
def test_the_result_is_always_a_path_on_this_site(target):
    result = safe_next(target, "/")
    browser_view = "".join(ch for ch in result if ch not in "\t\r\n").replace("\\", "/")
    assert browser_view.startswith("/") and not browser_view.startswith("//")
    assert not any(ord(ch) < 0x20 for ch in result)
    assert urlsplit(browser_view).netloc == ""


def test_local_paths_are_kept():
    assert is_local_path("/problems/3?tab=bids#q")
    assert safe_next("/account", "/") == "/account"


def test_login_never_redirects_to_another_site(app, factory):
    user = factory.user()
    for target in ("/%09/evil.example", "//evil.example", "https://evil.example", "/%0d%0aX-Evil:%201"):
        client = app.test_client()
        response = post_form(client, f"/login?next={target}", {"email": user.email,
                                                                  "password": "correct-horse-battery"},
                             page="/login")
        assert response.status_code in (302, 303), (target, response.status_code)
        location = response.headers["Location"]
        assert urlsplit(location).netloc in ("", "localhost"), (target, location)
        assert not location.replace("\t", "").startswith("//"), (target, location)


def test_the_invitation_form_does_not_redirect_elsewhere(client, factory, db_session):
    problem = factory.problem(state="enquiries")
    from marketplace.accounts.models import User

    owner = db_session.get(User, problem.created_by_id)
    vendor = factory.vendor()
    login(client, owner)
    response = post_form(client, f"/problems/{problem.id}/invitations",
                         {"vendor_id": vendor.id, "next": "https://evil.example/phish"}, page=f"/problems/{problem.id}")
    assert response.status_code in (302, 303)
    assert urlsplit(response.headers["Location"]).netloc in ("", "localhost")


def test_language_switch_with_a_line_break_in_next_is_not_a_500(client):
    response = post_form(client, "/language", {"lang": "en", "next": "/account\r\nX-Evil: 1"}, page="/login")
    assert response.status_code in (302, 303) and "X-Evil" not in response.headers
