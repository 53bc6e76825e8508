"""Language choice and locale-aware formatting (won, dates)."""

from __future__ import annotations

from datetime import date, datetime

from babel.numbers import format_decimal
from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from domain.criteria import CRITERIA
from matching import taxonomy

SUPPORTED = ("ko", "en")


def select_locale() -> str:
    """The user's saved choice, then the browser session's choice, then Korean.

    Pages default to Korean whatever the browser says (the product is Korean first); API
    clients without a saved choice get the best match of their ``Accept-Language``.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in SUPPORTED:
        return chosen
    if request and "api" in request.blueprints:
        return request.accept_languages.best_match(SUPPORTED, default=current_app.config["BABEL_DEFAULT_LOCALE"])
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    locale = get_locale()
    return locale.language if locale else "ko"


def criterion_labels() -> dict[str, str]:
    """The decision criteria's labels in the reader's language, in display order."""
    lang = current_locale()
    return {c: taxonomy.criterion_label(c, lang) for c in CRITERIA}


def format_won(amount: int | None) -> str:
    """``1,200,000원`` in Korean, ``KRW 1,200,000`` in English."""
    if amount is None:
        return "—"
    lang = current_locale()
    digits = format_decimal(int(amount), locale=lang)
    return f"{digits}원" if lang == "ko" else f"KRW {digits}"


def format_number(value) -> str:
    """A KPI value as people write it: 3.2, 15, 1,200 (no trailing zeros)."""
    if value is None:
        return "—"
    return format_decimal(value, locale=current_locale(), decimal_quantization=False)


#: Explicit patterns: CLDR abbreviates Korean day periods as "AM"/"PM", so times use 24 hours.
PATTERNS = {
    ("ko", "datetime"): "yyyy. M. d. HH:mm 'KST'", ("ko", "date"): "yyyy. M. d.",
    ("en", "datetime"): "d MMM yyyy, HH:mm 'KST'", ("en", "date"): "d MMM yyyy",
}


def format_when(value: datetime | date | None, fmt: str = "medium") -> str:
    """A date or a time in Korea's time zone, written the local way with the zone (2026. 11. 21. 14:05 KST)."""
    if value is None:
        return "—"
    lang = current_locale()
    if isinstance(value, datetime):
        return format_datetime(value, PATTERNS[(lang, "datetime")])
    return format_date(value, PATTERNS[(lang, "date")])


def localised(obj, attr: str) -> str:
    """``obj.<attr>_en`` for English readers when it is filled in, else ``obj.<attr>_ko``."""
    if current_locale() == "en":
        english = getattr(obj, f"{attr}_en", None)
        if english:
            return english
    return getattr(obj, f"{attr}_ko")
