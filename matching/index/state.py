"""The index's data: filters, blocks of rows, the immutable snapshot, score matrices.

A :class:`_Snapshot` is what a query reads: the fitted text model, the
scoring configuration, the semantic fusion rule and the two sides (offerings,
problems). Each side is a *main* block and a small *delta* block of rows
(see :mod:`matching.index.blocks`). Snapshots are never changed in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from matching import taxonomy, terms
from matching.errors import MatchingError
from matching.scoring import ScoringConfig, TypeHits
from matching.semantic import Embedder
from matching.text import TextModel

__all__ = ["Filters", "ScoreMatrix"]


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
                if terms.normalise_tag(code, kind) != code and not (kind == "industry" and taxonomy.get_industry(code)):
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
    #: (rows, dim) float32 unit vectors when the index has a semantic channel (offerings: passages,
    #: problems: queries); possibly memory-mapped from a saved snapshot.
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
    """What the candidate path (:mod:`matching.index.candidates`) needs besides a block's term-major matrices.

    ``XcR``/``XwR``: the char and word matrices row-major (rows x vocabulary), to
    score candidates exactly; ``char_len``/``word_len``: postings length of each
    term; ``char_mean``/``word_mean``: each term's mean weight over the block's rows.
    """

    XcR: sp.csr_matrix
    char_len: np.ndarray
    char_mean: np.ndarray
    #: Column-major copies of the offering features for one-problem estimates
    #: (see :func:`matching.index.candidates._estimate`).
    offeredT: np.ndarray  # (T, n) float32: 1 declared type, ``type_mention`` a mentioned one
    divT: np.ndarray  # (D, n) bool
    secT: np.ndarray  # (S, n) bool
    regT: np.ndarray  # (R, n) bool
    profileT: np.ndarray  # (C, n) float32
    boost: np.ndarray  # (n,) float32: track record contribution before the gate
    static_penalty: np.ndarray  # (n,) float32: the capacity penalty
    price: np.ndarray  # (n,) float32: lowest price, -inf where unknown or 0
    inv_price: np.ndarray  # (n,) float32: 1 / lowest price, 0 where unknown or 0
    has_ind: np.ndarray  # (n,) bool: the offering lists industries
    #: The semantic channel's candidate estimate: embeddings centred and projected on their first principal
    #: axes and quantised to bytes, ``cos ~ q @ emb_mean + ((q @ emb_axes) * emb_scale) @ emb_low``
    #: (``None`` without a channel).
    emb_mean: np.ndarray | None = None  # (dim,) float32
    emb_axes: np.ndarray | None = None  # (dim, k) float32
    emb_low: np.ndarray | None = None  # (k, n) int8: axis-major, read a chunk of rows at a time
    XwR: sp.csr_matrix | None = None
    word_len: np.ndarray | None = None
    word_mean: np.ndarray | None = None
    emb_scale: np.ndarray | None = None  # (k,) float32: the value of one step of ``emb_low`` on each axis


@dataclass(frozen=True)
class _Snapshot:
    model: TextModel
    config: ScoringConfig
    offerings: _Side
    problems: _Side
    fitted_on: int
    embedder: Embedder | None
    semantic_weight: float
    #: Cosine at or below which the semantic channel gives nothing (see :func:`matching.index.search.fuse`).
    semantic_floor: float = 0.0
    #: Offerings without a stored embedding raise instead of being embedded when indexed.
    require_embeddings: bool = False


@dataclass(frozen=True)
class ScoreMatrix:
    """All pair scores: ``scores[i, j]`` for ``problem_ids[i]`` and ``offering_ids[j]``; ``-inf`` where excluded."""

    problem_ids: list
    offering_ids: list
    scores: np.ndarray
    capacities: np.ndarray
    problem_is_capital: np.ndarray

