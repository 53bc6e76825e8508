"""A database that fails while the request commits gives the friendly 503, not a 500."""

from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from tests.helpers import login


def test_a_failed_commit_is_a_friendly_503(client, factory, monkeypatch):
    login(client, factory.user())

    def broken_commit(self):
        raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(Session, "commit", broken_commit)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    page = client.get("/account")
    assert page.status_code == 503
    assert "서비스를 잠시 이용할 수 없습니다" in page.get_data(as_text=True)
    api = client.get("/api/v1/me")
    assert api.status_code == 503 and api.content_type == "application/problem+json"
