"""How the platform measures a KPI, as the agreement fixes it: the protocol and the sealed holdout.

A :class:`KpiProtocol` is attached to a :class:`~contracts.terms.Kpi` before signing. It records
the metric (a code of :mod:`acceptance.metrics`), the data it is measured on (``holdout``: a file
the client uploaded and the platform keeps sealed; ``measured``: a value the client enters with
its evidence), the rounding and the rule as one sentence in each language. For a holdout, the
:class:`Holdout` seal holds the file's SHA-256, its row count and its column names: never a row
of the file itself, which stays on the platform and is never shown to the vendor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DEFAULT_MAX_ATTEMPTS", "Holdout", "KpiProtocol"]

#: Prediction files a vendor may submit per acceptance milestone unless the terms say otherwise.
DEFAULT_MAX_ATTEMPTS = 3

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DATA_KINDS = ("holdout", "measured")


def _fail(field: str, ko: str, en: str) -> None:
    from .terms import TermsError  # terms imports this module

    raise TermsError(field, ko, en)


def _short_text(value, field: str, limit: int, *, required: bool = True) -> None:
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        _fail(field, f"{limit}자 이하의 글이어야 합니다.", f"must be text of at most {limit} characters.")


@dataclass(frozen=True)
class Holdout:
    """The seal of the client's holdout file: what the agreement records of it."""

    sha256: str
    rows: int
    columns: tuple[str, ...]
    id_column: str
    value_column: str

    def __post_init__(self):
        if not isinstance(self.sha256, str) or not _SHA256.match(self.sha256):
            _fail("kpi.protocol.holdout.sha256", "SHA-256은 16진수 64자여야 합니다.",
                  "must be 64 lower-case hexadecimal characters.")
        if isinstance(self.rows, bool) or not isinstance(self.rows, int) or self.rows < 1:
            _fail("kpi.protocol.holdout.rows", "1 이상의 정수여야 합니다.", "must be a whole number of at least 1.")
        if not isinstance(self.columns, tuple) or not self.columns:
            _fail("kpi.protocol.holdout.columns", "열 이름이 있어야 합니다.", "must name the columns.")
        for name in (*self.columns, self.id_column, self.value_column):
            _short_text(name, "kpi.protocol.holdout.columns", 200)


@dataclass(frozen=True)
class KpiProtocol:
    """How one KPI is measured by the platform (the KPI's name, unit, direction and committed value
    are those of the :class:`~contracts.terms.Kpi` it belongs to)."""

    metric: str
    data: str
    decimals: int
    rule_ko: str
    rule_en: str
    classes: tuple[str, ...] = ()
    positive_class: str | None = None
    period: str = ""
    holdout: Holdout | None = None

    def __post_init__(self):
        _short_text(self.metric, "kpi.protocol.metric", 40)
        if self.data not in _DATA_KINDS:
            _fail("kpi.protocol.data", "holdout 또는 measured여야 합니다.", "must be holdout or measured.")
        if isinstance(self.decimals, bool) or not isinstance(self.decimals, int) or not 0 <= self.decimals <= 6:
            _fail("kpi.protocol.decimals", "0에서 6 사이의 정수여야 합니다.", "must be a whole number from 0 to 6.")
        _short_text(self.rule_ko, "kpi.protocol.rule_ko", 1000)
        _short_text(self.rule_en, "kpi.protocol.rule_en", 1000)
        _short_text(self.period, "kpi.protocol.period", 300, required=False)
        if not isinstance(self.classes, tuple):
            _fail("kpi.protocol.classes", "목록이어야 합니다.", "must be a list.")
        if self.holdout is not None and not isinstance(self.holdout, Holdout):
            _fail("kpi.protocol.holdout", "형식이 올바르지 않습니다.", "must be a Holdout.")
        if self.holdout is not None and self.data != "holdout":
            _fail("kpi.protocol.holdout", "측정값 KPI에는 홀드아웃이 없습니다.",
                  "a measured KPI has no holdout.")

    @property
    def sealed(self) -> bool:
        """Whether the holdout this protocol needs has been uploaded (always true for a measured KPI)."""
        return self.data == "measured" or self.holdout is not None
