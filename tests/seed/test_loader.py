import json

from sqlmodel import func, select

from marketplace.accounts import services
from marketplace.accounts.models import CooperativeMember, Organisation, User
from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement, AgreementStatus
from seed.loader import ADMIN_EMAIL, DATA, DEMO_PASSWORD, load_demo_world


def counts(session):
    return (session.exec(select(func.count()).select_from(Organisation)).one(),
            session.exec(select(func.count()).select_from(User)).one())


def test_demo_world_loads_once_and_a_second_run_changes_nothing(app, db_session):
    first = load_demo_world(app)
    after_first = counts(db_session)
    second = load_demo_world(app)
    assert counts(db_session) == after_first
    assert sum(second.created.values()) == 0
    assert first.created["organisations"] == after_first[0] >= 24


def test_demo_world_has_every_role_and_a_cooperative_with_members(app, db_session):
    load_demo_world(app)
    kinds = dict(db_session.exec(select(Organisation.kind, func.count()).group_by(Organisation.kind)).all())
    assert kinds["sme"] >= 12 and kinds["vendor"] >= 10 and kinds["agency"] >= 2 and kinds["cooperative"] >= 1
    assert db_session.exec(select(func.count()).select_from(CooperativeMember)).one() >= 2
    admin = services.authenticate(db_session, email=ADMIN_EMAIL, password=DEMO_PASSWORD)
    assert admin.is_admin
    # the cooperative's joint agreement is signed by the cooperative, each member SME and the vendor
    coop = db_session.exec(select(Organisation).where(Organisation.kind == "cooperative")).first()
    joint = db_session.exec(select(Agreement).where(Agreement.client_id == coop.id)).one()
    members = set(db_session.exec(select(CooperativeMember.member_id)
                                  .where(CooperativeMember.cooperative_id == coop.id)))
    assert joint.status == AgreementStatus.SIGNED and set(agreements.member_ids(db_session, joint)) == members
    terms = agreements.terms_of(agreements.get_version(db_session, joint))
    assert terms.fully_signed and len(terms.members) == len(members)
    assert [s.role.value for s in terms.signatures] == ["client", *["member"] * len(members), "vendor"]


def test_readme_demo_logins_work(app, db_session):
    load_demo_world(app)
    readme = (DATA.parent.parent / "README.md").read_text(encoding="utf-8")
    organisations = json.loads((DATA / "organisations.json").read_text(encoding="utf-8"))
    owners = {u["email"] for o in organisations for u in o["users"] if u["role"] == "owner"}
    listed = [e for e in owners | {ADMIN_EMAIL} if e in readme]
    assert len(listed) >= 4, "README lists one demo login per role"
    assert DEMO_PASSWORD in readme
    for email in listed:
        assert services.authenticate(db_session, email=email, password=DEMO_PASSWORD)


def test_seeding_is_refused_in_production(tmp_path, database_url):
    from click.testing import CliRunner

    from marketplace.cli import main

    result = CliRunner().invoke(main, ["seed"], env={"AXBRIDGE_ENV": "production", "AXBRIDGE_SECRET_KEY": "s" * 40,
                                                    "AXBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path}/p.db"})
    assert result.exit_code != 0
    assert "development" in result.output
