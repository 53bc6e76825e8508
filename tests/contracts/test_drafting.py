"""Drafting the HTML: the clauses, their conditions and numbering, tables, escaping."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from contracts import IpOwnership, draft_html
from contracts.clauses import LIBRARIES
from contracts.examples import bakery_terms, cooperative_terms
from contracts.formatting import (
    english_amount, format_number, format_percent, josa, keep_korean_words, korean_amount,
)

WJ = "\u2060"


class _Elements(HTMLParser):
    """Every element and attribute of a document, as a browser or WeasyPrint parses it."""

    def __init__(self, document: str):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.feed(document)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


def text_of(document: str) -> str:
    """The visible text of a drafted document, as a reader would see it."""
    body = document.split("<body>", 1)[1]
    body = re.sub(r"<[^>]+>", " ", body).replace(WJ, "")
    return re.sub(r"\s+", " ", htmllib.unescape(body))


def articles(document: str) -> list[str]:
    return re.findall(r'<strong class="art">(.*?)</strong>', document.replace(WJ, ""))


@pytest.fixture(scope="module")
def ko(bakery):
    return draft_html(bakery, "ko")


@pytest.fixture(scope="module")
def en(bakery):
    return draft_html(bakery, "en")


def test_korean_agreement_reads_like_a_korean_contract(ko):
    text = text_of(ko)
    assert ko.startswith("<!DOCTYPE html>") and '<html lang="ko">' in ko
    assert "인공지능 도입 과제 수행 계약서" in text
    assert articles(ko)[0] == "제1조 (목적)"
    assert "행복한제빵소(이하 “수요기업”이라 한다) 및 주식회사 데이터온(이하 “공급기업”이라 한다)은" in text
    assert "금 사천팔백만원정(₩48,000,000) (부가가치세 별도)" in text
    assert "605-12-34569" in text and "김민지" in text
    # The KPI acceptance table: waste rate from 12% to 5%, on the named test set.
    kpi_row = re.search(r"<tr><td>당일 폐기율</td>.*?</tr>", ko.replace(WJ, "")).group(0)
    cells = [htmllib.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td.*?</td>", kpi_row)]
    assert cells == ["당일 폐기율", "12%", "5%", "5%", "5% 이하", "2025년 10~12월 판매·폐기 기록(홀드아웃)"]
    # The milestone and payment table, with amounts that add up to the price.
    assert "9,600,000원" in text and "19,200,000원" in text and "48,000,000원" in text
    assert "4주차" in text and "2026년 6월 30일" in text
    assert "1,000분의 0.5" in text and "10%(4,800,000원)를 한도로" in text


def test_english_agreement_is_the_equivalent(en, ko):
    text = text_of(en)
    assert '<html lang="en">' in en
    assert articles(en)[0] == "Article 1 (Purpose)"
    assert len(articles(en)) == len(articles(ko))
    assert "Haengbokhan Bakehouse (the “Client”) and DataOn Inc. (the “Vendor”)" in text
    assert "KRW 48,000,000 (forty-eight million won) (VAT excluded)" in text
    assert "at most 5%" in text and "Week 4" in text and "30 June 2026" in text
    assert not re.search(r"제\d+조|이하 “|수요기업은", text)  # no Korean clause text
    # User text is shown as written, whatever the document language.
    assert "빵 품목별 익일 수요 예측으로 당일 폐기율 낮추기" in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_clause_of_the_library_has_wording_in_both_languages(lang):
    terms = cooperative_terms()  # has every conditional clause but maintenance's variant
    document = draft_html(terms, lang)
    titles = [c.title(lang) for c in LIBRARIES["2026.1"].select(terms)]
    assert [re.sub(r"^\S+ \d+ |^제\d+조 ", "", a) for a in articles(document)] == \
        [f"({title})" for title in titles]


def test_articles_are_numbered_without_gaps_and_cross_references_follow(bakery):
    document = draft_html(bakery.replace(subsidy=None), "ko")
    heads = articles(document)
    assert [int(re.match(r"제(\d+)조", h).group(1)) for h in heads] == list(range(1, len(heads) + 1))
    number = {re.search(r"\((.*)\)", h).group(1): re.match(r"제\d+조", h).group(0) for h in heads}
    text = text_of(document)
    # Payment refers to the milestones and acceptance articles by their actual numbers.
    assert f"대금은 {number['수행 일정 및 지체상금']}의 표에 따른" in text
    assert f"{number['검수 및 인수 기준']}에 따른 검수에 합격한 때" in text


def test_conditional_clauses_appear_only_when_they_apply(bakery):
    def titles(terms, lang="ko"):
        return " ".join(articles(draft_html(terms, lang)))

    # The bakery has a subsidy, is cloud-hosted and is a single SME.
    assert "정부지원사업 및 비용 분담" in titles(bakery)
    assert "구축형" not in titles(bakery)
    assert "공동과제" not in titles(bakery)
    assert "Public Subsidy" in titles(bakery, "en")

    no_subsidy = bakery.replace(subsidy=None)
    assert "정부지원사업" not in titles(no_subsidy)
    assert "지원사업" not in text_of(draft_html(no_subsidy, "ko"))
    assert "Programme" not in text_of(draft_html(no_subsidy, "en"))

    on_premises = bakery.replace(on_premises=True)
    assert "구축형(온프레미스) 설치" in titles(on_premises)
    assert "On-Premises Deployment" in titles(on_premises, "en")

    coop = cooperative_terms()
    assert "공동과제 및 참여기업" in titles(coop)
    text = text_of(draft_html(coop, "ko"))
    assert "대성정밀(이하 각각 “참여기업”이라 한다)" not in text  # members listed together
    assert "수요기업의 조합원인 대성정밀, 한일기공, 우리베어링(이하 각각 “참여기업”이라 한다)" in text
    assert "24,000,000원" in text and "40%" in text          # 대성정밀's share of 60,000,000
    assert text.count("참여기업") > 5 and "수요기업(조합)" in text


def test_options_change_the_ip_and_maintenance_wording(bakery):
    def text(terms):
        return text_of(draft_html(terms, "ko"))

    assert "대금 지급이 완료된 때 수요기업에 귀속된다" in text(bakery)
    vendor = text(bakery.replace(ip_ownership=IpOwnership.VENDOR_LICENSED))
    assert "지식재산권은 공급기업에 귀속된다" in vendor and "비독점적 사용권" in vendor
    joint = text(bakery.replace(ip_ownership=IpOwnership.JOINT))
    assert "균등한 지분으로 공유한다" in joint

    assert "연 4,800,000원, 총 9,600,000원" in text(bakery)
    assert "총부담액은 19,200,000원" in text(bakery)  # own share + two years of maintenance
    assert "별도로 계약한다" in text(bakery.replace(maintenance=None))
    assert "하자담보기간을 두지 아니한다" in text(bakery.replace(warranty_months=0))


def test_data_rights_ai_governance_and_disputes_are_spelled_out(ko, en):
    text = text_of(ko)
    assert "본 과제의 수행 목적으로만 사용" in text
    assert "반환하거나 복구할 수 없도록 파기" in text
    assert "12개월간 보관" in text and "사람의 확인을 거치지 않고" in text
    assert "서울중앙지방법원을 제1심 전속관할법원으로" in text
    assert "국문을 우선한다" in text
    english = text_of(en)
    assert "return Client Data" in english and "human review" in english
    assert "the Seoul Central District Court having exclusive jurisdiction" in english


def test_signature_block_shows_signers_or_blank_lines(bakery, bakery_unsigned):
    signed = text_of(draft_html(bakery, "ko"))
    assert "김민지 (전자서명)" in signed and "2026년 3월 3일 09:12 KST" in signed
    assert "211.234.10.7" in signed and "________" not in signed
    unsigned = text_of(draft_html(bakery_unsigned, "en"))
    assert unsigned.count("________________________ (signature)") == 2
    assert "(e-signature)" not in unsigned


def test_footer_and_print_css(ko):
    footer = re.search(r'<p class="doc-meta" data-footer="(.*?)">', ko).group(1)
    assert footer == "계약번호 AXB-2026-000142 · 제1판 · 조항 2026.1"
    css = re.search(r"<style>(.*?)</style>", ko, re.S).group(1)
    assert "size: A4" in css and 'counter(page) " / " counter(pages)' in css
    assert "string-set: footer attr(data-footer)" in css and "content: string(footer)" in css
    assert '"NanumMyeongjo"' in css and '"NanumGothic"' in css
    assert "word-break: keep-all" in css and "line-break: strict" in css
    assert "<title>인공지능 도입 과제 수행 계약서 AXB-2026-000142 (제1판)</title>" in ko


def test_article_headings_run_into_their_first_paragraph(ko, en):
    """제1조 (목적) 본 계약은 ... / 제3조 (과제의 범위) ① ...: the Korean statute layout."""
    text = text_of(ko)
    assert "제1조 (목적) 본 계약은 공급기업이" in text
    assert "제3조 (과제의 범위) ① 본 과제의 개요는" in text
    assert "Article 3 (Scope of Work) (1) " in text_of(en)
    # Paragraphs and items are numbered in the text, not by CSS markers or counters.
    assert "② 공급기업이 수행할 과제의 범위는" in text and "1. POS 판매·폐기 데이터" in text
    assert "③ 다음 각 호의 사항은" in text and "(3) The following are outside" in text_of(en)
    assert "a. POS" in text_of(en) and "b. 기상청" in text_of(en)
    assert "<h2" not in ko and "counter(para" not in ko and "list-style: none" in ko


HOSTILE = [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x",
    '<img src="file:///etc/passwd">',
    "<style>@import url(http://127.0.0.1:9/)</style>",
]


def hostile_terms():
    terms = bakery_terms()
    first, *rest = terms.deliverables
    return terms.replace(
        project_title='<img src="file:///etc/passwd">',
        project_summary="\n".join(HOSTILE),
        scope=tuple(HOSTILE),
        deliverables=(type(first)(first.kind, "<script>alert(1)</script>", HOSTILE[3]), *rest),
    )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_user_text_is_escaped_and_cannot_add_markup_or_css(lang):
    document = draft_html(hostile_terms(), lang)
    parsed = _Elements(document)
    assert not {"img", "script", "link", "iframe", "object"} & set(parsed.tags)
    assert parsed.tags.count("style") == 1
    assert not {name for name, _ in parsed.attributes} & {"src", "href", "srcset", "data"}
    css = re.search(r"<style>(.*?)</style>", document, re.S).group(1)
    assert "url(" not in css and "@import" not in css
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in document
    assert "&lt;style&gt;@import url(http://127.0.0.1:9/)&lt;/style&gt;" in document
    text = text_of(document)
    for value in HOSTILE:
        assert value in text  # shown to the reader exactly as typed


def test_the_document_refers_to_no_external_resource(ko):
    parsed = _Elements(ko)
    assert not {"img", "script", "link", "iframe", "object", "base"} & set(parsed.tags)
    assert not {name for name, _ in parsed.attributes} & {"src", "href", "srcset", "data"}
    assert "url(" not in ko and "@import" not in ko


def test_korean_words_are_joined_so_lines_break_between_words():
    assert keep_korean_words("<p>수요기업은 검수(서면)를</p>") == \
        f"<p>수{WJ}요{WJ}기{WJ}업{WJ}은 검{WJ}수{WJ}({WJ}서{WJ}면{WJ}){WJ}를</p>"
    assert keep_korean_words('<td class="c">KRW 48,000,000</td>') == '<td class="c">KRW 48,000,000</td>'
    assert keep_korean_words("&lt;가&gt;") == "&lt;가&gt;"  # never inside an entity
    long_word = "가" * 30
    assert keep_korean_words(long_word) == long_word  # may still wrap rather than overflow


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig not installed")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_character_has_a_glyph_in_the_nanum_fonts(lang, bakery):
    """No tofu: each character drafted (clauses and example data) exists in both fonts."""
    from fontTools.ttLib import TTFont

    chars = set(text_of(draft_html(bakery, lang)) + text_of(draft_html(cooperative_terms(), lang)))
    chars -= {" ", "\n"}
    for family in ("NanumMyeongjo", "NanumGothic"):
        path = subprocess.run(["fc-match", "-f", "%{file}", f"{family}:style=Regular"],
                              capture_output=True, text=True, check=True).stdout
        assert family in path, f"{family} is not installed (apt-get install fonts-nanum)"
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap()
        missing = sorted(c for c in chars if ord(c) not in cmap)
        assert not missing, f"{family} lacks {missing}"


def test_amounts_numbers_and_particles():
    assert korean_amount(48_000_000) == "사천팔백만"
    assert korean_amount(150_000_000) == "일억오천만"
    assert korean_amount(11_000_000) == "일천일백만"
    assert korean_amount(1_000_010_001) == "일십억일만일"
    assert english_amount(48_000_000) == "forty-eight million"
    assert english_amount(1_000_010_001) == "one billion ten thousand one"
    assert format_number(12) == "12" and format_number(Decimal("0.50")) == "0.5"
    assert format_number(1250) == "1,250"
    assert format_percent(1, 3) == "33.3%" and format_percent(38_400_000, 48_000_000) == "80%"
    assert josa("서울중앙지방법원", "을/를") == "서울중앙지방법원을"
    assert josa("창원지방법원 본원", "을/를") == "창원지방법원 본원을"
    assert josa("행복한제빵소", "과/와") == "행복한제빵소와"
    assert josa("서울", "으로/로") == "서울로" and josa("부산", "으로/로") == "부산으로"
    assert josa("NIPA", "을/를") == "NIPA을(를)"
    assert josa("<b>", "을/를") == "&lt;b&gt;을(를)"


def test_unknown_language_is_refused(bakery):
    with pytest.raises(ValueError, match="lang"):
        draft_html(bakery, "ja")


def test_dates_come_from_the_terms(bakery):
    later = bakery.replace(created=date(2026, 4, 1), signatures=())
    document = draft_html(later, "ko")
    assert '<meta name="dcterms.created" content="2026-04-01T00:00:00Z">' in document
    assert "2026년 4월 1일" in text_of(document)
