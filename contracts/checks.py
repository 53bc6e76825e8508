"""Field checks of the agreement terms: each raises :class:`TermsError` naming the field, in Korean and English.

The frozen classes of :mod:`contracts.terms` call these in ``__post_init__`` (normalising values with
``object.__setattr__`` where a value is converted on the way in: floats to ``Decimal``, lists to tuples).
"""

from __future__ import annotations

import enum
from decimal import Decimal, InvalidOperation

from domain.brn import BrnError, format_brn, validate_brn


class TermsError(ValueError):
    """Invalid agreement terms: which field, and why, in Korean and English."""

    def __init__(self, field: str, message_ko: str, message_en: str):
        self.field = field
        self.message_ko = message_ko
        self.message_en = message_en
        super().__init__(f"{field}: {message_en} / {message_ko}")

    def message(self, lang: str = "ko") -> str:
        return self.message_ko if lang == "ko" else self.message_en


# --- field helpers --------------------------------------------------------------------

def _fail(field_: str, ko: str, en: str) -> None:
    raise TermsError(field_, ko, en)


def _set(obj, name: str, value) -> None:
    object.__setattr__(obj, name, value)


def _text(obj, name: str, *, required: bool = True, max_len: int = 4000,
          path: str = "") -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if not isinstance(value, str):
        _fail(where, "문자열이어야 합니다.", "must be a string.")
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()  # browsers send CRLF
    if required and not value:
        _fail(where, "비어 있을 수 없습니다.", "must not be empty.")
    if len(value) > max_len:
        _fail(where, f"{max_len}자를 넘을 수 없습니다.",
              f"must be at most {max_len} characters.")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        _fail(where, "제어 문자를 포함할 수 없습니다.",
              "must not contain control characters.")
    _set(obj, name, value)


def _won(obj, name: str, *, path: str = "", positive: bool = False) -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, "원 단위 정수여야 합니다(실수 불가).",
              "must be an integer number of won (no floats).")
    if value < 0 or (positive and value == 0):
        _fail(where, "0보다 커야 합니다." if positive else "음수일 수 없습니다.",
              "must be positive." if positive else "must not be negative.")


def _int(obj, name: str, *, path: str = "", minimum: int = 0,
         maximum: int | None = None) -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, "정수여야 합니다.", "must be an integer.")
    if value < minimum:
        _fail(where, f"{minimum} 이상이어야 합니다.", f"must be at least {minimum}.")
    if maximum is not None and value > maximum:
        _fail(where, f"{maximum} 이하여야 합니다.", f"must be at most {maximum}.")


def _decimal(obj, name: str, *, path: str = "", minimum: Decimal | None = None) -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if isinstance(value, bool):
        _fail(where, "숫자여야 합니다.", "must be a number.")
    try:
        if isinstance(value, float):
            value = Decimal(repr(value))
        elif isinstance(value, int | str):
            value = Decimal(value)
    except InvalidOperation:
        value = None
    if not isinstance(value, Decimal) or not value.is_finite():
        _fail(where, "유한한 숫자여야 합니다.", "must be a finite number.")
    if minimum is not None and value < minimum:
        _fail(where, f"{minimum} 이상이어야 합니다.", f"must be at least {minimum}.")
    _set(obj, name, value)


def _enum(obj, name: str, enum_cls: type[enum.Enum], *, path: str = "") -> None:
    value = getattr(obj, name)
    try:
        _set(obj, name, enum_cls(value))
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        _fail(f"{path}{name}", f"허용되지 않는 값입니다({allowed} 중 하나).",
              f"must be one of: {allowed}.")


def _tuple(obj, name: str, item_cls: type | tuple[type, ...], *, path: str = "",
           min_len: int = 0) -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        _fail(where, "목록이어야 합니다.", "must be a list.")
    value = tuple(value)
    for i, item in enumerate(value):
        if not isinstance(item, item_cls):
            _fail(f"{where}[{i}]", "형식이 올바르지 않습니다.", "has the wrong type.")
    if len(value) < min_len:
        _fail(where, f"최소 {min_len}개가 필요합니다.",
              f"needs at least {min_len} item(s).")
    _set(obj, name, value)


def _texts(obj, name: str, *, min_len: int = 0, max_len: int = 1000) -> None:
    """A list of user-written lines (scope items, data descriptions)."""
    _tuple(obj, name, str, min_len=min_len)
    items = []
    for i, item in enumerate(getattr(obj, name)):
        holder = _Holder(item)
        try:
            _text(holder, "value", max_len=max_len)
        except TermsError as exc:
            raise TermsError(f"{name}[{i}]", exc.message_ko, exc.message_en) from None
        items.append(holder.value)
    _set(obj, name, tuple(items))


class _Holder:
    def __init__(self, value):
        self.value = value


def _instance(obj, name: str, cls: type, *, path: str = "",
              optional: bool = False) -> None:
    value = getattr(obj, name)
    if value is None and optional:
        return
    if not isinstance(value, cls):
        _fail(f"{path}{name}", "형식이 올바르지 않습니다.",
              f"must be a {cls.__name__}.")


_BRN_MESSAGES = {
    "format": ("사업자등록번호는 000-00-00000 형식이어야 합니다.",
               "business registration number must look like 000-00-00000."),
    "component": ("발급될 수 없는 사업자등록번호입니다(세무서·사업자 구분·일련번호).",
                  "business registration number cannot have been issued (no such tax office, type or serial)."),
    "checksum": ("사업자등록번호의 검증번호가 맞지 않습니다.",
                 "business registration number fails its check digit."),
}


def validate_business_registration_no(value: str) -> str:
    """Return the number as ``123-45-67890`` if :func:`domain.validate_brn` accepts it.

    Raises :class:`TermsError` otherwise.
    """
    try:
        number = validate_brn(value)
    except BrnError as exc:
        _fail("business_registration_no", *_BRN_MESSAGES[exc.reason])
    return format_brn(number)
