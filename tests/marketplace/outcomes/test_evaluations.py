"""Point 2: evaluation on delivery — attempts, hashes, verdicts, charts, bad input, acceptance despite a fail."""

from __future__ import annotations

import hashlib

from sqlmodel import select

from marketplace.audit.models import AuditEntry
from marketplace.outcomes.models import Evaluation
from marketplace.outcomes.services import FileTooLarge, check_upload_size
from tests.marketplace.outcomes.conftest import BAD, GOOD, HOLDOUT


def test_predictions_are_measured_stored_and_chained(acc, client, db_session):
    agreement, milestone, owner, vendor_user, sme, vendor = acc.signed()
    answer = acc.submit(milestone, vendor)
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert body["attempt"] == 1 and body["attempts_allowed"] == 3 and body["passed"] is True
    assert body["holdout_sha256"] == hashlib.sha256(HOLDOUT).hexdigest()
    assert body["predictions_sha256"] == hashlib.sha256(GOOD).hexdigest()
    result = body["results"][0]
    assert (result["metric"], result["value"], result["target"], result["passed"]) == ("mape", "2.3", "7", True)
    assert body["chart_svg"].lstrip().startswith(("<?xml", "<svg"))
    milestones = client.get(f"/api/v1/agreements/{agreement.id}", headers=sme).json["milestones"]
    assert milestones[-1]["status"] == "delivered"
    entry = db_session.exec(select(AuditEntry).where(AuditEntry.action == "kpi_evaluated")).one()
    assert entry.details["predictions_sha256"] == body["predictions_sha256"]
    assert entry.details["holdout_sha256"] == [body["holdout_sha256"]]
    listed = client.get(f"/api/v1/milestones/{milestone}/evaluations", headers=sme).json
    assert listed["total"] == 1 and listed["items"][0]["summary"] == "KPI 달성 1/1"
    assert client.post(f"/api/v1/milestones/{milestone}/accept", headers=sme).status_code == 200


def test_bad_predictions_name_the_row_and_use_no_attempt(acc, client, db_session):
    agreement, milestone, owner, vendor_user, sme, vendor = acc.signed()
    cases = {
        "missing": "번호,예측값\nA-1,1\nA-2,2\nA-3,3\n".encode(),
        "extra": GOOD + "A-9,5\n".encode(),
        "duplicate": GOOD + "A-2,5\n".encode(),
        "not a number": "번호,예측값\nA-1,1\nA-2,두개\nA-3,3\nA-4,4\n".encode(),
        "empty": b"",
        "another encoding": "번호,예측값\nA-1,1\n".encode("utf-16-le"),
    }
    for name, content in cases.items():
        answer = acc.submit(milestone, vendor, content)
        assert answer.status_code == 422, (name, answer.json)
        assert answer.json["errors"][0]["field"] == "file", name
    row = acc.submit(milestone, vendor, "번호,예측값\nA-1,1\nA-2,두개\nA-3,3\nA-4,4\n".encode()).json["problems"][0]
    assert (row["row"], row["column"]) == (3, "B")
    assert db_session.exec(select(Evaluation)).all() == []
    assert acc.submit(milestone, sme).status_code == 403
    assert acc.submit(milestone, vendor).json["attempt"] == 1


def test_attempts_are_limited_and_the_client_may_accept_despite_a_fail(acc, client, db_session):
    agreement, milestone, owner, vendor_user, sme, vendor = acc.signed()
    first = acc.submit(milestone, vendor, BAD)
    assert first.status_code == 201 and first.json["passed"] is False
    assert first.json["results"][0]["value"] == "14.8"
    assert client.post(f"/api/v1/milestones/{milestone}/reject", json={"reason": "MAPE 미달"},
                       headers=sme).status_code == 200
    assert acc.submit(milestone, vendor, BAD).json["attempt"] == 2  # redelivered within the resubmission period
    assert client.post(f"/api/v1/milestones/{milestone}/accept-despite-fail", json={"reason": " "},
                       headers=sme).status_code == 422
    assert acc.submit(milestone, vendor, BAD).json["attempt"] == 3
    beyond = acc.submit(milestone, vendor, GOOD)
    assert beyond.status_code == 409
    assert len(db_session.exec(select(Evaluation)).all()) == 3
    refused = client.post(f"/api/v1/milestones/{milestone}/accept", headers=sme)
    assert refused.status_code == 409 and "0/1" in refused.json["detail"]
    waived = client.post(f"/api/v1/milestones/{milestone}/accept-despite-fail",
                         json={"reason": "현장 운영 결과가 충분함"}, headers=sme)
    assert waived.status_code == 200 and waived.json["waived"] and waived.json["waiver_reason"] == "현장 운영 결과가 충분함"
    assert client.get(f"/api/v1/agreements/{agreement.id}", headers=sme).json["milestones"][-1]["status"] == "accepted"
    entry = db_session.exec(select(AuditEntry).where(AuditEntry.action == "kpi_waived")).one()
    assert entry.details["attempt"] == 3


def test_a_200_mb_upload_is_refused_before_it_is_read():
    try:
        check_upload_size(200 * 1024 * 1024)
    except FileTooLarge as exc:
        assert exc.status == 413 and "200.0 MB" in exc.message
    else:
        raise AssertionError("not refused")


def test_a_measured_kpi_is_entered_with_evidence_by_the_client(acc, client):
    agreement, kpi_id, owner, vendor_user, sme, vendor = acc.draft()
    assert client.put(f"/api/v1/agreements/{agreement.id}/kpis/{kpi_id}/measured",
                      json={"period": "검수 4주간 폐기 일지"}, headers=sme).status_code == 200
    acc.kit.sign(agreement, owner)
    acc.kit.sign(agreement, vendor_user)
    milestone = client.get(f"/api/v1/agreements/{agreement.id}", headers=sme).json["milestones"][-1]["id"]
    url = f"/api/v1/milestones/{milestone}/measurements"
    assert client.post(url, json={"kpi_id": kpi_id, "value": "6.5", "evidence": "폐기 일지"},
                       headers=vendor).status_code == 403
    no_evidence = client.post(url, json={"kpi_id": kpi_id, "value": "6.5"}, headers=sme)
    assert no_evidence.status_code == 422 and no_evidence.json["errors"][0]["field"] == "evidence"
    not_a_number = client.post(url, json={"kpi_id": kpi_id, "value": "많음", "evidence": "폐기 일지"}, headers=sme)
    assert not_a_number.status_code == 422 and not_a_number.json["errors"][0]["field"] == "value"
    done = client.post(url, json={"kpi_id": kpi_id, "value": "6.5", "evidence": "3월 폐기 일지"}, headers=sme)
    assert done.status_code == 201 and done.json["passed"] is True and done.json["target"] == "7"
    assert client.post(url, json={"kpi_id": kpi_id, "value": "6", "evidence": "x"}, headers=sme).status_code == 409
    assert acc.submit(milestone, vendor).status_code == 409  # no KPI on a holdout
