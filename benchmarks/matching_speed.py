"""Speed of the matching engine on synthetic data, beside a bare sparse product measured in the same run.

    .venv/bin/python benchmarks/matching_speed.py [--quick] [--offerings N [N ...]] [--batch B] [--repeat R]

Generates N offerings (default: 10,000 then 100,000; ``--quick``: 10,000 only)
by recombining sentences of the demo offerings with random capabilities,
industries, regions, prices and profiles, and indexes them with the semantic
channel (multilingual-e5-small) and stored offering embeddings
(``require_embeddings=True``). Embedding 100,000 texts takes hours on one
core, so an offering's stored vector here is the normalised mean of the real
embeddings of its title and two sentences (the sentences are embedded once
and cached in benchmarks/out/): the same shape and cost as a real one.

Per size, all on one core (``OMP_NUM_THREADS=1``), CPU time of the calling
thread per query (median over the 160 labelled queries x R passes):

- ``engine``: ``rank_offerings(problem, top=10)`` with explanations, the problem
  carrying its embedding (the per-query embedding time is reported apart);
- ``bare word``: scikit-learn ``TfidfVectorizer()`` fitted on the same offerings,
  query transform + one sparse product with the term-major matrix + top 10;
- ``bare char+word``: the engine's own two TF-IDF matrices, query transform +
  two scipy sparse products + blend + top 10.

The ratio engine / bare product is the marginal cost of the engine's ranking.
Also: build time, peak RSS, the size of the index arrays, and a fresh process
that loads the saved snapshot memory-mapped (its RSS split into private and
shared pages, and its query time). From ``CANDIDATE_MIN_ROWS`` offerings on,
the candidate path's top 10 is compared with the full computation's.
Then a batch of B problems x B offerings followed by :func:`matching.assign`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from matching import MatchIndex, OfferingRecord, ProblemRecord, assign, default_embedder, taxonomy  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
OUT = ROOT / "benchmarks" / "out"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sentences():
    base = [json.loads(x) for x in (DATA / "matching_offerings.jsonl").open(encoding="utf-8") if x.strip()]
    sentences = [s.strip() for o in base for s in o["description"].replace("다. ", "다.|").replace(". ", ".|").split("|")]
    return base, sentences, [o["title"] for o in base]


def synth_offerings(n: int, seed: int = 0, with_embeddings: bool = True) -> list[OfferingRecord]:
    rng = random.Random(seed)
    _, sentences, titles = _sentences()
    sent_emb = title_emb = None
    if with_embeddings:
        sent_emb = _cached("sentences", sentences)
        title_emb = _cached("titles", titles)
    types = [p for p in taxonomy.problem_types()]
    inds = [i.code for i in taxonomy.industries("C")]
    regs = [r.code for r in taxonomy.regions()]
    model = default_embedder().name
    out = []
    for i in range(n):
        pt = rng.sample(types, rng.randint(1, 2))
        syn = [rng.choice(p.synonyms) for p in pt]
        lo = rng.randrange(1, 30) * 5_000_000
        ti = rng.randrange(len(titles))
        si = rng.sample(range(len(sentences)), 2)
        emb = None
        if with_embeddings:
            emb = title_emb[ti] + sent_emb[si[0]] + sent_emb[si[1]]
            emb = emb / np.linalg.norm(emb)
        out.append(OfferingRecord(
            id=f"s{i}",
            title=f"{titles[ti]} {syn[0]}",
            description=" ".join(sentences[j] for j in si) + " " + " ".join(syn),
            capabilities=tuple(syn),
            industries=tuple(rng.sample(inds, rng.randint(0, 3))),
            regions_served=tuple(rng.sample(regs, rng.choice([0, 0, 2, 5]))),
            deployment_modes=tuple(rng.sample(["cloud", "on_premises", "hybrid", "edge"], rng.randint(1, 2))),
            price_min=lo, price_max=lo * 3,
            profile={k: round(rng.random(), 2) for k in rng.sample(taxonomy.CRITERIA, 3)},
            completed_projects=rng.randint(0, 40), mean_review=round(rng.uniform(3, 5), 1),
            capacity=rng.randint(0, 3), embedding=emb, embedding_model=model if emb is not None else None,
        ))
    return out


def _cached(tag: str, texts: list[str]) -> np.ndarray:
    emb = default_embedder()
    key = hashlib.sha256((emb.name + "\x00".join(texts)).encode("utf-8")).hexdigest()[:20]
    path = OUT / f"speed-{tag}-{key}.npy"
    if path.exists():
        return np.load(path)
    OUT.mkdir(parents=True, exist_ok=True)
    arr = emb.embed(texts)
    np.save(path, arr)
    return arr


def queries() -> list[ProblemRecord]:
    from matching import problem_from_dict
    return [problem_from_dict(json.loads(x)["problem"]) for x in (DATA / "matching_queries.jsonl").open(encoding="utf-8")
            if x.strip()]


def _cpu(fn):
    c = time.thread_time()
    res = fn()
    return (time.thread_time() - c) * 1000, res


def _full_path(index: MatchIndex) -> MatchIndex:
    """The same snapshot, ranked by the full computation (no candidate structures)."""
    from dataclasses import replace
    snap = index._snap()
    full = MatchIndex()
    full._snapshot = replace(snap, offerings=replace(snap.offerings, accel=None))
    return full


def _top10(scores: np.ndarray) -> list[int]:
    idx = np.argpartition(-scores, 9)[:10]
    return idx[np.lexsort((idx, -scores[idx]))].tolist()


class BareWord:
    """scikit-learn word TF-IDF: one sparse product per query and a top 10."""

    def __init__(self, offerings):
        self.vec = TfidfVectorizer(dtype=np.float32)
        self.XT = self.vec.fit_transform([o.text for o in offerings]).T.tocsr()

    def __call__(self, text: str):
        q = self.vec.transform([text])
        return _top10((q @ self.XT).toarray()[0])


class BareEngineLexical:
    """The engine's own char and word TF-IDF matrices: two scipy sparse products, the blend and a top 10."""

    def __init__(self, index: MatchIndex):
        snap = index._snap()
        self.model, self.block = snap.model, snap.offerings.main

    def __call__(self, text: str):
        qc, qw = self.model.transform([text])
        s = self.model.blend((qc @ self.block.XcT).toarray()[0], (qw @ self.block.XwT).toarray()[0])
        return _top10(s)


