"""Ranking quality on public retrieval data nobody on this team wrote, engine beside baselines, dev and test.

    .venv/bin/python benchmarks/matching_public.py [--data DIR] [--tune] [--sets NAME ...]

The sets (built by benchmarks/data/build_public_sets.py from pinned upstream
snapshots; see benchmarks/data/README.md) are looked for in ``--data``, then
``$AXBRIDGE_PUBLIC_BENCH``, ``benchmarks/data/public/`` and ``shared/benchdata``
beside the checkout. Each query ranks the documents of its own split:

- ``en_problem_solution``: English consumer problem statements -> solution texts (MEDIQA 2019);
- ``en_vendor_portfolio``: a customer request -> the provider whose portfolio covers it (BANKING77);
- ``ko_paraphrase``: Korean sentence -> its paraphrase (KorSTS).

Systems, all run here on the same texts:

- ``bm25``: ``bm25s`` (Lucene BM25, k1 = 1.5, b = 0.75, its default tokenizer;
  English stop words for the English sets);
- ``tfidf-char``: scikit-learn ``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)``;
- ``tfidf-word``: scikit-learn ``TfidfVectorizer()`` (default word tokens);
- ``e5 alone``: cosine of the engine's embedder (multilingual-e5-small, 4-bit), for reference;
- ``engine lexical``: :class:`matching.MatchIndex` without a semantic channel;
- ``engine``: :class:`matching.MatchIndex` with :func:`matching.default_embedder` and its default fusion.

Documents become offerings (description = text), queries become problems
(description = text). Metrics: nDCG@10 (gain as in the set) and MRR@10 (first
document with gain >= 1). ``--tune`` sweeps the fusion weight and floor on the
dev splits only and prints the grid; the defaults in matching/index/core.py
come from that grid. Embeddings are cached in benchmarks/out/ (they are the
same bytes every run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching import MatchIndex, OfferingRecord, ProblemRecord, default_embedder  # noqa: E402
from matching.index import SEMANTIC_FLOOR, SEMANTIC_WEIGHT  # noqa: E402

SETS = ("en_problem_solution", "en_vendor_portfolio", "ko_paraphrase")
OUT = ROOT / "benchmarks" / "out"


def data_dir(arg: str | None) -> Path | None:
    cands = [arg, os.environ.get("AXBRIDGE_PUBLIC_BENCH"), ROOT / "benchmarks" / "data" / "public",
             ROOT.parent / "shared" / "benchdata", Path("/work/shared/benchdata")]
    for c in cands:
        if c and all((Path(c) / f"{s}.jsonl").exists() for s in SETS):
            return Path(c)
    return None


def load(path: Path, split: str):
    docs, queries = [], []
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row["split"] != split:
            continue
        (docs if row["kind"] == "doc" else queries).append(row)
    return docs, queries


def ndcg(ranked, rel, k=10):
    dcg = sum((2 ** rel.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(rel.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def mrr(ranked, rel, k=10):
    for i, d in enumerate(ranked[:k]):
        if rel.get(d, 0) >= 1:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(ranked_lists, queries):
    nd = [ndcg(r, q["relevance"]) for r, q in zip(ranked_lists, queries)]
    mr = [mrr(r, q["relevance"]) for r, q in zip(ranked_lists, queries)]
    return float(np.mean(nd)), float(np.mean(mr))


def top_ids(scores: np.ndarray, ids: list, k: int = 10) -> list:
    order = np.lexsort((np.arange(len(scores)), -scores))[:k]
    return [ids[i] for i in order]


# --------------------------------------------------------------------------- baselines


def bm25_rank(docs, queries, english: bool):
    import bm25s

    stop = "en" if english else None
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([d["text"] for d in docs], stopwords=stop, show_progress=False),
                    show_progress=False)
    ids = [d["id"] for d in docs]
    out = []
    for q in queries:
        words = bm25s.tokenize([q["text"]], stopwords=stop, return_ids=False, show_progress=False)[0]
        scores = retriever.get_scores(words) if words else np.zeros(len(docs))
        out.append(top_ids(np.asarray(scores, np.float64), ids))
    return out


def tfidf_rank(docs, queries, **kw):
    vec = TfidfVectorizer(**kw)
    X = vec.fit_transform([d["text"] for d in docs])
    ids = [d["id"] for d in docs]
    S = (vec.transform([q["text"] for q in queries]) @ X.T).toarray()
    return [top_ids(S[i], ids) for i in range(len(queries))]


# --------------------------------------------------------------------------- embeddings


def cached_embeddings(texts: list[str], query: bool, tag: str) -> np.ndarray:
    emb = default_embedder()
    key = hashlib.sha256((emb.name + ("q" if query else "p") + "\x00".join(texts)).encode("utf-8")).hexdigest()[:20]
    path = OUT / f"emb-{tag}-{key}.npy"
    if path.exists():
        return np.load(path)
    OUT.mkdir(parents=True, exist_ok=True)
    out = np.concatenate([(emb.embed_query if query else emb.embed)(texts[i:i + 64])
                          for i in range(0, len(texts), 64)]) if texts else np.zeros((0, emb.dim), np.float32)
    np.save(path, out)
    return out


class Engine:
    """The engine on one split: documents as offerings with stored embeddings."""

    def __init__(self, docs, queries, tag: str):
        self.d_emb = cached_embeddings([d["text"] for d in docs], False, tag + "-docs")
        self.q_emb = cached_embeddings([q["text"] for q in queries], True, tag + "-queries")
        self.offerings = [OfferingRecord(d["id"], description=d["text"]) for d in docs]
        self.with_emb = [OfferingRecord(d["id"], description=d["text"], embedding=self.d_emb[i],
                                        embedding_model=default_embedder().name) for i, d in enumerate(docs)]
        self.problems = [ProblemRecord(q["id"], description=q["text"]) for q in queries]
        self.problems_emb = [ProblemRecord(q["id"], description=q["text"], embedding=self.q_emb[i])
                             for i, q in enumerate(queries)]
        self.docs, self.queries = docs, queries
        self.lexical = MatchIndex.build(self.offerings)

    def rank_lexical(self):
        return [[m.id for m in self.lexical.rank_offerings(p, top=10)] for p in self.problems]

    def rank(self, weight=SEMANTIC_WEIGHT, floor=SEMANTIC_FLOOR, timing=None):
        index = MatchIndex.build(self.with_emb, embedder=default_embedder(), semantic_weight=weight,
                                 semantic_floor=floor, require_embeddings=True)
        out = []
        for p in self.problems_emb:
            t = time.perf_counter()
            out.append([m.id for m in index.rank_offerings(p, top=10)])
            if timing is not None:
                timing.append(time.perf_counter() - t)
        return out

    def rank_e5(self):
        ids = [d["id"] for d in self.docs]
        S = self.q_emb @ self.d_emb.T
        return [top_ids(S[i], ids) for i in range(len(self.queries))]


def run_set(path: Path, name: str, split: str):
    docs, queries = load(path / f"{name}.jsonl", split)
    english = name.startswith("en")
    eng = Engine(docs, queries, f"{name}-{split}")
    rows = {
        "bm25": bm25_rank(docs, queries, english),
        "tfidf-char": tfidf_rank(docs, queries, analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
        "tfidf-word": tfidf_rank(docs, queries),
        "e5 alone": eng.rank_e5(),
        "engine lexical": eng.rank_lexical(),
        "engine": eng.rank(),
    }
    return {k: evaluate(v, queries) for k, v in rows.items()}, len(queries), len(docs), eng


BASELINES = ("bm25", "tfidf-char", "tfidf-word")


def report(results):
    print(f"\n{'set':<22} {'split':<5} {'system':<15} {'nDCG@10':>8} {'MRR@10':>8}")
    for (name, split), (res, nq, nd, _) in results.items():
        best = max(BASELINES, key=lambda b: res[b][0])
        for system, (n, m) in res.items():
            print(f"{name:<22} {split:<5} {system:<15} {n:8.3f} {m:8.3f}")
        gain = res["engine"][0] / res[best][0] - 1 if res[best][0] else float("nan")
        print(f"{'':<22} {split:<5} engine vs best baseline ({best}): {gain * 100:+.1f}% nDCG@10 "
              f"({nq} queries, {nd} documents)")


def tune(results):
    print("\nfusion grid on the dev splits (mean nDCG@10 over the sets; the test splits are not read):")
    weights, floors = (0.5, 0.6, 0.7, 0.8, 0.9), (0.7, 0.75, 0.8)
    engines = [(name, eng) for (name, split), (_, _, _, eng) in results.items() if split == "dev"]
    grid = {}
    for w in weights:
        for f in floors:
            per = [evaluate(eng.rank(w, f), eng.queries)[0] for _, eng in engines]
            grid[(w, f)] = (float(np.mean(per)), per)
            print(f"  weight {w:.2f} floor {f:.2f}: mean {grid[(w, f)][0]:.4f}  "
                  + " ".join(f"{n}={v:.3f}" for (n, _), v in zip(engines, per)), flush=True)
    (w, f), (score, _) = max(grid.items(), key=lambda kv: (kv[1][0], -kv[0][0]))
    print(f"best on dev: semantic_weight={w}, semantic_floor={f} (mean nDCG@10 {score:.4f})")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None)
    ap.add_argument("--tune", action="store_true", help="sweep the fusion rule on the dev splits")
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--splits", nargs="*", default=["dev", "test"])
    args = ap.parse_args(argv)
    path = data_dir(args.data)
    if path is None:
        print("public benchmark sets not found: build them with benchmarks/data/build_public_sets.py "
              "(see benchmarks/data/README.md) or set AXBRIDGE_PUBLIC_BENCH")
        return 0
    print(f"public sets from {path}; embedder {default_embedder().name}; fusion weight {SEMANTIC_WEIGHT}, "
          f"floor {SEMANTIC_FLOOR}")
    splits = ["dev"] if args.tune else args.splits
    results = {(name, split): run_set(path, name, split) for name in args.sets for split in splits}
    report(results)
    if args.tune:
        tune(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
