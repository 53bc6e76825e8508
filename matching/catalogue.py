"""Catalogue and opportunity search: a few words in, the indexed records they are about, in either language.

    >>> from matching import MatchIndex, search                     # doctest: +SKIP
    >>> hits = search(index, "injection", kind="offering")          # doctest: +SKIP
    >>> [(h.id, round(h.score, 3), h.matched_terms) for h in hits]  # doctest: +SKIP

The query goes through the same text channels as a problem: both labels of
every taxonomy term it contains (problem types, industries, manufacturing
processes) are added, so "injection" finds offerings that say "사출" and
"사출" finds ones that say "injection moulding"; with a semantic channel in
the index, the query embedding adds meaning across languages. Unlike
:meth:`~matching.index.MatchIndex.rank_offerings` nothing but relevance
counts (no criteria, budget or region): this is search, not matching.

``kind="offering"`` searches offerings (the catalogue), ``"problem"`` searches
problems (a vendor's opportunities). Results are ordered by score, then by
id; records scoring below ``min_score`` are left out.
An empty or blank query gives no results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.errors import MatchingError
from matching.index import MatchIndex
from matching.index.blocks import embed_texts
from matching.index.search import _text_scores, order_by_score_then_id
from matching.tokens import expand_text, is_content_term, word_tokens

__all__ = ["SearchHit", "search"]

_MAX_QUERY = 2_000


@dataclass(frozen=True)
class SearchHit:
    """One search result: the record's ``id``, a relevance ``score`` in [0, 1] and the words both share."""

    id: Any
    score: float
    matched_terms: tuple[str, ...] = ()


def search(index: MatchIndex, query: str, *, kind: str = "offering", top: int = 20,
           min_score: float = 0.05) -> list[SearchHit]:
    """The ``top`` indexed offerings (or problems) most relevant to ``query``; see the module doc."""
    if not isinstance(index, MatchIndex):
        raise MatchingError("search needs a MatchIndex")
    if kind not in ("offering", "problem"):
        raise MatchingError("kind must be 'offering' or 'problem'")
    if not isinstance(query, str):
        raise MatchingError("the search query must be text")
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= 1000:
        raise MatchingError(f"top must be a whole number between 1 and 1000, got {top!r}")
    query = " ".join(query.split())[:_MAX_QUERY]
    if not query:
        return []
    snap = index._snap()
    side = snap.offerings if kind == "offering" else snap.problems
    qc, qw = snap.model.transform([query])
    qe = None
    if snap.embedder is not None:
        qe = embed_texts(snap, [query], query=kind == "offering")
    scored = []
    offset = 0
    for b, block in enumerate((side.main, side.delta)):
        if not len(block):
            continue
        text = np.asarray(_text_scores(snap, qc, qw, qe, block))[0]
        if b == 0:
            text = np.where(side.alive, text, -np.inf)
        for row in np.flatnonzero(text >= min_score).tolist():
            scored.append((-float(text[row]), offset + row, block.records[row]))
        offset += len(block)
    scored = order_by_score_then_id(scored, lambda item: -item[0], lambda item: item[2].id)
    q_tokens = {t for t in word_tokens(expand_text(query)) if is_content_term(t)}
    out = []
    for neg, _, record in scored[:top]:
        terms = [t for t in dict.fromkeys(word_tokens(expand_text(record.text))) if t in q_tokens]
        out.append(SearchHit(record.id, round(-neg, 6), tuple(terms[:6])))
    return out
