"""The password policy is a pure rule: plain strings in, a reason (or None) out; no app needed."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from marketplace.accounts.password_policy import MAX_LENGTH, Weakness, weakness


def test_a_long_varied_password_is_accepted():
    assert weakness("correct-horse-battery", min_length=10) is None


def test_each_weakness_has_its_reason():
    assert weakness("short", min_length=10) == Weakness.TOO_SHORT
    assert weakness("x" * (MAX_LENGTH - 3) + "abcd", min_length=10) == Weakness.TOO_LONG
    assert weakness("abababababab", min_length=10) == Weakness.TOO_EASY
    assert weakness("Kim@Hanbit.example", min_length=10, email="kim@hanbit.example") == Weakness.TOO_EASY
    assert weakness("kim@hanbit.example", min_length=10, email="lee@hanbit.example") is None


@given(password=st.text(max_size=300), min_length=st.integers(min_value=1, max_value=64))
def test_the_reasons_follow_from_length_and_variety(password, min_length):
    reason = weakness(password, min_length=min_length)
    if len(password) < min_length:
        assert reason == Weakness.TOO_SHORT
    elif len(password) > MAX_LENGTH:
        assert reason == Weakness.TOO_LONG
    else:
        assert (reason == Weakness.TOO_EASY) == (len(set(password)) < 4)


@given(password=st.text(alphabet=string.ascii_letters + string.digits + "@.-_", min_size=12, max_size=60))
def test_the_accounts_own_email_address_is_never_accepted_in_any_letter_case(password):
    assert weakness(password, min_length=12, email=password.swapcase()) is not None
