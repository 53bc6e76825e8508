"""How discovery follows the other areas' changes: every change of an offering, a problem or an organisation's
region is written to the ranking index's change log in the change's own transaction (a SQLAlchemy session event,
:mod:`marketplace.discovery.services.changes`); the shared index is refreshed from that log."""

from __future__ import annotations

from marketplace.discovery.services import changes


def connect() -> None:
    changes.connect()
