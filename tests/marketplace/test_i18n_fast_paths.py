"""The fast paths of marketplace.i18n give what Babel and Flask-Babel give."""

from __future__ import annotations

from babel.numbers import format_decimal
from flask import session
from flask_babel import refresh
from hypothesis import given
from hypothesis import strategies as st

from marketplace.i18n import format_won


def test_won_digits_are_the_cldr_grouping_in_both_languages(app):
    @given(amount=st.integers(min_value=-10**15, max_value=10**15))
    def check(amount):
        with app.test_request_context():
            assert format_won(amount) == f"{format_decimal(amount, locale='ko')}원"
            session["locale"] = "en"
            refresh()
            assert format_won(amount) == f"KRW {format_decimal(amount, locale='en')}"

    check()


def test_templates_follow_a_language_change_within_a_request(app):
    with app.test_request_context():
        render = app.jinja_env.from_string('{{ _("Back to the home page") }}').render
        assert render() == "홈으로 돌아가기"
        session["locale"] = "en"
        refresh()
        assert render() == "Back to the home page"


def test_template_strings_are_what_jinjas_own_gettext_gives(app):
    """Templates' ``_()`` skips Jinja's alias, not its rules: the same text, escaped values, ``%%`` as ``%``."""
    from jinja2 import Environment

    reference = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    reference.install_gettext_callables(gettext=lambda s: s, ngettext=lambda s, p, n: s if n == 1 else p,
                                        newstyle=True)

    @given(text=st.text(alphabet="ab<&%()s\"'", min_size=1, max_size=12), value=st.text(max_size=8))
    def check(text, value):
        source = '{{ _(t) }}|{{ _(t, v=v) }}|{{ _("%(v)s <b>", v=v) }}'
        with app.test_request_context():
            session["locale"] = "en"  # an untranslated text is its own translation
            refresh()
            try:
                expected = reference.from_string(source).render(t=text, v=value)
            except (ValueError, KeyError, TypeError) as exc:  # a broken format string fails the same way
                try:
                    app.jinja_env.from_string(source).render(t=text, v=value)
                except type(exc):
                    return
                raise AssertionError(f"{text!r} rendered where Jinja's gettext raises {exc!r}") from None
            assert app.jinja_env.from_string(source).render(t=text, v=value) == expected

    check()
