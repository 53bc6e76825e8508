"""Where a document's bytes live, behind one interface: the database (default) or a directory.

``AXBRIDGE_DOCUMENT_STORE`` chooses: ``database`` keeps the bytes in ``document_blob`` (one
backup holds everything); ``directory`` writes them to ``AXBRIDGE_DOCUMENT_DIR`` (default
``<instance>/documents``), one file per SHA-256, so identical uploads share a file and several
hosts can share the directory over a network file system. A store gets what it stored, byte for
byte, or ``None``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlmodel import Session

from marketplace.documents.models import Document, DocumentBlob


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
    raise RuntimeError(f"AXBRIDGE_DOCUMENT_STORE must be database or directory, not {name!r}")
