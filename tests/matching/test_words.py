"""Bilingual search words (matching.words)."""

from hypothesis import given
from hypothesis import strategies as st

from matching.words import MAX_TERMS, search_terms, text_contains_any


def test_an_english_process_name_brings_its_korean_names_and_the_reverse():
    assert "사출" in search_terms("injection")
    assert "injection molding" in search_terms("사출")
    assert "welding" in {t.casefold() for t in search_terms("용접 불량")}
    assert "용접" in search_terms("laser welding")
    assert "절삭" in search_terms("CNC")


def test_korean_terms_come_with_and_without_spaces():
    terms = search_terms("이상 감지")
    assert "이상 감지" in terms and "이상감지" in terms
    assert text_contains_any(terms, "프레스·금형 이상감지 엣지 모듈")


def test_words_the_taxonomy_does_not_know_are_searched_as_written():
    assert search_terms("  쇼트샷   불량률 ") == ("쇼트샷 불량률", "쇼트샷불량률")
    assert search_terms("Short shot") == ("Short shot",)
    assert search_terms("") == search_terms("   ") == ()


def test_industries_do_not_widen_a_search():
    assert not {"타이어", "tyre", "rubber", "고무"} & set(search_terms("사출"))


@given(st.text(max_size=300))
def test_the_query_comes_first_each_word_once_and_never_too_many(text):
    terms = search_terms(text)
    assert len(terms) <= MAX_TERMS
    assert len({t.casefold() for t in terms}) == len(terms)
    if " ".join(text.split()):
        assert terms[0] == " ".join(text.split())[:200]
    assert search_terms(text) == terms  # same words, same order, every time
