"""Documents through /api/v1 and the pages: who may upload and read, sealed bid attachments, the NDA,
bad files refused with nothing stored."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from sqlmodel import select

from marketplace.core.types import utcnow
from marketplace.documents import services
from marketplace.documents.models import Document, NdaAcceptance
from tests.helpers import api_token, bearer, login, post_form

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20


def upload(client, url, token, name="proposal.pdf", data=PDF, **form):
    return client.post(url, headers=bearer(token), content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), **form})


def count(db_session) -> int:
    return len(db_session.exec(select(Document)).all())


def test_problem_document_public_and_nda_only(client, factory, db_session):
    sme = factory.user()
    problem = factory.problem(sme, state="bidding")
    vendor = factory.user(factory.vendor())
    token = api_token(client, sme)
    public = upload(client, f"/api/v1/problems/{problem.id}/documents", token, name="공정도.pdf")
    assert public.status_code == 201, public.json
    assert public.json["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert public.json["access"] == "public" and public.json["filename"] == "공정도.pdf"
    secret = upload(client, f"/api/v1/problems/{problem.id}/documents", token, name="sample.png", data=PNG,
                    access="nda")
    assert secret.status_code == 201 and secret.json["access"] == "nda"

    vtoken = api_token(client, vendor)
    assert client.get(f"/api/v1/documents/{public.json['id']}/content", headers=bearer(vtoken)).data == PDF
    assert client.get(f"/api/v1/documents/{secret.json['id']}", headers=bearer(vtoken)).status_code == 404
    # one click on the NDA page opens it, and the click is recorded
    login(client, vendor)
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "공정도.pdf" in page and "sample.png" not in page
    assert post_form(client, f"/problems/{problem.id}/nda", {}).status_code == 302
    assert db_session.get(NdaAcceptance, (problem.id, vendor.organisation_id)).nda_version == "2026.1"
    response = client.get(f"/api/v1/documents/{secret.json['id']}/content", headers=bearer(vtoken))
    assert response.status_code == 200 and response.data == PNG
    assert "sample.png" in client.get(f"/problems/{problem.id}").get_data(as_text=True)


def test_bid_attachment_is_sealed_until_the_deadline(client, factory, db_session):
    sme = factory.user()
    problem = factory.problem(sme, state="bidding")
    vendor = factory.user(factory.vendor())
    bid = factory.bid(problem, vendor)
    response = upload(client, f"/api/v1/bids/{bid.id}/documents", api_token(client, vendor))
    assert response.status_code == 201, response.json
    doc_id = response.json["id"]
    sme_token = api_token(client, sme)
    for url in (f"/api/v1/documents/{doc_id}", f"/api/v1/documents/{doc_id}/content"):
        assert client.get(url, headers=bearer(sme_token)).status_code == 404
    other = factory.user(factory.vendor())
    assert client.get(f"/api/v1/documents/{doc_id}", headers=bearer(api_token(client, other))).status_code == 404

    problem.bid_deadline = utcnow() - timedelta(minutes=1)
    db_session.add(problem)
    db_session.commit()
    assert client.get(f"/api/v1/documents/{doc_id}/content", headers=bearer(sme_token)).data == PDF
    # and the vendor can no longer add one
    late = upload(client, f"/api/v1/bids/{bid.id}/documents", api_token(client, vendor))
    assert late.status_code == 409


def test_verification_documents_only_for_the_organisation_and_admins(client, factory, db_session):
    vendor = factory.user(factory.vendor())
    org = db_session.get(type(factory.vendor()), vendor.organisation_id)
    response = upload(client, f"/api/v1/organisations/{org.id}/documents", api_token(client, vendor),
                      name="사업자등록증.pdf")
    assert response.status_code == 201
    doc_id = response.json["id"]
    assert [d.filename for d in services.documents_of(db_session, org)] == ["사업자등록증.pdf"]
    admin = factory.admin()
    assert client.get(f"/api/v1/documents/{doc_id}/content", headers=bearer(api_token(client, admin))).data == PDF
    stranger = factory.user()
    assert client.get(f"/api/v1/documents/{doc_id}", headers=bearer(api_token(client, stranger))).status_code == 404
    assert upload(client, f"/api/v1/organisations/{org.id}/documents",
                  api_token(client, stranger)).status_code == 404


def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(client, factory, db_session):
    sme = factory.user(locale="en")
    problem = factory.problem(sme)
    token = api_token(client, sme)
    url = f"/api/v1/problems/{problem.id}/documents"
    before = count(db_session)
    cases = [("proposal.pdf", PNG, "content is PNG"), ("empty.pdf", b"", "empty"),
             ("../../evil.pdf", PDF, "plain name"), ("tool.exe", b"MZ\x90", "not accepted")]
    for name, data, words in cases:
        response = upload(client, url, token, name=name, data=data)
        assert response.status_code == 422, (name, response.json)
        assert response.json["errors"][0]["field"] == "file"
        assert words in response.json["errors"][0]["message"], response.json
    with pytest.raises(services.DocumentTooLarge):
        services.upload_problem_document(db_session, user=sme, problem_id=problem.id, filename="big.pdf",
                                         data=PDF + b"0" * (10 * 1024 * 1024))
    assert client.post(url, headers=bearer(token), content_type="multipart/form-data", data={}).status_code == 422
    assert count(db_session) == before


def test_the_page_shows_a_refused_upload_next_to_the_field_in_the_page_language(client, factory, db_session):
    sme = factory.user()
    problem = factory.problem(sme)
    login(client, sme)
    response = post_form(client, f"/problems/{problem.id}/documents",
                         {"file": (io.BytesIO(PNG), "제안서.pdf")}, page=f"/problems/{problem.id}",
                         content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert 'data-testid="error-file"' in html and 'aria-invalid="true"' in html
    assert "PNG" in html and "The file" not in html  # Korean page, Korean message
    assert count(db_session) == 0
    ok = post_form(client, f"/problems/{problem.id}/documents", {"file": (io.BytesIO(PDF), "제안서.pdf")},
                   page=f"/problems/{problem.id}", content_type="multipart/form-data", follow_redirects=True)
    assert "제안서.pdf" in ok.get_data(as_text=True)
    download = client.get(f"/documents/{db_session.exec(select(Document)).one().id}")
    assert download.data == PDF and download.headers["X-Content-Type-Options"] == "nosniff"


def test_directory_store_keeps_the_bytes_by_sha256(client, factory, db_session, app, tmp_path):
    app.config.update(DOCUMENT_STORE="directory", DOCUMENT_DIR=str(tmp_path / "docs"))
    sme = factory.user()
    problem = factory.problem(sme)
    token = api_token(client, sme)
    response = upload(client, f"/api/v1/problems/{problem.id}/documents", token)
    assert response.status_code == 201
    digest = hashlib.sha256(PDF).hexdigest()
    assert (tmp_path / "docs" / digest[:2] / digest).read_bytes() == PDF
    assert client.get(response.json["content_url"], headers=bearer(token)).data == PDF
