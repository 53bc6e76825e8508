"""AX Bridge ranking engine: a plain library (no Flask, no database).

``matching.taxonomy`` holds the bilingual reference data (criteria, problem
types, KSIC industries, regions, deployment modes).
"""

from matching.errors import MatchingError, RecordError, UnknownCodeError

__all__ = ["MatchingError", "RecordError", "UnknownCodeError"]
