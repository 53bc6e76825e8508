"""Password hashing with argon2id; the cost comes from configuration and is upgraded on login."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# OWASP's first argon2id setting: m=19 MiB, t=2, p=1. Stronger settings may be configured.
DEFAULT_COST = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}


def hasher() -> PasswordHasher:
    cost = current_app.config.get("ARGON2_COST") or DEFAULT_COST
    return PasswordHasher(**cost)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return hasher().check_needs_rehash(stored_hash)


_DUMMY_HASHES: dict[tuple, str] = {}


def burn_time(password: str) -> None:
    """Spend as long as a real check, so an unknown e-mail cannot be told from a wrong password."""
    cost = current_app.config.get("ARGON2_COST") or DEFAULT_COST
    key = tuple(sorted(cost.items()))
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher().hash("not-a-real-password")
    verify_password(_DUMMY_HASHES[key], password)
