"""Taxonomy terms in free text: finding them, and mapping a free tag onto a code.

    >>> from matching import terms
    >>> terms.normalise_tag("불량 검사 자동화")
    'visual_inspection'
    >>> terms.normalise_tag("defect detection")
    'visual_inspection'
    >>> [h.code for h in terms.find_terms("사출 성형 불량 검사")]
    ['visual_inspection']

Korean terms match whatever the spacing; English terms match whole words; a
tag with a typo still maps (rapidfuzz on Hangul letters). The vocabulary is
the labels and synonyms of :mod:`matching.taxonomy`, compiled once per kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from matching.errors import MatchingError
from matching.taxonomy import KINDS, Kind, by_code, entries

__all__ = ["TermHit", "find_codes", "find_terms", "normalise_tag", "normalise_text", "text_span"]


@dataclass(frozen=True)
class TermHit:
    """A taxonomy term found in a text: the entry's ``code`` and the ``term`` as written."""

    code: str
    term: str


_NON_WORD = re.compile(r"[^\w]+|_+")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


def normalise_text(text: str) -> str:
    """NFKC, case-folded, punctuation turned into single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", text).strip()


def _compact(text: str) -> str:
    return normalise_text(text).replace(" ", "")


@dataclass(frozen=True)
class _Vocab:
    alias_to_code: dict[str, str]  # compact alias -> code
    fuzzy_keys: tuple[str, ...]  # compact aliases decomposed to jamo, for rapidfuzz
    fuzzy_to_code: dict[str, str]
    hangul_re: re.Pattern[str] | None
    latin_re: re.Pattern[str] | None


def _by_first_char(patterns: list[str], lookbehind: str = "") -> str:
    """The alternation ``p1|p2|...`` regrouped by first character, keeping the order inside each group.

    Only alternatives starting with the character at a position can match
    there, so the first one that matches is the same as in the flat
    alternation, but the regex engine no longer tries every alternative at
    every position (it skips to positions holding a possible first character).
    Every pattern starts with one literal word character (``re.escape`` leaves
    those alone). ``lookbehind`` (written for the position *after* that first
    character) is checked right after it.
    """
    groups: dict[str, list[str]] = {}
    for pattern in patterns:
        groups.setdefault(pattern[0], []).append(pattern[1:])
    return "|".join(re.escape(first) + lookbehind + "(?:" + "|".join(rests) + ")" for first, rests in groups.items())


@cache
def _vocab(kind: str) -> _Vocab:
    alias_to_code: dict[str, str] = {}
    hangul: list[str] = []
    latin: list[str] = []
    for entry in entries(kind):
        for term in entry.terms:
            key = normalise_text(term)
            compact = key.replace(" ", "")
            if not compact:
                continue
            alias_to_code.setdefault(compact, entry.code)
            if _HANGUL.search(key):
                # Korean spacing is loose: allow optional spaces between any two characters.
                hangul.append(r"\s*".join(re.escape(ch) for ch in compact))
            else:
                latin.append(r"\s*".join(re.escape(part) for part in key.split(" ")))
    # Longest first; equal lengths in a fixed order (never the hash order of a set).
    by_len = lambda pats: sorted(set(pats), key=lambda p: (-len(p), p))  # noqa: E731
    # Same matches as "|".join(by_len(hangul)) and
    # r"(?<![a-z0-9])(?:" + "|".join(by_len(latin)) + r")(?![a-z0-9])", only faster.
    hangul_re = re.compile(_by_first_char(by_len(hangul))) if hangul else None
    latin_re = re.compile("(?:" + _by_first_char(by_len(latin), r"(?<![a-z0-9].)") + r")(?![a-z0-9])") if latin else None
    fuzzy_to_code = {_jamo(alias): code for alias, code in alias_to_code.items()}
    return _Vocab(alias_to_code, tuple(fuzzy_to_code), fuzzy_to_code, hangul_re, latin_re)


def _jamo(text: str) -> str:
    """Hangul syllables decomposed into letters, so a typo costs one letter, not a syllable."""
    return unicodedata.normalize("NFD", text)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise MatchingError(f"unknown taxonomy kind {kind!r}; expected one of {', '.join(KINDS)}")


def find_terms(text: str, kind: Kind = "problem_type") -> list[TermHit]:
    """Taxonomy terms written in ``text``, in order of appearance (each code once).

    Korean terms match regardless of spacing (``불량검사`` and ``불량 검사``);
    English terms match whole words only.
    """
    _check_kind(kind)
    if not isinstance(text, str) or not text.strip():
        return []
    return [TermHit(code, _span(text, matched)) for code, matched in find_codes(normalise_text(text), kind)]


def find_codes(key: str, kind: str) -> list[tuple[str, str]]:
    """``(code, matched key text)`` of the terms in a text already passed through :func:`normalise_text`, in order of appearance (each code once)."""
    vocab = _vocab(kind)
    found: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for pattern in (vocab.hangul_re, vocab.latin_re):
        if pattern is None:
            continue
        for m in pattern.finditer(key):
            matched = m.group(0)
            code = vocab.alias_to_code.get(matched.replace(" ", ""))
            if code is not None and code not in seen:
                seen.add(code)
                found.append((m.start(), code, matched))
    found.sort(key=lambda item: item[0])
    return [(code, matched) for _, code, matched in found]


def text_span(text: str, matched_key: str) -> str:
    """Best effort: the matched term as written (falls back to the normalised form)."""
    return _span(text, matched_key)


@lru_cache(maxsize=4096)
def _span_pattern(compact: str) -> re.Pattern[str]:
    return re.compile(r"[\W_]*".join(re.escape(ch) for ch in compact), flags=re.IGNORECASE)


def _span(text: str, matched_key: str) -> str:
    compact = matched_key.replace(" ", "")
    folded = unicodedata.normalize("NFKC", text)
    m = _span_pattern(compact).search(folded)
    return m.group(0) if m else matched_key


def normalise_tag(text: str, kind: Kind = "problem_type", *, min_score: float = 85.0) -> str | None:
    """Map a free tag onto a taxonomy code, or ``None`` when nothing fits.

    Tries, in order: the code itself (``"visual_inspection"``, ``"C10"``,
    ``"10"`` for industries), an exact label or synonym in either language
    (spacing and case ignored), the longest label or synonym contained in the
    tag (``"불량 검사 자동화"``), and finally a rapidfuzz similarity of at
    least ``min_score`` (0-100) to a label or synonym, comparing Korean letter by
    letter (jamo), so typos such as ``"예지보정"`` still map.
    Empty or non-string input gives ``None``.
    """
    _check_kind(kind)
    if not isinstance(text, str) or not text.strip():
        return None
    raw = text.strip()
    codes = by_code(kind)
    if raw in codes:
        return raw
    if kind == "industry":
        upper = raw.upper()
        if upper in codes:
            return upper
        if raw.isdigit():
            matches = [c for c in codes if c[1:] == raw.zfill(2)]
            if len(matches) == 1:
                return matches[0]
    if raw.lower() in codes:
        return raw.lower()
    vocab = _vocab(kind)
    compact = _compact(raw)
    if not compact:
        return None
    if compact in vocab.alias_to_code:
        return vocab.alias_to_code[compact]
    hits = find_terms(raw, kind)
    if hits:
        # Prefer the longest term found: "외관 불량 검사" over "불량".
        best = max(hits, key=lambda h: len(_compact(h.term)))
        return best.code
    match = process.extractOne(_jamo(compact), vocab.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=min_score)
    if match is not None:
        return vocab.fuzzy_to_code[match[0]]
    return None
