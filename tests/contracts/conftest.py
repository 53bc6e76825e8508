"""Fixtures for the contracts library: realistic terms, and a few PDFs rendered once.

Rendering takes about a second per PDF, so each PDF the suite needs is rendered once
per session, with the log records WeasyPrint and fontTools emitted while rendering it.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass

import pytest

from contracts import render_pdf
from contracts.examples import bakery_terms, cooperative_terms
from contracts.fetching import RefusingURLFetcher
from contracts.rendering import own_data_uris

POPPLER = shutil.which("pdftotext") is not None
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext) not installed")


class SpyFetcher(RefusingURLFetcher):
    """Records every URL the renderer asks for; refuses all but render_pdf's own data URIs."""

    def __init__(self):
        super().__init__(own_data_uris())
        self.calls: list[str] = []

    def fetch(self, url, headers=None):
        self.calls.append(url)
        return super().fetch(url, headers)


@dataclass
class Rendered:
    pdf: bytes
    records: list[logging.LogRecord]
    fetches: list[str]  # every URL asked for, render_pdf's own sRGB profile excepted

    def text(self, *args: str) -> str:
        """The PDF's text as pdftotext extracts it."""
        result = subprocess.run(["pdftotext", *args, "-", "-"], input=self.pdf,
                                capture_output=True, check=True)
        return result.stdout.decode("utf-8")


class _ListHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def render_recorded(terms, lang: str) -> Rendered:
    handler = _ListHandler()
    loggers = [logging.getLogger(n) for n in ("weasyprint", "fontTools", "contracts")]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.WARNING)
    spy = SpyFetcher()
    try:
        pdf = render_pdf(terms, lang, url_fetcher=spy)
    finally:
        for lg, level in saved:
            lg.removeHandler(handler)
            lg.setLevel(level)
    return Rendered(pdf, handler.records, [url for url in spy.calls if url not in own_data_uris()])


@pytest.fixture(scope="session")
def bakery():
    return bakery_terms(signed=True)


@pytest.fixture(scope="session")
def bakery_unsigned():
    return bakery_terms()


@pytest.fixture(scope="session")
def cooperative():
    return cooperative_terms()


@pytest.fixture(scope="session")
def bakery_ko(bakery) -> Rendered:
    return render_recorded(bakery, "ko")


@pytest.fixture(scope="session")
def bakery_en(bakery) -> Rendered:
    return render_recorded(bakery, "en")


@pytest.fixture(scope="session")
def cooperative_ko(cooperative) -> Rendered:
    return render_recorded(cooperative, "ko")
