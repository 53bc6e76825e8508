"""Bilingual reference data: criteria, problem types, industries, regions, modes.

The data ships as JSON under ``matching/data/`` and is loaded once, lazily.
Every entry has a stable machine ``code`` and Korean and English labels::

    >>> from matching import taxonomy
    >>> taxonomy.get_problem_type("visual_inspection").label("ko")
    '비전 불량 검사'

Finding these terms in free text is :mod:`matching.terms`.

``lang`` is ``"ko"`` or ``"en"``; locale strings such as ``"ko_KR"`` or
``"en-US"`` are accepted and reduced to their language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

from domain.criteria import CRITERIA as _DOMAIN_CRITERIA
from matching.errors import MatchingError, UnknownCodeError

__all__ = [
    "CAPITAL_REGION",
    "CRITERIA",
    "KINDS",
    "Kind",
    "LANGS",
    "Criterion",
    "DeploymentMode",
    "Industry",
    "IndustrySection",
    "Process",
    "ProblemType",
    "Region",
    "criteria",
    "criterion_label",
    "by_code",
    "deployment_modes",
    "entries",
    "get_deployment_mode",
    "get_industry",
    "get_industry_section",
    "get_problem_type",
    "get_process",
    "get_region",
    "industries",
    "industry_sections",
    "normalise_lang",
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

#: The kinds of entry that free text is searched for (:mod:`matching.terms`).
Kind = Literal["problem_type", "industry", "region", "process"]
KINDS: tuple[str, ...] = ("problem_type", "industry", "region", "process")


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
    vocabulary (see :func:`matching.tokens.expand_text`) and catalogue search
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


def entries(kind: str) -> tuple[_Labelled, ...]:
    """Every entry of one :data:`KINDS` kind, in the data's order."""
    return tuple(_data().by_code[kind].values())


def by_code(kind: str) -> dict[str, _Labelled]:
    """The entries of one kind by code."""
    return _data().by_code[kind]
