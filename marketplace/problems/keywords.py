"""Free words for the kind of problem ("불량 검사, forecasting") read as problem-type codes: a pure rule.

No Flask, no database: the taxonomy is the ranking engine's reference data (``matching.taxonomy``).
The caller says how each word was read, in the reader's language (:mod:`marketplace.problems.messages`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matching import terms


@dataclass(frozen=True)
class Reading:
    """How one word was read: the problem type it names, or None when it names none."""

    word: str
    code: str | None


def interpret_keywords(types: Sequence[str], keywords: str) -> tuple[list[str], list[Reading]]:
    """The chosen types plus those that comma-separated free words name (Korean or English, typos allowed),
    in order and without repeats, and one reading per word."""
    result = list(dict.fromkeys(types))
    readings: list[Reading] = []
    for word in (w.strip() for w in keywords.split(",")):
        if not word:
            continue
        code = terms.normalise_tag(word)
        if code and code not in result:
            result.append(code)
        readings.append(Reading(word, code))
    return result, readings
