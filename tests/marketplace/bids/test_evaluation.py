"""The pure evaluation rules (marketplace/bids/evaluation.py): plain data in, plain results out, no app."""

from __future__ import annotations

import dataclasses
import itertools
import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.criteria import CRITERIA
from domain.kpi import KpiDirection
from marketplace.bids.commitments import Commitment
from marketplace.bids.evaluation import (
    BidTerms,
    KpiGoal,
    OfferingRecord,
    SubsidyEstimate,
    evaluate,
    kpi_attainment,
    shifted_weights,
    vendor_profile,
)

BAKERY = {"quality": 15, "throughput": 5, "cost": 30, "delivery_speed": 25, "explainability": 5,
          "data_privacy": 5, "maintenance": 15}
WASTE = KpiGoal(id=1, baseline=Decimal("15.2"), target=Decimal("7.0"), direction=KpiDirection.LOWER)
ACCURACY = KpiGoal(id=2, baseline=Decimal("70"), target=Decimal("90"), direction=KpiDirection.HIGHER)


def commit(kpi_id: int, value: str) -> Commitment:
    return Commitment(kpi_id=kpi_id, value=value)


def bid(id: int, price: int = 30_000_000, weeks: int = 10, **kwargs) -> BidTerms:
    return BidTerms(id=id, price_krw=price, duration_weeks=weeks, **kwargs)


# --- KPI attainment ---------------------------------------------------------------------------------

@pytest.mark.parametrize("waste,accuracy,expected", [
    ("7.0", "90", 1.0),     # both targets met
    ("6.0", "95", 1.0),     # beaten: still 1
    ("11.1", "90", 0.75),   # waste halfway from 15.2 to 7.0
    ("15.2", "70", 0.0),    # no better than today
    ("20", "60", 0.0),      # worse than today: not below 0
    ("11.1", "80", 0.5),    # both halfway
])
def test_kpi_attainment_is_the_mean_share_of_the_way_to_each_target(waste, accuracy, expected):
    result = kpi_attainment([WASTE, ACCURACY], [commit(1, waste), commit(2, accuracy)])
    assert result == pytest.approx(expected, abs=1e-9)


def test_a_missing_commitment_target_or_baseline_scores_nothing_for_that_kpi():
    assert kpi_attainment([WASTE, ACCURACY], [commit(1, "7.0")]) == 0.5
    no_target = KpiGoal(id=3, target=None, baseline=Decimal("5"))
    assert kpi_attainment([no_target], [commit(3, "1")]) == 0.0
    no_baseline = KpiGoal(id=4, target=Decimal("5"), baseline=None)
    assert kpi_attainment([no_baseline], [commit(4, "5")]) == 1.0
    assert kpi_attainment([no_baseline], [commit(4, "5.1")]) == 0.0
    assert kpi_attainment([], [commit(1, "7")]) == 0.0


# --- the vendor's profile ---------------------------------------------------------------------------

def test_vendor_profile_is_the_mean_of_its_offerings_and_its_track_record():
    assert vendor_profile([]) == ({c: 0.5 for c in CRITERIA}, 0.5)
    offerings = [OfferingRecord(profile={"throughput": 0.8, "explainability": 0.4}, completed_projects=8,
                                mean_review=Decimal("4.5")),
                 OfferingRecord(profile={"throughput": 0.6}, completed_projects=4, mean_review=None)]
    profile, track = vendor_profile(offerings)
    assert profile["throughput"] == pytest.approx(0.7)
    assert profile["explainability"] == pytest.approx(0.45)  # a criterion an offering lacks counts as 0.5
    assert track == pytest.approx(12 / 20 * 0.9)  # 12 projects; reviews 4.5 of 5
    unreviewed = vendor_profile([OfferingRecord(profile={}, completed_projects=40)])[1]
    assert unreviewed == pytest.approx(0.8)  # projects count up to 20; no review yet: 0.8


# --- scores -----------------------------------------------------------------------------------------

