"""Helpers shared by the views of every area."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect

from marketplace.core.errors import RECOVERABLE


def act(call: Callable[[], object], *, done: str, target: str, category: str = "success",
        back: str | None = None):
    """Run a POST action's service call and answer like every action page does.

    Success: flash ``done`` and redirect to ``target``. Bad input or a state conflict: flash the
    reason and go ``back`` (default: ``target``) with 303. Refusals (403/404) propagate as pages.
    """
    try:
        call()
    except RECOVERABLE as exc:
        flash(exc.message, "danger")
        return redirect(back or target), 303
    flash(done, category)
    return redirect(target)
