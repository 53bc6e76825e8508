"""Helpers shared by the views of every area."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from flask import flash, redirect
from markupsafe import Markup

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


def select_options(choices: Iterable[tuple[str, str]], selected: str | None = None) -> Markup:
    """``<option>`` elements of a ``<select>``, the chosen one marked: a search form's long code lists
    (problem types, regions) are the same on every request but the choice, so each is escaped once."""
    choices = tuple(choices)
    return _options(choices, selected if any(code == selected for code, _label in choices) else None)


@functools.lru_cache(maxsize=256)
def _options(choices: tuple[tuple[str, str], ...], selected: str | None) -> Markup:
    option = Markup('<option value="{}"{}>{}</option>')
    return Markup("").join(option.format(code, Markup(" selected") if code == selected else "", label)
                           for code, label in choices)
