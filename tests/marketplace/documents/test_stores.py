"""The document stores behind one interface: the database, a directory and an S3-compatible bucket (a real
S3 server, moto's, started for the tests). Each gets back exactly what was uploaded, keeps identical uploads
once, and refuses bytes that no longer have the document's SHA-256. An S3 store that cannot be reached says
so in the page's language, stores nothing, and a wrong setting stops the app at start."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlmodel import select

from marketplace import create_app
from marketplace.config import ConfigError
from marketplace.documents.models import Document, DocumentBlob
from tests.conftest import app_settings
from tests.helpers import api_token, bearer, login, post_form

boto3 = pytest.importorskip("boto3")

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
KEYS = {"S3_ACCESS_KEY_ID": "axbridge-test", "S3_SECRET_ACCESS_KEY": "axbridge-test-secret",
        "S3_REGION": "ap-northeast-2"}


@pytest.fixture(scope="module")
def s3_endpoint():
    """A real S3-compatible server on a free port for this module's tests (moto's server mode). Module
    scope: its thread must be gone before later tests fork (tests/ops/test_faults.py forks workers)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=KEYS["S3_REGION"],
                        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
                        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"])


def new_bucket(endpoint: str) -> str:
    bucket = f"axbridge-test-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=bucket,
                                      CreateBucketConfiguration={"LocationConstraint": KEYS["S3_REGION"]})
    return bucket


@dataclass
class Backend:
    name: str
    config: dict = field(default_factory=dict)

    def objects(self) -> int:
        """How many stored byte-objects the store holds (files, S3 objects); None for the database."""
        if self.name == "directory":
            return sum(1 for p in Path(self.config["DOCUMENT_DIR"]).rglob("*") if p.is_file())
        client = s3_client(self.config["S3_ENDPOINT_URL"])
        return client.list_objects_v2(Bucket=self.config["S3_BUCKET"]).get("KeyCount", 0)

    def tamper(self, db_session, document: Document, data: bytes) -> None:
        """Change the stored bytes behind the application's back."""
        if self.name == "database":
            blob = db_session.get(DocumentBlob, document.id)
            blob.data = data
            db_session.add(blob)
            db_session.commit()
        elif self.name == "directory":
            digest = document.sha256
            (Path(self.config["DOCUMENT_DIR"]) / digest[:2] / digest).write_bytes(data)
        else:
            s3_client(self.config["S3_ENDPOINT_URL"]).put_object(
                Bucket=self.config["S3_BUCKET"], Key=f"documents/{document.sha256[:2]}/{document.sha256}", Body=data)

    def remove(self, db_session, document: Document) -> None:
        if self.name == "database":
            db_session.delete(db_session.get(DocumentBlob, document.id))
            db_session.commit()
        elif self.name == "directory":
            (Path(self.config["DOCUMENT_DIR"]) / document.sha256[:2] / document.sha256).unlink()
        else:
            s3_client(self.config["S3_ENDPOINT_URL"]).delete_object(
                Bucket=self.config["S3_BUCKET"], Key=f"documents/{document.sha256[:2]}/{document.sha256}")


@pytest.fixture(params=["database", "directory", "s3"])
def backend(request, tmp_path) -> Backend:
    if request.param == "directory":
        return Backend("directory", {"DOCUMENT_STORE": "directory", "DOCUMENT_DIR": str(tmp_path / "documents")})
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        return Backend("s3", {"DOCUMENT_STORE": "s3", "S3_ENDPOINT_URL": endpoint, "S3_BUCKET": new_bucket(endpoint),
                              **KEYS})
    return Backend("database")


@pytest.fixture
def app_config(database_url, tmp_path, backend):
    return app_settings(database_url, tmp_path, **backend.config)


def upload(client, token, problem_id: int, name: str = "proposal.pdf", data: bytes = PDF):
    return client.post(f"/api/v1/problems/{problem_id}/documents", headers=bearer(token),
                       content_type="multipart/form-data", data={"file": (io.BytesIO(data), name)})


