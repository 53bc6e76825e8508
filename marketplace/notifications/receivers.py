"""Notifications sent when another area announces something (signals declared in :mod:`marketplace.signals`)."""

from __future__ import annotations

from sqlmodel import Session

from marketplace import signals
from marketplace.notifications import services


def tell_invited_vendor(problem, *, session: Session, vendor) -> None:
    services.notify_organisations(session, [vendor.id], "invited", {"title": problem.title},
                                  link=f"/problems/{problem.id}")


def connect() -> None:
    signals.vendor_invited.connect(tell_invited_vendor)
