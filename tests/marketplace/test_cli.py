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
