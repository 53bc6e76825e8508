"""The terms data model: validation with bilingual errors, derived amounts, JSON codec."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import (
    AgreementTerms, Bilingual, Kpi, Maintenance, Member, Milestone, Party, PartyRole,
    Signature, Subsidy, TermsError, terms_from_dict, terms_to_dict, terms_to_json,
)
from contracts.examples import bakery_terms, cooperative_terms
from contracts.terms import Direction, validate_business_registration_no


def test_examples_are_valid_and_frozen(bakery, cooperative):
    assert bakery.price_won == 48_000_000
    assert bakery.kpis[0].name == "당일 폐기율"
    assert cooperative.is_cooperative and len(cooperative.members) == 3
    with pytest.raises(FrozenInstanceError):
        bakery.price_won = 1


def test_terms_error_names_the_field_in_korean_and_english():
    with pytest.raises(TermsError) as info:
        bakery_terms(price_won=48_000_000.0)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.field == "price_won"
    assert "정수" in error.message_ko and "integer" in error.message_en
    assert error.message("ko") == error.message_ko
    assert "price_won" in str(error)


@pytest.mark.parametrize(("changes", "field"), [
    ({"agreement_id": "AXB 2026/1"}, "agreement_id"),
    ({"version": 0}, "version"),
    ({"clause_library_version": "1999.1"}, "clause_library_version"),
    ({"created": datetime(2026, 3, 2, tzinfo=timezone.utc)}, "created"),
    ({"client_kind": "household"}, "client_kind"),
    ({"project_title": "   "}, "project_title"),
    ({"project_summary": "a\x00b"}, "project_summary"),
    ({"scope": ()}, "scope"),
    ({"scope": "한 줄 문자열"}, "scope"),
    ({"scope": ("데이터 정제", "  ")}, "scope[1]"),
    ({"data_provided": ("POS\x07",)}, "data_provided[0]"),
    ({"price_won": -1}, "price_won"),
    ({"price_won": True}, "price_won"),
    ({"acceptance_days": 0}, "acceptance_days"),
    ({"ip_ownership": "public_domain"}, "ip_ownership"),
    ({"on_premises": "yes"}, "on_premises"),
    ({"liability_cap_multiple": Decimal("50")}, "liability_cap_multiple"),
    ({"kpis": ()}, "kpis"),
])
def test_bad_top_level_fields_raise(changes, field):
    with pytest.raises(TermsError) as info:
        bakery_terms(**changes)
    assert info.value.field == field


def test_text_from_a_browser_form_is_normalised():
    terms = bakery_terms(project_summary="  첫 줄\r\n둘째 줄\r\n", scope=(" 데이터 정제 ",))
    assert terms.project_summary == "첫 줄\n둘째 줄"
    assert terms.scope == ("데이터 정제",)


def test_milestone_percents_must_sum_to_100():
    terms = bakery_terms()
    milestones = (terms.milestones[0], terms.milestones[1],
                  Milestone(3, "시범 운영", "서비스", 30, due_week=20))
    with pytest.raises(TermsError, match="sum to 100") as info:
        terms.replace(milestones=milestones)
    assert "100%" in info.value.message_ko


def test_milestones_must_be_numbered_in_order_and_not_go_backwards():
    terms = bakery_terms()
    first, second, third = terms.milestones
    with pytest.raises(TermsError, match="sequences"):
        terms.replace(milestones=(second, first, third))
    late = Milestone(1, "a", "b", 50, due_week=12)
    early = Milestone(2, "c", "d", 50, due_week=4)
    with pytest.raises(TermsError, match="backwards"):
        terms.replace(milestones=(late, early))


def test_milestone_needs_exactly_one_due():
    with pytest.raises(TermsError) as info:
        Milestone(1, "a", "b", 100)
    assert info.value.field == "milestone.due"
    with pytest.raises(TermsError):
        Milestone(1, "a", "b", 100, due_date=date(2026, 5, 1), due_week=3)


def test_kpi_values_become_decimals_and_must_improve_on_the_baseline():
    kpi = Kpi("폐기율", "%", 12, 5.5, "5", "lower", "홀드아웃")
    assert kpi.target == Decimal("5.5") and kpi.baseline == Decimal(12)
    assert kpi.direction is Direction.LOWER_IS_BETTER
    assert kpi.passes(Decimal("4.9")) and kpi.passes(5) and not kpi.passes(5.1)
    with pytest.raises(TermsError) as info:
        Kpi("폐기율", "%", 12, 15, 5, "lower", "홀드아웃")
    assert info.value.field == "kpi.target"
    with pytest.raises(TermsError):
        Kpi("정확도", "%", 80, 90, 70, "higher", "검증셋")
    with pytest.raises(TermsError):
        Kpi("정확도", "%", "NaN", 90, 95, "higher", "검증셋")


def test_business_registration_number_check_digit():
    assert validate_business_registration_no("6051234569") == "605-12-34569"
    with pytest.raises(TermsError, match="check digit"):
        validate_business_registration_no("605-12-34568")
    with pytest.raises(TermsError, match="000-00-00000"):
        validate_business_registration_no("605-12-3456")


def test_client_and_vendor_must_differ():
    terms = bakery_terms()
    with pytest.raises(TermsError) as info:
        terms.replace(vendor=terms.client)
    assert info.value.field == "vendor"


def test_subsidy_plus_own_share_must_equal_the_price_and_respect_the_ratio():
    terms = bakery_terms()
    program, agency = terms.subsidy.program_name, terms.subsidy.agency_name
    with pytest.raises(TermsError, match="equal the price"):
        terms.replace(subsidy=Subsidy(program, agency, 38_400_000, 9_000_000, Decimal("0.8")))
    with pytest.raises(TermsError, match="ratio"):
        terms.replace(subsidy=Subsidy(program, agency, 40_000_000, 8_000_000, Decimal("0.8")))
    with pytest.raises(TermsError):
        Subsidy(program, agency, 1, 1, Decimal("1.5"))
    capped = terms.replace(subsidy=Subsidy(program, agency, 30_000_000, 18_000_000, "0.8"))
    assert capped.sme_cost_won == 18_000_000


def test_cooperative_member_shares_must_add_up_to_the_sme_cost():
    terms = cooperative_terms()
    first, second, third = terms.members
    with pytest.raises(TermsError, match="add up"):
        terms.replace(members=(first, second, Member(third.party, 1)))
    with pytest.raises(TermsError, match="at least two"):
        terms.replace(members=(Member(first.party, terms.sme_cost_won),))
    with pytest.raises(TermsError, match="only a cooperative"):
        bakery_terms(members=terms.members)
    with pytest.raises(TermsError, match="distinct"):
        terms.replace(members=(first, Member(first.party, second.share_won + third.share_won)))


def test_signatures_must_be_utc_from_a_party_and_once():
    terms = bakery_terms()
    brn = terms.client.business_registration_no
    kst = timezone(timedelta(hours=9))
    with pytest.raises(TermsError) as info:
        Signature(PartyRole.CLIENT, brn, "김민지", datetime(2026, 3, 3, 9, 0, tzinfo=kst), "1.2.3.4")
    assert info.value.field == "signature.signed_at"
    with pytest.raises(TermsError):
        Signature(PartyRole.CLIENT, brn, "김민지", datetime(2026, 3, 3, 9, 0), "1.2.3.4")
    with pytest.raises(TermsError) as info:
        Signature(PartyRole.CLIENT, brn, "김민지", datetime(2026, 3, 3, tzinfo=timezone.utc), "999.1.1.1")
    assert info.value.field == "signature.ip_address"
    signature = Signature(PartyRole.CLIENT, brn, "김민지",
                          datetime(2026, 3, 3, tzinfo=timezone.utc), "2001:db8::1")
    with pytest.raises(TermsError, match="not a party"):
        terms.replace(signatures=(Signature(PartyRole.VENDOR, brn, "김민지",
                                            signature.signed_at, "1.2.3.4"),))
    with pytest.raises(TermsError, match="twice"):
        terms.replace(signatures=(signature, signature))
    assert not terms.replace(signatures=(signature,)).fully_signed
    assert bakery_terms(signed=True).fully_signed


def test_bilingual_and_party_validate_their_fields():
    with pytest.raises(TermsError) as info:
        Bilingual("행복한제빵소", "")
    assert info.value.field == "en"
    with pytest.raises(TermsError) as info:
        Party(Bilingual("가", "A"), "123-45-67890", Bilingual("가", "A"), Bilingual("가", "A"))
    assert info.value.field == "party.business_registration_no"
    with pytest.raises(TermsError):
        Maintenance(4_800_000.0, 2, "평일 지원")


def test_derived_amounts(bakery):
    assert bakery.milestone_amounts() == (9_600_000, 19_200_000, 19_200_000)
    assert bakery.late_penalty_cap_won == 4_800_000
    assert bakery.liability_cap_won == 48_000_000
    assert bakery.sme_cost_won == 9_600_000
    assert bakery.maintenance.total_won == 9_600_000


@given(price=st.integers(min_value=1, max_value=10**12),
       split=st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=6))
def test_milestone_amounts_always_add_up_to_the_price(price, split):
    # Percents that sum to 100, from arbitrary weights.
    total = sum(split) or 1
    percents = [w * 100 // total for w in split]
    percents[-1] += 100 - sum(percents)
    milestones = tuple(Milestone(i + 1, f"단계 {i + 1}", "산출물", p, due_week=i + 1)
                       for i, p in enumerate(percents))
    terms = bakery_terms(price_won=price, milestones=milestones, subsidy=None)
    amounts = terms.milestone_amounts()
    assert sum(amounts) == price
    assert all(a >= 0 for a in amounts)


def test_json_is_deterministic_and_round_trips(bakery, cooperative):
    for terms in (bakery, cooperative):
        data = json.loads(terms_to_json(terms))
        assert data == terms_to_dict(terms)
        assert terms_from_dict(data) == terms
        assert terms_to_json(terms_from_dict(data)) == terms_to_json(terms)
    raw = terms_to_json(bakery).decode()
    assert '"price_won":48000000' in raw
    assert '"baseline":"12"' in raw            # Decimals as strings, never floats
    assert '"signed_at":"2026-03-03T00:12:05Z"' in raw
    assert "행복한제빵소" in raw                # UTF-8, not \\u escapes


def test_decoding_rejects_unknown_and_invalid_fields(bakery):
    data = terms_to_dict(bakery)
    with pytest.raises(TermsError, match="not a known field"):
        terms_from_dict({**data, "discount": 5})
    with pytest.raises(TermsError) as info:
        terms_from_dict({**data, "created": "next tuesday"})
    assert info.value.field == "created"
    with pytest.raises(TermsError, match="missing"):
        terms_from_dict({k: v for k, v in data.items() if k != "price_won"})


def test_agreement_terms_has_the_fields_the_web_app_fills():
    names = {f for f in AgreementTerms.__dataclass_fields__}
    assert {"agreement_id", "version", "clause_library_version", "created", "client",
            "vendor", "members", "project_title", "project_summary", "scope",
            "deliverables", "milestones", "price_won", "kpis", "acceptance_days",
            "resubmission_days", "ip_ownership", "on_premises", "governing_law", "court",
            "subsidy", "maintenance", "warranty_months", "liability_cap_multiple",
            "late_penalty", "signatures"} <= names
