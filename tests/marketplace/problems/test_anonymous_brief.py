"""Issue 13.4: an anonymous brief shows only coarse facts (the KSIC section, no region, no size) until its poster
reveals itself, so an outsider cannot single the poster out; the ranking engine still uses the exact values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching import taxonomy
from tests.helpers import api_token, bearer, login

DATA = Path(__file__).resolve().parents[3] / "seed" / "data"
ORGS = {o["key"]: o for o in json.loads((DATA / "organisations.json").read_text(encoding="utf-8"))}
ANONYMOUS = [p for p in json.loads((DATA / "problems.json").read_text(encoding="utf-8"))
             if p.get("visibility") == "anonymous"]
POSTERS = [o for o in ORGS.values() if o["kind"] in ("sme", "cooperative")]


def test_the_demo_world_has_anonymous_briefs():
    assert len(ANONYMOUS) >= 2


@pytest.mark.parametrize("brief", ANONYMOUS, ids=[p["key"] for p in ANONYMOUS])
def test_an_anonymous_demo_brief_reads_as_facts_shared_by_at_least_two_posters(brief, client, factory):
    demo = ORGS[brief["sme"]]
    poster = factory.user(factory.sme(name_ko=demo["name_ko"], name_en=demo["name_en"], brn=demo["brn"],
                                      industry=demo["industry"], region=demo["region"]))
    problem = factory.problem(poster, state="enquiries", visibility="anonymous", industry=brief["industry"])
    division = taxonomy.get_industry(brief["industry"])
    outsider = factory.user(factory.vendor())
    shown = client.get(f"/api/v1/problems/{problem.id}", headers=bearer(api_token(client, outsider))).json
    assert shown["organisation"] is None and shown["industry"] == division.section
    # every fact an outsider reads (the section letter; no region, no size) fits at least two demo posters
    alike = [o["key"] for o in POSTERS if o["industry"][:1] == shown["industry"]]
    assert len(alike) >= 2, alike
    login(client, outsider)
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert taxonomy.get_industry_section(division.section).label("ko") in page
    for text in (page, json.dumps(shown, ensure_ascii=False)):
        for secret in (demo["name_ko"], demo["name_en"], demo["brn"], demo["brn"].replace("-", ""),
                       division.code, division.label("ko"), division.label("en")):
            assert secret not in text, secret


def test_the_poster_and_everyone_after_the_reveal_see_the_exact_division(client, factory, db_session):
    poster = factory.user(factory.sme(industry="C13"))
    brief = factory.problem(poster, state="enquiries", visibility="anonymous", industry="C13")
    outsider = bearer(api_token(client, factory.user(factory.vendor())))
    assert client.get(f"/api/v1/problems/{brief.id}", headers=outsider).json["industry"] == "C"
    assert client.get(f"/api/v1/problems/{brief.id}",
                      headers=bearer(api_token(client, poster))).json["industry"] == "C13"
    brief.identity_revealed = True
    db_session.flush()
    assert client.get(f"/api/v1/problems/{brief.id}", headers=outsider).json["industry"] == "C13"


def test_opportunities_name_neither_the_hidden_posters_division_nor_region_and_filters_do_not_tell(client, factory):
    vendor = factory.vendor()
    factory.offering(vendor, industries=["C10"], regions_served=["daegu"])
    token = bearer(api_token(client, factory.user(vendor)))
    poster = factory.user(factory.sme(industry="C10", region="daegu"))
    hidden = factory.problem(poster, state="enquiries", visibility="anonymous", industry="C10")
    food, daegu = taxonomy.get_industry("C10"), taxonomy.get_region("daegu")
    items = client.get("/api/v1/opportunities", headers=token).json["items"]
    assert [i["problem_id"] for i in items] == [hidden.id]
    for reason in items[0]["reasons"]:
        for secret in (food.label("ko"), food.label("en"), daegu.label("ko"), daegu.label("en")):
            assert secret not in reason, reason
    # a division or region filter would otherwise single the brief out: it matches by section, regions do not apply
    for query in ("industry=C10", "industry=C13", "region=seoul", "region=daegu"):
        found = client.get(f"/api/v1/opportunities?{query}", headers=token).json["items"]
        assert [i["problem_id"] for i in found] == [hidden.id], query
    assert client.get("/api/v1/opportunities?industry=J62", headers=token).json["items"] == []
