"""Bilingual reference data: criteria, problem types, industries, regions, modes.

The data ships as JSON under ``matching/data/`` and is loaded once, lazily.
Every entry has a stable machine ``code`` and Korean and English labels::

    >>> from matching import taxonomy
    >>> taxonomy.get_problem_type("visual_inspection").label("ko")
    '비전 불량 검사'
    >>> taxonomy.normalise_tag("불량 검사 자동화")
    'visual_inspection'
    >>> taxonomy.normalise_tag("defect detection")
    'visual_inspection'

``lang`` is ``"ko"`` or ``"en"``; locale strings such as ``"ko_KR"`` or
``"en-US"`` are accepted and reduced to their language.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from rapidfuzz import fuzz, process

from domain.criteria import CRITERIA as _DOMAIN_CRITERIA

from matching.errors import MatchingError, UnknownCodeError

__all__ = [
    "CAPITAL_REGION",
    "CRITERIA",
    "LANGS",
    "Criterion",
    "DeploymentMode",
    "Industry",
    "IndustrySection",
    "Process",
    "ProblemType",
    "Region",
    "TermHit",
    "criteria",
    "criterion_label",
    "deployment_modes",
    "find_terms",
    "get_deployment_mode",
    "get_industry",
    "get_industry_section",
    "get_problem_type",
    "get_process",
    "get_region",
    "industries",
    "industry_sections",
    "normalise_lang",
    "normalise_tag",
    "normalise_text",
    "problem_types",
    "processes",
    "regions",
]

LANGS = ("ko", "en")

#: The decision criteria an SME weights, in display order: :data:`domain.criteria.CRITERIA`
#: (their labels are in data/criteria.json, checked against it when loaded).
CRITERIA: tuple[str, ...] = _DOMAIN_CRITERIA

#: Region codes of the capital region (수도권).
CAPITAL_REGION: frozenset[str] = frozenset({"seoul", "incheon", "gyeonggi"})

Kind = Literal["problem_type", "industry", "region", "process"]
_KINDS = ("problem_type", "industry", "region", "process")


def normalise_lang(lang: str) -> str:
    """Return ``"ko"`` or ``"en"`` for a language or locale string, else raise."""
    if isinstance(lang, str):
        short = lang.strip().lower().replace("-", "_").split("_", 1)[0]
        if short in LANGS:
            return short
    raise MatchingError(f"unsupported language {lang!r}; use 'ko' or 'en'")


@dataclass(frozen=True)
class _Labelled:
    code: str
    ko: str
    en: str

    def label(self, lang: str = "ko") -> str:
        """The display label in ``lang`` (``"ko"`` or ``"en"``)."""
        return self.ko if normalise_lang(lang) == "ko" else self.en


@dataclass(frozen=True)
class Criterion(_Labelled):
    """A decision criterion (품질, 처리량, ...)."""


@dataclass(frozen=True)
class ProblemType(_Labelled):
    """A kind of AI problem, e.g. ``demand_forecasting`` (수요 예측)."""

    synonyms: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Labels and synonyms in both languages."""
        return (self.ko, self.en, *self.synonyms)


@dataclass(frozen=True)
class IndustrySection(_Labelled):
    """A KSIC section (대분류), ``"A"`` to ``"U"``."""


@dataclass(frozen=True)
class Industry(_Labelled):
    """A KSIC (10th revision) division (중분류), keyed as section letter + number: ``"C10"``."""

    section: str = ""
    synonyms: tuple[str, ...] = ()

    @property
    def division(self) -> str:
        """The two-digit division number, e.g. ``"10"``."""
        return self.code[1:]

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.ko, self.en, *self.synonyms)


@dataclass(frozen=True)
class Process(_Labelled):
    """A manufacturing process (사출 성형 / injection moulding, 용접 / welding, ...).

    ``industry`` is the KSIC division where the process is typical (``"C22"``
    for injection moulding). Processes give the text channels bilingual
    vocabulary (see :func:`matching.text.expand_text`) and catalogue search
    its synonyms (:mod:`matching.search`).
    """

    industry: str = ""
    synonyms: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.ko, self.en, *self.synonyms)


@dataclass(frozen=True)
class Region(_Labelled):
    """A Korean province-level division (시·도)."""

    capital: bool = False
    synonyms: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.ko, self.en, *self.synonyms)


@dataclass(frozen=True)
class DeploymentMode(_Labelled):
    """Where a solution runs: cloud, on_premises, hybrid, edge."""

    #: Whether this mode satisfies a problem that requires on-premises deployment.
    on_premises_ok: bool = False


@dataclass(frozen=True)
class TermHit:
    """A taxonomy term found in a text: the entry's ``code`` and the ``term`` as written."""

    code: str
    term: str


# --------------------------------------------------------------------------- loading


