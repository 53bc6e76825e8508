"""Scoring one query against a block of rows: channels, fusion, candidates, top-k.

Text relevance of a pair is the lexical blend of :class:`~matching.text.TextModel`
(char and word TF-IDF cosines) fused with the semantic channel when the index
has one (:func:`fuse`). :func:`_rank_block` ranks an offerings block for one
problem, exactly for small blocks and in two steps (candidates, exact
rescoring) for large ones.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse import _sparsetools

from matching.index.state import Filters, _Accel, _Block, _Snapshot
from matching.scoring import (
    _DIV_INDEX,
    _MODE_INDEX,
    _REG_INDEX,
    CONTRIBUTIONS,
    OfferingFeatures,
    ProblemFeatures,
    ScoringConfig,
    budget_scale,
    effective_profile,
    score_pairs,
)


def _dense(m) -> np.ndarray:
    return m.toarray() if sp.issparse(m) else np.asarray(m)


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


def _postings_dot(q: sp.csr_matrix, XT: sp.csr_matrix) -> np.ndarray:
    """``(q @ XT).toarray()`` for a one-row query: (1, n) float32.

    Reads only the postings (rows of the term-major ``XT``) of the query's terms
    and accumulates them in float32 in ascending term order, exactly the
    arithmetic of scipy's sparse product, without its symbolic pass and sparse
    result.
    """
    if q.shape[0] != 1 or not q.has_sorted_indices:
        return _dense(q @ XT)
    out = np.zeros(XT.shape[1], np.result_type(q.dtype, XT.dtype))
    _accumulate(XT, q.indices, q.data.astype(out.dtype, copy=False), out)
    return out[None, :]


def _accumulate(XT: sp.csr_matrix, terms: np.ndarray, weights: np.ndarray, out: np.ndarray) -> None:
    """``out += weights @ XT[terms]``, term by term in the given order, reading the postings in place.

    One ``csc_matvec`` per term on views of ``XT``: the same float32
    arithmetic, in the same order, as one call on the gathered rows, without
    copying them (2-3x faster for long postings).
    """
    indptr, indices, data = XT.indptr, XT.indices, XT.data
    n = XT.shape[1]
    if not len(terms):
        return
    starts, ends = indptr[terms], indptr[terms + 1]
    if int((ends - starts).sum()) < _PER_TERM_MIN_MEAN * len(terms):
        # Short postings: a call per term costs more than copying them.
        rows = XT[terms]
        _sparsetools.csc_matvec(n, len(terms), rows.indptr, rows.indices, rows.data, weights, out)
        return
    ap = np.zeros(2, indptr.dtype)
    for j, (s, e) in enumerate(zip(starts.tolist(), ends.tolist())):
        if e > s:
            ap[1] = e - s
            _sparsetools.csc_matvec(n, 1, ap, indices[s:e], data[s:e], weights[j:j + 1], out)


_PER_TERM_MIN_MEAN = 1024


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
        cut = round(float(np.min(scores[idx])), TIE_DECIMALS)
        idx = np.flatnonzero(finite & (np.round(scores.astype(np.float64), TIE_DECIMALS) >= cut))
    else:
        idx = np.flatnonzero(finite)
    ordered = order_by_score_then_id(idx.tolist(), lambda i: scores[i], id_of or (lambda i: i))
    return ordered[:k]


#: An offerings main block with at least this many rows is ranked by candidate generation and exact
#: rescoring (see :func:`_rank_block`); smaller blocks are scored exactly in full.
CANDIDATE_MIN_ROWS = 20_000
#: Candidates rescored exactly per query (at least; 20 x ``top`` when larger).
CANDIDATES = 200
#: Char postings entries read per query for candidate generation (at most, besides the first terms).
CHAR_POSTINGS_BUDGET = 150_000
#: The highest-weighted char terms of a query are always read, whatever their postings length.
CHAR_MIN_TERMS = 8


def _top_rows(total: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` largest entries of ``total`` (row order), as ``argpartition`` would pick them, faster:
    a threshold from a fixed 1-in-16 sample keeps a few times ``width`` rows, which are then partitioned.
    Falls back to the full partition when the threshold keeps too few."""
    n = len(total)
    sample = total[::16]
    k = max(1, min(len(sample) - 1, (2 * width) // 16))
    threshold = np.partition(sample, len(sample) - k)[len(sample) - k]
    kept = np.flatnonzero(total >= threshold)
    if len(kept) < width:
        return np.sort(np.argpartition(total, n - width)[n - width:])
    sub = total[kept]
    return np.sort(kept[np.argpartition(sub, len(sub) - width)[len(sub) - width:]])


def _accel_for(kind: str, block: _Block, config: ScoringConfig, Xc: sp.csr_matrix | None = None) -> _Accel | None:
    """The candidate structures of a large offerings block (``Xc``: its char matrix row-major, if at hand)."""
    if kind != "offering" or len(block) < CANDIDATE_MIN_ROWS:
        return None
    XcT, f = block.XcT, block.feats
    if Xc is None or getattr(Xc, "format", None) != "csr" or Xc.shape != (XcT.shape[1], XcT.shape[0]):
        Xc = XcT.T.tocsr()
    elif not Xc.has_sorted_indices:
        Xc = Xc.sorted_indices()
    mean = np.asarray(XcT.sum(axis=1), np.float64).ravel() / len(block)
    offered = f.pt + np.float32(config.type_mention) * f.pt_extra
    return _Accel(
        Xc, np.diff(XcT.indptr).astype(np.int64), mean.astype(np.float32),
        np.ascontiguousarray(offered.T), np.ascontiguousarray(f.ind_div.T), np.ascontiguousarray(f.ind_sec.T),
        np.ascontiguousarray(f.reg.T), np.ascontiguousarray(effective_profile(f, config).T),
        (config.track_record * f.track).astype(np.float32),
        np.where(f.capacity <= 0, -config.capacity_penalty, 0.0).astype(np.float32),
        np.where(f.price_min > 0, f.price_min, -np.inf).astype(np.float32),
        np.where(f.price_min > 0, 1.0 / np.where(f.price_min > 0, f.price_min, 1.0), 0.0).astype(np.float32),
        f.ind_div.any(axis=1),
        *_low_rank(block.emb),
    )


#: Principal axes kept for the semantic candidate estimate (the exact cosine rescores the candidates).
EMB_AXES = 32


def _low_rank(emb: np.ndarray | None):
    """(mean, axes, projected rows) of a block's embeddings; computed in float64 from a fixed sample."""
    if emb is None or len(emb) < 2:
        return None, None, None
    n = len(emb)
    sample = np.asarray(emb[:: max(1, n // 20_000)], np.float64)
    mean = sample.mean(axis=0)
    _, _, vt = np.linalg.svd(sample - mean, full_matrices=False)
    axes = np.ascontiguousarray(vt[:EMB_AXES].T)
    low = np.empty((n, axes.shape[1]), np.float32)
    for lo in range(0, n, 16_384):
        low[lo:lo + 16_384] = (np.asarray(emb[lo:lo + 16_384], np.float64) - mean) @ axes
    return mean.astype(np.float32), axes.astype(np.float32), low


def _relevance(cfg: ScoringConfig, pf: ProblemFeatures, acc: _Accel, text: np.ndarray) -> np.ndarray:
    """The relevance part of the estimate (text and taxonomy contributions) for every row of a block."""
    f32 = np.float32
    types = np.flatnonzero(pf.pt[0]).tolist()
    rel = text * f32(cfg.text)
    share = f32(cfg.taxonomy * 0.75 / max(len(types), 1))
    for t in types:
        rel += acc.offeredT[t] * share
    d = int(pf.ind_div[0])
    if d >= 0:  # 1 for the same division, section_credit for the same section (a division implies its section)
        rel += acc.divT[d].view(np.uint8) * f32(cfg.taxonomy * 0.25 * (1.0 - cfg.section_credit))
        rel += acc.secT[int(pf.ind_sec[0])].view(np.uint8) * f32(cfg.taxonomy * 0.25 * cfg.section_credit)
    return rel


def _estimate(cfg: ScoringConfig, pf: ProblemFeatures, feats: OfferingFeatures, acc: _Accel,
              text: np.ndarray, rows: np.ndarray | None = None,
              rel: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The total of :func:`~matching.scoring.score_pairs` for one problem against a whole block, and its
    exclusion mask (``None``: nothing excluded), in float32 on column-major features, without the
    per-contribution arrays and masked operations (0/1 bytes multiply instead). Used to pick candidates
    only; their scores and contributions then come from ``score_pairs``. With ``rows``, only those rows
    (``rel``: their relevance from :func:`_relevance`)."""
    f32 = np.float32
    if rel is None:
        rel = _relevance(cfg, pf, acc, text)
    pick = (lambda a: a) if rows is None else (lambda a: a[..., rows])
    d = int(pf.ind_div[0])
    gate = rel * f32(1.0 / cfg.gate)
    np.minimum(gate, f32(1.0), out=gate)
    boost = pf.weights[0] @ pick(acc.profileT)
    boost *= f32(cfg.criteria)
    boost += pick(acc.boost)
    boost *= gate
    total = rel.copy() if rows is None else rel
    total += boost
    total += pick(acc.static_penalty)
    budget = float(pf.budget[0])
    if not np.isnan(budget):
        gap = pick(acc.inv_price) * f32(-budget)
        gap += f32(1.0)
        np.minimum(gap, f32(1.0), out=gap)
        scale = float(budget_scale(pf)[0])
        gap *= f32(0.7 * cfg.budget_penalty * scale)
        gap += f32(0.3 * cfg.budget_penalty * scale)
        gap *= (pick(acc.price) > f32(budget)).view(np.uint8)
        total -= gap
    if d >= 0 and cfg.industry_mismatch_penalty:
        total -= (pick(acc.has_ind) & ~pick(acc.divT[d])).view(np.uint8) * f32(cfg.industry_mismatch_penalty)
    r = int(pf.reg[0])
    if r >= 0:
        total -= (~(pick(acc.regT[r]) | pick(feats.nationwide))).view(np.uint8) * f32(cfg.region_penalty)
    excluded = None
    if pf.onprem_req[0]:
        known = pick(feats.modes_known)
        total -= (~known).view(np.uint8) * f32(cfg.deployment_unknown_penalty)
        excluded = known & ~pick(feats.onprem_ok)
    return total, excluded


def _rank_block(snap: _Snapshot, pf: ProblemFeatures, qc, qw, qe, block: _Block, alive: np.ndarray | None,
                filters: Filters | None, top: int, accel: _Accel | None = None, rows: dict | None = None,
                b: int = 0) -> list[tuple[float, int, dict[str, float]]]:
    """The best ``top`` rows of one offering block for one problem: ``(score, row, contributions)``,
    ordered by score descending, then row. Contributions are read for those rows only.

    Small blocks are scored exactly in full. A large one (``accel`` given) is ranked in two steps:

    1. *Candidates.* The word channel (and the semantic one, if any) is computed
       for every row, the char channel only from the query's highest-weighted
       n-grams (their postings are the shortest) up to :data:`CHAR_POSTINGS_BUDGET`
       entries, plus the mean weight of the other n-grams; the semantic
       channel from the embeddings' first :data:`EMB_AXES` principal axes. With that estimate,
       all contributions are computed for every row and the best
       :data:`CANDIDATES` rows are kept.
    2. *Rescoring.* The char channel and the cosine of the candidates are
       computed exactly, in the same arithmetic as the full path, and
       the best ``top`` are returned with their exact contributions.

    A row can be missed only if its estimate falls outside the candidates
    while its exact score is in the top: benchmarks/matching_speed.py reports
    the overlap with the full computation.
    """
    n = len(block)
    width = max(CANDIDATES, 20 * top)
    if (accel is None or width * 2 >= n or qc.shape[1] != block.XcT.shape[0]
            or qw.shape[1] != block.XwT.shape[0] or qc.shape[0] != 1 or not qc.has_sorted_indices):
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
    word = _postings_dot(qw, block.XwT)[0]
    terms, weights = qc.indices, qc.data
    order = np.argsort(-weights, kind="stable")
    cum = np.cumsum(accel.char_len[terms[order]])
    k = max(CHAR_MIN_TERMS, int(np.searchsorted(cum, CHAR_POSTINGS_BUDGET, side="right")))
    head = np.sort(order[:k])
    rest = order[k:]
    partial = np.zeros(n, np.float32)
    _accumulate(block.XcT, terms[head], weights[head], partial)
    if len(rest):
        partial += np.float32(weights[rest] @ accel.char_mean[terms[rest]])
    # The estimate of the fused text channel, in place (the candidates get the exact one below).
    f32 = np.float32
    sem = None
    w = snap.semantic_weight if snap.embedder is not None and qe is not None else 0.0
    text = partial
    text *= f32(snap.model.alpha * (1.0 - w))
    text += word * f32((1.0 - snap.model.alpha) * (1.0 - w))
    if w:
        q = np.asarray(qe[0], np.float32)
        if accel.emb_low is not None:  # estimated on the principal axes
            sem = accel.emb_low @ (q @ accel.emb_axes)
            sem += f32(q @ accel.emb_mean - snap.semantic_floor)
        else:
            sem = block.emb @ q
            sem -= f32(snap.semantic_floor)
        sem *= f32(w / (1.0 - snap.semantic_floor))
        np.clip(sem, 0.0, f32(w), out=sem)
        text += sem
    total, excluded = _estimate(snap.config, pf, block.feats, accel, text)
    mask = ~alive if alive is not None else np.zeros(n, bool)
    if excluded is not None:
        mask |= excluded
    if filters is not None:
        mask |= ~_filter_mask(block, filters, rows, b)
    if mask.any():
        total[mask] = -np.inf
    finite = n - int(np.count_nonzero(mask))
    if finite == 0:
        return []
    width = min(width, finite)
    cands = _top_rows(total, width) if width < n else np.flatnonzero(~mask)
    # 2. Exact rescoring of the candidates.
    qdense = np.zeros(qc.shape[1], np.float32)
    qdense[terms] = weights
    sub = accel.XcR[cands]
    char = np.zeros(len(cands), np.float32)
    _sparsetools.csr_matvec(len(cands), qc.shape[1], sub.indptr, sub.indices, sub.data, qdense, char)
    exact_sem = None if sem is None else np.asarray(block.emb[cands] @ np.asarray(qe[0], np.float32), np.float32)
    text = fuse(snap, snap.model.blend(char, word[cands]), exact_sem)
    contrib, excluded = score_pairs(pf, block.feats.take(cands), text[None, :], snap.config)
    total = sum(contrib[k] for k in CONTRIBUTIONS)[0]
    total = np.where(excluded[0], -np.inf, total)  # filters and tombstones are out already
    return [(float(total[i]), int(cands[i]), {k: float(contrib[k][0, i]) for k in CONTRIBUTIONS})
            for i in _top_indices(total, top, lambda i: block.records[int(cands[i])].id)]


def _locate(parts, g: int):
    for block, contrib in parts:
        if g < len(block):
            return block, contrib, g
        g -= len(block)
    raise IndexError(g)
