"""Errors raised by the matching library.

Every error the library raises on bad input is a :class:`MatchingError`, which
is a :class:`ValueError`, so callers can catch either.
"""

from __future__ import annotations


class MatchingError(ValueError):
    """Bad input to the matching library (a record, weights, a code, a file)."""


class UnknownCodeError(MatchingError):
    """A taxonomy code (problem type, industry, region, mode, criterion) is not known."""


class RecordError(MatchingError):
    """A problem or offering record is invalid (empty text, NaN, negative range...)."""
