"""Contracts of amendments (정정공고), extending the bid deadline and a joint problem's cost split."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from marketplace.core.schemas import Strict
from marketplace.problems.schemas import ProblemUpdate


class AmendmentIn(ProblemUpdate):
    """A change of a problem in bidding, published as an amendment: the fields of ``ProblemUpdate`` and a note."""

    note: str = Field(default="", max_length=500, description="why the problem changed (vendors read it)")

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in super().changes().items() if name != "note"}


class ExtendDeadlineIn(Strict):
    deadline: AwareDatetime = Field(description="later than the current deadline; ISO 8601 with a time zone")


class AmendedFieldOut(BaseModel):
    field: str
    label: str = Field(description="the field's name in the reader's language")
    old: Any
    new: Any


class AmendmentOut(BaseModel):
    id: int
    problem_id: int
    number: int
    revision: int
    changes: list[AmendedFieldOut]
    reconfirm: bool = Field(description="the change touched what bids priced: submitted bids must be confirmed "
                                        "again")
    deadline_before: datetime | None
    deadline_after: datetime | None
    note: str
    created_at: datetime


class AmendmentList(BaseModel):
    items: list[AmendmentOut]
    total: int
    page: int


# --- a cooperative's joint problem: the cost split (kept here beside the other workflow contracts) ---------

class ShareOut(BaseModel):
    member_id: int
    name: str
    share_percent: str = Field(description="percent of the SME cost, to 0.01 (text, so no digit is lost)")


class ShareList(BaseModel):
    items: list[ShareOut]
    total: int
    page: int
