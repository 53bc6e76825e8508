"""Schemathesis against our own OpenAPI document: no 5xx, and answers match the documented schemas
(bodies, content types, and statuses: every status an operation answers must be declared for it).

The cases come from each operation's Hypothesis strategy (the schemathesis pytest plugin does not
support pytest 9 yet), run against the test app with a real SME token. In the suite the draw is
derandomised (tests/conftest.py), so the same cases run every time; `make fuzz` draws fresh random
cases, more of them (AXBRIDGE_FUZZ_EXAMPLES), to explore.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.accounts.models import User
from tests.helpers import api_token

EXAMPLES = int(os.environ.get("AXBRIDGE_FUZZ_EXAMPLES", "6"))
ALLOWED = {200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429}
#: Operations whose success changes the caller (a revoked token would end the run early).
SKIP = {("DELETE", "/api/v1/tokens/current")}


def test_api_never_fails_and_answers_match_the_schema(app, factory):
    problem = factory.problem(state="bidding")
    owner = factory.session.get(User, problem.created_by_id)
    draft = factory.problem(owner, state="draft")
    offering = factory.offering()
    token = api_token(app.test_client(), owner)
    headers = {"Authorization": f"Bearer {token}"}
    # Drawn ids rarely exist; each case runs a second time on the caller's own objects, where the
    # business rules (not only "not found") answer.
    own = {"problem_id": draft.id, "organisation_id": owner.organisation_id, "offering_id": offering.id}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    operations = 0

    def check(case) -> None:
        try:
            response = case.call(headers=headers)
        except AssertionError as exc:  # the suite's check: a status the operation does not declare
            failures.append(f"{case.method} {case.formatted_path}: {exc}")
            return
        if response.status_code >= 500 or response.status_code not in ALLOWED:
            failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")
            return
        try:
            # Schema-valid input may still break a business rule (422): that is correct, so the
            # "positive data acceptance" check is left out; answers must still match the schema,
            # and their status must be one the operation declares.
            case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                                     content_type_conformance, response_schema_conformance])
        except Exception as exc:  # schemathesis raises its own failure types
            failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:300]}")

    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def run(case):
            check(case)
            mine = {name: own[name] for name in case.path_parameters or {} if name in own}
            if mine:
                case.path_parameters = {**case.path_parameters, **mine}
                check(case)

        run()
    assert operations >= 50
    assert not failures, "\n".join(sorted(set(failures))[:20])
