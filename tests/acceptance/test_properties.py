"""Rules that hold for all data, checked with Hypothesis."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from acceptance import Metric, Protocol, Role, evaluate, read_table
from acceptance.numbers import parse_number

from .conftest import OK_DEFECT, csv_bytes, xlsx_bytes

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2,
                      allow_nan=False, allow_infinity=False)
signed = st.decimals(min_value=Decimal("-9999"), max_value=Decimal("9999"), places=2,
                     allow_nan=False, allow_infinity=False)
ID_ALPHABET = "abcXYZ0123456789-_가나다불량"
ids = st.text(ID_ALPHABET, min_size=1, max_size=8)


def files(truths, predicted, row_ids, *, shuffle_seed=None):
    """A holdout and a predictions file; the predictions' rows in another order."""
    order = list(range(len(row_ids)))
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(order)
    holdout = read_table(csv_bytes(("id", "정답"), zip(row_ids, map(str, truths), strict=True)))
    predictions = read_table(csv_bytes(("id", "예측값"),
                                       [(row_ids[i], str(predicted[i])) for i in order]),
                             role=Role.PREDICTIONS)
    return holdout, predictions


def regression_protocols():
    return [Protocol("mape", "mape", 10), Protocol("mae", "mae", 10),
            Protocol("rmse", "rmse", 10)]


def classification_protocols():
    return [Protocol(m, m, 50, classes=OK_DEFECT, positive_class=None if m == "accuracy"
                     else "불량") for m in ("accuracy", "precision", "recall", "f1",
                                          "defect_rate", "defect_ppm")]


@st.composite
def numeric_case(draw):
    n = draw(st.integers(1, 25))
    row_ids = draw(st.lists(ids, min_size=n, max_size=n, unique=True))
    truths = draw(st.lists(amounts, min_size=n, max_size=n))
    predicted = draw(st.lists(signed, min_size=n, max_size=n))
    return row_ids, truths, predicted


@st.composite
def label_case(draw):
    n = draw(st.integers(1, 25))
    row_ids = draw(st.lists(ids, min_size=n, max_size=n, unique=True))
    truths = draw(st.lists(st.sampled_from(OK_DEFECT), min_size=n, max_size=n))
    assume("불량" in truths)
    predicted = draw(st.lists(st.sampled_from(OK_DEFECT), min_size=n, max_size=n))
    return row_ids, truths, predicted


def verdicts(evaluation):
    return [(r.exact, r.value, r.passed, dict(r.counts)) for r in evaluation.results]


@FAST
@given(numeric_case(), st.integers(0, 2**32), st.integers(0, 2**32))
def test_permuting_rows_never_changes_a_numeric_result(case, seed_a, seed_b):
    row_ids, truths, predicted = case
    holdout, predictions = files(truths, predicted, row_ids)
    base = verdicts(evaluate(regression_protocols(), holdout, predictions))
    order = list(range(len(row_ids)))
    random.Random(seed_a).shuffle(order)
    holdout2, predictions2 = files([truths[i] for i in order], [predicted[i] for i in order],
                                   [row_ids[i] for i in order], shuffle_seed=seed_b)
    assert verdicts(evaluate(regression_protocols(), holdout2, predictions2)) == base


@FAST
@given(label_case(), st.integers(0, 2**32))
def test_permuting_rows_never_changes_a_classification_result(case, seed):
    row_ids, truths, predicted = case
    holdout, predictions = files(truths, predicted, row_ids)
    shuffled = files(truths, predicted, row_ids, shuffle_seed=seed)
    protocols = classification_protocols()
    first = evaluate(protocols, holdout, predictions)
    second = evaluate(protocols, *shuffled)
    assert verdicts(first) == verdicts(second) and first.matrix == second.matrix


@FAST
@given(numeric_case(), st.sampled_from([Metric.MAPE, Metric.MAE, Metric.RMSE]),
       st.decimals(min_value=0, max_value=1000, places=2))
def test_a_perfect_forecast_passes_any_achievable_target(case, metric, target):
    row_ids, truths, _ = case
    holdout, predictions = files(truths, truths, row_ids)
    result = evaluate([Protocol("k", metric, target)], holdout, predictions).results[0]
    assert result.exact == 0 and result.passed


@FAST
@given(label_case(), st.sampled_from(["accuracy", "precision", "recall", "f1", "defect_rate",
                                      "defect_ppm"]),
       st.decimals(min_value=0, max_value=100, places=1))
def test_a_perfect_classifier_passes_any_achievable_target(case, metric, target):
    row_ids, truths, _ = case
    assume(not (Decimal(0) < target <= 1))   # refused as a likely fraction
    holdout, predictions = files(truths, truths, row_ids)
    protocol = Protocol("k", metric, target, classes=OK_DEFECT,
                        positive_class=None if metric == "accuracy" else "불량")
    result = evaluate([protocol], holdout, predictions).results[0]
    assert result.passed
    assert result.exact == (0 if metric.startswith("defect") else 100)


@FAST
@given(numeric_case())
def test_mae_never_exceeds_rmse(case):
    row_ids, truths, predicted = case
    holdout, predictions = files(truths, predicted, row_ids)
    mae, rmse = evaluate([Protocol("a", "mae", 1), Protocol("b", "rmse", 1)], holdout,
                         predictions).results
    assert mae.exact <= rmse.exact


@FAST
@given(st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False, allow_infinity=False),
       st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False, allow_infinity=False),
       st.integers(0, 6), st.sampled_from(["higher", "lower"]))
def test_rounding_is_within_half_a_unit_and_the_verdict_is_monotone(a, b, decimals, direction):
    protocol = Protocol("k", "measured_value", 0, unit="u", direction=direction,
                        period="p", decimals=decimals)
    half = Decimal(1).scaleb(-decimals) / 2
    assert abs(protocol.rounded(a) - a) <= half
    better, worse = (max(a, b), min(a, b)) if direction == "higher" else (min(a, b), max(a, b))
    if protocol.passes(worse):
        assert protocol.passes(better)


@FAST
@given(st.lists(st.tuples(ids, amounts), min_size=1, max_size=15,
                unique_by=lambda row: row[0]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp949", "xlsx"]))
def test_what_is_written_is_what_is_read(rows, how):
    header = ("번호", "실제값")
    if how == "xlsx":
        data = xlsx_bytes(header, [(i, float(v)) for i, v in rows])
    else:
        data = csv_bytes(header, [(i, str(v)) for i, v in rows],
                         encoding="utf-8" if how == "utf-8-sig" else how,
                         bom=how == "utf-8-sig")
    table = read_table(data)
    assert table.ids == tuple(i for i, _ in rows)
    assert [parse_number(v) for v in table.values] == [v for _, v in rows]
