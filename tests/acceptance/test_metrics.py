"""Each metric against values worked out by hand (the arithmetic is written here)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from acceptance import Metric, Protocol, evaluate
from acceptance.metrics import MetricMismatch, regression_value

from .conftest import classifier, predictions, table

# Truths 100, 200, 400; predictions 110, 180, 400: errors +10, -20, 0.
TRUTH = ["100", "200", "400"]
PREDICTED = ["110", "180", "400"]


def evaluate_one(protocol, truth=TRUTH, predicted=PREDICTED):
    return evaluate([protocol], table(truth), predictions(predicted)).results[0]


def test_mae_is_the_mean_absolute_error():
    result = evaluate_one(Protocol("오차", Metric.MAE, "10", unit="개"))
    assert result.exact == Decimal(10 + 20 + 0) / 3
    assert result.value == Decimal("10.00")
    assert result.counts == {"rows": 3}


def test_rmse_is_the_root_of_the_mean_squared_error():
    result = evaluate_one(Protocol("오차", Metric.RMSE, "13", unit="개"))
    mean_square = Decimal(10**2 + 20**2 + 0**2) / 3          # 166.666...
    assert abs(result.exact - mean_square.sqrt()) < Decimal("1e-25")
    assert result.value == Decimal("12.91")                  # 12.9099...
    assert result.passed


def test_mape_is_the_mean_relative_error_in_percent():
    result = evaluate_one(Protocol("오차", Metric.MAPE, "7"))
    # (10/100 + 20/200 + 0/400) / 3 × 100 = 0.2 / 3 × 100 = 6.666...%
    assert abs(result.exact - Decimal(20) / 3) < Decimal("1e-25")
    assert result.value == Decimal("6.7")
    assert result.passed


def test_mape_uses_the_absolute_truth_for_negative_values():
    result = evaluate_one(Protocol("오차", Metric.MAPE, "50"), ["-50", "200"], ["-25", "200"])
    assert result.exact == Decimal(25)   # (25/50 + 0) / 2 × 100


@pytest.mark.parametrize(("metric", "positive", "expected", "counts"), [
    # accuracy = (tp + tn) / n = (3 + 4) / 10
    ("accuracy", None, Decimal("70"), {"rows": 10, "correct": 7}),
    # precision = tp / (tp + fp) = 3 / 4
    ("precision", "불량", Decimal("75"), {"rows": 10, "tp": 3, "fp": 1, "fn": 2, "tn": 4}),
    # recall = tp / (tp + fn) = 3 / 5
    ("recall", "불량", Decimal("60"), {"rows": 10, "tp": 3, "fp": 1, "fn": 2, "tn": 4}),
    # F1 = 2tp / (2tp + fp + fn) = 6 / 9
    ("f1", "불량", Decimal(600) / 9, {"rows": 10, "tp": 3, "fp": 1, "fn": 2, "tn": 4}),
    # escaped defects = fn / n = 2 / 10
    ("defect_rate", "불량", Decimal("20"), {"rows": 10, "tp": 3, "fp": 1, "fn": 2, "tn": 4}),
    ("defect_ppm", "불량", Decimal("200000"), {"rows": 10, "tp": 3, "fp": 1, "fn": 2, "tn": 4}),
])
def test_classification_metrics(defect_files, metric, positive, expected, counts):
    holdout, predicted = defect_files
    result = evaluate([classifier(metric, 50 if "defect" not in metric else 30,
                                  positive=positive)], holdout, predicted).results[0]
    assert abs(result.exact - expected) < Decimal("1e-25")
    assert dict(result.counts) == counts


def test_precision_and_recall_of_the_other_class_differ(defect_files):
    holdout, predicted = defect_files
    # for 양품: tp = 4, fp = 2 (missed defects), fn = 1
    results = evaluate([classifier("precision", 50, positive="양품"),
                        classifier("recall", 50, positive="양품")], holdout, predicted).results
    assert abs(results[0].exact - Decimal(400) / 6) < Decimal("1e-25")
    assert results[1].exact == Decimal(80)


def test_precision_is_zero_when_nothing_is_predicted_positive():
    result = evaluate([classifier("precision", 50)], table(["불량", "양품"]),
                      predictions(["양품", "양품"])).results[0]
    assert result.exact == 0 and not result.passed


def test_confusion_matrix_rows_are_actual_columns_predicted(defect_files):
    holdout, predicted = defect_files
    evaluation = evaluate([classifier("accuracy", 50, positive=None)], holdout, predicted)
    assert evaluation.classes == ("양품", "불량")
    assert evaluation.matrix == ((4, 1), (2, 3))


def test_multiclass_accuracy():
    truth = ["a", "b", "c", "a"]
    predicted = ["a", "c", "c", "b"]
    result = evaluate([Protocol("k", "accuracy", 50, classes=("a", "b", "c"))],
                      table(truth), predictions(predicted)).results[0]
    assert result.exact == 50   # 2 of 4


def test_a_tie_rounds_up_although_floating_point_falls_short():
    """errors 3.5, 7.1, 2.6, 67.7: MAE = 80.9 / 4 = 20.225 exactly, which rounds half up
    to 20.23. scikit-learn's float64 gives 20.224999999999998 (which would round to
    20.22): the value compared is the decimal one."""
    truth, predicted = ["89.8", "15.4", "94.6", "4"], ["86.3", "8.3", "92", "71.7"]
    result = evaluate_one(Protocol("오차", "mae", "20.22"), truth, predicted)
    assert result.exact == Decimal("20.225")
    assert result.value == Decimal("20.23")
    assert not result.passed
    assert evaluate_one(Protocol("오차", "mae", "20.23"), truth, predicted).passed


def test_a_disagreement_with_scikit_learn_stops_the_evaluation(monkeypatch):
    from acceptance import metrics

    monkeypatch.setattr(metrics.skm, "mean_absolute_error", lambda *a, **k: 99.0)
    with pytest.raises(MetricMismatch):
        regression_value(Metric.MAE, [Decimal(1)], [Decimal(2)])
