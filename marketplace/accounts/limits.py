"""Request limits of the accounts area. Failed sign-ins slow down instead (marketplace/accounts/throttle.py)."""

from __future__ import annotations

from flask import current_app

from marketplace.extensions import limiter

#: Reset links asked for from one address (page and API): enough for a person, not for mail-bombing.
reset_requests = limiter.shared_limit(
    lambda: current_app.config.get("PASSWORD_RESET_LIMIT", "10 per hour"),
    scope="password-reset",
    methods=["POST"],
)
