"""No internal code reaches a page: every state a badge can show has a name in both languages."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

from marketplace.bids.models import BidState
from marketplace.problems.models import ProblemState

BADGES = '{% from "problems/_macros.html" import state_badge, bid_state_badge %}{{ macro(value) }}'


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("enum", "macro"), [(ProblemState, "state_badge"), (BidState, "bid_state_badge")])
def test_every_state_renders_as_a_name(app, lang, enum, macro):
    template = BADGES.replace("macro(", f"{macro}(")
    with app.test_request_context(), force_locale(lang):
        for member in enum:
            html = render_template_string(template, value=member.value)
            text = html.split(">", 1)[1].rsplit("<", 1)[0].strip()
            assert text and text != member.value and "_" not in text, (member, lang, text)
