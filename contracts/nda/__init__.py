"""The non-disclosure agreement a vendor accepts, with one click, before it may read a problem's
NDA-only documents. Like the clause library, each version is frozen once accepted: a new wording is
a new version (new ``<version>.<lang>.txt`` files) and acceptances record the version they accepted.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["CURRENT_VERSION", "nda_paragraphs"]

CURRENT_VERSION = "2026.1"
_HERE = Path(__file__).resolve().parent


@cache
def nda_paragraphs(lang: str = "ko", version: str = CURRENT_VERSION) -> tuple[str, ...]:
    """The NDA's paragraphs in Korean (``ko``) or English (``en``)."""
    if lang not in ("ko", "en"):
        raise ValueError(f"lang must be 'ko' or 'en', not {lang!r}")
    text = (_HERE / f"{version}.{lang}.txt").read_text(encoding="utf-8")
    return tuple(p.strip() for p in text.split("\n\n") if p.strip())