def test_two_bids_are_scored_by_the_documented_formulas():
    cheap = bid(1, price=20_000_000, weeks=12, maintenance_yearly_krw=3_000_000, maintenance_years=2,
                commitments=[commit(1, "7.0")])
    dear = bid(2, price=40_000_000, weeks=8, maintenance_yearly_krw=1_000_000, maintenance_years=3,
               commitments=[commit(1, "11.1")],
               offerings=[OfferingRecord(profile={c: 1.0 for c in CRITERIA}, completed_projects=20,
                                         mean_review=Decimal("5"))])
    result = evaluate(BAKERY, [WASTE], [dear, cheap])
    by_id = {s.bid_id: s for s in result.scores}
    assert by_id[1].criteria == {
        "cost": 1.0, "delivery_speed": round(8 / 12, 4), "quality": 1.0,
        "maintenance": round(0.5 * 1 + 0.5 * 2 / 3, 4),  # lowest TCO is its own: 26,000,000
        "throughput": round(0.5 * (0.7 + 0.3 * 0.5), 4), "explainability": 0.425, "data_privacy": 0.425,
    }
    assert by_id[2].criteria == {
        "cost": 0.5, "delivery_speed": 1.0, "quality": 0.5, "maintenance": round(0.5 * 26 / 43 + 0.5, 4),
        "throughput": 1.0, "explainability": 1.0, "data_privacy": 1.0,
    }
    assert by_id[1].tco_krw == 26_000_000 and by_id[2].tco_krw == 43_000_000
    for score in result.scores:
        assert score.total == round(sum(BAKERY[c] * score.criteria[c] for c in CRITERIA), 2)
    assert [s.rank for s in result.scores] == [1, 2] and result.leader.bid_id == 1
    assert by_id[1].subsidy_krw is None and by_id[1].own_share_krw is None


def test_ties_go_to_the_lower_price_then_the_older_bid():
    twins = [bid(3, price=30_000_000), bid(1, price=30_000_000), bid(2, price=30_000_000)]
    assert [s.bid_id for s in evaluate(BAKERY, [], twins).scores] == [1, 2, 3]


def test_a_bid_40_percent_below_the_others_mean_is_abnormally_low():
    result = evaluate(BAKERY, [], [bid(1, price=18_000_000), bid(2, price=30_000_000), bid(3, price=30_000_000)])
    assert {s.bid_id for s in result.scores if s.abnormally_low} == {1}  # 18 ≤ 0.6 × 30
    result = evaluate(BAKERY, [], [bid(1, price=18_000_001), bid(2, price=30_000_000), bid(3, price=30_000_000)])
    assert not any(s.abnormally_low for s in result.scores)
    assert not evaluate(BAKERY, [], [bid(1, price=1)]).scores[0].abnormally_low  # alone: nothing to compare


def test_the_own_share_after_subsidy_includes_the_maintenance_years():
    subsidised = bid(1, price=100_000_000, maintenance_yearly_krw=2_000_000, maintenance_years=2,
                     subsidy=SubsidyEstimate(subsidy_krw=70_000_000, own_share_krw=30_000_000))
    score = evaluate(BAKERY, [], [subsidised]).scores[0]
    assert (score.subsidy_krw, score.own_share_krw) == (70_000_000, 34_000_000)


def test_no_bids_no_scores():
    result = evaluate(BAKERY, [WASTE], [])
    assert result.scores == () and result.flips == () and result.leader is None


# --- sensitivity ------------------------------------------------------------------------------------

def test_shifted_weights_move_one_and_the_others_give_way_by_their_size():
    new = shifted_weights(BAKERY, "cost", 10)
    assert new["cost"] == 40.0
    assert new["delivery_speed"] == pytest.approx(25 - 10 * 25 / 70)
    assert sum(new.values()) == pytest.approx(100)
    assert shifted_weights({**dict.fromkeys(CRITERIA, 0), "cost": 100}, "cost", 10) is None  # already 100
    assert shifted_weights(BAKERY, "throughput", -10) == shifted_weights(BAKERY, "throughput", -5)  # floor at 0
    evenly = shifted_weights({**dict.fromkeys(CRITERIA, 0), "cost": 100}, "cost", -12)
    assert evenly["quality"] == pytest.approx(2.0)  # the others all weigh 0: they share evenly


def test_a_close_race_names_each_weight_change_that_changes_the_leader():
    cheap = bid(1, price=28_000_000, weeks=10)
    fast = bid(2, price=30_000_000, weeks=9)
    result = evaluate(BAKERY, [], [cheap, fast])
    assert result.leader.bid_id == 1
    assert result.flips, "a close race is sensitive to a 10-point change"
    for flip in result.flips:
        assert flip.leader_id == 2 and abs(flip.points) == 10
        new = shifted_weights(BAKERY, flip.criterion, flip.points)
        sums = {s.bid_id: sum(new[c] * s.criteria[c] for c in CRITERIA) for s in result.scores}
        assert sums[2] > sums[1]
    assert ("delivery_speed", 10) in {(f.criterion, f.points) for f in result.flips}


