"""The metrics: what each one means, what data it needs, and how it is computed.

scikit-learn computes every metric (the confusion matrix and the scores for
classification; MAE, RMSE and MAPE for numbers). The value compared with the target is
computed from the same decimal inputs in decimal arithmetic (classification from
scikit-learn's integer counts, numbers with 60 significant digits), so that a value
exactly on a rounding tie rounds as written; the two must agree to one part in 10^9,
otherwise :class:`MetricMismatch` stops the evaluation (a bug, never the user's fault).

Scales: MAPE, accuracy, precision, recall, F1 and the defect rate are percentages
(0-100, ``"%"``); the defect rate in ppm is per million items; MAE and RMSE are in the
unit of the data.
"""

from __future__ import annotations

import decimal
import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

import numpy as np
from sklearn import metrics as skm

from .messages import Text
from .numbers import LIMIT, WORKING_PRECISION, snap

__all__ = ["METRICS", "DataKind", "Direction", "Family", "Metric", "MetricInfo",
           "MetricMismatch", "classification_value", "confusion", "encode", "regression_value"]


class Direction(enum.StrEnum):
    """Which way is better. The values match ``contracts.terms.Direction`` and the
    problem's ``KpiDirection`` (``"higher"``, ``"lower"``)."""

    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"

    def label(self, lang: str = "ko") -> str:
        return _DIRECTION_LABELS[self].get(lang)


_DIRECTION_LABELS = {
    Direction.HIGHER_IS_BETTER: Text("높을수록 좋습니다", "higher is better"),
    Direction.LOWER_IS_BETTER: Text("낮을수록 좋습니다", "lower is better"),
}


class DataKind(enum.StrEnum):
    """What a KPI is measured on."""

    HOLDOUT = "holdout"    # the vendor's predictions against the SME's sealed truth file
    MEASURED = "measured"  # a value the SME enters with evidence

    def label(self, lang: str = "ko") -> str:
        return _DATA_KIND_LABELS[self].get(lang)


_DATA_KIND_LABELS = {
    DataKind.HOLDOUT: Text("봉인된 홀드아웃 데이터", "a sealed holdout set"),
    DataKind.MEASURED: Text("증빙과 함께 입력한 측정값", "a measured value entered with evidence"),
}


class Family(enum.StrEnum):
    """The kind of truth a metric needs."""

    REGRESSION = "regression"          # numeric truths and predictions
    CLASSIFICATION = "classification"  # labels from an agreed list of classes
    MEASURED = "measured"              # no truth file: one measured value


class Metric(enum.StrEnum):
    MAPE = "mape"
    MAE = "mae"
    RMSE = "rmse"
    ACCURACY = "accuracy"
    PRECISION = "precision"
    RECALL = "recall"
    F1 = "f1"
    DEFECT_RATE = "defect_rate"      # percent
    DEFECT_PPM = "defect_ppm"        # parts per million
    MEASURED_VALUE = "measured_value"

    @property
    def info(self) -> MetricInfo:
        return METRICS[self]

    def label(self, lang: str = "ko") -> str:
        return METRICS[self].label.get(lang)


