"""Helpers for the KPI acceptance tests: a signed agreement with a sealed holdout, uploads in memory."""

from __future__ import annotations

import pytest

from tests.helpers import api_token, bearer
from tests.marketplace.agreements.conftest import AgreementKit, fast_pdf, kit  # noqa: F401 (fixtures)

BOUNDARY = "axbridge-outcomes-boundary"
#: The truth values are distinctive, so a test can look for them in every answer the vendor gets.
HOLDOUT = "번호,실제값\r\nA-1,98761\r\nA-2,200\r\nA-3,50\r\nA-4,80\r\n".encode()
GOOD = "번호,예측값\nA-1,98761\nA-2,190\nA-3,52\nA-4,80\n".encode()     # MAPE 2.25% ≤ 7%: met
BAD = "번호,예측값\nA-1,148141.5\nA-2,190\nA-3,52\nA-4,80\n".encode()  # MAPE 14.75%: not met


def upload(client, url: str, content: bytes, *, method: str = "post", filename: str = "file.csv",
           headers: dict | None = None, **fields):
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return getattr(client, method)(url, data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}",
                                   headers=headers or {})


class Acceptance:
    def __init__(self, kit, client, session):
        self.kit, self.client, self.session = kit, client, session

    def draft(self):
        agreement, owner, vendor_user = self.kit.agreement()
        sme, vendor = bearer(api_token(self.client, owner)), bearer(api_token(self.client, vendor_user))
        kpi_id = self.kpi_id(agreement)
        return agreement, kpi_id, owner, vendor_user, sme, vendor

    def kpi_id(self, agreement) -> int:
        from marketplace.problems.models import ProblemKpi
        from sqlmodel import select

        return self.session.exec(select(ProblemKpi.id).where(ProblemKpi.problem_id == agreement.problem_id)).first()

    def seal(self, agreement, kpi_id, headers, content=HOLDOUT, **fields):
        return upload(self.client, f"/api/v1/agreements/{agreement.id}/kpis/{kpi_id}/holdout", content,
                      method="put", headers=headers, **fields)

    def signed(self):
        agreement, kpi_id, owner, vendor_user, sme, vendor = self.draft()
        assert self.seal(agreement, kpi_id, sme).status_code == 200
        self.kit.sign(agreement, owner)
        self.kit.sign(agreement, vendor_user)
        body = self.client.get(f"/api/v1/agreements/{agreement.id}", headers=sme).json
        milestone = body["milestones"][-1]["id"]
        return agreement, milestone, owner, vendor_user, sme, vendor

    def submit(self, milestone, headers, content=GOOD, **fields):
        return upload(self.client, f"/api/v1/milestones/{milestone}/evaluations", content, headers=headers,
                      **fields)


@pytest.fixture
def acc(kit, client, db_session, fast_pdf):  # noqa: F811
    return Acceptance(kit, client, db_session)
