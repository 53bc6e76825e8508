"""Two app processes on one database and one index directory rank identically, and an edit made through one is
ranked by the other: at once from the change log, and from the next snapshot after the refresh job."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from marketplace import create_app
from marketplace.database import session_scope
from marketplace.discovery import services as discovery
from marketplace.migrate import upgrade
from tests.conftest import app_settings, private_postgres_database
from tests.factories import Factory

ROOT = Path(__file__).resolve().parents[3]
SECRET = "two-process-test-secret-0123456789abcdef"

#: One app process in production mode (it never builds an index): reads JSON commands on stdin, answers on stdout.
WORKER = r"""
import json, sys
from marketplace import create_app
from marketplace.database import session_scope
from marketplace.discovery import services as discovery
from marketplace.extensions import db
from marketplace.offerings.models import Offering
from marketplace.problems.models import Problem

app = create_app({"ENV": "production", "DATABASE_URL": sys.argv[1], "INDEX_DIR": sys.argv[2], "SECRET_KEY": sys.argv[3],
                  "INSTANCE_PATH": sys.argv[4]})
for line in sys.stdin:
    command = json.loads(line)
    if command["op"] == "rank":
        with app.test_request_context():
            problem = db.session.get(Problem, command["problem"])
            ranked = discovery.rank_offerings_for_problem(db.session, problem, top=20)
            out = {"snapshot": discovery.index_manager().snapshot[0],
                   "ranking": [[r.offering.id, r.score, r.reasons] for r in ranked]}
    else:
        with app.app_context(), session_scope(app) as session:
            offering = session.get(Offering, command["offering"])
            offering.title, offering.description = command["title"], command["description"]
            session.add(offering)
        out = {"edited": command["offering"]}
    print(json.dumps(out, ensure_ascii=False), flush=True)
"""


def _score(answer: dict, offering_id: int) -> float:
    return next(score for oid, score, _reasons in answer["ranking"] if oid == offering_id)


class Worker:
    def __init__(self, url: str, directory: Path, instance: Path):
        instance.mkdir()
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER, url, str(directory), SECRET, str(instance)],
                                     cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONHASHSEED": str(len(str(instance)))})

    def ask(self, **command) -> dict:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "the worker process died"
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.proc.stdout.close()


@pytest.fixture
def database(tmp_path):
    url = os.environ.get("AXBRIDGE_TEST_DATABASE_URL")
    if url:
        with private_postgres_database(url) as private:
            upgrade(private)
            yield private
    else:
        url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        upgrade(url)
        yield url


@pytest.mark.slow
def test_two_app_processes_rank_identically_and_see_each_others_edits(database, tmp_path):
    directory = tmp_path / "index"
    app = create_app(app_settings(database, tmp_path / "main", INDEX_DIR=str(directory)))
    with app.app_context(), session_scope(app) as session:
        factory = Factory(session)
        problem = factory.problem(state="enquiries")
        offerings = [factory.offering(title=f"수요 예측 서비스 {i}") for i in range(4)]
        other = factory.offering(title="용접 비드 외관 검사", description="용접 라인의 비드 불량을 카메라로 검사합니다.",
                                 capabilities=["visual_inspection"], industries=["C25"])
        problem_id, other_id = problem.id, other.id
    with app.app_context(), session_scope(app) as session:
        first = discovery.refresh_index(session, directory)
    a = Worker(database, directory, tmp_path / "a")
    b = Worker(database, directory, tmp_path / "b")
    try:
        ra, rb = a.ask(op="rank", problem=problem_id), b.ask(op="rank", problem=problem_id)
        assert ra == rb and ra["snapshot"] == first.snapshot
        assert {row[0] for row in ra["ranking"]} >= {o.id for o in offerings} | {other_id}
        before = _score(ra, other_id)
        # The vendor rewrites its offering through process A; process B ranks the new text at once.
        a.ask(op="edit", offering=other_id, title="베이커리 일일 수요 예측 AI",
              description="동네 빵집의 판매 데이터로 내일 구울 빵의 양을 예측해 폐기를 줄입니다. 수요 예측 전문.")
        rb = b.ask(op="rank", problem=problem_id)
        ra = a.ask(op="rank", problem=problem_id)
        assert ra == rb and rb["snapshot"] == first.snapshot
        assert _score(rb, other_id) > before  # the new words count
        # The refresh job folds the edit into a new snapshot; both swap to it and still agree.
        with app.app_context(), session_scope(app) as session:
            second = discovery.refresh_index(session, directory)
        assert second.seq > first.seq and second.changed == 1
        ra2, rb2 = a.ask(op="rank", problem=problem_id), b.ask(op="rank", problem=problem_id)
        assert ra2 == rb2 and ra2["snapshot"] == second.snapshot
        assert [row[0] for row in ra2["ranking"]] == [row[0] for row in ra["ranking"]]
    finally:
        a.close()
        b.close()
        app.extensions["axbridge_db"].engine.dispose()
