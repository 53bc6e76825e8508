"""Differences between agreement versions, labelled in Korean and English."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from decimal import Decimal

from contracts import AgreementTerms, IpOwnership, Kpi, Milestone, diff_terms
from contracts.examples import bakery_terms, cooperative_terms
from contracts.terms import Direction
from contracts.versions import FIELD_LABELS


def by_path(changes):
    return {c.path: c for c in changes}


def test_identical_terms_have_no_changes(bakery):
    assert diff_terms(bakery, bakery_terms(signed=True)) == []


def test_a_new_version_with_a_new_price_and_schedule(bakery_unsigned):
    old = bakery_unsigned
    first, second, third = old.milestones
    new = old.replace(
        version=2,
        created=date(2026, 4, 1),
        price_won=52_000_000,
        subsidy=dataclasses.replace(old.subsidy, subsidy_won=41_600_000, sme_share_won=10_400_000),
        milestones=(first, dataclasses.replace(second, due_week=12),
                    dataclasses.replace(third, due_date=date(2026, 7, 31))),
        on_premises=True,
        ip_ownership=IpOwnership.JOINT,
    )
    changes = by_path(diff_terms(old, new))
    assert set(changes) == {
        "price_won", "subsidy.subsidy_won", "subsidy.sme_share_won", "milestones[2].due_week",
        "milestones[3].due_date", "on_premises", "ip_ownership"}
    price = changes["price_won"]
    assert (price.old, price.new, price.kind) == (48_000_000, 52_000_000, "changed")
    assert price.label("ko") == "계약금액" and price.label("en") == "price"
    due = changes["milestones[3].due_date"]
    assert (due.old, due.new) == (date(2026, 6, 30), date(2026, 7, 31))
    assert due.label_ko == "3단계 · 납기일" and due.label_en == "milestone 3 · due date"
    assert changes["subsidy.sme_share_won"].label_ko == "정부지원사업 · 수요기업 부담금"
    assert changes["ip_ownership"].new is IpOwnership.JOINT


def test_version_date_and_signatures_are_ignored_unless_asked(bakery, bakery_unsigned):
    assert diff_terms(bakery_unsigned, bakery) == []
    changes = diff_terms(bakery_unsigned, bakery.replace(version=2), ignore=())
    assert {c.path for c in changes} == {
        "version", "signatures[client:605-12-34569]", "signatures[vendor:214-87-65433]"}
    assert all(c.kind == "added" for c in changes if c.path.startswith("signatures"))


def test_added_and_removed_items_and_options(bakery_unsigned):
    old = bakery_unsigned
    kpi = Kpi("재고 회전일수", "일", 5, 3, 3, Direction.LOWER_IS_BETTER, "2025년 4분기")
    new = old.replace(
        kpis=(*old.kpis[:2], kpi),
        subsidy=None,
        maintenance=None,
        scope=(*old.scope[:2], "기상청 예보 API 연동", *old.scope[2:]),
        liability_cap_multiple=Decimal("2"),
    )
    changes = by_path(diff_terms(old, new))
    removed = changes["kpis[일 평균 결품 품목 수]"]
    assert removed.kind == "removed" and removed.new is None
    assert changes["kpis[재고 회전일수]"].kind == "added"
    assert changes["kpis[재고 회전일수]"].label_ko == "KPI ‘재고 회전일수’"
    assert changes["subsidy"].kind == "removed" and changes["subsidy"].old == old.subsidy
    assert changes["maintenance"].kind == "removed"
    inserted = changes["scope[2]"]
    assert inserted.kind == "added" and inserted.new == "기상청 예보 API 연동"
    assert inserted.label_ko == "과제 범위 3번" and inserted.label_en == "scope of work item 3"
    assert [p for p in changes if p.startswith("scope")] == ["scope[2]"]  # others unchanged
    cap = changes["liability_cap_multiple"]
    assert (cap.old, cap.new) == (Decimal("1"), Decimal("2"))


def test_kpi_and_member_changes_are_matched_by_name_and_registration_number():
    old = cooperative_terms()
    first, second, third = old.members
    new = old.replace(
        members=(dataclasses.replace(first, share_won=30_000_000),
                 dataclasses.replace(second, share_won=12_000_000), third),
        kpis=(dataclasses.replace(old.kpis[0], committed=Decimal("90")), old.kpis[1]),
    )
    changes = by_path(diff_terms(old, new))
    assert set(changes) == {"members[613-81-09882].share_won", "members[607-82-22456].share_won",
                            "kpis[고장 사전 감지율(72시간 전)].committed"}
    assert changes["members[613-81-09882].share_won"].label_en == "member 613-81-09882 · share"
    assert changes["kpis[고장 사전 감지율(72시간 전)].committed"].label_ko == \
        "KPI ‘고장 사전 감지율(72시간 전)’ · 약정값"


def test_milestone_added_at_the_end():
    old = bakery_terms()
    first, second, third = old.milestones
    fourth = Milestone(4, "안정화", "운영 보고서", 10, due_date=date(2026, 8, 31))
    new = old.replace(milestones=(first, second, dataclasses.replace(third, payment_percent=30), fourth))
    changes = by_path(diff_terms(old, new))
    assert changes["milestones[4]"].kind == "added" and changes["milestones[4]"].new == fourth
    assert changes["milestones[3].payment_percent"].old == 40


def _all_field_names(cls, seen=None) -> set[str]:
    seen = set() if seen is None else seen
    names = set()
    for f in dataclasses.fields(cls):
        names.add(f.name)
        for arg in (typing.get_type_hints(cls)[f.name], *typing.get_args(typing.get_type_hints(cls)[f.name])):
            for inner in (arg, *typing.get_args(arg)):
                if dataclasses.is_dataclass(inner) and inner not in seen:
                    seen.add(inner)
                    names |= _all_field_names(inner, seen)
    return names


def test_every_field_has_a_korean_and_english_label():
    missing = _all_field_names(AgreementTerms) - set(FIELD_LABELS)
    assert not missing
    assert all(ko and en for ko, en in FIELD_LABELS.values())
