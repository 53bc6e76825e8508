"""Rendering: agreement terms -> PDF/A-3b bytes with the terms embedded as JSON."""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import logging
import re
import threading
import zlib
from datetime import datetime, time, timezone
from functools import cache
from importlib.resources import files

from .codec import terms_to_json
from .drafting import draft_html, stylesheet_text, ua_stylesheet_text
from .terms import AgreementTerms

__all__ = [
    "ATTACHMENT_NAME", "extract_embedded_terms", "own_data_uris", "render_pdf", "sha256_hex",
    "warm_up",
]

logger = logging.getLogger(__name__)

ATTACHMENT_NAME = "agreement.json"
_OUTPUT_INTENT = "--axbridge-srgb"


@cache
def _srgb_profile_uri() -> str:
    """WeasyPrint's own sRGB ICC profile as a ``data:`` URI, for the PDF/A output intent.

    WeasyPrint's built-in ``output_intent="srgb"`` opens the profile file without closing
    it (a ResourceWarning on every render); declaring the same profile with
    ``@color-profile`` goes through the URL fetcher, which closes what it opens.
    """
    icc = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    return "data:application/vnd.iccprofile;base64," + base64.b64encode(icc).decode("ascii")


def _deduplicate_associated_files(document, pdf) -> None:
    """WeasyPrint 70 lists each PDF/A-3 associated file twice in the catalog's /AF."""
    associated = pdf.catalog.get("AF")
    if associated:
        associated[:] = list(dict.fromkeys(associated))


def own_data_uris() -> frozenset[str]:
    """The ``data:`` URIs render_pdf itself puts in its stylesheet: the only fetches allowed."""
    return frozenset({_srgb_profile_uri()})


def _output_intent_css() -> str:
    return (f"@color-profile {_OUTPUT_INTENT} {{ src: url({_srgb_profile_uri()}); "
            "components: r, g, b; }")


class _Renderer:
    """What every render can share, built once per thread.

    - the fontconfig/Pango font map (:class:`weasyprint.text.fonts.FontConfiguration`):
      WeasyPrint otherwise loads the fontconfig configuration and opens the Nanum fonts
      again for each document;
    - the agreement stylesheet, parsed once (:class:`weasyprint.CSS`), with the
      ``@counter-style`` rule it defines;
    - the user-agent stylesheet (``agreement_ua.css``): WeasyPrint's HTML5 defaults for
      just the elements an agreement has, used by :attr:`html_class` in place of
      WeasyPrint's full HTML5 stylesheet, whose 250 rules cost a tenth of every render.

    Not shared: the sRGB output-intent profile. Its bytes change after it is first written
    (the colour-management library re-serialises it), which would make the first PDF
    of a process differ from the next ones; it is parsed per render (about a millisecond).

    Per thread, because Pango font maps are not meant to be shared between threads.
    Nothing in here depends on the terms: equal terms give equal bytes.
    """

    def __init__(self):
        import weasyprint
        from weasyprint.css.counters import CounterStyle
        from weasyprint.text.fonts import FontConfiguration

        from .fetching import RefusingURLFetcher

        self.font_config = FontConfiguration()
        self.counter_style = CounterStyle()
        self.stylesheet = weasyprint.CSS(
            string=stylesheet_text(), media_type="print", url_fetcher=RefusingURLFetcher(),
            font_config=self.font_config, counter_style=self.counter_style)
        user_agent = weasyprint.CSS(
            string=ua_stylesheet_text(), media_type="print", url_fetcher=RefusingURLFetcher(),
            font_config=self.font_config, counter_style=self.counter_style)

        class AgreementHTML(weasyprint.HTML):
            """An agreement: WeasyPrint's HTML document with the agreement's UA stylesheet."""

            def _ua_stylesheets(self, forms=False):
                return [user_agent]

        self.html_class = AgreementHTML


_local = threading.local()


def _renderer() -> _Renderer:
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = _Renderer()
    return renderer


def warm_up() -> None:
    """Prepare the calling thread for fast renders: import WeasyPrint, parse the
    stylesheet, load the fonts and shape Korean and English text (renders the example
    agreement once per language, one to three seconds).

    Call it when a web worker starts, in the thread that will render (for example from
    gunicorn's ``post_worker_init`` hook with sync workers): the fonts and stylesheet are
    kept per thread, so the first agreement a user asks for renders as fast as the next.
    """
    from .examples import bakery_terms

    terms = bakery_terms()
    for lang in ("ko", "en"):
        render_pdf(terms, lang)


