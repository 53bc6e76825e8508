"""Which files are accepted, judged by their content, not their name: a pure rule (no Flask, no database).

:func:`check_upload` takes the name the browser sent and the bytes, and returns the accepted
:class:`Kind` or raises :class:`Rejected` with a reason code the service turns into a message.

Accepted: PDF, PNG, JPEG, XLSX, DOCX, HWP (한글 5.x) and plain text (CSV, TXT in UTF-8 or CP949).
The name's extension must agree with what the content is; names with folders, ``..``, control
characters or a leading dot are refused rather than cleaned, so what is stored is what was sent.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import filetype

#: 10 MB (as the PDF verification): a scanned 사업자등록증 or a proposal PDF fits; a data set does not.
MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 200

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWP_SIGNATURE = "HWP Document File".encode("utf-16-le")


@dataclass(frozen=True)
class Kind:
    code: str
    mime: str
    extensions: tuple[str, ...]


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("pdf", "application/pdf", ("pdf",)),
    Kind("png", "image/png", ("png",)),
    Kind("jpeg", "image/jpeg", ("jpg", "jpeg")),
    Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    Kind("hwp", "application/x-hwp", ("hwp",)),
    Kind("csv", "text/csv", ("csv",)),
    Kind("txt", "text/plain", ("txt",)),
)}
_BY_FILETYPE = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "xlsx": "xlsx", "docx": "docx"}
TEXT_KINDS = ("csv", "txt")
EXTENSIONS = tuple(sorted({e for k in KINDS.values() for e in k.extensions}))


class Rejected(ValueError):
    """Why a file is refused: ``empty``, ``too_large``, ``bad_name``, ``unsupported`` or ``mismatch``."""

    def __init__(self, reason: str, *, detected: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.detected = detected


def check_name(name: str | None) -> str:
    """The file name as sent, if it is a plain name; :class:`Rejected` (``bad_name``) otherwise."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name or len(name) > MAX_NAME or name.startswith(".") or ".." in name:
        raise Rejected("bad_name")
    if any(ch in name for ch in '/\\:*?"<>|') or any(unicodedata.category(ch).startswith("C") for ch in name):
        raise Rejected("bad_name")
    return name


def extension(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch in "\t\r\n\f" or not unicodedata.category(ch).startswith("C") for ch in text)
    return False


def sniff(data: bytes) -> str | None:
    """The kind the content is (one of :data:`KINDS`), or None when it is none of them."""
    if data.startswith(OLE_MAGIC):
        return "hwp" if HWP_SIGNATURE in data[:64 * 1024] or b"HWP Document File" in data[:64 * 1024] else None
    guessed = filetype.guess(data)
    if guessed is not None:
        return _BY_FILETYPE.get(guessed.extension)
    return "txt" if _is_text(data) else None


def check_upload(name: str | None, data: bytes, *, max_bytes: int = MAX_BYTES) -> tuple[str, Kind]:
    """(the plain name, its kind) when the file may be stored; :class:`Rejected` otherwise."""
    name = check_name(name)
    if not data:
        raise Rejected("empty")
    if len(data) > max_bytes:
        raise Rejected("too_large")
    ext = extension(name)
    claimed = next((k for k in KINDS.values() if ext in k.extensions), None)
    if claimed is None:
        raise Rejected("unsupported")
    detected = sniff(data)
    if detected is None:
        raise Rejected("mismatch" if claimed.code not in TEXT_KINDS else "unsupported")
    if detected == "txt" and claimed.code in TEXT_KINDS:
        return name, claimed
    if detected != claimed.code:
        raise Rejected("mismatch", detected=detected)
    return name, claimed
