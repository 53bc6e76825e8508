"""The acceptance protocol of one KPI: how it is measured and when it passes.

A :class:`Protocol` is fixed in the agreement before signing. It is validated as soon
as it is built; every problem is reported at once, each message naming its ``field``.

The rule, as the agreement states it: the metric is computed, rounded half up
(사사오입) to ``decimals`` places, and only then compared with the target; a rounded
value equal to the target passes (``≤`` when lower is better, ``≥`` when higher is
better).
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from decimal import Decimal

from .messages import AcceptanceError, Message, Text, message, normalise_lang
from .metrics import METRICS, DataKind, Direction, Family, Metric, MetricInfo
from .numbers import LIMIT, canonical, format_decimal, places, round_half_up, to_decimal

__all__ = ["MAX_DECIMALS", "Protocol"]

#: The most decimal places a protocol may round to.
MAX_DECIMALS = 6

_MAX_CLASSES = 50


def _choice(enum_cls: type[enum.Enum], value, field: str, errors: list[Message]):
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        errors.append(message("unknown_choice", field=field, allowed=allowed))
        return None


def _clean_text(value, field: str, errors: list[Message], *, required: bool,
                limit: int) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(message("text_required", field=field))
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not value:
        errors.append(message("text_required", field=field))
    elif len(value) > limit:
        errors.append(message("text_too_long", field=field, limit=limit))
    elif any(ord(c) < 32 and c not in "\n\t" for c in value):
        errors.append(message("text_control_chars", field=field))
    return value


def _label(value, field: str, errors: list[Message]) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        value = str(value)
    text = _clean_text(value, field, errors, required=True, limit=100)
    return canonical(text) if text else text


@dataclass(frozen=True)
class Protocol:
    """How one KPI is measured.

    - ``kpi``: the KPI's name as the agreement writes it.
    - ``metric``: a :class:`Metric`.
    - ``target``: the value to reach (the vendor's committed value), a ``Decimal``
      (ints, strings and floats by their shortest repr are converted).
    - ``direction``: fixed by the metric except for a measured value, where it is required.
    - ``unit``: fixed for percentages (``%``) and ppm; the data's unit for MAE and RMSE
      (optional); required for a measured value (``개/시간``, ``원/월``).
    - ``decimals``: places to round to before comparing, 0-6; by default the metric's
      default or the target's own places, whichever is more.
    - ``data``: :class:`DataKind`; holdout by default, measured for a measured value.
    - ``classes``: for a classification metric on a holdout, the labels the truth file
      and the predictions use (two or more, e.g. ``("양품", "불량")``).
    - ``positive_class``: the class that precision, recall, F1 and the defect rates are
      measured for (e.g. ``"불량"``); one of ``classes``.
    - ``period``: the period and data the KPI is measured on, in the SME's words;
      required for a measured value.
    """

    kpi: str
    metric: Metric
    target: Decimal
    direction: Direction | None = None
    unit: str | None = None
    decimals: int | None = None
    data: DataKind | None = None
    positive_class: str | None = None
    classes: tuple[str, ...] = ()
    period: str = ""

    def __post_init__(self):
        errors: list[Message] = []
        set_ = self._set
        set_("kpi", _clean_text(self.kpi, "kpi", errors, required=True, limit=200))
        metric = _choice(Metric, self.metric, "metric", errors)
        if metric is None:
            raise AcceptanceError(errors)
        set_("metric", metric)
        info = METRICS[metric]
        self._validate_data(info, errors)
        self._validate_direction_and_unit(info, errors)
        self._validate_target(info, errors)
        self._validate_classes(info, errors)
        required = self.data is DataKind.MEASURED
        set_("period", _clean_text(self.period, "period", errors, required=False, limit=300))
        if required and not self.period and not any(e.field == "period" for e in errors):
            errors.append(message("period_required", field="period"))
        if errors:
            raise AcceptanceError(errors)

    def _set(self, name: str, value) -> None:
        object.__setattr__(self, name, value)

    def _validate_data(self, info: MetricInfo, errors: list[Message]) -> None:
        if self.data is None:
            self._set("data", info.data_kinds[0])
            return
        data = _choice(DataKind, self.data, "data", errors)
        if data is not None and data not in info.data_kinds:
            allowed = Text(" 또는 ".join(k.label("ko") for k in info.data_kinds),
                           " or ".join(k.label("en") for k in info.data_kinds))
            errors.append(message("data_kind_not_allowed", field="data", metric=info.short,
                                  allowed=allowed))
        self._set("data", data if data in info.data_kinds else info.data_kinds[0])

    def _validate_direction_and_unit(self, info: MetricInfo, errors: list[Message]) -> None:
        if info.direction is not None:
            if self.direction not in (None, ""):
                given = _choice(Direction, self.direction, "direction", errors)
                if given is not None and given is not info.direction:
                    errors.append(message(
                        "direction_fixed", field="direction", metric=info.short,
                        direction=Text(info.direction.label("ko"), info.direction.label("en"))))
            self._set("direction", info.direction)
        elif self.direction in (None, ""):
            errors.append(message("direction_required", field="direction"))
        else:
            self._set("direction", _choice(Direction, self.direction, "direction", errors))
        if info.unit is not None:
            if self.unit not in (None, "") and str(self.unit).strip() != info.unit:
                errors.append(message("unit_fixed", field="unit", metric=info.short,
                                      unit=info.unit))
            self._set("unit", info.unit)
            return
        unit = _clean_text(self.unit, "unit", errors, required=False, limit=40)
        if info.family is Family.MEASURED and not unit:
            errors.append(message("unit_required", field="unit"))
        self._set("unit", unit)

    def _validate_target(self, info: MetricInfo, errors: list[Message]) -> None:
        decimals = self.decimals
        if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int)
                                     or not 0 <= decimals <= MAX_DECIMALS):
            errors.append(message("decimals_range", field="decimals", maximum=MAX_DECIMALS))
            decimals = None
        target = to_decimal(self.target)
        if target is None or abs(target) >= LIMIT:
            errors.append(message("target_not_number", field="target"))
            self._set("decimals", info.decimals if decimals is None else decimals)
            return
        self._set("target", target)
        low = info.minimum if info.minimum is not None else -LIMIT
        high = info.maximum if info.maximum is not None else LIMIT
        if not low <= target <= high:
            if info.maximum is None:
                errors.append(message("target_below_minimum", field="target",
                                      metric=info.short, minimum=format_decimal(low)))
            else:
                errors.append(message("target_out_of_range", field="target", metric=info.short,
                                      minimum=format_decimal(low), maximum=format_decimal(high)))
        elif (info.percent and info.direction is Direction.HIGHER_IS_BETTER
              and 0 < target <= 1):
            errors.append(message("target_looks_like_fraction", field="target",
                                  metric=info.short, target=format_decimal(target)))
        if decimals is None:
            decimals = max(info.decimals, places(target))
        elif places(target) > decimals:
            errors.append(message("target_more_decimals", field="target",
                                  target=format_decimal(target), decimals=decimals))
        self._set("decimals", decimals)

    def _validate_classes(self, info: MetricInfo, errors: list[Message]) -> None:
        raw = self.classes if self.classes is not None else ()
        if isinstance(raw, str | bytes) or not hasattr(raw, "__iter__"):
            errors.append(message("unknown_choice", field="classes", allowed="[...]"))
            raw = ()
        classes = tuple(_label(c, "classes", errors) for c in raw)
        positive = self.positive_class
        if isinstance(positive, str) and not positive.strip():
            positive = None
        if positive is not None:
            positive = _label(positive, "positive_class", errors)
        self._set("classes", classes)
        self._set("positive_class", positive)
        on_holdout = self.data is DataKind.HOLDOUT
        if info.family is not Family.CLASSIFICATION:
            if classes:
                errors.append(message("classes_not_for_metric", field="classes",
                                      metric=info.short))
            if positive is not None:
                errors.append(message("positive_class_not_for_metric", field="positive_class",
                                      metric=info.short))
            return
        if not info.needs_positive_class and positive is not None:
            errors.append(message("positive_class_not_for_metric", field="positive_class",
                                  metric=info.short))
        seen = set()
        for label in classes:
            if label in seen:
                errors.append(message("classes_duplicate", field="classes", label=label))
            seen.add(label)
        if on_holdout and (len(seen) < 2 or len(classes) > _MAX_CLASSES):
            errors.append(message("classes_required", field="classes", metric=info.short))
        if info.needs_positive_class and on_holdout:
            if positive is None:
                errors.append(message("positive_class_required", field="positive_class",
                                      metric=info.short))
            elif len(seen) >= 2 and positive not in seen:
                errors.append(message("positive_class_not_in_classes", field="positive_class",
                                      label=positive, classes=", ".join(classes)))

    # --- reading the protocol --------------------------------------------------------

    @property
    def info(self) -> MetricInfo:
        return METRICS[self.metric]

    @property
    def family(self) -> Family:
        return self.info.family

    def rounded(self, value: Decimal) -> Decimal:
        """``value`` rounded half up to the protocol's places (the value compared)."""
        return round_half_up(value, self.decimals)

    def passes(self, value: Decimal) -> bool:
        """Whether ``value``, rounded first, meets the target (equal to it passes)."""
        rounded = self.rounded(value)
        if self.direction is Direction.LOWER_IS_BETTER:
            return rounded <= self.target
        return rounded >= self.target

    def format_value(self, value: Decimal) -> str:
        """``value`` rounded and written with its unit: ``7.4%``, ``1,250 ppm``."""
        text = format_decimal(self.rounded(value))
        return _with_unit(text, self.unit)

    def describe(self, lang: str = "ko") -> str:
        """The acceptance rule as one sentence for the agreement's acceptance clause."""
        info = self.info
        ko = normalise_lang(lang) == "ko"
        target = _with_unit(format_decimal(self.target.quantize(Decimal(1).scaleb(
            -self.decimals))), self.unit)
        formula = info.formula(self.data, "ko" if ko else "en", self.positive_class or "")
        lower = self.direction is Direction.LOWER_IS_BETTER
        holdout = self.data is DataKind.HOLDOUT
        if ko:
            where = (", 봉인된 홀드아웃 데이터에 대하여 공급기업이 제출한 예측값으로 계산한다"
                     if holdout else "이다")
            period = f"(측정 대상: {self.period})" if self.period else ""
            rounding = ("정수로 반올림(사사오입)한" if self.decimals == 0
                        else f"소수점 아래 {self.decimals}자리로 반올림(사사오입)한")
            return (f"{self.kpi}: {_topic(info.short.ko)} {formula}{'이며' if holdout else ''}"
                    f"{where}{period}. {rounding} 값이 {target} {'이하' if lower else '이상'}이면 "
                    f"충족한 것으로 본다.")
        where = (", computed from the vendor's predictions for the sealed holdout set"
                 if holdout else "")
        period = f" (measured on: {self.period})" if self.period else ""
        places_ = ("to a whole number" if self.decimals == 0 else
                   f"to {self.decimals} decimal place{'s' if self.decimals > 1 else ''}")
        return (f"{self.kpi}: {info.short.en} is {formula}{where}{period}. "
                f"The KPI is met if the value, rounded half up {places_}, is "
                f"{'at most' if lower else 'at least'} {target}.")

    # --- storing the protocol --------------------------------------------------------

    def to_dict(self) -> dict:
        """JSON-friendly (``target`` as a string), for the agreement terms."""
        return {"kpi": self.kpi, "metric": self.metric.value, "target": str(self.target),
                "direction": self.direction.value, "unit": self.unit,
                "decimals": self.decimals, "data": self.data.value,
                "positive_class": self.positive_class, "classes": list(self.classes),
                "period": self.period}

    @classmethod
    def from_dict(cls, data: dict) -> Protocol:
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        if "classes" in values and values["classes"] is not None:
            values["classes"] = tuple(values["classes"])
        missing = [n for n in ("kpi", "metric", "target") if n not in values]
        if missing:
            raise AcceptanceError([message("text_required", field=n) for n in missing])
        return cls(**values)


def _topic(word: str) -> str:
    """The word with its Korean topic particle: 측정값은, 정밀도는, MAPE은(는)."""
    last = word[-1:]
    if "가" <= last <= "힣":
        return word + ("은" if (ord(last) - 0xAC00) % 28 else "는")
    return word + "은(는)"


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"
