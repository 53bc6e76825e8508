"""AX Bridge ranking engine: a plain library (no Flask, no database).

Records in, plain results out; ``marketplace/`` converts rows into records.

Reference data (:mod:`matching.taxonomy`)
    ``CRITERIA``, ``criterion_label(key, lang)``, ``problem_types()``,
    ``industries(section=None)``, ``industry_sections()``, ``regions()``,
    ``deployment_modes()``, ``get_problem_type/get_industry/get_region(code)``
    (``None`` when unknown).

Terms in free text (:mod:`matching.terms`)
    ``find_terms(text, kind="problem_type")`` (the taxonomy entries a text names, as written),
    ``normalise_tag(text, kind="problem_type")`` (a free tag onto a code, or ``None``).

Records (:mod:`matching.records`)
    ``ProblemRecord(id, title="", description="", problem_types=(), industry=None,
    region=None, budget_min=None, budget_max=None, on_premises_required=False,
    data_available=(), existing_systems=(), weights=Weights|mapping|None)``

    ``OfferingRecord(id, title="", description="", capabilities=(), industries=(),
    regions_served=() (empty: nationwide), deployment_modes=(), price_min=None,
    price_max=None, duration_weeks=None, profile={criterion: 0..1},
    completed_projects=0, mean_review=None (0..5), capacity=1)``

    ``Weights.from_mapping({"quality": 3, "cost": 1})`` (normalised to sum 1),
    ``problem_from_dict(d)`` / ``offering_from_dict(d)`` (unknown keys ignored).

Ranking (:mod:`matching.index`)
    ``MatchIndex.build(offerings, problems, *, config=ScoringConfig(), alpha=0.5,
    expand=True, embedder=None, semantic_weight=0.3)``;
    ``upsert_offering(rec)``, ``remove_offering(id)``, ``upsert_problem(rec)``,
    ``remove_problem(id)``, ``refit()``;
    ``rank_offerings(problem_or_id, top=10, weights=None, filters=None) -> list[Match]``;
    ``rank_problems(offering_or_id_or_list, top=10) -> list[Match]`` (a list of lists for a list);
    ``explain(problem, offering) -> Match`` (also for excluded pairs);
    ``batch(problems=None, offerings=None, top=10, direction="offerings") -> {id: [Match]}``;
    ``score_matrix(problems=None, offerings=None) -> ScoreMatrix``;
    ``save(path)``, ``MatchIndex.load(path, embedder=None)``.

    ``Match(id, score, contributions, reasons, matched_terms, excluded)``: the
    score is the sum of ``contributions`` (``text``, ``taxonomy``, ``criteria``,
    ``track_record``, ``constraints``); each ``Reason(code, params, polarity)``
    renders with ``reason.text("ko" | "en")``. See :mod:`matching.scoring` for
    the formula, :mod:`matching.text` for the TF-IDF channels and fusion and
    :mod:`matching.tokens` for the word tokens (Korean particles stripped).
    Declared ``problem_types``/``capabilities`` are a record's types; types its
    text only mentions count fully only when it declares none, else an
    offering gets ``ScoringConfig.type_mention`` (0.25) of a declared match,
    explained as ``problem_type_mentioned`` (see :mod:`matching.explain`).

Assignment (:mod:`matching.assignment`)
    ``assign(scores_or_ScoreMatrix, capacities=None, min_non_capital_share=None, *,
    problem_is_capital=None, top_k=50, min_score=0.0) -> Assignment`` with
    ``pairs``, ``objective``, ``greedy_objective``, ``non_capital_share``,
    ``min_share_met``.

CLI (:mod:`matching.cli`)
    ``rank_command`` (click): ``axbridge rank --problems P.jsonl --offerings O.jsonl
    [--top 10] [--direction offerings|problems] [--output FILE]``; also
    ``python -m matching rank ...``.

Order: by score, ties (equal to 9 decimals) by record id, never by position in the index,
so the same records rank the same in every process whatever order they were indexed in.
``index.auto_refit = False`` stops upserts from refitting when the corpus doubles (an index
that must rank like another one built from the same snapshot).

Search words (:mod:`matching.words`): ``search_terms(query)`` adds both languages' names of
the processes and problem types a query names, for plain "contains" searches.

Errors: every bad input raises :class:`MatchingError` (a ``ValueError``) with a message.
Thread safety: queries read an immutable snapshot; updates take a lock and publish a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matching.errors import MatchingError, RecordError, UnknownCodeError

__all__ = [
    "Assignment", "E5Embedder", "Embedder", "Filters", "Match", "MatchIndex", "MatchingError", "OfferingRecord",
    "ProblemRecord", "Reason", "RecordError", "ScoreMatrix", "SearchHit", "ScoringConfig", "UnknownCodeError", "Weights",
    "assign", "default_embedder", "offering_from_dict", "problem_from_dict", "search",
]

_LAZY = {
    "Assignment": "matching.assignment", "assign": "matching.assignment",
    "Filters": "matching.index", "MatchIndex": "matching.index", "ScoreMatrix": "matching.index",
    "Match": "matching.explain", "Reason": "matching.explain",
    "OfferingRecord": "matching.records", "ProblemRecord": "matching.records", "Weights": "matching.records",
    "offering_from_dict": "matching.records", "problem_from_dict": "matching.records",
    "ScoringConfig": "matching.scoring", "Embedder": "matching.semantic", "E5Embedder": "matching.semantic",
    "default_embedder": "matching.semantic", "search": "matching.catalogue", "SearchHit": "matching.catalogue",
}

if TYPE_CHECKING:  # pragma: no cover
    from matching.assignment import Assignment, assign
    from matching.explain import Match, Reason
    from matching.index import Filters, MatchIndex, ScoreMatrix
    from matching.records import OfferingRecord, ProblemRecord, Weights, offering_from_dict, problem_from_dict
    from matching.scoring import ScoringConfig
    from matching.catalogue import SearchHit, search
    from matching.semantic import E5Embedder, Embedder, default_embedder


def __getattr__(name: str):
    # Lazy, so that importing matching.taxonomy (the web app's reference data) stays cheap.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'matching' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
