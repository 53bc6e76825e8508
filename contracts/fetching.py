"""A WeasyPrint URL fetcher that fetches nothing.

Imported only when a PDF is rendered: importing WeasyPrint loads Pango and takes about
a second, which drafting HTML never needs.
"""

from __future__ import annotations

import logging

from weasyprint.urls import FatalURLFetchingError, URLFetcher

__all__ = ["FetchRefused", "RefusingURLFetcher"]

logger = logging.getLogger(__name__)


class FetchRefused(FatalURLFetchingError):
    """Rendering tried to fetch a URL that was not explicitly allowed.

    WeasyPrint catches ordinary fetch errors, logs them and carries on; this one derives
    from its fatal error, so the rendering stops and the caller sees it.
    """


class RefusingURLFetcher(URLFetcher):
    """Fetches only the ``data:`` URIs it was built with; refuses everything else.

    Agreements need no external resource (the stylesheet is inline, fonts come from
    fontconfig by family name), so by default nothing at all is fetched: not ``file:``,
    not ``http:``, not anything user text might smuggle in.
    """

    def __init__(self, allowed_data_uris: frozenset[str] = frozenset()):
        super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False,
                         fail_on_errors=True)
        self.allowed_data_uris = frozenset(u for u in allowed_data_uris if u.startswith("data:"))
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url in self.allowed_data_uris:
            return super().fetch(url, headers)
        self.refused.append(url)
        logger.warning("refused to fetch %.200s while rendering an agreement", url)
        raise FetchRefused(f"fetching is not allowed while rendering: {url[:200]}")
