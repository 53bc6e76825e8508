"""The password policy: which passwords are accepted. A pure rule (no Flask, no database).

The minimum length is configuration (``PASSWORD_MIN_LENGTH``); the caller passes it in. The answer
is a code, not a message: the contract (:mod:`marketplace.accounts.schemas`) turns it into a
pydantic error that one mapping translates.
"""

from __future__ import annotations

from enum import StrEnum

#: The configured minimum when none is given (``PASSWORD_MIN_LENGTH``'s default).
DEFAULT_MIN_LENGTH = 10
#: Longer passwords are refused: argon2 would hash megabytes happily, which is a denial of service.
MAX_LENGTH = 256
#: ``aaaaaaaaaa`` or ``abababab12`` are too easy to guess, however long they are.
MIN_DISTINCT_CHARACTERS = 4


class Weakness(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TOO_EASY = "too_easy"


def weakness(password: str, *, min_length: int = DEFAULT_MIN_LENGTH, email: str | None = None) -> Weakness | None:
    """Why ``password`` is refused, or None when it is accepted.

    Too short comes first, then too long, then too easy: fewer than four different characters, or
    the account's own e-mail address (in any letter case).
    """
    if len(password) < min_length:
        return Weakness.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return Weakness.TOO_LONG
    if len(set(password)) < MIN_DISTINCT_CHARACTERS or (email and password.lower() == email.lower()):
        return Weakness.TOO_EASY
    return None
