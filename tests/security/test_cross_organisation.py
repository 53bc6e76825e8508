"""Users of another organisation get 404/403 on reading, changing and deleting what is not theirs,
and the database is unchanged afterwards."""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from tests.helpers import bearer

TABLES = ("problem", "problem_kpi", "bid", "agreement", "agreement_version", "agreement_signature",
          "agreement_milestone", "recommendation", "notification",
          "api_token", "program_application", "subsidy", "question", "offering")


def snapshot(db_session) -> str:
    """A digest of every row of the tables that matter: any change shows."""
    digest = hashlib.sha256()
    for table in TABLES:
        rows = db_session.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
        digest.update(f"{table}:{rows!r}".encode())
    return digest.hexdigest()


#: What an outsider gets: 404 for what it must not learn exists (problems, bids, agreements, subsidies),
#: 403 for what is public but not its own (a program: anyone can read it, only its officers act on it).
HIDDEN, NOT_YOURS = 404, 403


def test_other_organisations_cannot_read_or_change_anything(client, world, tokens, db_session):
    db_session.expire_all()
    before = snapshot(db_session)
    w = world
    attempts = [
        # draft problems
        ("get", f"/api/v1/problems/{w.draft.id}", None, HIDDEN),
        ("patch", f"/api/v1/problems/{w.draft.id}", {"title": "남의 초안을 바꾸려는 시도"}, HIDDEN),
        ("post", f"/api/v1/problems/{w.draft.id}/publish", None, HIDDEN),
        ("post", f"/api/v1/problems/{w.draft.id}/cancel", {"reason": "남이 취소"}, HIDDEN),
        ("get", f"/api/v1/problems/{w.draft.id}/matches", None, HIDDEN),
        # bids (sealed) and the evaluation
        ("get", f"/api/v1/bids/{w.bid.id}", None, HIDDEN),
        ("patch", f"/api/v1/bids/{w.bid.id}", {"price_krw": 1}, HIDDEN),
        ("post", f"/api/v1/bids/{w.bid.id}/withdraw", None, HIDDEN),
        ("post", f"/api/v1/bids/{w.bid.id}/award", None, HIDDEN),
        ("get", f"/api/v1/problems/{w.bidding.id}/evaluation", None, HIDDEN),
        # agreements and their PDFs
        ("get", f"/api/v1/agreements/{w.agreement.id}", None, HIDDEN),
        ("get", f"/api/v1/agreements/{w.agreement.id}/pdf?lang=ko", None, HIDDEN),
        ("post", f"/api/v1/agreements/{w.agreement.id}/sign", {"password": "anything-at-all"}, HIDDEN),
        ("post", f"/api/v1/agreements/{w.agreement.id}/versions", {"warranty_months": 1}, HIDDEN),
        ("get", f"/api/v1/problems/{w.agreement.problem_id}/agreement", None, HIDDEN),
        # program applications and subsidies
        ("post", f"/api/v1/subsidies/{w.subsidy.id}/approve", None, HIDDEN),
        ("post", f"/api/v1/subsidies/{w.subsidy.id}/reject", {"reason": "남의 기관"}, HIDDEN),
        ("post", f"/api/v1/programs/{w.program.id}/recommendations",
         {"problem_id": w.application_problem.id, "vendor_ids": [w.other_vendor.organisation_id]}, NOT_YOURS),
    ]
    outsiders = ("other_sme", "other_vendor", "other_officer")
    leaks = []
    for who in outsiders:
        for method, path, body, expected in attempts:
            response = getattr(client, method)(path, json=body, headers=bearer(tokens[who]))
            if response.status_code != expected:
                leaks.append(f"{who} {method.upper()} {path} -> {response.status_code}, not {expected}")
            assert "33000000" not in response.get_data(as_text=True), (who, path)
    assert not leaks, leaks
    db_session.expire_all()
    assert snapshot(db_session) == before


def test_notifications_and_tokens_are_personal(client, world, tokens, db_session):
    mine = client.get("/api/v1/notifications", headers=bearer(tokens["vendor"])).json["items"]
    assert mine, "the awarded vendor has notifications"
    theirs = client.get("/api/v1/notifications", headers=bearer(tokens["other_vendor"])).json["items"]
    assert {n["id"] for n in theirs}.isdisjoint({n["id"] for n in mine})
    # revoking "the current token" only ever revokes the caller's own
    assert client.delete("/api/v1/tokens/current", headers=bearer(tokens["other_vendor"])).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(tokens["vendor"])).status_code == 200


def test_pages_deny_outsiders_too(client, world, db_session):
    from tests.helpers import login

    w = world
    login(client, w.other_sme)
    for path in (f"/problems/{w.draft.id}", f"/problems/{w.draft.id}/edit/1", f"/problems/{w.bidding.id}/evaluation",
                 f"/agreements/{w.agreement.id}", f"/agreements/{w.agreement.id}/pdf", f"/problems/{w.draft.id}/discover"):
        response = client.get(path)
        assert response.status_code == HIDDEN, (path, response.status_code)
