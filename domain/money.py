"""Money: whole won, never a float."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

#: The largest single amount accepted (budgets, prices, maintenance per year), in won: 1,000억 won.
MAX_WON = 100_000_000_000
#: The largest total accepted (a subsidy program's budget, the ranking engine's plausibility limit):
#: 1,000조 won; anything larger is a typo.
MAX_BUDGET_WON = 10**15


def _whole(value: Any) -> Any:
    """Strings may carry thousands separators (``"1,200,000"``); booleans are not numbers."""
    if isinstance(value, bool):
        raise PydanticCustomError("won_type", "Enter a whole number of won.")
    if isinstance(value, str):
        return value.replace(",", "").strip()
    return value


#: A whole number of won from 0 to :data:`MAX_WON` (pydantic error types ``int_parsing``,
#: ``greater_than_equal``, ``less_than_equal`` with ctx ``ge``/``le``). The limits come before the
#: validator, so that they stay native: the JSON schema says ``minimum``/``maximum``.
Won = Annotated[int, Field(ge=0, le=MAX_WON), BeforeValidator(_whole)]
#: A price: a whole number of won above zero, up to :data:`MAX_WON`.
PositiveWon = Annotated[int, Field(ge=1, le=MAX_WON), BeforeValidator(_whole)]
#: A whole number of won from 0 to :data:`MAX_BUDGET_WON`, for totals such as a subsidy program's budget
#: or an annual revenue limit (the same error types as :data:`Won`).
TotalWon = Annotated[int, Field(ge=0, le=MAX_BUDGET_WON), BeforeValidator(_whole)]
