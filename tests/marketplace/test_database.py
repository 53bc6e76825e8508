from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from marketplace.models import metadata


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == [], f"models and migrations differ; run `axbridge db revision -m ...`: {diff}"


def test_sqlite_runs_in_wal_with_foreign_keys(engine):
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_timestamps_come_back_timezone_aware(factory):
    org = factory.sme()
    assert org.created_at.tzinfo is not None and org.created_at.utcoffset().total_seconds() == 0


def test_states_are_guarded_by_the_database(db_session):
    import pytest
    from sqlalchemy.exc import IntegrityError, StatementError

    with pytest.raises((IntegrityError, StatementError)):
        db_session.execute(text(
            "INSERT INTO organisation (kind, name_ko, name_en, brn, region, industry, employees, "
            "annual_revenue_krw, created_at) VALUES ('bank', 'a', 'b', '1234567890', 'seoul', 'C10', 1, 1, "
            "CURRENT_TIMESTAMP)"))
