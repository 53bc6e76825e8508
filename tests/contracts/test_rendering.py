"""Rendering the PDF: Korean text and fonts, PDF/A-3b, embedded terms, no fetching."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import subprocess
import zlib

import pytest
import weasyprint

from contracts import (
    extract_embedded_terms, render_pdf, sha256_hex, terms_from_dict, terms_to_dict,
)
from contracts.fetching import FetchRefused, RefusingURLFetcher
from contracts.rendering import _objects

from .conftest import needs_poppler, render_recorded
from .test_drafting import HOSTILE, hostile_terms


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdf_is_pdf_a_3b_with_identifier_and_srgb_output_intent(bakery_ko):
    pdf = bakery_ko.pdf
    assert pdf.startswith(b"%PDF-1.7")
    assert b"/ID [(AXB-2026-000142) " in pdf
    objects = b"\n".join(_objects(pdf).values())  # including those in object streams
    assert b"/AFRelationship /Source" in objects
    associated = re.search(rb"/AF \[([^\]]*)\]", objects).group(1).split(b" R")
    assert len([ref for ref in associated if ref.strip()]) == 1
    intent = re.search(rb"/OutputIntents \[<<(.*?)>>\]", objects).group(1)
    assert b"/S /GTS_PDFA1" in intent and b"sRGB" in intent and b"/DestOutputProfile" in intent


@needs_poppler
def test_pdf_a_metadata(bakery_ko):
    xmp = subprocess.run(["pdfinfo", "-meta", "-"], input=bakery_ko.pdf, capture_output=True,
                         check=True).stdout.decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "<xmp:CreateDate>2026-03-02T00:00:00Z</xmp:CreateDate>" in xmp
    assert "인공지능 도입 과제 수행 계약서 AXB-2026-000142 (제1판)" in xmp


@needs_poppler
def test_pdf_metadata_as_poppler_reads_it(bakery_ko):
    info = subprocess.run(["pdfinfo", "-"], input=bakery_ko.pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "Title:           인공지능 도입 과제 수행 계약서 AXB-2026-000142 (제1판)" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    assert re.search(r"CreationDate:\s+Mon Mar +2 00:00:00 2026 UTC", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 3 <= pages <= 8


@needs_poppler
def test_korean_text_is_extractable(bakery_ko):
    text = one_line(bakery_ko.text())
    assert "제1조 (목적)" in text
    assert "인공지능 도입 과제 수행 계약서" in text
    assert "행복한제빵소" in text and "주식회사 데이터온" in text
    assert "당일 폐기율" in text and "5% 이하" in text
    assert "\u2060" not in text  # word joiners do not leak into copied text
    # Whole words stay on one line: no line ends inside 수요기업 or 공급기업.
    lines = bakery_ko.text("-layout").splitlines()
    assert not [line for line in lines if re.search(r"(수요기?|공급기?|수요기업|공급기업)$", line.rstrip())
                and not line.rstrip().endswith(("수요기업", "공급기업"))]
    # Page numbers in the "- 1 / N -" style, and the footer on every page.
    pages = bakery_ko.text().count("\f")  # pdftotext ends each page with a form feed
    assert pages == 3  # the realistic bakery agreement fits three A4 pages in Korean
    # On every page the footer (besides the same line under the title on page 1).
    assert text.count("계약번호 AXB-2026-000142 · 제1판 · 조항 2026.1") == pages + 1
    numbers = re.findall(r"-\s*(\d+)\s*/\s*(\d+)\s*-", text)  # pdftotext drops the spaces
    assert numbers == [(str(n), str(pages)) for n in range(1, pages + 1)]


@needs_poppler
def test_english_and_cooperative_pdfs(bakery_en, cooperative_ko):
    english = one_line(bakery_en.text())
    assert "Article 1 (Purpose)" in english and "DataOn Inc." in english
    coop = one_line(cooperative_ko.text())
    assert "공동과제 및 참여기업" in coop and "경남기계부품협동조합" in coop
    assert "구축형(온프레미스) 설치" in coop


@needs_poppler
def test_only_the_nanum_fonts_are_embedded(bakery_ko, bakery_en):
    for rendered in (bakery_ko, bakery_en):
        fonts = subprocess.run(["pdffonts", "-"], input=rendered.pdf, capture_output=True,
                               check=True).stdout.decode().splitlines()[2:]
        families = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in fonts}
        assert families and all(f.startswith(("NanumMyeongjo", "NanumGothic")) for f in families)
        assert all(" yes yes yes " in line for line in fonts)  # embedded, subset, unicode map


def test_rendering_logs_no_warning_and_fetches_nothing(bakery_ko, bakery_en, cooperative_ko):
    for rendered in (bakery_ko, bakery_en, cooperative_ko):
        assert [r.getMessage() for r in rendered.records if r.levelno >= logging.WARNING] == []
        assert rendered.fetches == []


@pytest.fixture(scope="module")
def hostile():
    return render_recorded(hostile_terms(), "ko")


def test_hostile_user_text_makes_no_fetch(hostile):
    assert hostile.fetches == []
    assert [r.getMessage() for r in hostile.records if r.levelno >= logging.WARNING] == []


@needs_poppler
def test_hostile_user_text_is_printed_as_text(hostile):
    text = one_line(hostile.text())
    for value in HOSTILE:
        assert value in text


def test_the_fetcher_refuses_everything_but_allowed_data_uris():
    fetcher = RefusingURLFetcher(frozenset({"data:text/plain,ok"}))
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x", "https://example.com/",
                "data:text/plain,not-ours"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    assert fetcher.refused == ["file:///etc/passwd", "http://127.0.0.1:9/x",
                               "https://example.com/", "data:text/plain,not-ours"]


@pytest.mark.parametrize("markup", [
    '<img src="file:///etc/passwd">',
    "<style>@import url(http://127.0.0.1:9/);</style>",
    '<p style="background: url(http://127.0.0.1:9/x)">x</p>',
])
def test_even_raw_markup_could_not_fetch_through_the_renderer_fetcher(markup):
    """Defence in depth: were markup ever to reach WeasyPrint, the fetch stops rendering."""
    fetcher = RefusingURLFetcher()
    with pytest.raises(FetchRefused):
        weasyprint.HTML(string=f"<html><body>{markup}</body></html>",
                        url_fetcher=fetcher).write_pdf()
    assert fetcher.refused


def test_embedded_terms_round_trip(bakery, bakery_ko, cooperative, cooperative_ko):
    data = extract_embedded_terms(bakery_ko.pdf)
    assert data == terms_to_dict(bakery)
    assert terms_from_dict(data) == bakery
    assert terms_from_dict(extract_embedded_terms(cooperative_ko.pdf)) == cooperative


@needs_poppler
def test_embedded_file_is_readable_by_other_tools(bakery, bakery_ko, tmp_path):
    if shutil.which("pdfdetach") is None:
        pytest.skip("pdfdetach not installed")
    source = tmp_path / "agreement.pdf"
    source.write_bytes(bakery_ko.pdf)
    listing = subprocess.run(["pdfdetach", "-list", str(source)], capture_output=True,
                             text=True, check=True).stdout
    assert "1: agreement.json" in listing
    saved = tmp_path / "saved.json"
    subprocess.run(["pdfdetach", "-save", "1", "-o", str(saved), str(source)], check=True)
    assert terms_from_dict(json.loads(saved.read_text("utf-8"))) == bakery


def test_extract_returns_none_without_or_with_a_tampered_attachment(bakery_ko):
    plain = weasyprint.HTML(string="<p>x</p>").write_pdf()
    assert extract_embedded_terms(plain) is None
    assert extract_embedded_terms(b"not a pdf") is None
    # The same PDF uncompressed, with one character of the embedded JSON changed.
    tampered = _with_changed_attachment(bakery_ko.pdf)
    assert tampered != bakery_ko.pdf
    assert extract_embedded_terms(tampered) is None


def _with_changed_attachment(pdf: bytes) -> bytes:
    match = re.search(rb"/Type /EmbeddedFile.*?>>\s*stream\r?\n", pdf, re.S)
    length = int(re.search(rb"/Length (\d+)", match.group(0)).group(1))
    start = match.end()
    data = zlib.decompress(pdf[start:start + length])
    changed = zlib.compress(data.replace(b'"price_won":48000000', b'"price_won":18000000'))
    header = match.group(0).replace(f"/Length {length}".encode(), f"/Length {len(changed)}".encode())
    return pdf[:match.start()] + header + changed + pdf[start + length:]


def test_sha256_and_determinism(bakery, bakery_ko):
    digest = sha256_hex(bakery_ko.pdf)
    assert digest == hashlib.sha256(bakery_ko.pdf).hexdigest() and len(digest) == 64
    again = render_pdf(bakery, "ko")
    assert sha256_hex(again) == digest  # same terms, same bytes


def test_first_render_in_a_thread_equals_later_ones_and_warm_up(bakery, bakery_ko):
    """Shared fonts and stylesheet are per thread; a fresh thread gives the same bytes."""
    import threading

    from contracts.rendering import warm_up

    results = []

    def fresh_thread():
        results.append(render_pdf(bakery, "ko"))  # this thread's first render
        warm_up()
        results.append(render_pdf(bakery, "ko"))

    thread = threading.Thread(target=fresh_thread)
    thread.start()
    thread.join()
    assert results == [bakery_ko.pdf, bakery_ko.pdf]


def _element_names(css: str) -> set[str]:
    """Element names in the selectors of a stylesheet's style rules (at-rules skipped)."""
    import tinycss2

    names = set()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selectors = re.sub(r"::?[\w-]+", "", tinycss2.serialize(rule.prelude))
            names.update(re.findall(r"(?<![\w.#-])([a-z][a-z0-9]*)\b", selectors))
    return names


