"""Blocks of rows: building them from records, appending, removing and compacting.

Pure functions over the frozen types of :mod:`matching.index.state`; the
index calls them under its write lock and publishes the result.

Embeddings (when the index has a semantic channel): an offering's vector is
stored data. A record that carries one (``embedding``, and
``embedding_model`` naming the index's embedder when given) is used as is; one
that does not is embedded *when it is indexed* (``build``/``upsert``), never
at query time, unless the index was made with ``require_embeddings=True``,
which makes a missing offering embedding a :class:`MatchingError`. The index
keeps the vectors in its matrix only: records inside the index have
``embedding=None`` (see :meth:`MatchIndex.embedding`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from matching.errors import MatchingError, RecordError
from matching.index.candidates import _accel_for
from matching.index.state import _Block, _Side, _Snapshot
from matching.records import ProblemRecord
from matching.scoring import (
    OfferingFeatures,
    ProblemFeatures,
    TypeHits,
    offering_features,
    offering_type_hits,
    problem_features,
    problem_type_hits,
)
from matching.semantic import normalise_rows
from matching.text import TextModel

MAX_TOP = 10_000

def _check_unique(ids: Iterable[Any]) -> None:
    seen = set()
    for i in ids:
        if i in seen:
            raise RecordError(f"duplicate id {i!r}")
        seen.add(i)


def _check_top(top: Any) -> int:
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        raise MatchingError(f"top must be a whole number between 1 and {MAX_TOP}, got {top!r}")
    return top


def _record_dict(rec) -> dict[str, Any]:
    d = asdict(rec)
    d.pop("embedding", None)
    d.pop("embedding_model", None)
    if isinstance(rec, ProblemRecord):
        d["weights"] = rec.weights.as_dict()
    return d


def _dense(m) -> np.ndarray:
    return m.toarray() if sp.issparse(m) else np.asarray(m)


def _hits_for(kind: str, rec) -> TypeHits:
    return offering_type_hits(rec) if kind == "offering" else problem_type_hits(rec)


def _empty_block(snap: _Snapshot, kind: str) -> _Block:
    return _block_from_records(snap, kind, [])


def _empty_side(kind: str) -> _Side:
    feats = (offering_features if kind == "offering" else problem_features)([], [])
    block = _Block((), (), sp.csr_matrix((0, 0), dtype=np.float32), sp.csr_matrix((0, 0), dtype=np.float32), feats)
    return _Side(kind, block, block, np.zeros(0, bool), {})


def _block_from_records(snap: _Snapshot, kind: str, records: Sequence, vectors=None,
                        emb: np.ndarray | None = None) -> _Block:
    """A block of ``records``; ``vectors``: their (char, word) rows if at hand; ``emb``: their embeddings."""
    hits = [_hits_for(kind, r) for r in records]
    feats = (offering_features if kind == "offering" else problem_features)(records, hits)
    nc, nw = _vocab_sizes(snap.model)
    if vectors is not None:
        Xc, Xw = vectors
    elif records and snap.fitted_on:
        Xc, Xw = snap.model.transform([r.text for r in records])
    else:
        Xc = sp.csr_matrix((len(records), nc), dtype=np.float32)
        Xw = sp.csr_matrix((len(records), nw), dtype=np.float32)
    if snap.embedder is not None and emb is None:
        emb = record_embeddings(snap, kind, records)
    elif snap.embedder is None:
        emb = None
    return _Block(tuple(_strip(r) for r in records), tuple(hits), Xc.T.tocsr(), Xw.T.tocsr(), feats, emb)


def _strip(record):
    """The record without its embedding (the block's matrix holds it)."""
    if getattr(record, "embedding", None) is None:
        return record
    out = copy.copy(record)
    object.__setattr__(out, "embedding", None)
    return out


def record_embeddings(snap: _Snapshot, kind: str, records: Sequence) -> np.ndarray:
    """(n, dim) unit vectors of ``records``: the stored ones, the others embedded now (write time)."""
    embedder = snap.embedder
    out = np.zeros((len(records), embedder.dim), np.float32)
    missing = []
    for i, r in enumerate(records):
        vec = getattr(r, "embedding", None)
        if vec is None:
            if kind == "offering" and snap.require_embeddings:
                raise MatchingError(f"offering {r.id!r} has no stored embedding; compute it with "
                                    f"{embedder.name!r} when the offering is saved")
            missing.append(i)
            continue
        model = getattr(r, "embedding_model", None)
        if model is not None and model != embedder.name:
            raise MatchingError(f"{kind} {r.id!r}: its embedding was made by {model!r}, "
                                f"the index uses {embedder.name!r}")
        out[i] = normalise_rows(vec, embedder.dim, f"{kind} {r.id!r}")[0]
    if missing:
        texts = [records[i].text for i in missing]
        out[missing] = embed_texts(snap, texts, query=kind == "problem")
    return out


def embed_texts(snap: _Snapshot, texts: Sequence[str], *, query: bool) -> np.ndarray:
    """Unit vectors of ``texts`` from the index's embedder (``embed_query`` for queries when it has one)."""
    embedder = snap.embedder
    fn = getattr(embedder, "embed_query", None) if query else None
    emb = (fn or embedder.embed)(list(texts)) if texts else np.zeros((0, embedder.dim), np.float32)
    if np.shape(emb) != (len(texts), embedder.dim):
        raise MatchingError(f"embedder {embedder.name!r} returned an array of shape {np.shape(emb)} "
                            f"for {len(texts)} texts")
    return normalise_rows(emb, embedder.dim, f"embedder {embedder.name!r}") if len(texts) else emb


def _vocab_sizes(model: TextModel) -> tuple[int, int]:
    return (len(getattr(model.char, "vocabulary_", {}) or {}), len(getattr(model.word, "vocabulary_", {}) or {}))


def _side_from_records(snap: _Snapshot, kind: str, records: Sequence, vectors=None,
                       emb: np.ndarray | None = None) -> _Side:
    main = _block_from_records(snap, kind, records, vectors, emb)
    return _Side(kind, main, _empty_block(snap, kind), np.ones(len(records), bool),
                 {r.id: (0, i) for i, r in enumerate(records)},
                 _accel_for(kind, main, snap.config, *(vectors if vectors is not None else ())))


def _concat_blocks(snap: _Snapshot, kind: str, blocks: Sequence[_Block]) -> _Block:
    blocks = [b for b in blocks if len(b)]
    if not blocks:
        return _empty_block(snap, kind)
    feats_cls = OfferingFeatures if kind == "offering" else ProblemFeatures
    emb = np.concatenate([b.emb for b in blocks]) if snap.embedder is not None else None
    return _Block(
        tuple(r for b in blocks for r in b.records),
        tuple(h for b in blocks for h in b.hits),
        sp.hstack([b.XcT for b in blocks], format="csr"),
        sp.hstack([b.XwT for b in blocks], format="csr"),
        feats_cls.concat([b.feats for b in blocks]),
        emb,
    )


def _take_block(block: _Block, rows: np.ndarray) -> _Block:
    return _Block(
        tuple(block.records[i] for i in rows),
        tuple(block.hits[i] for i in rows),
        block.XcT.tocsc()[:, rows].tocsr(),
        block.XwT.tocsc()[:, rows].tocsr(),
        block.feats.take(rows),
        block.emb[rows] if block.emb is not None else None,
    )


def _side_without(side: _Side, record_id) -> _Side:
    loc = side.rows.get(record_id)
    if loc is None:
        return side
    rows = dict(side.rows)
    del rows[record_id]
    b, i = loc
    if b == 0:
        alive = side.alive.copy()
        alive[i] = False
        return replace(side, alive=alive, rows=rows)
    keep = np.array([j for j in range(len(side.delta)) if j != i], dtype=np.int64)
    delta = _take_block(side.delta, keep)
    rows = {rid: ((bb, (ii - 1 if ii > i else ii)) if bb == 1 else (bb, ii)) for rid, (bb, ii) in rows.items()}
    return replace(side, delta=delta, rows=rows)


def _compact(snap: _Snapshot, side: _Side) -> _Side:
    """Merge the delta into main and drop tombstoned rows (no re-vectorising)."""
    live = np.flatnonzero(side.alive)
    main = side.main if len(live) == len(side.main) else _take_block(side.main, live)
    merged = _concat_blocks(snap, side.kind, [main, side.delta]) if len(side.delta) else main
    if not len(merged):
        merged = _empty_block(snap, side.kind)
    return _Side(side.kind, merged, _empty_block(snap, side.kind), np.ones(len(merged), bool),
                 {r.id: (0, i) for i, r in enumerate(merged.records)}, _accel_for(side.kind, merged, snap.config))


def _records(side: _Side) -> list:
    return [(side.main if b == 0 else side.delta).records[i] for b, i in side.rows.values()]


def _records_and_embeddings(side: _Side) -> tuple[list, np.ndarray | None]:
    """The side's records in id order of insertion, and their embedding rows (``None`` without a channel)."""
    records = _records(side)
    if side.main.emb is None and side.delta.emb is None:
        return records, None
    rows = [(side.main if b == 0 else side.delta).emb[i] for b, i in side.rows.values()]
    dim = (side.main.emb if side.main.emb is not None else side.delta.emb).shape[1]
    return records, (np.stack(rows).astype(np.float32) if rows else np.zeros((0, dim), np.float32))


def _embedding(side: _Side, record_id) -> np.ndarray | None:
    loc = side.rows.get(record_id)
    if loc is None:
        return None
    block = side.main if loc[0] == 0 else side.delta
    return None if block.emb is None else np.array(block.emb[loc[1]])


def _get(side: _Side, record_id):
    try:
        loc = side.rows.get(record_id)
    except TypeError:
        return None
    if loc is None:
        return None
    b, i = loc
    return (side.main if b == 0 else side.delta).records[i]

