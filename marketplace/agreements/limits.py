"""Wrong passwords when signing are limited per user (page and API share the count)."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from marketplace.extensions import limiter

per_signer = limiter.shared_limit(
    lambda: current_app.config.get("SIGN_LIMIT_PER_USER", "10 per 15 minutes"),
    scope="agreement-sign",
    key_func=lambda: f"signer:{current_user.get_id() if current_user.is_authenticated else 'anonymous'}",
    deduct_when=lambda response: response.status_code == 422,
    methods=["POST"],
)
