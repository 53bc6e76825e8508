"""Plain input records: :class:`ProblemRecord`, :class:`OfferingRecord`, :class:`Weights`.

Records are frozen dataclasses validated on construction. Bad input raises a
:class:`~matching.errors.RecordError` (a ``ValueError``) naming the field.
Documented defaults:

- ``weights`` missing or empty: all criteria weigh the same.
- an offering ``profile`` missing a criterion: that criterion counts as 0.5
  (neutral) and is reported as unknown, never as a strength or weakness.
- ``regions_served`` empty: the offering serves the whole country.
- ``deployment_modes`` empty: unknown; an on-premises requirement then lowers
  the score (with a reason) instead of filtering the offering out.
- problem types, capabilities and industries may be taxonomy codes or free
  tags; tags that map onto no code are kept as text only (see
  :func:`matching.terms.normalise_tag`). Declared types are a record's
  types: problem types its title or description merely mentions count only
  when it declares none (an offering gets a small, separately explained
  credit for a mention; see :mod:`matching.scoring`).
- ``capacity`` missing: one open project slot.
- ``embedding`` (optional, offerings and problems): the record's stored
  semantic vector, any sequence of finite numbers, kept as a read-only
  float32 array (not compared, not hashed); ``embedding_model`` names the
  model that made it. Without one, an index with a semantic channel embeds
  the record when it is indexed (see :mod:`matching.index.blocks`).
- ``evidence`` (optional, offerings): per criterion, how much the profile
  value is backed by evidence, in [0, 1] (0: a bare claim, 1: verified by
  the platform). Missing criteria count as claims. Scoring shrinks each
  profile value toward the prior 0.5 by ``1 - evidence`` times
  :attr:`~matching.scoring.ScoringConfig.claim_shrink` (see
  :func:`matching.scoring.effective_profile`): the hook for the evidence rule
  of the evaluation issue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from domain.criteria import Weights as CriteriaWeights
from matching import taxonomy, terms
from matching.checks import (
    MAX_WON,
    check_code,
    check_count,
    check_embedding,
    check_evidence,
    check_id,
    check_model,
    check_modes,
    check_number,
    check_range,
    check_strings,
    check_text,
)
from matching.errors import RecordError, UnknownCodeError

__all__ = ["MAX_WON", "OfferingRecord", "ProblemRecord", "Weights", "offering_from_dict", "problem_from_dict"]

# --------------------------------------------------------------------------- weights


@dataclass(frozen=True)
class Weights:
    """An SME's weights over :data:`~matching.taxonomy.CRITERIA`, normalised to sum to 1.

    Build with :meth:`from_mapping` (any subset of criteria; missing ones weigh
    0). Unknown keys, negative, NaN or infinite values, and all-zero weights
    raise :class:`RecordError`.
    """

    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.values) != len(taxonomy.CRITERIA):
            raise RecordError(f"weights need {len(taxonomy.CRITERIA)} values, got {len(self.values)}")
        total = 0.0
        for key, v in zip(taxonomy.CRITERIA, self.values):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise RecordError(f"weight for {key} must be a finite number, got {v!r}")
            if v < 0:
                raise RecordError(f"weight for {key} must not be negative, got {v}")
            total += v
        if total <= 0:
            raise RecordError("weights must not all be zero")
        if total > 1e12:
            raise RecordError("weights are implausibly large")
        object.__setattr__(self, "values", tuple(float(v) / total for v in self.values))

    @classmethod
    def uniform(cls) -> Weights:
        return cls(tuple(1.0 for _ in taxonomy.CRITERIA))

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, float] | Weights | CriteriaWeights | None) -> Weights:
        """Weights from ``{"quality": 3, "cost": 1}`` or an SME's :class:`domain.Weights` (seven whole
        numbers that add up to 100); ``None`` or ``{}`` give :meth:`uniform`."""
        if isinstance(mapping, Weights):
            return mapping
        if isinstance(mapping, CriteriaWeights):
            return cls(tuple(float(v) for v in mapping.values()))
        if mapping is None or (isinstance(mapping, Mapping) and not mapping):
            return cls.uniform()
        if not isinstance(mapping, Mapping):
            raise RecordError(f"weights must be a mapping of criterion to number, got {type(mapping).__name__}")
        unknown = set(mapping) - set(taxonomy.CRITERIA)
        if unknown:
            raise RecordError(
                f"unknown criteria {', '.join(sorted(map(str, unknown)))}; expected some of {', '.join(taxonomy.CRITERIA)}"
            )
        return cls(tuple(mapping.get(key, 0.0) for key in taxonomy.CRITERIA))

    def as_dict(self) -> dict[str, float]:
        return dict(zip(taxonomy.CRITERIA, self.values))

    def top(self) -> str:
        """The criterion with the largest weight (first in CRITERIA order on ties)."""
        return taxonomy.CRITERIA[max(range(len(self.values)), key=lambda i: (self.values[i], -i))]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ProblemRecord:
    """An SME's problem. Only ``id`` and a title or description are required."""

    id: str | int
    title: str = ""
    description: str = ""
    problem_types: tuple[str, ...] = ()
    industry: str | None = None
    region: str | None = None
    budget_min: int | None = None
    budget_max: int | None = None
    on_premises_required: bool = False
    data_available: tuple[str, ...] = ()
    existing_systems: tuple[str, ...] = ()
    weights: Weights = field(default_factory=Weights.uniform)
    embedding: Any = field(default=None, compare=False, repr=False)
    embedding_model: str | None = None

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "id", check_id(self.id))
        s(self, "title", check_text("title", self.title))
        s(self, "description", check_text("description", self.description))
        if not (self.title.strip() or self.description.strip()):
            raise RecordError(f"problem {self.id!r} needs a title or a description")
        s(self, "problem_types", check_strings("problem_types", self.problem_types))
        s(self, "industry", check_code("industry", self.industry))
        s(self, "region", check_code("region", self.region))
        lo, hi = check_range("budget_min", self.budget_min, "budget_max", self.budget_max)
        s(self, "budget_min", lo)
        s(self, "budget_max", hi)
        if not isinstance(self.on_premises_required, bool):
            raise RecordError("on_premises_required must be true or false")
        s(self, "data_available", check_strings("data_available", self.data_available))
        s(self, "existing_systems", check_strings("existing_systems", self.existing_systems))
        s(self, "weights", Weights.from_mapping(self.weights))
        s(self, "embedding", check_embedding(self.embedding))
        s(self, "embedding_model", check_model(self.embedding_model))

    @property
    def text(self) -> str:
        return "\n".join(
            p for p in (self.title, self.description, " ".join(self.problem_types),
                        " ".join(self.data_available), " ".join(self.existing_systems)) if p
        )

    @property
    def budget(self) -> int | None:
        """The most the SME can pay: ``budget_max``, else ``budget_min``."""
        return self.budget_max if self.budget_max is not None else self.budget_min