def test_a_clear_leader_is_not_sensitive():
    result = evaluate(BAKERY, [WASTE], [bid(1, price=10_000_000, weeks=5, commitments=[commit(1, "7")]),
                                        bid(2, price=40_000_000, weeks=20)])
    assert result.flips == ()


# --- properties -------------------------------------------------------------------------------------

# Seven whole weights that add up to 100: the gaps between six cuts of 0–100.
weights_st = st.lists(st.integers(0, 100), min_size=len(CRITERIA) - 1, max_size=len(CRITERIA) - 1).map(
    lambda cuts: [b - a for a, b in itertools.pairwise([0, *sorted(cuts), 100])]).map(
    lambda ws: dict(zip(CRITERIA, ws, strict=True)))
offering_st = st.builds(OfferingRecord, profile=st.fixed_dictionaries({c: st.floats(0, 1) for c in CRITERIA}),
                        completed_projects=st.integers(0, 50),
                        mean_review=st.none() | st.decimals("1", "5", places=2))
bids_st = st.lists(st.builds(
    BidTerms, id=st.integers(1, 10_000), price_krw=st.integers(1, 10**11), duration_weeks=st.integers(1, 260),
    maintenance_yearly_krw=st.integers(0, 10**9), maintenance_years=st.integers(0, 10),
    commitments=st.lists(st.builds(Commitment, kpi_id=st.sampled_from([1, 2]),
                                   value=st.decimals("-100", "200", places=2)), max_size=2),
    offerings=st.lists(offering_st, max_size=3)), min_size=1, max_size=6, unique_by=lambda b: b.id)


@given(weights=weights_st, bids=bids_st)
def test_scores_are_shares_and_ranks_follow_the_totals(weights, bids):
    result = evaluate(weights, [WASTE, ACCURACY], bids)
    assert sorted(s.bid_id for s in result.scores) == sorted(b.id for b in bids)
    assert [s.rank for s in result.scores] == list(range(1, len(bids) + 1))
    prices = {b.id: b.price_krw for b in bids}
    keys = [(-s.total, prices[s.bid_id], s.bid_id) for s in result.scores]
    assert keys == sorted(keys)
    for score in result.scores:
        assert set(score.criteria) == set(CRITERIA)
        assert all(0 <= v <= 1 for v in score.criteria.values())
        assert -0.01 <= score.total <= 100.01
    cheapest = min(bids, key=lambda b: b.price_krw)
    assert next(s for s in result.scores if s.bid_id == cheapest.id).criteria["cost"] == 1.0
    for flip in result.flips:
        assert flip.leader_id != result.leader.bid_id


@given(weights=weights_st, bids=bids_st, seed=st.integers(0, 1000))
def test_the_order_bids_come_in_changes_nothing(weights, bids, seed):
    shuffled = list(bids)
    random.Random(seed).shuffle(shuffled)
    assert evaluate(weights, [WASTE, ACCURACY], shuffled) == evaluate(weights, [WASTE, ACCURACY], bids)


@given(weights=weights_st, bids=bids_st, raise_by=st.integers(1, 10**10))
def test_asking_more_never_raises_a_bids_own_total(weights, bids, raise_by):
    first = bids[0]
    dearer = dataclasses.replace(first, price_krw=first.price_krw + raise_by)
    before = next(s for s in evaluate(weights, [WASTE], bids).scores if s.bid_id == first.id)
    after = next(s for s in evaluate(weights, [WASTE], [dearer, *bids[1:]]).scores if s.bid_id == first.id)
    assert after.total <= before.total


@given(weights=weights_st, criterion=st.sampled_from(CRITERIA), delta=st.integers(-100, 100))
def test_shifted_weights_keep_the_total_and_move_the_one_weight(weights, criterion, delta):
    new = shifted_weights(weights, criterion, delta)
    target = min(100, max(0, weights[criterion] + delta))
    if target == weights[criterion]:
        assert new is None
        return
    assert new[criterion] == target
    assert all(v >= 0 for v in new.values())
    assert sum(new.values()) == pytest.approx(100, abs=1e-6)
