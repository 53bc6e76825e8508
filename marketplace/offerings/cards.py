"""Offering cards rendered once per content and language, then reused (the catalogue shows dozens).

A card is a pure function of the offering's shown fields, the vendor's names and the reader's
language, so the key is exactly those (:class:`~marketplace.offerings.services.OfferingCard` and
:class:`~marketplace.offerings.services.VendorCard` are those fields): an edit makes a new key and the
old card is never shown. Each process keeps the most recent :data:`SIZE` cards.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from markupsafe import Markup

from marketplace.i18n import current_locale
from marketplace.offerings.services import OfferingCard, VendorCard

SIZE = 2048

_cards: OrderedDict[tuple, Markup] = OrderedDict()
_lock = threading.Lock()


def card_key(offering: OfferingCard, vendor: VendorCard | None) -> tuple:
    return current_locale(), offering, vendor


def cached_card(render: Callable[..., str], offering, vendor=None) -> Markup:
    """``render(offering, vendor)`` (the ``offering_card`` macro), or the same card rendered before."""
    key = card_key(offering, vendor)
    with _lock:
        html = _cards.get(key)
        if html is not None:
            _cards.move_to_end(key)
            return html
    html = Markup(render(offering, vendor))
    with _lock:
        _cards[key] = html
        while len(_cards) > SIZE:
            _cards.popitem(last=False)
    return html
