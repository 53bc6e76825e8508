"""Speed and size of agreement PDFs.

    .venv/bin/python benchmarks/contracts_render.py [-n 20] [--example bakery|cooperative]

Renders the realistic example agreement (contracts.examples: the bakery's demand
forecasting project, signed, with subsidy and maintenance; 20 articles) N times per
language after warm_up(), and prints p50/p95/min wall time and median CPU time per
render_pdf() call, the page count and the PDF size, plus draft_html() time; before that,
the first render in a fresh process, cold and after warm_up(). Also checks that repeated
renders give identical bytes, and prints the load average: the numbers mean little on a
busy machine. Target: p50 <= 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contracts import draft_html, render_pdf, sha256_hex  # noqa: E402
from contracts.examples import bakery_terms, cooperative_terms  # noqa: E402
from contracts.rendering import _objects, warm_up  # noqa: E402

TARGET_P50 = 0.3


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return values[index]


def page_count(pdf: bytes) -> int:
    pages = [body for body in _objects(pdf).values() if re.search(rb"/Type /Pages\b", body)]
    return int(re.search(rb"/Count (\d+)", pages[0]).group(1))


def first_render(example: str) -> tuple[float, float]:
    """In a fresh interpreter: seconds for the first render_pdf() (imports, fonts,
    stylesheet), and for the first render after warm_up() (what a warmed web worker sees)."""
    code = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
started = time.perf_counter()
from contracts import render_pdf
from contracts.examples import bakery_terms, cooperative_terms
terms = bakery_terms(signed=True) if {example!r} == "bakery" else cooperative_terms()
render_pdf(terms, "ko")
cold = time.perf_counter() - started
"""
    warm = code.replace('render_pdf(terms, "ko")\ncold', (
        "from contracts.rendering import warm_up\nwarm_up()\n"
        "started = time.perf_counter()\nrender_pdf(terms, 'ko')\ncold"))
    times = []
    for source in (code, warm):
        out = subprocess.run([sys.executable, "-c", source + "print(cold)"],
                             capture_output=True, text=True, check=True).stdout
        times.append(float(out.split()[-1]))
    return times[0], times[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="renders per language")
    parser.add_argument("--example", choices=("bakery", "cooperative"), default="bakery")
    args = parser.parse_args()
    terms = bakery_terms(signed=True) if args.example == "bakery" else cooperative_terms()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) at start: {load:.2f} on {os.cpu_count()} CPUs")
    cold, warmed = first_render(args.example)
    print(f"first render in a new process: {cold:.2f} s (imports, fonts, stylesheet); "
          f"after warm_up(): {warmed:.3f} s")
    started = time.perf_counter()
    warm_up()
    print(f"warm_up(): {time.perf_counter() - started:.2f} s")
    print(f"{'lang':4} {'pages':>5} {'size KB':>8} {'p50 s':>7} {'p95 s':>7} {'min s':>7} "
          f"{'cpu p50':>7} {'draft ms':>8}  deterministic")
    ok = True
    for lang in ("ko", "en"):
        times, cpu, digests = [], [], set()
        for _ in range(args.n):
            started, started_cpu = time.perf_counter(), time.process_time()
            pdf = render_pdf(terms, lang)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            digests.add(sha256_hex(pdf))
        drafts = []
        for _ in range(args.n):
            started = time.perf_counter()
            draft_html(terms, lang)
            drafts.append(time.perf_counter() - started)
        p50 = statistics.median(times)
        ok &= p50 <= TARGET_P50
        pages = page_count(pdf)
        print(f"{lang:4} {pages:>5} {len(pdf) / 1024:>8.1f} {p50:>7.3f} "
              f"{percentile(times, 95):>7.3f} {min(times):>7.3f} {statistics.median(cpu):>7.3f} "
              f"{statistics.median(drafts) * 1000:>8.1f}  {'yes' if len(digests) == 1 else 'NO'}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) at end: {load:.2f}")
    print(f"target p50 <= {TARGET_P50} s: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
