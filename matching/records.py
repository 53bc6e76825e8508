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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from domain.criteria import Weights as CriteriaWeights
from domain.money import MAX_BUDGET_WON
from matching import taxonomy, terms
from matching.errors import RecordError, UnknownCodeError

__all__ = ["MAX_WON", "OfferingRecord", "ProblemRecord", "Weights", "offering_from_dict", "problem_from_dict"]

#: Largest amount of money accepted, in won (1,000조 won): anything larger is a typo.
MAX_WON = MAX_BUDGET_WON
_MAX_TEXT = 100_000

_MODE_ALIASES = {
    "onprem": "on_premises",
    "on_prem": "on_premises",
    "on_premise": "on_premises",
    "onpremise": "on_premises",
    "onpremises": "on_premises",
    "온프레미스": "on_premises",
    "클라우드": "cloud",
    "하이브리드": "hybrid",
    "엣지": "edge",
}


# --------------------------------------------------------------------------- helpers


def _check_id(value: Any) -> str | int:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RecordError(f"id must be a string or an integer, got {type(value).__name__}")
    if isinstance(value, str) and not value.strip():
        raise RecordError("id must not be empty")
    return value


def _check_text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{name} must be text, got {type(value).__name__}")
    if len(value) > _MAX_TEXT:
        raise RecordError(f"{name} is longer than {_MAX_TEXT} characters")
    return value


