"""Evaluation: the holdout fits the metrics, the predictions fit the holdout, the verdicts."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import pytest

from acceptance import (AcceptanceError, Protocol, Role, check_holdout, evaluate, measure,
                        read_table)

from .conftest import classifier, csv_bytes, predictions, table, xlsx_bytes

MAPE = Protocol("수요 예측 오차", "mape", "8")
MAE = Protocol("수요 예측 절대 오차", "mae", "5", unit="개")


def refused(call, *args) -> AcceptanceError:
    with pytest.raises(AcceptanceError) as info:
        call(*args)
    return info.value


# --- does the holdout fit the metric? -------------------------------------------------------

def test_f1_on_a_numeric_regression_target_is_refused():
    holdout = table([str(100 + i * 1.5) for i in range(40)])
    error = refused(check_holdout, [classifier("f1", 80)], holdout)
    assert error.code == "looks_like_regression"
    assert "서로 다른 숫자가 40개" in error.text("ko")
    assert "MAE, RMSE or MAPE" in error.text("en")


def test_numeric_classes_that_were_agreed_are_classes():
    holdout = table([str(i % 25) for i in range(50)])
    protocol = Protocol("등급 정확도", "accuracy", 90, classes=[str(i) for i in range(25)])
    check_holdout([protocol], holdout)  # 25 distinct numbers, every one an agreed class


def test_a_label_outside_the_agreed_classes_is_named():
    holdout = table(["양품", "불량", "NG", "양품"])
    error = refused(check_holdout, [classifier("recall", 90)], holdout)
    assert (error.code, error.row, error.column) == ("label_not_in_classes", 4, "B")
    assert error.text("ko") == "4행 B열('정답'): 'NG'은(는) 약정한 분류(양품, 불량) 중 하나가 아닙니다."


def test_a_regression_metric_needs_numeric_truths_named_by_row():
    holdout = table(["12", "15", "불량", "1e400"])
    error = refused(check_holdout, [MAE], holdout)
    assert [(m.code, m.row, m.column) for m in error.messages] == [
        ("regression_needs_numbers", 4, "B"), ("number_out_of_range", 5, "B")]
    assert "MAE에는 숫자로 된 실제값이 필요합니다. 4행 B열('정답')의 '불량'" in error.text("ko")


def test_mape_with_zero_truths_names_the_rows():
    holdout = table(["10", "0", "5", "0.0"])
    error = refused(check_holdout, [MAE, MAPE], holdout)
    assert error.code == "mape_zero_truth"
    assert "rows 3, 5, column B" in error.text("en")
    check_holdout([MAE], holdout)  # MAE has no trouble with zeros


def test_the_class_measured_for_must_occur_in_the_holdout():
    holdout = table(["양품", "양품", "양품"])
    error = refused(check_holdout, [classifier("recall", 90)], holdout)
    assert (error.code, error.field) == ("positive_class_absent", "positive_class")
    assert "'불량' 행이 하나도 없어" in error.text("ko")


def test_numbers_and_classes_do_not_share_a_holdout():
    error = refused(check_holdout, [MAE, classifier("f1", 80)], table(["1", "2"]))
    assert error.code == "mixed_families"


def test_kpis_on_one_holdout_agree_on_the_classes():
    other = Protocol("k", "recall", 90, classes=("OK", "불량"), positive_class="불량")
    error = refused(check_holdout, [classifier("f1", 80), other], table(["불량"]))
    assert error.code == "classes_differ"


def test_a_measured_kpi_is_not_evaluated_on_a_holdout():
    measured = Protocol("시간당 생산량", "measured_value", 10, unit="개/시간",
                        direction="higher", period="3월")
    error = refused(check_holdout, [measured], table(["1"]))
    assert error.code == "not_holdout" and "시간당 생산량" in error.text("ko")


def test_no_protocol():
    assert refused(check_holdout, [], table(["1"])).code == "no_protocols"


# --- do the predictions fit the holdout? ---------------------------------------------------

def test_missing_extra_and_duplicate_ids_are_named_and_nothing_is_computed():
    holdout = table(["1", "2", "3", "4", "5", "6", "7"],
                    ids=["d01", "d02", "d03", "d04", "d05", "d06", "d07"])
    predicted = predictions(["1", "2", "3"], ids=["d01", "x99", "d03"])
    error = refused(evaluate, [MAE], holdout, predicted)
    assert error.codes == ("missing_ids", "extra_ids")
    assert error.messages[0].text("ko") == (
        "예측 파일에 홀드아웃의 ID 5개가 없습니다: 'd02', 'd04', 'd05', 'd06', 'd07'.")
    assert error.messages[1].text("en") == (
        "The predictions have 1 ids that are not in the holdout: 'x99'.")


def test_only_the_first_few_missing_ids_are_listed():
    holdout = table(["1"] * 8, ids=[f"n{i}" for i in range(8)])
    error = refused(evaluate, [MAE], holdout, predictions(["1"], ids=["n0"]))
    assert error.text("en").endswith("'n1', 'n2', 'n3', 'n4', 'n5' ….")


def test_duplicate_prediction_ids_are_refused_when_read():
    data = csv_bytes(("id", "예측값"), [("1", "5"), ("2", "6"), ("1", "7")])
    with pytest.raises(AcceptanceError) as info:
        read_table(data, role=Role.PREDICTIONS)
    assert info.value.code == "duplicate_ids" and "'1' (rows 2, 4)" in info.value.text("en")


def test_a_table_with_repeated_ids_built_by_hand_is_refused_too():
    holdout = table(["1", "2"])
    good = predictions(["1", "2"])
    forged = dataclasses.replace(good, ids=("1", "2", "1"), values=("1", "2", "3"),
                                 rows=(2, 3, 4))
    error = refused(evaluate, [MAE], holdout, forged)
    assert "'1' (rows 2, 4)" in error.text("en")


def test_non_numeric_predictions_are_named_by_row_and_column():
    holdout = table(["1", "2", "3"])
    predicted = predictions(["1.5", "N/A", "abc"])
    error = refused(evaluate, [MAE], holdout, predicted)
    assert [(m.code, m.row, m.column) for m in error.messages] == [
        ("not_a_number", 3, "B"), ("not_a_number", 4, "B")]
    assert error.messages[0].text("ko") == "3행 B열('예측값'): 'N/A'은(는) 숫자가 아닙니다."


def test_a_predicted_class_outside_the_agreed_classes_is_named():
    holdout = table(["양품", "불량"])
    error = refused(evaluate, [classifier("recall", 90)], holdout,
                    predictions(["양품", "ng"]))
    assert (error.code, error.row, error.column) == ("label_not_in_classes", 3, "B")


# --- verdicts --------------------------------------------------------------------------------

def test_numbers_as_excel_writes_them_are_read():
    holdout = table(["1,000", "2,000", "１２"])   # thousands separators, full-width digits
    predicted = predictions(["1.1E+3", "2000", "12"])
    result = evaluate([MAE], holdout, predicted).results[0]
    assert result.value == Decimal("33.33")   # (100 + 0 + 0) / 3


def test_an_xlsx_holdout_with_cp949_csv_predictions():
    holdout = read_table(xlsx_bytes(("번호", "실제값"), [(1, 100), (2, 200), (3, 400)]))
    predicted = read_table(csv_bytes(("번호", "예측값"), [("3", "400"), ("1", "110"),
                                                       ("2", "180")], encoding="cp949"),
                           role=Role.PREDICTIONS)
    evaluation = evaluate([MAPE, MAE], holdout, predicted)
    assert [r.value for r in evaluation.results] == [Decimal("6.7"), Decimal("10.00")]
    assert [r.passed for r in evaluation.results] == [True, False]
    assert (evaluation.passed, evaluation.passed_count) == (False, 1)
    assert evaluation.summary("ko") == "KPI 달성 1/2"
    assert evaluation.results[0].summary("ko") == "수요 예측 오차: MAPE 6.7% (목표 8.0% 이하) — 달성"
    assert evaluation.results[1].summary("en") == (
        "수요 예측 절대 오차: MAE 10.00 개 (target: at most 5.00 개) — not met")
    assert evaluation.holdout_sha256 == holdout.sha256
    assert evaluation.predictions_sha256 == predicted.sha256


def test_the_result_for_the_api_holds_no_truth():
    holdout = table(["314159", "271828"])
    evaluation = evaluate([MAE], holdout, predictions(["314158", "271829"]))
    public = json.dumps(evaluation.to_dict(), ensure_ascii=False)
    public += json.dumps(dataclasses.asdict(evaluation), default=str, ensure_ascii=False)
    assert "314159" not in public and "271828" not in public
    assert evaluation.to_dict()["results"][0]["value"] == "1.00"
    assert evaluation.pairs()[0] == (Decimal(314159), Decimal(271828))  # for the SME's chart


# --- measured KPIs ------------------------------------------------------------------------------

UNITS_PER_HOUR = Protocol("시간당 생산량", "measured_value", "120", unit="개/시간",
                          direction="higher", period="검수 4주간 MES 생산 실적")


def test_a_measured_value_with_evidence():
    result = measure(UNITS_PER_HOUR, "1,250.5", evidence="MES 주간 보고서 4부")
    assert (result.value, result.passed, result.evidence) == (
        Decimal("1250.50"), True, "MES 주간 보고서 4부")
    assert result.summary("ko") == "시간당 생산량: 측정값 1,250.50 개/시간 (목표 120.00 개/시간 이상) — 달성"


def test_a_measured_value_exactly_at_the_target_passes_after_rounding():
    assert measure(UNITS_PER_HOUR, "119.995", evidence="기록").passed
    assert not measure(UNITS_PER_HOUR, "119.994", evidence="기록").passed


def test_a_measured_defect_rate_in_ppm():
    protocol = Protocol("공정 불량률", "defect_ppm", 800, data="measured", period="3월 생산분")
    assert measure(protocol, 799.5, evidence="품질 월보").value == Decimal(800)


@pytest.mark.parametrize(("value", "evidence", "codes"), [
    ("많음", "기록", ("measured_not_number",)),
    (float("nan"), "기록", ("measured_not_number",)),
    ("100", "  ", ("evidence_required",)),
    ("x", "", ("measured_not_number", "evidence_required")),
])
def test_a_bad_measured_value(value, evidence, codes):
    error = refused(lambda: measure(UNITS_PER_HOUR, value, evidence=evidence))
    assert error.codes == codes


def test_a_measured_percentage_must_be_possible():
    protocol = Protocol("공정 불량률", "defect_rate", 2, data="measured", period="3월 생산분")
    error = refused(lambda: measure(protocol, "120", evidence="품질 월보"))
    assert (error.code, error.field) == ("measured_out_of_range", "value")


def test_a_holdout_kpi_is_not_measured_by_hand():
    error = refused(lambda: measure(MAPE, "3", evidence="trust me"))
    assert error.code == "not_measured"


def test_check_holdout_accepts_a_holdout_that_fits(defect_files):
    holdout, _ = defect_files
    check_holdout([classifier(m, 50) for m in ("precision", "recall", "f1")]
                  + [classifier("defect_ppm", 1000)], holdout)
