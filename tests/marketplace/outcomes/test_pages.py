"""The acceptance page, and the proof that the holdout never reaches the vendor (pages, API, PDF, notifications)."""

from __future__ import annotations

import io

from sqlmodel import select

from marketplace.notifications.models import Notification, OutboxEmail
from tests.helpers import csrf_token, login
from tests.marketplace.outcomes.conftest import BAD, GOOD, HOLDOUT

#: What only the holdout holds: a truth value and the raw bytes.
SECRETS = ("98761", "A-1,98761")


def _post_file(client, url, content, page, **fields):
    data = {"csrf_token": csrf_token(client, page), "file": (io.BytesIO(content), "file.csv"), **fields}
    return client.post(url, data=data, content_type="multipart/form-data")


def test_the_client_seals_on_the_page_and_bad_input_is_shown_next_to_the_form(acc, client):
    agreement, kpi_id, owner, vendor_user, sme, vendor = acc.draft()
    login(client, owner)
    page = f"/agreements/{agreement.id}/acceptance"
    assert "holdout-form" in client.get(page).get_data(as_text=True)
    bad = _post_file(client, f"/agreements/{agreement.id}/kpis/{kpi_id}/holdout",
                     "번호,실제값\nA-1,100\nA-2,많음\n".encode(), page)
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'data-testid="error"' in text and "3행 B열" in text
    ok = _post_file(client, f"/agreements/{agreement.id}/kpis/{kpi_id}/holdout", HOLDOUT, page, metric="mape")
    assert ok.status_code == 302
    assert "SHA-256" in client.get(page).get_data(as_text=True)


def test_the_holdout_never_reaches_the_vendor(acc, client, db_session):
    agreement, milestone, owner, vendor_user, sme, vendor = acc.signed()
    acc.submit(milestone, vendor, BAD)
    acc.submit(milestone, vendor, GOOD)
    seen = []
    for path in (f"/api/v1/agreements/{agreement.id}", f"/api/v1/agreements/{agreement.id}/protocols",
                 f"/api/v1/milestones/{milestone}/evaluations", "/api/v1/notifications",
                 f"/api/v1/agreements/{agreement.id}/pdf?lang=ko", f"/api/v1/agreements/{agreement.id}/pdf?lang=en"):
        answer = client.get(path, headers=vendor)
        assert answer.status_code == 200, path
        seen.append(answer.get_data())
    login(client, vendor_user)
    for path in (f"/agreements/{agreement.id}", f"/agreements/{agreement.id}/acceptance", "/notifications"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        seen.append(answer.get_data())
    evaluations = client.get(f"/api/v1/milestones/{milestone}/evaluations", headers=vendor).json["items"]
    for e in evaluations:
        seen.append(client.get(f"/evaluations/{e['id']}/chart.svg").get_data())
    template = client.get(f"/api/v1/agreements/{agreement.id}/predictions-template.csv", headers=vendor)
    assert template.status_code == 200 and "A-1" in template.data.decode("utf-8-sig")
    seen.append(template.data)
    vendor_ids = {u.id for u in [vendor_user]}
    for n in db_session.exec(select(Notification).where(Notification.user_id.in_(vendor_ids))):
        seen.append(repr(n.params).encode())
    for mail in db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == vendor_user.email)):
        seen.append((mail.subject + mail.body).encode())
    everything = b"\n".join(seen)
    assert HOLDOUT not in everything
    for secret in SECRETS:
        assert secret.encode() not in everything, secret
    # the vendor did see the verdicts and the seal
    assert b"KPI" in everything and b"SHA-256" in everything


def test_the_vendor_submits_on_the_page_and_sees_the_verdict(acc, client):
    agreement, milestone, owner, vendor_user, sme, vendor = acc.signed()
    login(client, vendor_user)
    page = f"/agreements/{agreement.id}/acceptance"
    answer = _post_file(client, f"/milestones/{milestone}/evaluations", GOOD, page)
    assert answer.status_code == 302
    text = client.get(page).get_data(as_text=True)
    assert 'data-testid="verdict"' in text and "KPI 달성 1/1" in text
