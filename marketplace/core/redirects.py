"""The one check for every ``next`` a page redirects to after a form: a path on this site, or the default.

Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so ``/%09/evil.example``
(a tab) becomes ``//evil.example``, another site. Anything with a control character, a backslash, a scheme
or a host is refused, as is a path starting with ``//``; a CR/LF can then never reach a header either.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def is_local_path(target: str | None) -> bool:
    if not target or not isinstance(target, str) or len(target) > 2000:
        return False
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target) or "\\" in target:
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site, else ``default``."""
    return target if is_local_path(target) else default
