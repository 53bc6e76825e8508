"""The evidence rule (domain/evidence.py): claims count, but for less; confirmed and verified count more."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from domain.criteria import CRITERIA
from domain.evidence import (
    MAX_CLAIMED_ITEMS,
    POPULATION_PRIOR,
    EvidenceItem,
    Provenance,
    adjusted_profile,
    credibility,
    summarise,
)

CLAIM, CONFIRMED, VERIFIED = Provenance.CLAIMED, Provenance.CONFIRMED, Provenance.VERIFIED


def items(kind: Provenance, n: int, attainment: Fraction = Fraction(1)) -> list[EvidenceItem]:
    return [EvidenceItem(kind, attainment)] * n


def test_no_evidence_is_the_population_prior():
    assert credibility([]) == POPULATION_PRIOR
    assert adjusted_profile({"throughput": 0.9}, [])["throughput"] == 0.5


def test_twenty_claims_count_less_than_one_verified_delivery():
    claims = credibility(items(CLAIM, 20))
    verified = credibility(items(VERIFIED, 1, Fraction(94, 100)))
    assert claims < verified
    assert credibility(items(CLAIM, 50)) == credibility(items(CLAIM, MAX_CLAIMED_ITEMS))  # typing more earns nothing


def test_the_documented_numbers():
    # (4 × 0.5 + 1 × 1) / (4 + 1): ten claims are worth one average project
    assert credibility(items(CLAIM, 10)) == Fraction(3, 5)
    # three verified deliveries at 94%: (2 + 6 × 0.94) / 10
    assert credibility(items(VERIFIED, 3, Fraction(94, 100))) == Fraction(764, 1000)
    summary = summarise(items(VERIFIED, 3, Fraction(94, 100)) + items(CLAIM, 2))
    assert (summary.claimed, summary.confirmed, summary.verified) == (2, 0, 3)
    assert summary.backed_attainment == Fraction(94, 100) and summary.basis == VERIFIED


item_st = st.builds(EvidenceItem, st.sampled_from(list(Provenance)), st.fractions(0, 1, max_denominator=1000))


@given(evidence=st.lists(item_st, max_size=30), extra=item_st)
def test_credibility_is_a_share_and_good_evidence_never_lowers_it(evidence, extra):
    value = credibility(evidence)
    assert 0 <= value <= 1
    perfect = EvidenceItem(extra.provenance, Fraction(1))
    assert credibility([*evidence, perfect]) >= value


@given(kind=st.sampled_from([CONFIRMED, VERIFIED]), n=st.integers(1, 10), share=st.fractions(0, 1, max_denominator=1000))
def test_one_backed_item_moves_the_estimate_more_than_one_claim(kind, n, share):
    base = items(CLAIM, n, share)
    target = Fraction(1)
    gain_backed = abs(credibility([*base, EvidenceItem(kind, target)]) - credibility(base))
    gain_claim = abs(credibility([*base, EvidenceItem(CLAIM, target)]) - credibility(base))
    assert gain_backed >= gain_claim


@given(profile=st.fixed_dictionaries({c: st.floats(0, 1) for c in CRITERIA}), n=st.integers(0, 5))
def test_the_adjusted_profile_lies_between_the_prior_and_the_claim(profile, n):
    adjusted = adjusted_profile(profile, items(VERIFIED, n))
    for c in CRITERIA:
        low, high = sorted((0.5, profile[c]))
        assert low - 1e-9 <= adjusted[c] <= high + 1e-9