def render_pdf(terms: AgreementTerms, lang: str = "ko", *, url_fetcher=None) -> bytes:
    """The agreement as PDF/A-3b bytes.

    - ``agreement.json`` (the deterministic JSON of the terms) is embedded as an
      associated file with relationship ``Source``;
    - the PDF file identifier is the agreement id, the title is the document title;
    - creation and modification dates come from ``terms.created``, so equal terms give
      equal bytes;
    - nothing is fetched but the sRGB profile this function embeds as a ``data:`` URI:
      ``url_fetcher`` defaults to :class:`contracts.fetching.RefusingURLFetcher`, which
      raises :class:`contracts.fetching.FetchRefused` on any other attempt. A fetcher
      passed in must allow :func:`own_data_uris`.

    The first call in a thread imports WeasyPrint, parses the stylesheet and loads the
    fonts (one to two seconds); :func:`warm_up` does that ahead of time.

    The cyclic garbage collector is paused while WeasyPrint works: a render allocates a few
    hundred thousand objects, which would set off a dozen collections of everything the
    process holds, for about a tenth of the render time; their cycles are collected later.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _render_pdf(terms, lang, url_fetcher)
    finally:
        if collecting:
            gc.enable()


def _render_pdf(terms: AgreementTerms, lang: str, url_fetcher) -> bytes:
    import weasyprint

    from .fetching import RefusingURLFetcher

    renderer = _renderer()
    html = draft_html(terms, lang, inline_css=False)
    fetcher = url_fetcher if url_fetcher is not None else RefusingURLFetcher(own_data_uris())
    created = datetime.combine(terms.created, time(0), tzinfo=timezone.utc)
    attachment = weasyprint.Attachment(
        string=terms_to_json(terms),
        name=ATTACHMENT_NAME,
        description=f"Agreement terms {terms.agreement_id} v{terms.version}",
        created=created,
        modified=created,
        relationship="Source",
        url_fetcher=fetcher,
    )
    document = renderer.html_class(string=html, base_url=None, url_fetcher=fetcher)
    color_profiles: dict = {}  # filled by the @color-profile rule, read by write_pdf
    output_intent = weasyprint.CSS(string=_output_intent_css(), url_fetcher=fetcher,
                                   color_profiles=color_profiles)
    pdf = document.write_pdf(
        finisher=_deduplicate_associated_files,
        stylesheets=[renderer.stylesheet, output_intent],
        font_config=renderer.font_config,
        counter_style=renderer.counter_style,
        color_profiles=color_profiles,
        output_intent=_OUTPUT_INTENT,
        pdf_variant="pdf/a-3b",
        pdf_identifier=terms.agreement_id.encode("ascii"),
        attachments=[attachment],
        uncompressed_pdf=False,
    )
    logger.info("rendered agreement %s v%s (%s): %d bytes", terms.agreement_id,
                terms.version, lang, len(pdf))
    return pdf


def sha256_hex(pdf_bytes: bytes) -> str:
    """The SHA-256 of the PDF, as stored with the signed agreement and used to verify it."""
    return hashlib.sha256(pdf_bytes).hexdigest()


# --- reading the embedded JSON back ---------------------------------------------------
#
# A small reader for the PDFs render_pdf writes (pydyf output): the file specification
# may sit inside a compressed object stream, the embedded file stream never does.

_OBJECT = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
_STREAM_DICT = re.compile(rb"<<(.*?)>>\s*stream\r?\n", re.S)


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Top-level objects plus the objects inside object streams, by number."""
    objects: dict[int, bytes] = {}
    positions = [(int(m.group(1)), m.end()) for m in _OBJECT.finditer(pdf)]
    for number, start in positions:
        end = pdf.find(b"endobj", start)
        if end != -1:
            objects.setdefault(number, pdf[start:end])
    for body in list(objects.values()):
        header = body.split(b"stream", 1)[0]
        if b"/ObjStm" not in header:
            continue
        data = _stream_data(body)
        n = _int_entry(header, b"N")
        first = _int_entry(header, b"First")
        if data is None or n is None or first is None:
            continue
        numbers = data[:first].split()
        offsets = [(int(numbers[i]), int(numbers[i + 1])) for i in range(0, 2 * n, 2)]
        for i, (number, offset) in enumerate(offsets):
            stop = offsets[i + 1][1] if i + 1 < len(offsets) else len(data) - first
            objects.setdefault(number, data[first + offset:first + stop])
    return objects


def _int_entry(dictionary: bytes, key: bytes) -> int | None:
    match = re.search(rb"/" + key + rb"\s+(\d+)(?!\s+\d+\s+R)", dictionary)
    return int(match.group(1)) if match else None


def _stream_data(body: bytes) -> bytes | None:
    match = _STREAM_DICT.search(body)
    if not match:
        return None
    header, start = match.group(1), match.end()
    length = _int_entry(header, b"Length")
    raw = body[start:start + length] if length is not None else body[start:].rsplit(
        b"endstream", 1)[0]
    if b"/FlateDecode" in header:
        try:
            return zlib.decompress(raw)
        except zlib.error:
            return None
    if b"/Filter" in header:
        return None  # a filter this reader does not know
    return raw


def extract_embedded_terms(pdf_bytes: bytes) -> dict | None:
    """The terms embedded by :func:`render_pdf` as plain data, or ``None`` if absent.

    Checks the embedded file's MD5 checksum; returns ``None`` for a PDF that has no
    readable ``agreement.json`` (not ours, damaged or altered).
    """
    objects = _objects(pdf_bytes)
    name = re.escape(ATTACHMENT_NAME.encode())
    for body in objects.values():
        if b"/Filespec" not in body or not re.search(rb"/UF\s*\(" + name + rb"\)", body):
            continue
        ref = re.search(rb"/EF\s*<<\s*/F\s+(\d+)\s+\d+\s+R", body)
        stream = objects.get(int(ref.group(1))) if ref else None
        data = _stream_data(stream) if stream else None
        if data is None:
            return None
        checksum = re.search(rb"/CheckSum\s*<([0-9a-fA-F]{32})>", stream)
        if checksum and hashlib.md5(data, usedforsecurity=False).hexdigest() != \
                checksum.group(1).decode().lower():
            return None
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
    return None
