"""Issue 13.1 follow-up: the admin's verification queue shows the documents an organisation uploaded as evidence,
with links to download them; nobody else can read them."""

from __future__ import annotations

from marketplace.documents import services as documents
from tests.helpers import api_token, bearer, login

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _upload(db_session, owner):
    document = documents.upload_organisation_document(db_session, user=owner, organisation_id=owner.organisation_id,
                                                      filename="사업자등록증.pdf", data=PDF)
    db_session.commit()
    return document


def test_the_verification_api_lists_the_uploaded_documents_and_the_admin_downloads_them(client, factory, db_session):
    owner = factory.user(factory.vendor(verified=False))
    document = _upload(db_session, owner)
    admin = bearer(api_token(client, factory.admin()))
    queue = client.get("/api/v1/admin/verifications", headers=admin).json["items"]
    entry = next(i for i in queue if i["organisation_id"] == owner.organisation_id)
    assert [d["filename"] for d in entry["documents"]] == ["사업자등록증.pdf"]
    assert entry["documents"][0]["id"] == document.id and entry["documents"][0]["size_bytes"] == len(PDF)
    download = client.get(entry["documents"][0]["content_url"], headers=admin)
    assert download.status_code == 200 and download.data == PDF
    outsider = bearer(api_token(client, factory.user(factory.vendor())))
    assert client.get(entry["documents"][0]["content_url"], headers=outsider).status_code == 404


def test_the_verification_page_links_each_document_and_says_when_there_is_none(client, factory, db_session):
    owner = factory.user(factory.sme(verified=False))
    document = _upload(db_session, owner)
    bare = factory.agency(verified=False)
    login(client, factory.admin())
    page = client.get("/admin/organisations").get_data(as_text=True)
    link = f'href="/documents/{document.id}"'
    assert link in page and "사업자등록증.pdf" in page
    cell = page.split(f'data-testid="documents-{bare.id}"')[1].split("</td>")[0]
    assert "/documents/" not in cell
    assert client.get(f"/documents/{document.id}").data == PDF
