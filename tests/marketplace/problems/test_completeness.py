"""The pure completeness rules: plain data in, codes out (no app, no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask import session
from hypothesis import given
from hypothesis import strategies as st

from marketplace.problems.completeness import FAIR, GOOD, completeness, missing_for_publication

TODAY = date(2026, 12, 1)


@dataclass
class Draft:
    title: str = ""
    description: str = ""
    problem_types: list[str] = field(default_factory=list)
    industry: str | None = None
    data_assets: list[dict] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)
    budget_max_krw: int | None = None
    wanted_by: date | None = None


@dataclass
class Kpi:
    name: str
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None


def full() -> tuple[Draft, list[Kpi]]:
    return Draft(title="식빵 폐기율을 절반으로 줄이기", description="가" * 150, problem_types=["demand_forecasting"],
                 industry="C10", data_assets=[{"kind": "POS", "period_months": 36}], systems=["pos"],
                 budget_max_krw=35_000_000, wanted_by=TODAY + timedelta(days=90)), \
        [Kpi("당일 폐기율", "%", Decimal("15.2"), Decimal("7"))]


def test_a_fully_defined_problem_scores_100_and_an_empty_one_0():
    problem, kpis = full()
    quality = completeness(problem, kpis)
    assert (quality.score, quality.hints, quality.level) == (100, (), "good")
    empty = completeness(Draft(), [])
    assert empty.score == 0 and empty.level == "weak"
    assert sum(h.points for h in empty.hints) == 100


def test_a_kpi_without_baseline_is_named_in_its_hint():
    problem, _kpis = full()
    quality = completeness(problem, [Kpi("불량률", "%", None, Decimal("1"))])
    assert [(h.code, h.points, dict(h.params)) for h in quality.hints] == [("kpi_baseline", 10, {"name": "불량률"})]
    assert quality.score == 90


drafts = st.builds(
    Draft, title=st.text(max_size=20), description=st.text(max_size=200),
    problem_types=st.lists(st.sampled_from(["demand_forecasting", "visual_inspection"]), max_size=2),
    industry=st.none() | st.just("C10"),
    data_assets=st.lists(st.fixed_dictionaries({"period_months": st.none() | st.integers(0, 60)}), max_size=2),
    systems=st.lists(st.just("pos"), max_size=1), budget_max_krw=st.none() | st.integers(0, 10**9),
    wanted_by=st.none() | st.dates(min_value=TODAY - timedelta(days=30), max_value=TODAY + timedelta(days=30)))
kpi_rows = st.lists(st.builds(Kpi, name=st.text(min_size=1, max_size=5), unit=st.sampled_from(["", "%"]),
                              baseline=st.none() | st.decimals(-100, 100, places=2),
                              target=st.none() | st.decimals(-100, 100, places=2)), max_size=3)


@given(problem=drafts, kpis=kpi_rows)
def test_the_score_is_what_the_hints_leave_and_its_band_follows(problem, kpis):
    quality = completeness(problem, kpis)
    assert quality.score == 100 - sum(h.points for h in quality.hints)
    assert len({h.code for h in quality.hints}) == len(quality.hints)
    assert quality.level == ("good" if quality.score >= GOOD else "fair" if quality.score >= FAIR else "weak")


@given(problem=drafts, kpis=kpi_rows)
def test_publishing_needs_a_measured_kpi_and_a_future_date(problem, kpis):
    missing = missing_for_publication(problem, kpis, today=TODAY)
    measured = any(k.baseline is not None and k.target is not None for k in kpis)
    assert ("kpis" in missing) is not measured
    if problem.wanted_by is None:
        assert missing["wanted_by"] == "wanted_by"
    elif problem.wanted_by <= TODAY:
        assert missing["wanted_by"] == "wanted_by_past"
    else:
        assert "wanted_by" not in missing


def test_a_complete_draft_may_be_published_from_tomorrow_on():
    problem, kpis = full()
    assert missing_for_publication(problem, kpis, today=TODAY) == {}
    problem.wanted_by = TODAY
    assert missing_for_publication(problem, kpis, today=TODAY) == {"wanted_by": "wanted_by_past"}
    problem.description = "짧은 설명"
    assert set(missing_for_publication(problem, kpis, today=TODAY)) == {"description", "wanted_by"}


def test_every_code_has_a_message_in_both_languages(app):
    from marketplace.problems import messages

    problem, kpis = full()
    problem.wanted_by = TODAY
    codes = {**missing_for_publication(Draft(), [], today=TODAY),
             **{f"x{k}": v for k, v in missing_for_publication(problem, kpis, today=TODAY).items()}}
    for lang in ("ko", "en"):
        with app.test_request_context():
            session["locale"] = lang
            hints = [messages.hint(h) for h in completeness(Draft(), []).hints]
            texts = list(messages.missing(codes).values())
            assert all(hints) and all(texts) and len(set(hints)) == len(hints)
            assert messages.level(completeness(*full())) == ("잘 정의됨" if lang == "ko" else "Well defined")
