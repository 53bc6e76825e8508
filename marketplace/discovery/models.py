"""The ranking index's change log: one row per change of an offering, a problem or an organisation's region.

Rows are written in the same transaction as the change (see :mod:`marketplace.discovery.services.changes`), so a
row is visible exactly when the change is. ``seq`` orders them; the index snapshot records the ``seq`` it has
folded in, and every worker applies the rows after it.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel

#: What changed: the record to re-read. An organisation's change re-reads its problems (their region).
CHANGE_KINDS = ("offering", "problem", "organisation")


class IndexChange(SQLModel, table=True):
    __tablename__ = "index_change"
    # Never reuse a number, even when the log was pruned down to nothing (SQLite would restart at max + 1).
    __table_args__ = {"sqlite_autoincrement": True}

    seq: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    record_id: int
