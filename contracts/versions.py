"""Differences between two versions of an agreement, labelled for people in ko and en."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .terms import AgreementTerms

__all__ = ["DEFAULT_IGNORED", "FIELD_LABELS", "Change", "diff_terms"]

# Bookkeeping that differs between any two versions and is not a change of terms.
DEFAULT_IGNORED = frozenset({"version", "created", "signatures"})

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "agreement_id": ("계약번호", "agreement number"),
    "version": ("판", "version"),
    "clause_library_version": ("조항 버전", "clause library version"),
    "created": ("작성일", "date"),
    "client_kind": ("수요기업 유형", "client type"),
    "client": ("수요기업", "Client"),
    "vendor": ("공급기업", "Vendor"),
    "members": ("참여기업", "Member SMEs"),
    "project_title": ("과제명", "project title"),
    "project_summary": ("과제 개요", "project summary"),
    "scope": ("과제 범위", "scope of work"),
    "out_of_scope": ("범위 제외 사항", "out of scope"),
    "data_provided": ("제공 데이터", "data provided"),
    "data_provided_en": ("제공 데이터(영문)", "data provided (English)"),
    "deliverables": ("산출물", "deliverables"),
    "milestones": ("수행 일정", "milestones"),
    "price_won": ("계약금액", "price"),
    "vat_included": ("부가가치세 포함 여부", "VAT included"),
    "kpis": ("검수 KPI", "acceptance KPIs"),
    "acceptance_days": ("검수 기간(일)", "acceptance period (days)"),
    "resubmission_days": ("재제출 기간(일)", "resubmission period (days)"),
    "max_resubmissions": ("재제출 허용 횟수", "resubmissions allowed"),
    "ip_ownership": ("지식재산권 귀속", "IP and model ownership"),
    "on_premises": ("구축형 설치", "on-premises deployment"),
    "governing_law": ("준거법", "governing law"),
    "court": ("관할법원", "court"),
    "subsidy": ("정부지원사업", "public subsidy"),
    "maintenance": ("유지보수", "maintenance"),
    "warranty_months": ("하자담보기간(개월)", "warranty (months)"),
    "liability_cap_multiple": ("책임 한도(계약금액의 배수)", "liability cap (× price)"),
    "late_penalty": ("지체상금", "late-delivery damages"),
    "log_retention_months": ("로그 보관 기간(개월)", "log retention (months)"),
    "signatures": ("서명", "signatures"),
    # Party
    "name": ("상호", "name"),
    "business_registration_no": ("사업자등록번호", "business registration number"),
    "representative": ("대표자", "representative"),
    "address": ("주소", "address"),
    "region": ("지역", "region"),
    # Member
    "party": ("당사자", "party"),
    "share_won": ("분담금", "share"),
    # Bilingual
    "ko": ("국문", "Korean"),
    "en": ("영문", "English"),
    # Deliverable
    "kind": ("구분", "type"),
    "description": ("내용", "description"),
    "name_en": ("명칭(영문)", "name (English)"),
    "description_en": ("내용(영문)", "description (English)"),
    # Milestone
    "sequence": ("단계 번호", "number"),
    "deliverable": ("산출물", "deliverable"),
    "payment_percent": ("지급 비율(%)", "payment percent"),
    "due_date": ("납기일", "due date"),
    "due_week": ("납기(주차)", "due week"),
    # Kpi
    "unit": ("단위", "unit"),
    "baseline": ("기준값", "baseline"),
    "target": ("목표값", "target"),
    "committed": ("약정값", "committed value"),
    "direction": ("판정 방향", "direction"),
    "test_set": ("시험 데이터셋", "test set"),
    "protocol": ("플랫폼 측정 방법", "platform measurement"),
    "max_attempts": ("예측값 제출 허용 횟수", "prediction attempts allowed"),
    # KpiProtocol, Holdout
    "metric": ("지표", "metric"),
    "data": ("평가 데이터", "evaluation data"),
    "decimals": ("반올림 자릿수", "decimal places"),
    "rule_ko": ("판정 규칙(국문)", "rule (Korean)"),
    "rule_en": ("판정 규칙(영문)", "rule (English)"),
    "classes": ("클래스", "classes"),
    "positive_class": ("측정 대상 클래스", "class measured"),
    "period": ("측정 기간", "measurement period"),
    "holdout": ("봉인된 평가 데이터", "sealed holdout"),
    "sha256": ("SHA-256", "SHA-256"),
    "rows": ("행 수", "rows"),
    "columns": ("열", "columns"),
    "id_column": ("ID 열", "id column"),
    "value_column": ("정답 열", "truth column"),
    "test_set_en": ("시험 데이터셋(영문)", "test set (English)"),
    # Subsidy
    "program_name": ("지원사업명", "programme"),
    "agency_name": ("지원기관", "agency"),
    "subsidy_won": ("정부지원금", "subsidy"),
    "sme_share_won": ("수요기업 부담금", "Client's own share"),
    "ratio": ("지원 비율 상한", "subsidy ratio"),
    # Maintenance
    "yearly_won": ("연간 유지보수 대가", "yearly fee"),
    "years": ("유지보수 기간(년)", "years"),
    "service_level": ("서비스 수준", "service level"),
    "service_level_en": ("서비스 수준(영문)", "service level (English)"),
    # LatePenalty
    "per_mille_per_day": ("1일 지체상금률(‰)", "per mille per day"),
    "cap_percent": ("지체상금 한도(%)", "cap (% of price)"),
    # Signature
    "role": ("역할", "role"),
    "signer_name": ("서명자", "signer"),
    "signed_at": ("서명일시", "signed at"),
    "ip_address": ("서명 IP", "signing IP"),
}

# How items of a list are matched between versions and named in labels.
_ITEM_KEYS: dict[str, tuple[Callable, str, str]] = {
    "milestones": (lambda m: m.sequence, "{}단계", "milestone {}"),
    "kpis": (lambda k: k.name, "KPI ‘{}’", "KPI ‘{}’"),
    "members": (lambda m: m.party.business_registration_no, "참여기업 {}", "member {}"),
    "signatures": (lambda s: f"{s.role}:{s.business_registration_no}", "서명 {}", "signature {}"),
}
_INDEXED_LABEL = ("{} {}번", "{} item {}")


@dataclass(frozen=True)
class Change:
    """One difference. ``old`` is ``None`` for an addition, ``new`` for a removal."""

    path: str
    old: object
    new: object
    label_ko: str
    label_en: str

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    def label(self, lang: str = "ko") -> str:
        return self.label_ko if lang == "ko" else self.label_en


def _field_label(name: str) -> tuple[str, str]:
    return FIELD_LABELS.get(name, (name, name))


def _join(parent: tuple[str, str], child: tuple[str, str]) -> tuple[str, str]:
    if not parent[0]:
        return child
    return f"{parent[0]} · {child[0]}", f"{parent[1]} · {child[1]}"


class _Differ:
    def __init__(self):
        self.changes: list[Change] = []

    def add(self, path: str, label: tuple[str, str], old, new) -> None:
        self.changes.append(Change(path, old, new, label[0], label[1]))

    def value(self, path: str, label: tuple[str, str], old, new) -> None:
        if old == new:
            return
        if old is None or new is None or type(old) is not type(new) \
                or not dataclasses.is_dataclass(old):
            self.add(path, label, old, new)
            return
        for f in dataclasses.fields(old):
            self.value(f"{path}.{f.name}", _join(label, _field_label(f.name)),
                       getattr(old, f.name), getattr(new, f.name))

    def sequence(self, name: str, label: tuple[str, str], old: tuple, new: tuple) -> None:
        if name in _ITEM_KEYS:
            key, ko, en = _ITEM_KEYS[name]
            old_items = {key(item): item for item in old}
            new_items = {key(item): item for item in new}
            keys = list(old_items) + [k for k in new_items if k not in old_items]
            for k in keys:
                self.value(f"{name}[{k}]", (ko.format(k), en.format(k)),
                           old_items.get(k), new_items.get(k))
            return
        # Unkeyed lists (scope items, deliverables): align equal items, report the rest.
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            for offset in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + offset, j1 + offset
                old_item = old[i] if i < i2 else None
                new_item = new[j] if j < j2 else None
                number = (j if new_item is not None else i) + 1
                item_label = (_INDEXED_LABEL[0].format(label[0], number),
                              _INDEXED_LABEL[1].format(label[1], number))
                self.value(f"{name}[{number - 1}]", item_label, old_item, new_item)


def diff_terms(old: AgreementTerms, new: AgreementTerms, *,
               ignore: Iterable[str] = DEFAULT_IGNORED) -> list[Change]:
    """What changed from ``old`` to ``new``, field by field, in field order.

    Milestones are matched by sequence, KPIs by name, member SMEs by business
    registration number; other lists item by item. Nested values (a party, the
    subsidy) are compared field by field, except that a subsidy or maintenance added or
    removed is one change. ``ignore`` names top-level fields to skip (by default the
    version number, date and signatures, which differ between any two versions).
    """
    ignored = frozenset(ignore)
    differ = _Differ()
    for f in dataclasses.fields(AgreementTerms):
        if f.name in ignored:
            continue
        old_value, new_value = getattr(old, f.name), getattr(new, f.name)
        if old_value == new_value:
            continue
        label = _field_label(f.name)
        if isinstance(old_value, tuple):
            differ.sequence(f.name, label, old_value, new_value)
        else:
            differ.value(f.name, label, old_value, new_value)
    return differ.changes
