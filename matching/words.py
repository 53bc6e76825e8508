"""Bilingual search words: a few words in, the words to look for in either language.

    >>> from matching.words import search_terms
    >>> search_terms("injection")[:3]
    ('injection', '사출 성형', '사출성형')

A query is looked for as written, plus every label and synonym (Korean and
English) of each problem type and manufacturing process it names, so that a
plain text search ("contains any of these", as the catalogue's SQL does)
finds "사출" offerings for "injection" and the reverse. Industries are left
out on purpose: their synonyms are broad ("사출" would bring in tyres and
rubber). Light: only :mod:`matching.taxonomy` and :mod:`matching.terms` are imported.
"""

from __future__ import annotations

import re

from matching import taxonomy, terms

__all__ = ["search_terms", "text_contains_any"]

#: Kinds whose terms widen a search; see the module doc for why not industries.
SEARCH_KINDS = ("process", "problem_type")
MAX_TERMS = 60
MAX_QUERY = 200
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def search_terms(query: str, *, limit: int = MAX_TERMS) -> tuple[str, ...]:
    """The query (spaces tidied) first, then the labels and synonyms of the taxonomy terms it names.

    Each word once (ignoring case), in a fixed order (the taxonomy's), at most ``limit`` words; words of one
    letter are left out (but the query itself is kept). An empty or blank query gives ``()``.
    """
    if not isinstance(query, str):
        return ()
    query = " ".join(query.split())[:MAX_QUERY]
    if not query:
        return ()
    words = [query]
    for kind in SEARCH_KINDS:
        for hit in terms.find_terms(query, kind):
            entry = taxonomy.get_process(hit.code) if kind == "process" else taxonomy.get_problem_type(hit.code)
            words.extend(entry.terms)
    out: list[str] = []
    seen: set[str] = set()
    for word in words:
        # Korean spacing is loose: "이상 감지" is also written "이상감지".
        for variant in (word, word.replace(" ", "")) if _HANGUL.search(word) else (word,):
            key = variant.casefold()
            if (len(key) < 2 and out) or key in seen:
                continue
            seen.add(key)
            out.append(variant)
            if len(out) >= limit:
                return tuple(out)
    return tuple(out)


def text_contains_any(terms: tuple[str, ...], *texts: str | None) -> bool:
    """Whether any text contains any of the terms (case ignored; Korean spacing as written)."""
    folded = [(t or "").casefold() for t in texts]
    return any(term.casefold() in text for term in terms for text in folded)
