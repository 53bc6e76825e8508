"""Hypothesis over the parsers of user input: they accept, or refuse with their own clear error, never crash."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.brn import check_digit
from domain.criteria import CRITERIA
from marketplace.accounts import services as accounts
from marketplace.core.errors import ValidationFailed
from marketplace.discovery import services as discovery
from marketplace.core.schemas import parse
from marketplace.problems.schemas import ProblemUpdate
from matching import MatchingError, offering_from_dict, problem_from_dict
from matching.cli import read_jsonl

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                   st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))


@FUZZ
@given(raw=st.one_of(st.text(max_size=20), st.from_regex(r"\d{3}-\d{2}-\d{5}", fullmatch=True)))
def test_business_numbers_are_normalised_or_refused(app, raw):
    with app.app_context():
        try:
            digits = accounts.normalise_brn(raw)
        except ValidationFailed as exc:
            assert "brn" in exc.fields
        else:
            assert len(digits) == 10 and check_digit(digits[:9]) == int(digits[9])


@FUZZ
@given(raw=st.one_of(st.text(max_size=60), st.dictionaries(st.text(max_size=12), values, max_size=8)))
def test_what_if_weights_parse_or_are_refused(app, raw):
    with app.test_request_context():
        try:
            parsed = discovery.parse_weights(raw)
        except ValidationFailed as exc:
            assert exc.fields == {"weights": exc.message}
        else:
            assert parsed is None or (all(v >= 0 for v in parsed.values()) and sum(parsed.values()) > 0)


@FUZZ
@given(rows=st.one_of(values, st.lists(st.dictionaries(
    st.sampled_from(["name", "unit", "baseline", "target", "direction", "other"]), values, max_size=6), max_size=8)))
def test_kpi_rows_clean_or_name_the_bad_field(app, rows):
    with app.app_context():
        try:
            cleaned = parse(ProblemUpdate, {"kpis": rows}).kpis
        except ValidationFailed as exc:
            assert exc.fields and all(k == "kpis" or k.startswith("kpis.") for k in exc.fields)
            return
    for row in cleaned:
        assert row.name and row.direction in ("lower", "higher")
        for number in (row.baseline, row.target):
            assert number is None or (isinstance(number, Decimal) and number.is_finite())


@FUZZ
@given(weights=st.one_of(values, st.dictionaries(st.sampled_from(list(CRITERIA) + ["luck"]), values,
                                                 max_size=8)))
def test_criteria_weights_clean_only_when_they_sum_to_100(app, weights):
    with app.app_context():
        try:
            cleaned = parse(ProblemUpdate, {"weights": weights}).weights
        except ValidationFailed as exc:
            assert exc.fields and all(k == "weights" or k.startswith("weights.") for k in exc.fields)
            return
    if cleaned is not None:  # null: the weights stay as they are
        assert sum(cleaned.values()) == 100 and all(0 <= v <= 100 for v in cleaned.values())


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                                     st.text(max_size=20)),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=3), max_leaves=8)
records = st.dictionaries(st.sampled_from(["id", "title", "description", "problem_types", "industry", "region",
                                           "budget_min", "budget_max", "weights", "capabilities", "price_min",
                                           "price_max", "profile", "extra"]), json_values, max_size=8)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(records.map(json.dumps), st.text(max_size=30)), min_size=1, max_size=5),
       kind=st.sampled_from(["problem", "offering"]))
def test_json_lines_are_read_or_refused_with_the_line_number(tmp_path_factory, lines, kind):
    path = tmp_path_factory.mktemp("jsonl") / "records.jsonl"
    path.write_text("\n".join(line.replace("\n", " ") for line in lines), encoding="utf-8")
    parse = problem_from_dict if kind == "problem" else offering_from_dict
    try:
        read = read_jsonl(path, parse, kind)
    except MatchingError as exc:
        assert str(exc).startswith(f"{path}:")
    else:
        assert len(read) <= len(lines)


def test_the_fuzzers_can_fail():
    with pytest.raises(ValidationFailed):
        accounts.normalise_brn("220-81-62518")
