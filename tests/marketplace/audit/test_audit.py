import re
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import text
from sqlmodel import select

from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry
from marketplace.core.types import travel
from tests.factories import PASSWORD
from tests.helpers import csrf_token, login, post_form


def actions(db_session) -> list[str]:
    return [e.action for e in db_session.exec(select(AuditEntry).order_by(AuditEntry.seq))]


def test_state_changes_append_to_the_chain_and_it_verifies(factory, db_session):
    problem = factory.problem(state="bidding")
    bid = factory.bid(problem)
    recorded = actions(db_session)
    for action in ("organisation_registered", "problem_published", "bidding_opened", "bid_submitted"):
        assert action in recorded
    submitted = db_session.exec(select(AuditEntry).where(AuditEntry.action == "bid_submitted")).one()
    assert submitted.object_id == bid.id and "price" not in str(submitted.details)
    count, head, problems = audit.verify_chain(db_session)
    assert count == len(recorded) and problems == [] and len(head) == 64


def test_an_edited_or_deleted_entry_is_detected(factory, db_session):
    factory.problem(state="bidding")
    entries = db_session.exec(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert len(entries) >= 3
    db_session.execute(text("UPDATE audit_entry SET action = 'nothing_happened' WHERE seq = 2"))
    db_session.expire_all()
    problems = audit.verify_chain(db_session)[2]
    assert [(p.seq, p.reason) for p in problems] == [(2, "was changed after it was written")]
    db_session.rollback()
    db_session.execute(text("DELETE FROM audit_entry WHERE seq = 2"))
    db_session.expire_all()
    problems = audit.verify_chain(db_session)[2]
    assert {p.seq for p in problems} == {2, 3}


def test_failed_logins_are_recorded_although_the_request_fails(client, factory, db_session):
    user = factory.user()
    response = post_form(client, "/login", {"email": user.email, "password": "wrong-password-1"})
    assert response.status_code == 422
    api = client.post("/api/v1/tokens", json={"email": "nobody@nowhere.example", "password": "x" * 12})
    assert api.status_code == 401
    db_session.expire_all()
    failed = db_session.exec(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    assert [e.details["known"] for e in failed] == [True, False]
    assert failed[0].ip_address == "127.0.0.1"
    login(client, user)
    db_session.expire_all()
    assert "login" in actions(db_session)


def test_sealed_bid_events_stay_off_the_admin_page_until_the_deadline(client, factory, db_session):
    problem = factory.problem(state="bidding")
    factory.bid(problem)
    login(client, factory.admin())
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<code>bidding_opened</code>" in page and "<code>bid_submitted</code>" not in page
    with travel(timedelta(days=8)):
        assert "<code>bid_submitted</code>" in client.get("/admin/audit").get_data(as_text=True)


def test_only_admins_see_the_log(client, factory):
    login(client, factory.user())
    assert client.get("/admin/audit").status_code == 403
    assert csrf_token(client, "/account")


def test_cli_verify_exits_non_zero_on_a_broken_chain(tmp_path):
    from marketplace import create_app
    from marketplace.cli import main
    from marketplace.database import session_scope
    from marketplace.migrate import upgrade

    url = f"sqlite:///{tmp_path}/audit.sqlite3"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "s" * 40})
    with app.app_context(), session_scope(app) as session:
        for n in range(3):
            audit.record(session, "login", details={"n": n})
    env = {"AXBRIDGE_DATABASE_URL": url, "AXBRIDGE_SECRET_KEY": "s" * 40}
    ok = CliRunner().invoke(main, ["audit", "verify"], env=env)
    assert ok.exit_code == 0 and "3 entries checked" in ok.output
    with app.app_context(), session_scope(app) as session:
        session.execute(text("UPDATE audit_entry SET details = '{\"n\": 7}' WHERE seq = 3"))
    broken = CliRunner().invoke(main, ["audit", "verify"], env=env)
    assert broken.exit_code == 1 and "entry 3" in broken.output
    app.extensions["axbridge_db"].engine.dispose()
    assert PASSWORD


def test_the_admin_page_shows_no_sequence_gap_where_a_sealed_bid_was_hidden(client, factory, db_session):
    """Issue 13.3: a gap in the visible numbers, with the login just before it, told who bid."""
    problem = factory.problem(state="bidding")
    vendor_user = factory.user(factory.vendor())
    factory.bid(problem, vendor_user)
    admin = factory.admin()
    login(client, admin)
    entries = db_session.exec(select(AuditEntry).order_by(AuditEntry.seq)).all()
    hidden = next(e for e in entries if e.action == "bid_submitted")
    after = [e for e in entries if e.seq > hidden.seq]
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<code>bid_submitted</code>" not in page
    rows = page.count('data-testid="audit-entry"')
    assert rows == len(entries) - 1  # every other entry is there
    first_cells = re.findall(r'data-testid="audit-entry"><td[^>]*>([^<]*)</td>', page)
    assert len(first_cells) == rows and not any(c.strip().isdigit() for c in first_cells), \
        "a visible sequence number shows where the hidden entry was"
    assert after  # the admin's own login came after the hidden bid


def test_every_audit_page_is_full_although_sealed_events_are_left_out(factory, db_session):
    from marketplace.audit import services as audit

    problem = factory.problem(state="bidding")
    for _ in range(3):
        factory.bid(problem)
    total = db_session.exec(select(AuditEntry)).all()
    visible = [e for e in total if e.action != "bid_submitted"]
    first = audit.visible_entries(db_session, page=1, per_page=4)
    second = audit.visible_entries(db_session, page=2, per_page=4)
    assert len(first) == 4 and not {e.id for e in first} & {e.id for e in second}
    everything = audit.visible_entries(db_session, page=1, per_page=1000)
    assert len(everything) == len(visible)
