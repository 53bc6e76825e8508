"""Is a request sent by a page of this site? The check for forms that carry no CSRF token.

OWASP's "verifying origin with standard headers": a browser says where a request comes from in
``Sec-Fetch-Site`` (every current browser) and ``Origin`` (every POST of a current browser); an older
one at least in ``Referer``. A request one of them places on another site is cross-site. A request
with none of them comes from no browser page at all (a script, a test client), which a cross-site
attack cannot send in a victim's browser, so it passes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Request

SAME = frozenset({"same-origin", "none"})  # "none": typed in the address bar, a bookmark


def _host(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return parts.netloc.lower() if parts.scheme in ("http", "https") and parts.netloc else None


def from_this_site(request: Request) -> bool:
    """False when the browser's own headers place the request on another site (or say nothing usable)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in SAME
    here = request.host.lower()
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin != "null" and _host(origin) == here
    referer = request.headers.get("Referer")
    if referer is not None:
        return _host(referer) == here
    return True
