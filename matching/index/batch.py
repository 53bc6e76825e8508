"""All problems against all offerings: score matrices and batches of ranked lists.

A mixin of :class:`~matching.index.MatchIndex` (its methods ``score_matrix``
and ``batch``), kept apart because it works on whole row-major matrices
rather than one query's postings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from matching import taxonomy
from matching.errors import MatchingError
from matching.explain import Match
from matching.index.blocks import _block_from_records, _check_top, _check_unique, _compact
from matching.index.reasons import _explain
from matching.index.products import _dense
from matching.index.search import _top_indices, fuse
from matching.index.state import ScoreMatrix, _Snapshot
from matching.records import OfferingRecord, ProblemRecord
from matching.scoring import CONTRIBUTIONS, score_pairs
from matching.tokens import word_tokens


class BatchMixin:
    def score_matrix(self, problems: Sequence[Any] | None = None, offerings: Sequence[Any] | None = None,
                     chunk: int = 512) -> ScoreMatrix:
        """Scores of every problem against every offering (indexed ids or records; default: all indexed)."""
        snap = self._snap()
        P = self._view(snap, "problem", problems)
        O = self._view(snap, "offering", offerings)
        m, n = len(P["records"]), len(O["records"])
        scores = np.empty((m, n), np.float32)
        for lo in range(0, m, chunk):
            contrib, excluded = self._pair_block(snap, P, O, slice(lo, min(m, lo + chunk)), slice(0, n))
            total = sum(contrib[k] for k in CONTRIBUTIONS)
            scores[lo:lo + chunk] = np.where(excluded, -np.inf, total)
        capital = np.array([p.region in taxonomy.CAPITAL_REGION for p in P["records"]], bool)
        return ScoreMatrix([p.id for p in P["records"]], [o.id for o in O["records"]], scores,
                           O["feats"].capacity.copy(), capital)

    def batch(self, problems: Sequence[Any] | None = None, offerings: Sequence[Any] | None = None, top: int = 10,
              direction: str = "offerings", chunk: int = 256) -> dict[Any, list[Match]]:
        """All problems against all offerings (default: everything indexed).

        ``direction="offerings"`` maps each problem id to its ranked offerings;
        ``"problems"`` maps each offering id to its ranked problems.
        """
        if direction not in ("offerings", "problems"):
            raise MatchingError("direction must be 'offerings' or 'problems'")
        top = _check_top(top)
        snap = self._snap()
        P = self._view(snap, "problem", problems)
        O = self._view(snap, "offering", offerings)
        p_tok = [None] * len(P["records"])
        o_tok = [None] * len(O["records"])
        out: dict[Any, list[Match]] = {}
        queries, others = (P, O) if direction == "offerings" else (O, P)
        nq, no = len(queries["records"]), len(others["records"])
        for lo in range(0, nq, chunk):
            rows = slice(lo, min(nq, lo + chunk))
            if direction == "offerings":
                contrib, excluded = self._pair_block(snap, P, O, rows, slice(0, no))
            else:
                contrib, excluded = self._pair_block(snap, P, O, slice(0, no), rows)
                contrib = {k: v.T for k, v in contrib.items()}
                excluded = excluded.T
            total = np.where(excluded, -np.inf, sum(contrib[k] for k in CONTRIBUTIONS))
            for i in range(total.shape[0]):
                q = lo + i
                matches = []
                for j in _top_indices(total[i], top, lambda j: others["records"][j].id):
                    values = {k: float(contrib[k][i, j]) for k in CONTRIBUTIONS}
                    if direction == "offerings":
                        pi, oj = q, j
                    else:
                        pi, oj = j, q
                    if p_tok[pi] is None:
                        p_tok[pi] = set(word_tokens(P["records"][pi].text))
                    if o_tok[oj] is None:
                        o_tok[oj] = set(word_tokens(O["records"][oj].text))
                    matches.append(_explain(snap, P["records"][pi], P["hits"][pi], p_tok[pi], O["records"][oj],
                                            O["hits"][oj], values, direction=direction, other_tokens=o_tok[oj]))
                out[queries["records"][q].id] = matches
        return out

    def _view(self, snap: _Snapshot, kind: str, items: Sequence[Any] | None) -> dict[str, Any]:
        """Records, hits, row-major matrices and features for ids/records (default: all indexed)."""
        side = snap.offerings if kind == "offering" else snap.problems
        cls = OfferingRecord if kind == "offering" else ProblemRecord
        if items is None:
            full = _compact(snap, side) if len(side.delta) or not side.alive.all() else side
            b = full.main
            return {"records": b.records, "hits": b.hits, "Xc": b.XcT.T.tocsr(), "Xw": b.XwT.T.tocsr(),
                    "emb": b.emb, "feats": b.feats}
        records = [self._resolve(side, item, cls, kind) for item in items]
        _check_unique(r.id for r in records)
        b = _block_from_records(snap, kind, records, emb=self._embeddings(snap, kind, items, records))
        return {"records": b.records, "hits": b.hits, "Xc": b.XcT.T.tocsr(), "Xw": b.XwT.T.tocsr(),
                "emb": b.emb, "feats": b.feats}

    def _pair_block(self, snap: _Snapshot, P, O, prows: slice, orows: slice):
        Xc = P["Xc"][prows] @ O["Xc"][orows].T
        Xw = P["Xw"][prows] @ O["Xw"][orows].T
        text = snap.model.blend(_dense(Xc), _dense(Xw))
        cos = P["emb"][prows] @ O["emb"][orows].T if snap.embedder is not None else None
        return score_pairs(P["feats"].take(prows), O["feats"].take(orows), fuse(snap, text, cos), snap.config)