@dataclass(frozen=True)
class MetricInfo:
    """Everything fixed about a metric; the wizard offers these as choices."""

    metric: Metric
    short: Text                   # "MAPE", "재현율" — for messages and tables
    label: Text                   # "MAPE(평균 절대 백분율 오차)" — for choices
    family: Family
    data_kinds: tuple[DataKind, ...]
    direction: Direction | None   # None: the SME chooses (measured value)
    unit: str | None              # None: the SME's unit (MAE, RMSE, measured value)
    minimum: Decimal | None
    maximum: Decimal | None
    decimals: int                 # the default rounding
    needs_positive_class: bool    # on a holdout: the class it is measured for
    holdout_formula: Text | None  # how it is computed on a holdout ({positive} = the class)
    measured_formula: Text        # what the measured value is

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    def formula(self, data: DataKind, lang: str = "ko", positive: str = "") -> str:
        text = self.holdout_formula if data is DataKind.HOLDOUT else self.measured_formula
        return (text or self.measured_formula).get(lang).format(positive=positive)

    def to_dict(self) -> dict:
        """A JSON-friendly description (for the wizard's choices and the API)."""
        return {
            "metric": self.metric.value, "short": {"ko": self.short.ko, "en": self.short.en},
            "label": {"ko": self.label.ko, "en": self.label.en}, "family": self.family.value,
            "data_kinds": [k.value for k in self.data_kinds],
            "direction": self.direction.value if self.direction else None, "unit": self.unit,
            "minimum": None if self.minimum is None else str(self.minimum),
            "maximum": None if self.maximum is None else str(self.maximum),
            "decimals": self.decimals, "needs_positive_class": self.needs_positive_class,
        }


_BOTH = (DataKind.HOLDOUT, DataKind.MEASURED)
_LOWER, _HIGHER = Direction.LOWER_IS_BETTER, Direction.HIGHER_IS_BETTER
_HUNDRED = Decimal(100)
_MILLION = Decimal(1_000_000)
_OPERATIONAL = Text("측정 기간의 운영 데이터로 계산해 증빙과 함께 입력한 값",
                    "computed on the operating data of the measurement period and entered "
                    "with evidence")


def _info(metric, short, label, family, data_kinds, direction, unit, minimum, maximum,
          decimals, positive, holdout, measured=_OPERATIONAL) -> MetricInfo:
    return MetricInfo(metric, Text(*short), Text(*label), family, data_kinds, direction, unit,
                      minimum, maximum, decimals, positive, holdout and Text(*holdout), measured)


