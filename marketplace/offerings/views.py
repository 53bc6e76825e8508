"""Pages for the offerings catalogue and public vendor profiles."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("offerings", __name__)
