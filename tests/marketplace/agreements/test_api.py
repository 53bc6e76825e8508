"""The JSON API and the pages: parties only, the same services, and the public verification."""

import io

from marketplace.agreements import services
from tests.helpers import api_token, bearer, csrf_token, login, post_form

BOUNDARY = "axbridge-test-boundary"


def upload(client, url: str, content: bytes, **fields):
    """A multipart upload encoded here in memory (the test client spools big bodies to unclosed temp files)."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="agreement.pdf"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def test_only_the_parties_see_the_agreement(kit, client, factory, db_session):
    agreement, owner, vendor_user = kit.agreement()
    stranger = factory.user(factory.vendor())
    for user, status in ((owner, 200), (vendor_user, 200), (stranger, 404), (factory.admin(), 200)):
        token = api_token(client, user)
        assert client.get(f"/api/v1/agreements/{agreement.id}", headers=bearer(token)).status_code == status
        assert client.get(f"/api/v1/problems/{agreement.problem_id}/agreement",
                          headers=bearer(token)).status_code == status
    token = api_token(client, stranger)
    assert client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": "x"},
                       headers=bearer(token)).status_code == 404
    assert client.get(f"/api/v1/agreements/{agreement.id}/pdf?lang=ko", headers=bearer(token)).status_code == 404
    assert client.get(f"/api/v1/agreements/{agreement.id}").status_code == 401


def test_sign_propose_and_deliver_through_the_api(kit, client, factory, db_session, fast_pdf):
    agreement, owner, vendor_user = kit.agreement()
    sme, vendor = bearer(api_token(client, owner)), bearer(api_token(client, vendor_user))
    member = factory.user(db_session.get(type(factory.sme()), owner.organisation_id), role="member")
    body = client.get(f"/api/v1/agreements/{agreement.id}", headers=sme).json
    assert body["status"] == "draft" and body["version"]["terms"]["kpis"][0]["committed"] == "7"
    wrong = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": "wrong-password"}, headers=sme)
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "password"
    non_owner = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": "correct-horse-battery"},
                            headers=bearer(api_token(client, member)))
    assert non_owner.status_code == 403
    proposed = client.post(f"/api/v1/agreements/{agreement.id}/versions", json={"warranty_months": 18}, headers=vendor)
    assert proposed.status_code == 201 and proposed.json["current_version"] == 2
    assert proposed.json["version"]["changes"][0]["new"] == "18"
    signed = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": "correct-horse-battery"},
                         headers=sme)
    assert signed.status_code == 200 and signed.json["client"]["signed_at"] is not None
    twice = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": "correct-horse-battery"},
                        headers=sme)
    assert twice.status_code == 409
    done = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": "correct-horse-battery"},
                       headers=vendor).json
    assert done["status"] == "signed" and len(done["milestones"]) == 3
    milestone = done["milestones"][0]["id"]
    assert client.post(f"/api/v1/milestones/{milestone}/accept", headers=sme).status_code == 409
    delivered = client.post(f"/api/v1/milestones/{milestone}/deliver", json={"note": "완료"}, headers=vendor)
    assert delivered.json["status"] == "delivered"
    rejected = client.post(f"/api/v1/milestones/{milestone}/reject", json={"reason": "누락"}, headers=sme)
    assert rejected.json["status"] == "rejected"
    pdf = client.get(f"/api/v1/agreements/{agreement.id}/pdf?lang=en", headers=sme)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == f'attachment; filename="agreement-{agreement.id}-v2-en.pdf"'


def test_draft_pdf_is_marked_and_pages_work(kit, client, db_session, fast_pdf):
    agreement, owner, vendor_user = kit.agreement()
    login(client, owner)
    page = client.get(f"/agreements/{agreement.id}")
    assert page.status_code == 200 and "당일 폐기율" in page.get_data(as_text=True)
    draft = client.get(f"/agreements/{agreement.id}/pdf?lang=ko")
    assert draft.headers["Content-Disposition"].endswith(f'agreement-{agreement.id}-v1-ko-draft.pdf"')
    assert b"DRAFT" in draft.data
    wrong = post_form(client, f"/agreements/{agreement.id}/sign", {"password": "nope-nope"},
                      page=f"/agreements/{agreement.id}")
    assert wrong.status_code == 422 and 'data-testid="error-password"' in wrong.get_data(as_text=True)
    ok = post_form(client, f"/agreements/{agreement.id}/sign", {"password": "correct-horse-battery"},
                   page=f"/agreements/{agreement.id}")
    assert ok.status_code == 302
    problem_page = client.get(f"/problems/{agreement.problem_id}").get_data(as_text=True)
    assert f"/agreements/{agreement.id}" in problem_page


def test_verification_of_a_real_and_a_tampered_pdf(kit, client, db_session):
    agreement, owner, vendor_user = kit.signed()  # renders the two real PDFs
    version = services.get_version(db_session, agreement)
    result = services.verify_pdf(db_session, version.pdf_ko)
    assert result.verified and result.agreement_id == agreement.id and result.version == 1
    tampered = bytearray(version.pdf_ko)
    tampered[len(tampered) // 2] ^= 0x01
    assert not services.verify_pdf(db_session, bytes(tampered)).verified

    answer = upload(client, "/api/v1/verify", version.pdf_en)
    assert answer.status_code == 200 and answer.json["verified"] and answer.json["language"] == "en"
    assert "signed by all its parties" in answer.json["message"] or "서명" in answer.json["message"]
    assert set(answer.json) == {"verified", "sha256", "agreement_id", "version", "language", "signed_at", "message",
                                "in_force", "terminated_at", "terminated_by"}
    by_hash = client.post("/api/v1/verify", json={"sha256": version.sha256_ko.upper()})
    assert by_hash.json["verified"] and by_hash.json["agreement_id"] == agreement.id
    bad = upload(client, "/api/v1/verify", bytes(tampered))
    assert bad.status_code == 200 and bad.json["verified"] is False

    page = upload(client, "/verify", version.pdf_ko, csrf_token=csrf_token(client, "/verify"))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="verified"' in text and agreement.reference in text
    client_name = "한빛베이커리"
    assert client_name not in text  # nothing of the content is shown to strangers


def test_bad_verification_input(client):
    assert client.post("/api/v1/verify", json={"sha256": "xyz"}).status_code == 422
    assert client.post("/api/v1/verify", json={"sha256": "ab" * 31}).status_code == 422
    assert client.post("/api/v1/verify", json={"sha256": "g" * 64}).status_code == 422
    assert client.post("/api/v1/verify", json={"sha256": "0" * 64}).json["verified"] is False
    assert client.post("/api/v1/verify", json={}).status_code == 422
    missing = client.post("/api/v1/verify", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422
    not_pdf = client.post("/api/v1/verify", data={"file": (io.BytesIO(b"hello"), "a.pdf")},
                          content_type="multipart/form-data")
    assert not_pdf.status_code == 422 and not_pdf.mimetype == "application/problem+json"
    big = upload(client, "/api/v1/verify", b"%PDF-" + b"0" * (11 * 1024 * 1024))
    assert big.status_code == 413
    page = post_form(client, "/verify", {"sha256": "not-a-hash"}, page="/verify")
    assert page.status_code == 422


def test_a_terminated_agreement_verifies_as_terminated_with_when_and_by_whom(kit, client, db_session, fast_pdf):
    """Issue 13.7: the PDF is authentic, but /verify must say it is no longer in force."""
    from marketplace.accounts.models import Organisation

    agreement, owner, vendor_user = kit.signed()
    version = services.get_version(db_session, agreement)
    from marketplace.agreements.schemas import TerminateIn

    services.terminate_agreement(db_session, user=vendor_user, agreement=agreement,
                                 termination=TerminateIn(reason="대금 미지급", password="correct-horse-battery"))
    db_session.commit()
    vendor = db_session.get(Organisation, vendor_user.organisation_id)
    answer = client.post("/api/v1/verify", json={"sha256": version.sha256_ko})
    assert answer.status_code == 200 and answer.json["verified"] is True
    assert answer.json["in_force"] is False and answer.json["terminated_at"]
    assert answer.json["terminated_by"] == vendor.name_ko
    assert "해지" in answer.json["message"] and vendor.name_ko in answer.json["message"]
    page = client.post("/verify", data={"sha256": version.sha256_ko, "csrf_token": csrf_token(client, "/verify")})
    text = page.get_data(as_text=True)
    assert 'data-testid="terminated"' in text and 'data-testid="verified"' not in text and vendor.name_ko in text
