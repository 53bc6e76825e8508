"""Where a vendor figure comes from, and how much it counts: the evidence rule, defined once.

Every figure that ranking or bid evaluation reads of a vendor has a :class:`Provenance`:

- ``claimed``: the vendor typed it (its offering's completed projects, references, criteria profile);
- ``confirmed``: a third party confirmed it (a reference customer through a one-time link, or an SME);
- ``verified``: the platform computed it from its own records (completed agreements, accepted
  milestones, KPI results measured at acceptance, reviews of completed work).

The rule (plain words in the README, "Evidence"): a vendor's *credibility* is the share of what it
promises that it delivers. Every evidence item is one past project with the share of its KPI target it
reached (0–1; a claim says 1 unless it says otherwise). The estimate is a weighted mean that starts from
the population prior, as if :data:`PRIOR_STRENGTH` average projects had been seen already, and each item
adds its :data:`ITEM_WEIGHT`: a verified project counts 2, a confirmed one 1, a claim 0.1, and at most
:data:`MAX_CLAIMED_ITEMS` claims count at all (together: one average project). So twenty claimed projects
move the estimate less than one project the platform saw delivered. The same weight shrinks the vendor's self-described criteria profile
toward the population's (:func:`adjusted_profile`).

A pure module: standard library only. ``marketplace`` loads the items; ``matching`` and the bid
evaluation read the results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from domain.criteria import CRITERIA


class Provenance(StrEnum):
    CLAIMED = "claimed"
    CONFIRMED = "confirmed"
    VERIFIED = "verified"


#: How much one project counts, by where its figure comes from.
ITEM_WEIGHT: Mapping[Provenance, Fraction] = {
    Provenance.CLAIMED: Fraction(1, 10), Provenance.CONFIRMED: Fraction(1), Provenance.VERIFIED: Fraction(2),
}
#: Claims beyond this many add nothing (typing a bigger number earns nothing).
MAX_CLAIMED_ITEMS = 10
#: The population prior: a vendor nobody knows delivers half of what it promises.
POPULATION_PRIOR = Fraction(1, 2)
#: How many average projects the prior is worth.
PRIOR_STRENGTH = Fraction(4)
#: A criterion of the profile nobody described counts as middling.
NEUTRAL_PROFILE = 0.5


@dataclass(frozen=True)
class EvidenceItem:
    """One past project as evidence: where it comes from and the share of its KPI target it reached (0–1)."""

    provenance: Provenance
    attainment: Fraction = Fraction(1)
    #: what it is, for people: "agreement 12", "reference: 대성정밀 vision inspection"
    label: str = ""


def _clamp(value: Fraction) -> Fraction:
    return min(Fraction(1), max(Fraction(0), Fraction(value)))


def counted(items: Iterable[EvidenceItem]) -> list[EvidenceItem]:
    """The items that count: every confirmed and verified one, the first :data:`MAX_CLAIMED_ITEMS` claims."""
    out, claims = [], 0
    for item in items:
        if item.provenance == Provenance.CLAIMED:
            claims += 1
            if claims > MAX_CLAIMED_ITEMS:
                continue
        out.append(item)
    return out


def evidence_weight(items: Iterable[EvidenceItem]) -> Fraction:
    """How many average projects the evidence is worth (claims capped)."""
    return sum((ITEM_WEIGHT[i.provenance] for i in counted(items)), Fraction(0))


def shrink(value: Fraction | float, weight: Fraction, prior: Fraction | float) -> Fraction:
    """``value`` pulled toward ``prior``: (strength × prior + weight × value) ÷ (strength + weight)."""
    weight = Fraction(weight)
    return (PRIOR_STRENGTH * Fraction(prior) + weight * Fraction(value)) / (PRIOR_STRENGTH + weight)


def credibility(items: Iterable[EvidenceItem], prior: Fraction = POPULATION_PRIOR) -> Fraction:
    """0–1: the evidence-weighted share of its promises the vendor delivers, shrunk toward ``prior``."""
    items = counted(items)
    weight = sum((ITEM_WEIGHT[i.provenance] for i in items), Fraction(0))
    if not weight:
        return Fraction(prior)
    mean = sum((ITEM_WEIGHT[i.provenance] * _clamp(i.attainment) for i in items), Fraction(0)) / weight
    return shrink(mean, weight, prior)


def adjusted_profile(profile: Mapping[str, float], items: Iterable[EvidenceItem],
                     prior: Mapping[str, float] | None = None) -> dict[str, float]:
    """The vendor's criteria profile (0–1) shrunk toward the population's by the weight of its evidence."""
    weight = evidence_weight(items)
    prior = prior or {}
    return {c: float(shrink(Fraction(float(profile.get(c, NEUTRAL_PROFILE))), weight,
                            Fraction(float(prior.get(c, NEUTRAL_PROFILE))))) for c in CRITERIA}


@dataclass(frozen=True)
class EvidenceSummary:
    """The counts behind a vendor's figures, for the explanation ("검증된 납품 3건, 평균 KPI 달성 94%")."""

    claimed: int
    confirmed: int
    verified: int
    #: mean attainment of confirmed and verified items, 0–1 (None without any)
    backed_attainment: Fraction | None
    credibility: Fraction

    @property
    def basis(self) -> Provenance:
        """The strongest provenance present (what the explanation says it used)."""
        if self.verified:
            return Provenance.VERIFIED
        return Provenance.CONFIRMED if self.confirmed else Provenance.CLAIMED


def summarise(items: Iterable[EvidenceItem], prior: Fraction = POPULATION_PRIOR) -> EvidenceSummary:
    items = list(items)
    by = {p: [i for i in items if i.provenance == p] for p in Provenance}
    backed = by[Provenance.CONFIRMED] + by[Provenance.VERIFIED]
    mean = sum((_clamp(i.attainment) for i in backed), Fraction(0)) / len(backed) if backed else None
    return EvidenceSummary(claimed=len(by[Provenance.CLAIMED]), confirmed=len(by[Provenance.CONFIRMED]),
                           verified=len(by[Provenance.VERIFIED]), backed_attainment=mean,
                           credibility=credibility(items, prior))
