"""Every code the wizard stores for data and systems has a name in Korean and in English."""

from __future__ import annotations

from domain.labels import DATA_KINDS, SYSTEMS, data_kind_label, system_label


def test_every_code_has_a_korean_and_an_english_name_that_is_not_the_code():
    for table, label in ((DATA_KINDS, data_kind_label), (SYSTEMS, system_label)):
        for code in table:
            ko, en = label(code, "ko"), label(code, "en")
            assert ko and en
            if code.upper() != en:  # ERP, MES, POS ... are their own names
                assert code not in (ko, en)
            assert "_" not in ko + en


def test_what_the_sme_typed_is_shown_as_typed():
    assert data_kind_label("POS 판매 기록", "en") == "POS 판매 기록"
    assert system_label("더존 ERP", "ko") == "더존 ERP"
