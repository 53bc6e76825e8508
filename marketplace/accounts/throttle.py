"""Failed sign-ins slow down, per account and per address, in the shared store: growing delays, never a
hard lockout of the real owner (who can also get in at once through an e-mailed reset link, which clears
the account's count).

After LOGIN_FREE_FAILURES_PER_ACCOUNT (5) failures for an e-mail address, or
LOGIN_FREE_FAILURES_PER_ADDRESS (20) from one client address, the next attempt must wait
LOGIN_FIRST_DELAY_SECONDS (1), then twice as long after each further failure, at most
LOGIN_MAX_DELAY_SECONDS (900). Counts are forgotten LOGIN_FAILURE_WINDOW_SECONDS (3600) after the last
failure; a successful sign-in clears the account's count. An attempt made too early is answered 429
with Retry-After, without looking at the password.

The counts live in Redis when AXBRIDGE_REDIS_URL is set (every process and host shares them); when
Redis does not answer, this process counts on its own (logged) and goes back to Redis when it answers.
The client address is the one ProxyFix trusted (AXBRIDGE_TRUSTED_PROXIES).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext as _

from marketplace.accounts.login_delays import delay_after
from marketplace.core.errors import DomainError

logger = logging.getLogger(__name__)


@dataclass
class Count:
    failures: int = 0
    last: float = 0.0


class MemoryStore:
    def __init__(self) -> None:
        self._counts: dict[str, Count] = {}
        self._lock = threading.Lock()

    def get(self, key: str, window: float) -> Count:
        with self._lock:
            count = self._counts.get(key)
            if count is None or time.time() - count.last > window:
                return Count()
            return Count(count.failures, count.last)

    def fail(self, key: str, window: float) -> None:
        with self._lock:
            count = self._counts.get(key)
            if count is None or time.time() - count.last > window:
                count = self._counts[key] = Count()
            count.failures += 1
            count.last = time.time()

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisStore:
    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self.prefix = prefix

    def get(self, key: str, window: float) -> Count:
        failures, last = self.client.hmget(f"{self.prefix}:{key}", "failures", "last")
        return Count(int(failures or 0), float(last or 0))

    def fail(self, key: str, window: float) -> None:
        name = f"{self.prefix}:{key}"
        with self.client.pipeline() as pipe:
            pipe.hincrby(name, "failures", 1)
            pipe.hset(name, "last", repr(time.time()))
            pipe.expire(name, int(window))
            pipe.execute()

    def clear(self, key: str) -> None:
        self.client.delete(f"{self.prefix}:{key}")


_redis: dict[tuple[str, str], RedisStore] = {}


def _call(method: str, *args):
    """Run a store method on Redis when configured; on a Redis error, on this process's counts (logged)."""
    config = current_app.config
    url = config.get("REDIS_URL")
    if url:
        import redis

        prefix = f"{config.get('JOBS_NAMESPACE') or 'axbridge'}:login"
        store = _redis.setdefault((url, prefix), RedisStore(url, prefix))
        try:
            return getattr(store, method)(*args)
        except redis.RedisError as exc:
            logger.error("login throttle: Redis unreachable (%s); counting failed sign-ins in this process "
                         "until it answers", exc)
    memory = _own_memory()
    return getattr(memory, method)(*args)


def _own_memory() -> MemoryStore:
    """This app's own counts (each app in a process, e.g. each test's, counts separately)."""
    return current_app.extensions.setdefault("axbridge_login_throttle", MemoryStore())


def _keys(email: str) -> dict[str, str]:
    account = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]
    return {"account": f"account:{account}", "address": f"address:{request.remote_addr or '-'}"}


def _settings(scope: str) -> dict[str, float]:
    config = current_app.config
    free = config.get("LOGIN_FREE_FAILURES_PER_ACCOUNT" if scope == "account" else "LOGIN_FREE_FAILURES_PER_ADDRESS")
    return {"free": int(free), "first": float(config["LOGIN_FIRST_DELAY_SECONDS"]),
            "cap": float(config["LOGIN_MAX_DELAY_SECONDS"])}


def wait_seconds(email: str) -> int:
    """How long this sign-in attempt must still wait (0: go ahead)."""
    window = float(current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])
    now = time.time()
    wait = 0.0
    for scope, key in _keys(email).items():
        count = _call("get", key, window)
        wait = max(wait, count.last + delay_after(count.failures, **_settings(scope)) - now)
    return math.ceil(wait) if wait > 0 else 0


def failed(email: str) -> None:
    window = float(current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])
    for key in _keys(email).values():
        _call("fail", key, window)


def succeeded(email: str) -> None:
    """The account's count starts again (the address keeps its own: one address may try many accounts)."""
    _call("clear", _keys(email)["account"])


class TooManyAttempts(DomainError):
    """A sign-in attempt before the delay earned by earlier failures has passed (429, Retry-After)."""

    status = 429
    type_slug = "too-many-attempts"


def refuse(seconds: int) -> TooManyAttempts:
    return TooManyAttempts(_("Too many failed sign-ins. Try again in %(seconds)d seconds, or set a new password "
                             "through a link we e-mail you.", seconds=seconds), extra={"retry_after": seconds})
