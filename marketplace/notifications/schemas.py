"""Output contracts of notifications."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class NotificationOut(BaseModel):
    id: str = Field(description="random and opaque: it reveals neither an order nor a count")
    kind: str
    message: str
    link: str | None
    created_at: datetime
    read: bool


class NotificationList(BaseModel):
    items: list[NotificationOut]
    total: int
    page: int
    per_page: int
