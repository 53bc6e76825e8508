"""Language choice and locale-aware formatting (won, dates)."""

from __future__ import annotations

from datetime import date, datetime

from babel.numbers import format_decimal
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

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


def _babel_state():
    """Flask-Babel's per-context namespace (``g._flask_babel``), or None outside an app context."""
    try:
        return g.get("_flask_babel")
    except RuntimeError:  # no app context (the same check as has_app_context(), paid only outside one)
        return None


def current_locale() -> str:
    """The reader's language ("ko" or "en"): selected once per request by Flask-Babel, which keeps it."""
    state = _babel_state()
    locale = getattr(state, "babel_locale", None) if state is not None else None
    if locale is None:
        locale = get_locale()  # select it now (Flask-Babel keeps the choice for the rest of the request)
    return locale.language if locale else "ko"


def _translations():
    """The catalogue of this request's locale: Flask-Babel's, looked up once per request.

    Flask-Babel finds the domain, the locale and its cache key again on every string (a page has
    about a hundred); this keeps the answer beside the locale it was found for, so ``refresh()``
    (which drops the locale) also drops it.
    """
    state = _babel_state()
    cached = getattr(state, "axbridge_translations", None)
    if cached is not None and cached[0] is getattr(state, "babel_locale", None):
        return cached[1]
    translations = get_translations()
    state = _babel_state()
    if state is not None and getattr(state, "babel_locale", None) is not None:
        state.axbridge_translations = (state.babel_locale, translations)
    return translations


def install_template_gettext(app: Flask) -> None:
    """Templates' ``_()`` through :func:`_translations` (the same catalogues Flask-Babel installs)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    # ``_()`` is called about twenty times per page: straight to the catalogue, not through Jinja's alias
    # (which resolves ``gettext`` and calls it through the context twice per string). Same result: escaped
    # under autoescape, and always a format string (``%%`` is ``%``), formatted only when it can change.
    app.jinja_env.globals["_"] = _template_gettext


@pass_context
def _template_gettext(context, string: str, **variables):
    rv = _translations().ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables if variables or "%" in rv else rv


def criterion_labels() -> dict[str, str]:
    """The decision criteria's labels in the reader's language, in display order."""
    lang = current_locale()
    return {c: taxonomy.criterion_label(c, lang) for c in CRITERIA}


def problem_field_labels() -> dict[str, str]:
    """A problem's fields as the reader reads them (amendments list what changed by these names)."""
    return {"title": _("Title"), "description": _("Description"), "process": _("Process"),
            "industry": _("Industry"), "problem_types": _("Problem types"), "kpis": _("KPIs"),
            "data_assets": _("Data"), "systems": _("Systems"), "on_premises_required": _("On-premises required"),
            "budget_min_krw": _("Minimum budget"), "budget_max_krw": _("Maximum budget"),
            "wanted_by": _("Wanted by"), "weights": _("Decision criteria"),
            "tco_horizon_years": _("Years of running cost compared"), "visibility": _("Visibility"),
            "opening_shows_names": _("Opening result names the bidders"),
            "amendment_min_days": _("Minimum days after an amendment"), "bid_deadline": _("Bid deadline")}


def format_won(amount: int | None) -> str:
    """``1,200,000원`` in Korean, ``KRW 1,200,000`` in English."""
    if amount is None:
        return "—"
    lang = current_locale()
    digits = f"{int(amount):,}"  # Korean and English both group by thousands with "," (CLDR #,##0)
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
