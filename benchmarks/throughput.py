"""Throughput against a hello-world Flask app, both under gunicorn (2 workers) and loaded with wrk in one run.

    .venv/bin/python benchmarks/throughput.py [--seconds 10] [--connections 8] [--rounds 2]
                                              [--postgres postgresql://postgres@127.0.0.1:5432/test]
                                              [--profile home|catalogue|matches [--statements]]

The app runs in production mode on a temporary database (SQLite by default; ``--postgres URL`` makes
a database next to URL's and drops it afterwards) with the demo world loaded. Pages, each loaded by
``wrk -t2 -c<connections> -d<seconds>`` against 127.0.0.1 only:

  hello      GET /                                  a Flask app that returns "hello" (the reference)
  home       GET /                                  the Korean home page
  catalogue  GET /offerings                         the offerings catalogue
  matches    GET /api/v1/problems/{id}/matches      ranked offerings for the bakery's problem (bearer token)

Each round loads hello, then the three pages; each page's ratio is its req/s over the hello req/s of
the same round, and the median over rounds is printed. A non-2xx answer or a socket error counts as
an error: the goal is none. Goals (issue 16): home >= 30%, catalogue >= 15%, matches >= 10%.

``--profile PAGE`` instead runs that request 200 times in this process under pyinstrument (production
settings, the same demo world on SQLite or with ``--postgres`` on PostgreSQL, a new cookie-less client
each time as wrk sends) and prints where the time goes and the SQL statements per request
(``--statements``: and one request's SQL).

wrk is Debian's ``wrk`` package (``apt-get install wrk``). gunicorn is always stopped at the end.
"""

from __future__ import annotations

import argparse
import re
import secrets
import shutil
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOALS = {"home": 0.30, "catalogue": 0.15, "matches": 0.10}
SME_EMAIL = "owner@hanbit-bakery.example"


def hello_app():
    """The reference: the least a Flask app can do under the same gunicorn."""
    from flask import Flask

    app = Flask("hello")
    app.add_url_rule("/", "hello", lambda: "hello")
    app.add_url_rule("/healthz", "healthz", lambda: "ok")  # what the benchmark waits for
    return app


def seed(url: str, work: Path, secret: str) -> tuple[int, str]:
    """Migrate, load the demo world; return the bakery's first problem and a bearer token of its owner."""
    from sqlmodel import select

    from marketplace import create_app
    from marketplace.accounts import services as accounts
    from marketplace.database import session_scope
    from marketplace.discovery.services.index import refresh_shared_index
    from marketplace.migrate import upgrade
    from marketplace.problems.models import Problem
    from seed.loader import load_demo_world

    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret, "INSTANCE_PATH": str(work / "instance"),
                      "INDEX_DIR": str(work / "index"), "ENV": "development"})
    load_demo_world(app)
    with app.app_context():  # what `axbridge serve` does before gunicorn: publish the shared ranking index
        refresh_shared_index(app)
    with app.app_context(), session_scope(app) as session:
        owner = accounts.get_user_by_email(session, SME_EMAIL)
        problem_id = session.exec(select(Problem.id).where(Problem.organisation_id == owner.organisation_id)
                                  .order_by(Problem.id)).first()
        _, token = accounts.issue_api_token(session, user=owner)
    return problem_id, token


def wrk(port: int, path: str, seconds: float, connections: int, token: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "-H", "Accept-Language: ko"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], check=True, capture_output=True,
                         text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    sockets = sum(int(n) for n in m.groups()) if (m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)) else 0
    latency = re.search(r"Latency\s+(\S+)", out).group(1)
    return {"rps": rps, "requests": total, "errors": non_2xx + sockets, "latency": latency}