@dataclass(frozen=True)
class OfferingRecord:
    """A vendor's solution offering. Only ``id`` and a title or description are required."""

    id: str | int
    title: str = ""
    description: str = ""
    capabilities: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    regions_served: tuple[str, ...] = ()
    deployment_modes: tuple[str, ...] = ()
    price_min: int | None = None
    price_max: int | None = None
    duration_weeks: float | None = None
    profile: Mapping[str, float] = field(default_factory=dict)
    completed_projects: int = 0
    mean_review: float | None = None
    capacity: int = 1
    evidence: Mapping[str, float] = field(default_factory=dict)
    embedding: Any = field(default=None, compare=False, repr=False)
    embedding_model: str | None = None

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "id", check_id(self.id))
        s(self, "title", check_text("title", self.title))
        s(self, "description", check_text("description", self.description))
        if not (self.title.strip() or self.description.strip()):
            raise RecordError(f"offering {self.id!r} needs a title or a description")
        s(self, "capabilities", check_strings("capabilities", self.capabilities))
        industries = []
        for raw in check_strings("industries", self.industries):
            code = terms.normalise_tag(raw, "industry")
            if code is None:
                raise UnknownCodeError(f"unknown industry {raw!r}")
            industries.append(code)
        s(self, "industries", tuple(dict.fromkeys(industries)))
        s(self, "regions_served", tuple(dict.fromkeys(
            check_code("region", r) for r in check_strings("regions_served", self.regions_served))))
        s(self, "deployment_modes", check_modes(self.deployment_modes))
        lo, hi = check_range("price_min", self.price_min, "price_max", self.price_max)
        s(self, "price_min", lo)
        s(self, "price_max", hi)
        s(self, "duration_weeks", check_number("duration_weeks", self.duration_weeks, 0, 520))
        profile = self.profile if self.profile is not None else {}
        if not isinstance(profile, Mapping):
            raise RecordError("profile must be a mapping of criterion to a number in [0, 1]")
        unknown = set(profile) - set(taxonomy.CRITERIA)
        if unknown:
            raise RecordError(f"unknown criteria in profile: {', '.join(sorted(map(str, unknown)))}")
        s(self, "profile", {k: check_number(f"profile[{k}]", profile[k], 0.0, 1.0)
                            for k in taxonomy.CRITERIA if k in profile and profile[k] is not None})
        s(self, "completed_projects", check_count("completed_projects", self.completed_projects, 0))
        s(self, "mean_review", check_number("mean_review", self.mean_review, 0.0, 5.0))
        s(self, "capacity", check_count("capacity", self.capacity, 1))
        s(self, "evidence", check_evidence(self.evidence))
        s(self, "embedding", check_embedding(self.embedding))
        s(self, "embedding_model", check_model(self.embedding_model))

    def __hash__(self) -> int:  # profile is a dict; hash by identity of content
        return hash((self.id, self.title, self.description, tuple(sorted(self.profile.items()))))

    @property
    def text(self) -> str:
        return "\n".join(p for p in (self.title, self.description, " ".join(self.capabilities)) if p)


# --------------------------------------------------------------------------- from dicts

_PROBLEM_ALIASES = {"weights": ("weights", "criteria_weights", "criteria"), "problem_types": ("problem_types", "types", "tags")}
_OFFERING_ALIASES = {"profile": ("profile", "criteria_profile"), "capabilities": ("capabilities", "tags")}


def _from_dict(cls, data: Mapping[str, Any], aliases: dict[str, tuple[str, ...]]):
    if not isinstance(data, Mapping):
        raise RecordError(f"a record must be a JSON object, got {type(data).__name__}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        for key in aliases.get(f.name, (f.name,)):
            if key in data and data[key] is not None:
                kwargs[f.name] = data[key]
                break
    if "id" not in kwargs:
        raise RecordError("missing required field 'id'")
    return cls(**kwargs)


def problem_from_dict(data: Mapping[str, Any]) -> ProblemRecord:
    """A :class:`ProblemRecord` from a JSON-like mapping; unknown keys are ignored."""
    return _from_dict(ProblemRecord, data, _PROBLEM_ALIASES)


def offering_from_dict(data: Mapping[str, Any]) -> OfferingRecord:
    """An :class:`OfferingRecord` from a JSON-like mapping; unknown keys are ignored."""
    return _from_dict(OfferingRecord, data, _OFFERING_ALIASES)
