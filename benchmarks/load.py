"""Load test: the app under gunicorn (2 workers) on loopback, against a freshly migrated and seeded database.

    .venv/bin/python benchmarks/load.py [--seconds 20] [--quick] [--concurrency 8] [--vendors 40]
                                        [--postgres postgresql://postgres@127.0.0.1:5432/test]

SQLite (a temporary file) by default; ``--postgres URL`` creates a temporary database next to
URL's and drops it afterwards. Scenarios, each for ``--seconds`` (5 with ``--quick``), driven by
``--concurrency`` threads with http.client (keep-alive when the server allows it):

  i.   home      GET /  (Korean home page)
  ii.  matches   GET /api/v1/problems/{id}/matches  (the SME owner's bearer token from POST /api/v1/tokens)
  iii. bids      POST /api/v1/problems/{id}/bids {submit: true}  (many vendors x many problems in bidding,
                 each (vendor, problem) pair once: a vendor has one bid per problem)
  iv.  deadline  N vendors submit at once in the last moment before a deadline ~2 s away; afterwards
                 every 201 is stored, every refusal is a 409, nothing lost or duplicated: PASS/FAIL.

Set-up goes through the services in this process (extra vendor accounts and their tokens, problems in
bidding; the deadline of scenario iv is moved to ~2 s away directly, since the service requires at
least a day). Only 127.0.0.1 is contacted. gunicorn is always stopped at the end (also on Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
SME_EMAIL = "owner@hanbit-bakery.example"
VENDOR_PASSWORD = "load-test-vendor-password-2026"


# --- database and server -------------------------------------------------------------------------

@contextlib.contextmanager
def temporary_database(postgres: str | None):
    if not postgres:
        with tempfile.TemporaryDirectory(prefix="axbridge-load-") as work:
            yield f"sqlite:///{Path(work) / 'load.sqlite3'}", Path(work)
        return
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from marketplace.database import make_engine, normalise_url

    base = make_url(normalise_url(postgres))
    if base.host not in (None, "127.0.0.1", "localhost", "::1"):
        raise SystemExit("--postgres must point at loopback")
    name = f"axbridge_load_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        with tempfile.TemporaryDirectory(prefix="axbridge-load-") as work:
            yield base.set(database=name).render_as_string(hide_password=False), Path(work)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(url: str, secret: str, work: Path, workers: int = 2, app: str = "marketplace:create_app()"):
    port = free_port()
    env = {**os.environ, "AXBRIDGE_DATABASE_URL": url, "AXBRIDGE_SECRET_KEY": secret, "AXBRIDGE_ENV": "production",
           "AXBRIDGE_INDEX_DIR": str(work / "index"), "PYTHONPATH": str(ROOT)}
    log = open(work / f"gunicorn-{port}.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"{HOST}:{port}",
                             "--timeout", "60", "--graceful-timeout", "5", app],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log.name}")
            try:
                status, _ = request(port, "GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz within 120 s")
            time.sleep(0.2)
        yield port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # our own session: the master and its workers
                proc.wait(timeout=10)
        log.close()


def request(port: int, method: str, path: str, body: dict | None = None, token: str | None = None,
            conn: http.client.HTTPConnection | None = None, timeout: float = 30) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"Accept-Language": "ko"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
        return response.status, payload
    except (OSError, http.client.HTTPException):
        conn.close()
        raise
    finally:
        if own:
            conn.close()


# --- the world -----------------------------------------------------------------------------------

PROBLEM = dict(
    description=("매장 3곳에 매일 새벽 40여 종의 빵을 구워 보내는데, 감으로 수량을 정해 평일 폐기율이 15% 안팎입니다. "
                 "POS에 3년치 판매 기록이 있으니 다음 날 품목별 생산 수량을 알려 주는 서비스를 원합니다."),
    process="제빵 생산계획", industry="C10", problem_types=["demand_forecasting"],
    kpis=[{"name": "당일 폐기율", "unit": "%", "baseline": "15.2", "target": "7.0", "direction": "lower"}],
    data_assets=[{"kind": "POS 판매 기록", "description": "매장별·품목별", "volume": "41만 행", "period_months": 36,
                  "labelled": False}],
    systems=["pos"], budget_min_krw=20_000_000, budget_max_krw=35_000_000,
    weights={"quality": 15, "throughput": 0, "cost": 30, "delivery_speed": 25, "explainability": 10,
             "data_privacy": 0, "maintenance": 20},
)


def bid_body(kpi_ids: list[int]) -> dict:
    return {"price_krw": 28_000_000, "duration_weeks": 9, "submit": True,
            "approach": "POS 판매 기록과 날씨 데이터로 품목별 수요를 예측하고 매일 저녁 생산 수량을 안내합니다.",
            "milestones": [{"name": "연동", "week": 3, "payment_percent": 40},
                           {"name": "운영", "week": 9, "payment_percent": 60}],
            "kpi_commitments": [{"kpi_id": k, "value": "7.0"} for k in kpi_ids],
            "maintenance_yearly_krw": 2_000_000, "maintenance_years": 1}


def build_world(url: str, work: Path, secret: str, *, vendors: int, problems: int) -> dict:
    """Migrate, seed the demo world, add vendors (with tokens) and problems in bidding."""
    from marketplace import create_app
    from domain.brn import check_digit
    from marketplace.accounts import services as accounts
    from marketplace.accounts.models import MemberRole
    from marketplace.accounts.schemas import OrganisationProfile, UserCreate
    from marketplace.core.types import utcnow
    from marketplace.database import session_scope
    from marketplace.migrate import upgrade
    from marketplace.problems import services as problem_services
    from marketplace.problems.schemas import ProblemCreate
    from seed.loader import load_demo_world

    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret, "INSTANCE_PATH": str(work / "instance"),
                      "INDEX_DIR": str(work / "index"), "ENV": "development"})
    load_demo_world(app)
    world: dict = {"vendor_tokens": [], "bidding": [], "app": app}
    with app.app_context(), session_scope(app) as session:
        sme_owner = accounts.get_user_by_email(session, SME_EMAIL)
        from sqlmodel import select

        from marketplace.problems.models import Problem

        world["seeded_problem"] = session.exec(select(Problem.id).where(
            Problem.organisation_id == sme_owner.organisation_id).order_by(Problem.id)).first()
        for i in range(vendors):
            n = 7000 + i
            first = f"{101 + n % 899:03d}{1 + (80 + n) % 99:02d}{1 + n % 9999:04d}"
            org = accounts.register_organisation(session, OrganisationProfile(
                kind="vendor", name_ko=f"부하시험공급 {i}", name_en=f"Load Vendor {i}",
                brn=first + str(check_digit(first)), region="seoul", industry="J62", employees=10,
                annual_revenue_krw=1_000_000_000))
            account = UserCreate(email=f"vendor{i}@load.example", name=f"공급 {i}", password=VENDOR_PASSWORD)
            user = accounts.create_user(session, account, organisation=org, role=MemberRole.OWNER)
            world["vendor_tokens"].append(accounts.issue_api_token(session, user=user)[1])

        def bidding_problem(title: str):
            data = dict(PROBLEM, title=title, wanted_by=(utcnow().date() + timedelta(days=90)).isoformat())
            problem = problem_services.create_problem(session, user=sme_owner, draft=ProblemCreate.model_validate(data))
            problem_services.publish_problem(session, user=sme_owner, problem=problem)
            problem_services.open_bidding(session, user=sme_owner, problem=problem,
                                          deadline=utcnow() + timedelta(days=7))
            return problem.id, [k.id for k in problem_services.list_kpis(session, problem)]

        for i in range(problems):
            world["bidding"].append(bidding_problem(f"부하 시험 입찰 과제 {i}: 내일 구울 빵 수량 예측"))
        world["race"] = bidding_problem("마감 직전 동시 제출 시험 과제")
    with app.app_context():  # what `axbridge serve` does before gunicorn: publish the shared ranking index
        from marketplace.discovery.services.index import refresh_shared_index

        refresh_shared_index(app)
    return world


# --- driving load --------------------------------------------------------------------------------

class Result:
    def __init__(self, name: str):
        self.name = name
        self.latencies: list[float] = []
        self.errors = 0
        self.statuses: dict[int, int] = {}
        self.elapsed = 0.0
        self.lock = threading.Lock()

    def add(self, status: int | None, latency: float, ok: bool) -> None:
        with self.lock:
            self.latencies.append(latency)
            if status is not None:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            if not ok:
                self.errors += 1

    def row(self) -> str:
        n = len(self.latencies)
        if n == 0:
            return f"{self.name:<10} {0:>7} {0:>8.1f} {'-':>8} {'-':>8} {'-':>8} {self.errors:>6}"
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return ordered[min(n - 1, int(round(p / 100 * (n - 1))))] * 1000

        return (f"{self.name:<10} {n:>7} {n / self.elapsed:>8.1f} {pct(50):>8.1f} {pct(95):>8.1f} {pct(99):>8.1f} "
                f"{self.errors:>6}  {dict(sorted(self.statuses.items()))}")


def drive(name: str, port: int, seconds: float, concurrency: int, make) -> Result:
    """``make()`` returns (method, path, body, token, expected statuses) or None when there is no more work."""
    result = Result(name)
    stop_at = time.monotonic() + seconds
    hard_cap = 1_000_000  # a bound on the number of requests per scenario, whatever happens

    counter = itertools.count()

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            while time.monotonic() < stop_at and next(counter) < hard_cap:
                job = make()
                if job is None:
                    return
                method, path, body, token, expected = job
                started = time.perf_counter()
                try:
                    status, _ = request(port, method, path, body, token, conn=conn)
                except (OSError, http.client.HTTPException):
                    result.add(None, time.perf_counter() - started, False)
                    continue
                result.add(status, time.perf_counter() - started, status in expected)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    result.elapsed = max(time.monotonic() - began, 1e-9)
    return result


def naive_utc(moment):
    from datetime import timezone

    return moment if moment.tzinfo is None else moment.astimezone(timezone.utc).replace(tzinfo=None)


def deadline_race(port: int, world: dict, vendors: int, lead: float = 2.0) -> tuple[bool, str]:
    """N vendors submit together just before a deadline ``lead`` seconds away; check nothing is lost."""
    from sqlmodel import select

    from marketplace.bids.models import Bid, BidState
    from marketplace.core.types import utcnow
    from marketplace.database import session_scope
    from marketplace.problems.models import Problem

    app = world["app"]
    problem_id, kpi_ids = world["race"]
    tokens = world["vendor_tokens"][:vendors]
    with app.app_context(), session_scope(app) as session:
        problem = session.get(Problem, problem_id)
        problem.bid_deadline = utcnow() + timedelta(seconds=lead)
        deadline = problem.bid_deadline
    # Fire so that the requests are still arriving when the deadline passes: some win, some are too late.
    fire_at = time.monotonic() + lead - 0.4
    statuses: dict[int, int | str] = {}
    barrier = threading.Barrier(len(tokens))

    def submit(i: int, token: str) -> None:
        barrier.wait(timeout=30)
        time.sleep(max(0.0, fire_at - time.monotonic()))
        try:
            status, body = request(port, "POST", f"/api/v1/problems/{problem_id}/bids", bid_body(kpi_ids), token)
            statuses[i] = status
        except (OSError, http.client.HTTPException) as exc:
            statuses[i] = f"error {exc!r}"

    threads = [threading.Thread(target=submit, args=(i, t), daemon=True) for i, t in enumerate(tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)

    with app.app_context(), session_scope(app) as session:
        from marketplace.accounts import services as accounts

        vendor_of = {i: accounts.user_for_api_token(session, t).organisation_id for i, t in enumerate(tokens)}
        bids = session.exec(select(Bid).where(Bid.problem_id == problem_id)).all()
        stored = [b.vendor_id for b in bids]
        submitted = {b.vendor_id for b in bids if b.state == BidState.SUBMITTED}
        late = [b.id for b in bids if b.state == BidState.SUBMITTED and
                (b.submitted_at is None or naive_utc(b.submitted_at) >= naive_utc(deadline))]
    accepted = {vendor_of[i] for i, s in statuses.items() if s == 201}
    refused = {vendor_of[i] for i, s in statuses.items() if s == 409}
    others = {i: s for i, s in statuses.items() if s not in (201, 409)}
    problems = []
    if len(statuses) != len(tokens):
        problems.append(f"{len(tokens) - len(statuses)} requests got no answer")
    if others:
        problems.append(f"answers other than 201/409: {others}")
    if len(stored) != len(set(stored)):
        problems.append("a vendor has two bids")
    if submitted != accepted or set(stored) != accepted:
        problems.append(f"stored {sorted(set(stored))} != accepted {sorted(accepted)}")
    if late:
        problems.append(f"bids stored at or after the deadline: {late}")
    verdict = not problems
    summary = (f"{len(tokens)} vendors, deadline in {lead:.1f} s: {len(accepted)} accepted (201, all stored), "
               f"{len(refused)} refused (409), {len(others)} other; stored bids {len(stored)}")
    return verdict, summary + ("" if verdict else " -- " + "; ".join(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0, help="per scenario (default 20)")
    parser.add_argument("--quick", action="store_true", help="5 s per scenario")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--vendors", type=int, default=40, help="vendor accounts, also the deadline racers")
    parser.add_argument("--problems", type=int, default=40, help="problems in bidding for scenario iii")
    parser.add_argument("--postgres", metavar="URL", help="use a temporary PostgreSQL database next to URL's")
    args = parser.parse_args(argv)
    seconds = 5.0 if args.quick else args.seconds
    concurrency = max(1, min(args.concurrency, 64))

    import logging

    logging.basicConfig(level=logging.WARNING)
    secret = secrets.token_hex(32)
    started = time.monotonic()
    with temporary_database(args.postgres) as (url, work):
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(f"setting up {backend}: migrations, demo world, {args.vendors} vendors, {args.problems} problems ...",
              flush=True)
        world = build_world(url, work, secret, vendors=args.vendors, problems=args.problems)
        print(f"set up in {time.monotonic() - started:.1f} s; starting gunicorn (2 workers)", flush=True)
        try:
            with gunicorn(url, secret, work) as port:
                status, body = request(port, "POST", "/api/v1/tokens",
                                       {"email": SME_EMAIL, "password": "axbridge-demo-2026"})
                if status != 201:
                    raise RuntimeError(f"POST /api/v1/tokens: {status} {body[:200]!r}")
                sme_token = json.loads(body)["token"]
                match_path = f"/api/v1/problems/{world['seeded_problem']}/matches"
                status, body = request(port, "GET", match_path, token=sme_token)
                if status != 200:
                    raise RuntimeError(f"GET {match_path}: {status} {body[:200]!r}")

                results = [
                    drive("home", port, seconds, concurrency, lambda: ("GET", "/", None, None, (200,))),
                    drive("matches", port, seconds, concurrency,
                          lambda: ("GET", match_path, None, sme_token, (200,))),
                ]
                pairs = iter([(t, p) for p in world["bidding"] for t in world["vendor_tokens"]])
                lock = threading.Lock()

                def next_bid():
                    with lock:
                        pair = next(pairs, None)
                    if pair is None:
                        return None
                    token, (problem_id, kpi_ids) = pair
                    return ("POST", f"/api/v1/problems/{problem_id}/bids", bid_body(kpi_ids), token, (201,))

                results.append(drive("bids", port, seconds, concurrency, next_bid))
                verdict, summary = deadline_race(port, world, args.vendors)
        finally:
            world["app"].extensions["axbridge_db"].engine.dispose()

    print()
    print(f"{backend}, gunicorn 2 sync workers, {concurrency} client threads, {seconds:.0f} s per scenario")
    print(f"{'scenario':<10} {'requests':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}  statuses")
    for result in results:
        print(result.row())
    print(f"deadline   {'PASS' if verdict else 'FAIL'}: {summary}")
    return 0 if verdict and not any(r.errors for r in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; gunicorn stopped", file=sys.stderr)
        sys.exit(130)
