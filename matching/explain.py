"""Results and their explanations: :class:`Match` and :class:`Reason`.

A reason has a machine ``code`` and ``params`` (plain JSON values) and renders
a short sentence in Korean or English with :meth:`Reason.text`. Every reason
states a fact about the two records it was made from; the tests check that.

Reason codes
    ``problem_type_match``   the offering covers these problem types of the problem (``codes``): it declares
                             them as capabilities (``source="declared"``) or, declaring none, its description
                             names them (``source="description"``)
    ``problem_type_mentioned`` the offering does not declare these problem types of the problem but its
                             description names them (``codes``, ``terms`` as written); a small credit
    ``industry_match``       the offering lists the problem's industry (``industry``, ``level``: division|section)
    ``industry_other``       the offering lists only other industries than the problem's division
                             (``industry``, ``industries``): a small penalty
    ``text_match``           shared terms (``terms``)
    ``criteria_fit``         strong on the criterion the SME weights most (``criterion``, ``value``)
    ``criteria_mismatch``    the SME weights ``wanted`` most; the profile leans on ``leans_on``
    ``budget_within``        the price range fits the budget (``budget``, ``price_min``, ``price_max``)
    ``budget_below_price``   the budget is below the lowest price (``budget``, ``price_min``)
    ``region_served``        the offering serves the problem's region (``region``; ``nationwide``)
    ``region_not_served``    it does not (``region``, ``served``)
    ``on_premises_ok``       on-premises required and offered (``modes``)
    ``cloud_only``           on-premises required, cloud only: filtered out (``modes``)
    ``deployment_unknown``   on-premises required, modes not stated
    ``no_capacity``          no open project slot
    ``track_record``         completed projects and mean review (``completed``, ``mean_review``)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from matching import taxonomy

__all__ = ["Match", "Reason", "format_won"]


def format_won(amount: int, lang: str) -> str:
    """``35,000,000`` → ``"3,500만 원"`` (ko) or ``"KRW 35,000,000"`` (en)."""
    if taxonomy.normalise_lang(lang) == "en":
        return f"KRW {amount:,}"
    eok, rest = divmod(int(amount), 100_000_000)
    man = rest // 10_000
    if eok and man:
        return f"{eok:,}억 {man:,}만 원"
    if eok:
        return f"{eok:,}억 원"
    if man:
        return f"{man:,}만 원"
    return f"{amount:,}원"


def _pt(code: str, lang: str) -> str:
    entry = taxonomy.get_problem_type(code)
    return entry.label(lang) if entry else code


def _crit(code: str, lang: str) -> str:
    return taxonomy.criterion_label(code, lang)


def _region(code: str, lang: str) -> str:
    entry = taxonomy.get_region(code)
    return entry.label(lang) if entry else code


def _industry(code: str, lang: str) -> str:
    entry = taxonomy.get_industry(code) or taxonomy.get_industry_section(code)
    return entry.label(lang) if entry else code


def _modes(codes, lang: str) -> str:
    return ", ".join(taxonomy.get_deployment_mode(c).label(lang) for c in codes)


def _render(code: str, p: dict[str, Any], lang: str) -> str:
    ko = lang == "ko"
    if code == "problem_type_match":
        names = ", ".join(_pt(c, lang) for c in p["codes"])
        if p.get("source") == "description":
            return f"설명상 문제 유형 일치: {names}" if ko else f"Its description covers your problem type: {names}"
        return f"등록 역량 일치: {names}" if ko else f"Declared capability matches your problem type: {names}"
    if code == "problem_type_mentioned":
        items = ", ".join(f"'{t}' ({_pt(c, lang)})" for c, t in zip(p["codes"], p["terms"]))
        return (f"설명에서 언급: {items} — 등록 역량은 아님" if ko
                else f"Mentions {items} in its description, not as a declared capability")
    if code == "industry_match":
        name = _industry(p["industry"], lang)
        if p.get("level") == "section":
            return f"같은 산업 대분류 경험: {name}" if ko else f"Experience in the same industry section: {name}"
        return f"업종 경험: {name}" if ko else f"Experience in your industry: {name}"
    if code == "industry_other":
        names = ", ".join(_industry(c, lang) for c in p["industries"])
        return (f"등록 업종이 귀사 업종과 다릅니다: {names}" if ko
                else f"Lists other industries than yours: {names}")
    if code == "text_match":
        terms = ", ".join(p["terms"])
        return f"일치하는 핵심어: {terms}" if ko else f"Matching terms: {terms}"
    if code == "criteria_fit":
        name = _crit(p["criterion"], lang)
        return (f"중시하는 '{name}'에서 강점 ({p['value']:.1f}/1)" if ko
                else f"Strong on {name}, your top criterion ({p['value']:.1f}/1)")
    if code == "criteria_mismatch":
        wanted, leans = _crit(p["wanted"], lang), _crit(p["leans_on"], lang)
        return (f"귀사는 '{wanted}'을(를) 가장 중시하지만 이 공급기업의 프로필은 '{leans}'에 치우쳐 있습니다"
                if ko else f"You weight {wanted.lower()} most; this vendor's profile leans on {leans.lower()}")
    if code == "budget_within":
        return (f"예산({format_won(p['budget'], lang)}) 안의 가격 ({format_won(p['price_min'], lang)}부터)"
                if ko else f"Price from {format_won(p['price_min'], lang)} fits your budget of {format_won(p['budget'], lang)}")
    if code == "budget_below_price":
        return (f"예산({format_won(p['budget'], lang)})이 최저 가격({format_won(p['price_min'], lang)})보다 낮습니다"
                if ko else f"Your budget ({format_won(p['budget'], lang)}) is below the lowest price ({format_won(p['price_min'], lang)})")
    if code == "region_served":
        if p.get("nationwide"):
            return "전국 서비스" if ko else "Serves the whole country"
        name = _region(p["region"], lang)
        return f"{name} 지역 서비스" if ko else f"Serves {name}"
    if code == "region_not_served":
        name = _region(p["region"], lang)
        served = ", ".join(_region(r, lang) for r in p["served"])
        return (f"{name}은(는) 서비스 지역이 아닙니다 (서비스 지역: {served})" if ko
                else f"Does not serve {name} (serves {served})")
    if code == "on_premises_ok":
        return (f"온프레미스 요구 충족: {_modes(p['modes'], lang)}" if ko
                else f"Meets your on-premises requirement: {_modes(p['modes'], lang)}")
    if code == "cloud_only":
        return ("온프레미스 설치가 필요하지만 클라우드 전용입니다" if ko
                else "You require on-premises deployment; this offering is cloud-only")
    if code == "deployment_unknown":
        return ("온프레미스 설치가 필요하지만 제공 방식이 명시되지 않았습니다" if ko
                else "You require on-premises deployment; the offering does not state its deployment modes")
    if code == "no_capacity":
        return "현재 신규 프로젝트 여력이 없습니다" if ko else "The vendor has no open project slot"
    if code == "track_record":
        review = p.get("mean_review")
        if ko:
            return f"완료 프로젝트 {p['completed']}건" + (f", 평균 평점 {review:.1f}/5" if review is not None else "")
        return f"{p['completed']} completed projects" + (f", mean review {review:.1f}/5" if review is not None else "")
    raise KeyError(code)


@dataclass(frozen=True)
class Reason:
    """One short, true statement about a match."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    #: ``+1`` speaks for the match, ``-1`` against it, ``0`` neutral.
    polarity: int = 1

    def text(self, lang: str = "ko") -> str:
        return _render(self.code, self.params, taxonomy.normalise_lang(lang))

    def __hash__(self) -> int:
        return hash((self.code, repr(sorted(self.params.items())), self.polarity))

    def as_dict(self, langs=("ko", "en")) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "params": self.params, "polarity": self.polarity}
        for lang in langs:
            out[lang] = self.text(lang)
        return out


@dataclass(frozen=True)
class Match:
    """One ranked result. ``score == sum(contributions.values())`` (up to float rounding).

    ``id`` is the offering's id when ranking offerings, the problem's when
    ranking problems. ``excluded`` is true only from :meth:`MatchIndex.explain`
    for a pair a hard constraint filters out.
    """

    id: str | int
    score: float
    contributions: dict[str, float]
    reasons: tuple[Reason, ...]
    matched_terms: tuple[str, ...] = ()
    excluded: bool = False

    def __hash__(self) -> int:
        return hash((self.id, self.score))

    def as_dict(self, id_key: str = "id", langs=("ko", "en")) -> dict[str, Any]:
        return {
            id_key: self.id,
            "score": round(self.score, 6),
            "contributions": {k: round(v, 6) for k, v in self.contributions.items()},
            "matched_terms": list(self.matched_terms),
            "reasons": [r.as_dict(langs) for r in self.reasons],
            **({"excluded": True} if self.excluded else {}),
        }