def _check_strings(name: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise RecordError(f"{name} must be a list of strings")
    out = []
    for item in value:
        if not isinstance(item, str):
            raise RecordError(f"{name} must contain strings only, got {type(item).__name__}")
        if item.strip():
            out.append(item.strip())
    return tuple(dict.fromkeys(out))


def _check_won(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(f"{name} must be a number of won, got {type(value).__name__}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RecordError(f"{name} must be a finite number, got {value}")
        value = round(value)
    if value < 0:
        raise RecordError(f"{name} must not be negative, got {value}")
    if value > MAX_WON:
        raise RecordError(f"{name} of {value} won is implausibly large (over {MAX_WON:,})")
    return int(value)


def _check_range(lo_name: str, lo: Any, hi_name: str, hi: Any) -> tuple[int | None, int | None]:
    lo, hi = _check_won(lo_name, lo), _check_won(hi_name, hi)
    if lo is not None and hi is not None and lo > hi:
        raise RecordError(f"{lo_name} ({lo:,}) is above {hi_name} ({hi:,})")
    return lo, hi


def _check_number(name: str, value: Any, lo: float, hi: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or not lo <= value <= hi:
        raise RecordError(f"{name} must be between {lo:g} and {hi:g}, got {value}")
    return float(value)


def _check_count(name: str, value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{name} must be a whole number, got {value!r}")
    if not 0 <= value <= 1_000_000:
        raise RecordError(f"{name} must be between 0 and 1,000,000, got {value}")
    return value


def _check_embedding(value: Any) -> np.ndarray | None:
    if value is None:
        return None
    try:
        arr = np.array(value, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise RecordError("embedding must be a list of numbers") from exc
    if arr.ndim != 1 or not 1 <= arr.size <= 4096:
        raise RecordError(f"embedding must be a flat list of 1 to 4096 numbers, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise RecordError("embedding contains NaN or infinite values")
    arr.setflags(write=False)
    return arr


def _check_model(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise RecordError("embedding_model must be a model name")
    return value


def _check_evidence(value: Any) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RecordError("evidence must be a mapping of criterion to a number in [0, 1]")
    unknown = set(value) - set(taxonomy.CRITERIA)
    if unknown:
        raise RecordError(f"unknown criteria in evidence: {', '.join(sorted(map(str, unknown)))}")
    return {k: _check_number(f"evidence[{k}]", value[k], 0.0, 1.0)
            for k in taxonomy.CRITERIA if k in value and value[k] is not None}


def _check_code(kind: str, value: Any) -> str | None:
    """A region or industry: a code, or a label/synonym mapped onto one, else an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RecordError(f"{kind} must be a code string, got {type(value).__name__}")
    code = terms.normalise_tag(value, kind)  # type: ignore[arg-type]
    if code is None:
        raise UnknownCodeError(f"unknown {kind} {value!r}")
    return code


def _check_modes(value: Any) -> tuple[str, ...]:
    out = []
    for raw in _check_strings("deployment_modes", value):
        key = raw.strip().lower().replace("-", "_").replace(" ", "_")
        key = _MODE_ALIASES.get(key, key)
        if taxonomy.get_deployment_mode(key) is None:
            known = ", ".join(m.code for m in taxonomy.deployment_modes())
            raise UnknownCodeError(f"unknown deployment mode {raw!r}; expected one of {known}")
        out.append(key)
    return tuple(dict.fromkeys(out))


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
        s(self, "id", _check_id(self.id))
        s(self, "title", _check_text("title", self.title))
        s(self, "description", _check_text("description", self.description))
        if not (self.title.strip() or self.description.strip()):
            raise RecordError(f"problem {self.id!r} needs a title or a description")
        s(self, "problem_types", _check_strings("problem_types", self.problem_types))
        s(self, "industry", _check_code("industry", self.industry))
        s(self, "region", _check_code("region", self.region))
        lo, hi = _check_range("budget_min", self.budget_min, "budget_max", self.budget_max)
        s(self, "budget_min", lo)
        s(self, "budget_max", hi)
        if not isinstance(self.on_premises_required, bool):
            raise RecordError("on_premises_required must be true or false")
        s(self, "data_available", _check_strings("data_available", self.data_available))
        s(self, "existing_systems", _check_strings("existing_systems", self.existing_systems))
        s(self, "weights", Weights.from_mapping(self.weights))
        s(self, "embedding", _check_embedding(self.embedding))
        s(self, "embedding_model", _check_model(self.embedding_model))

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
        s(self, "id", _check_id(self.id))
        s(self, "title", _check_text("title", self.title))
        s(self, "description", _check_text("description", self.description))
        if not (self.title.strip() or self.description.strip()):
            raise RecordError(f"offering {self.id!r} needs a title or a description")
        s(self, "capabilities", _check_strings("capabilities", self.capabilities))
        industries = []
        for raw in _check_strings("industries", self.industries):
            code = terms.normalise_tag(raw, "industry")
            if code is None:
                raise UnknownCodeError(f"unknown industry {raw!r}")
            industries.append(code)
        s(self, "industries", tuple(dict.fromkeys(industries)))
        s(self, "regions_served", tuple(dict.fromkeys(
            _check_code("region", r) for r in _check_strings("regions_served", self.regions_served))))
        s(self, "deployment_modes", _check_modes(self.deployment_modes))
        lo, hi = _check_range("price_min", self.price_min, "price_max", self.price_max)
        s(self, "price_min", lo)
        s(self, "price_max", hi)
        s(self, "duration_weeks", _check_number("duration_weeks", self.duration_weeks, 0, 520))
        profile = self.profile if self.profile is not None else {}
        if not isinstance(profile, Mapping):
            raise RecordError("profile must be a mapping of criterion to a number in [0, 1]")
        unknown = set(profile) - set(taxonomy.CRITERIA)
        if unknown:
            raise RecordError(f"unknown criteria in profile: {', '.join(sorted(map(str, unknown)))}")
        s(self, "profile", {k: _check_number(f"profile[{k}]", profile[k], 0.0, 1.0)
                            for k in taxonomy.CRITERIA if k in profile and profile[k] is not None})
        s(self, "completed_projects", _check_count("completed_projects", self.completed_projects, 0))
        s(self, "mean_review", _check_number("mean_review", self.mean_review, 0.0, 5.0))
        s(self, "capacity", _check_count("capacity", self.capacity, 1))
        s(self, "evidence", _check_evidence(self.evidence))
        s(self, "embedding", _check_embedding(self.embedding))
        s(self, "embedding_model", _check_model(self.embedding_model))

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
