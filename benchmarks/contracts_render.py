"""Speed and size of agreement PDFs.

    .venv/bin/python benchmarks/contracts_render.py [-n 20] [--example bakery|cooperative]

Renders the realistic example agreement (contracts.examples: the bakery's demand
forecasting project, signed, with subsidy and maintenance; 20 articles) N times per
language after one warm-up render, and prints p50/p95 wall time per render_pdf() call,
the page count and the PDF size, plus draft_html() time. Also checks that repeated
renders give identical bytes. Target: p50 <= 0.3 s.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contracts import draft_html, render_pdf, sha256_hex  # noqa: E402
from contracts.examples import bakery_terms, cooperative_terms  # noqa: E402
from contracts.rendering import _objects  # noqa: E402

TARGET_P50 = 0.3


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return values[index]


def page_count(pdf: bytes) -> int:
    pages = [body for body in _objects(pdf).values() if re.search(rb"/Type /Pages\b", body)]
    return int(re.search(rb"/Count (\d+)", pages[0]).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="renders per language")
    parser.add_argument("--example", choices=("bakery", "cooperative"), default="bakery")
    args = parser.parse_args()
    terms = bakery_terms(signed=True) if args.example == "bakery" else cooperative_terms()

    started = time.perf_counter()
    render_pdf(terms, "ko")  # warm-up: imports WeasyPrint, loads fonts
    print(f"first render (imports, font loading): {time.perf_counter() - started:.2f} s")
    print(f"{'lang':4} {'pages':>5} {'size KB':>8} {'p50 s':>7} {'p95 s':>7} {'min s':>7} "
          f"{'draft ms':>8}  deterministic")
    ok = True
    for lang in ("ko", "en"):
        times, digests = [], set()
        for _ in range(args.n):
            started = time.perf_counter()
            pdf = render_pdf(terms, lang)
            times.append(time.perf_counter() - started)
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
              f"{percentile(times, 95):>7.3f} {min(times):>7.3f} "
              f"{statistics.median(drafts) * 1000:>8.1f}  {'yes' if len(digests) == 1 else 'NO'}")
    print(f"target p50 <= {TARGET_P50} s: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
