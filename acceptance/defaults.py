"""Sensible acceptance protocols per problem type, as plain data the wizard can offer.

Keys are the problem-type codes of ``matching/data/problem_types.json``. Each
:class:`Suggestion` names a KPI, its metric and the data it is measured on; the SME
adds the target (and may change everything else) and :meth:`Suggestion.protocol`
builds the validated :class:`~acceptance.protocol.Protocol`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .messages import Text
from .metrics import DataKind, Direction, Metric
from .protocol import Protocol

__all__ = ["FALLBACK", "SUGGESTIONS", "Suggestion", "suggestions"]


@dataclass(frozen=True)
class Suggestion:
    kpi: Text                      # a name for the KPI
    metric: Metric
    data: DataKind
    why: Text                      # one line on when it fits
    unit: str | None = None        # for MAE/RMSE and measured values
    direction: Direction | None = None  # for measured values
    classes: tuple[str, ...] = ()
    positive_class: str | None = None

    def protocol(self, target, *, lang: str = "ko", **changes) -> Protocol:
        """The protocol with this suggestion's choices, the SME's ``target`` and any
        ``changes`` (e.g. ``classes=("OK", "NG"), positive_class="NG"``)."""
        values = {"kpi": self.kpi.get(lang), "metric": self.metric, "target": target,
                  "data": self.data, "unit": self.unit, "direction": self.direction,
                  "classes": self.classes, "positive_class": self.positive_class}
        values.update(changes)
        return Protocol(**values)

    def to_dict(self) -> dict:
        return {"kpi": {"ko": self.kpi.ko, "en": self.kpi.en}, "metric": self.metric.value,
                "data": self.data.value, "why": {"ko": self.why.ko, "en": self.why.en},
                "unit": self.unit, "direction": self.direction and self.direction.value,
                "classes": list(self.classes), "positive_class": self.positive_class}


_H, _M = DataKind.HOLDOUT, DataKind.MEASURED
_UP, _DOWN = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER
_OK_DEFECT = ("양품", "불량")


def _s(kpi, metric, data, why, **kw) -> Suggestion:
    return Suggestion(Text(*kpi), metric, data, Text(*why), **kw)


_THROUGHPUT = _s(("시간당 생산량", "Units per hour"), Metric.MEASURED_VALUE, _M,
                 ("검수 기간의 생산 실적(MES, 작업일보)으로 측정합니다.",
                  "Measured from the production records (MES, daily reports) of the "
                  "acceptance period."), unit="개/시간", direction=_UP)

#: The suggestions for a problem type no entry names.
FALLBACK: tuple[Suggestion, ...] = (
    _s(("측정 KPI", "Measured KPI"), Metric.MEASURED_VALUE, _M,
       ("예측이 아닌 성과는 기간을 정해 측정하고 증빙과 함께 입력합니다.",
        "Outcomes that are not predictions are measured over a period and entered with "
        "evidence."), direction=_UP),
)

SUGGESTIONS: Mapping[str, tuple[Suggestion, ...]] = MappingProxyType({
    "demand_forecasting": (
        _s(("수요 예측 오차(MAPE)", "Forecast error (MAPE)"), Metric.MAPE, _H,
           ("봉인한 실제 판매·주문량에 대한 예측의 상대 오차입니다. 실제값이 0인 날이 많으면 MAE를 쓰세요.",
            "The relative error of forecasts against sealed actual sales or orders. "
            "With many zero days, use MAE.")),
        _s(("수요 예측 절대 오차(MAE)", "Forecast absolute error (MAE)"), Metric.MAE, _H,
           ("오차를 수량 그대로 봅니다. 판매가 없는 날(0)이 있어도 계산됩니다.",
            "The error in units; works with days without sales (0)."), unit="개"),
    ),
    "visual_inspection": (
        _s(("불량 검출률", "Defect detection rate"), Metric.RECALL, _H,
           ("실제 불량 중 모델이 불량으로 걸러낸 비율입니다. 놓친 불량이 가장 비쌀 때 씁니다.",
            "The share of real defects the model flags; use it when a missed defect costs "
            "most."), classes=_OK_DEFECT, positive_class="불량"),
        _s(("유출 불량(ppm)", "Escaped defects (ppm)"), Metric.DEFECT_PPM, _H,
           ("검사를 통과한 불량(유출 불량)의 비율을 백만 개당으로 봅니다.",
            "Defects that pass inspection, per million items."),
           classes=_OK_DEFECT, positive_class="불량"),
        _s(("불량 판정 F1", "Defect F1 score"), Metric.F1, _H,
           ("놓친 불량과 과검(양품을 불량으로 판정)을 함께 봅니다.",
            "Weighs missed defects and false rejects together."),
           classes=_OK_DEFECT, positive_class="불량"),
        _s(("공정 불량률", "Process defect rate"), Metric.DEFECT_RATE, _M,
           ("도입 후 검수 기간의 실제 불량률을 생산 기록으로 측정합니다.",
            "The real defect rate over the acceptance period, from production records.")),
    ),
    "predictive_maintenance": (
        _s(("고장 사전 탐지율", "Failure detection rate"), Metric.RECALL, _H,
           ("실제 고장 중 미리 경보한 비율입니다.", "The share of failures flagged in advance."),
           classes=("정상", "고장"), positive_class="고장"),
        _s(("고장 경보 정밀도", "Failure alarm precision"), Metric.PRECISION, _H,
           ("경보 중 실제 고장으로 이어진 비율입니다(헛경보가 적을수록 높음).",
            "The share of alarms that were real failures (fewer false alarms, higher)."),
           classes=("정상", "고장"), positive_class="고장"),
        _s(("비계획 정지 시간", "Unplanned downtime"), Metric.MEASURED_VALUE, _M,
           ("설비 가동 기록으로 측정한 월 비계획 정지 시간입니다.",
            "Unplanned downtime per month from the equipment logs."),
           unit="시간/월", direction=_DOWN),
    ),
    "process_optimization": (
        _THROUGHPUT,
        _s(("수율", "Yield"), Metric.MEASURED_VALUE, _M,
           ("투입 대비 양품 비율을 생산 기록으로 측정합니다.",
            "Good output over input, from production records."), unit="%", direction=_UP),
        _s(("공정 불량률", "Process defect rate"), Metric.DEFECT_RATE, _M,
           ("검수 기간의 불량 수 ÷ 생산 수입니다.",
            "Defective items ÷ items produced in the acceptance period.")),
    ),
    "scheduling": (
        _s(("납기 준수율", "On-time delivery"), Metric.MEASURED_VALUE, _M,
           ("약속한 납기 안에 출하한 주문의 비율을 출하 기록으로 측정합니다.",
            "Orders shipped by their promised date, from shipping records."),
           unit="%", direction=_UP),
        _THROUGHPUT,
    ),
    "quality_prediction": (
        _s(("품질 예측 오차(MAE)", "Quality prediction error (MAE)"), Metric.MAE, _H,
           ("측정한 품질값(치수, 강도 등)에 대한 예측 오차입니다.",
            "The error of predicted quality measurements (dimensions, strength, ...).")),
        _s(("품질 예측 오차(RMSE)", "Quality prediction error (RMSE)"), Metric.RMSE, _H,
           ("큰 오차에 더 무겁게 벌점을 줍니다.", "Penalises large errors more.")),
        _s(("불합격 예측 F1", "Reject prediction F1"), Metric.F1, _H,
           ("합격·불합격을 예측할 때 놓친 불합격과 잘못된 경보를 함께 봅니다.",
            "For pass/fail predictions: missed rejects and false alarms together."),
           classes=("합격", "불합격"), positive_class="불합격"),
    ),
    "anomaly_detection": (
        _s(("이상 탐지율", "Anomaly detection rate"), Metric.RECALL, _H,
           ("실제 이상 중 탐지한 비율입니다.", "The share of real anomalies detected."),
           classes=("정상", "이상"), positive_class="이상"),
        _s(("이상 경보 정밀도", "Anomaly alarm precision"), Metric.PRECISION, _H,
           ("경보 중 실제 이상인 비율입니다.", "The share of alarms that are real anomalies."),
           classes=("정상", "이상"), positive_class="이상"),
    ),
    "inventory_optimization": (
        _s(("재고 일수", "Days of inventory"), Metric.MEASURED_VALUE, _M,
           ("검수 기간의 평균 재고 ÷ 일평균 출고량입니다.",
            "Average stock ÷ average daily shipments over the acceptance period."),
           unit="일", direction=_DOWN),
        _s(("월 재고 유지 비용", "Inventory holding cost per month"), Metric.MEASURED_VALUE, _M,
           ("회계 기록으로 측정한 월 재고 유지 비용입니다.",
            "The monthly holding cost from the accounts."), unit="원/월", direction=_DOWN),
        _s(("수요 예측 오차(MAPE)", "Forecast error (MAPE)"), Metric.MAPE, _H,
           ("발주량을 정하는 예측의 정확도입니다.", "The accuracy of the forecast behind orders.")),
    ),
    "energy_optimization": (
        _s(("월 전력 사용량", "Electricity per month"), Metric.MEASURED_VALUE, _M,
           ("한전 고지서나 전력 계측 기록으로 측정합니다.",
            "From the utility bills or the power meter logs."), unit="kWh/월", direction=_DOWN),
        _s(("월 에너지 비용", "Energy cost per month"), Metric.MEASURED_VALUE, _M,
           ("고지서 기준의 월 에너지 비용입니다.", "The monthly energy cost as billed."),
           unit="원/월", direction=_DOWN),
    ),
    "document_language": (
        _s(("문서 분류 정확도", "Document classification accuracy"), Metric.ACCURACY, _H,
           ("봉인한 정답 분류에 대한 정확도입니다. 분류 목록을 적어 주세요.",
            "Accuracy against sealed correct classes; list the classes.")),
        _s(("시간당 처리 건수", "Documents per hour"), Metric.MEASURED_VALUE, _M,
           ("검수 기간의 처리 기록으로 측정합니다.", "From the processing logs of the acceptance "
                                           "period."), unit="건/시간", direction=_UP),
    ),
})


def suggestions(problem_types: str | Iterable[str]) -> tuple[Suggestion, ...]:
    """The suggestions for one problem type or several (in order, without repeating a
    metric on the same data); :data:`FALLBACK` when none is known."""
    if isinstance(problem_types, str):
        problem_types = (problem_types,)
    found: dict[tuple, Suggestion] = {}
    for code in problem_types:
        for s in SUGGESTIONS.get(code, ()):
            found.setdefault((s.metric, s.data, s.kpi.ko), s)
    return tuple(found.values()) or FALLBACK
