"""An amended field's old or new value as people read it (no internal code reaches the page)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from domain.labels import data_kind_label, system_label
from marketplace.i18n import criterion_labels, current_locale, format_number, format_when, format_won
from matching import taxonomy

LONG_TEXT = 300


def _label(getter, code: str) -> str:
    item = getter(code) if code else None
    return item.label(current_locale()) if item else str(code)


def describe(field: str, value: Any) -> str:
    """``value`` of ``field`` (as an amendment stores it: JSON) in the reader's language."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field in ("budget_min_krw", "budget_max_krw"):
        return format_won(int(value))
    if field == "wanted_by":
        return format_when(date.fromisoformat(value), "date")
    if field == "bid_deadline":
        return format_when(datetime.fromisoformat(value)) + " " + _("(Korean time)")
    if field == "problem_types":
        return ", ".join(_label(taxonomy.get_problem_type, c) for c in value)
    if field == "industry":
        return _label(taxonomy.get_industry, value)
    if field == "kpis":
        return "; ".join(f"{k['name']}: {_num(k['baseline'])} → {_num(k['target'])}{k.get('unit') or ''}"
                         for k in value)
    if field == "data_assets":
        return ", ".join(data_kind_label(a.get("kind"), current_locale()) if a.get("kind") else "—" for a in value)
    if field == "weights":
        labels = criterion_labels()
        return ", ".join(f"{labels.get(c, c)} {w}" for c, w in value.items())
    if field == "visibility":
        return {"public": _("Public"), "anonymous": _("Anonymous"), "invited": _("Invited vendors only")}.get(
            value, value)
    if field == "amendment_min_days":
        return _("%(n)s days", n=value)
    if field == "tco_horizon_years":
        return _("%(n)s years", n=value)
    if field == "systems":
        return ", ".join(system_label(code, current_locale()) for code in value) or "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def _num(value: str | None) -> str:
    return "—" if value is None else format_number(Decimal(value))
