"""The field checks of the input records (:mod:`matching.records`): each returns the clean value or
raises a :class:`~matching.errors.RecordError` naming the field."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from domain.money import MAX_BUDGET_WON
from matching import taxonomy, terms
from matching.errors import RecordError, UnknownCodeError

__all__ = ["MAX_WON", "check_code", "check_count", "check_embedding", "check_evidence", "check_id", "check_model", "check_modes", "check_number", "check_range", "check_strings", "check_text", "check_won"]

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


def check_id(value: Any) -> str | int:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RecordError(f"id must be a string or an integer, got {type(value).__name__}")
    if isinstance(value, str) and not value.strip():
        raise RecordError("id must not be empty")
    return value


def check_text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{name} must be text, got {type(value).__name__}")
    if len(value) > _MAX_TEXT:
        raise RecordError(f"{name} is longer than {_MAX_TEXT} characters")
    return value


def check_strings(name: str, value: Any) -> tuple[str, ...]:
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


def check_won(name: str, value: Any) -> int | None:
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


def check_range(lo_name: str, lo: Any, hi_name: str, hi: Any) -> tuple[int | None, int | None]:
    lo, hi = check_won(lo_name, lo), check_won(hi_name, hi)
    if lo is not None and hi is not None and lo > hi:
        raise RecordError(f"{lo_name} ({lo:,}) is above {hi_name} ({hi:,})")
    return lo, hi


def check_number(name: str, value: Any, lo: float, hi: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or not lo <= value <= hi:
        raise RecordError(f"{name} must be between {lo:g} and {hi:g}, got {value}")
    return float(value)


def check_count(name: str, value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{name} must be a whole number, got {value!r}")
    if not 0 <= value <= 1_000_000:
        raise RecordError(f"{name} must be between 0 and 1,000,000, got {value}")
    return value


def check_embedding(value: Any) -> np.ndarray | None:
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


def check_model(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise RecordError("embedding_model must be a model name")
    return value


def check_evidence(value: Any) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RecordError("evidence must be a mapping of criterion to a number in [0, 1]")
    unknown = set(value) - set(taxonomy.CRITERIA)
    if unknown:
        raise RecordError(f"unknown criteria in evidence: {', '.join(sorted(map(str, unknown)))}")
    return {k: check_number(f"evidence[{k}]", value[k], 0.0, 1.0)
            for k in taxonomy.CRITERIA if k in value and value[k] is not None}


def check_code(kind: str, value: Any) -> str | None:
    """A region or industry: a code, or a label/synonym mapped onto one, else an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RecordError(f"{kind} must be a code string, got {type(value).__name__}")
    code = terms.normalise_tag(value, kind)  # type: ignore[arg-type]
    if code is None:
        raise UnknownCodeError(f"unknown {kind} {value!r}")
    return code


def check_modes(value: Any) -> tuple[str, ...]:
    out = []
    for raw in check_strings("deployment_modes", value):
        key = raw.strip().lower().replace("-", "_").replace(" ", "_")
        key = _MODE_ALIASES.get(key, key)
        if taxonomy.get_deployment_mode(key) is None:
            known = ", ".join(m.code for m in taxonomy.deployment_modes())
            raise UnknownCodeError(f"unknown deployment mode {raw!r}; expected one of {known}")
        out.append(key)
    return tuple(dict.fromkeys(out))
