"""Where a document's bytes live, behind one interface: the database (default), a directory or an S3 bucket.

``AXBRIDGE_DOCUMENT_STORE`` chooses: ``database`` keeps the bytes in ``document_blob`` (one
backup holds everything); ``directory`` writes them to ``AXBRIDGE_DOCUMENT_DIR`` (default
``<instance>/documents``), one file per SHA-256, so identical uploads share a file and several
hosts can share the directory over a network file system; ``s3`` puts them in an S3-compatible
bucket, one object per SHA-256 (:mod:`marketplace.documents.s3`), for several hosts without a shared
file system. A store gets what it stored, or ``None`` when it has nothing; the reader checks the
bytes against the document's SHA-256. A store that cannot be reached raises :class:`StoreUnavailable`
(a translated 503, the details in the log); a misconfigured one stops the app at start
(:func:`check_configuration`).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlmodel import Session

from marketplace.config import ConfigError
from marketplace.core.errors import DomainError
from marketplace.documents.models import Document, DocumentBlob

logger = logging.getLogger(__name__)

STORES = ("database", "directory", "s3")


class StoreUnavailable(DomainError):
    """The document store did not answer (unreachable, no bucket, access denied): try again later (503)."""

    status = 503
    type_slug = "document-store-unavailable"

    def __init__(self):
        super().__init__(_("The document store cannot be reached just now, so the file was not stored or read. "
                           "Please try again in a few minutes; if it goes on, tell the administrator."),
                         field="file")


class Store(Protocol):
    name: str

    def put(self, session: Session, document: Document, data: bytes) -> None: ...

    def get(self, session: Session, document: Document) -> bytes | None: ...


class DatabaseStore:
    name = "database"

    def put(self, session: Session, document: Document, data: bytes) -> None:
        session.add(DocumentBlob(document_id=document.id, data=data))
        session.flush()

    def get(self, session: Session, document: Document) -> bytes | None:
        blob = session.get(DocumentBlob, document.id)
        return None if blob is None else bytes(blob.data)


class DirectoryStore:
    name = "directory"

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, session: Session, document: Document, data: bytes) -> None:
        target = self.path(document.sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, target)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

    def get(self, session: Session, document: Document) -> bytes | None:
        try:
            return self.path(document.sha256).read_bytes()
        except FileNotFoundError:
            return None


def current_store() -> Store:
    """The store configured for new documents."""
    return store_named(current_app.config.get("DOCUMENT_STORE") or "database")


def store_named(name: str) -> Store:
    if name == "directory":
        root = current_app.config.get("DOCUMENT_DIR") or Path(current_app.instance_path) / "documents"
        return DirectoryStore(Path(root))
    if name == "database":
        return DatabaseStore()
    if name == "s3":
        return _s3_store(current_app)
    raise RuntimeError(f"AXBRIDGE_DOCUMENT_STORE must be one of {', '.join(STORES)}, not {name!r}")


def _s3_store(app: Flask) -> GuardedStore:
    """The app's S3 store: one client per app (boto3 clients are thread-safe and slow to make)."""
    store = app.extensions.get("axbridge_s3_store")
    if store is None:
        from marketplace.documents import s3

        settings = s3.S3Settings.from_config(app.config)
        store = app.extensions["axbridge_s3_store"] = GuardedStore(s3.S3Store(s3.make_client(settings), settings))
    return store


class GuardedStore:
    """A remote store whose failures become :class:`StoreUnavailable` (logged with what failed where)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name

    def put(self, session: Session, document: Document, data: bytes) -> None:
        self._guard(self.inner.put, session, document, data)

    def get(self, session: Session, document: Document) -> bytes | None:
        return self._guard(self.inner.get, session, document)

    def _guard(self, method, *args):
        from marketplace.documents.s3 import S3Error

        try:
            return method(*args)
        except S3Error as exc:
            logger.error("document store unavailable: %s", exc)
            raise StoreUnavailable() from exc


def check_configuration(app: Flask) -> None:
    """At start: the store's settings, and for S3 that the bucket answers; :class:`ConfigError` saying what to fix.

    ``DOCUMENT_STORE_CHECK_AT_START=False`` skips asking the bucket (the settings are still checked).
    """
    name = app.config.get("DOCUMENT_STORE") or "database"
    if name not in STORES:
        raise ConfigError(f"AXBRIDGE_DOCUMENT_STORE must be one of {', '.join(STORES)}, not {name!r}")
    if name != "s3":
        return
    from marketplace.documents import s3

    try:
        store = _s3_store(app)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    if app.config.get("DOCUMENT_STORE_CHECK_AT_START", True):
        try:
            store.inner.check()
        except s3.S3Error as exc:
            raise ConfigError(f"AXBRIDGE_DOCUMENT_STORE=s3: {exc}. Create the bucket, or correct "
                              "AXBRIDGE_S3_ENDPOINT_URL / AXBRIDGE_S3_BUCKET and the key.") from exc
