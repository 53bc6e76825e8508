"""Vectorised scoring: features of records and the sum of named contributions.

For a problem *p* and an offering *o*::

    relevance   = text_w * text(p, o) + taxonomy_w * taxonomy(p, o)
    gate        = min(1, relevance / gate)           # topical relevance in [0, 1]
    score       = relevance
                + criteria_w * (weights(p) · profile(o)) * gate
                + track_w    * track(o)               * gate
                - budget penalty - region penalty - deployment penalty - capacity penalty

Criteria alignment and track record count in proportion to topical relevance,
so a well-reviewed vendor cannot outrank relevant ones on reputation alone.
Contributions are returned separately and add up to the score. Hard
constraints (on-premises required, offering cloud-only) give an exclusion
mask instead of a score.

``taxonomy(p, o) = 0.75 * coverage + 0.25 * industry`` where industry is 1 for
the same KSIC division, ``section_credit`` (0.25) for the same section only,
and ``coverage`` is the
share of *p*'s problem types that *o* covers: 1 for a type *o* declares as a
capability, ``type_mention`` (default 0.25, at most 1) for a type *o* only
mentions in its description while declaring others. A record's types are the
ones it declares (``problem_types`` / ``capabilities``); only a record that
declares none is typed by its title and description (see :class:`TypeHits`).
Coverage is divided by the number of types the problem asks for, so an
offering gains nothing from types the problem does not ask for.

Budget: an offering whose lowest price is above the problem's budget loses
``budget_penalty * budget_scale * (0.3 + 0.7 * shortfall)``, where
:func:`budget_scale` grows with the SME's cost weight.

Industry fit: an offering that lists industries, none of them the problem's
KSIC division, loses ``industry_mismatch_penalty`` (a food-only vision system
is not a fit for a plastics plant just because both are manufacturing).

Criteria use the *effective* profile (:func:`effective_profile`): each value
is shrunk toward the prior 0.5 in proportion to how little evidence backs it,
``v' = 0.5 + (v - 0.5) * (1 - claim_shrink * (1 - evidence))``. With the
default ``claim_shrink = 0`` claims count fully (the behaviour before the
hook); the evaluation issue's evidence rule sets it and the per-criterion
``OfferingRecord.evidence``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from matching import taxonomy, terms
from matching.errors import MatchingError
from matching.records import OfferingRecord, ProblemRecord

__all__ = ["ScoringConfig", "OfferingFeatures", "ProblemFeatures", "CONTRIBUTIONS", "effective_profile",
           "industry_fit",
           "offering_features", "problem_features", "score_pairs", "problem_type_hits", "offering_type_hits",
           "TypeHits"]

#: Names of the contributions, in display order.
CONTRIBUTIONS = ("text", "taxonomy", "criteria", "track_record", "constraints")

_PT = [p.code for p in taxonomy.problem_types()]
_PT_INDEX = {c: i for i, c in enumerate(_PT)}
_DIV = [i.code for i in taxonomy.industries()]
_DIV_INDEX = {c: i for i, c in enumerate(_DIV)}
_SEC = [s.code for s in taxonomy.industry_sections()]
_SEC_INDEX = {c: i for i, c in enumerate(_SEC)}
_REG = [r.code for r in taxonomy.regions()]
_REG_INDEX = {c: i for i, c in enumerate(_REG)}
_ONPREM_OK = {m.code for m in taxonomy.deployment_modes() if m.on_premises_ok}
_MODES = [m.code for m in taxonomy.deployment_modes()]
_MODE_INDEX = {c: i for i, c in enumerate(_MODES)}
_NCRIT = len(taxonomy.CRITERIA)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class ScoringConfig:
    """Weights of the contributions and sizes of the penalties (all >= 0)."""

    text: float = 0.45
    taxonomy: float = 0.35
    criteria: float = 0.12
    track_record: float = 0.08
    gate: float = 0.25
    budget_penalty: float = 0.15
    region_penalty: float = 0.08
    deployment_unknown_penalty: float = 0.05
    capacity_penalty: float = 0.05
    #: Credit for a problem type the offering only mentions in its text (a declared capability counts 1).
    type_mention: float = 0.25
    #: Industry credit for the same KSIC section but another division (the same division counts 1).
    section_credit: float = 0.25
    #: Subtracted when the offering lists industries and none is the problem's division.
    industry_mismatch_penalty: float = 0.05
    #: How far a profile value with no evidence is shrunk toward 0.5 (0: claims count fully, 1: not at all).
    claim_shrink: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0 or v > 100:
                raise MatchingError(f"ScoringConfig.{f.name} must be a finite number in [0, 100], got {v!r}")
        if self.gate <= 0:
            raise MatchingError("ScoringConfig.gate must be positive")
        for name in ("type_mention", "section_credit", "claim_shrink"):
            if getattr(self, name) > 1:
                raise MatchingError(f"ScoringConfig.{name} must be at most 1")

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --------------------------------------------------------------------------- hits


@dataclass(frozen=True)
class TypeHits:
    """The problem types of one record, by where they come from.

    ``declared``: code -> term for the types the record declares (its
    ``problem_types`` / ``capabilities`` tags that map onto a code); the term
    is the one the text uses for it when the text names it, else the tag (a
    tag that is itself a code is shown by its label in the text's language).
    ``mentioned``: code -> term for types the title or description names but
    the record does not declare.

    When a record declares types, those are its types (:attr:`types`) and the
    mentions are only :attr:`extra` (a small, separately labelled
    contribution on the offering side, none on the problem side). A record
    that declares nothing (a CLI record with only a title and description) is
    typed by its text.
    """

    declared: Mapping[str, str] = field(default_factory=dict)
    mentioned: Mapping[str, str] = field(default_factory=dict)

    @property
    def types(self) -> Mapping[str, str]:
        return self.declared if self.declared else self.mentioned

    @property
    def extra(self) -> Mapping[str, str]:
        return self.mentioned if self.declared else {}

    def term(self, code: str) -> str:
        return self.declared.get(code) or self.mentioned[code]

    def as_dict(self) -> dict[str, dict[str, str]]:
        return {"declared": dict(self.declared), "mentioned": dict(self.mentioned)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TypeHits:
        return cls(dict(d.get("declared") or {}), dict(d.get("mentioned") or {}))


def _hits(tags: Sequence[str], text: str) -> TypeHits:
    found = {h.code: h.term for h in terms.find_terms(text)}
    lang = "ko" if _HANGUL.search(text) else "en"
    declared: dict[str, str] = {}
    for tag in tags:
        code = terms.normalise_tag(tag)
        if code is not None and code not in declared:
            declared[code] = found.get(code) or (taxonomy.get_problem_type(code).label(lang) if tag == code else tag)
    mentioned = {c: t for c, t in found.items() if c not in declared}
    return TypeHits(declared, mentioned)


def problem_type_hits(p: ProblemRecord) -> TypeHits:
    """The problem's declared types (``problem_types``) and the types its title/description mentions."""
    return _hits(p.problem_types, f"{p.title}\n{p.description}")


def offering_type_hits(o: OfferingRecord) -> TypeHits:
    """The offering's declared capabilities and the types its title/description mentions."""
    return _hits(o.capabilities, f"{o.title}\n{o.description}")


# --------------------------------------------------------------------------- features


@dataclass(frozen=True)
class OfferingFeatures:
    pt: np.ndarray  # (n, T) float32 0/1: the offering's types (declared, else from its text)
    pt_extra: np.ndarray  # (n, T) float32 0/1: types only mentioned besides declared ones
    ind_div: np.ndarray  # (n, D) bool
    ind_sec: np.ndarray  # (n, S) bool
    reg: np.ndarray  # (n, R) bool
    nationwide: np.ndarray  # (n,) bool
    onprem_ok: np.ndarray  # (n,) bool
    modes_known: np.ndarray  # (n,) bool
    price_min: np.ndarray  # (n,) float64, NaN unknown
    profile: np.ndarray  # (n, C) float32, 0.5 where unknown
    track: np.ndarray  # (n,) float32 in [0, 1]
    capacity: np.ndarray  # (n,) int32
    evidence: np.ndarray  # (n, C) float32 in [0, 1], 0 where only claimed
    modes: np.ndarray  # (n, M) bool: the deployment modes offered

    def __len__(self) -> int:
        return self.pt.shape[0]

    @staticmethod
    def concat(parts: Sequence[OfferingFeatures]) -> OfferingFeatures:
        return OfferingFeatures(*(np.concatenate([getattr(p, f.name) for p in parts])
                                  for f in fields(OfferingFeatures)))

    def take(self, rows) -> OfferingFeatures:
        return OfferingFeatures(*(getattr(self, f.name)[rows] for f in fields(OfferingFeatures)))


@dataclass(frozen=True)
class ProblemFeatures:
    pt: np.ndarray  # (m, T) float32 0/1: the problem's types (declared, else from its text)
    ind_div: np.ndarray  # (m,) int, -1 unknown
    ind_sec: np.ndarray  # (m,) int, -1 unknown
    reg: np.ndarray  # (m,) int, -1 unknown
    onprem_req: np.ndarray  # (m,) bool
    budget: np.ndarray  # (m,) float64, NaN unknown
    weights: np.ndarray  # (m, C) float32

    def __len__(self) -> int:
        return self.pt.shape[0]

    @staticmethod
    def concat(parts: Sequence[ProblemFeatures]) -> ProblemFeatures:
        return ProblemFeatures(*(np.concatenate([getattr(p, f.name) for p in parts])
                                 for f in fields(ProblemFeatures)))

    def take(self, rows) -> ProblemFeatures:
        return ProblemFeatures(*(getattr(self, f.name)[rows] for f in fields(ProblemFeatures)))


def track_score(o: OfferingRecord) -> float:
    """Experience (completed projects, saturating at 20) and a review shrunk towards 3.5/5."""
    experience = math.log1p(o.completed_projects) / math.log1p(20)
    n = o.completed_projects if o.mean_review is not None else 0
    review = ((o.mean_review or 0.0) * n + 3.5 * 3) / (n + 3)
    return float(0.4 * min(1.0, experience) + 0.6 * review / 5.0)


def offering_features(records: Sequence[OfferingRecord], hits: Sequence[TypeHits]) -> OfferingFeatures:
    n = len(records)
    pt = np.zeros((n, len(_PT)), np.float32)
    pt_extra = np.zeros((n, len(_PT)), np.float32)
    ind_div = np.zeros((n, len(_DIV)), bool)
    ind_sec = np.zeros((n, len(_SEC)), bool)
    reg = np.zeros((n, len(_REG)), bool)
    nationwide = np.zeros(n, bool)
    onprem_ok = np.zeros(n, bool)
    modes_known = np.zeros(n, bool)
    price_min = np.full(n, np.nan)
    profile = np.full((n, _NCRIT), 0.5, np.float32)
    track = np.zeros(n, np.float32)
    capacity = np.zeros(n, np.int32)
    evidence = np.zeros((n, _NCRIT), np.float32)
    modes = np.zeros((n, len(_MODES)), bool)
    for i, (o, h) in enumerate(zip(records, hits)):
        for code in h.types:
            pt[i, _PT_INDEX[code]] = 1.0
        for code in h.extra:
            pt_extra[i, _PT_INDEX[code]] = 1.0
        for code in o.industries:
            ind_div[i, _DIV_INDEX[code]] = True
            ind_sec[i, _SEC_INDEX[code[0]]] = True
        if o.regions_served:
            for code in o.regions_served:
                reg[i, _REG_INDEX[code]] = True
        else:
            nationwide[i] = True
        modes_known[i] = bool(o.deployment_modes)
        for m in o.deployment_modes:
            modes[i, _MODE_INDEX[m]] = True
        onprem_ok[i] = any(m in _ONPREM_OK for m in o.deployment_modes)
        if o.price_min is not None:
            price_min[i] = o.price_min
        elif o.price_max is not None:
            price_min[i] = o.price_max
        for j, key in enumerate(taxonomy.CRITERIA):
            if key in o.profile:
                profile[i, j] = o.profile[key]
            if key in o.evidence:
                evidence[i, j] = o.evidence[key]
        track[i] = track_score(o)
        capacity[i] = o.capacity
    return OfferingFeatures(pt, pt_extra, ind_div, ind_sec, reg, nationwide, onprem_ok, modes_known,
                            price_min, profile, track, capacity, evidence, modes)


_COST = taxonomy.CRITERIA.index("cost")


def budget_scale(P: ProblemFeatures) -> np.ndarray:
    """(m,) how strongly an over-budget price counts for each problem: 1 at uniform weights, more as the
    SME weights cost more (``1 + 3 * (w_cost - 1/C)``, at least 0.5): a cost weight of 80 of 100 makes
    the budget penalty about three times as large, so in-budget offerings come first."""
    return np.maximum(0.5, 1.0 + 3.0 * (P.weights[:, _COST] - 1.0 / _NCRIT)).astype(np.float32)


def effective_profile(O: OfferingFeatures, cfg: ScoringConfig) -> np.ndarray:
    """(n, C) profile values shrunk toward 0.5 by ``claim_shrink * (1 - evidence)`` (see the module doc)."""
    if not cfg.claim_shrink:
        return O.profile
    keep = np.float32(1.0) - np.float32(cfg.claim_shrink) * (np.float32(1.0) - O.evidence)
    return (np.float32(0.5) + (O.profile - np.float32(0.5)) * keep).astype(np.float32)


def industry_fit(P: ProblemFeatures, O: OfferingFeatures, cfg: ScoringConfig) -> tuple[np.ndarray, np.ndarray]:
    """(m, n) industry credit (1 same division, ``section_credit`` same section) and mismatch mask."""
    div = _columns(O.ind_div, P.ind_div)
    sec = _columns(O.ind_sec, P.ind_sec)
    industry = np.where(div, 1.0, np.where(sec, cfg.section_credit, 0.0)).astype(np.float32)
    mismatch = (P.ind_div[:, None] >= 0) & O.ind_div.any(axis=1)[None, :] & ~div
    return industry, mismatch


def problem_features(records: Sequence[ProblemRecord], hits: Sequence[TypeHits]) -> ProblemFeatures:
    m = len(records)
    pt = np.zeros((m, len(_PT)), np.float32)
    ind_div = np.full(m, -1, np.int64)
    ind_sec = np.full(m, -1, np.int64)
    reg = np.full(m, -1, np.int64)
    onprem_req = np.zeros(m, bool)
    budget = np.full(m, np.nan)
    weights = np.zeros((m, _NCRIT), np.float32)
    for i, (p, h) in enumerate(zip(records, hits)):
        for code in h.types:
            pt[i, _PT_INDEX[code]] = 1.0
        if p.industry is not None:
            ind_div[i] = _DIV_INDEX[p.industry]
            ind_sec[i] = _SEC_INDEX[p.industry[0]]
        if p.region is not None:
            reg[i] = _REG_INDEX[p.region]
        onprem_req[i] = p.on_premises_required
        if p.budget is not None:
            budget[i] = p.budget
        weights[i] = p.weights.values
    return ProblemFeatures(pt, ind_div, ind_sec, reg, onprem_req, budget, weights)


# --------------------------------------------------------------------------- scoring


def _columns(matrix: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """(m, n) array: matrix[:, idx[i]] for each problem i, False where idx < 0."""
    out = matrix[:, np.maximum(idx, 0)].T
    out[idx < 0] = False
    return out


def score_pairs(P: ProblemFeatures, O: OfferingFeatures, text: np.ndarray, cfg: ScoringConfig):
    """Contributions for every (problem, offering) pair.

    ``text`` is the (m, n) fused text relevance. Returns ``(contributions,
    excluded)``: a dict of (m, n) float32 arrays keyed by :data:`CONTRIBUTIONS`
    and an (m, n) bool mask of pairs a hard constraint filters out.
    """
    m, n = len(P), len(O)
    text = np.asarray(text, np.float32).reshape(m, n)
    counts = np.maximum(P.pt.sum(axis=1, keepdims=True), 1.0)
    offered = O.pt + np.float32(cfg.type_mention) * O.pt_extra if cfg.type_mention else O.pt
    pt_share = (P.pt @ offered.T) / counts
    industry, mismatch = industry_fit(P, O, cfg)
    c_text = cfg.text * text
    c_tax = cfg.taxonomy * (0.75 * pt_share + 0.25 * industry)
    gate = np.minimum(1.0, (c_text + c_tax) / cfg.gate)
    c_crit = cfg.criteria * (P.weights @ effective_profile(O, cfg).T) * gate
    c_track = cfg.track_record * O.track[None, :] * gate

    penalty = np.zeros((m, n), np.float32)
    budget = P.budget[:, None]
    price = O.price_min[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        short = (budget < price) & (price > 0)
        gap = np.where(short, (price - budget) / np.where(price > 0, price, 1.0), 0.0)
    scale = budget_scale(P)[:, None]
    penalty -= np.where(short, cfg.budget_penalty * scale * (0.3 + 0.7 * np.minimum(gap, 1.0)), 0.0).astype(np.float32)
    served = _columns(O.reg, P.reg) | O.nationwide[None, :]
    penalty -= np.where((P.reg[:, None] >= 0) & ~served, cfg.region_penalty, 0.0).astype(np.float32)
    req = P.onprem_req[:, None]
    penalty -= np.where(req & ~O.modes_known[None, :], cfg.deployment_unknown_penalty, 0.0).astype(np.float32)
    penalty -= np.where(O.capacity[None, :] <= 0, cfg.capacity_penalty, 0.0).astype(np.float32)
    penalty -= np.where(mismatch, cfg.industry_mismatch_penalty, 0.0).astype(np.float32)
    excluded = req & O.modes_known[None, :] & ~O.onprem_ok[None, :]
    contributions = {
        "text": c_text.astype(np.float32, copy=False),
        "taxonomy": c_tax.astype(np.float32, copy=False),
        "criteria": c_crit.astype(np.float32, copy=False),
        "track_record": c_track.astype(np.float32, copy=False),
        "constraints": penalty,
    }
    return contributions, excluded
