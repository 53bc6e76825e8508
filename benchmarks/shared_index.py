"""The shared ranking index: what a refresh costs and what a ranking request pays for staying current.

    .venv/bin/python benchmarks/shared_index.py [--extra 2000] [-n 200]

Builds a SQLite database in a temporary directory with the demo world plus ``--extra`` copies of its offerings
(texts varied), then prints: the full build and publish of a snapshot, an incremental refresh after one edit,
a worker's first load (checksums verified, arrays mapped), and per-ranking medians for (a) the snapshot alone,
(b) the snapshot with one committed change applied in memory, (c) the swap to a newer snapshot.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select  # noqa: E402

from marketplace import create_app  # noqa: E402
from marketplace.database import session_scope  # noqa: E402
from marketplace.discovery import services as discovery  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.migrate import upgrade  # noqa: E402
from marketplace.offerings.models import Offering  # noqa: E402
from marketplace.problems.models import Problem  # noqa: E402
from seed.loader import load_demo_world  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extra", type=int, default=2000, help="offerings added to the demo world's 22")
    parser.add_argument("-n", type=int, default=200, help="rankings per measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        upgrade(url)
        directory = Path(tmp) / "index"
        app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tmp, "INDEX_DIR": str(directory),
                          "SECRET_KEY": "benchmark-secret-0123456789abcdef0123"})
        load_demo_world(app)
        with app.app_context(), session_scope(app) as session:
            seeds = session.exec(select(Offering).order_by(Offering.id)).all()
            for i in range(args.extra):
                o = seeds[i % len(seeds)]
                session.add(Offering(**{**o.model_dump(exclude={"id", "created_at", "updated_at"}),
                                        "title": f"{o.title} {i}", "description": f"{o.description} 변형 {i}"}))
        with app.app_context(), session_scope(app) as session:
            full_s, full = _timed(lambda: discovery.refresh_index(session, directory, full=True))
        print(f"offerings {full.offerings}, problems {full.problems}")
        print(f"full build + publish (checked):           {_ms(full_s)}")
        with app.app_context(), session_scope(app) as session:
            first = session.exec(select(Offering).order_by(Offering.id)).first()
            first.description += " 한 번 고침"
            session.add(first)
        with app.app_context(), session_scope(app) as session:
            inc_s, inc = _timed(lambda: discovery.refresh_index(session, directory))
        print(f"incremental refresh, 1 change:             {_ms(inc_s)} ({inc.changed} record)")
        worker = discovery.SharedIndex(directory)
        load_s, _ = _timed(worker.load)
        print(f"worker's first load (verify + map):        {_ms(load_s)}")
        with app.test_request_context():
            problem = db.session.exec(select(Problem).where(Problem.state.in_(discovery.RANKED_PROBLEM_STATES))
                                      .order_by(Problem.id)).first()
            app.extensions["axbridge_index"] = worker

            def rank():
                return discovery.rank_offerings_for_problem(db.session, problem, top=10)

            def median(fn) -> float:
                fn()
                return statistics.median(_timed(fn)[0] for _ in range(args.n))

            check_s, catch_up_s = [], []
            plain = median(rank)
            print(f"ranking, snapshot current (top 10):        {_ms(plain)} (median of {args.n})")
            check = median(lambda: worker.index(db.session))
            print(f"  of which the freshness check:            {_ms(check)}")
            for i in range(20):
                db.session.rollback()  # SQLite: one writer at a time (BEGIN IMMEDIATE)
                with session_scope(app) as session:
                    o = session.get(Offering, first.id + 1 + i)
                    o.description += f" 고침 {i}"
                    session.add(o)
                catch_up_s.append(_timed(lambda: worker.index(db.session))[0])
                check_s.append(_timed(lambda: worker.index(db.session))[0])
            print(f"check that applies 1 new change in memory: {_ms(statistics.median(catch_up_s))} (median of 20)")
            print(f"check with 1-20 applied changes pending:   {_ms(statistics.median(check_s))}")
            db.session.rollback()
            with session_scope(app) as session:
                discovery.refresh_index(session, directory)
            swap_s, _ = _timed(lambda: worker.index(db.session))
            print(f"swap to the next snapshot (verify + map):  {_ms(swap_s)}")
        size = sum(p.stat().st_size for p in (directory / "snapshots").rglob("*") if p.is_file())
        print(f"snapshots on disk: {size / 1e6:.1f} MB ({len(list((directory / 'snapshots').iterdir()))} kept)")


if __name__ == "__main__":
    main()
