"""Running on several hosts: the client's address behind proxies, and rate limits shared through Redis.

- ``AXBRIDGE_TRUSTED_PROXIES`` (default 0): how many proxies in front of the app set ``X-Forwarded-*``.
  With 1 (one nginx or load balancer), the client address is the last ``X-Forwarded-For`` entry that
  proxy added; with 0 the headers are ignored, so a client cannot forge its address.
- ``AXBRIDGE_REDIS_URL``: the login and reset limits count in Redis, so every app process and host
  shares them. The rule when Redis is unreachable:
  * at start in production: refuse to start (ConfigError). A limit that silently counted per process
    would multiply by the number of processes without anyone noticing;
  * while running (or in development): log "Rate limit storage unreachable - falling back to in-memory
    storage" and keep limiting per process with the same limits; Redis is tried again with growing
    intervals and used again when it answers. A limit never disappears.
"""

from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from marketplace.config import ConfigError

logger = logging.getLogger(__name__)


def configure(app: Flask) -> None:
    """Before the extensions bind: point the limiter at Redis when there is one."""
    url = app.config.get("REDIS_URL")
    if url and app.config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = url
        app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 2, "socket_timeout": 2})
        app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config.get("JOBS_NAMESPACE") or "axbridge")
        if app.config.get("ENV") == "production" and app.config.get("REDIS_CHECK_AT_START", True):
            check_redis(url)
    from marketplace.documents.storage import check_configuration

    check_configuration(app)  # AXBRIDGE_DOCUMENT_STORE: a wrong setting or an absent bucket stops the start
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies < 0:
        raise ConfigError("AXBRIDGE_TRUSTED_PROXIES must be 0 or more")
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        raise ConfigError(f"AXBRIDGE_REDIS_URL is set but Redis does not answer at {url.split('@')[-1]} ({exc}); "
                          "refusing to start in production with rate limits counted per process. "
                          "Start Redis, or unset AXBRIDGE_REDIS_URL on a single host.") from exc