def smaps() -> dict[str, float]:
    """This process's resident memory in MB: total, private (anonymous or written) and shared file pages."""
    out = {}
    try:
        for line in open("/proc/self/smaps_rollup", encoding="ascii"):
            k, _, rest = line.partition(":")
            if k in ("Rss", "Private_Clean", "Private_Dirty", "Shared_Clean", "Shared_Dirty", "Anonymous"):
                out[k] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return out


_LOADER = r"""
import json, os, sys, time
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, sys.argv[1])
import numpy as np
sys.path.insert(0, os.path.join(sys.argv[1], "benchmarks"))
import matching_speed as ms
from matching import MatchIndex, default_embedder
before = ms.smaps()
t = time.perf_counter()
index = MatchIndex.load(sys.argv[2], embedder=default_embedder(), verify=False)
load = time.perf_counter() - t
qs = ms.with_embeddings(ms.queries(), json.loads(open(sys.argv[3]).read()))
for q in qs[:5]:
    index.rank_offerings(q)
cpu = [ms._cpu(lambda q=q: index.rank_offerings(q, top=10))[0] for q in qs]
after = ms.smaps()
print(json.dumps({"load": load, "cpu50": float(np.median(cpu)), "before": before, "after": after}))
"""


def with_embeddings(qs: list[ProblemRecord], vectors) -> list[ProblemRecord]:
    from dataclasses import replace
    return [replace(q, embedding=np.asarray(v, np.float32)) for q, v in zip(qs, vectors)]