def run(args) -> int:
    from benchmarks.load import gunicorn, request, temporary_database

    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    secret = secrets.token_hex(32)
    with temporary_database(args.postgres) as (url, work):
        problem_id, token = seed(url, work, secret)
        pages = {"home": ("/", None), "catalogue": ("/offerings", None),
                 "matches": (f"/api/v1/problems/{problem_id}/matches", token)}
        with gunicorn(url, secret, work) as app_port, hello(work) as hello_port:
            for name, (path, auth) in pages.items():  # warm both workers' caches; check the answer first
                for _ in range(4):
                    status, body = request(app_port, "GET", path, token=auth)
                    if status != 200:
                        raise SystemExit(f"{name}: GET {path} answered {status}: {body[:300]!r}")
            rows: dict[str, list[dict]] = {name: [] for name in ["hello", *pages]}
            for _ in range(args.rounds):
                rows["hello"].append(wrk(hello_port, "/", args.seconds, args.connections))
                for name, (path, auth) in pages.items():
                    rows[name].append(wrk(app_port, path, args.seconds, args.connections, auth))
    return report(rows, args)


def hello(work: Path):
    from benchmarks.load import gunicorn

    # gunicorn() serves marketplace:create_app(); the hello app is the same call with another target.
    return gunicorn("", "", work, app="benchmarks.throughput:hello_app()")


def report(rows: dict[str, list[dict]], args) -> int:
    print(f"throughput, {date.today().isoformat()}: gunicorn 2 workers each, wrk -t2 -c{args.connections} "
          f"-d{args.seconds:g}s, {args.rounds} round(s), database {'PostgreSQL' if args.postgres else 'SQLite'}")
    print(f"{'page':<10} {'req/s':>8} {'ratio':>7} {'goal':>6} {'latency':>9} {'errors':>7}")
    hello_rps = [r["rps"] for r in rows["hello"]]
    print(f"{'hello':<10} {statistics.median(hello_rps):>8.0f} {'100%':>7} {'':>6} {rows['hello'][-1]['latency']:>9} "
          f"{sum(r['errors'] for r in rows['hello']):>7}")
    met = True
    for name, goal in GOALS.items():
        ratio = statistics.median(r["rps"] / h for r, h in zip(rows[name], hello_rps, strict=True))
        errors = sum(r["errors"] for r in rows[name])
        ok = ratio >= goal and errors == 0
        met &= ok
        print(f"{name:<10} {statistics.median(r['rps'] for r in rows[name]):>8.0f} {ratio:>7.1%} {goal:>6.0%} "
              f"{rows[name][-1]['latency']:>9} {errors:>7}  {'met' if ok else 'NOT MET'}")
    return 0 if met else 1


def profile(args) -> int:
    from pyinstrument import Profiler
    from sqlalchemy import event

    from benchmarks.load import temporary_database
    from marketplace import create_app

    secret = secrets.token_hex(32)
    with temporary_database(args.postgres) as (url, work):
        problem_id, token = seed(url, work, secret)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret, "INSTANCE_PATH": str(work / "instance"),
                          "INDEX_DIR": str(work / "index"), "ENV": "production"})
        path = {"home": "/", "catalogue": "/offerings", "matches": f"/api/v1/problems/{problem_id}/matches"}[
            args.profile]
        headers = {"Accept-Language": "ko"} | ({"Authorization": f"Bearer {token}"} if args.profile == "matches" else {})
        client = app.test_client()
        for _ in range(5):
            assert client.get(path, headers=headers).status_code == 200
        statements = []
        event.listen(app.extensions["axbridge_db"].engine, "before_cursor_execute",
                     lambda _conn, _cursor, sql, *_args: statements.append(sql))
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(200):
                app.test_client().get(path, headers=headers)  # a new client: no cookie, as wrk sends
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.statements:
            print(*statements[-len(statements) // 200:], sep="\n---\n")
        print(f"SQL statements per request (with BEGIN on SQLite, without pings and BEGIN on PostgreSQL): "
              f"{len(statements) / 200:g}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="wrk duration per page and round (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of hello + pages (default 2)")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL on loopback instead of SQLite")
    parser.add_argument("--profile", choices=sorted(GOALS), help="profile one page with pyinstrument instead")
    parser.add_argument("--statements", action="store_true", help="with --profile: print one request's SQL")
    args = parser.parse_args(argv)
    return profile(args) if args.profile else run(args)


if __name__ == "__main__":
    sys.exit(main())
