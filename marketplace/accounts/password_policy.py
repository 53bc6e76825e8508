"""The password policy: which passwords are accepted. A pure rule (no Flask, no database).

The minimum length is configuration (``PASSWORD_MIN_LENGTH``); the caller passes it in. The answer
is a code, not a message: the contract (:mod:`marketplace.accounts.schemas`) turns it into a
pydantic error that one mapping translates.
"""

from __future__ import annotations

from enum import StrEnum

from zxcvbn import zxcvbn

#: The configured minimum when none is given (``PASSWORD_MIN_LENGTH``'s default).
DEFAULT_MIN_LENGTH = 10
#: Longer passwords are refused: argon2 would hash megabytes happily, which is a denial of service.
MAX_LENGTH = 256
#: ``aaaaaaaaaa`` or ``abababab12`` are too easy to guess, however long they are.
MIN_DISTINCT_CHARACTERS = 4
#: zxcvbn's score (0–4) a password must reach: 3 is "safely unguessable" (about 10^8 guesses and more),
#: which refuses ``password12``, ``1234567890``, ``qwertyuiop`` and its lists of common and breached passwords.
MIN_STRENGTH = 3
#: The demo world's password, printed in the README: public, so refused for everyone (the seed sets it on purpose).
DEMO_PASSWORD = "axbridge-demo-2026"
PUBLIC_PASSWORDS = frozenset({DEMO_PASSWORD})
#: Words everybody would try on this site (zxcvbn counts them as already known).
SITE_WORDS = ("axbridge", "ax bridge", "bridge", "marketplace", "demo")
#: Past this length the estimate is not run (it is slow on long inputs; long passwords are not the weak ones).
STRENGTH_CHECK_LENGTH = 100


class Weakness(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TOO_EASY = "too_easy"


def weakness(password: str, *, min_length: int = DEFAULT_MIN_LENGTH, email: str | None = None) -> Weakness | None:
    """Why ``password`` is refused, or None when it is accepted.

    Too short comes first, then too long, then too easy: fewer than four different characters, the
    account's own e-mail address (in any letter case), a public password, or a zxcvbn strength below
    :data:`MIN_STRENGTH` (with the e-mail address and the site's name counted as known words).
    """
    if len(password) < min_length:
        return Weakness.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return Weakness.TOO_LONG
    if len(set(password)) < MIN_DISTINCT_CHARACTERS or (email and password.lower() == email.lower()):
        return Weakness.TOO_EASY
    if password.lower() in PUBLIC_PASSWORDS:
        return Weakness.TOO_EASY
    if len(password) <= STRENGTH_CHECK_LENGTH:
        known = [*SITE_WORDS, *((email, email.split("@")[0]) if email else ())]
        if zxcvbn(password, user_inputs=known)["score"] < MIN_STRENGTH:
            return Weakness.TOO_EASY
    return None
