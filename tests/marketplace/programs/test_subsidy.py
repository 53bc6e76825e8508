"""Subsidy arithmetic is a pure rule: whole won, exact ratios, checked on any price, ratio and cap."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain import MAX_BUDGET_WON
from marketplace.programs.subsidy import Budget, Split, shares_fit, split_price

prices = st.integers(min_value=0, max_value=MAX_BUDGET_WON)
caps = st.integers(min_value=0, max_value=MAX_BUDGET_WON)
#: Ratios as the program form stores them: 0 to 1 with at most four decimal places.
ratios = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n).scaleb(-4))


def test_known_splits_in_whole_won():
    assert split_price(10, ratio=Decimal("0.7"), cap_krw=150_000_000) == Split(7, 3)  # floats give 6.999…
    assert split_price(123_456_789, ratio=Decimal("0.7"), cap_krw=150_000_000) == Split(86_419_752, 37_037_037)
    assert split_price(300_000_000, ratio=Decimal("0.7"), cap_krw=150_000_000) == Split(150_000_000, 150_000_000)
    assert split_price(0, ratio=Decimal("0.8"), cap_krw=1) == Split(0, 0)


@pytest.mark.parametrize("price", [-1, 1.5, True, "100", None])
def test_a_price_is_whole_won_from_zero(price):
    with pytest.raises(ValueError):
        split_price(price, ratio=Decimal("0.5"), cap_krw=100)


@given(price=prices, ratio=ratios, cap=caps)
def test_the_subsidy_never_exceeds_the_cap_or_the_ratio_and_the_parts_add_up(price, ratio, cap):
    split = split_price(price, ratio=ratio, cap_krw=cap)
    assert isinstance(split.subsidy_krw, int) and isinstance(split.own_share_krw, int)
    assert 0 <= split.subsidy_krw <= cap
    assert split.subsidy_krw <= ratio * price
    assert split.subsidy_krw + split.own_share_krw == price
    assert split.own_share_krw >= 0


@given(price=prices, ratio=ratios, cap=caps)
def test_the_program_pays_every_whole_won_its_ratio_allows_up_to_the_cap(price, ratio, cap):
    subsidy = split_price(price, ratio=ratio, cap_krw=cap).subsidy_krw
    assert subsidy == cap or subsidy + 1 > ratio * price


@given(low=prices, high=prices, ratio=ratios, cap=caps)
def test_both_shares_grow_with_the_price(low, high, ratio, cap):
    low, high = sorted((low, high))
    cheap, dear = split_price(low, ratio=ratio, cap_krw=cap), split_price(high, ratio=ratio, cap_krw=cap)
    assert cheap.subsidy_krw <= dear.subsidy_krw
    assert cheap.own_share_krw <= dear.own_share_krw


@given(price=prices, ratio=ratios, own=ratios, cap=caps)
def test_the_sme_pays_at_least_its_minimum_own_share_when_the_shares_fit(price, ratio, own, cap):
    assume(shares_fit(ratio, own))
    assert split_price(price, ratio=ratio, cap_krw=cap).own_share_krw >= own * price


def test_shares_fit_up_to_exactly_one():
    assert shares_fit(Decimal("0.8"), Decimal("0.2"))
    assert not shares_fit(Decimal("0.8"), Decimal("0.2001"))


budgets = st.integers(min_value=1, max_value=MAX_BUDGET_WON)


@given(total=budgets, amounts=st.lists(st.integers(min_value=0, max_value=MAX_BUDGET_WON), max_size=30),
       commit=st.lists(st.booleans(), max_size=30))
def test_approvals_the_budget_covers_never_overspend_it(total, amounts, commit):
    budget = Budget(total=total, reserved=0, committed=0, pending=0)
    approved = 0
    for i, amount in enumerate(amounts):
        if not budget.covers(amount):
            assert budget.used + amount > budget.total  # refused only when it would overspend
            continue
        approved += amount
        signed = i < len(commit) and commit[i]
        budget = Budget(total=total, reserved=budget.reserved + (0 if signed else amount),
                        committed=budget.committed + (amount if signed else 0), pending=0)
        assert budget.left >= 0
    assert budget.used == approved <= total
    assert budget.left == total - approved


def test_the_budget_reads_as_the_api_shows_it():
    budget = Budget(total=300, reserved=80, committed=20, pending=50)
    assert budget.as_dict() == {"total_krw": 300, "reserved_krw": 80, "committed_krw": 20, "pending_krw": 50,
                                "left_krw": 200}
    assert budget.covers(200) and not budget.covers(201)
