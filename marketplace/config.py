"""Configuration: defaults live here, the environment (``AXBRIDGE_*``) overrides them.

Nothing reads configuration at import time; :func:`load_config` runs inside the app factory.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

#: Secrets that must never reach production, whatever else is configured.
WEAK_SECRETS = frozenset({"", "dev", "secret", "changeme", "change-me", "test"})
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration cannot be used (for example production without a real secret key)."""


def defaults(instance_path: str) -> dict[str, Any]:
    db_file = Path(instance_path) / "axbridge.sqlite3"
    return {
        "ENV": "development",
        "DATABASE_URL": f"sqlite:///{db_file}",
        "SECRET_KEY": None,
        "BABEL_DEFAULT_LOCALE": "ko",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Seoul",
        "LANGUAGES": ("ko", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "axbridge_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 12,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Failed logins allowed before the limiter answers 429.
        "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
        "LOGIN_LIMIT_PER_ADDRESS": "20 per 15 minutes",
        "INVITATION_TTL_HOURS": 72,
        "API_TOKEN_TTL_DAYS": 90,
        "PASSWORD_MIN_LENGTH": 10,
        "PROPAGATE_EXCEPTIONS": None,
        # The shared ranking index's snapshots (None: instance/index); see marketplace/discovery/services/index.py.
        "INDEX_DIR": None,
        # Redis (AXBRIDGE_REDIS_URL, e.g. redis://127.0.0.1:6379/0): the job queue and the shared rate
        # limits. None: jobs run in-process and limits count per process (one host).
        "REDIS_URL": None,
        # Proxies in front of the app that set X-Forwarded-For/-Proto/-Host (marketplace/deployment.py).
        "TRUSTED_PROXIES": 0,
        # Prefix of the queue's keys in Redis (separate deployments sharing one Redis differ here).
        "JOBS_NAMESPACE": "axbridge-jobs",
        # SMTP (marketplace/mail). No SMTP_HOST: development prints e-mails to the log.
        "SMTP_HOST": None,
        "SMTP_PORT": None,
        "SMTP_USER": None,
        "SMTP_PASSWORD": None,
        "SMTP_TLS": "starttls",
        "MAIL_FROM": "AX Bridge <no-reply@axbridge.example>",
        # How often `axbridge worker` runs the periodic tick.
        "TICK_SECONDS": 30,
    }


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill ``app.config``: code defaults, then ``AXBRIDGE_*`` variables, then ``overrides``."""
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_prefixed_env("AXBRIDGE")
    if overrides:
        app.config.from_mapping(overrides)

    env = app.config["ENV"]
    if env not in ("development", "production", "testing"):
        raise ConfigError(f"AXBRIDGE_ENV must be development or production, not {env!r}")
    production = env == "production"
    app.config.setdefault("SESSION_COOKIE_SECURE", production)
    app.config.setdefault("REMEMBER_COOKIE_SECURE", production)
    app.config["SESSION_COOKIE_SECURE"] = app.config.get("SESSION_COOKIE_SECURE") or production
    app.config["REMEMBER_COOKIE_SECURE"] = app.config.get("REMEMBER_COOKIE_SECURE") or production
    app.config["PREFERRED_URL_SCHEME"] = "https" if production else "http"

    secret = app.config.get("SECRET_KEY")
    if production:
        if not secret or secret.lower() in WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "AXBRIDGE_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters in production "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
    elif not secret:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))


def _instance_secret(instance: Path) -> str:
    """A random development secret kept in the instance folder, so sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
