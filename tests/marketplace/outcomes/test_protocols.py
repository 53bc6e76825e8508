"""Point 1: the protocol per KPI and the sealed holdout, fixed in the agreement before signing."""

from __future__ import annotations

import hashlib

from sqlmodel import select

from marketplace.outcomes.models import Holdout
from tests.marketplace.outcomes.conftest import HOLDOUT


def test_the_client_seals_a_holdout_and_the_terms_record_its_hash_rows_and_columns(acc, client):
    agreement, kpi_id, owner, vendor_user, sme, vendor = acc.draft()
    answer = acc.seal(agreement, kpi_id, sme)
    assert answer.status_code == 200, answer.json
    sha = hashlib.sha256(HOLDOUT).hexdigest()
    assert answer.json["sha256"] == sha and answer.json["rows"] == 4
    assert answer.json["columns"] == ["번호", "실제값"] and answer.json["id_column"] == "번호"
    kpi = client.get(f"/api/v1/agreements/{agreement.id}", headers=vendor).json["version"]["terms"]["kpis"][0]
    protocol = kpi["protocol"]
    assert protocol["metric"] == "mape" and protocol["data"] == "holdout"  # the suggestion for demand forecasting
    assert protocol["holdout"] == {"sha256": sha, "rows": 4, "columns": ["번호", "실제값"], "id_column": "번호",
                                   "value_column": "실제값"}
    assert "7" in protocol["rule_ko"] and "이하" in protocol["rule_ko"]
    listed = client.get(f"/api/v1/agreements/{agreement.id}/protocols", headers=vendor).json
    assert listed["total"] == 1 and listed["items"][0]["holdout_sha256"] == sha
    assert listed["items"][0]["target"] == "7" and listed["items"][0]["direction"] == "lower"


def test_only_the_client_seals_and_only_before_anyone_signs(acc, client, db_session):
    agreement, kpi_id, owner, vendor_user, sme, vendor = acc.draft()
    assert acc.seal(agreement, kpi_id, vendor).status_code == 403
    acc.kit.sign(agreement, vendor_user)
    late = acc.seal(agreement, kpi_id, sme)
    assert late.status_code == 409 and "서명" in late.json["detail"]
    assert db_session.exec(select(Holdout)).all() == []


def test_a_bad_holdout_names_the_row_and_column_and_stores_nothing(acc, client, db_session):
    agreement, kpi_id, owner, vendor_user, sme, vendor = acc.draft()
    before = client.get(f"/api/v1/agreements/{agreement.id}", headers=sme).json["version"]["terms"]
    bad = acc.seal(agreement, kpi_id, sme, content="번호,실제값\nA-1,100\nA-2,많음\n".encode("cp949"))
    assert bad.status_code == 422
    problem = bad.json["problems"][0]
    assert (problem["row"], problem["column"]) == (3, "B")
    assert "3" in bad.json["detail"] and "B" in bad.json["detail"]
    empty = acc.seal(agreement, kpi_id, sme, content=b"")
    assert empty.status_code == 422 and empty.json["errors"][0]["field"] == "file"
    f1 = acc.seal(agreement, kpi_id, sme, metric="f1")
    assert f1.status_code == 422  # F1 on a lower-is-better percentage KPI of numbers does not fit
    assert client.get(f"/api/v1/agreements/{agreement.id}", headers=sme).json["version"]["terms"] == before
    assert db_session.exec(select(Holdout)).all() == []


def test_cp949_excel_csv_with_korean_headers_is_read(acc):
    agreement, kpi_id, owner, vendor_user, sme, vendor = acc.draft()
    answer = acc.seal(agreement, kpi_id, sme, content=HOLDOUT.decode().encode("cp949"))
    assert answer.status_code == 200 and answer.json["columns"] == ["번호", "실제값"]


def test_a_measured_kpi_needs_its_period(acc, client):
    agreement, kpi_id, owner, vendor_user, sme, vendor = acc.draft()
    url = f"/api/v1/agreements/{agreement.id}/kpis/{kpi_id}/measured"
    assert client.put(url, json={"period": " "}, headers=sme).status_code == 422
    done = client.put(url, json={"period": "검수 4주간 폐기 일지"}, headers=sme)
    assert done.status_code == 200 and done.json["data"] == "measured" and done.json["holdout_sha256"] is None


def test_a_classification_metric_on_numbers_is_refused_with_the_reason(acc):
    agreement, kpi_id, owner, vendor_user, sme, vendor = acc.draft()
    numbers = "번호,실제값\n" + "".join(f"R-{i},{100 + i * 7}\n" for i in range(30))
    answer = acc.seal(agreement, kpi_id, sme, content=numbers.encode(), metric="defect_rate", classes="양품, 불량",
                      positive_class="불량")
    assert answer.status_code == 422
    assert answer.json["problems"][0]["code"] == "looks_like_regression"
    assert "MAE, RMSE" in answer.json["detail"]
