"""Numbers, labels and ids as people write them, and the one rounding rule.

- A number in a cell may carry thousands separators (``1,234.5``), an exponent
  (``1.2E+3``, as Excel writes large numbers) or full-width digits; ``NaN`` and
  ``Infinity`` are not numbers, and magnitudes of 10^15 or more are refused.
- A label or id is compared after Unicode NFC normalisation and trimming; a whole
  number written with a decimal point (``12.0``, as a spreadsheet may store it)
  counts as ``12``. Nothing else is changed: ``001`` stays ``001``, ``NG`` is not ``ng``.
- Rounding is ROUND_HALF_UP (사사오입) to a number of decimal places.
"""

from __future__ import annotations

import decimal
import re
import unicodedata
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["LIMIT", "canonical", "format_decimal", "parse_number", "places", "round_half_up",
           "snap", "to_decimal"]

#: Numbers must be smaller than this in magnitude.
LIMIT = Decimal(10) ** 15

#: Metrics are computed in decimal arithmetic with this many significant digits ...
WORKING_PRECISION = 60
#: ... then rounded to this many decimal places before the agreement's own rounding, so a
#: value that is exactly on a rounding tie (2.345) but computed as 2.34499...9 rounds up.
SNAP_PLACES = 30

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_WHOLE_WITH_POINT = re.compile(r"^([+-]?\d+)\.0+$")


def canonical(text: str) -> str:
    """A label or id as compared: NFC, trimmed, ``12.0`` → ``12``."""
    text = unicodedata.normalize("NFC", text).strip()
    match = _WHOLE_WITH_POINT.match(text)
    return match.group(1) if match else text


def parse_number(text: str) -> Decimal | None:
    """The number a cell holds, or ``None`` when it holds none (or a non-finite one).

    Raises :class:`OverflowError` for a magnitude of 10^15 or more.
    """
    text = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not text or text[-1] in "eE":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if abs(value) >= LIMIT:
        raise OverflowError(text)
    return value


def to_decimal(value) -> Decimal | None:
    """A Python number or a string as a finite ``Decimal`` (floats by their shortest repr)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return parse_number(value)
        except OverflowError:
            return None
    return None


def places(value: Decimal) -> int:
    """How many decimal places a number is written with (``8.50`` → 2, ``90`` → 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` places: 2.345 → 2.35, -2.345 → -2.35."""
    with decimal.localcontext() as ctx:
        ctx.prec = 2 * WORKING_PRECISION
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def snap(value: Decimal) -> Decimal:
    """A value computed at :data:`WORKING_PRECISION` digits, rounded to
    :data:`SNAP_PLACES` places and written without trailing zeros."""
    with decimal.localcontext() as ctx:
        ctx.prec = 2 * WORKING_PRECISION
        snapped = value.quantize(Decimal(1).scaleb(-SNAP_PLACES), rounding=ROUND_HALF_EVEN)
        if snapped == 0:
            return Decimal(0)
        normal = snapped.normalize()
        # normalize() writes 100 as 1E+2; give it back its integer exponent.
        return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal


def format_decimal(value: Decimal) -> str:
    """A number as people read it: thousands separators, the places it was written with."""
    return f"{value:,f}"
