"""Candidate generation for a large offerings block: which rows :func:`~matching.index.search._rank_block`
scores exactly.

For one problem, every row gets an *estimate* of its total score:
:func:`_text_estimate` gives the text contribution (the char and word
channels from the query's rarest terms, the semantic channel on the
embeddings' principal axes, the fusion weights folded into the products);
:func:`_estimate` adds the other contributions of
:func:`~matching.scoring.score_pairs`, in float32 on column-major features,
in one compiled pass (:mod:`matching.index.kernels`, numba).
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
    _kernels()
    f = block.feats
    (Xc, char_len, char_mean), (Xw, word_len, word_mean) = (_postings(XT, X) for XT, X in ((block.XcT, Xc),
                                                                                           (block.XwT, Xw)))
    offered = f.pt + np.float32(config.type_mention) * f.pt_extra
    low = _low_rank(block.emb)
    return _Accel(
        Xc, char_len, char_mean,
        np.ascontiguousarray(offered.T), np.ascontiguousarray(f.ind_div.T), np.ascontiguousarray(f.ind_sec.T),
        np.ascontiguousarray(f.reg.T), np.ascontiguousarray(effective_profile(f, config).T),
        (config.track_record * f.track).astype(np.float32),
        np.where(f.capacity <= 0, -config.capacity_penalty, 0.0).astype(np.float32),
        np.where(f.price_min > 0, f.price_min, -np.inf).astype(np.float32),
        np.where(f.price_min > 0, 1.0 / np.where(f.price_min > 0, f.price_min, 1.0), 0.0).astype(np.float32),
        f.ind_div.any(axis=1),
        *low[:3], XwR=Xw, word_len=word_len, word_mean=word_mean, emb_scale=low[3],
    )


def _kernels():
    """:mod:`matching.index.kernels`, imported (its kernels compiled, or loaded from the disk cache) when the
    first large block's candidate structures are made: a process without a large block never imports numba."""
    from matching.index import kernels
    return kernels


def _postings(XT: sp.csr_matrix, X: sp.csr_matrix | None):
    """(row-major matrix, postings length and mean weight of each term) of a term-major matrix."""
    if X is None or getattr(X, "format", None) != "csr" or X.shape != (XT.shape[1], XT.shape[0]):
        X = XT.T.tocsr()
    elif not X.has_sorted_indices:
        X = X.sorted_indices()
    mean = np.asarray(XT.sum(axis=1), np.float64).ravel() / max(XT.shape[1], 1)
    return X, np.diff(XT.indptr).astype(np.int64), mean.astype(np.float32)


