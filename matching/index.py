"""The match index: built once, updated in place, persisted, safe for concurrent reads.

Design
    - One fitted :class:`~matching.text.TextModel` (vocabulary and IDF) shared by
      problems and offerings, so a problem's vector can be compared with an
      offering's directly.
    - Each side (offerings, problems) is a *main* block (term-major sparse
      matrices, so a query touches only the postings of its own terms) and a
      small *delta* block. An upsert tombstones the old row and appends the new
      one to the delta with the existing vocabulary: no refit. When the delta
      outgrows ``max(256, 2% of main)`` it is merged into main (a sparse column
      selection, no re-vectorising). :meth:`MatchIndex.refit` re-learns the
      vocabulary and IDF from all records; do it when the corpus has changed a
      lot (the index does it by itself when it has doubled since the last fit).
    - A large offerings main block (``CANDIDATE_MIN_ROWS``, 20,000 rows) also
      keeps its char matrix row-major and column-major copies of the features
      (:class:`_Accel`, built with the block), and :meth:`MatchIndex.rank_offerings`
      ranks it in two steps: candidates from an estimate (exact word channel,
      char channel from the query's highest-weighted n-grams within a postings
      budget), then exact scores for the best ``CANDIDATES`` of them. See
      :func:`_rank_block`; benchmarks/matching_speed.py reports the overlap with
      the full computation. Smaller blocks are scored in full.
    - Readers take the current immutable :class:`_Snapshot` once and never lock;
      writers serialise on a lock and publish a new snapshot with one
      assignment. Queries therefore never see a half-applied update.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse import _sparsetools

from matching import taxonomy
from matching.errors import MatchingError, RecordError
from matching.explain import Match, Reason
from matching.records import OfferingRecord, ProblemRecord, Weights, offering_from_dict, problem_from_dict
from matching.scoring import (
    CONTRIBUTIONS,
    OfferingFeatures,
    ProblemFeatures,
    ScoringConfig,
    TypeHits,
    offering_features,
    offering_type_hits,
    problem_features,
    problem_type_hits,
    score_pairs,
)
from matching.text import Embedder, TextModel, word_tokens

__all__ = ["Filters", "MatchIndex", "ScoreMatrix"]

logger = logging.getLogger(__name__)

FORMAT = "axbridge-matching-index"
FORMAT_VERSION = 2
_MAX_TOP = 10_000


@dataclass(frozen=True)
class Filters:
    """Optional hard filters on offerings for :meth:`MatchIndex.rank_offerings`.

    ``regions``: the offering must serve one of them (nationwide offerings pass);
    ``deployment_modes``: it must offer one of them; ``industries``: it must
    list one of them; ``max_price``: its lowest price must not exceed it;
    ``exclude_ids``: never return these.
    """

    regions: tuple[str, ...] = ()
    deployment_modes: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    max_price: int | None = None
    exclude_ids: tuple[Any, ...] = ()

    @classmethod
    def coerce(cls, value: Filters | Mapping[str, Any] | None) -> Filters | None:
        if value is None or isinstance(value, Filters):
            return value
        if not isinstance(value, Mapping):
            raise MatchingError("filters must be a Filters or a mapping")
        unknown = set(value) - {"regions", "deployment_modes", "industries", "max_price", "exclude_ids"}
        if unknown:
            raise MatchingError(f"unknown filters: {', '.join(sorted(unknown))}")
        return cls(**{k: tuple(v) if k != "max_price" else v for k, v in value.items()})

    def __post_init__(self) -> None:
        for name, kind in (("regions", "region"), ("industries", "industry")):
            for code in getattr(self, name):
                if taxonomy.normalise_tag(code, kind) != code and not (kind == "industry" and taxonomy.get_industry(code)):
                    raise MatchingError(f"unknown {kind} code {code!r} in filters")
        for code in self.deployment_modes:
            if taxonomy.get_deployment_mode(code) is None:
                raise MatchingError(f"unknown deployment mode {code!r} in filters")
        if self.max_price is not None and (isinstance(self.max_price, bool) or not isinstance(self.max_price, int)
                                           or self.max_price < 0):
            raise MatchingError("max_price must be a non-negative integer number of won")


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class _Block:
    """Rows of one side. ``XcT``/``XwT`` are term-major (vocabulary x rows) CSR matrices."""

    records: tuple
    hits: tuple[TypeHits, ...]
    XcT: sp.csr_matrix
    XwT: sp.csr_matrix
    feats: Any  # OfferingFeatures | ProblemFeatures
    emb: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.records)


@dataclass(frozen=True)
class _Side:
    kind: str  # "offering" | "problem"
    main: _Block
    delta: _Block
    alive: np.ndarray  # (len(main),) bool
    rows: dict[Any, tuple[int, int]]  # id -> (block 0 main / 1 delta, row)
    accel: _Accel | None = None  # for a large offerings main block

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class _Accel:
    """What the candidate path of :func:`_rank_block` needs besides a block's term-major matrices.

    ``XcR``: the char matrix row-major (rows x vocabulary), to score candidates
    exactly; ``char_len``: postings length of each char term; ``char_mean``:
    each char term's mean weight over the block's rows.
    """

    XcR: sp.csr_matrix
    char_len: np.ndarray
    char_mean: np.ndarray
    #: Column-major copies of the offering features for one-problem estimates (see :func:`_estimate`).
    offeredT: np.ndarray  # (T, n) float32: 1 declared type, ``type_mention`` a mentioned one
    divT: np.ndarray  # (D, n) bool
    secT: np.ndarray  # (S, n) bool
    regT: np.ndarray  # (R, n) bool
    profileT: np.ndarray  # (C, n) float32
    boost: np.ndarray  # (n,) float32: track record contribution before the gate
    static_penalty: np.ndarray  # (n,) float32: the capacity penalty
    price: np.ndarray  # (n,) float32: lowest price, -inf where unknown or 0
    inv_price: np.ndarray  # (n,) float32: 1 / lowest price, 0 where unknown or 0


@dataclass(frozen=True)
class _Snapshot:
    model: TextModel
    config: ScoringConfig
    offerings: _Side
    problems: _Side
    fitted_on: int
    embedder: Embedder | None
    semantic_weight: float


@dataclass(frozen=True)
class ScoreMatrix:
    """All pair scores: ``scores[i, j]`` for ``problem_ids[i]`` and ``offering_ids[j]``; ``-inf`` where excluded."""

    problem_ids: list
    offering_ids: list
    scores: np.ndarray
    capacities: np.ndarray
    problem_is_capital: np.ndarray


# --------------------------------------------------------------------------- index


class MatchIndex:
    """Ranks offerings for problems and problems for offerings, with explanations.

    >>> index = MatchIndex.build(offerings, problems)          # doctest: +SKIP
    >>> index.rank_offerings("p1", top=5)[0].reasons[0].text("en")  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        config: ScoringConfig | None = None,
        alpha: float = 0.5,
        expand: bool = True,
        embedder: Embedder | None = None,
        semantic_weight: float = 0.3,
    ) -> None:
        if not 0.0 <= alpha <= 1.0:
            raise MatchingError("alpha must be in [0, 1]")
        if not 0.0 <= semantic_weight <= 1.0:
            raise MatchingError("semantic_weight must be in [0, 1]")
        if embedder is not None and not isinstance(embedder, Embedder):
            raise MatchingError("embedder must have name, dim and embed(texts)")
        self._lock = threading.RLock()
        self._alpha = alpha
        self._expand = expand
        model = TextModel.create(alpha=alpha, expand=expand)
        self._snapshot: _Snapshot | None = None
        self._pending = (model, config or ScoringConfig(), embedder, semantic_weight)

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, offerings: Iterable[OfferingRecord] = (), problems: Iterable[ProblemRecord] = (),
              **options: Any) -> MatchIndex:
        """Fit the text model on all records and index them."""
        index = cls(**options)
        index._rebuild(list(offerings), list(problems))
        return index

    def _rebuild(self, offerings: list[OfferingRecord], problems: list[ProblemRecord]) -> None:
        for o in offerings:
            if not isinstance(o, OfferingRecord):
                raise MatchingError(f"expected OfferingRecord, got {type(o).__name__}")
        for p in problems:
            if not isinstance(p, ProblemRecord):
                raise MatchingError(f"expected ProblemRecord, got {type(p).__name__}")
        _check_unique(o.id for o in offerings)
        _check_unique(p.id for p in problems)
        with self._lock:
            if self._snapshot is not None:
                model = TextModel.create(alpha=self._alpha, expand=self._expand)
                config, embedder, weight = (self._snapshot.config, self._snapshot.embedder,
                                            self._snapshot.semantic_weight)
            else:
                model, config, embedder, weight = self._pending
            texts = [o.text for o in offerings] + [p.text for p in problems]
            Xc = Xw = None
            if texts:
                Xc, Xw = model.fit_transform(texts)
            snap = _Snapshot(model, config, _empty_side("offering"), _empty_side("problem"),
                             len(texts), embedder, weight)
            k = len(offerings)
            snap = replace(
                snap,
                offerings=_side_from_records(snap, "offering", offerings, None if Xc is None else (Xc[:k], Xw[:k])),
                problems=_side_from_records(snap, "problem", problems, None if Xc is None else (Xc[k:], Xw[k:])),
            )
            self._snapshot = snap
            logger.info("built match index: %d offerings, %d problems", len(offerings), len(problems))

    def refit(self) -> None:
        """Re-learn vocabulary and IDF from every record currently indexed."""
        with self._lock:
            snap = self._snap()
            self._rebuild(_records(snap.offerings), _records(snap.problems))

    def _snap(self) -> _Snapshot:
        snap = self._snapshot
        if snap is None:
            raise MatchingError("the index is empty: call MatchIndex.build(...) first")
        return snap

    @property
    def config(self) -> ScoringConfig:
        return self._snap().config

    @property
    def offering_count(self) -> int:
        return self._snap().offerings.count

    @property
    def problem_count(self) -> int:
        return self._snap().problems.count

    def offering_ids(self) -> list:
        return [r.id for r in _records(self._snap().offerings)]

    def problem_ids(self) -> list:
        return [r.id for r in _records(self._snap().problems)]

    def get_offering(self, offering_id) -> OfferingRecord | None:
        return _get(self._snap().offerings, offering_id)

    def get_problem(self, problem_id) -> ProblemRecord | None:
        return _get(self._snap().problems, problem_id)

    # ------------------------------------------------------------------ updates

    def upsert_offering(self, record: OfferingRecord) -> None:
        """Add or replace an offering; the next query sees it. No refit."""
        if not isinstance(record, OfferingRecord):
            raise MatchingError(f"expected OfferingRecord, got {type(record).__name__}")
        self._upsert("offerings", record)

    def upsert_problem(self, record: ProblemRecord) -> None:
        """Add or replace a problem; the next query sees it. No refit."""
        if not isinstance(record, ProblemRecord):
            raise MatchingError(f"expected ProblemRecord, got {type(record).__name__}")
        self._upsert("problems", record)

    def remove_offering(self, offering_id) -> bool:
        """Remove an offering; returns whether it was indexed."""
        return self._remove("offerings", offering_id)

    def remove_problem(self, problem_id) -> bool:
        return self._remove("problems", problem_id)

    def _upsert(self, attr: str, record) -> None:
        with self._lock:
            if self._snapshot is None or self._snapshot.fitted_on == 0:
                snap = self._snapshot
                offerings = _records(snap.offerings) if snap else []
                problems = _records(snap.problems) if snap else []
                target = offerings if attr == "offerings" else problems
                target[:] = [r for r in target if r.id != record.id] + [record]
                self._rebuild(offerings, problems)
                return
            snap = self._snapshot
            side: _Side = getattr(snap, attr)
            side = _side_without(side, record.id)
            new = _block_from_records(snap, side.kind, [record])
            delta = _concat_blocks(snap, side.kind, [side.delta, new])
            rows = dict(side.rows)
            rows[record.id] = (1, len(delta) - 1)
            side = replace(side, delta=delta, rows=rows)
            if len(side.delta) > max(256, len(side.main) // 50):
                side = _compact(snap, side)
            self._snapshot = replace(snap, **{attr: side})
            total = self._snapshot.offerings.count + self._snapshot.problems.count
            if total > 2 * max(self._snapshot.fitted_on, 50):
                logger.info("corpus doubled since the last fit (%d -> %d): refitting", snap.fitted_on, total)
                self.refit()

    def _remove(self, attr: str, record_id) -> bool:
        with self._lock:
            snap = self._snap()
            side: _Side = getattr(snap, attr)
            if record_id not in side.rows:
                return False
            self._snapshot = replace(snap, **{attr: _side_without(side, record_id)})
            return True

    # ------------------------------------------------------------------ queries

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
        qe = _embed(snap, [p.text])
        side = snap.offerings
        found = []  # (score, global index, block, values)
        offset = 0
        for b, block in enumerate((side.main, side.delta)):
            if len(block):
                alive = side.alive if b == 0 else None
                accel = side.accel if b == 0 else None
                for score, row, values in _rank_block(snap, pf, qc, qw, qe, block, alive, filters, top, accel):
                    found.append((score, offset + row, block, row, values))
            offset += len(block)
        # Stable order: score descending, then index (main rows before delta rows).
        found.sort(key=lambda item: (-item[0], item[1]))
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
        qe = _embed(snap, [o.text])
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
        best = _top_indices(np.concatenate(totals), top)
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
        block = _block_from_records(snap, "offering", [o])
        text = _text_scores(snap, qc, qw, _embed(snap, [p.text]), block)
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

    # ------------------------------------------------------------------ batch

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
                for j in _top_indices(total[i], top):
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
        b = _block_from_records(snap, kind, records)
        return {"records": b.records, "hits": b.hits, "Xc": b.XcT.T.tocsr(), "Xw": b.XwT.T.tocsr(),
                "emb": b.emb, "feats": b.feats}

    def _pair_block(self, snap: _Snapshot, P, O, prows: slice, orows: slice):
        Xc = P["Xc"][prows] @ O["Xc"][orows].T
        Xw = P["Xw"][prows] @ O["Xw"][orows].T
        text = snap.model.blend(_dense(Xc), _dense(Xw))
        if snap.embedder is not None:
            sem = np.maximum(P["emb"][prows] @ O["emb"][orows].T, 0.0)
            text = (1 - snap.semantic_weight) * text + snap.semantic_weight * sem
        return score_pairs(P["feats"].take(prows), O["feats"].take(orows), text, snap.config)

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | os.PathLike) -> None:
        """Write the index to directory ``path`` (JSON + numpy/scipy npz; no pickle). Replaces it atomically."""
        snap = self._snap()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".matchindex-", dir=path.parent))
        try:
            manifest = {
                "format": FORMAT, "version": FORMAT_VERSION, "config": snap.config.as_dict(),
                "alpha": snap.model.alpha, "expand": snap.model.expand, "fitted_on": snap.fitted_on,
                "embedder": snap.embedder.name if snap.embedder else None, "semantic_weight": snap.semantic_weight,
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            for name, vec in (("char", snap.model.char), ("word", snap.model.word)):
                vocab = getattr(vec, "vocabulary_", None) or {}
                terms = [None] * len(vocab)
                for term, i in vocab.items():
                    terms[i] = term
                (tmp / f"vocab_{name}.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
                np.save(tmp / f"idf_{name}.npy", vec.idf_ if vocab else np.zeros(0))
            for kind, side in (("offering", snap.offerings), ("problem", snap.problems)):
                full = _compact(snap, side)
                with open(tmp / f"{kind}s.jsonl", "w", encoding="utf-8") as fh:
                    for rec, hits in zip(full.main.records, full.main.hits):
                        fh.write(json.dumps({"record": _record_dict(rec), "hits": hits.as_dict()},
                                            ensure_ascii=False) + "\n")
                sp.save_npz(tmp / f"{kind}s_char.npz", full.main.XcT)
                sp.save_npz(tmp / f"{kind}s_word.npz", full.main.XwT)
                if full.main.emb is not None:
                    np.save(tmp / f"{kind}s_emb.npy", full.main.emb)
            if path.exists():
                old = path.with_name(path.name + ".old")
                shutil.rmtree(old, ignore_errors=True)
                os.replace(path, old)
                os.replace(tmp, path)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, path: str | os.PathLike, embedder: Embedder | None = None) -> MatchIndex:
        """Read an index written by :meth:`save`."""
        path = Path(path)
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise MatchingError(f"{path} is not a saved match index: {exc}") from exc
        version = manifest.get("version")
        if manifest.get("format") != FORMAT or version not in (1, FORMAT_VERSION):
            raise MatchingError(f"{path}: unsupported index format {manifest.get('format')!r} v{manifest.get('version')}")
        if manifest["embedder"] != (embedder.name if embedder else None):
            raise MatchingError(f"{path} was built with embedder {manifest['embedder']!r}; pass the same embedder")
        index = cls(config=ScoringConfig(**manifest["config"]), alpha=manifest["alpha"], expand=manifest["expand"],
                    embedder=embedder, semantic_weight=manifest["semantic_weight"])
        model = index._pending[0]
        for name, vec in (("char", model.char), ("word", model.word)):
            terms = json.loads((path / f"vocab_{name}.json").read_text(encoding="utf-8"))
            if terms:
                vec.vocabulary = {t: i for i, t in enumerate(terms)}
                vec.idf_ = np.load(path / f"idf_{name}.npy")
        snap = _Snapshot(model, index._pending[1], _empty_side("offering"), _empty_side("problem"),
                         manifest["fitted_on"], embedder, manifest["semantic_weight"])
        sides = {}
        for kind in ("offering", "problem"):
            records, hits = [], []
            from_dict = offering_from_dict if kind == "offering" else problem_from_dict
            with open(path / f"{kind}s.jsonl", encoding="utf-8") as fh:
                for line in fh:
                    row = json.loads(line)
                    rec = from_dict(row["record"])
                    records.append(rec)
                    # Version 1 stored one merged code -> term map: recompute declared/mentioned.
                    hits.append(TypeHits.from_dict(row["hits"]) if version >= 2 else _hits_for(kind, rec))
            feats = (offering_features if kind == "offering" else problem_features)(records, hits)
            emb_path = path / f"{kind}s_emb.npy"
            block = _Block(tuple(records), tuple(hits), sp.load_npz(path / f"{kind}s_char.npz").tocsr(),
                           sp.load_npz(path / f"{kind}s_word.npz").tocsr(), feats,
                           np.load(emb_path) if emb_path.exists() else None)
            sides[kind] = _Side(kind, block, _empty_block(snap, kind), np.ones(len(records), bool),
                                {r.id: (0, i) for i, r in enumerate(records)}, _accel_for(kind, block, snap.config))
        index._snapshot = replace(snap, offerings=sides["offering"], problems=sides["problem"])
        return index


# --------------------------------------------------------------------------- helpers


def _check_unique(ids: Iterable[Any]) -> None:
    seen = set()
    for i in ids:
        if i in seen:
            raise RecordError(f"duplicate id {i!r}")
        seen.add(i)


def _check_top(top: Any) -> int:
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= _MAX_TOP:
        raise MatchingError(f"top must be a whole number between 1 and {_MAX_TOP}, got {top!r}")
    return top


def _record_dict(rec) -> dict[str, Any]:
    d = asdict(rec)
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


def _block_from_records(snap: _Snapshot, kind: str, records: Sequence, vectors=None) -> _Block:
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
    emb = _embed(snap, [r.text for r in records]) if snap.embedder is not None else None
    return _Block(tuple(records), tuple(hits), Xc.T.tocsr(), Xw.T.tocsr(), feats, emb)


def _vocab_sizes(model: TextModel) -> tuple[int, int]:
    return (len(getattr(model.char, "vocabulary_", {}) or {}), len(getattr(model.word, "vocabulary_", {}) or {}))


def _embed(snap: _Snapshot, texts: Sequence[str]) -> np.ndarray | None:
    if snap.embedder is None:
        return None
    if not texts:
        return np.zeros((0, snap.embedder.dim), np.float32)
    emb = np.asarray(snap.embedder.embed(list(texts)), np.float32)
    if emb.shape != (len(texts), snap.embedder.dim) or not np.isfinite(emb).all():
        raise MatchingError(f"embedder {snap.embedder.name!r} returned an array of shape {emb.shape} or non-finite values")
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    return emb / np.where(norms > 0, norms, 1.0)


def _side_from_records(snap: _Snapshot, kind: str, records: Sequence, vectors=None) -> _Side:
    main = _block_from_records(snap, kind, records, vectors)
    return _Side(kind, main, _empty_block(snap, kind), np.ones(len(records), bool),
                 {r.id: (0, i) for i, r in enumerate(records)},
                 _accel_for(kind, main, snap.config, vectors[0] if vectors is not None else None))


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


def _get(side: _Side, record_id):
    try:
        loc = side.rows.get(record_id)
    except TypeError:
        return None
    if loc is None:
        return None
    b, i = loc
    return (side.main if b == 0 else side.delta).records[i]


def _text_scores(snap: _Snapshot, qc, qw, qe, block: _Block) -> np.ndarray:
    """(1, n) fused text relevance of one query against a block."""
    if qc.shape[1] != block.XcT.shape[0] or qw.shape[1] != block.XwT.shape[0]:
        return np.zeros((1, len(block)), np.float32)
    text = snap.model.blend(_postings_dot(qc, block.XcT), _postings_dot(qw, block.XwT))
    if snap.embedder is not None:
        sem = np.maximum(qe @ block.emb.T, 0.0)
        text = (1 - snap.semantic_weight) * text + snap.semantic_weight * sem
    return text


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


def _filter_mask(block: _Block, f: Filters) -> np.ndarray:
    keep = np.ones(len(block), bool)
    if f.regions or f.deployment_modes or f.industries or f.exclude_ids:
        regions, modes, inds, excl = set(f.regions), set(f.deployment_modes), set(f.industries), set(f.exclude_ids)
        for i, o in enumerate(block.records):
            if regions and o.regions_served and not regions & set(o.regions_served):
                keep[i] = False
            elif modes and not modes & set(o.deployment_modes):
                keep[i] = False
            elif inds and not inds & set(o.industries):
                keep[i] = False
            elif o.id in excl:
                keep[i] = False
    if f.max_price is not None:
        price = block.feats.price_min
        keep &= ~(price > f.max_price)
    return keep


def _top_indices(scores: np.ndarray, top: int) -> list[int]:
    finite = np.isfinite(scores)
    k = min(top, int(finite.sum()))
    if k <= 0:
        return []
    if k < len(scores):
        idx = np.argpartition(-np.where(finite, scores, -np.inf), k - 1)[:k]
    else:
        idx = np.flatnonzero(finite)
    # Stable order: score descending, then index.
    return sorted(idx.tolist(), key=lambda i: (-float(scores[i]), i))


#: An offerings main block with at least this many rows is ranked by candidate generation and exact
#: rescoring (see :func:`_rank_block`); smaller blocks are scored exactly in full.
CANDIDATE_MIN_ROWS = 20_000
#: Candidates rescored exactly per query (at least; 20 x ``top`` when larger).
CANDIDATES = 500
#: Char postings entries read per query for candidate generation (at most, besides the first terms).
CHAR_POSTINGS_BUDGET = 400_000
#: The highest-weighted char terms of a query are always read, whatever their postings length.
CHAR_MIN_TERMS = 8


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
        np.ascontiguousarray(f.reg.T), np.ascontiguousarray(f.profile.T),
        (config.track_record * f.track).astype(np.float32),
        np.where(f.capacity <= 0, -config.capacity_penalty, 0.0).astype(np.float32),
        np.where(f.price_min > 0, f.price_min, -np.inf).astype(np.float32),
        np.where(f.price_min > 0, 1.0 / np.where(f.price_min > 0, f.price_min, 1.0), 0.0).astype(np.float32),
    )


