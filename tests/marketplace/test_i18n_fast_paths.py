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
