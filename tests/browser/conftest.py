"""Browser tests: Playwright drives Debian's Chromium against the app served in a thread.

The live server has its own migrated SQLite database (its requests commit for real); tests use
fresh, unique data so they do not depend on each other.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.migrate import upgrade
from tests.conftest import app_settings

CHROMIUM = os.environ.get("AXBRIDGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'live.sqlite3'}"
    upgrade(url)
    app = create_app(app_settings(url, folder, SERVER_NAME=None))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.base_url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def live_factory(live_server):
    """Factories writing (and committing) to the live server's database."""
    from marketplace.database import session_scope
    from tests.factories import Factory

    with live_server.app.app_context(), session_scope(live_server.app) as session:
        yield Factory(session)


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()
    page.get_by_text("로그인되었습니다.").wait_for()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs the chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.base_url, locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
