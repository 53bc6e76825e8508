"""How long a sign-in must wait after failures (a pure rule: plain numbers in, seconds out)."""

from __future__ import annotations

import math


def delay_after(failures: int, *, free: int, first: float, cap: float) -> float:
    """Seconds to wait after ``failures`` consecutive failures: 0 while within the free ones, then
    ``first``, doubling with each failure, never more than ``cap``."""
    if failures < free:
        return 0.0
    exponent = min(failures - free, 60)
    return float(min(cap, first * math.pow(2, exponent)))
