from click.testing import CliRunner

from marketplace.cli import main


def run(*args, db):
    return CliRunner().invoke(main, list(args), env={"AXBRIDGE_DATABASE_URL": db, "AXBRIDGE_ENV": "development"},
                              catch_exceptions=False)


def test_user_create_makes_an_owner_then_a_member_and_refuses_bad_input(tmp_path):
    db = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert run("db", "upgrade", db=db).exit_code == 0
    owner = run("user", "create", "--email", "kim@dongjin.example", "--password", "gear-precision-9",
                "--org-name", "동진기어", "--org-kind", "sme", "--brn", "220-81-62517", "--region", "gyeongnam",
                db=db)
    assert owner.exit_code == 0, owner.output
    assert "(owner)" in owner.output
    member = run("user", "create", "--email", "lee@dongjin.example", "--password", "gear-precision-9",
                 "--org-name", "동진기어", "--org-kind", "sme", db=db)
    assert "(member)" in member.output
    wrong = run("user", "create", "--email", "x@new.example", "--password", "gear-precision-9",
                "--org-name", "새회사", "--org-kind", "vendor", "--brn", "220-81-62518", db=db)
    assert wrong.exit_code != 0 and "brn" in wrong.output
    admin = run("user", "create", "--email", "ops@axbridge.example", "--password", "operator-pass-1",
                "--org-name", "동진기어", "--org-kind", "sme", "--admin", db=db)
    assert admin.exit_code == 0


def test_help_lists_the_operator_commands():
    result = CliRunner().invoke(main, ["--help"])
    for command in ("db", "seed", "serve", "user"):
        assert command in result.output


def test_tick_closes_due_bidding_sends_reminders_and_empties_the_outbox(tmp_path):
    from datetime import timedelta

    from sqlmodel import select

    from marketplace import create_app
    from marketplace.core.types import travel
    from marketplace.database import session_scope
    from marketplace.notifications.models import OutboxEmail
    from marketplace.problems.models import Problem
    from tests.factories import Factory

    db = f"sqlite:///{tmp_path}/tick.sqlite3"
    assert run("db", "upgrade", db=db).exit_code == 0
    app = create_app({"DATABASE_URL": db, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "s" * 40,
                      "ARGON2_COST": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}})
    with app.app_context(), session_scope(app) as session:
        problem_id = Factory(session).problem(state="bidding").id
    with travel(timedelta(days=6, hours=12)):
        result = run("tick", db=db)
    assert "reminders for 1" in result.output
    with travel(timedelta(days=8)):
        result = run("tick", db=db)
    assert "closed bidding on 1 problem(s)" in result.output
    with app.app_context(), session_scope(app) as session:
        assert session.get(Problem, problem_id).state == "evaluation"
        assert session.exec(select(OutboxEmail).where(OutboxEmail.sent_at.is_(None))).all() == []
        assert session.exec(select(OutboxEmail)).all()  # the SME was told bidding closed
    app.extensions["axbridge_db"].engine.dispose()
