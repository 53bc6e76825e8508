"""Ranking quality of the matching engine against two baselines on the labelled set.

    .venv/bin/python benchmarks/matching_quality.py [--split dev|test|all]

Reports nDCG@10 (gain 2^rel - 1) and MRR@10 (first offering with relevance
>= 2) for:

- ``engine``: :class:`matching.MatchIndex` with the semantic channel
  (:func:`matching.default_embedder`) and its default fusion;
- ``engine lexical``: the same without the semantic channel;
- ``engine/rrf``: the same, with reciprocal rank fusion (k=60) of the char
  and word channels instead of the normalised blend;
- ablations: char n-grams only, word n-grams only, no taxonomy expansion,
  text channel alone;
- ``tfidf-word``: scikit-learn ``TfidfVectorizer()`` with default word tokens;
- ``bm25``: Okapi BM25 (k1=1.2, b=0.75) on lower-cased ``\\w+`` tokens.

Every system sees the same text: the problem's description against each
offering's title, description and capability tags. The labels come from a
hand-assigned gold list of problem types per offering
(benchmarks/data/build_matching_set.py), not from the engine's taxonomy.
Engine defaults were fixed before the first run of this script and have not
been tuned on either split; a future tuning may use ``dev`` only, and ``test``
is the number to quote.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching import MatchIndex, default_embedder, offering_from_dict, problem_from_dict  # noqa: E402
from matching.scoring import CONTRIBUTIONS, problem_features, problem_type_hits, score_pairs  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def load():
    offerings = [offering_from_dict(json.loads(x)) for x in (DATA / "matching_offerings.jsonl").open(encoding="utf-8")
                 if x.strip()]
    queries = [json.loads(x) for x in (DATA / "matching_queries.jsonl").open(encoding="utf-8") if x.strip()]
    return offerings, queries


def ndcg_at(ranked, rel, k=10):
    dcg = sum((2 ** rel.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(rel.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def mrr_at(ranked, rel, k=10, threshold=2):
    for i, d in enumerate(ranked[:k]):
        if rel.get(d, 0) >= threshold:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(name, rank_fn, queries):
    nd, mr = [], []
    for q in queries:
        ranked = rank_fn(q)
        nd.append(ndcg_at(ranked, q["relevance"]))
        mr.append(mrr_at(ranked, q["relevance"]))
    return name, float(np.mean(nd)), float(np.mean(mr))


# --------------------------------------------------------------------------- baselines


class WordTfidf:
    def __init__(self, offerings, queries):
        self.ids = [o.id for o in offerings]
        self.vec = TfidfVectorizer()
        self.vec.fit([o.text for o in offerings] + [q["problem"]["description"] for q in queries])
        self.X = self.vec.transform([o.text for o in offerings])

    def rank(self, q):
        s = (self.vec.transform([q["problem"]["description"]]) @ self.X.T).toarray()[0]
        return [self.ids[i] for i in np.argsort(-s, kind="stable")[:10]]


class BM25:
    TOKEN = re.compile(r"\w+")

    def __init__(self, offerings, k1=1.2, b=0.75):
        self.ids = [o.id for o in offerings]
        self.docs = [Counter(self.TOKEN.findall(o.text.lower())) for o in offerings]
        self.len = np.array([sum(d.values()) for d in self.docs], float)
        self.avg = self.len.mean()
        df = Counter(t for d in self.docs for t in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def rank(self, q):
        terms = self.TOKEN.findall(q["problem"]["description"].lower())
        s = np.zeros(len(self.docs))
        for i, d in enumerate(self.docs):
            norm = self.k1 * (1 - self.b + self.b * self.len[i] / self.avg)
            s[i] = sum(self.idf.get(t, 0.0) * d[t] * (self.k1 + 1) / (d[t] + norm) for t in terms if t in d)
        return [self.ids[i] for i in np.argsort(-s, kind="stable")[:10]]


# --------------------------------------------------------------------------- engine variants


def engine_ranker(index):
    def rank(q):  # the indexed problem (its stored embedding when the index has a semantic channel)
        return [m.id for m in index.rank_offerings(q["problem"]["id"], top=10)]
    return rank


def channel_ranker(index, mode):
    """Engine scoring with a different text channel: 'char', 'word', 'rrf' or 'text-only'."""
    snap = index._snap()
    block = snap.offerings.main
    ids = [o.id for o in block.records]

    def rank(q):
        p = problem_from_dict(q["problem"])
        qc, qw = snap.model.transform([p.text])
        cc = (qc @ block.XcT).toarray()[0]
        cw = (qw @ block.XwT).toarray()[0]
        if mode == "char":
            text = cc
        elif mode == "word":
            text = cw
        elif mode == "rrf":
            rc = np.empty(len(cc)); rc[np.argsort(-cc, kind="stable")] = np.arange(1, len(cc) + 1)
            rw = np.empty(len(cw)); rw[np.argsort(-cw, kind="stable")] = np.arange(1, len(cw) + 1)
            text = (1 / (60 + rc) + 1 / (60 + rw)) / (2 / 61)
        else:
            text = snap.model.blend(cc, cw)
        cfg = snap.config if mode != "text-only" else replace(snap.config, taxonomy=0.0, criteria=0.0,
                                                              track_record=0.0)
        contrib, excluded = score_pairs(problem_features([p], [problem_type_hits(p)]), block.feats,
                                        text[None, :], cfg)
        total = np.where(excluded[0], -np.inf, sum(contrib[k] for k in CONTRIBUTIONS)[0])
        return [ids[i] for i in np.argsort(-total, kind="stable")[:10] if np.isfinite(total[i])]
    return rank


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "test", "all"], default="all")
    args = ap.parse_args(argv)
    offerings, queries = load()
    problems = [problem_from_dict(q["problem"]) for q in queries]
    index = MatchIndex.build(offerings, problems)
    semantic = MatchIndex.build(offerings, problems, embedder=default_embedder())
    no_expand = MatchIndex.build(offerings, problems, expand=False)
    systems = [
        ("engine", engine_ranker(semantic)),
        ("engine lexical", engine_ranker(index)),
        ("engine/rrf", channel_ranker(index, "rrf")),
        ("engine/char only", channel_ranker(index, "char")),
        ("engine/word only", channel_ranker(index, "word")),
        ("engine/no expansion", engine_ranker(no_expand)),
        ("engine/text only", channel_ranker(index, "text-only")),
        ("tfidf-word", WordTfidf(offerings, queries).rank),
        ("bm25", BM25(offerings).rank),
    ]
    splits = ["dev", "test", "all"] if args.split == "all" else [args.split]
    for split in splits:
        qs = [q for q in queries if split == "all" or q["split"] == split]
        ko = sum(q["lang"] == "ko" for q in qs)
        print(f"\nsplit={split}: {len(qs)} queries ({ko} Korean, {len(qs) - ko} English), {len(offerings)} offerings")
        print(f"{'system':<22} {'nDCG@10':>8} {'MRR@10':>8}")
        for name, fn in systems:
            _, nd, mr = evaluate(name, fn, qs)
            print(f"{name:<22} {nd:8.3f} {mr:8.3f}")
        for lang in ("ko", "en"):
            sub = [q for q in qs if q["lang"] == lang]
            row = [f"{name.split(' ')[0]}={evaluate(name, fn, sub)[1]:.3f}" for name, fn in
                   (systems[0], systems[-2], systems[-1])]
            print(f"  {lang} nDCG@10: " + ", ".join(row))


if __name__ == "__main__":
    main()