def test_the_agreement_ua_stylesheet_has_defaults_for_every_element_of_the_template(
        bakery, bakery_unsigned, cooperative):
    """The PDF uses its own cut-down user-agent stylesheet: an element without defaults
    there (a <ul> added to a clause, say) would lose its display type and margins."""
    from html.parser import HTMLParser

    from contracts import draft_html
    from contracts.drafting import ua_stylesheet_text

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: set[str] = set()

        def handle_starttag(self, tag, attrs):
            self.tags.add(tag)

    parser = Tags()
    for terms in (bakery, bakery_unsigned, cooperative, hostile_terms()):
        for lang in ("ko", "en"):
            parser.feed(draft_html(terms, lang))
    covered = _element_names(ua_stylesheet_text())
    assert {"table", "li", "blockquote", "h1"} <= parser.tags
    assert parser.tags <= covered, sorted(parser.tags - covered)


def test_the_agreement_ua_stylesheet_renders_the_same_pdf_as_weasyprints_own(
        bakery, bakery_ko, monkeypatch):
    from contracts import rendering

    monkeypatch.setattr(rendering._renderer(), "html_class", weasyprint.HTML)
    assert render_pdf(bakery, "ko") == bakery_ko.pdf  # byte for byte


@pytest.mark.parametrize("enabled", [True, False])
def test_rendering_leaves_the_garbage_collector_as_it_found_it(bakery, enabled):
    """render_pdf pauses the cyclic collector; a server must never be left without it."""
    import gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with pytest.raises(FetchRefused):  # fails midway: even its own profile is refused
            render_pdf(bakery, "ko", url_fetcher=RefusingURLFetcher())
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
