"""The Korean business registration number (사업자등록번호): ``123-45-67890``.

python-stdnum (``stdnum.kr.brn``) checks the length, the digits and the parts (a tax office code
from 101, a business type other than 00, a serial other than 0000). It does not check the last
digit, so that one rule (the National Tax Service's weights 1,3,7,1,3,7,1,3,5) is written here,
once, for the web app and the agreement alike.
"""

from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.kr import brn as _stdnum_brn

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


class BrnError(ValueError):
    """Why a number is not a valid business registration number.

    ``reason`` is ``"format"`` (not ten digits), ``"component"`` (no office issues such a number)
    or ``"checksum"`` (the check digit does not match).
    """

    def __init__(self, reason: str):
        super().__init__(f"not a valid business registration number ({reason})")
        self.reason = reason


def check_digit(first_nine: str) -> int:
    """The tenth digit that the first nine call for."""
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def validate_brn(raw: str) -> str:
    """``"123-45-67890"``, ``"1234567890"`` or ``" 123 45 67890 "`` → ``"1234567890"``; else :class:`BrnError`."""
    if not isinstance(raw, str):
        raise BrnError("format")
    try:
        number = _stdnum_brn.validate(raw)
        if check_digit(number[:9]) != int(number[9]):
            raise InvalidChecksum()
    except (InvalidLength, InvalidFormat):
        raise BrnError("format") from None
    except InvalidComponent:
        raise BrnError("component") from None
    except InvalidChecksum:
        raise BrnError("checksum") from None
    except ValidationError:
        raise BrnError("format") from None
    return number


def format_brn(number: str) -> str:
    """``"1234567890"`` → ``"123-45-67890"``."""
    return _stdnum_brn.format(number)
