"""Speed of the matching engine on synthetic data.

    .venv/bin/python benchmarks/matching_speed.py [--quick] [--offerings N] [--batch N]

Generates N offerings (default 100,000) by recombining sentences of the demo
offerings with random capabilities, industries, regions, prices and profiles;
reports index build time, memory (peak RSS and the size of the index arrays),
p50/p95 milliseconds per ``rank_offerings(top=10)`` call *with* explanations
(one core: run with OMP_NUM_THREADS=1 / taskset to be strict), and the time of
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

from matching import MatchIndex, OfferingRecord, ProblemRecord, assign, offering_from_dict, taxonomy  # noqa: E402

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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10,000 offerings and a 500 x 500 batch")
    ap.add_argument("--offerings", type=int, default=None)
    ap.add_argument("--batch", type=int, default=None)
    args = ap.parse_args(argv)
    n = args.offerings or (10_000 if args.quick else 100_000)
    b = args.batch or (500 if args.quick else 2_000)
    qs = queries()

    t = time.perf_counter()
    offerings = synth_offerings(n)
    gen = time.perf_counter() - t
    rss0 = rss_mb()
    t = time.perf_counter()
    index = MatchIndex.build(offerings, qs)
    build = time.perf_counter() - t
    snap = index._snap()
    main = snap.offerings.main
    arrays = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (main.XcT, main.XwT)) / 2**20
    print(f"offerings: {n:,} (generated in {gen:.1f} s); queries: {len(qs)}")
    print(f"build: {build:.1f} s; peak RSS {rss_mb():.0f} MB (+{rss_mb() - rss0:.0f} MB for the build); "
          f"sparse matrices {arrays:.0f} MB; vocab char={len(snap.model.char.vocabulary_):,} "
          f"word={len(snap.model.word.vocabulary_):,}")

    for q in qs[:5]:
        index.rank_offerings(q, top=10)  # warm-up
    times = []
    for q in qs * 2:
        t = time.perf_counter()
        res = index.rank_offerings(q, top=10)
        times.append((time.perf_counter() - t) * 1000)
        assert res and res[0].reasons is not None
    times = np.array(times)
    print(f"rank_offerings top 10 with explanations: p50 {np.percentile(times, 50):.1f} ms, "
          f"p95 {np.percentile(times, 95):.1f} ms over {len(times)} queries")

    t = time.perf_counter()
    index.upsert_offering(synth_offerings(1, seed=99)[0])
    print(f"upsert one offering: {(time.perf_counter() - t) * 1000:.1f} ms")

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
    t_batch = time.perf_counter() - t
    print(f"batch {b:,} x {b:,}: build {t_build:.1f} s, score matrix {t_scores:.1f} s, "
          f"assignment (min non-capital share 0.5) {t_assign:.1f} s -> total {t_build + t_scores + t_assign:.1f} s; "
          f"top-10 lists with explanations for all {b:,} problems {t_batch:.1f} s")
    print(f"assignment objective {plain.objective:.2f} vs greedy {plain.greedy_objective:.2f} "
          f"(+{plain.improvement * 100:.2f}%), {len(plain.pairs):,} pairs; non-capital share "
          f"{plain.non_capital_share:.2f}")
    print(f"with min non-capital share 0.5: objective {result.objective:.2f}, share {result.non_capital_share:.2f}, "
          f"met={result.min_share_met}")


if __name__ == "__main__":
    main()
