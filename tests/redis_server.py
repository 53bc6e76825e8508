"""The Redis the tests use: AXBRIDGE_TEST_REDIS_URL, default the local one that `.ci/run` and `make test` start.

Outside CI a test that needs Redis is skipped when none answers; in CI (CI set) it fails.
"""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("AXBRIDGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    return REDIS_URL
