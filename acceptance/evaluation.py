"""Evaluating KPIs: predictions against a sealed holdout, or a measured value.

- :func:`check_holdout` — when the SME uploads the holdout (before signing): does the
  data fit every metric that will be measured on it? Numbers for MAE/RMSE/MAPE, no zero
  truth for MAPE, only the agreed classes for classification, at least one row of the
  class a metric is measured for.
- :func:`evaluate` — when the vendor uploads predictions: the ids must be exactly the
  holdout's (missing, extra and repeated ids are refused, naming the first few, and
  nothing is computed), every prediction a number or an agreed class; then each KPI's
  value, rounded as its protocol says, is compared with its target.
- :func:`measure` — a measured KPI: the value the SME enters with its evidence.

The rows are matched by id and taken in the holdout's order, so the order of either
file never changes a result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .messages import AcceptanceError, Message, Text, message, normalise_lang
from .metrics import (DataKind, Direction, Family, Metric, classification_value, confusion,
                      encode, regression_value)
from .numbers import format_decimal, parse_number, to_decimal
from .protocol import Protocol
from .reading import Table

__all__ = ["LOOKS_NUMERIC_DISTINCT", "Evaluation", "KpiResult", "check_holdout", "evaluate",
           "measure"]

#: A classification truth column holding more distinct numbers than this (outside the
#: agreed classes) is a numeric target: the metric does not fit the data.
LOOKS_NUMERIC_DISTINCT = 20

_EXAMPLES = 5


@dataclass(frozen=True)
class KpiResult:
    """One KPI's verdict: the value (rounded as compared), the target, pass or fail.

    ``exact`` is the value before the protocol's rounding. ``counts`` holds the numbers
    behind it: ``rows`` always on a holdout; ``correct`` for accuracy; ``tp``, ``fp``,
    ``fn``, ``tn`` for the class a metric is measured for (``fn`` are the escaped
    defects of the defect rates). ``evidence`` is the measured value's evidence.
    """

    protocol: Protocol
    exact: Decimal
    value: Decimal
    passed: bool
    counts: Mapping[str, int] = field(default_factory=dict)
    evidence: str | None = None

    @property
    def kpi(self) -> str:
        return self.protocol.kpi

    @property
    def target(self) -> Decimal:
        return self.protocol.target

    def summary(self, lang: str = "ko") -> str:
        """``불량 검출 재현율: 재현율 96.0% (목표 95.0% 이상) — 달성``"""
        p = self.protocol
        lower = p.direction is Direction.LOWER_IS_BETTER
        value = p.format_value(self.exact)
        target = p.format_value(p.target)
        if normalise_lang(lang) == "ko":
            verdict = "달성" if self.passed else "미달"
            return (f"{p.kpi}: {p.info.short.ko} {value} "
                    f"(목표 {target} {'이하' if lower else '이상'}) — {verdict}")
        verdict = "met" if self.passed else "not met"
        return (f"{p.kpi}: {p.info.short.en} {value} "
                f"(target: {'at most' if lower else 'at least'} {target}) — {verdict}")

    def to_dict(self) -> dict:
        """JSON-friendly; numbers as strings. Holds no row of the holdout."""
        p = self.protocol
        return {"kpi": p.kpi, "metric": p.metric.value, "data": p.data.value,
                "value": str(self.value), "exact": str(self.exact), "target": str(p.target),
                "direction": p.direction.value, "unit": p.unit, "decimals": p.decimals,
                "passed": self.passed, "counts": dict(self.counts), "evidence": self.evidence,
                "summary": {"ko": self.summary("ko"), "en": self.summary("en")}}


@dataclass(frozen=True)
class Evaluation:
    """The verdicts of the KPIs measured on one holdout with one predictions file.

    ``classes`` and ``matrix`` (rows: actual class, columns: predicted class) are set for
    classification. The per-row truths are kept for :func:`acceptance.chart.render_chart`
    only, outside the dataclass fields: neither ``to_dict`` nor ``dataclasses.asdict``
    carries them.
    """

    results: tuple[KpiResult, ...]
    family: Family
    rows: int
    holdout_sha256: str
    predictions_sha256: str
    classes: tuple[str, ...] = ()
    matrix: tuple[tuple[int, ...], ...] = ()

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def passed_count(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def unit(self) -> str:
        """The data's unit, as the first regression KPI names it (for chart axes)."""
        return next((r.protocol.unit for r in self.results
                     if r.protocol.metric in (Metric.MAE, Metric.RMSE) and r.protocol.unit), "")

    def pairs(self) -> tuple[tuple, tuple]:
        """(truths, predictions) in the holdout's order: the holdout's content. For
        charts shown to the SME only; never send it to the vendor."""
        return self._pairs  # type: ignore[attr-defined]

    def summary(self, lang: str = "ko") -> str:
        total = len(self.results)
        if normalise_lang(lang) == "ko":
            return f"KPI 달성 {self.passed_count}/{total}"
        return f"KPIs met: {self.passed_count}/{total}"

    def to_dict(self) -> dict:
        return {"family": self.family.value, "rows": self.rows,
                "holdout_sha256": self.holdout_sha256,
                "predictions_sha256": self.predictions_sha256,
                "passed": self.passed, "passed_count": self.passed_count,
                "classes": list(self.classes), "matrix": [list(r) for r in self.matrix],
                "results": [r.to_dict() for r in self.results],
                "summary": {"ko": self.summary("ko"), "en": self.summary("en")}}


