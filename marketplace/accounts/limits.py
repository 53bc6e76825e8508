"""Failed sign-ins are limited per account and per address, for the login page and the API alike."""

from __future__ import annotations

from flask import current_app, request

from marketplace.extensions import limiter


def _submitted_email() -> str:
    if request.is_json:
        data = request.get_json(silent=True)
        email = data.get("email") if isinstance(data, dict) else None
    else:
        email = request.form.get("email")
    return str(email or "").strip().lower()[:254]


def _failed(response) -> bool:
    return response.status_code in (401, 422)


per_account = limiter.shared_limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    scope="login-account",
    key_func=lambda: "account:" + _submitted_email(),
    deduct_when=_failed,
    methods=["POST"],
)
per_address = limiter.shared_limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    scope="login-address",
    deduct_when=_failed,
    methods=["POST"],
)


#: Reset links asked for from one address (page and API): enough for a person, not for mail-bombing.
reset_requests = limiter.shared_limit(
    lambda: current_app.config.get("PASSWORD_RESET_LIMIT", "10 per hour"),
    scope="password-reset",
    methods=["POST"],
)
