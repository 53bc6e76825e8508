"""The /api/v1 layer before and after: per-request latency and the time to build the OpenAPI document.

    .venv/bin/python benchmarks/api_layer.py [--baseline REF] [-n 300] [--rounds 2]

Exports ``REF`` (default ``main``) with ``git archive`` into a temporary folder, compiles its
translations, and measures that tree and this checkout in turn, each in a fresh process of this
virtualenv (rounds alternate A, B, A, B to spread the machine's drift over both). Each process
migrates an SQLite file, builds a small world with the tests' factory (an SME with a problem in
bidding, 30 offerings) and times N requests per endpoint through Flask's test client after a
warm-up: the whole stack (routing, authentication, validation, handler, service, database, JSON),
so the layer's share is the difference. It also times building the OpenAPI document: the first
build in a process (cold: for the new layer this includes the walk that derives each operation's
statuses) and the build for a further app in the same process (warm). Prints medians and p95 in
milliseconds and the load average: on a busy machine the numbers mean little.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENDPOINTS = [
    ("GET /api/v1/me", "GET", "/api/v1/me", None),
    ("GET /api/v1/problems/{id}", "GET", "/api/v1/problems/{problem_id}", None),
    ("GET /api/v1/offerings?per_page=20", "GET", "/api/v1/offerings?per_page=20", None),
    ("GET /api/v1/notifications (paged)", "GET", "/api/v1/notifications?page=1&per_page=10", None),
    ("POST /api/v1/problems (201)", "POST", "/api/v1/problems", {"title": "새 과제 초안 만들기"}),
    ("POST /api/v1/problems (422)", "POST", "/api/v1/problems",
     {"title": "ab", "budget_min_krw": -1, "weights": {"quality": 101}, "spam": 1}),
    ("GET /api/v1/openapi.json", "GET", "/api/v1/openapi.json", None),
]


def measure(tree: Path, n: int) -> dict:
    """Runs inside the child process whose sys.path starts with ``tree``."""
    from marketplace import create_app
    from marketplace.accounts.models import User
    from marketplace.migrate import upgrade
    from tests.factories import PASSWORD, Factory

    workdir = Path(tempfile.mkdtemp(prefix="api-bench-"))
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    upgrade(url)
    config = {"ENV": "testing", "TESTING": True, "SECRET_KEY": "benchmark-secret-key-0123456789abcdef0123",
              "DATABASE_URL": url, "INSTANCE_PATH": str(workdir), "SERVER_NAME": None,
              "ARGON2_COST": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}}

    started = time.perf_counter()
    app = create_app(config)
    create_ms = (time.perf_counter() - started) * 1000
    with app.app_context():
        session = app.extensions["axbridge_db"].sessionmaker()
        factory = Factory(session)
        problem = factory.problem(state="bidding")
        vendor = factory.vendor()
        for _ in range(30):
            factory.offering(vendor)
        owner = session.get(User, problem.created_by_id)
        email, problem_id = owner.email, problem.id
        session.commit()
        session.close()

    doc_cold_ms = _build_document(app)
    doc_warm_ms = statistics.median(_build_document(create_app(config)) for _ in range(5))

    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    results = {}
    for label, method, path, body in ENDPOINTS:
        url_path = path.format(problem_id=problem_id)
        kwargs = {"headers": headers}
        if body is not None:
            kwargs["json"] = body
        status = None
        for _ in range(20):  # warm-up
            status = client.open(url_path, method=method, **kwargs).status_code
        samples = []
        for _ in range(n):
            t0 = time.perf_counter_ns()
            response = client.open(url_path, method=method, **kwargs)
            samples.append((time.perf_counter_ns() - t0) / 1e6)
            response.close()
        results[label] = {"status": status, "samples": samples}
    return {"create_app_ms": create_ms, "doc_cold_ms": doc_cold_ms, "doc_warm_ms": doc_warm_ms,
            "endpoints": results}


def _build_document(app) -> float:
    """Milliseconds to build the OpenAPI document of ``app`` (whichever layer the tree has)."""
    with app.test_request_context("/api/v1/openapi.json"):
        started = time.perf_counter()
        if hasattr(app, "api_doc"):  # flask-openapi3
            app.generate_spec_json()
        else:  # the home-made layer
            from marketplace.api.core import api
            from marketplace.api.openapi import build_openapi

            build_openapi(api, title="AX Bridge API", version="1")
        return (time.perf_counter() - started) * 1000


def export_tree(ref: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix="api-bench-baseline-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "compile", "-d",
                    str(target / "marketplace" / "translations")], check=True, capture_output=True)
    return target


def run_child(tree: Path, n: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "AXBRIDGE_BENCH_CHILD": str(tree)}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", "-n", str(n)], cwd=tree,
                          env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"measuring {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="main", help="git ref of the layer to compare with (default: main)")
    parser.add_argument("-n", type=int, default=300, help="requests per endpoint and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import logging

        logging.disable(logging.CRITICAL)
        sys.path.insert(0, os.environ["AXBRIDGE_BENCH_CHILD"])
        print(json.dumps(measure(Path(os.environ["AXBRIDGE_BENCH_CHILD"]), args.n)))
        return

    baseline = export_tree(args.baseline)
    trees = {args.baseline: baseline, "this checkout": ROOT}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            runs[name].append(run_child(tree, args.n))
    names = list(trees)

    print(f"API layer, {time.strftime('%Y-%m-%d')}: {args.rounds} rounds x {args.n} requests per endpoint, "
          f"load average {os.getloadavg()[0]:.2f}. Milliseconds: median / p95.")
    print(f"{'':44}" + "".join(f"{name[:20]:>20}" for name in names) + f"{'change':>9}")
    for label, *_rest in ENDPOINTS:
        cells, medians, statuses = [], [], set()
        for name in names:
            samples = sorted(s for r in runs[name] for s in r["endpoints"][label]["samples"])
            statuses |= {r["endpoints"][label]["status"] for r in runs[name]}
            medians.append(statistics.median(samples))
            cells.append(f"{medians[-1]:9.2f} /{samples[int(len(samples) * 0.95) - 1]:7.2f}")
        label = f"{label} {sorted(statuses)}"
        print(f"{label:44}" + "".join(f"{c:>20}" for c in cells) + f"{_change(*medians):>9}")
    for key, label in (("doc_cold_ms", "OpenAPI document, first build"),
                       ("doc_warm_ms", "OpenAPI document, further app"),
                       ("create_app_ms", "create_app, first (with imports)")):
        medians = [statistics.median(r[key] for r in runs[name]) for name in names]
        print(f"{label:44}" + "".join(f"{m:11.1f}{'':9}" for m in medians) + f"{_change(*medians):>9}")


def _change(before: float, after: float) -> str:
    return f"{(after - before) / before * 100:+.0f}%"


if __name__ == "__main__":
    main()
