"""Candidate generation for a large offerings block: which rows :func:`~matching.index.search._rank_block`
scores exactly.

For one problem, every row gets an *estimate* of its total score:
:func:`_text_estimate` gives the text contribution (the char and word
channels from the query's rarest terms, the semantic channel on the
embeddings' principal axes, the fusion weights folded into the products);
:func:`_estimate` adds the other contributions of
:func:`~matching.scoring.score_pairs`, in float32 on column-major features.
:func:`candidate_rows` keeps the :data:`CANDIDATES` rows with the best
estimates, which are then rescored exactly.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from matching.index.products import _accumulate
from matching.index.state import _Accel, _Block, _Snapshot
from matching.scoring import OfferingFeatures, ProblemFeatures, ScoringConfig, budget_scale, effective_profile

#: An offerings main block with at least this many rows is ranked by candidate generation and exact
#: rescoring (see :func:`~matching.index.search._rank_block`); smaller blocks are scored exactly in full.
CANDIDATE_MIN_ROWS = 20_000
#: Candidates rescored exactly per query (at least; 20 x ``top`` when larger).
CANDIDATES = 200
#: Char postings entries read per query for candidate generation (at most, besides the first terms).
CHAR_POSTINGS_BUDGET = 150_000
#: The highest-weighted char terms of a query are always read, whatever their postings length.
CHAR_MIN_TERMS = 8
#: Word postings entries read per query for candidate generation (at most, besides the first terms).
WORD_POSTINGS_BUDGET = 100_000
#: The highest-weighted word terms of a query are always read.
WORD_MIN_TERMS = 4
#: Principal axes kept for the semantic candidate estimate (the exact cosine rescores the candidates).
EMB_AXES = 32


def _accel_for(kind: str, block: _Block, config: ScoringConfig, Xc: sp.csr_matrix | None = None,
               Xw: sp.csr_matrix | None = None) -> _Accel | None:
    """The candidate structures of a large offerings block (``Xc``, ``Xw``: its char and word matrices
    row-major, if at hand)."""
    if kind != "offering" or len(block) < CANDIDATE_MIN_ROWS:
        return None
    f = block.feats
    (Xc, char_len, char_mean), (Xw, word_len, word_mean) = (_postings(XT, X) for XT, X in ((block.XcT, Xc),
                                                                                           (block.XwT, Xw)))
    offered = f.pt + np.float32(config.type_mention) * f.pt_extra
    return _Accel(
        Xc, char_len, char_mean,
        np.ascontiguousarray(offered.T), np.ascontiguousarray(f.ind_div.T), np.ascontiguousarray(f.ind_sec.T),
        np.ascontiguousarray(f.reg.T), np.ascontiguousarray(effective_profile(f, config).T),
        (config.track_record * f.track).astype(np.float32),
        np.where(f.capacity <= 0, -config.capacity_penalty, 0.0).astype(np.float32),
        np.where(f.price_min > 0, f.price_min, -np.inf).astype(np.float32),
        np.where(f.price_min > 0, 1.0 / np.where(f.price_min > 0, f.price_min, 1.0), 0.0).astype(np.float32),
        f.ind_div.any(axis=1),
        *_low_rank(block.emb),
        XwR=Xw, word_len=word_len, word_mean=word_mean,
    )


def _postings(XT: sp.csr_matrix, X: sp.csr_matrix | None):
    """(row-major matrix, postings length and mean weight of each term) of a term-major matrix."""
    if X is None or getattr(X, "format", None) != "csr" or X.shape != (XT.shape[1], XT.shape[0]):
        X = XT.T.tocsr()
    elif not X.has_sorted_indices:
        X = X.sorted_indices()
    mean = np.asarray(XT.sum(axis=1), np.float64).ravel() / max(XT.shape[1], 1)
    return X, np.diff(XT.indptr).astype(np.int64), mean.astype(np.float32)


def _low_rank(emb: np.ndarray | None):
    """(mean, axes, projected rows axis-major) of a block's embeddings; computed in float64 from a fixed sample.

    The projections are stored (axes, rows): a (k, n) @ (k,) product runs at memory speed where the
    (n, k) one, with its short rows, is about 3x slower."""
    if emb is None or len(emb) < 2:
        return None, None, None
    n = len(emb)
    sample = np.asarray(emb[:: max(1, n // 20_000)], np.float64)
    mean = sample.mean(axis=0)
    _, _, vt = np.linalg.svd(sample - mean, full_matrices=False)
    axes = np.ascontiguousarray(vt[:EMB_AXES].T)
    low = np.empty((axes.shape[1], n), np.float32)
    for lo in range(0, n, 16_384):
        low[:, lo:lo + 16_384] = ((np.asarray(emb[lo:lo + 16_384], np.float64) - mean) @ axes).T
    return mean.astype(np.float32), axes.astype(np.float32), low


def _text_estimate(snap: _Snapshot, qc, qw, qe, block: _Block, accel: _Accel, factor: float = 1.0) -> np.ndarray:
    """``factor`` x the estimated fused text relevance of one query against every row of the block.

    The char and word channels are read from the query's highest-weighted terms (their postings are the
    shortest) up to :data:`CHAR_POSTINGS_BUDGET` / :data:`WORD_POSTINGS_BUDGET` entries, plus the mean
    weight of the other terms; the semantic channel is estimated on the embeddings' first :data:`EMB_AXES`
    principal axes. The fusion weights are folded into the products: each channel is one pass over the rows.
    """
    f32 = np.float32
    w = snap.semantic_weight if snap.embedder is not None and qe is not None else 0.0
    if w:
        q = np.asarray(qe[0], np.float32)
        scale = f32(factor * w / (1.0 - snap.semantic_floor))
        if accel.emb_low is not None:  # estimated on the principal axes
            text = ((q @ accel.emb_axes) * scale) @ accel.emb_low
            text += f32((q @ accel.emb_mean - snap.semantic_floor) * scale)
        else:
            text = block.emb @ (q * scale)
            text -= f32(snap.semantic_floor * scale)
        np.clip(text, f32(0.0), f32(factor * w), out=text)
    else:
        text = np.zeros(len(block), np.float32)
    alpha = snap.model.alpha
    _partial(block.XcT, accel.char_len, accel.char_mean, qc, CHAR_POSTINGS_BUDGET, CHAR_MIN_TERMS,
             factor * alpha * (1.0 - w), text)
    _partial(block.XwT, accel.word_len, accel.word_mean, qw, WORD_POSTINGS_BUDGET, WORD_MIN_TERMS,
             factor * (1.0 - alpha) * (1.0 - w), text)
    return text


def _partial(XT: sp.csr_matrix, lens: np.ndarray, means: np.ndarray, q, budget: int, min_terms: int,
             factor: float, out: np.ndarray) -> None:
    """``out += factor * q @ XT`` estimated: the postings of the query's highest-weighted terms up to
    ``budget`` entries (at least ``min_terms`` terms) exactly, the others by their mean weight."""
    terms, weights = q.indices, q.data
    if not len(terms) or not factor:
        return
    order = np.argsort(-weights, kind="stable")
    cum = np.cumsum(lens[terms[order]])
    k = max(min_terms, int(np.searchsorted(cum, budget, side="right")))
    head, rest = np.sort(order[:k]), order[k:]
    if len(rest):
        out += np.float32(factor * float(weights[rest] @ means[terms[rest]]))
    _accumulate(XT, terms[head], (weights[head] * np.float32(factor)).astype(np.float32), out)


def _relevance(cfg: ScoringConfig, pf: ProblemFeatures, acc: _Accel, text: np.ndarray,
               scaled: bool = False) -> np.ndarray:
    """The relevance part of the estimate (text and taxonomy contributions) for every row of a block.
    ``scaled``: ``text`` is the text contribution already (``cfg.text`` x relevance), and is consumed."""
    f32 = np.float32
    types = np.flatnonzero(pf.pt[0]).tolist()
    rel = text if scaled else text * f32(cfg.text)
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
    only; their scores and contributions then come from ``score_pairs``. With ``rows``, only those rows.
    ``rel``: the relevance from :func:`_relevance` (of ``rows``), consumed; computed from ``text`` without."""
    f32 = np.float32
    if rel is None:
        rel = _relevance(cfg, pf, acc, text)
    pick = (lambda a: a) if rows is None else (lambda a: a[..., rows])
    d = int(pf.ind_div[0])
    boost = np.multiply(rel, f32(1.0 / cfg.gate))  # the gate
    np.minimum(boost, f32(1.0), out=boost)
    boost *= (pf.weights[0] * f32(cfg.criteria)) @ pick(acc.profileT) + pick(acc.boost)
    total = rel  # consumed
    total += boost
    total += pick(acc.static_penalty)
    budget = float(pf.budget[0])
    if not np.isnan(budget):
        k = f32(cfg.budget_penalty * float(budget_scale(pf)[0]))
        if budget >= 0:  # 0.3 k + 0.7 k (1 - budget / price) where the price exceeds the budget
            gap = pick(acc.inv_price) * f32(-0.7 * budget * k)
            gap += k
        else:
            gap = pick(acc.inv_price) * f32(-budget)
            gap += f32(1.0)
            np.minimum(gap, f32(1.0), out=gap)
            gap *= f32(0.7) * k
            gap += f32(0.3) * k
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


def candidate_rows(cfg: ScoringConfig, pf: ProblemFeatures, feats: OfferingFeatures, acc: _Accel,
                   text: np.ndarray, dead: np.ndarray | None, width: int) -> np.ndarray:
    """The ``width`` rows with the best :func:`_estimate`, in row order, given the estimated text contribution
    (``cfg.text`` x relevance, consumed); ``dead``: rows never to return (tombstones, filtered out) or ``None``."""
    total, excluded = _estimate(cfg, pf, feats, acc, None, rel=_relevance(cfg, pf, acc, text, scaled=True))
    if excluded is not None:
        dead = excluded if dead is None else dead | excluded
    n = len(total)
    finite = n
    if dead is not None:
        finite -= int(np.count_nonzero(dead))
        total[dead] = -np.inf
    if finite <= width:
        return np.arange(n) if dead is None else np.flatnonzero(~dead)
    return _top_rows(total, width)