def _read(name: str):
    with resources.files("matching").joinpath("data").joinpath(name).open(encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class _Data:
    criteria: tuple[Criterion, ...]
    modes: tuple[DeploymentMode, ...]
    problem_types: tuple[ProblemType, ...]
    sections: tuple[IndustrySection, ...]
    industries: tuple[Industry, ...]
    regions: tuple[Region, ...]
    processes: tuple[Process, ...] = ()
    by_code: dict[str, dict[str, _Labelled]] = field(default_factory=dict)


@cache
def _data() -> _Data:
    crit = _read("criteria.json")
    inds = _read("industries.json")
    data = _Data(
        criteria=tuple(Criterion(c["code"], c["ko"], c["en"]) for c in crit["criteria"]),
        modes=tuple(
            DeploymentMode(m["code"], m["ko"], m["en"], bool(m["on_premises_ok"]))
            for m in crit["deployment_modes"]
        ),
        problem_types=tuple(
            ProblemType(p["code"], p["ko"], p["en"], tuple(p["synonyms"]))
            for p in _read("problem_types.json")
        ),
        sections=tuple(IndustrySection(s["code"], s["ko"], s["en"]) for s in inds["sections"]),
        industries=tuple(
            Industry(d["code"], d["ko"], d["en"], d["code"][0], tuple(d.get("synonyms", ())))
            for d in inds["divisions"]
        ),
        regions=tuple(
            Region(r["code"], r["ko"], r["en"], bool(r["capital"]), tuple(r.get("synonyms", ())))
            for r in _read("regions.json")
        ),
        processes=tuple(
            Process(p["code"], p["ko"], p["en"], p["industry"], tuple(p.get("synonyms", ())))
            for p in _read("processes.json")
        ),
    )
    if tuple(c.code for c in data.criteria) != CRITERIA:
        raise RuntimeError("matching/data/criteria.json does not match CRITERIA")
    for name, items in (
        ("criterion", data.criteria),
        ("mode", data.modes),
        ("problem_type", data.problem_types),
        ("section", data.sections),
        ("industry", data.industries),
        ("region", data.regions),
        ("process", data.processes),
    ):
        data.by_code[name] = {item.code: item for item in items}
    return data


# --------------------------------------------------------------------------- lookups


def criteria() -> list[Criterion]:
    return list(_data().criteria)


def criterion_label(key: str, lang: str = "ko") -> str:
    """Label of a criterion key; raises :class:`UnknownCodeError` for an unknown key."""
    item = _data().by_code["criterion"].get(key)
    if item is None:
        raise UnknownCodeError(f"unknown criterion {key!r}; expected one of {', '.join(CRITERIA)}")
    return item.label(lang)


def problem_types() -> list[ProblemType]:
    return list(_data().problem_types)


def industry_sections() -> list[IndustrySection]:
    return list(_data().sections)


def industries(section: str | None = None) -> list[Industry]:
    """KSIC divisions, optionally those of one section letter."""
    items = _data().industries
    if section is not None:
        items = tuple(i for i in items if i.section == section.upper())
    return list(items)


def regions() -> list[Region]:
    return list(_data().regions)


def processes() -> list[Process]:
    """Manufacturing processes, in file order."""
    return list(_data().processes)


def deployment_modes() -> list[DeploymentMode]:
    return list(_data().modes)


def _get(kind: str, code: object):
    if not isinstance(code, str):
        return None
    return _data().by_code[kind].get(code)


def get_problem_type(code: str) -> ProblemType | None:
    return _get("problem_type", code)


def get_industry(code: str) -> Industry | None:
    """A KSIC division by code (``"C10"``); ``"c10"`` is accepted too."""
    return _get("industry", code.strip().upper() if isinstance(code, str) else code)


def get_industry_section(code: str) -> IndustrySection | None:
    return _get("section", code.strip().upper() if isinstance(code, str) else code)


def get_region(code: str) -> Region | None:
    return _get("region", code)


def get_process(code: str) -> Process | None:
    return _get("process", code)


def get_deployment_mode(code: str) -> DeploymentMode | None:
    return _get("mode", code)


# --------------------------------------------------------------------------- free text

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


def _entries(kind: str):
    data = _data()
    return {"problem_type": data.problem_types, "industry": data.industries, "region": data.regions,
            "process": data.processes}[kind]


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
    for entry in _entries(kind):
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
    if kind not in _KINDS:
        raise MatchingError(f"unknown taxonomy kind {kind!r}; expected one of {', '.join(_KINDS)}")


def find_terms(text: str, kind: Kind = "problem_type") -> list[TermHit]:
    """Taxonomy terms written in ``text``, in order of appearance (each code once).

    Korean terms match regardless of spacing (``불량검사`` and ``불량 검사``);
    English terms match whole words only.
    """
    _check_kind(kind)
    if not isinstance(text, str) or not text.strip():
        return []
    return [TermHit(code, _span(text, matched)) for code, matched in _find_codes(normalise_text(text), kind)]


def _find_codes(key: str, kind: str) -> list[tuple[str, str]]:
    """``(code, matched key text)`` of the terms in a normalised text, in order of appearance (each code once)."""
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
    codes = _data().by_code[kind]
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
