"""Scoring one query against a block of rows: channels, fusion, candidates, top-k.

Text relevance of a pair is the lexical blend of :class:`~matching.text.TextModel`
(char and word TF-IDF cosines) fused with the semantic channel when the index
has one (:func:`fuse`). :func:`_rank_block` ranks an offerings block for one
problem, exactly for small blocks and in two steps (candidates from
:mod:`matching.index.candidates`, exact rescoring) for large ones. The sparse
products are in :mod:`matching.index.products`.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from matching.index import candidates
from matching.index.products import _postings_dot, _rows_dot
from matching.index.state import Filters, _Accel, _Block, _Snapshot
from matching.scoring import _DIV_INDEX, _MODE_INDEX, _REG_INDEX, CONTRIBUTIONS, ProblemFeatures, score_pairs


def semantic_score(snap: _Snapshot, cos: np.ndarray) -> np.ndarray:
    """Cosines rescaled to [0, 1]: 0 at or below ``semantic_floor``, 1 for identical meaning.

    The model's cosines between unrelated texts sit well above 0 (about 0.7
    for multilingual-e5), so the floor keeps the channel's scale comparable
    with the lexical one. The floor and the weight were chosen on the dev
    splits only (benchmarks/matching_public.py --tune).
    """
    floor = np.float32(snap.semantic_floor)
    out = np.asarray(cos, np.float32) - floor
    out *= np.float32(1.0 / (1.0 - snap.semantic_floor))
    np.clip(out, 0.0, 1.0, out=out)
    return out


def fuse(snap: _Snapshot, lexical: np.ndarray, cos: np.ndarray | None) -> np.ndarray:
    """``(1 - w) * lexical + w * semantic_score(cos)``; the lexical blend alone without a channel."""
    if cos is None:
        return lexical
    w = np.float32(snap.semantic_weight)
    return (np.float32(1.0) - w) * np.asarray(lexical, np.float32) + w * semantic_score(snap, cos)


def _text_scores(snap: _Snapshot, qc, qw, qe, block: _Block) -> np.ndarray:
    """(1, n) fused text relevance of one query against a block."""
    if qc.shape[1] != block.XcT.shape[0] or qw.shape[1] != block.XwT.shape[0]:
        return np.zeros((1, len(block)), np.float32)
    text = snap.model.blend(_postings_dot(qc, block.XcT), _postings_dot(qw, block.XwT))
    # Row-by-row products (gemv), the same arithmetic as the candidate rescoring of _rank_block.
    cos = (np.asarray(block.emb) @ np.asarray(qe[0], np.float32))[None, :] if (
        snap.embedder is not None and qe is not None) else None
    return fuse(snap, text, cos)


def _filter_mask(block: _Block, f: Filters, rows: dict | None = None, b: int = 0) -> np.ndarray:
    """Rows of ``block`` that pass the filters, from its feature arrays (no record is read)."""
    feats = block.feats
    keep = np.ones(len(block), bool)
    if f.regions:
        cols = [_REG_INDEX[c] for c in f.regions if c in _REG_INDEX]
        keep &= feats.nationwide | (feats.reg[:, cols].any(axis=1) if cols else False)
    if f.deployment_modes:
        cols = [_MODE_INDEX[c] for c in f.deployment_modes if c in _MODE_INDEX]
        keep &= feats.modes[:, cols].any(axis=1) if cols else False
    if f.industries:
        cols = [_DIV_INDEX[c] for c in f.industries if c in _DIV_INDEX]
        keep &= feats.ind_div[:, cols].any(axis=1) if cols else False
    if f.exclude_ids:
        if rows is not None:
            for rid in f.exclude_ids:
                loc = rows.get(rid) if isinstance(rid, (str, int)) else None
                if loc is not None and loc[0] == b:
                    keep[loc[1]] = False
        else:
            excl = set(f.exclude_ids)
            for i, o in enumerate(block.records):
                if o.id in excl:
                    keep[i] = False
    if f.max_price is not None:
        keep &= ~(feats.price_min > f.max_price)
    return keep


#: Scores equal to this many decimals tie (and are ordered by id): the order never depends on the last bits of
#: a float sum, which may differ with the layout of the arrays that produced it.
TIE_DECIMALS = 9


def id_key(record_id) -> tuple:
    """A sort key for record ids of any type: numbers in numeric order before text."""
    if isinstance(record_id, (int, float)) and not isinstance(record_id, bool):
        return (0, record_id, "")
    return (1, 0, str(record_id))


def rank_key(score: float) -> float:
    return -round(float(score), TIE_DECIMALS)


def order_by_score_then_id(items: list, score_of, id_of) -> list:
    """``items`` by score descending (to :data:`TIE_DECIMALS`), ties by record id: the same order in every process
    whatever the order the records were indexed in. Ids are looked up only inside ties."""
    items = sorted(items, key=lambda item: rank_key(score_of(item)))
    out, i = [], 0
    while i < len(items):
        j = i + 1
        key = rank_key(score_of(items[i]))
        while j < len(items) and rank_key(score_of(items[j])) == key:
            j += 1
        group = items[i:j]
        out.extend(group if len(group) == 1 else sorted(group, key=lambda item: id_key(id_of(item))))
        i = j
    return out


def _top_indices(scores: np.ndarray, top: int, id_of=None) -> list[int]:
    """The ``top`` best finite entries, by score descending; ties by ``id_of(index)`` (by index without it).

    Entries tying with the last one kept are all considered, so which of them make the cut is decided by id,
    never by their position.
    """
    finite = np.isfinite(scores)
    k = min(top, int(finite.sum()))
    if k <= 0:
        return []
    if k < len(scores):
        idx = np.argpartition(-np.where(finite, scores, -np.inf), k - 1)[:k]
        # Everything that may tie with the weakest kept entry (equal to TIE_DECIMALS differs by less than this).
        cut = float(np.min(scores[idx])) - 10.0 ** -TIE_DECIMALS
        idx = np.flatnonzero(finite & (scores >= cut))
    else:
        idx = np.flatnonzero(finite)
    ordered = order_by_score_then_id(idx.tolist(), lambda i: scores[i], id_of or (lambda i: i))
    return ordered[:k]


def _rank_block(snap: _Snapshot, pf: ProblemFeatures, qc, qw, qe, block: _Block, alive: np.ndarray | None,
                filters: Filters | None, top: int, accel: _Accel | None = None, rows: dict | None = None,
                b: int = 0) -> list[tuple[float, int, dict[str, float]]]:
    """The best ``top`` rows of one offering block for one problem: ``(score, row, contributions)``,
    ordered by score descending, then row. Contributions are read for those rows only.

    Small blocks are scored exactly in full. A large one (``accel`` given) is ranked in two steps:

    1. *Candidates* (:mod:`matching.index.candidates`): every row's total is
       estimated (the char and word channels from the query's rarest terms,
       the semantic one on principal axes) and the best
       :data:`~matching.index.candidates.CANDIDATES` rows by estimate are kept.
    2. *Rescoring.* The char and word channels and the cosine of the candidates are
       computed exactly, in the same arithmetic as the full path, and
       the best ``top`` are returned with their exact contributions.

    A row can be missed only if its estimate falls outside the candidates
    while its exact score is in the top: benchmarks/matching_speed.py reports
    the overlap with the full computation.
    """
    n = len(block)
    width = max(candidates.CANDIDATES, 20 * top)
    if (accel is None or width * 2 >= n or qc.shape[1] != block.XcT.shape[0]
            or qw.shape[1] != block.XwT.shape[0] or qc.shape[0] != 1 or not qc.has_sorted_indices
            or not qw.has_sorted_indices):
        text = _text_scores(snap, qc, qw, qe, block)
        contrib, excluded = score_pairs(pf, block.feats, text, snap.config)
        total = sum(contrib[k] for k in CONTRIBUTIONS)[0]
        mask = excluded[0] | (~alive if alive is not None else False)
        if filters is not None:
            mask = mask | ~_filter_mask(block, filters, rows, b)
        total = np.where(mask, -np.inf, total)
        return [(float(total[i]), i, {k: float(contrib[k][0, i]) for k in CONTRIBUTIONS})
                for i in _top_indices(total, top, lambda i: block.records[i].id)]
    # 1. Candidates.
    dead = None if alive is None or alive.all() else ~alive
    if filters is not None:
        dead = ~_filter_mask(block, filters, rows, b) if dead is None else dead | ~_filter_mask(block, filters, rows, b)
    cands = candidates.candidate_rows(snap, pf, qc, qw, qe, block, accel, dead, width)
    if not len(cands):
        return []
    # 2. Exact rescoring of the candidates.
    char, word = _rows_dot(accel.XcR, cands, qc), _rows_dot(accel.XwR, cands, qw)
    exact_sem = None
    if snap.embedder is not None and qe is not None:
        exact_sem = np.asarray(block.emb[cands] @ np.asarray(qe[0], np.float32), np.float32)
    text = fuse(snap, snap.model.blend(char, word), exact_sem)
    contrib, excluded = score_pairs(pf, _take(block.feats, cands), text[None, :], snap.config)
    total = sum(contrib[k] for k in CONTRIBUTIONS)[0]
    total = np.where(excluded[0], -np.inf, total)  # filters and tombstones are out already
    return [(float(total[i]), int(cands[i]), {k: float(contrib[k][0, i]) for k in CONTRIBUTIONS})
            for i in _top_indices(total, top, lambda i: block.records[int(cands[i])].id)]


def _take(feats, rows: np.ndarray):
    """``feats.take(rows)`` by ``np.take`` (3x faster than fancy indexing for a few hundred rows)."""
    return type(feats)(*(np.take(getattr(feats, f.name), rows, axis=0) for f in fields(feats)))


def _locate(parts, g: int):
    for block, contrib in parts:
        if g < len(block):
            return block, contrib, g
        g -= len(block)
    raise IndexError(g)
