"""The OpenAPI document and a readable docs page built from it."""

from __future__ import annotations

from flask import current_app, jsonify, render_template

from marketplace.api.core import api, bp
from marketplace.api.openapi import build_openapi


def openapi_document() -> dict:
    cached = current_app.extensions.get("axbridge_openapi")
    if cached is None:
        cached = build_openapi(api, title="AX Bridge API", version="1")
        current_app.extensions["axbridge_openapi"] = cached
    return cached


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi_document())


@bp.get("/docs")
def docs():
    return render_template("api/docs.html", spec=openapi_document())
