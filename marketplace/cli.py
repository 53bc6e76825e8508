"""``axbridge``: the operator's command line. Every command calls the same services as the pages."""

from __future__ import annotations

import os
import sys

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from marketplace import create_app, jobs
from marketplace.accounts import services as accounts
from marketplace.accounts.models import MemberRole
from marketplace.accounts.schemas import OrganisationProfile, UserCreate
from marketplace.audit.services import verify_chain
from marketplace.core.errors import DomainError
from marketplace.core.schemas import parse
from marketplace.discovery import services as discovery
from marketplace.database import session_scope
from marketplace.migrate import make_revision, upgrade
from marketplace.ops import backup as ops
from matching.cli import rank_command
from seed.loader import SeedError, load_demo_world


@click.group(help="AX Bridge operator commands. Configuration comes from AXBRIDGE_* variables.")
@click.pass_context
def main(ctx: click.Context) -> None:
    # Operator commands (backup, db upgrade, tick …) run during a Redis outage too; `serve` in production
    # execs gunicorn, whose app checks Redis at start (marketplace/deployment.py).
    ctx.obj = ScriptInfo(create_app=lambda: create_app({"REDIS_CHECK_AT_START": False}), set_debug_flag=False,
                         load_dotenv_defaults=False)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)
    upgrade(url, revision)
    click.echo(f"database at revision {revision}")


@db.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    """Autogenerate a migration from the models (developers)."""
    make_revision(current_app.config["DATABASE_URL"], message)


@main.command()
@with_appcontext
def seed() -> None:
    """Load the demo world (development only; a second run changes nothing)."""
    if current_app.config["ENV"] == "production":
        raise click.ClickException("the demo world is only loaded in development (AXBRIDGE_ENV=development)")
    try:
        report = load_demo_world(current_app)
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(report.summary())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn workers (production)")
@with_appcontext
def serve(host: str, port: int, workers: int) -> None:
    """Serve the app: the development server, or gunicorn when AXBRIDGE_ENV=production."""
    if current_app.config["ENV"] == "production":
        click.echo(_refresh_index(full=False))  # workers load the snapshot; they never build one
        os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "-c", "python:marketplace.gunicorn_conf",
                                   "-w", str(workers), "-b", f"{host}:{port}", "marketplace:create_app()"])
    current_app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)


@main.group()
def user() -> None:
    """People and organisations."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default=None, help="display name (defaults to the part of the e-mail before @)")
@click.option("--org-name", required=True, help="Korean name of the organisation; created if new")
@click.option("--org-name-en", default=None)
@click.option("--org-kind", required=True, type=click.Choice(["sme", "vendor", "agency", "cooperative"]))
@click.option("--brn", default=None, help="business registration number, required for a new organisation")
@click.option("--region", default="seoul", show_default=True)
@click.option("--industry", default="C29", show_default=True)
@click.option("--admin", is_flag=True, help="platform administrator")
@with_appcontext
def user_create(email, password, name, org_name, org_name_en, org_kind, brn, region, industry, admin) -> None:
    """Create a user in an organisation (the organisation's owner if it is new)."""
    try:
        with session_scope() as session:
            org = accounts.find_organisation_by_name(session, org_name)
            role = MemberRole.MEMBER
            if org is None:
                if not brn:
                    raise click.UsageError("--brn is required to create a new organisation")
                org = accounts.register_organisation(session, parse(OrganisationProfile, {
                    "kind": org_kind, "name_ko": org_name, "name_en": org_name_en or org_name, "brn": brn,
                    "region": region, "industry": industry, "employees": 0, "annual_revenue_krw": 0}))
                role = MemberRole.OWNER
            elif org.kind != org_kind:
                raise click.UsageError(f"{org_name} is a {org.kind.value} organisation, not {org_kind}")
            account = parse(UserCreate, {"email": email, "name": name or email.split("@")[0], "password": password})
            created = accounts.create_user(session, account, organisation=org, role=role, is_admin=admin)
            click.echo(f"created user {created.email} ({role.value}) in {org.name_ko} [{org.kind.value}]")
    except DomainError as exc:
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        raise click.ClickException(f"{exc.message} {details}".strip()) from exc


main.add_command(rank_command, "rank")


# --- backup and restore (marketplace/ops) -----------------------------------------------------------

@main.command("backup")
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None,
              help="file to write (default: instance/backups/axbridge-<UTC time>.sqlite3.gz or .pgdump)")
@click.option("--portable", is_flag=True, help="PostgreSQL: the pure-Python format instead of pg_dump")
@with_appcontext
def backup_command(output: str | None, portable: bool) -> None:
    """Write a consistent backup of the database (works while the app runs)."""
    url = current_app.config["DATABASE_URL"]
    target = output or ops.default_output(current_app.instance_path, url, portable=portable)
    try:
        result = ops.backup(url, target, portable=portable)
    except ops.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup written: {result.path} ({result.kind}, revision {result.revision}, {result.size} bytes)")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="really replace the database (required in production)")
@with_appcontext
def restore_command(file: str, yes: bool) -> None:
    """Replace the database by the backup FILE (refuses a backup from a newer schema)."""
    url = current_app.config["DATABASE_URL"]
    if current_app.config["ENV"] == "production" and not yes:
        raise click.ClickException("refusing to restore into the production database without --yes "
                                   "(every change since the backup will be lost)")
    try:
        revision = ops.restore(url, file)
    except ops.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored {file} (revision {revision}); database at revision {ops.code_head()}")


@main.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Walk the hash chain; exit 1 if an entry was edited or deleted."""
    with session_scope() as session:
        count, head, problems = verify_chain(session)
    for problem in problems:
        click.echo(f"entry {problem.seq}: {problem.reason}", err=True)
    click.echo(f"{count} entries checked; head {head}")
    if problems:
        raise SystemExit(1)


@main.command()
@with_appcontext
def tick() -> None:
    """Periodic work, e.g. every minute from cron: close bidding whose deadline passed, send
    reminders a day before deadlines, deliver queued e-mails (printed to the log without SMTP).
    Safe on several hosts at once: each change is claimed in the database first."""
    click.echo(jobs.tick().summary())


@main.command()
@click.option("--threads", default=2, show_default=True, type=int, help="job threads")
@with_appcontext
def worker(threads: int) -> None:
    """Run queued jobs (AXBRIDGE_REDIS_URL) and the periodic tick every TICK_SECONDS until stopped."""
    from marketplace.jobs import queue

    queue.run_worker(current_app._get_current_object(), threads=threads,
                     tick_seconds=int(current_app.config["TICK_SECONDS"]))


def _refresh_index(*, full: bool) -> str:
    return discovery.refresh_shared_index(full=full).summary()


@main.group("index")
def index_group() -> None:
    """The ranking index all workers share (a snapshot in AXBRIDGE_INDEX_DIR)."""


@index_group.command("refresh")
@click.option("--full", is_flag=True, help="rebuild from every record (refit the text model) instead of folding "
                                           "in the changes since the last snapshot")
@with_appcontext
def index_refresh(full: bool) -> None:
    """Fold the committed changes into a new snapshot and publish it (workers swap at their next request)."""
    click.echo(_refresh_index(full=full))


@index_group.command("build")
@with_appcontext
def index_build() -> None:
    """Rebuild the snapshot from every record (same as ``index refresh --full``)."""
    click.echo(_refresh_index(full=True))
