"""Terms <-> plain JSON data, deterministically.

``terms_to_json`` gives the same bytes for equal terms: keys sorted, no spaces,
Decimals as strings (never floats), dates in ISO 8601, UTC timestamps with ``Z``.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import cache

from .terms import AgreementTerms, TermsError

__all__ = ["terms_from_dict", "terms_to_dict", "terms_to_json"]


def _encode(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value  # str, int, bool, None


def terms_to_dict(terms: AgreementTerms) -> dict:
    """Plain JSON-compatible data (str, int, bool, None, lists, dicts)."""
    return _encode(terms)


def terms_to_json(terms: AgreementTerms) -> bytes:
    """Deterministic UTF-8 JSON of the terms."""
    return json.dumps(terms_to_dict(terms), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _decode(tp, value, path: str):
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _decode(args[0], value, path)
    if origin is tuple:
        item_tp = typing.get_args(tp)[0]
        if not isinstance(value, list):
            raise TermsError(path, "목록이어야 합니다.", "must be a list.")
        return tuple(_decode(item_tp, v, f"{path}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise TermsError(path, "객체여야 합니다.", "must be an object.")
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        unknown = set(value) - names
        if unknown:
            raise TermsError(f"{path}.{sorted(unknown)[0]}".lstrip("."),
                             "알 수 없는 항목입니다.", "is not a known field.")
        kwargs = {k: _decode(hints[k], v, f"{path}.{k}".lstrip(".")) for k, v in value.items()}
        try:
            return tp(**kwargs)
        except TypeError as exc:
            raise TermsError(path or "terms", "필수 항목이 빠졌습니다.",
                             f"missing a required field ({exc}).") from None
    try:
        if tp is Decimal:
            return Decimal(value) if isinstance(value, str | int) else value
        if tp is datetime:
            return datetime.fromisoformat(value) if isinstance(value, str) else value
        if tp is date:
            return date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        raise TermsError(path, "날짜·숫자 형식이 올바르지 않습니다.",
                         "is not a valid date or number.") from None
    return value  # enums are converted by the dataclasses' own validation


def terms_from_dict(data: dict) -> AgreementTerms:
    """Rebuild (and validate) terms from :func:`terms_to_dict` output."""
    return _decode(AgreementTerms, data, "")
