"""Input and output contracts of documents."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from marketplace.core.schemas import Id, Strict
from marketplace.documents.models import DocumentAccess


class DocumentPath(Strict):
    document_id: Id


class DocumentOut(BaseModel):
    id: int
    filename: str
    kind: str
    content_type: str
    size_bytes: int
    sha256: str
    access: DocumentAccess
    problem_id: int | None
    bid_id: int | None
    organisation_id: int | None
    created_at: datetime
    content_url: str
