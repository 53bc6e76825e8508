"""The eligibility check is a pure function: plain values in, every failed rule out; the service words each
failure in the reader's language."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.programs import services
from marketplace.programs.eligibility import Applicant, Rules, check_eligibility
from matching import taxonomy

TODAY = date(2026, 5, 10)
RULES = Rules(opens_on=date(2026, 5, 1), closes_on=date(2026, 6, 30), status="open", max_employees=300,
              max_revenue_krw=100_000_000_000, regions=("busan", "daegu", "ulsan", "gyeongbuk", "gyeongnam"),
              industries=("C",), problem_types=("visual_inspection", "predictive_maintenance"),
              exclude_previously_subsidised=True)
FIT = Applicant(employees=85, annual_revenue_krw=21_000_000_000, region="ulsan", industry="C30",
                problem_types=("visual_inspection",), previously_subsidised=False)


def test_a_fitting_sme_is_eligible():
    result = check_eligibility(RULES, FIT, today=TODAY)
    assert result.eligible and result.failures == ()


@pytest.mark.parametrize(("change", "code", "words"), [
    ({"employees": 420}, "employees", ["420", "300"]),
    ({"annual_revenue_krw": 180_000_000_000}, "revenue", ["180,000,000,000"]),
    ({"region": "seoul"}, "region", ["서울특별시", "울산광역시"]),
    ({"industry": "J62"}, "industry", ["제조업"]),
    ({"problem_types": ("document_language",)}, "problem_type", ["문서·언어 처리"]),
    ({"previously_subsidised": True}, "previous_subsidy", ["3"]),
])
def test_each_rule_fails_with_its_own_message(change, code, words):
    applicant = Applicant(**{**FIT.__dict__, **change})
    result = check_eligibility(RULES, applicant, today=TODAY)
    assert not result.eligible
    assert result.codes == [code]
    message = services.reason_message(result.failures[0], "ko")
    assert all(w in message for w in words), message


def test_the_window_and_the_status_are_rules_too():
    before = check_eligibility(RULES, FIT, today=date(2026, 4, 30))
    after = check_eligibility(RULES, FIT, today=date(2026, 7, 1))
    closed = check_eligibility(Rules(**{**RULES.__dict__, "status": "closed"}), FIT, today=TODAY)
    assert before.codes == ["window"] and "2026-05-01" in services.reason_message(before.failures[0], "ko")
    assert after.codes == ["window"] and "2026-06-30" in services.reason_message(after.failures[0], "ko")
    assert closed.codes == ["status"] and closed.window_closed
    assert check_eligibility(RULES, FIT, today=date(2026, 6, 30)).eligible  # the closing day counts


def test_every_failed_rule_is_named_at_once():
    applicant = Applicant(employees=1200, annual_revenue_krw=400_000_000_000, region="seoul", industry="G46",
                          problem_types=("document_language",), previously_subsidised=True)
    result = check_eligibility(RULES, applicant, today=date(2026, 8, 1))
    assert result.codes == ["window", "employees", "revenue", "region", "industry", "problem_type",
                            "previous_subsidy"]


def test_empty_lists_restrict_nothing_and_sections_cover_divisions():
    open_rules = Rules(opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 31))
    anyone = Applicant(employees=5000, annual_revenue_krw=10**13, region="jeju", industry="A01", problem_types=())
    assert check_eligibility(open_rules, anyone, today=TODAY).eligible
    division_rules = Rules(**{**RULES.__dict__, "industries": ("C30",)})
    assert check_eligibility(division_rules, FIT, today=TODAY).eligible
    assert check_eligibility(division_rules, Applicant(**{**FIT.__dict__, "industry": "C29"}),
                             today=TODAY).codes == ["industry"]


def test_messages_follow_the_language(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask_babel import force_locale

        with force_locale("en"):
            result = check_eligibility(RULES, Applicant(**{**FIT.__dict__, "region": "seoul"}), today=TODAY)
            message = services.reason_message(result.failures[0], "en")
    assert "Seoul" in message and "covers" in message


# --- properties ----------------------------------------------------------------------------------

REGIONS = [r.code for r in taxonomy.regions()]
DIVISIONS = [i.code for i in taxonomy.industries()]
SECTIONS = [s.code for s in taxonomy.industry_sections()]
PROBLEM_TYPES = [t.code for t in taxonomy.problem_types()]
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


def codes(values, *, min_size=0):
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=4, unique=True).map(tuple)


applicants = st.builds(
    Applicant, employees=st.integers(0, 100_000), annual_revenue_krw=st.integers(0, 10**13),
    region=st.sampled_from(REGIONS), industry=st.none() | st.sampled_from(DIVISIONS),
    problem_types=codes(PROBLEM_TYPES), previously_subsidised=st.booleans())


@st.composite
def rule_sets(draw):
    opens = draw(days)
    return Rules(opens_on=opens, closes_on=opens + timedelta(days=draw(st.integers(0, 400))),
                 status=draw(st.sampled_from(["draft", "open", "closed"])),
                 max_employees=draw(st.none() | st.integers(0, 100_000)),
                 max_revenue_krw=draw(st.none() | st.integers(0, 10**13)), regions=draw(codes(REGIONS)),
                 industries=draw(codes(DIVISIONS + SECTIONS)), problem_types=draw(codes(PROBLEM_TYPES)),
                 exclude_previously_subsidised=draw(st.booleans()))


@st.composite
def stricter(draw, rules: Rules) -> Rules:
    """The same program with some rules tightened: a later opening, an earlier closing, lower limits,
    fewer regions, industries or kinds of problem, earlier recipients excluded, or not open."""
    def fewer(current, universe):
        pool = list(current or universe)
        return tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True)))

    def lower(limit, top):
        return draw(st.integers(0, top if limit is None else limit))

    span = (rules.closes_on - rules.opens_on).days
    later = draw(st.integers(0, span))
    earlier = draw(st.integers(0, span - later))
    changes = draw(st.sets(st.sampled_from(["status", "employees", "revenue", "regions", "industries",
                                            "problem_types", "previous"])))
    return replace(
        rules, opens_on=rules.opens_on + timedelta(days=later), closes_on=rules.closes_on - timedelta(days=earlier),
        status=draw(st.sampled_from(["draft", "closed"])) if "status" in changes else rules.status,
        max_employees=lower(rules.max_employees, 100_000) if "employees" in changes else rules.max_employees,
        max_revenue_krw=lower(rules.max_revenue_krw, 10**13) if "revenue" in changes else rules.max_revenue_krw,
        regions=fewer(rules.regions, REGIONS) if "regions" in changes else rules.regions,
        industries=fewer(rules.industries, DIVISIONS) if "industries" in changes else rules.industries,
        problem_types=fewer(rules.problem_types, PROBLEM_TYPES) if "problem_types" in changes else rules.problem_types,
        exclude_previously_subsidised=rules.exclude_previously_subsidised or "previous" in changes)


@given(data=st.data(), rules=rule_sets(), applicant=applicants, today=days)
def test_a_stricter_program_never_accepts_whom_a_looser_one_refuses(data, rules, applicant, today):
    strict = data.draw(stricter(rules))
    loose_codes = set(check_eligibility(rules, applicant, today=today).codes)
    assert loose_codes <= set(check_eligibility(strict, applicant, today=today).codes)


@given(applicant=applicants, opens=days, length=st.integers(0, 400), today=days)
def test_an_open_program_without_limits_takes_anyone_within_its_window_and_no_one_outside(applicant, opens,
                                                                                          length, today):
    rules = Rules(opens_on=opens, closes_on=opens + timedelta(days=length))
    result = check_eligibility(rules, applicant, today=today)
    assert result.eligible == (rules.opens_on <= today <= rules.closes_on)
    assert result.eligible or (result.codes == ["window"] and result.window_closed)


@given(rules=rule_sets(), applicant=applicants, today=days)
def test_every_failure_can_be_worded_in_both_languages(rules, applicant, today):
    for failure in check_eligibility(rules, applicant, today=today).failures:
        for lang in ("ko", "en"):
            message = services.reason_message(failure, lang)
            assert message and "%(" not in message
