"""The eligibility check is a pure function: plain values in, every failed rule out, each with its message."""

from datetime import date

import pytest

from marketplace.programs.services import Applicant, Rules, check_eligibility

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
    message = result.failures[0].message
    assert all(w in message for w in words), message


def test_the_window_and_the_status_are_rules_too():
    before = check_eligibility(RULES, FIT, today=date(2026, 4, 30))
    after = check_eligibility(RULES, FIT, today=date(2026, 7, 1))
    closed = check_eligibility(Rules(**{**RULES.__dict__, "status": "closed"}), FIT, today=TODAY)
    assert before.codes == ["window"] and "2026-05-01" in before.failures[0].message
    assert after.codes == ["window"] and "2026-06-30" in after.failures[0].message
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
            result = check_eligibility(RULES, Applicant(**{**FIT.__dict__, "region": "seoul"}), today=TODAY,
                                       lang="en")
    assert "Seoul" in result.failures[0].message and "covers" in result.failures[0].message
