"""One query against the index: ranked offerings for a problem, problems for an offering, one pair explained.

A mixin of :class:`~matching.index.MatchIndex` (its read side): every method
takes the current immutable snapshot once and never locks (writers publish a
new snapshot, see :mod:`matching.index.core`). The ranking of one block is
:func:`matching.index.search._rank_block`; the reasons,
:func:`matching.index.reasons._explain`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from matching.errors import MatchingError
from matching.explain import Match
from matching.index.blocks import _block_from_records, _check_top, _embedding, _get, record_embeddings
from matching.index.reasons import _explain
from matching.index.search import _locate, _rank_block, _text_scores, _top_indices, order_by_score_then_id
from matching.index.state import Filters, _Side, _Snapshot
from matching.records import OfferingRecord, ProblemRecord, Weights
from matching.scoring import (
    CONTRIBUTIONS,
    offering_features,
    offering_type_hits,
    problem_features,
    problem_type_hits,
    score_pairs,
)
from matching.tokens import word_tokens


class QueryMixin:
    def rank_offerings(self, problem: ProblemRecord | Any, top: int = 10, weights: Weights | Mapping | None = None,
                       filters: Filters | Mapping | None = None) -> list[Match]:
        """The best ``top`` offerings for a problem (a record, or the id of an indexed problem).

        ``weights`` overrides the problem's criteria weights for this query.
        Offerings a hard constraint or a filter excludes are left out; see
        :meth:`explain` for why a given offering is missing.
        """
        snap = self._snap()
        top = _check_top(top)
        p = self._resolve(snap.problems, problem, ProblemRecord, "problem")
        if weights is not None:
            p = replace(p, weights=Weights.from_mapping(weights))
        filters = Filters.coerce(filters)
        p_hits = problem_type_hits(p)
        pf = problem_features([p], [p_hits])
        qc, qw = snap.model.transform([p.text])
        qe = self._embeddings(snap, "problem", [problem], [p])
        side = snap.offerings
        found = []  # (score, global index, block, values)
        offset = 0
        for b, block in enumerate((side.main, side.delta)):
            if len(block):
                alive = side.alive if b == 0 else None
                accel = side.accel if b == 0 else None
                for score, row, values in _rank_block(snap, pf, qc, qw, qe, block, alive, filters, top, accel,
                                                      side.rows, b):
                    found.append((score, offset + row, block, row, values))
            offset += len(block)
        # Score descending, ties by id (never by where a record sits in the index).
        found = order_by_score_then_id(found, lambda item: item[0], lambda item: item[2].records[item[3]].id)
        p_tokens = set(word_tokens(p.text))
        return [_explain(snap, p, p_hits, p_tokens, block.records[row], block.hits[row], values,
                         direction="offerings")
                for _, _, block, row, values in found[:top]]

    def rank_problems(self, offering: OfferingRecord | Any | Sequence, top: int = 10):
        """The best ``top`` problems for an offering (a record or an indexed id).

        Given a list of offerings (a vendor's catalogue), returns one list per offering.
        """
        if isinstance(offering, (list, tuple)):
            return [self.rank_problems(o, top) for o in offering]
        snap = self._snap()
        top = _check_top(top)
        o = self._resolve(snap.offerings, offering, OfferingRecord, "offering")
        o_hits = offering_type_hits(o)
        of = offering_features([o], [o_hits])
        qc, qw = snap.model.transform([o.text])
        qe = self._embeddings(snap, "offering", [offering], [o])
        side = snap.problems
        totals, parts = [], []
        for b, block in enumerate((side.main, side.delta)):
            if not len(block):
                continue
            text = _text_scores(snap, qc, qw, qe, block).T  # (m problems, 1)
            contrib, excluded = score_pairs(block.feats, of, text, snap.config)
            total = sum(contrib[k] for k in CONTRIBUTIONS)[:, 0]
            mask = excluded[:, 0] | (~side.alive if b == 0 else False)
            totals.append(np.where(mask, -np.inf, total))
            parts.append((block, {k: v.T for k, v in contrib.items()}))
        if not totals:
            return []
        best = _top_indices(np.concatenate(totals), top,
                            lambda g: (lambda block, _c, row: block.records[row].id)(*_locate(parts, g)))
        o_tokens = set(word_tokens(o.text))
        out = []
        for g in best:
            block, contrib, row = _locate(parts, g)
            values = {k: float(contrib[k][0, row]) for k in CONTRIBUTIONS}
            p = block.records[row]
            out.append(_explain(snap, p, block.hits[row], None, o, o_hits, values, direction="problems",
                                other_tokens=o_tokens))
        return out

    def explain(self, problem: ProblemRecord | Any, offering: OfferingRecord | Any) -> Match:
        """Score and reasons for one pair, including pairs a hard constraint excludes (``excluded=True``)."""
        snap = self._snap()
        p = self._resolve(snap.problems, problem, ProblemRecord, "problem")
        o = self._resolve(snap.offerings, offering, OfferingRecord, "offering")
        p_hits, o_hits = problem_type_hits(p), offering_type_hits(o)
        qc, qw = snap.model.transform([p.text])
        block = _block_from_records(snap, "offering", [o], emb=self._embeddings(snap, "offering", [offering], [o]))
        text = _text_scores(snap, qc, qw, self._embeddings(snap, "problem", [problem], [p]), block)
        contrib, excluded = score_pairs(problem_features([p], [p_hits]), block.feats, text, snap.config)
        values = {k: float(contrib[k][0, 0]) for k in CONTRIBUTIONS}
        return _explain(snap, p, p_hits, set(word_tokens(p.text)), o, o_hits, values, direction="offerings",
                        excluded=bool(excluded[0, 0]))

    def _resolve(self, side: _Side, value, cls, what: str):
        if isinstance(value, cls):
            return value
        if isinstance(value, (ProblemRecord, OfferingRecord)):
            raise MatchingError(f"expected a {what}, got {type(value).__name__}")
        record = _get(side, value)
        if record is None:
            raise MatchingError(f"no {what} with id {value!r} in the index")
        return record

    def _embeddings(self, snap: _Snapshot, kind: str, items: Sequence[Any], records: Sequence) -> np.ndarray | None:
        """Embeddings of ``records`` (resolved from ``items``): stored rows for indexed ids, the record's own
        vector when it carries one, else computed now (a problem: once per ranking)."""
        if snap.embedder is None:
            return None
        side = snap.offerings if kind == "offering" else snap.problems
        rows: list[np.ndarray | None] = []
        for item, r in zip(items, records):
            indexed = not isinstance(item, (OfferingRecord, ProblemRecord))
            rows.append(_embedding(side, r.id) if indexed else None)
        todo = [i for i, row in enumerate(rows) if row is None]
        if todo:
            fresh = record_embeddings(snap, kind, [records[i] for i in todo])
            for j, i in enumerate(todo):
                rows[i] = fresh[j]
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, snap.embedder.dim), np.float32)

    def embedding(self, kind: str, record_id) -> np.ndarray | None:
        """The stored embedding of an indexed ``"offering"`` or ``"problem"`` (``None``: unknown id or no channel)."""
        if kind not in ("offering", "problem"):
            raise MatchingError("kind must be 'offering' or 'problem'")
        snap = self._snap()
        return _embedding(snap.offerings if kind == "offering" else snap.problems, record_id)
