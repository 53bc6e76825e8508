"""Speed of the matching engine on synthetic data.

    .venv/bin/python benchmarks/matching_speed.py [--quick] [--offerings N [N ...]] [--batch B] [--repeat R]

Generates N offerings (default: 10,000 then 100,000; ``--quick``: 10,000 only) by recombining sentences of the demo
offerings with random capabilities, industries, regions, prices and profiles;
reports index build time, memory (peak RSS and the size of the index arrays),
p50/p95 milliseconds per ``rank_offerings(top=10)`` call *with* explanations,
wall clock and CPU time of the calling thread (one core: OMP_NUM_THREADS=1;
the CPU time is what the query costs when the cores are shared). From
``matching.index.CANDIDATE_MIN_ROWS`` offerings on, queries take the candidate
path (candidate generation + exact rescoring); the same queries are then also
run through the full computation, and the report gives its p50 and the overlap
of the two top-10 lists (1.0: the same offerings). Then the time of
a batch of B problems x B offerings followed by :func:`matching.assign`
(default B = 2,000), with its objective against greedy.
Targets: p50 <= 10 ms; batch + assignment < 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching import MatchIndex, OfferingRecord, ProblemRecord, assign, taxonomy  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synth_offerings(n: int, seed: int = 0) -> list[OfferingRecord]:
    rng = random.Random(seed)
    base = [json.loads(x) for x in (DATA / "matching_offerings.jsonl").open(encoding="utf-8") if x.strip()]
    sentences = [s.strip() for o in base for s in o["description"].replace("다. ", "다.|").replace(". ", ".|").split("|")]
    titles = [o["title"] for o in base]
    types = [p for p in taxonomy.problem_types()]
    inds = [i.code for i in taxonomy.industries("C")]
    regs = [r.code for r in taxonomy.regions()]
    out = []
    for i in range(n):
        pt = rng.sample(types, rng.randint(1, 2))
        syn = [rng.choice(p.synonyms) for p in pt]
        lo = rng.randrange(1, 30) * 5_000_000
        out.append(OfferingRecord(
            id=f"s{i}",
            title=f"{rng.choice(titles)} {syn[0]}",
            description=" ".join(rng.sample(sentences, 2)) + " " + " ".join(syn),
            capabilities=tuple(syn),
            industries=tuple(rng.sample(inds, rng.randint(0, 3))),
            regions_served=tuple(rng.sample(regs, rng.choice([0, 0, 2, 5]))),
            deployment_modes=tuple(rng.sample(["cloud", "on_premises", "hybrid", "edge"], rng.randint(1, 2))),
            price_min=lo, price_max=lo * 3,
            profile={k: round(rng.random(), 2) for k in rng.sample(taxonomy.CRITERIA, 3)},
            completed_projects=rng.randint(0, 40), mean_review=round(rng.uniform(3, 5), 1),
            capacity=rng.randint(0, 3),
        ))
    return out


def queries() -> list[ProblemRecord]:
    from matching import problem_from_dict
    return [problem_from_dict(json.loads(x)["problem"]) for x in (DATA / "matching_queries.jsonl").open(encoding="utf-8")
            if x.strip()]


def _timed(index, q):
    w, c = time.perf_counter(), time.thread_time()
    res = index.rank_offerings(q, top=10)
    return (time.perf_counter() - w) * 1000, (time.thread_time() - c) * 1000, res


def _full_path(index: MatchIndex) -> MatchIndex:
    """The same snapshot, ranked by the full computation (no candidate structures)."""
    from dataclasses import replace
    snap = index._snap()
    full = MatchIndex()
    full._snapshot = replace(snap, offerings=replace(snap.offerings, accel=None))
    return full


def bench_size(n: int, qs: list[ProblemRecord], repeat: int = 3) -> dict:
    """Build an index of n synthetic offerings (plus the labelled queries as problems) and time queries."""
    offerings = synth_offerings(n)
    rss0 = rss_mb()
    t = time.perf_counter()
    index = MatchIndex.build(offerings, qs)
    build = time.perf_counter() - t
    snap = index._snap()
    main = snap.offerings.main
    arrays = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (main.XcT, main.XwT)) / 2**20
    candidates = snap.offerings.accel is not None
    full = _full_path(index) if candidates else None
    for q in qs[:5]:
        index.rank_offerings(q, top=10)  # warm-up
        if full is not None:
            full.rank_offerings(q, top=10)
    times, cpu, full_times, full_cpu, overlap, same = [], [], [], [], [], 0
    for r in range(repeat):
        for q in qs:  # alternate the two paths so that both see the same load
            w, c, res = _timed(index, q)
            times.append(w)
            cpu.append(c)
            assert res and res[0].reasons is not None
            if full is not None:
                w, c, ref = _timed(full, q)
                full_times.append(w)
                full_cpu.append(c)
                if r == 0:
                    a, b = [m.id for m in res], [m.id for m in ref]
                    overlap.append(len(set(a) & set(b)) / len(b))
                    same += [(m.id, m.score) for m in res] == [(m.id, m.score) for m in ref]
    times = np.array(times)
    t = time.perf_counter()
    index.upsert_offering(synth_offerings(1, seed=99)[0])
    upsert = (time.perf_counter() - t) * 1000
    row = {"n": n, "build": build, "peak": rss_mb(), "build_mb": rss_mb() - rss0, "arrays": arrays,
           "vocab": (len(snap.model.char.vocabulary_), len(snap.model.word.vocabulary_)),
           "p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95)), "queries": len(times),
           "cpu50": float(np.median(cpu)), "upsert": upsert, "path": "candidates" if candidates else "full"}
    if candidates:
        acc = snap.offerings.accel
        arrays += (acc.XcR.data.nbytes + acc.XcR.indices.nbytes + acc.XcR.indptr.nbytes) / 2**20
        row.update(arrays=arrays, full50=float(np.median(full_times)), full95=float(np.percentile(full_times, 95)),
                   fullcpu50=float(np.median(full_cpu)), overlap=float(np.mean(overlap)), same=same)
    print(f"  {n:,} offerings: build {build:.1f} s, peak RSS {row['peak']:.0f} MB, sparse matrices {arrays:.0f} MB, "
          f"vocab char={row['vocab'][0]:,} word={row['vocab'][1]:,}; {row['path']} path: query p50 {row['p50']:.1f} ms, "
          f"p95 {row['p95']:.1f} ms, CPU p50 {row['cpu50']:.1f} ms ({len(times)} queries); upsert {upsert:.1f} ms",
          flush=True)
    if candidates:
        print(f"    full computation on the same snapshot: p50 {row['full50']:.1f} ms, p95 {row['full95']:.1f} ms, "
              f"CPU p50 {row['fullcpu50']:.1f} ms; top-10 overlap {row['overlap']:.4f}, identical lists "
              f"(ids and scores) {same}/{len(qs)}", flush=True)
    del index, offerings
    return row


def bench_batch(b: int, qs: list[ProblemRecord]) -> dict:
    rng = random.Random(1)
    batch_off = synth_offerings(b, seed=7)
    batch_prob = [ProblemRecord(f"bp{i}", description=q.description, industry=q.industry,
                                region=rng.choice([r.code for r in taxonomy.regions()]), budget_max=q.budget_max,
                                on_premises_required=q.on_premises_required)
                  for i, q in enumerate(rng.choice(qs) for _ in range(b))]
    t = time.perf_counter()
    bindex = MatchIndex.build(batch_off, batch_prob)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    sm = bindex.score_matrix()
    t_scores = time.perf_counter() - t
    t = time.perf_counter()
    result = assign(sm, min_non_capital_share=0.5)
    t_assign = time.perf_counter() - t
    plain = assign(sm)
    t = time.perf_counter()
    bindex.batch(top=10)
    t_lists = time.perf_counter() - t
    return {"b": b, "build": t_build, "scores": t_scores, "assign": t_assign,
            "total": t_build + t_scores + t_assign, "lists": t_lists, "plain": plain, "share": result}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10,000 offerings only and a 500 x 500 batch (< 1 minute)")
    ap.add_argument("--offerings", type=int, nargs="*", default=None, help="index sizes (default: 10,000 and 100,000)")
    ap.add_argument("--batch", type=int, default=None, help="B for the B x B batch (default 2,000)")
    ap.add_argument("--repeat", type=int, default=3, help="passes over the 160 queries per size (default 3)")
    args = ap.parse_args(argv)
    sizes = args.offerings or ([10_000] if args.quick else [10_000, 100_000])
    b = args.batch or (500 if args.quick else 2_000)
    qs = queries()
    print(f"{len(qs)} queries x {args.repeat} passes; OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}", flush=True)
    rows = [bench_size(n, qs, args.repeat) for n in sizes]
    batch = bench_batch(b, qs)
    print()
    print(f"{'offerings':>10} {'build s':>8} {'peak MB':>8} {'path':>10} {'p50 ms':>7} {'p95 ms':>7} {'CPU p50':>7} "
          f"{'full p50':>8} {'overlap':>7}")
    for r in rows:
        extra = f" {r['full50']:8.1f} {r['overlap']:7.4f}" if "full50" in r else f" {'-':>8} {'-':>7}"
        print(f"{r['n']:>10,} {r['build']:8.1f} {r['peak']:8.0f} {r['path']:>10} {r['p50']:7.1f} {r['p95']:7.1f} "
              f"{r['cpu50']:7.1f}{extra}")
    print("(peak MB is the process's peak RSS so far, so it includes the smaller sizes run before)")
    print(f"\nbatch {b:,} x {b:,}: build {batch['build']:.1f} s + score matrix {batch['scores']:.1f} s + assignment "
          f"(min non-capital share 0.5) {batch['assign']:.1f} s = {batch['total']:.1f} s (target < 10 s); "
          f"top-10 lists with explanations for all {b:,} problems {batch['lists']:.1f} s")
    plain, share = batch["plain"], batch["share"]
    print(f"assignment objective {plain.objective:.2f} vs greedy {plain.greedy_objective:.2f} "
          f"(+{plain.improvement * 100:.2f}%), {len(plain.pairs):,} pairs; non-capital share "
          f"{plain.non_capital_share:.2f}")
    print(f"with min non-capital share 0.5: objective {share.objective:.2f}, share {share.non_capital_share:.2f}, "
          f"met={share.min_share_met}")
    print("targets: p50 <= 10 ms at 100,000 offerings (one core); batch + assignment < 10 s")


if __name__ == "__main__":
    main()
