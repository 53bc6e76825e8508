"""The favicon and a title of its own on every page."""

from __future__ import annotations

import re

from tests.helpers import login


def test_the_favicon_is_linked_and_served(client):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<link rel="icon" type="image/svg\+xml" href="/static/favicon.svg">', page)
    for url in ("/favicon.ico", "/static/favicon.svg"):
        with client.get(url) as response:
            assert response.status_code == 200 and response.mimetype == "image/svg+xml"
            assert response.data.startswith(b"<svg")


def test_each_page_has_its_own_title(client, factory):
    titles = {}
    for url in ("/", "/login", "/signup", "/offerings", "/verify"):
        titles[url] = re.search(r"<title>(.*?)</title>", client.get(url, follow_redirects=True).get_data(as_text=True), re.S).group(1)
    sme = factory.user()
    problem = factory.problem(sme)
    login(client, sme)
    for url in ("/problems", f"/problems/{problem.id}", f"/problems/{problem.id}/edit/2", "/account", "/notifications"):
        titles[url] = re.search(r"<title>(.*?)</title>", client.get(url, follow_redirects=True).get_data(as_text=True), re.S).group(1)
    assert len(set(titles.values())) == len(set(titles)), titles
    assert len({t.rsplit("·", 1)[-1].strip() for t in titles.values()}) == 1  # each ends with the site name