def bench_size(n: int, qs: list[ProblemRecord], repeat: int = 3) -> dict:
    """Index n synthetic offerings and time queries beside the bare sparse products."""
    offerings = synth_offerings(n)
    emb = default_embedder()
    embed_ms = [_cpu(lambda q=q: emb.embed_query([q.text]))[0] for q in qs]
    qvecs = emb.embed_query([q.text for q in qs])
    qe = with_embeddings(qs, qvecs)
    rss0 = rss_mb()
    t = time.perf_counter()
    index = MatchIndex.build(offerings, embedder=emb, require_embeddings=True)
    build = time.perf_counter() - t
    build_rss = rss_mb()
    snap = index._snap()
    main = snap.offerings.main
    arrays = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (main.XcT, main.XwT)) / 2**20
    arrays += main.emb.nbytes / 2**20
    acc = snap.offerings.accel
    if acc is not None:
        arrays += sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (acc.XcR, acc.XwR)) / 2**20
    word, lexical = BareWord(offerings), BareEngineLexical(index)
    full = _full_path(index) if acc is not None else None
    for q in qe[:5]:
        index.rank_offerings(q, top=10)
        word(q.text)
        lexical(q.text)
    cpu = {"engine": [], "word": [], "lexical": [], "full": []}
    overlap, same = [], 0
    for r in range(repeat):
        for q in qe:  # interleaved, so that all see the same load
            c, res = _cpu(lambda q=q: index.rank_offerings(q, top=10))
            cpu["engine"].append(c)
            assert res and res[0].reasons
            cpu["word"].append(_cpu(lambda q=q: word(q.text))[0])
            cpu["lexical"].append(_cpu(lambda q=q: lexical(q.text))[0])
            if full is not None and r == 0:
                c, ref = _cpu(lambda q=q: full.rank_offerings(q, top=10))
                cpu["full"].append(c)
                a, b = [m.id for m in res], [m.id for m in ref]
                overlap.append(len(set(a) & set(b)) / max(len(b), 1))
                same += [(m.id, m.score) for m in res] == [(m.id, m.score) for m in ref]
    med = {k: float(np.median(v)) if v else None for k, v in cpu.items()}
    t = time.perf_counter()
    index.upsert_offering(synth_offerings(1, seed=99)[0])
    upsert = (time.perf_counter() - t) * 1000
    # A fresh process loads the saved snapshot memory-mapped.
    OUT.mkdir(parents=True, exist_ok=True)
    snap_dir = OUT / f"speed-index-{n}"
    t = time.perf_counter()
    index.save(snap_dir)
    save = time.perf_counter() - t
    qfile = OUT / "speed-queries.json"
    qfile.write_text(json.dumps(qvecs.tolist()))
    proc = subprocess.run([sys.executable, "-c", _LOADER, str(ROOT), str(snap_dir), str(qfile)],
                          capture_output=True, text=True, check=True)
    loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    row = {"n": n, "build": build, "build_mb": build_rss - rss0, "peak": rss_mb(), "arrays": arrays,
           "embed50": float(np.median(embed_ms)), "upsert": upsert, "save": save, "loaded": loaded,
           "overlap": float(np.mean(overlap)) if overlap else None, "same": same,
           "path": "candidates" if acc is not None else "full", **{f"{k}50": v for k, v in med.items()}}
    la, lb = loaded["after"], loaded["before"]
    print(f"  {n:,} offerings: build {build:.1f} s (+{row['build_mb']:.0f} MB RSS), index arrays {arrays:.0f} MB, "
          f"{row['path']} path; CPU per query p50: engine {med['engine']:.2f} ms, "
          f"bare word {med['word']:.2f} ms, bare char+word {med['lexical']:.2f} ms; "
          f"query embedding {row['embed50']:.1f} ms; upsert {upsert:.1f} ms", flush=True)
    print(f"    snapshot saved in {save:.1f} s; a fresh process loads it memory-mapped in {loaded['load']:.1f} s; "
          f"after its queries: RSS +{la.get('Rss', 0) - lb.get('Rss', 0):.0f} MB, of which process-private (anonymous) "
          f"+{la.get('Anonymous', 0) - lb.get('Anonymous', 0):.0f} MB and file-backed pages that other workers "
          f"share {(la.get('Rss', 0) - la.get('Anonymous', 0)) - (lb.get('Rss', 0) - lb.get('Anonymous', 0)):.0f} MB; "
          f"its query CPU p50 {loaded['cpu50']:.2f} ms", flush=True)
    if full is not None:
        print(f"    full computation on the same snapshot: CPU p50 {med['full']:.2f} ms; top-10 overlap "
              f"{row['overlap']:.4f}, identical lists (ids and scores) {same}/{len(qs)}", flush=True)
    del index, offerings
    return row


def bench_batch(b: int, qs: list[ProblemRecord]) -> dict:
    rng = random.Random(1)
    batch_off = synth_offerings(b, seed=7, with_embeddings=False)
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
    print(f"{'offerings':>10} {'build s':>8} {'RSS MB':>7} {'arrays MB':>9} {'engine ms':>9} {'bare word':>9} "
          f"{'ratio':>6} {'bare c+w':>8} {'ratio':>6} {'embed ms':>8} {'worker anon MB':>14}")
    for r in rows:
        la, lb = r["loaded"]["after"], r["loaded"]["before"]
        priv = la.get("Anonymous", 0) - lb.get("Anonymous", 0)
        print(f"{r['n']:>10,} {r['build']:8.1f} {r['build_mb']:7.0f} {r['arrays']:9.0f} {r['engine50']:9.2f} "
              f"{r['word50']:9.2f} {r['engine50'] / r['word50']:6.2f} {r['lexical50']:8.2f} "
              f"{r['engine50'] / r['lexical50']:6.2f} {r['embed50']:8.1f} {priv:14.0f}")
    print("(CPU ms per query, median; engine = top 10 with explanations incl. the semantic channel, the problem's "
          "embedding given; embed ms = embedding one problem, apart; worker anon MB = memory private to a worker that "
          "loaded the snapshot memory-mapped and ranked the 160 queries, the arrays being shared file pages)")
    print(f"\nbatch {b:,} x {b:,}: build {batch['build']:.1f} s + score matrix {batch['scores']:.1f} s + assignment "
          f"(min non-capital share 0.5) {batch['assign']:.1f} s = {batch['total']:.1f} s (target < 10 s); "
          f"top-10 lists with explanations for all {b:,} problems {batch['lists']:.1f} s")
    plain, share = batch["plain"], batch["share"]
    print(f"assignment objective {plain.objective:.2f} vs greedy {plain.greedy_objective:.2f} "
          f"(+{plain.improvement * 100:.2f}%), {len(plain.pairs):,} pairs; non-capital share "
          f"{plain.non_capital_share:.2f}")
    print(f"with min non-capital share 0.5: objective {share.objective:.2f}, share {share.non_capital_share:.2f}, "
          f"met={share.min_share_met}")
    print("targets: engine <= 2x a bare sparse product at 100,000 offerings (one core); batch + assignment < 10 s")


if __name__ == "__main__":
    main()
