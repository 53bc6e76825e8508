"""The OpenAPI 3.1 document (flask-openapi3 builds it from the declared operations and their pydantic
models) and our own offline docs page that reads it.

:class:`OpenAPI` is flask-openapi3's app class with one addition: before the document is built,
every operation gets the error responses it can answer (:mod:`marketplace.api.statuses`), each an
RFC 9457 problem; flask-openapi3's own guess (a 422 on every operation) is left out.
"""

from __future__ import annotations

import functools
from http import HTTPStatus

import flask_openapi3
from flask import current_app, jsonify, render_template
from flask_openapi3 import Info, MediaType, Response, Schema, Server

from marketplace.api.core import Operation
from marketplace.api.problems import MEDIA_TYPE, ProblemDetails
from marketplace.api.statuses import declared_statuses

INFO = Info(title="AX Bridge API", version="1",
            description="AX Bridge JSON API. Money is an integer number of won; times are ISO 8601 UTC.")
SECURITY_SCHEMES = {"bearerAuth": {"type": "http", "scheme": "bearer"}}
PROBLEM_REF = f"#/components/schemas/{ProblemDetails.__name__}"


class OpenAPI(flask_openapi3.OpenAPI):
    """The app: flask-openapi3's, with every operation's error statuses declared before the document is built."""

    def __init__(self, import_name: str, **kwargs):
        super().__init__(import_name, info=INFO, security_schemes=SECURITY_SCHEMES, servers=[Server(url="/")],
                         doc_ui=False, validation_error_model=ProblemDetails, **kwargs)

    def api_operations(self) -> list[Operation]:
        """Every declared operation registered on this app, in URL map order."""
        found = []
        for rule in self.url_map.iter_rules():
            operation = getattr(self.view_functions.get(rule.endpoint), "api_operation", None)
            if operation is not None:
                found.append(operation)
        return found

    def generate_spec_json(self):
        operations = self.api_operations()
        for operation in operations:
            responses = dict(operation.spec.responses or {})
            for status in sorted(declared_statuses(operation) - set(operation.responses)):
                responses[str(status)] = problem(status)
            operation.spec.responses = dict(sorted(responses.items()))
        super().generate_spec_json()
        # flask-openapi3 adds a 422 to each operation that lacks one; an operation that cannot answer
        # 422 must not declare it.
        documented = {(op.method.lower(), op.spec.operationId): op for op in operations}
        for path_item in self.spec_json["paths"].values():
            for method, spec in path_item.items():
                operation = documented.get((method, spec.get("operationId")))
                if operation is not None and 422 not in declared_statuses(operation):
                    spec["responses"].pop("422", None)


@functools.cache
def problem(status: int) -> Response:
    return Response(description=HTTPStatus(status).phrase,
                    content={MEDIA_TYPE: MediaType(schema=Schema(**{"$ref": PROBLEM_REF}))})


def openapi_json():
    return jsonify(current_app.api_doc)


def docs():
    return render_template("api/docs.html", spec=current_app.api_doc)