# --- the holdout and the protocols -------------------------------------------------------

def _family(protocols: Sequence[Protocol]) -> tuple[Family, tuple[str, ...]]:
    if not protocols:
        raise AcceptanceError(message("no_protocols"))
    errors = [message("not_holdout", kpi=p.kpi) for p in protocols
              if p.data is not DataKind.HOLDOUT]
    if errors:
        raise AcceptanceError(errors)
    families = {p.family for p in protocols}
    if len(families) > 1:
        def names(family):
            return ", ".join(p.kpi for p in protocols if p.family is family)
        raise AcceptanceError(message("mixed_families", regression=names(Family.REGRESSION),
                                      classification=names(Family.CLASSIFICATION)))
    family = families.pop()
    classes = protocols[0].classes
    if family is Family.CLASSIFICATION and any(p.classes != classes for p in protocols):
        raise AcceptanceError(message("classes_differ",
                                      kpis=", ".join(p.kpi for p in protocols)))
    return family, classes


def _cell(table: Table, i: int) -> dict:
    return {"row": table.rows[i], "column": table.value_letter, "name": table.value_column}


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:39] + "…"


def _numbers(table: Table, code: str, **params) -> tuple[list[Decimal], list[Message]]:
    numbers, errors = [], []
    for i, text in enumerate(table.values):
        try:
            number = parse_number(text)
        except OverflowError:
            errors.append(message("number_out_of_range", value=_shown(text), **_cell(table, i)))
            number = None
        else:
            if number is None:
                errors.append(message(code, value=_shown(text), **_cell(table, i), **params))
        numbers.append(number)
    return numbers, errors


def _labels(table: Table, classes: tuple[str, ...]) -> list[Message]:
    allowed = set(classes)
    return [message("label_not_in_classes", value=_shown(v), classes=", ".join(classes),
                    **_cell(table, i))
            for i, v in enumerate(table.values) if v not in allowed]


def _truths(protocols: Sequence[Protocol], holdout: Table) -> tuple[Family, tuple[str, ...],
                                                                    list]:
    protocols = tuple(protocols)
    family, classes = _family(protocols)
    if family is Family.REGRESSION:
        first = protocols[0].info.short
        truths, errors = _numbers(holdout, "regression_needs_numbers", metric=first)
        if errors:
            raise AcceptanceError(errors)
        if any(p.metric is Metric.MAPE for p in protocols):
            zeros = [holdout.rows[i] for i, t in enumerate(truths) if t == 0]
            if zeros:
                raise AcceptanceError(message(
                    "mape_zero_truth", count=len(zeros), column=holdout.value_letter,
                    rows=", ".join(map(str, zeros[:_EXAMPLES])) + (" …" if len(zeros) > _EXAMPLES
                                                                    else "")))
        return family, classes, truths
    truths = list(holdout.values)
    errors = _labels(holdout, classes)
    if errors:
        outside = {v for v in truths if v not in set(classes)}
        try:
            numeric = all(parse_number(v) is not None for v in truths)
        except OverflowError:
            numeric = True
        distinct = len(set(truths))
        if numeric and outside and distinct > LOOKS_NUMERIC_DISTINCT:
            examples = ", ".join(list(dict.fromkeys(truths))[:_EXAMPLES])
            first = protocols[0].info.short
            raise AcceptanceError(message("looks_like_regression", metric=first,
                                          name=holdout.value_column, distinct=distinct,
                                          examples=examples))
        raise AcceptanceError(errors)
    present = set(truths)
    absent = [message("positive_class_absent", field="positive_class", label=p.positive_class,
                      metric=p.info.short)
              for p in protocols if p.info.needs_positive_class and p.positive_class not in present]
    if absent:
        raise AcceptanceError(absent)
    return family, classes, truths


def check_holdout(protocols: Iterable[Protocol], holdout: Table) -> None:
    """Raise :class:`AcceptanceError` unless every protocol can be measured on ``holdout``."""
    _truths(tuple(protocols), holdout)


# --- evaluation ------------------------------------------------------------------------

def _examples(ids: list[str]) -> str:
    shown = ", ".join(f"'{i}'" for i in ids[:_EXAMPLES])
    return shown + (" …" if len(ids) > _EXAMPLES else "")


