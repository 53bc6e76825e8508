"""Formatting of money, numbers, dates and Korean particles for the agreement text."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from markupsafe import Markup, escape

__all__ = [
    "format_date", "format_datetime", "format_number", "format_percent", "format_won",
    "josa", "keep_korean_words", "korean_amount", "english_amount",
]

_DIGITS_KO = "영일이삼사오육칠팔구"
_SMALL_UNITS_KO = ("", "십", "백", "천")
_LARGE_UNITS_KO = ("", "만", "억", "조", "경")


def korean_amount(n: int) -> str:
    """``150000000`` -> ``일억오천만``: the Hangul form used for amounts in contracts.

    Every digit is written out (``일천``, not ``천``), as formal amounts are, so that
    nothing can be prefixed later.
    """
    if n < 0:
        raise ValueError("amount must not be negative")
    if n == 0:
        return "영"
    groups = []
    while n:
        n, group = divmod(n, 10_000)
        groups.append(group)
    if len(groups) > len(_LARGE_UNITS_KO):
        raise ValueError("amount too large")
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        part = ""
        for place in range(3, -1, -1):
            digit = group // 10**place % 10
            if digit:
                part += _DIGITS_KO[digit] + _SMALL_UNITS_KO[place]
        words.append(part + _LARGE_UNITS_KO[index])
    return "".join(words)


_ONES_EN = ("zero one two three four five six seven eight nine ten eleven twelve "
            "thirteen fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS_EN = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES_EN = ("", " thousand", " million", " billion", " trillion", " quadrillion")


def _english_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append(f"{_ONES_EN[hundreds]} hundred")
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_TENS_EN[tens] + (f"-{_ONES_EN[ones]}" if ones else ""))
    elif rest:
        words.append(_ONES_EN[rest])
    return " ".join(words)


def english_amount(n: int) -> str:
    """``150000000`` -> ``one hundred fifty million``."""
    if n < 0:
        raise ValueError("amount must not be negative")
    if n == 0:
        return "zero"
    parts = []
    scale = 0
    while n:
        n, chunk = divmod(n, 1000)
        if chunk:
            parts.append(_english_below_1000(chunk) + _SCALES_EN[scale])
        scale += 1
    return " ".join(reversed(parts))


def format_won(n: int, lang: str) -> str:
    return f"{n:,}원" if lang == "ko" else f"KRW {n:,}"


def format_won_words(n: int, lang: str) -> str:
    if lang == "ko":
        return f"금 {korean_amount(n)}원정(₩{n:,})"
    return f"KRW {n:,} ({english_amount(n)} won)"


def format_number(value: Decimal | int) -> str:
    """Thousands separators, no exponent and no trailing zeros: ``12``, ``0.5``, ``1,250``."""
    text = format(Decimal(value), ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_percent(part: int | Decimal, whole: int | Decimal) -> str:
    """Share of a whole as a percentage with at most one decimal: ``70%``, ``33.3%``."""
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
    return f"{format_number(value)}%"


_MONTHS_EN = ("January February March April May June July August September October "
              "November December").split()


def format_date(value: date, lang: str) -> str:
    if lang == "ko":
        return f"{value.year}년 {value.month}월 {value.day}일"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


#: Korean Standard Time (UTC+9, no daylight saving): the time people read in an agreement.
KST = timezone(timedelta(hours=9), "KST")


def format_datetime(value: datetime, lang: str) -> str:
    """A moment in Korean time, with the zone written out (``2026년 3월 3일 09:12 KST``)."""
    value = value.astimezone(KST)
    return f"{format_date(value.date(), lang)} {value:%H:%M} KST"


# --- Korean particles -----------------------------------------------------------------

# Whether the Korean reading of a final digit ends in a consonant (영, 일, 삼, 육, 칠, 팔).
_DIGIT_HAS_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False,
                    "5": False, "6": True, "7": True, "8": True, "9": False}


def _final_consonant(word: str) -> int | None:
    """The final consonant (jongseong index, 0 = none) of the word's last sound, if known."""
    stripped = re.sub(r"[\s)\]」』”’\"'.]+$", "", word)
    if not stripped:
        return None
    last = stripped[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28
    if last in _DIGIT_HAS_FINAL:
        return 8 if last in "1 7 8".split() else (1 if _DIGIT_HAS_FINAL[last] else 0)
    return None


def josa(word: str, pair: str) -> Markup:
    """The word (escaped) followed by the right form of a particle pair.

    ``pair`` is written consonant-form first: ``"이/가"``, ``"은/는"``, ``"을/를"``,
    ``"과/와"``, ``"으로/로"``. When the last sound cannot be known (a Latin word),
    both forms are given, as Korean documents do: ``을(를)``.
    """
    after_consonant, after_vowel = pair.split("/")
    final = _final_consonant(word)
    if final is None:
        particle = f"{after_consonant}({after_vowel})"
    elif after_consonant == "으로":
        particle = "으로" if final not in (0, 8) else "로"  # ㄹ (8) takes 로
    else:
        particle = after_consonant if final else after_vowel
    return escape(word) + Markup(particle)


# --- line breaking --------------------------------------------------------------------

_WORD_JOINER = "\u2060"
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_TOKEN = re.compile(r"[^\s<>]+")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_JOIN_POINT = re.compile(
    r"(?<=[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3])(?=[^\s&])"
    r"|(?<=[^\s;])(?=[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3])")
_LONGEST_JOINED_TOKEN = 24


def _join_token(match: re.Match) -> str:
    token = match.group(0)
    if len(token) > _LONGEST_JOINED_TOKEN or not _HANGUL.search(token):
        return token
    return _JOIN_POINT.sub(_WORD_JOINER, token)


def keep_korean_words(html_body: str) -> str:
    """Emulate CSS ``word-break: keep-all`` for renderers that lack it.

    WeasyPrint (up to at least 70) ignores ``word-break: keep-all`` and Pango may break a
    line between any two Hangul syllables, splitting words such as 수요기업 in the middle.
    A WORD JOINER (U+2060, invisible and not copied by text extraction) between the
    characters of each Korean word forbids those breaks, so lines break at spaces as
    Korean typesetting expects. Words longer than 24 characters are left alone so they
    can still wrap rather than overflow. Only text between tags is touched.
    """
    parts = _TAG_OR_TEXT.split(html_body)
    for i in range(0, len(parts), 2):  # even indexes are text, odd ones are tags
        if _HANGUL.search(parts[i]):
            parts[i] = _TOKEN.sub(_join_token, parts[i])
    return "".join(parts)
