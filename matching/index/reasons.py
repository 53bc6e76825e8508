"""The reasons of a match: which facts about the two records made its score.

:func:`_explain` turns the contributions of one pair into a
:class:`~matching.explain.Match` with :class:`~matching.explain.Reason` items
(see :mod:`matching.explain` for the codes). Matched keywords are content
words only: Korean particles, endings and stop words ("있고", "최근") never
appear (:func:`matching.tokens.is_content_term`).
"""

from __future__ import annotations

from functools import lru_cache

from matching import taxonomy, terms
from matching.explain import Match, Reason
from matching.index.state import _Snapshot
from matching.records import OfferingRecord, ProblemRecord
from matching.tokens import is_content_term, word_tokens


@lru_cache(maxsize=16_384)
def _token_set(text: str) -> frozenset[str]:
    """The word tokens of a record's text (cached: the same offerings come back in many rankings)."""
    return frozenset(word_tokens(text))

_MIN_TEXT_TERMS = 6


def _explain(snap: _Snapshot, p: ProblemRecord, p_hits: dict[str, str], p_tokens: set[str] | None,
             o: OfferingRecord, o_hits: dict[str, str], values: dict[str, float], *, direction: str,
             excluded: bool = False, other_tokens: set[str] | None = None) -> Match:
    reasons: list[Reason] = []
    matched: list[str] = []
    # Taxonomy: the problem's types the offering declares (or, declaring none, its text names) ...
    p_types, o_types = p_hits.types, o_hits.types
    shared = [c for c in p_types if c in o_types]
    if shared:
        reasons.append(Reason("problem_type_match",
                              {"codes": shared, "source": "declared" if o_hits.declared else "description"}))
        for c in shared:
            a, b = p_types[c], o_types[c]
            matched.append(a if terms.normalise_text(a) == terms.normalise_text(b) else f"{a} ↔ {b}")
    # ... and those it only mentions beside other declared capabilities (a small credit, said as such).
    mentioned = [c for c in p_types if c in o_hits.extra] if snap.config.type_mention > 0 else []
    if mentioned:
        said = [o_hits.extra[c] for c in mentioned]
        reasons.append(Reason("problem_type_mentioned", {"codes": mentioned, "terms": said}, 0))
        matched.extend(t for t in said if t not in matched)
    if p.industry is not None and o.industries:
        if p.industry in o.industries:
            reasons.append(Reason("industry_match", {"industry": p.industry, "level": "division"}))
        else:
            if p.industry[0] in {c[0] for c in o.industries}:
                reasons.append(Reason("industry_match", {"industry": p.industry[0], "level": "section"}))
            if snap.config.industry_mismatch_penalty:
                reasons.append(Reason("industry_other", {"industry": p.industry, "industries": list(o.industries)},
                                      -1))
    # Words both texts use, rarest first.
    if p_tokens is None:
        p_tokens = set(word_tokens(p.text))
    o_tokens = other_tokens if other_tokens is not None else _token_set(o.text)
    common = {t for t in p_tokens & o_tokens if is_content_term(t)}
    if common:
        vocab = getattr(snap.model.word, "vocabulary_", None) or {}
        idf = snap.model.word.idf_ if vocab else None
        ranked = sorted(common, key=lambda t: (-(idf[vocab[t]] if t in vocab else 0.0), t))[:_MIN_TEXT_TERMS]
        reasons.append(Reason("text_match", {"terms": ranked}))
        matched.extend(t for t in ranked if t not in matched)
    # Criteria.
    w = p.weights.values
    if max(w) - min(w) > 1e-9:
        wanted = p.weights.top()
        known = {k: v for k, v in o.profile.items()}
        if wanted in known:
            leans = max(known, key=lambda k: (known[k], -taxonomy.CRITERIA.index(k)))
            if leans != wanted and known[leans] - known[wanted] >= 0.2:
                reasons.append(Reason("criteria_mismatch", {"wanted": wanted, "leans_on": leans,
                                                            "wanted_value": known[wanted],
                                                            "leans_value": known[leans]}, -1))
            elif known[wanted] >= 0.7:
                reasons.append(Reason("criteria_fit", {"criterion": wanted, "value": known[wanted]}))
    # Constraints.
    budget = p.budget
    price_min = o.price_min if o.price_min is not None else o.price_max
    if budget is not None and price_min is not None:
        if budget < price_min:
            reasons.append(Reason("budget_below_price", {"budget": budget, "price_min": price_min}, -1))
        else:
            reasons.append(Reason("budget_within", {"budget": budget, "price_min": price_min,
                                                    "price_max": o.price_max}))
    if p.region is not None:
        if not o.regions_served:
            reasons.append(Reason("region_served", {"region": p.region, "nationwide": True}))
        elif p.region in o.regions_served:
            reasons.append(Reason("region_served", {"region": p.region}))
        else:
            reasons.append(Reason("region_not_served", {"region": p.region, "served": list(o.regions_served)}, -1))
    if p.on_premises_required:
        if not o.deployment_modes:
            reasons.append(Reason("deployment_unknown", {}, -1))
        elif excluded:
            reasons.append(Reason("cloud_only", {"modes": list(o.deployment_modes)}, -1))
        else:
            ok = [m for m in o.deployment_modes if taxonomy.get_deployment_mode(m).on_premises_ok]
            reasons.append(Reason("on_premises_ok", {"modes": ok}))
    if o.capacity <= 0:
        reasons.append(Reason("no_capacity", {}, -1))
    if o.completed_projects > 0:
        reasons.append(Reason("track_record", {"completed": o.completed_projects, "mean_review": o.mean_review}))
    # Contributions sum to the score exactly as reported.
    values = {k: round(v, 6) for k, v in values.items()}
    score = sum(values.values())
    rid = o.id if direction == "offerings" else p.id
    return Match(rid, score, values, tuple(reasons), tuple(matched), excluded)