METRICS: Mapping[Metric, MetricInfo] = MappingProxyType({m.metric: m for m in (
    _info(Metric.MAPE, ("MAPE", "MAPE"), ("MAPE(평균 절대 백분율 오차)",
                                         "MAPE (mean absolute percentage error)"),
          Family.REGRESSION, _BOTH, _LOWER, "%", Decimal(0), None, 1, False,
          ("각 행의 |예측값 − 실제값| ÷ |실제값|의 평균 × 100",
           "the mean over the rows of |predicted − actual| ÷ |actual|, × 100")),
    _info(Metric.MAE, ("MAE", "MAE"), ("MAE(평균 절대 오차)", "MAE (mean absolute error)"),
          Family.REGRESSION, _BOTH, _LOWER, None, Decimal(0), None, 2, False,
          ("각 행의 |예측값 − 실제값|의 평균(실제값의 단위)",
           "the mean over the rows of |predicted − actual|, in the unit of the data")),
    _info(Metric.RMSE, ("RMSE", "RMSE"), ("RMSE(평균 제곱근 오차)",
                                         "RMSE (root mean squared error)"),
          Family.REGRESSION, _BOTH, _LOWER, None, Decimal(0), None, 2, False,
          ("(예측값 − 실제값)²의 평균의 제곱근(실제값의 단위)",
           "the square root of the mean of (predicted − actual)², in the unit of the data")),
    _info(Metric.ACCURACY, ("정확도", "accuracy"), ("정확도(%)", "Accuracy (%)"),
          Family.CLASSIFICATION, _BOTH, _HIGHER, "%", Decimal(0), _HUNDRED, 1, False,
          ("예측한 분류가 실제 분류와 같은 행의 비율 × 100",
           "the share of rows whose predicted class is the actual class, × 100")),
    _info(Metric.PRECISION, ("정밀도", "precision"), ("정밀도(%)", "Precision (%)"),
          Family.CLASSIFICATION, _BOTH, _HIGHER, "%", Decimal(0), _HUNDRED, 1, True,
          ("'{positive}'(으)로 예측한 행 중 실제로 '{positive}'인 행의 비율 × 100"
           "('{positive}'(으)로 예측한 행이 없으면 0)",
           "of the rows predicted '{positive}', the share that are '{positive}', × 100 "
           "(0 if no row is predicted '{positive}')")),
    _info(Metric.RECALL, ("재현율", "recall"), ("재현율·검출률(%)", "Recall, detection rate (%)"),
          Family.CLASSIFICATION, _BOTH, _HIGHER, "%", Decimal(0), _HUNDRED, 1, True,
          ("실제로 '{positive}'인 행 중 '{positive}'(으)로 예측한 행의 비율 × 100",
           "of the rows that are '{positive}', the share predicted '{positive}', × 100")),
    _info(Metric.F1, ("F1 점수", "F1 score"), ("F1 점수(%)", "F1 score (%)"),
          Family.CLASSIFICATION, _BOTH, _HIGHER, "%", Decimal(0), _HUNDRED, 1, True,
          ("'{positive}' 분류의 정밀도와 재현율의 조화평균 = 2·TP ÷ (2·TP + FP + FN) × 100",
           "the harmonic mean of precision and recall for '{positive}' "
           "= 2·TP ÷ (2·TP + FP + FN), × 100")),
    _info(Metric.DEFECT_RATE, ("불량률", "defect rate"), ("불량률(%)", "Defect rate (%)"),
          Family.CLASSIFICATION, _BOTH, _LOWER, "%", Decimal(0), _HUNDRED, 2, True,
          ("실제로 '{positive}'인데 '{positive}'(으)로 걸러내지 못한 행(유출 불량)의 수 ÷ "
           "전체 행 수 × 100",
           "the number of rows that are '{positive}' but were not predicted '{positive}' "
           "(escaped defects) ÷ the number of rows, × 100"),
          Text("측정 기간의 불량 수 ÷ 생산 수 × 100(증빙과 함께 입력)",
               "defective items ÷ items produced in the measurement period, × 100 "
               "(entered with evidence)")),
    _info(Metric.DEFECT_PPM, ("불량률(ppm)", "defect rate (ppm)"),
          ("불량률(ppm)", "Defect rate (ppm)"),
          Family.CLASSIFICATION, _BOTH, _LOWER, "ppm", Decimal(0), _MILLION, 0, True,
          ("실제로 '{positive}'인데 '{positive}'(으)로 걸러내지 못한 행(유출 불량)의 수 ÷ "
           "전체 행 수 × 1,000,000",
           "the number of rows that are '{positive}' but were not predicted '{positive}' "
           "(escaped defects) ÷ the number of rows, × 1,000,000"),
          Text("측정 기간의 불량 수 ÷ 생산 수 × 1,000,000(증빙과 함께 입력)",
               "defective items ÷ items produced in the measurement period, × 1,000,000 "
               "(entered with evidence)")),
    _info(Metric.MEASURED_VALUE, ("측정값", "measured value"), ("측정값(단위 직접 입력)",
                                                            "Measured value (your unit)"),
          Family.MEASURED, (DataKind.MEASURED,), None, None, -LIMIT, LIMIT, 2, False, None,
          Text("측정 기간에 기록하여 증빙과 함께 입력한 값",
               "the value recorded in the measurement period, entered with evidence")),
)})


class MetricMismatch(RuntimeError):
    """scikit-learn and the decimal computation disagree: a bug, not a user error."""


# --- computation ----------------------------------------------------------------------

def _ratio(numerator: int, denominator: int, scale: Decimal) -> Decimal:
    if denominator == 0:
        return Decimal(0)
    fraction = Fraction(numerator, denominator) * Fraction(scale)
    with decimal.localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        return snap(Decimal(fraction.numerator) / Decimal(fraction.denominator))


def _check(metric: Metric, exact: Decimal, learned: float) -> None:
    if not math.isclose(float(exact), learned, rel_tol=1e-9, abs_tol=1e-9):
        raise MetricMismatch(f"{metric.value}: decimal {exact} vs scikit-learn {learned!r}")


