"""How each KPI is measured: the metric, the data it is measured on and the period, with defaults
per problem type. A pure rule (no Flask, no database) on top of the acceptance library: the metric
codes and the per-type suggestions are :mod:`acceptance.metrics` and :mod:`acceptance.defaults`, the
same lists the platform-measured acceptance uses, never a second copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from acceptance.defaults import FALLBACK, suggestions
from acceptance.metrics import METRICS, DataKind, Metric

__all__ = ["DATA_CODES", "METRIC_CODES", "PERIOD_MAX", "Measurement", "default_measurement", "describe",
           "metric_label", "data_label"]

METRIC_CODES = tuple(m.value for m in Metric)
DATA_CODES = tuple(d.value for d in DataKind)
PERIOD_MAX = 200

_DEFAULT_PERIOD = {
    ("holdout", "ko"): "착수 시 수요기업이 봉인한 최근 3개월 데이터(학습 제외)",
    ("holdout", "en"): "the last 3 months of data, sealed by the client at the start (not used for training)",
    ("measured", "ko"): "검수 기간 4주간의 운영 기록",
    ("measured", "en"): "the operating records of the 4-week acceptance period",
}


@dataclass(frozen=True)
class Measurement:
    metric: str        # a code of acceptance.metrics.Metric
    measured_on: str   # a code of acceptance.metrics.DataKind
    period: str        # the period and data, in the SME's words


def default_measurement(problem_types: Iterable[str], position: int, lang: str = "ko") -> Measurement:
    """The suggestion for the KPI at ``position`` (0-based) of a problem of these types: the type's
    suggestions in order, then a measured value for any further KPI."""
    offered = suggestions(tuple(problem_types or ()))
    suggestion = offered[position] if position < len(offered) else FALLBACK[0]
    data = suggestion.data.value
    return Measurement(suggestion.metric.value, data, _DEFAULT_PERIOD[(data, "ko" if lang == "ko" else "en")])


def metric_label(code: str | None, lang: str = "ko") -> str:
    try:
        return METRICS[Metric(code)].label.get("ko" if lang == "ko" else "en")
    except ValueError:
        return code or ""


def data_label(code: str | None, lang: str = "ko") -> str:
    try:
        return DataKind(code).label("ko" if lang == "ko" else "en")
    except ValueError:
        return code or ""


def describe(metric: str | None, measured_on: str | None, period: str, lang: str = "ko") -> str | None:
    """The test set the agreement names for a KPI measured this way (None: not said how)."""
    if not metric:
        return None
    parts = [metric_label(metric, lang)]
    if measured_on:
        parts.append(data_label(measured_on, lang))
    text = ", ".join(parts)
    if period:
        text += (" — " if lang == "en" else " · ") + period
    return text[:300]
