"""The OpenAPI 3.1 document, generated from the routes declared with :class:`marketplace.api.core.Api`.

Pydantic's JSON Schema (draft 2020-12) is the schema dialect of OpenAPI 3.1, so the schemas are
used as they are; only ``$ref`` targets are moved under ``#/components/schemas``.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from marketplace.api.core import Api, ApiRoute
from marketplace.core.routing import MAX_ID

PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
REF_TEMPLATE = "#/components/schemas/{model}"


def _problem_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "RFC 9457 problem details",
        "properties": {
            "type": {"type": "string", "format": "uri"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": ["string", "null"]},
            "errors": {"type": "array", "items": {"type": "object", "properties": {
                "field": {"type": "string"}, "message": {"type": "string"}}}},
        },
        "required": ["type", "title", "status", "detail"],
    }


def build_openapi(api: Api, *, title: str, version: str) -> dict[str, Any]:
    models: list[tuple[type[BaseModel], str]] = []
    for route in api.routes:
        if route.body is not None:
            models.append((route.body, "validation"))
        if isinstance(route.response, type) and issubclass(route.response, BaseModel):
            models.append((route.response, "serialization"))
    keys, defs = models_json_schema(models, ref_template=REF_TEMPLATE) if models else ({}, {})
    components = dict(defs.get("$defs", {}))
    components["Problem"] = _problem_schema()

    def ref(model, mode):
        return keys[(model, mode)]

    paths: dict[str, dict] = {}
    for route in api.routes:
        path = PATH_PARAM.sub(lambda m: "{" + m.group(2) + "}", "/api/v1" + route.rule)
        for method in route.methods:
            paths.setdefault(path, {})[method.lower()] = _operation(route, ref, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version,
                 "description": "AX Bridge JSON API. Money is an integer number of won; times are ISO 8601 UTC."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }


def _operation(route: ApiRoute, ref, components) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.endpoint.split(".", 1)[-1],
        "summary": route.summary,
        "tags": route.tags,
        "responses": {},
    }
    params = []
    for converter, name in PATH_PARAM.findall(route.rule):
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID} if converter == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    if route.query is not None:
        schema = route.query.model_json_schema(ref_template=REF_TEMPLATE)
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in schema.get("required", []),
                           "schema": prop})
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": ref(route.body, "validation")}}}
    if route.status == 204:
        op["responses"]["204"] = {"description": "No content"}
    elif route.response is None:
        op["responses"][str(route.status)] = {"description": "OK", "content": {route.content_type: {}}}
    else:
        if isinstance(route.response, type) and issubclass(route.response, BaseModel):
            schema = ref(route.response, "serialization")
        else:
            schema = TypeAdapter(route.response).json_schema(ref_template=REF_TEMPLATE, mode="serialization")
            components.update(schema.pop("$defs", {}))
        op["responses"][str(route.status)] = {"description": "OK",
                                              "content": {route.content_type: {"schema": schema}}}
    errors = set(route.errors) | ({401} if route.auth else set())
    if route.body is not None or route.query is not None:
        errors |= {400, 422} if route.body is not None else {422}
    for status in sorted(errors):
        op["responses"][str(status)] = {"description": "Problem",
                                        "content": {"application/problem+json": {
                                            "schema": {"$ref": "#/components/schemas/Problem"}}}}
    if route.auth:
        op["security"] = [{"bearerAuth": []}]
    return op
