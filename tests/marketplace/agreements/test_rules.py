"""The pure rules of agreements, tested directly: no app, no database (plain data in, plain data out).

draft_terms (the first draft from the award), amendments (a proposal applied to the terms),
schedule (milestone dates, the resubmission window) and track_record (the review's score and what
it does to the vendor's record).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import contracts
from contracts.examples import BAKERY, DATAON, bakery_terms
from domain.criteria import CRITERIA
from marketplace.agreements import amendments, draft_terms, schedule, track_record

BID_MILESTONES = (
    {"name": "데이터 정제", "deliverable": "데이터 분석 보고서", "payment_percent": 30, "week": 3},
    {"name": "예측 모델 개발", "deliverable": "수요 예측 모델", "payment_percent": 40, "week": 7},
    {"name": "서비스 구축", "deliverable": "", "payment_percent": 30, "week": 10},
)


KPI = contracts.Kpi("당일 폐기율", "%", Decimal("15.2"), Decimal("7"), Decimal("7"), contracts.Direction("lower"),
                    "홀드아웃")


def award(**changes) -> draft_terms.Award:
    values = dict(
        reference="AXB-2026-000007", created=date(2026, 3, 2), client=BAKERY, vendor=DATAON, members=(),
        title="빵 폐기율 낮추기", description=None, data_assets=({"kind": "POS 판매 기록", "period_months": 36},),
        on_premises=False, kpis=(KPI,), price_won=30_000_000, approach="POS 데이터 정제\n\n  수요 예측 모델  ",
        bid_milestones=BID_MILESTONES, maintenance_yearly_won=3_000_000, maintenance_years=2, service_level="")
    values.update(changes)
    return draft_terms.Award(**values)


# --- draft_terms ------------------------------------------------------------------------------

def test_the_first_draft_takes_the_award_and_the_default_options():
    terms = draft_terms.draft_terms(award())
    assert terms.agreement_id == "AXB-2026-000007" and terms.version == 1 and terms.created == date(2026, 3, 2)
    assert terms.client_kind is contracts.ClientKind.SME and terms.members == ()
    assert terms.scope == ("POS 데이터 정제", "수요 예측 모델")
    assert terms.project_summary == "빵 폐기율 낮추기"  # no description: the title stands for it
    assert [(m.sequence, m.deliverable, m.payment_percent, m.due_week) for m in terms.milestones] == [
        (1, "데이터 분석 보고서", 30, 3), (2, "수요 예측 모델", 40, 7), (3, "서비스 구축", 30, 10)]
    assert [d.kind for d in terms.deliverables] == [contracts.DeliverableKind.DOCUMENTATION,
                                                    contracts.DeliverableKind.MODEL,
                                                    contracts.DeliverableKind.SERVICE]
    assert terms.data_provided == ("POS 판매 기록, 36개월",)
    assert terms.maintenance == contracts.Maintenance(3_000_000, 2, draft_terms.DEFAULT_SERVICE_LEVEL.ko,
                                                         draft_terms.DEFAULT_SERVICE_LEVEL.en)
    assert (terms.ip_ownership, terms.acceptance_days, terms.resubmission_days, terms.warranty_months) == (
        contracts.IpOwnership.SME, 14, 21, 12)


def test_documentation_is_always_a_deliverable_and_no_maintenance_without_years():
    milestones = ({"name": "모델 개발", "payment_percent": 100, "week": 8},)
    terms = draft_terms.draft_terms(award(bid_milestones=milestones, maintenance_years=0))
    assert [d.kind for d in terms.deliverables] == [contracts.DeliverableKind.MODEL,
                                                    contracts.DeliverableKind.DOCUMENTATION]
    assert terms.maintenance is None


def test_a_cooperative_draft_splits_the_sme_cost_after_the_subsidy():
    coop = contracts.Party(contracts.Bilingual("기계부품조합", "Machine Parts Cooperative"), "615-82-70319",
                           contracts.Bilingual("오세진", "Oh Se-jin"), contracts.Bilingual("창원", "Changwon"), "경상남도")
    members = tuple((contracts.Party(contracts.Bilingual(f"회원사{i}", f"Member {i}"), brn,
                                     contracts.Bilingual("대표", "CEO"), contracts.Bilingual("창원", "Changwon"),
                                     "경상남도"), Decimal(percent))
                    for i, (brn, percent) in enumerate((("613-81-09882", "33.34"), ("607-82-22456", "33.33"),
                                                        ("608-85-11161", "33.33")), start=1))
    subsidy = contracts.Subsidy(contracts.Bilingual("바우처", "Voucher"), contracts.Bilingual("기관", "Agency"),
                                subsidy_won=20_000_000, sme_share_won=10_000_000, ratio=Decimal("0.6667"))
    terms = draft_terms.draft_terms(award(client=coop, members=members, subsidy=subsidy))
    assert terms.client_kind is contracts.ClientKind.COOPERATIVE
    assert [m.share_won for m in terms.members] == [3_334_000, 3_333_000, 3_333_000]


@given(st.integers(min_value=0, max_value=10**11),
       st.lists(st.integers(min_value=1, max_value=9_999), min_size=1, max_size=8))
def test_member_shares_add_up_to_the_cost_and_stay_within_a_won_per_member_of_the_exact_split(cost, weights):
    percents = [Decimal(w) * 100 / sum(weights) for w in weights]
    shares = draft_terms.member_shares(cost, percents)
    assert sum(shares) == cost
    for share, percent in zip(shares[1:], percents[1:], strict=True):
        assert abs(share - Decimal(cost) * percent / 100) <= Decimal("0.5")
    assert abs(shares[0] - Decimal(cost) * percents[0] / 100) <= len(shares)


def test_a_kpi_without_a_commitment_is_left_out_and_one_that_does_not_improve_is_refused():
    def commitment(committed):
        return draft_terms.KpiCommitment("폐기율", "%", Decimal("15.2000"), Decimal("7.0000"), "lower", committed)

    kpi = draft_terms.acceptance_kpi(commitment("7"), draft_terms.test_set(["POS 판매 기록"]))
    assert (kpi.baseline, kpi.target, kpi.committed) == (Decimal("15.2"), Decimal("7"), Decimal("7"))
    assert kpi.test_set.startswith("POS 판매 기록 중")
    assert draft_terms.acceptance_kpi(commitment(None), "") is None
    with pytest.raises(contracts.TermsError):
        draft_terms.acceptance_kpi(commitment("20"), "홀드아웃")


def test_bilingual_names_fill_in_for_each_other():
    assert draft_terms.bilingual("  ", "DataOn") == contracts.Bilingual("DataOn", "DataOn")
    assert draft_terms.bilingual("데이터온", None) == contracts.Bilingual("데이터온", "데이터온")
    assert draft_terms.bilingual(None, "") == contracts.Bilingual("—", "—")
    party = draft_terms.party(name_ko="데이터온", name_en=None, business_registration_no="214-87-65433",
                              representative="박준호", address=None, region_ko="서울특별시", region_en="Seoul")
    assert party.address == contracts.Bilingual("서울특별시", "Seoul")


# --- amendments -------------------------------------------------------------------------------

TODAY = date(2026, 3, 10)


def test_a_proposal_changes_only_what_it_names():
    terms = bakery_terms()
    new = amendments.amend(terms, today=TODAY, warranty_months=24, liability_cap_multiple=Decimal("1.50"),
                           ip_ownership=contracts.IpOwnership.JOINT, milestone_due_dates={2: date(2026, 5, 1)})
    assert {c.path for c in contracts.diff_terms(terms, new)} >= {"warranty_months", "liability_cap_multiple",
                                                                   "ip_ownership"}
    assert new.liability_cap_multiple == Decimal("1.5") and new.milestones[1].due_date == date(2026, 5, 1)
    assert new.milestones[0] == terms.milestones[0] and new.acceptance_days == terms.acceptance_days
    assert amendments.amend(terms, today=TODAY) == terms


def test_maintenance_keeps_what_is_not_proposed_and_ends_with_zero_years():
    terms = bakery_terms()
    assert amendments.amend(terms, today=TODAY, maintenance_years=3).maintenance == contracts.Maintenance(
        4_800_000, 3, terms.maintenance.service_level)
    assert amendments.amend(terms, today=TODAY, maintenance_years=0).maintenance is None
    none = bakery_terms(maintenance=None)
    default = draft_terms.DEFAULT_SERVICE_LEVEL
    assert amendments.amend(none, today=TODAY, maintenance_yearly_won=1_000_000, maintenance_years=1).maintenance \
        == contracts.Maintenance(1_000_000, 1, default.ko, default.en)


def test_due_dates_for_unknown_milestones_or_the_past_are_refused_by_field():
    with pytest.raises(amendments.AmendmentRefused) as refused:
        amendments.amend(bakery_terms(), today=TODAY, milestone_due_dates={1: date(2026, 3, 9), 7: date(2026, 9, 1),
                                                                          2: date(2026, 5, 1)})
    assert refused.value.errors == {"milestone_due_dates.1": amendments.DUE_BEFORE_TODAY,
                                    "milestone_due_dates.7": amendments.NO_SUCH_MILESTONE}


def test_due_dates_that_go_backwards_break_the_terms():
    with pytest.raises(contracts.TermsError) as broken:
        amendments.amend(bakery_terms(), today=TODAY, milestone_due_dates={1: date(2026, 9, 1), 2: date(2026, 5, 1)})
    assert broken.value.field.startswith("milestone")


def test_changed_values_are_shown_in_each_language():
    assert amendments.show(24_000_000, "ko") == "24,000,000"
    assert amendments.show(contracts.Maintenance(1_000_000, 2, "x"), "en") == "KRW 1,000,000 × 2 years"
    assert amendments.show(contracts.Milestone(1, "분석", "보고서", 100, due_week=3), "ko") == "분석 (착수 후 3주)"
    assert amendments.show(contracts.IpOwnership.JOINT, "en") == "joint" and amendments.show(None, "ko") == "—"
    assert amendments.show(True, "ko") == "예"


# --- schedule ---------------------------------------------------------------------------------

def test_the_parties_calendar_is_korean():
    assert schedule.korean_date(datetime(2026, 3, 2, 14, 59, tzinfo=UTC)) == date(2026, 3, 2)
    assert schedule.korean_date(datetime(2026, 3, 2, 15, 0, tzinfo=UTC)) == date(2026, 3, 3)


def test_a_milestone_is_due_on_its_date_or_its_week_after_the_agreement_took_effect():
    week = contracts.Milestone(1, "분석", "보고서", 50, due_week=3)
    dated = contracts.Milestone(2, "구축", "서비스", 50, due_date=date(2026, 6, 30))
    assert schedule.due_date(week, date(2026, 3, 3)) == date(2026, 3, 24)
    assert schedule.due_date(dated, date(2026, 3, 3)) == date(2026, 6, 30)


def test_a_rejected_milestone_may_come_again_within_the_period_a_limited_number_of_times():
    rejected = datetime(2026, 4, 1, 9, tzinfo=UTC)

    def refusal(days_later, deliveries=1):
        return schedule.redelivery_refusal(rejected_at=rejected, deliveries=deliveries,
                                           now=rejected + timedelta(days=days_later), resubmission_days=21,
                                           max_resubmissions=2)

    assert refusal(21) is None and refusal(5, deliveries=2) is None
    assert refusal(21.01) == schedule.RESUBMISSION_PERIOD_PASSED
    assert refusal(5, deliveries=3) == schedule.NO_RESUBMISSION_LEFT


# --- track_record -----------------------------------------------------------------------------

WEIGHTS = {"quality": 15, "throughput": 0, "cost": 30, "delivery_speed": 25, "explainability": 10,
           "data_privacy": 0, "maintenance": 20}


def test_a_score_sheet_covers_exactly_the_weighted_criteria_with_scores_from_1_to_5():
    criteria = track_record.review_criteria(WEIGHTS)
    assert criteria == ["quality", "cost", "delivery_speed", "explainability", "maintenance"]
    full = dict.fromkeys(criteria, 4)
    assert track_record.score_sheet_errors(criteria, full) == {}
    assert track_record.score_sheet_errors(criteria, {**full, "quality": 6, "throughput": 3, "cost": 0}) == {
        "quality": track_record.SCORE_RANGE, "cost": track_record.SCORE_RANGE, "throughput": track_record.NOT_YOURS}
    missing = {k: v for k, v in full.items() if k != "maintenance"}
    assert track_record.score_sheet_errors(criteria, missing) == {"maintenance": track_record.SCORE_RANGE}


def test_the_review_score_is_weighted_like_the_problem():
    scores = {"quality": 5, "cost": 4, "delivery_speed": 3, "explainability": 5, "maintenance": 4}
    assert track_record.weighted_score(WEIGHTS, scores) == Decimal("4.00")  # (75 + 120 + 75 + 50 + 80) / 100


weights_and_scores = st.dictionaries(st.sampled_from(CRITERIA), st.tuples(st.integers(1, 100), st.integers(1, 5)),
                                     min_size=1)


@given(weights_and_scores)
def test_the_review_score_lies_between_the_lowest_and_the_highest_score(sheet):
    weights = {c: w for c, (w, _s) in sheet.items()}
    scores = {c: s for c, (_w, s) in sheet.items()}
    score = track_record.weighted_score(weights, scores)
    assert min(scores.values()) <= score <= max(scores.values())


def test_learning_from_a_review():
    record = track_record.TrackRecord(12, Decimal("4.5"), {"quality": 0.7, "delivery_speed": 0.9, "throughput": 0.5})
    scores = {"quality": 5, "delivery_speed": 3, "cost": 1}
    after = track_record.learn(record, scores, Decimal("4.00"))
    assert after.completed_projects == 13
    assert after.mean_review == Decimal("4.46")  # (4.5 × 12 + 4) / 13
    assert after.profile == {"quality": 0.76, "delivery_speed": 0.82, "throughput": 0.5, "cost": 0.4}
    first = track_record.learn(track_record.TrackRecord(0, None), {"cost": 2}, Decimal("2.00"))
    assert first.mean_review == Decimal("2.00") and first.completed_projects == 1


@given(st.integers(0, 500), st.none() | st.decimals(1, 5, places=2),
       st.dictionaries(st.sampled_from(CRITERIA), st.floats(0, 1)),
       st.dictionaries(st.sampled_from(CRITERIA), st.integers(1, 5), min_size=1))
def test_learning_keeps_the_mean_between_1_and_5_and_the_profile_between_0_and_1(done, mean, profile, scores):
    score = track_record.weighted_score(dict.fromkeys(CRITERIA, 1), scores)
    after = track_record.learn(track_record.TrackRecord(done, mean, profile), scores, score)
    assert after.completed_projects == done + 1
    assert Decimal(1) <= after.mean_review <= Decimal(5)
    assert all(0 <= v <= 1 for v in after.profile.values())
    for c, s in scores.items():  # each scored criterion moves toward its score
        old, target = profile.get(c, 0.5), (s - 1) / 4
        assert abs(after.profile[c] - target) <= abs(old - target) + 1e-4
