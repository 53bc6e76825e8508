"""The shared vocabulary: weights, money, KPIs and the business registration number."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from domain import CRITERIA, MAX_WON, Kpi, KpiDirection, KpiNumber, Profile, Score, Weights, Won
from domain.brn import BrnError, check_digit, format_brn, validate_brn
from matching import taxonomy
from matching.records import Weights as EngineWeights

BAKERY = {"quality": 20, "throughput": 10, "cost": 20, "delivery_speed": 15, "explainability": 10,
          "data_privacy": 10, "maintenance": 15}


def error_types(exc: ValidationError) -> list[tuple[tuple, str, dict]]:
    return [(e["loc"], e["type"], e.get("ctx", {})) for e in exc.errors()]


def test_the_engine_and_the_web_app_share_one_criteria_list():
    assert taxonomy.CRITERIA is CRITERIA
    assert [c.code for c in taxonomy.criteria()] == list(CRITERIA)


def test_weights_read_like_a_mapping_in_criteria_order():
    weights = Weights(**BAKERY)
    assert dict(weights.items()) == BAKERY and list(weights.keys()) == list(CRITERIA)
    assert weights["maintenance"] == 15 and sum(weights.values()) == 100


def test_weights_that_do_not_add_up_to_100_say_their_total():
    with pytest.raises(ValidationError) as info:
        Weights(**{**BAKERY, "quality": 30})
    assert error_types(info.value) == [((), "weights_sum", {"total": 110, "expected": 100})]


@pytest.mark.parametrize("bad", [-1, 101, 12.5, True, "ten", None])
def test_each_weight_is_a_whole_number_from_0_to_100(bad):
    with pytest.raises(ValidationError) as info:
        Weights(**{**BAKERY, "cost": bad})
    assert error_types(info.value) == [(("cost",), "weight_range", {"min": 0, "max": 100})]


def test_form_strings_and_missing_criteria_are_read_as_today():
    assert Weights(quality=" 60 ", cost=40.0).as_dict() == {**dict.fromkeys(CRITERIA, 0), "quality": 60, "cost": 40}


def test_unknown_criteria_are_named():
    with pytest.raises(ValidationError) as info:
        Weights.model_validate({**BAKERY, "luck": 0, "charm": 1})
    assert error_types(info.value) == [((), "weights_unknown", {"names": "charm, luck"})]


def test_the_engine_takes_the_smes_weights_normalised():
    engine = EngineWeights.from_mapping(Weights(**BAKERY))
    assert engine.as_dict() == pytest.approx({k: v / 100 for k, v in BAKERY.items()})


class Budget(BaseModel):
    amount: Won


@pytest.mark.parametrize("raw,expected", [(0, 0), ("1,200,000", 1_200_000), (MAX_WON, MAX_WON)])
def test_won_is_a_whole_number_within_the_limit(raw, expected):
    assert Budget(amount=raw).amount == expected


@pytest.mark.parametrize("raw,kind", [(-1, "greater_than_equal"), (MAX_WON + 1, "less_than_equal"),
                                      (1.5, "int_from_float"), (True, "won_type"), ("12만", "int_parsing")])
def test_won_refuses_what_is_not_an_amount(raw, kind):
    with pytest.raises(ValidationError) as info:
        Budget(amount=raw)
    assert [e["type"] for e in info.value.errors()] == [kind]


class Measure(BaseModel):
    value: KpiNumber


@pytest.mark.parametrize("raw", ["1e999999999", "-1e999999999", "Infinity", "NaN", "1000000000000", 10**12])
def test_absurd_kpi_numbers_are_validation_errors(raw):
    with pytest.raises(ValidationError) as info:
        Measure(value=raw)
    assert [e["type"] for e in info.value.errors()] == ["kpi_number_range"]


@pytest.mark.parametrize("raw", ["abc", True, "", "1.2.3"])
def test_kpi_numbers_must_be_numbers(raw):
    with pytest.raises(ValidationError) as info:
        Measure(value=raw)
    assert [e["type"] for e in info.value.errors()] == ["kpi_number"]


@given(st.decimals(min_value=Decimal("-999999999999"), max_value=Decimal("999999999999"), allow_nan=False,
                   places=6))
def test_kpi_numbers_keep_four_decimals(number):
    assert Measure(value=str(number)).value == number.quantize(Decimal("0.0001"))


def test_a_kpi_target_must_improve_on_its_baseline():
    kpi = Kpi(name=" 폐기율 ", unit="%", baseline="12,5", direction=None, target="4")
    assert (kpi.name, kpi.baseline, kpi.target, kpi.direction) == ("폐기율", Decimal("125.0000"), Decimal("4.0000"),
                                                                   KpiDirection.LOWER)
    with pytest.raises(ValidationError) as info:
        Kpi(name="정확도", baseline=90, target=80, direction="higher")
    assert error_types(info.value) == [(("target",), "kpi_target_direction", {"direction": "higher",
                                                                               "side": "above"})]
    with pytest.raises(ValidationError) as info:
        Kpi(name="정확도", baseline=90, target=95, direction="sideways")
    assert [e["type"] for e in info.value.errors()] == ["kpi_direction"]


def test_the_agreement_names_the_same_directions():
    assert KpiDirection.LOWER_IS_BETTER is KpiDirection.LOWER and list(KpiDirection) == [KpiDirection.LOWER,
                                                                                          KpiDirection.HIGHER]


@pytest.mark.parametrize("raw", ["220-81-62517", "2208162517", " 220 81 62517 "])
def test_business_numbers_are_compacted(raw):
    assert validate_brn(raw) == "2208162517" and format_brn("2208162517") == "220-81-62517"


@pytest.mark.parametrize("raw,reason", [("220-81-62518", "checksum"), ("12345", "format"), ("abcdefghij", "format"),
                                        ("100-81-00003", "component"), ("220-00-62510", "component"), (None, "format")])
def test_business_numbers_say_why_they_are_refused(raw, reason):
    with pytest.raises(BrnError) as info:
        validate_brn(raw)
    assert info.value.reason == reason


@given(st.from_regex(r"[1-9][0-9]{2}(0[1-9]|[1-9][0-9])(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})", fullmatch=True))
def test_every_number_with_its_check_digit_is_valid(first_nine):
    number = first_nine + str(check_digit(first_nine))
    if first_nine[:3] >= "101":
        assert validate_brn(number) == number
        wrong = first_nine + str((check_digit(first_nine) + 1) % 10)
        with pytest.raises(BrnError):
            validate_brn(wrong)


# --- a profile over the criteria ------------------------------------------------------------------

VISION_PROFILE = {"quality": 0.95, "throughput": 0.6, "cost": 0.4, "delivery_speed": 0.5, "explainability": 0.8,
                  "data_privacy": 0.9, "maintenance": 0.85}


def test_a_profile_scores_every_criterion_and_reads_like_a_mapping():
    profile = Profile(**VISION_PROFILE)
    assert profile.as_dict() == VISION_PROFILE and list(profile.keys()) == list(CRITERIA)
    assert profile["quality"] == 0.95


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan"), float("inf"), Decimal("NaN"), True, "0.5", None, 10**400])
def test_a_score_is_a_finite_number_from_0_to_1(bad):
    with pytest.raises(ValidationError) as info:
        Profile(**{**VISION_PROFILE, "quality": bad})
    assert error_types(info.value) == [(("quality",), "criterion_score", {"min": 0, "max": 1})]


def test_a_profile_names_missing_and_unknown_criteria():
    with pytest.raises(ValidationError) as info:
        Profile.model_validate({"quality": 0.9, "beauty": 0.5})
    found = {(loc, kind) for loc, kind, _ctx in error_types(info.value)}
    assert found == {((c,), "missing") for c in CRITERIA if c != "quality"} | {(("beauty",), "extra_forbidden")}


@given(st.dictionaries(st.sampled_from(CRITERIA), st.floats(min_value=0, max_value=1), min_size=7))
def test_scores_keep_four_decimals_and_stay_within_0_and_1(scores):
    profile = Profile(**scores)
    for criterion, score in profile.items():
        assert 0 <= score <= 1 and score == round(scores[criterion], 4)


def test_the_api_document_states_the_ranges():
    class Model(BaseModel):
        amount: Won
        score: Score

    properties = Model.model_json_schema()["properties"]
    assert (properties["amount"]["minimum"], properties["amount"]["maximum"]) == (0, MAX_WON)
    assert (properties["score"]["minimum"], properties["score"]["maximum"]) == (0, 1)