def regression_value(metric: Metric, truths: Sequence[Decimal],
                     predictions: Sequence[Decimal]) -> Decimal:
    """MAE, RMSE or MAPE (in %) of ``predictions`` against ``truths`` (same order, n ≥ 1).

    MAPE needs every truth non-zero (checked before, with the rows named).
    """
    n = len(truths)
    y_true = np.array([float(t) for t in truths], dtype=np.float64)
    y_pred = np.array([float(p) for p in predictions], dtype=np.float64)
    with decimal.localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        errors = [p - t for t, p in zip(truths, predictions, strict=True)]
        if metric is Metric.MAE:
            exact = sum((abs(e) for e in errors), Decimal(0)) / n
            learned = skm.mean_absolute_error(y_true, y_pred)
        elif metric is Metric.RMSE:
            exact = (sum((e * e for e in errors), Decimal(0)) / n).sqrt()
            learned = skm.root_mean_squared_error(y_true, y_pred)
        elif metric is Metric.MAPE:
            exact = sum((abs(e) / abs(t) for e, t in zip(errors, truths, strict=True)),
                        Decimal(0)) / n * _HUNDRED
            learned = skm.mean_absolute_percentage_error(y_true, y_pred) * 100
        else:
            raise ValueError(f"{metric} is not a regression metric")
    exact = snap(exact)
    _check(metric, exact, float(learned))
    return exact


def encode(labels: Sequence[str], classes: Sequence[str]) -> np.ndarray:
    """Labels as their positions in ``classes`` (scikit-learn is far faster on integers)."""
    index = {c: i for i, c in enumerate(classes)}
    return np.fromiter((index[v] for v in labels), dtype=np.int64, count=len(labels))


def confusion(truths: np.ndarray, predictions: np.ndarray,
              classes: Sequence[str]) -> tuple[tuple[int, ...], ...]:
    """scikit-learn's confusion matrix of encoded labels: row = actual class, column =
    predicted class, both in the order of ``classes``."""
    matrix = skm.confusion_matrix(truths, predictions, labels=list(range(len(classes))))
    return tuple(tuple(int(c) for c in row) for row in matrix)


def classification_value(metric: Metric, truths: np.ndarray, predictions: np.ndarray,
                         positive: int | None,
                         matrix: tuple[tuple[int, ...], ...]) -> Decimal:
    """A classification metric from the confusion ``matrix`` (exact), checked against
    scikit-learn's score on the same encoded labels; ``positive`` is the position of
    the class measured for."""
    n = sum(sum(row) for row in matrix)
    if metric is Metric.ACCURACY:
        correct = sum(matrix[i][i] for i in range(len(matrix)))
        exact = _ratio(correct, n, _HUNDRED)
        _check(metric, exact, skm.accuracy_score(truths, predictions) * 100)
        return exact
    p = positive
    tp = matrix[p][p]
    fn = sum(matrix[p]) - tp
    fp = sum(row[p] for row in matrix) - tp
    precision, recall, f1, support = skm.precision_recall_fscore_support(
        truths, predictions, labels=[positive], average=None, zero_division=0)
    if metric is Metric.PRECISION:
        exact, learned = _ratio(tp, tp + fp, _HUNDRED), precision[0] * 100
    elif metric is Metric.RECALL:
        exact, learned = _ratio(tp, tp + fn, _HUNDRED), recall[0] * 100
    elif metric is Metric.F1:
        exact, learned = _ratio(2 * tp, 2 * tp + fp + fn, _HUNDRED), f1[0] * 100
    elif metric in (Metric.DEFECT_RATE, Metric.DEFECT_PPM):
        scale = _HUNDRED if metric is Metric.DEFECT_RATE else _MILLION
        # escaped defects: the positives scikit-learn's recall missed
        exact = _ratio(fn, n, scale)
        learned = (1 - recall[0]) * support[0] / n * float(scale)
    else:
        raise ValueError(f"{metric} is not a classification metric")
    _check(metric, exact, float(learned))
    return exact
