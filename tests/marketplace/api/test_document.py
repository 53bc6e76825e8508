"""The OpenAPI document flask-openapi3 builds from our declarations: valid 3.1, unambiguous, offline."""

from __future__ import annotations

import re
import typing

from openapi_spec_validator import OpenAPIV31SpecValidator
from pydantic import BaseModel


def test_the_document_is_valid_openapi_3_1(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    errors = [str(e.message) for e in OpenAPIV31SpecValidator(spec).iter_errors()]
    assert errors == []


def _models(model, found: dict) -> None:
    """``model`` and every pydantic model its fields use, by the name the document gives them."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        for arg in typing.get_args(model):
            _models(arg, found)
        return
    if found.setdefault(model.__name__, set()) >= {model}:
        return
    found[model.__name__].add(model)
    for info in model.model_fields.values():
        _models(info.annotation, found)


def test_no_two_contracts_share_a_name(app):
    """flask-openapi3 keys components by class name: two models of one name would overwrite each other."""
    found: dict[str, set] = {}
    for operation in app.api_operations():
        for model in (operation.path, operation.query, operation.body, *operation.responses.values()):
            if model is not None and not isinstance(model, dict):
                _models(model, found)
    assert len(found) > 40
    assert {name: models for name, models in found.items() if len(models) > 1} == {}


def test_operations_are_unique_tagged_by_area_and_errors_are_problems(client):
    spec = client.get("/api/v1/openapi.json").json
    operations = [op for ops in spec["paths"].values() for op in ops.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))
    areas = {"accounts", "problems", "offerings", "discovery", "bids", "programs", "agreements", "outcomes",
             "notifications", "work", "admin"}
    assert {tag["name"] for tag in spec["tags"]} == areas
    for op in operations:
        assert len(op["tags"]) == 1 and op["tags"][0] in areas
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (op["operationId"], status)
        if "security" in op:
            assert "401" in op["responses"], op["operationId"]
    paths = spec["paths"]
    assert paths["/api/v1/opportunities"]["get"]["tags"] == ["discovery"]
    assert paths["/api/v1/problems/{problem_id}/matches"]["get"]["tags"] == ["discovery"]
    assert paths["/api/v1/notifications"]["get"]["tags"] == ["notifications"]
    assert "security" not in paths["/api/v1/problems/{problem_id}"]["get"]  # public
    assert paths["/api/v1/me"]["get"]["security"] == [{"bearerAuth": []}]


def test_docs_page_works_offline_and_the_library_ui_is_off(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/problems/{problem_id}/publish" in html
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    assert client.get("/openapi").status_code == 404
    assert client.get("/openapi/openapi.json").status_code == 404
