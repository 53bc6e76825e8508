"""The problems' other pure rules: free words → problem types, and a cooperative's cost split."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from marketplace.problems.keywords import Reading, interpret_keywords
from marketplace.problems.shares import even_split, split_refusals


def test_free_words_add_the_types_they_name_and_say_how_each_was_read():
    types, readings = interpret_keywords(["process_optimization"], "불량 검사,  , defect detection, 뭔지모를말")
    assert types == ["process_optimization", "visual_inspection"]
    assert readings == [Reading("불량 검사", "visual_inspection"), Reading("defect detection", "visual_inspection"),
                        Reading("뭔지모를말", None)]


@given(types=st.lists(st.sampled_from(["demand_forecasting", "visual_inspection", "anomaly_detection"]), max_size=4),
       words=st.lists(st.sampled_from(["수요 예측", "forecasting", "불량 검사", "", "xyz"]), max_size=4))
def test_the_chosen_types_stay_first_and_nothing_repeats(types, words):
    result, readings = interpret_keywords(types, ", ".join(words))
    assert result[:len(set(types))] == list(dict.fromkeys(types))
    assert len(result) == len(set(result))
    assert [r.word for r in readings] == [w for w in words if w]


@given(count=st.integers(1, 500))
def test_an_even_split_adds_up_to_exactly_100(count):
    shares = even_split(count)
    assert len(shares) == count and sum(shares) == 100
    assert all(s == s.quantize(Decimal("0.01")) and s > 0 for s in shares)
    assert len(set(shares[1:])) <= 1 and shares[0] - shares[-1] < Decimal("0.01") * count


def test_a_split_names_what_is_wrong():
    members = {1, 2, 3}
    assert split_refusals({1: Decimal(50), 2: Decimal(30), 3: Decimal(20)}, members) == {}
    assert split_refusals({1: Decimal(50), 2: Decimal(30), 3: Decimal(10)}, members) == \
        {"shares": ("shares_sum", {"total": "90"})}
    assert split_refusals({1: Decimal(50), 2: Decimal(50)}, members) == {"shares": ("members_missing", {})}
    assert split_refusals({1: Decimal(50), 2: Decimal(40), 9: Decimal(10)}, members) == \
        {"shares.9": ("not_member", {})}