def test_each_store_gives_back_what_was_uploaded_and_keeps_identical_files_once(client, factory, db_session,
                                                                                 backend):
    sme = factory.user()
    problem = factory.problem(sme)
    token = api_token(client, sme)
    first = upload(client, token, problem.id, name="공정도.pdf")
    assert first.status_code == 201, first.json
    assert first.json["sha256"] == hashlib.sha256(PDF).hexdigest()
    second = upload(client, token, problem.id, name="공정도-사본.pdf")
    assert second.status_code == 201
    assert [d.store for d in db_session.exec(select(Document))] == [backend.name] * 2
    if backend.name != "database":
        assert backend.objects() == 1  # one object per SHA-256
    for response in (first, second):
        content = client.get(response.json["content_url"], headers=bearer(token))
        assert content.status_code == 200 and content.data == PDF
    other = upload(client, token, problem.id, name="note.txt", data="검수 일정 메모\n".encode())
    assert client.get(other.json["content_url"], headers=bearer(token)).data == "검수 일정 메모\n".encode()


def test_a_changed_or_missing_file_is_refused_with_a_message(client, factory, db_session, backend):
    sme = factory.user(locale="en")
    problem = factory.problem(sme)
    token = api_token(client, sme)
    doc_id = upload(client, token, problem.id).json["id"]
    document = db_session.get(Document, doc_id)

    backend.tamper(db_session, document, PDF.replace(b"1.7", b"1.4"))
    response = client.get(f"/api/v1/documents/{doc_id}/content", headers=bearer(token))
    assert response.status_code == 502 and PDF[:8] not in response.data
    assert "changed since it was uploaded" in response.json["detail"]
    login(client, sme)
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 502 and "changed since it was uploaded" in page.get_data(as_text=True)

    backend.remove(db_session, document)
    missing = client.get(f"/api/v1/documents/{doc_id}/content", headers=bearer(token))
    assert missing.status_code == 404 and "missing" in missing.json["detail"]


# --- S3 only: an unreachable store, a wrong setting ---------------------------------------------------

def s3_settings(database_url, tmp_path, **overrides) -> dict:
    return app_settings(database_url, tmp_path, DOCUMENT_STORE="s3", **KEYS, **overrides)


@pytest.mark.parametrize("backend", ["s3"], indirect=True)
def test_an_unreachable_store_says_so_in_the_page_language_and_stores_nothing(client, app, factory, db_session,
                                                                             backend, s3_endpoint):
    sme = factory.user()
    problem = factory.problem(sme)
    token = api_token(client, sme)
    # the bucket is deleted while the app runs, then the whole server is out of reach
    s3_client(s3_endpoint).delete_bucket(Bucket=backend.config["S3_BUCKET"])
    api = upload(client, token, problem.id)
    assert api.status_code == 503, api.json
    assert api.json["errors"][0]["field"] == "file" and "문서 저장소" in api.json["errors"][0]["message"]
    browser = app.test_client()  # a signed-in page session (its cookie would ask the API calls for CSRF)
    login(browser, sme)
    page = post_form(browser, f"/problems/{problem.id}/documents", {"file": (io.BytesIO(PDF), "제안서.pdf")},
                     page=f"/problems/{problem.id}", content_type="multipart/form-data", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="error-file"' in html and "문서 저장소" in html
    assert db_session.exec(select(Document)).all() == []

    app.config["S3_ENDPOINT_URL"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    app.extensions.pop("axbridge_s3_store", None)
    api = upload(client, token, problem.id)
    assert api.status_code == 503 and "문서 저장소" in api.json["errors"][0]["message"]
    assert db_session.exec(select(Document)).all() == []


def test_a_wrong_s3_setting_stops_the_app_at_start(database_url, tmp_path, s3_endpoint):
    with pytest.raises(ConfigError, match="AXBRIDGE_S3_BUCKET"):
        create_app(s3_settings(database_url, tmp_path, S3_ENDPOINT_URL=s3_endpoint))
    with pytest.raises(ConfigError, match="'no-such-axbridge-bucket'.*does not exist"):
        create_app(s3_settings(database_url, tmp_path, S3_ENDPOINT_URL=s3_endpoint, S3_BUCKET="no-such-axbridge-bucket"))
    with pytest.raises(ConfigError, match="127.0.0.1:9"):
        create_app(s3_settings(database_url, tmp_path, S3_ENDPOINT_URL="http://127.0.0.1:9", S3_BUCKET="documents"))
    with pytest.raises(ConfigError, match="database, directory, s3"):
        create_app(app_settings(database_url, tmp_path, DOCUMENT_STORE="ftp"))
    bucket = new_bucket(s3_endpoint)
    assert create_app(s3_settings(database_url, tmp_path, S3_ENDPOINT_URL=s3_endpoint, S3_BUCKET=bucket))
