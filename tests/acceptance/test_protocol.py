"""The protocol: what it accepts, what it refuses (naming the field), how it rounds."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from acceptance import (FALLBACK, METRICS, SUGGESTIONS, AcceptanceError, DataKind, Direction,
                        Metric, Protocol, suggestions)

from .conftest import OK_DEFECT


def refused(**kw) -> AcceptanceError:
    values = {"kpi": "KPI", "metric": "mae", "target": "1"} | kw
    with pytest.raises(AcceptanceError) as info:
        Protocol(**values)
    return info.value


# --- defaults ---------------------------------------------------------------------------

def test_defaults_come_from_the_metric():
    p = Protocol("수요 예측 오차", "mape", 8)
    assert (p.metric, p.direction, p.unit, p.data, p.decimals) == (
        Metric.MAPE, Direction.LOWER_IS_BETTER, "%", DataKind.HOLDOUT, 1)
    assert p.target == Decimal(8)


def test_rounding_defaults_to_the_targets_own_places():
    assert Protocol("k", "mape", "7.25").decimals == 2
    assert Protocol("k", "mape", "7").decimals == 1


def test_a_measured_value_keeps_the_smes_unit_and_direction():
    p = Protocol("시간당 생산량", "measured_value", "120", unit="개/시간", direction="higher",
                 period="검수 4주간의 MES 생산 실적")
    assert (p.data, p.direction, p.unit) == (DataKind.MEASURED, Direction.HIGHER_IS_BETTER,
                                             "개/시간")


def test_floats_are_taken_by_their_shortest_repr():
    assert Protocol("k", "mae", 0.1).target == Decimal("0.1")


# --- refusals, each naming its field ----------------------------------------------------------

@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"kpi": " "}, "kpi", "text_required"),
    ({"metric": "r2"}, "metric", "unknown_choice"),
    ({"target": "abc"}, "target", "target_not_number"),
    ({"target": "NaN"}, "target", "target_not_number"),
    ({"target": "-1"}, "target", "target_below_minimum"),
    ({"metric": "accuracy", "target": "101"}, "target", "target_out_of_range"),
    ({"metric": "defect_ppm", "target": "1000001", "classes": OK_DEFECT,
      "positive_class": "불량"}, "target", "target_out_of_range"),
    ({"metric": "accuracy", "target": "0.9", "classes": OK_DEFECT}, "target",
     "target_looks_like_fraction"),
    ({"target": "1.234", "decimals": 2}, "target", "target_more_decimals"),
    ({"decimals": 7}, "decimals", "decimals_range"),
    ({"decimals": True}, "decimals", "decimals_range"),
    ({"direction": "higher"}, "direction", "direction_fixed"),
    ({"metric": "measured_value", "unit": "개", "period": "3월"}, "direction",
     "direction_required"),
    ({"metric": "mape", "unit": "개"}, "unit", "unit_fixed"),
    ({"metric": "measured_value", "direction": "lower", "period": "3월"}, "unit",
     "unit_required"),
    ({"metric": "measured_value", "direction": "lower", "unit": "원/월"}, "period",
     "period_required"),
    ({"metric": "measured_value", "direction": "lower", "unit": "원/월", "period": "3월",
      "data": "holdout"}, "data", "data_kind_not_allowed"),
    ({"data": "guess"}, "data", "unknown_choice"),
    ({"metric": "recall", "target": "90"}, "classes", "classes_required"),
    ({"metric": "recall", "target": "90", "classes": ("불량",), "positive_class": "불량"},
     "classes", "classes_required"),
    ({"metric": "recall", "target": "90", "classes": ("양품", "불량", "양품"),
      "positive_class": "불량"}, "classes", "classes_duplicate"),
    ({"metric": "recall", "target": "90", "classes": OK_DEFECT}, "positive_class",
     "positive_class_required"),
    ({"metric": "recall", "target": "90", "classes": OK_DEFECT, "positive_class": "NG"},
     "positive_class", "positive_class_not_in_classes"),
    ({"metric": "accuracy", "target": "90", "classes": OK_DEFECT, "positive_class": "불량"},
     "positive_class", "positive_class_not_for_metric"),
    ({"classes": OK_DEFECT}, "classes", "classes_not_for_metric"),
    ({"kpi": "a\x00b"}, "kpi", "text_control_chars"),
])
def test_a_bad_protocol_is_refused_naming_the_field(changes, field, code):
    error = refused(**changes)
    assert (error.field, error.code) == (field, code)
    korean, english = error.text("ko"), error.text("en")
    assert korean != english and any("가" <= c <= "힣" for c in korean)


def test_every_problem_of_a_protocol_is_reported_at_once():
    error = refused(kpi="", target="x", decimals=9, direction="higher")
    assert {m.field for m in error.messages} == {"kpi", "target", "decimals", "direction"}


def test_the_fixed_direction_is_named_in_the_users_language():
    error = refused(metric="rmse", direction="higher")
    assert "낮을수록 좋습니다" in error.text("ko")
    assert "lower is better" in error.text("en")


def test_measured_classification_metrics_need_no_classes():
    p = Protocol("현장 검출률", "recall", 95, data="measured", period="4주 현장 검사 기록")
    assert p.data is DataKind.MEASURED and p.classes == ()


def test_class_labels_are_compared_as_written_after_trimming():
    p = Protocol("k", "recall", 90, classes=(" OK ", "1.0"), positive_class="1")
    assert p.classes == ("OK", "1") and p.positive_class == "1"


# --- rounding happens before the comparison -----------------------------------------------------

@pytest.mark.parametrize(("value", "passes"), [
    ("8.0", True),     # exactly at the target
    ("8.04", True),    # rounds down to 8.0
    ("8.05", False),   # a tie rounds up (half up), to 8.1
    ("8.0499999", True),
    ("7.9", True),
    ("8.1", False),
])
def test_lower_is_better_rounds_then_compares(value, passes):
    p = Protocol("k", "mape", "8.0")
    assert p.passes(Decimal(value)) is passes


@pytest.mark.parametrize(("value", "passes"), [
    ("95.0", True),    # exactly at the target
    ("94.95", True),   # a tie rounds up to 95.0 — and passes
    ("94.9499", False),
    ("95.04", True),
    ("94.9", False),
])
def test_higher_is_better_rounds_then_compares(value, passes):
    p = Protocol("k", "recall", "95", classes=OK_DEFECT, positive_class="불량")
    assert p.decimals == 1
    assert p.passes(Decimal(value)) is passes


def test_whole_number_rounding():
    p = Protocol("k", "defect_ppm", 500, classes=OK_DEFECT, positive_class="불량")
    assert p.decimals == 0
    assert p.passes(Decimal("500.49")) and not p.passes(Decimal("500.5"))


def test_negative_measured_values_round_half_away_from_zero():
    p = Protocol("손익", "measured_value", "-2.35", unit="백만원/월", direction="higher",
                 period="3월 결산", decimals=2)
    assert p.rounded(Decimal("-2.345")) == Decimal("-2.35")
    assert p.passes(Decimal("-2.345"))


# --- the agreement's text and storage -------------------------------------------------------

def test_describe_states_the_rounding_and_the_comparison():
    p = Protocol("불량 검출률", "recall", "95", classes=OK_DEFECT, positive_class="불량")
    ko, en = p.describe("ko"), p.describe("en")
    assert "소수점 아래 1자리로 반올림(사사오입)한 값이 95.0% 이상" in ko
    assert "'불량'" in ko and "봉인된 홀드아웃" in ko
    assert "rounded half up to 1 decimal place, is at least 95.0%" in en


def test_describe_a_measured_kpi_names_its_period():
    p = Protocol("월 전력 사용량", "measured_value", "42000", unit="kWh/월", direction="lower",
                 period="2025년 3월 한전 고지서")
    assert "2025년 3월 한전 고지서" in p.describe("ko")
    assert "at most 42,000.00 kWh/월" in p.describe("en")
    assert p.describe("ko").startswith("월 전력 사용량: 측정값은 ")


def test_round_trip_through_json():
    p = Protocol("불량 검출률", "recall", "95.5", classes=OK_DEFECT, positive_class="불량",
                 period="2024년 하반기 검사 이미지")
    again = Protocol.from_dict(json.loads(json.dumps(p.to_dict())))
    assert again == p


# --- what the wizard offers ---------------------------------------------------------------------

def test_every_problem_type_has_suggestions_that_build_valid_protocols():
    from matching import taxonomy  # the codes the wizard uses

    codes = {t.code for t in taxonomy.problem_types()}
    assert set(SUGGESTIONS) == codes
    for code in codes:
        for suggestion in suggestions(code):
            target = 50 if METRICS[suggestion.metric].percent else 10
            changes = {"classes": ("A", "B")} if (suggestion.metric is Metric.ACCURACY
                                                 and suggestion.data is DataKind.HOLDOUT) else {}
            if suggestion.data is DataKind.MEASURED:
                changes["period"] = "검수 기간"
            protocol = suggestion.protocol(target, **changes)
            assert protocol.metric is suggestion.metric


def test_forecasting_suggests_mape_and_inspection_the_defect_class():
    assert suggestions("demand_forecasting")[0].metric is Metric.MAPE
    inspection = suggestions("visual_inspection")
    assert inspection[0].metric is Metric.RECALL and inspection[0].positive_class == "불량"
    assert Metric.DEFECT_PPM in {s.metric for s in inspection}


def test_several_problem_types_merge_without_repeats_and_unknown_falls_back():
    merged = suggestions(["process_optimization", "scheduling"])
    assert len(merged) == len({(s.metric, s.kpi.ko) for s in merged}) == 4
    assert suggestions("quantum_teleportation") == FALLBACK
