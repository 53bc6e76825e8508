"""Handlers for tests/marketplace/api/test_statuses.py: each reaches a domain error another way."""

from __future__ import annotations

import blinker

from marketplace.core import errors
from marketplace.core.errors import Conflict, NotAllowed, NotFound

HOOKS: list = []
changed = blinker.Signal()


def direct():
    raise Conflict("state")


def _load(thing_id):
    if thing_id is None:
        raise NotFound("no such thing")
    return thing_id


def through_a_helper(thing_id):
    return _load(thing_id)


def _refuse(item):
    raise NotAllowed("no")


def through_a_callback(items):
    return list(map(_refuse, items))


def through_a_module_attribute():
    raise errors.ValidationFailed("bad")


def through_an_import_inside():
    from marketplace.core.errors import ValidationFailed

    raise ValidationFailed("bad")


def _late_hook():
    raise Conflict("hooked")


def through_a_hook_list():
    for hook in HOOKS:
        hook()


def _receiver(sender):
    raise NotAllowed("signalled")


def through_a_signal():
    changed.send(None)


def _factory():
    def inner():
        raise NotFound("closed over")
    return inner


_closed = _factory()


def through_a_closure():
    return _closed()


def only_mentions_errors(exc):
    try:
        return isinstance(exc, NotFound)
    except Conflict:
        return None


def recursive(n):
    return recursive(n - 1) if n else direct()


HOOKS.append(_late_hook)  # connected after the function that runs the hooks was defined
changed.connect(_receiver)


def through_abort():
    from flask import abort

    abort(410)
