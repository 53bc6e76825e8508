"""The match index: built once, updated in place, persisted, safe for concurrent reads.

Design
    - One fitted :class:`~matching.text.TextModel` (vocabulary and IDF) shared by
      problems and offerings, so a problem's vector can be compared with an
      offering's directly.
    - An optional semantic channel (:mod:`matching.semantic`): offerings carry
      stored embeddings (computed when an offering is written); a problem is
      embedded once per ranking (or carries its own). The index keeps the
      vectors in one float32 matrix per block, memory-mapped when loaded from
      a snapshot; channels are fused by :func:`~matching.index.search.fuse`.
    - Each side (offerings, problems) is a *main* block and a small *delta*
      block (:mod:`matching.index.blocks`). An upsert tombstones the old row and
      appends the new one to the delta with the existing vocabulary: no refit.
      When the delta outgrows ``max(256, 2% of main)`` it is merged into main.
      :meth:`MatchIndex.refit` re-learns the vocabulary and IDF from all
      records (the index does it by itself when the corpus has doubled).
    - A large offerings main block is ranked in two steps (candidates, exact
      rescoring): see :func:`matching.index.search._rank_block`.
    - Readers take the current immutable snapshot once and never lock;
      writers serialise on a lock and publish a new snapshot with one
      assignment. Queries therefore never see a half-applied update.
    - Determinism: the same records in the same order give the same ranking,
      scores and reasons in every process (ties break by row; no set or hash
      order is used; embeddings are bit-identical across processes). An index
      that received upserts since its last fit scores with the older IDF, so
      workers must share one snapshot (:meth:`save` / :meth:`load`), not
      each build their own.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from matching.errors import MatchingError
from matching.index import persist
from matching.index.batch import BatchMixin
from matching.index.blocks import (
    _block_from_records,
    _check_unique,
    _compact,
    _concat_blocks,
    _empty_side,
    _get,
    _records,
    _records_and_embeddings,
    _side_from_records,
    _side_without,
)
from matching.index.queries import QueryMixin
from matching.index.state import _Side, _Snapshot
from matching.records import OfferingRecord, ProblemRecord
from matching.scoring import ScoringConfig
from matching.semantic import Embedder
from matching.text import TextModel

__all__ = ["MatchIndex", "SEMANTIC_FLOOR", "SEMANTIC_WEIGHT"]

logger = logging.getLogger(__name__)

#: Fusion defaults, chosen on the dev splits of benchmarks/matching_public.py (see README).
SEMANTIC_WEIGHT = 0.6
SEMANTIC_FLOOR = 0.75


class MatchIndex(QueryMixin, BatchMixin):
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
        semantic_weight: float = SEMANTIC_WEIGHT,
        semantic_floor: float = SEMANTIC_FLOOR,
        require_embeddings: bool = False,
    ) -> None:
        for name, value, hi in (("alpha", alpha, 1.0), ("semantic_weight", semantic_weight, 1.0),
                                ("semantic_floor", semantic_floor, 0.99)):
            if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
                    or not 0.0 <= value <= hi):
                raise MatchingError(f"{name} must be a number in [0, {hi:g}], got {value!r}")
        if embedder is not None and not isinstance(embedder, Embedder):
            raise MatchingError("embedder must have name, dim and embed(texts)")
        self._lock = threading.RLock()
        #: Refit when upserts have doubled the corpus. Off for an index that must rank the same as another one
        #: given the same records, whatever the order they arrived in (the app's shared index).
        self.auto_refit = True
        self._alpha = alpha
        self._expand = expand
        model = TextModel.create(alpha=alpha, expand=expand)
        self._snapshot: _Snapshot | None = None
        self._pending = (model, config or ScoringConfig(), embedder, float(semantic_weight), float(semantic_floor),
                         bool(require_embeddings))

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, offerings: Iterable[OfferingRecord] = (), problems: Iterable[ProblemRecord] = (),
              **options: Any) -> MatchIndex:
        """Fit the text model on all records and index them."""
        index = cls(**options)
        index._rebuild(list(offerings), list(problems))
        return index

    def _rebuild(self, offerings: list[OfferingRecord], problems: list[ProblemRecord], embeddings=(None, None)) -> None:
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
                old = self._snapshot
                model = TextModel.create(alpha=self._alpha, expand=self._expand)
                config, embedder, weight, floor, require = (old.config, old.embedder, old.semantic_weight,
                                                            old.semantic_floor, old.require_embeddings)
            else:
                model, config, embedder, weight, floor, require = self._pending
            texts = [o.text for o in offerings] + [p.text for p in problems]
            Xc = Xw = None
            if texts:
                try:
                    Xc, Xw = model.fit_transform(texts)
                except ValueError as exc:  # scikit-learn: "empty vocabulary" (only stop words, 1-letter words)
                    raise MatchingError(f"the records have no words to index ({exc})") from exc
            snap = _Snapshot(model, config, _empty_side("offering"), _empty_side("problem"),
                             len(texts), embedder, weight, floor, require)
            k = len(offerings)
            o_emb, p_emb = embeddings
            snap = replace(
                snap,
                offerings=_side_from_records(snap, "offering", offerings, None if Xc is None else (Xc[:k], Xw[:k]),
                                             o_emb),
                problems=_side_from_records(snap, "problem", problems, None if Xc is None else (Xc[k:], Xw[k:]),
                                            p_emb),
            )
            self._snapshot = snap
            logger.info("built match index: %d offerings, %d problems", len(offerings), len(problems))

    def refit(self) -> None:
        """Re-learn vocabulary and IDF from every record currently indexed."""
        with self._lock:
            snap = self._snap()
            offerings, o_emb = _records_and_embeddings(snap.offerings)
            problems, p_emb = _records_and_embeddings(snap.problems)
            self._rebuild(offerings, problems, (o_emb, p_emb))

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
        return list(self._snap().offerings.rows)

    def problem_ids(self) -> list:
        return list(self._snap().problems.rows)

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
                self._rebuild(offerings, problems)  # an empty index has no stored embeddings to keep
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
            if self.auto_refit and total > 2 * max(self._snapshot.fitted_on, 50):
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

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | os.PathLike) -> None:
        """Write the index to directory ``path`` (JSON + ``.npy``; no pickle). Replaces it atomically.

        See :mod:`matching.index.persist` for the layout; :meth:`load` maps the arrays so that worker
        processes share them.
        """
        persist.save(self._snap(), path)

    @classmethod
    def load(cls, path: str | os.PathLike, embedder: Embedder | None = None, *, mmap: bool = True,
             verify: bool = True) -> MatchIndex:
        """Read an index written by :meth:`save`, its arrays memory-mapped read-only (``mmap=False``: in memory).

        ``embedder`` must be the one the index was built with (checked by name). ``verify`` checks every file
        against the manifest's SHA-256 first: a corrupt or half-copied snapshot raises :class:`MatchingError`.
        """
        from pathlib import Path

        manifest = persist.read_manifest(Path(path))
        if manifest.get("embedder") != (embedder.name if embedder else None):
            raise MatchingError(f"{path} was built with embedder {manifest.get('embedder')!r}; pass the same embedder")
        index = cls(config=persist.manifest_config(manifest), alpha=manifest["alpha"], expand=manifest["expand"],
                    embedder=embedder, semantic_weight=manifest["semantic_weight"],
                    semantic_floor=manifest.get("semantic_floor", 0.0),
                    require_embeddings=manifest.get("require_embeddings", False))
        persist.load_into(index, path, embedder, mmap=mmap, verify=verify)
        return index

