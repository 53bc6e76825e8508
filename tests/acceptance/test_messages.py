"""Every message and label exists in Korean and English, with the same parameters."""

from __future__ import annotations

import re
import string

import pytest

from acceptance import CATALOGUE, METRICS, DataKind, Direction, Protocol
from acceptance.messages import AcceptanceError, column_letter, message

HANGUL = re.compile("[가-힣]")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_message_is_korean_and_english_with_the_same_parameters(code):
    ko, en = CATALOGUE[code]
    assert HANGUL.search(ko), code
    assert not HANGUL.search(en), code
    assert placeholders(ko) == placeholders(en), code


def test_every_metric_direction_and_data_kind_has_both_labels():
    for info in METRICS.values():
        assert HANGUL.search(info.label.ko) and not HANGUL.search(info.label.en)
        for data in info.data_kinds:
            ko, en = info.formula(data, "ko", "불량"), info.formula(data, "en", "defect")
            assert HANGUL.search(ko) and not HANGUL.search(en)
    for item in (*Direction, *DataKind):
        assert HANGUL.search(item.label("ko")) and not HANGUL.search(item.label("en"))


def test_a_message_in_the_users_language():
    m = message("blank_cell", row=7, column="C", name="실제값")
    assert (m.text("ko"), m.text("ko_KR"), m.text("en"), m.text("fr")) == (
        "7행 C열('실제값')이 비어 있습니다.", "7행 C열('실제값')이 비어 있습니다.",
        "Row 7, column C ('실제값') is blank.", "Row 7, column C ('실제값') is blank.")


def test_column_letters_as_spreadsheets_write_them():
    assert [column_letter(n) for n in (1, 2, 26, 27, 52, 53, 702, 703)] == [
        "A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_an_error_needs_a_message():
    with pytest.raises(ValueError):
        AcceptanceError([])


def test_the_contracts_direction_is_accepted():
    from contracts.terms import Direction as ContractDirection

    p = Protocol("월 비용", "measured_value", 100, unit="원/월", period="3월",
                 direction=ContractDirection.LOWER_IS_BETTER)
    assert p.direction is Direction.LOWER_IS_BETTER
    assert p.direction.value == ContractDirection.LOWER_IS_BETTER.value
