"""One ranking index shared by all workers: change log, snapshots, swaps, refusals."""

import json

import pytest
from sqlmodel import select
from werkzeug.exceptions import ServiceUnavailable

from marketplace.discovery import services as discovery
from marketplace.discovery.models import IndexChange
from marketplace.discovery.services import index as shared
from marketplace.offerings.models import OfferingStatus


def _log(db_session):
    return [(c.kind, c.record_id) for c in db_session.exec(select(IndexChange).order_by(IndexChange.seq))]


def test_every_change_is_logged_in_its_own_transaction(factory, db_session):
    before = len(_log(db_session))
    offering = factory.offering()
    problem = factory.problem(state="enquiries")
    assert _log(db_session)[before:] >= [("offering", offering.id)]
    assert ("problem", problem.id) in _log(db_session)
    offering.title = "바뀐 제목"
    db_session.add(offering)
    db_session.flush()
    assert _log(db_session)[-1] == ("offering", offering.id)
    # A change that rolls back leaves no row behind.
    count = len(_log(db_session))
    nested = db_session.begin_nested()
    offering.title = "취소될 제목"
    db_session.add(offering)
    db_session.flush()
    nested.rollback()
    assert len(_log(db_session)) == count


def test_an_organisations_new_region_is_logged_but_not_its_other_fields(factory, db_session):
    problem = factory.problem(state="enquiries")
    org = problem.organisation if hasattr(problem, "organisation") else None
    from marketplace.accounts.models import Organisation

    org = db_session.get(Organisation, problem.organisation_id)
    count = len(_log(db_session))
    org.name_en = "Renamed"
    db_session.add(org)
    db_session.flush()
    assert len(_log(db_session)) == count
    org.region = "busan" if org.region != "busan" else "seoul"
    db_session.add(org)
    db_session.flush()
    assert _log(db_session)[-1] == ("organisation", org.id)


def _ranked(db_session, problem):
    return [r.offering.id for r in discovery.rank_offerings_for_problem(db_session, problem)]


def test_refresh_folds_changes_into_a_new_snapshot_that_workers_swap_to(factory, db_session, app, monkeypatch):
    directory = shared.index_dir(app)
    problem = factory.problem()
    first = factory.offering()
    report = discovery.refresh_index(db_session, directory, job=False)
    assert report.full and report.offerings == 1
    assert discovery.refresh_index(db_session, directory, job=False).skipped  # nothing new
    worker = discovery.SharedIndex(directory)
    second = factory.offering(title="베이커리 전용 생산량 예측", price_min_krw=10_000_000)
    # The worker serves its snapshot plus the committed changes after it, without building anything.
    monkeypatch.setattr(shared, "build_full", lambda session: pytest.fail("a request built an index"))
    index = worker.index(db_session)
    assert set(index.offering_ids()) == {first.id, second.id}
    name, seq = worker.snapshot
    monkeypatch.undo()
    report = discovery.refresh_index(db_session, directory, job=False)
    assert not report.full and report.changed == 1 and report.seq > seq
    worker.index(db_session)
    assert worker.snapshot == (report.snapshot, report.seq)
    pointer = json.loads((directory / "CURRENT").read_text())
    assert pointer["snapshot"] == report.snapshot and pointer["offerings"] == 2
    first.status = OfferingStatus.PAUSED
    db_session.add(first)
    db_session.commit()
    with app.test_request_context():
        assert _ranked(db_session, problem) == [second.id]


def test_a_corrupt_snapshot_is_refused_and_the_previous_one_stays(factory, db_session, app, caplog):
    directory = shared.index_dir(app)
    factory.offering()
    good = discovery.refresh_index(db_session, directory, job=False)
    worker = discovery.SharedIndex(directory)
    worker.index(db_session)
    factory.offering(title="새 제안")
    bad = discovery.refresh_index(db_session, directory, job=False)
    victim = next(p for p in (directory / "snapshots" / bad.snapshot).iterdir() if p.suffix == ".npy")
    victim.write_bytes(victim.read_bytes()[:-8] + b"corrupt!")
    worker.index(db_session)
    assert worker.snapshot[0] == good.snapshot
    assert "refused" in caplog.text
    # The refresh does not build on it either: it rebuilds from the rows.
    factory.offering(title="또 다른 제안")
    again = discovery.refresh_index(db_session, directory, job=False)
    assert again.full and again.offerings == 3
    worker.index(db_session)
    assert worker.snapshot[0] == again.snapshot


def test_in_production_a_missing_snapshot_answers_503_and_nothing_is_built(db_session, tmp_path):
    worker = discovery.SharedIndex(tmp_path / "index", build_if_missing=False)
    with pytest.raises(ServiceUnavailable):
        worker.index(db_session)
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_the_refresh_job_prunes_old_snapshots_and_folded_changes(factory, db_session, app):
    directory = shared.index_dir(app)
    for i in range(5):
        factory.offering(title=f"제안 {i}")
        discovery.refresh_index(db_session, directory, job=True)
    kept = sorted(p.name for p in (directory / "snapshots").iterdir() if not p.name.startswith("."))
    assert len(kept) == shared.KEEP_SNAPSHOTS
    oldest = int(kept[0].split("-")[0])
    assert all(c.seq > oldest for c in db_session.exec(select(IndexChange)))


def test_index_refresh_command_and_tick(tmp_path):
    from click.testing import CliRunner

    from marketplace.cli import main

    env = {"AXBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3", "AXBRIDGE_ENV": "development",
           "AXBRIDGE_INDEX_DIR": str(tmp_path / "idx")}

    def run(*args):
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("db", "upgrade")
    assert "rebuilt up to change 0" in run("index", "refresh")
    assert "up to date" in run("tick")
    assert "rebuilt" in run("index", "build")
    assert (tmp_path / "idx" / "CURRENT").exists()


def test_a_change_log_behind_the_snapshot_means_a_restored_database_and_a_rebuild(factory, db_session, app):
    directory = shared.index_dir(app)
    factory.offering()
    first = discovery.refresh_index(db_session, directory, job=False)
    pointer = json.loads((directory / "CURRENT").read_text())
    (directory / "CURRENT").write_text(json.dumps({**pointer, "seq": first.seq + 1000}))
    again = discovery.refresh_index(db_session, directory, job=False)
    assert again.full and again.seq == first.seq
