"""The clause library: which articles an agreement has, in what order, and when.

Each library version is frozen once agreements have been signed with it: a signed
agreement is always re-drafted from the clause version it names. A wording change is a
new version (new ``<version>.ko.html``/``.en.html`` files and a new entry in :data:`LIBRARIES`).

The wording lives in ``<version>.ko.html`` and ``<version>.en.html``: one Jinja
macro per clause, named after :attr:`Clause.key`. Article numbers are assigned when
drafting, so conditional clauses never leave gaps; clause text refers to other articles
through ``art("key")``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..terms import AgreementTerms

__all__ = ["CURRENT_VERSION", "LIBRARIES", "Clause", "ClauseLibrary"]


def _always(terms: AgreementTerms) -> bool:
    return True


@dataclass(frozen=True)
class Clause:
    key: str
    title_ko: str
    title_en: str
    applies: Callable[[AgreementTerms], bool] = _always

    def title(self, lang: str) -> str:
        return self.title_ko if lang == "ko" else self.title_en


@dataclass(frozen=True)
class ClauseLibrary:
    version: str
    clauses: tuple[Clause, ...]

    def template_name(self, lang: str) -> str:
        return f"clauses/{self.version}.{lang}.html"

    def select(self, terms: AgreementTerms) -> tuple[Clause, ...]:
        """The clauses this agreement has, in order."""
        return tuple(c for c in self.clauses if c.applies(terms))


V2026_1 = ClauseLibrary("2026.1", (
    Clause("purpose", "목적", "Purpose"),
    Clause("definitions", "정의", "Definitions"),
    Clause("scope", "과제의 범위", "Scope of Work"),
    Clause("deliverables", "산출물", "Deliverables"),
    Clause("cooperative", "공동과제 및 참여기업", "Joint Problem and Member SMEs",
           lambda t: t.is_cooperative),
    Clause("milestones", "수행 일정 및 지체상금", "Milestones and Late Delivery"),
    Clause("acceptance", "검수 및 인수 기준", "Acceptance Criteria"),
    Clause("payment", "계약금액 및 대금 지급", "Price and Payment Schedule"),
    Clause("subsidy", "정부지원사업 및 비용 분담", "Public Subsidy and Cost Split",
           lambda t: t.subsidy is not None),
    Clause("data_rights", "데이터의 권리와 보호", "Data Rights"),
    Clause("ip", "지식재산권 및 모델의 귀속", "Intellectual Property and Model Ownership"),
    Clause("on_premises", "구축형(온프레미스) 설치", "On-Premises Deployment",
           lambda t: t.on_premises),
    Clause("confidentiality", "비밀유지", "Confidentiality"),
    Clause("ai_governance", "인공지능 거버넌스", "AI Governance"),
    Clause("warranty", "하자담보", "Warranty"),
    Clause("maintenance", "유지보수", "Maintenance after Delivery"),
    Clause("liability", "손해배상 및 책임의 한도", "Liability and its Cap"),
    Clause("termination", "계약의 해지", "Termination"),
    Clause("disputes", "분쟁 해결 및 준거법", "Dispute Resolution and Governing Law"),
    Clause("general", "계약의 효력 및 변경", "Effect and Amendment"),
))

LIBRARIES: dict[str, ClauseLibrary] = {V2026_1.version: V2026_1}
CURRENT_VERSION = V2026_1.version
