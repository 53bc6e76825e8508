"""Documents and their bytes, and the record of who accepted a problem's NDA."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, enum_column


class DocumentAccess(StrEnum):
    #: a problem's document anyone who can see the problem may read
    PUBLIC = "public"
    #: a problem's document only for vendors who accepted the problem's NDA (and the SME)
    NDA = "nda"
    #: a bid's attachment: read exactly as the bid is (the vendor; the SME only after the deadline)
    SEALED = "sealed"
    #: an organisation's verification document: the organisation and admins
    PRIVATE = "private"


class Document(SQLModel, table=True):
    __tablename__ = "document"
    __table_args__ = (
        # A document belongs to exactly one problem, bid or organisation.
        sa.CheckConstraint("(CASE WHEN problem_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN bid_id IS NULL THEN 0 ELSE 1 END) "
                           "+ (CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END) = 1",
                           name="one_owner"),
        sa.CheckConstraint("size_bytes > 0", name="not_empty"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_hex"),
    )

    id: int | None = Field(default=None, primary_key=True)
    problem_id: int | None = Field(default=None, foreign_key="problem.id", index=True, ondelete="CASCADE")
    bid_id: int | None = Field(default=None, foreign_key="bid.id", index=True, ondelete="CASCADE")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True,
                                        ondelete="CASCADE")
    uploaded_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    access: DocumentAccess = Field(sa_column=enum_column(DocumentAccess, "document_access"))
    filename: str = Field(max_length=200)
    kind: str = Field(max_length=10)
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64, index=True)
    #: where the bytes are: "database" (a document_blob row) or "directory" (a file named by the SHA-256)
    store: str = Field(max_length=20)
    created_at: datetime = created_at_field()


class DocumentBlob(SQLModel, table=True):
    """The bytes of a document kept in the database store."""

    __tablename__ = "document_blob"

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    data: bytes = Field(sa_type=sa.LargeBinary)


class NdaAcceptance(SQLModel, table=True):
    """A vendor organisation accepted the problem's NDA (which text, who, when): one click, recorded."""

    __tablename__ = "nda_acceptance"

    problem_id: int = Field(foreign_key="problem.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    nda_version: str = Field(max_length=20)
    accepted_at: datetime = created_at_field()
