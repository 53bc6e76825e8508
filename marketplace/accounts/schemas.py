"""Input and output contracts of accounts: API tokens and organisation ids (profiles are in models.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from marketplace.core.schemas import Id, Strict


class TokenRequest(Strict):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class TokenResponse(BaseModel):
    token: str
    expires_at: datetime


class OrganisationPath(Strict):
    organisation_id: Id