def _match(holdout: Table, predictions: Table) -> list[int]:
    """For each holdout row, the index of its prediction; or raise naming the bad ids."""
    position = {id_: i for i, id_ in enumerate(predictions.ids)}
    expected = set(holdout.ids)
    missing = [i for i in holdout.ids if i not in position]
    extra = [i for i in predictions.ids if i not in expected]
    errors = []
    if missing:
        errors.append(message("missing_ids", count=len(missing), examples=_examples(missing),
                              column=predictions.id_letter, name=predictions.id_column))
    if extra:
        errors.append(message("extra_ids", count=len(extra), examples=_examples(extra),
                              column=predictions.id_letter, name=predictions.id_column))
    if len(position) != len(predictions.ids):  # read_table refuses these; a Table built
        rows: dict[str, list[int]] = {}      # by other code might not
        for id_, row in zip(predictions.ids, predictions.rows, strict=True):
            rows.setdefault(id_, []).append(row)
        repeated = [(i, r) for i, r in rows.items() if len(r) > 1]
        examples = Text(
            ", ".join(f"'{i}'({'·'.join(map(str, r))}행)" for i, r in repeated[:_EXAMPLES]),
            ", ".join(f"'{i}' (rows {', '.join(map(str, r))})" for i, r in repeated[:_EXAMPLES]))
        errors.append(message("duplicate_ids", count=len(repeated), examples=examples,
                              column=predictions.id_letter, name=predictions.id_column))
    if errors:
        raise AcceptanceError(errors)
    return [position[i] for i in holdout.ids]


def evaluate(protocols: Iterable[Protocol], holdout: Table, predictions: Table) -> Evaluation:
    """Each KPI measured on ``holdout`` from ``predictions``: every protocol must be a
    holdout protocol of one family (numbers or classes). Raises :class:`AcceptanceError`
    — and computes nothing — when the ids differ or a prediction is not a number or an
    agreed class."""
    protocols = tuple(protocols)
    family, classes, truths = _truths(protocols, holdout)
    order = _match(holdout, predictions)
    if family is Family.REGRESSION:
        predicted, errors = _numbers(predictions, "not_a_number")
    else:
        predicted, errors = list(predictions.values), _labels(predictions, classes)
    if errors:
        raise AcceptanceError(errors)
    predicted = [predicted[i] for i in order]
    n = len(truths)
    matrix: tuple[tuple[int, ...], ...] = ()
    results = []
    if family is Family.CLASSIFICATION:
        coded_truths, coded_predictions = encode(truths, classes), encode(predicted, classes)
        matrix = confusion(coded_truths, coded_predictions, classes)
    for p in protocols:
        if family is Family.REGRESSION:
            exact = regression_value(p.metric, truths, predicted)
            counts = {"rows": n}
        else:
            positive = None if p.positive_class is None else classes.index(p.positive_class)
            exact = classification_value(p.metric, coded_truths, coded_predictions, positive,
                                         matrix)
            counts = _counts(p, matrix, classes, n)
        results.append(KpiResult(p, exact, p.rounded(exact), p.passes(exact),
                                 counts))
    evaluation = Evaluation(tuple(results), family, n, holdout.sha256, predictions.sha256,
                            classes if family is Family.CLASSIFICATION else (), matrix)
    object.__setattr__(evaluation, "_pairs", (tuple(truths), tuple(predicted)))
    return evaluation


def _counts(p: Protocol, matrix, classes: tuple[str, ...], n: int) -> dict[str, int]:
    if p.positive_class is None:
        return {"rows": n, "correct": sum(matrix[i][i] for i in range(len(classes)))}
    k = classes.index(p.positive_class)
    tp = matrix[k][k]
    fn = sum(matrix[k]) - tp
    fp = sum(row[k] for row in matrix) - tp
    return {"rows": n, "tp": tp, "fp": fp, "fn": fn, "tn": n - tp - fn - fp}


def measure(protocol: Protocol, value, *, evidence: str) -> KpiResult:
    """A measured KPI's verdict. ``value`` is a number (``Decimal``, int, a string as a
    person writes it, ``"1,250"``; a float by its shortest repr); ``evidence`` describes
    the document or record it comes from (required)."""
    if protocol.data is not DataKind.MEASURED:
        raise AcceptanceError(message("not_measured", kpi=protocol.kpi))
    errors = []
    number = to_decimal(value)
    info = protocol.info
    if number is None:
        errors.append(message("measured_not_number", field="value", value=_shown(str(value))))
    elif info.maximum is not None and not info.minimum <= number <= info.maximum:
        errors.append(message("measured_out_of_range", field="value", metric=info.short,
                              minimum=format_decimal(info.minimum),
                              maximum=format_decimal(info.maximum), value=_shown(str(value))))
    elif info.minimum is not None and number < info.minimum:
        errors.append(message("measured_below_minimum", field="value", metric=info.short,
                              minimum=format_decimal(info.minimum), value=_shown(str(value))))
    evidence = evidence.strip() if isinstance(evidence, str) else ""
    if not evidence:
        errors.append(message("evidence_required", field="evidence"))
    elif len(evidence) > 1000:
        errors.append(message("text_too_long", field="evidence", limit=1000))
    if errors:
        raise AcceptanceError(errors)
    return KpiResult(protocol, number, protocol.rounded(number), protocol.passes(number),
                     {}, evidence)
