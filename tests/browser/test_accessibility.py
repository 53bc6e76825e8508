"""Accessibility: axe-core (shipped by axe-playwright-python) finds no WCAG 2.1 A/AA violation on the main pages,
in Korean and in English, for a visitor, an SME and a vendor."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in
from tests.factories import PASSWORD

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}


def violations(page, url: str) -> list[str]:
    page.goto(url)
    results = Axe().run(page, options=WCAG)
    found = []
    for v in results.response["violations"]:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"]][:3]
        found.append(f"{url}: {v['id']} ({v['impact']}) {targets} {v['nodes'][0].get('failureSummary', '')[:200]}")
    return found


@pytest.fixture
def world(live_factory):
    f = live_factory
    sme = f.user(f.sme(), locale="ko")
    problem = f.problem(sme, state="bidding", systems=["pos", "spreadsheet"])
    draft = f.problem(sme)
    vendor = f.user(f.vendor(), locale="ko")
    # no offering of its own: the live server's database is shared, and discovery tests count the offerings
    f.bid(problem, vendor)
    f.session.commit()
    return {"sme": sme, "vendor": vendor, "problem": problem, "draft": draft}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_main_pages_have_no_wcag_a_or_aa_violation(page, live_factory, world, lang):
    found = []
    if lang == "en":
        page.goto("/")
        page.get_by_test_id("lang-switch").click()
    for url in ("/", "/login", "/signup", "/problems"):
        found += violations(page, url)
    for who, urls in (("sme", (f"/problems/{world['problem'].id}", f"/problems/{world['draft'].id}/edit/1",
                                f"/problems/{world['draft'].id}/edit/2", f"/problems/{world['draft'].id}/edit/3",
                                f"/problems/{world['draft'].id}/edit/5", f"/problems/{world['draft'].id}/edit/7",
                                f"/problems/{world['problem'].id}/discover", "/account", "/notifications")),
                      ("vendor", ("/opportunities", f"/problems/{world['problem'].id}/bid", "/offerings"))):
        user = world[who]
        user.locale = lang
        live_factory.session.add(user)
        live_factory.session.commit()
        page.context.clear_cookies()
        log_in(page, user.email, PASSWORD) if lang == "ko" else _log_in_en(page, user.email)
        for url in urls:
            found += violations(page, url)
    assert found == [], "\n".join(found)


def _log_in_en(page, email: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button").last.click()
    page.get_by_test_id("logout").wait_for()


def test_navigation_text_and_focus_rings_have_enough_contrast(page):
    """axe cannot measure text on a gradient: the navigation's text is solid white on stops whose contrast with
    white is 12.4:1 (#12355b) and 7.0:1 (#0b5e6d); a focused control gets a 3 px navy (12.4:1) ring."""
    page.goto("/")
    colours = page.eval_on_selector_all(".bg-ax .nav-link, .bg-ax .navbar-brand",
                                        "els => els.map(e => getComputedStyle(e).color)")
    assert colours and set(colours) == {"rgb(255, 255, 255)"}
    background = page.eval_on_selector(".bg-ax", "e => getComputedStyle(e).backgroundImage")
    assert "rgb(18, 53, 91)" in background and "rgb(11, 94, 109)" in background
    page.goto("/login")
    page.locator("input[name=email]").focus()
    ring = page.eval_on_selector("input[name=email]",
                                 "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth, "
                                 "getComputedStyle(e).outlineColor]")
    assert ring == ["solid", "3px", "rgb(18, 53, 91)"]


def test_enter_on_a_weight_slider_does_not_submit_the_wizard(page, world):
    log_in(page, world["sme"].email, PASSWORD)
    url = f"/problems/{world['draft'].id}/edit/5"
    page.goto(url)
    slider = page.locator("input[data-weight=quality]")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.url.endswith(url)
    assert page.locator("[data-total]").get_attribute("aria-live") == "polite"