def _low_rank(emb: np.ndarray | None):
    """(mean, axes, projected rows axis-major as bytes, the value of a byte step on each axis) of a block's
    embeddings; computed in float64 from a fixed sample.

    A row's projections are stored as signed bytes, scaled per axis to the largest magnitude: 32 bytes a
    row instead of 128, the semantic estimate reading a quarter of the memory (its error, below 0.4% of
    each axis's range, is far under that of keeping 32 axes of 384)."""
    if emb is None or len(emb) < 2:
        return None, None, None, None
    n = len(emb)
    sample = np.asarray(emb[:: max(1, n // 20_000)], np.float64)
    mean = sample.mean(axis=0)
    _, _, vt = np.linalg.svd(sample - mean, full_matrices=False)
    axes = np.ascontiguousarray(vt[:EMB_AXES].T)
    low = np.empty((axes.shape[1], n), np.float32)
    for lo in range(0, n, 16_384):
        low[:, lo:lo + 16_384] = ((np.asarray(emb[lo:lo + 16_384], np.float64) - mean) @ axes).T
    step = np.abs(low).max(axis=1) / 127.0
    step[step == 0] = 1.0
    quantised = np.empty(low.shape, np.int8)
    np.rint(low / step[:, None].astype(np.float32), out=low)
    np.copyto(quantised, low, casting="unsafe")
    return mean.astype(np.float32), axes.astype(np.float32), quantised, step.astype(np.float32)


def _text_estimate(snap: _Snapshot, qc, qw, qe, block: _Block, accel: _Accel, factor: float = 1.0):
    """``factor`` x the estimated fused text relevance of one query against every row of the block, in parts:
    ``(lexical, lexical_shift, semantic)``; a row's estimate is ``lexical[i] + lexical_shift +
    clip(semantic_axes @ emb_low[:, i] + shift, 0, cap)`` with ``semantic = (axes, shift, cap)``, the
    semantic channel's weights on the quantised principal axes (``None``: no channel, or already in
    ``lexical``).

    The char and word channels are read from the query's highest-weighted terms (their postings are the
    shortest) up to :data:`CHAR_POSTINGS_BUDGET` / :data:`WORD_POSTINGS_BUDGET` entries, plus the mean
    weight of the other terms; the semantic channel is estimated on the embeddings' first :data:`EMB_AXES`
    principal axes. The fusion weights are folded into the products.
    """
    f32 = np.float32
    w = snap.semantic_weight if snap.embedder is not None and qe is not None else 0.0
    semantic = None
    if w:
        q = np.asarray(qe[0], np.float32)
        scale = f32(factor * w / (1.0 - snap.semantic_floor))
        if accel.emb_low is not None:  # estimated on the principal axes, in the kernel
            semantic = ((q @ accel.emb_axes * scale * accel.emb_scale).astype(np.float32),
                        float((q @ accel.emb_mean - snap.semantic_floor) * scale), factor * w)
        else:  # exact, here
            cos = np.asarray(block.emb @ (q * scale), np.float32) - f32(snap.semantic_floor * scale)
            np.clip(cos, f32(0.0), f32(factor * w), out=cos)
    lexical = np.zeros(len(block), np.float32) if semantic is not None or not w else cos
    alpha = snap.model.alpha
    shift = _partial(block.XcT, accel.char_len, accel.char_mean, qc, CHAR_POSTINGS_BUDGET, CHAR_MIN_TERMS,
                     factor * alpha * (1.0 - w), lexical)
    shift += _partial(block.XwT, accel.word_len, accel.word_mean, qw, WORD_POSTINGS_BUDGET, WORD_MIN_TERMS,
                      factor * (1.0 - alpha) * (1.0 - w), lexical)
    return lexical, shift, semantic


def _partial(XT: sp.csr_matrix, lens: np.ndarray, means: np.ndarray, q, budget: int, min_terms: int,
             factor: float, out: np.ndarray) -> float:
    """``out += factor * q @ XT`` estimated: the postings of the query's highest-weighted terms up to
    ``budget`` entries (at least ``min_terms`` terms) exactly, added to ``out``; the others by their mean
    weight, returned (the same for every row)."""
    terms, weights = q.indices, q.data
    if not len(terms) or not factor:
        return 0.0
    order = np.argsort(-weights, kind="stable")
    cum = np.cumsum(lens[terms[order]])
    k = max(min_terms, int(np.searchsorted(cum, budget, side="right")))
    head, rest = np.sort(order[:k]), order[k:]
    shift = float(factor * float(weights[rest] @ means[terms[rest]])) if len(rest) else 0.0
    head_terms = terms[head].astype(np.int64)
    head_weights = (weights[head] * np.float32(factor)).astype(np.float32)
    if XT.indices.dtype == XT.indptr.dtype and XT.data.dtype == np.float32:
        _kernels().scatter(XT.indptr, XT.indices, XT.data, head_terms, head_weights, out)
    else:
        _accumulate(XT, head_terms, head_weights, out)
    return shift


def _estimate(cfg: ScoringConfig, pf: ProblemFeatures, feats: OfferingFeatures, acc: _Accel, lexical: np.ndarray,
              lexical_shift: float = 0.0, semantic=None, dead: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """The total of :func:`~matching.scoring.score_pairs` for one problem against every row of a block, given
    the text contribution (``cfg.text`` x relevance) in the parts of :func:`_text_estimate`, and the number
    of rows not excluded; excluded rows (a hard constraint, or ``dead``: tombstones, filtered out) get
    ``-inf``. One compiled pass (:func:`matching.index.kernels.estimate`) on the column-major features.
    Used to pick candidates only; their scores and contributions then come from ``score_pairs``."""
    n = len(lexical)
    d, r = int(pf.ind_div[0]), int(pf.reg[0])
    types = np.flatnonzero(pf.pt[0]).astype(np.int64)
    budget = float(pf.budget[0])
    k = float(cfg.budget_penalty * float(budget_scale(pf)[0]))
    use_budget = 0 if np.isnan(budget) else (1 if budget >= 0 else -1)
    sem_weights, sem_shift, sem_cap = semantic if semantic is not None else (lexical[:0], 0.0, 0.0)
    ints = np.array([d, int(pf.ind_sec[0]) if d >= 0 else -1, r, bool(pf.onprem_req[0]), dead is not None,
                     semantic is not None, use_budget], np.int64)
    params = np.array([
        sem_shift, sem_cap, lexical_shift, cfg.taxonomy * 0.75 / max(len(types), 1),
        cfg.taxonomy * 0.25 * (1.0 - cfg.section_credit), cfg.taxonomy * 0.25 * cfg.section_credit,
        1.0 / cfg.gate, 0.0 if use_budget == 0 else budget, k,
        0.7 * budget * k if use_budget > 0 else (-budget if use_budget < 0 else 0.0),
        cfg.industry_mismatch_penalty if d >= 0 else 0.0, cfg.region_penalty, cfg.deployment_unknown_penalty,
    ], np.float64)
    total = np.empty(n, np.float32)
    finite = _kernels().estimate(
        acc.emb_low if semantic is not None else _NO_AXES, sem_weights,
        lexical, acc.offeredT, types, _u8(acc.divT),
        _u8(acc.secT), _u8(acc.regT), acc.profileT, (pf.weights[0] * np.float32(cfg.criteria)).astype(np.float32),
        acc.boost, acc.static_penalty, acc.price, acc.inv_price, _u8(acc.has_ind), _u8(feats.nationwide),
        _u8(feats.modes_known), _u8(feats.onprem_ok), _u8(dead if dead is not None else acc.has_ind), ints, params,
        total)
    return total, int(finite)


_NO_AXES = np.zeros((0, 0), np.int8)


def _u8(a: np.ndarray) -> np.ndarray:
    """A C-contiguous bool array as bytes, without a copy (memory-mapped ones as plain arrays)."""
    return np.ascontiguousarray(np.asarray(a)).view(np.uint8)


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


def candidate_rows(snap: _Snapshot, pf: ProblemFeatures, qc, qw, qe, block: _Block, acc: _Accel,
                   dead: np.ndarray | None, width: int) -> np.ndarray:
    """The ``width`` rows of ``block`` with the best estimated total for one problem (query rows ``qc``,
    ``qw``, embedding ``qe``), in row order; ``dead``: rows never to return (tombstones, filtered out) or
    ``None``."""
    lexical, shift, semantic = _text_estimate(snap, qc, qw, qe, block, acc, snap.config.text)
    total, finite = _estimate(snap.config, pf, block.feats, acc, lexical, shift, semantic, dead)
    if finite <= width:
        return np.flatnonzero(np.isfinite(total))
    return _top_rows(total, width)