def _estimate(cfg: ScoringConfig, pf: ProblemFeatures, feats: OfferingFeatures, acc: _Accel,
              text: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """The total of :func:`~matching.scoring.score_pairs` for one problem against a whole block, and its
    exclusion mask (``None``: nothing excluded), in float32 on column-major features, without the
    per-contribution arrays and masked operations (0/1 bytes multiply instead). Used to pick candidates
    only; their scores and contributions then come from ``score_pairs``."""
    f32 = np.float32
    types = np.flatnonzero(pf.pt[0]).tolist()
    rel = text * f32(cfg.text)
    share = f32(cfg.taxonomy * 0.75 / max(len(types), 1))
    for t in types:
        rel += acc.offeredT[t] * share
    d = int(pf.ind_div[0])
    if d >= 0:  # 1 for the same division, 0.5 for the same section (a division implies its section)
        rel += acc.divT[d].view(np.uint8) * f32(cfg.taxonomy * 0.125)
        rel += acc.secT[int(pf.ind_sec[0])].view(np.uint8) * f32(cfg.taxonomy * 0.125)
    gate = rel * f32(1.0 / cfg.gate)
    np.minimum(gate, f32(1.0), out=gate)
    boost = pf.weights[0] @ acc.profileT
    boost *= f32(cfg.criteria)
    boost += acc.boost
    boost *= gate
    total = rel
    total += boost
    total += acc.static_penalty
    budget = float(pf.budget[0])
    if not np.isnan(budget):
        gap = acc.inv_price * f32(-budget)
        gap += f32(1.0)
        np.minimum(gap, f32(1.0), out=gap)
        gap *= f32(0.7 * cfg.budget_penalty)
        gap += f32(0.3 * cfg.budget_penalty)
        gap *= (acc.price > f32(budget)).view(np.uint8)
        total -= gap
    r = int(pf.reg[0])
    if r >= 0:
        total -= (~(acc.regT[r] | feats.nationwide)).view(np.uint8) * f32(cfg.region_penalty)
    excluded = None
    if pf.onprem_req[0]:
        total -= (~feats.modes_known).view(np.uint8) * f32(cfg.deployment_unknown_penalty)
        excluded = feats.modes_known & ~feats.onprem_ok
    return total, excluded


def _rank_block(snap: _Snapshot, pf: ProblemFeatures, qc, qw, qe, block: _Block, alive: np.ndarray | None,
                filters: Filters | None, top: int, accel: _Accel | None = None
                ) -> list[tuple[float, int, dict[str, float]]]:
    """The best ``top`` rows of one offering block for one problem: ``(score, row, contributions)``,
    ordered by score descending, then row. Contributions are read for those rows only.

    Small blocks are scored exactly in full. A large one (``accel`` given) is ranked in two steps:

    1. *Candidates.* The word channel (and the semantic one, if any) is computed
       for every row, the char channel only from the query's highest-weighted
       n-grams (their postings are the shortest) up to :data:`CHAR_POSTINGS_BUDGET`
       entries, plus the mean weight of the other n-grams. With that estimate,
       all contributions are computed for every row and the best
       :data:`CANDIDATES` rows are kept.
    2. *Rescoring.* The char channel of the candidates is computed exactly
       from the row-major matrix, in the same arithmetic as the full path, and
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
            mask = mask | ~_filter_mask(block, filters)
        total = np.where(mask, -np.inf, total)
        return [(float(total[i]), i, {k: float(contrib[k][0, i]) for k in CONTRIBUTIONS})
                for i in _top_indices(total, top)]
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
    text = snap.model.blend(partial, word)
    sem = None
    if snap.embedder is not None:
        sem = np.maximum(qe @ block.emb.T, 0.0)[0]
        text = (1 - snap.semantic_weight) * text + snap.semantic_weight * sem
    total, excluded = _estimate(snap.config, pf, block.feats, accel, np.asarray(text, np.float32))
    mask = ~alive if alive is not None else np.zeros(n, bool)
    if excluded is not None:
        mask |= excluded
    if filters is not None:
        mask |= ~_filter_mask(block, filters)
    if mask.any():
        total[mask] = -np.inf
    finite = n - int(np.count_nonzero(mask))
    if finite == 0:
        return []
    width = min(width, finite)
    cands = np.sort(np.argpartition(-total, width - 1)[:width]) if width < n else np.flatnonzero(~mask)
    # 2. Exact rescoring of the candidates.
    qdense = np.zeros(qc.shape[1], np.float32)
    qdense[terms] = weights
    sub = accel.XcR[cands]
    char = np.zeros(len(cands), np.float32)
    _sparsetools.csr_matvec(len(cands), qc.shape[1], sub.indptr, sub.indices, sub.data, qdense, char)
    text = snap.model.blend(char, word[cands])
    if sem is not None:
        text = (1 - snap.semantic_weight) * text + snap.semantic_weight * sem[cands]
    contrib, excluded = score_pairs(pf, block.feats.take(cands), text[None, :], snap.config)
    total = sum(contrib[k] for k in CONTRIBUTIONS)[0]
    total = np.where(excluded[0], -np.inf, total)  # filters and tombstones are out already
    return [(float(total[i]), int(cands[i]), {k: float(contrib[k][0, i]) for k in CONTRIBUTIONS})
            for i in _top_indices(total, top)]


def _locate(parts, g: int):
    for block, contrib in parts:
        if g < len(block):
            return block, contrib, g
        g -= len(block)
    raise IndexError(g)


# --------------------------------------------------------------------------- explanations

_MIN_TEXT_TERMS = 6


def _explain(snap: _Snapshot, p: ProblemRecord, p_hits: dict[str, str], p_tokens: set[str] | None,
             o: OfferingRecord, o_hits: dict[str, str], values: dict[str, float], *, direction: str,
             excluded: bool = False, other_tokens: set[str] | None = None) -> Match:
    reasons: list[Reason] = []
    matched: list[str] = []
    # Taxonomy: the problem's types the offering declares (or, declaring none, its text names) ...
    p_types, o_types = p_hits.types, o_hits.types
    shared = [c for c in p_types if c in o_types]
    if shared:
        reasons.append(Reason("problem_type_match",
                              {"codes": shared, "source": "declared" if o_hits.declared else "description"}))
        for c in shared:
            a, b = p_types[c], o_types[c]
            matched.append(a if taxonomy.normalise_text(a) == taxonomy.normalise_text(b) else f"{a} ↔ {b}")
    # ... and those it only mentions beside other declared capabilities (a small credit, said as such).
    mentioned = [c for c in p_types if c in o_hits.extra] if snap.config.type_mention > 0 else []
    if mentioned:
        terms = [o_hits.extra[c] for c in mentioned]
        reasons.append(Reason("problem_type_mentioned", {"codes": mentioned, "terms": terms}, 0))
        matched.extend(t for t in terms if t not in matched)
    if p.industry is not None and o.industries:
        if p.industry in o.industries:
            reasons.append(Reason("industry_match", {"industry": p.industry, "level": "division"}))
        elif p.industry[0] in {c[0] for c in o.industries}:
            reasons.append(Reason("industry_match", {"industry": p.industry[0], "level": "section"}))
    # Words both texts use, rarest first.
    if p_tokens is None:
        p_tokens = set(word_tokens(p.text))
    o_tokens = other_tokens if other_tokens is not None else set(word_tokens(o.text))
    common = p_tokens & o_tokens
    if common:
        vocab = getattr(snap.model.word, "vocabulary_", None) or {}
        idf = snap.model.word.idf_ if vocab else None
        ranked = sorted(common, key=lambda t: (-(idf[vocab[t]] if t in vocab else 0.0), t))[:_MIN_TEXT_TERMS]
        reasons.append(Reason("text_match", {"terms": ranked}))
        matched.extend(t for t in ranked if t not in matched)
    # Criteria.
    w = p.weights.values
    if max(w) - min(w) > 1e-9:
        wanted = p.weights.top()
        known = {k: v for k, v in o.profile.items()}
        if wanted in known:
            leans = max(known, key=lambda k: (known[k], -taxonomy.CRITERIA.index(k)))
            if leans != wanted and known[leans] - known[wanted] >= 0.2:
                reasons.append(Reason("criteria_mismatch", {"wanted": wanted, "leans_on": leans,
                                                            "wanted_value": known[wanted],
                                                            "leans_value": known[leans]}, -1))
            elif known[wanted] >= 0.7:
                reasons.append(Reason("criteria_fit", {"criterion": wanted, "value": known[wanted]}))
    # Constraints.
    budget = p.budget
    price_min = o.price_min if o.price_min is not None else o.price_max
    if budget is not None and price_min is not None:
        if budget < price_min:
            reasons.append(Reason("budget_below_price", {"budget": budget, "price_min": price_min}, -1))
        else:
            reasons.append(Reason("budget_within", {"budget": budget, "price_min": price_min,
                                                    "price_max": o.price_max}))
    if p.region is not None:
        if not o.regions_served:
            reasons.append(Reason("region_served", {"region": p.region, "nationwide": True}))
        elif p.region in o.regions_served:
            reasons.append(Reason("region_served", {"region": p.region}))
        else:
            reasons.append(Reason("region_not_served", {"region": p.region, "served": list(o.regions_served)}, -1))
    if p.on_premises_required:
        if not o.deployment_modes:
            reasons.append(Reason("deployment_unknown", {}, -1))
        elif excluded:
            reasons.append(Reason("cloud_only", {"modes": list(o.deployment_modes)}, -1))
        else:
            ok = [m for m in o.deployment_modes if taxonomy.get_deployment_mode(m).on_premises_ok]
            reasons.append(Reason("on_premises_ok", {"modes": ok}))
    if o.capacity <= 0:
        reasons.append(Reason("no_capacity", {}, -1))
    if o.completed_projects > 0:
        reasons.append(Reason("track_record", {"completed": o.completed_projects, "mean_review": o.mean_review}))
    # Contributions sum to the score exactly as reported.
    values = {k: round(v, 6) for k, v in values.items()}
    score = sum(values.values())
    rid = o.id if direction == "offerings" else p.id
    return Match(rid, score, values, tuple(reasons), tuple(matched), excluded)
