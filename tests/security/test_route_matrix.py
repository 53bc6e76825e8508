"""Every route × every role has an expected outcome; a route missing from the table fails the test.

Roles: anonymous, the SME owner of the objects, another SME, the vendor who bid (and signed), another
vendor, the officer of the agency running the program, a platform admin. Outcome "allow" means the
request got past authorisation (any status other than 401/403/404/405 or a redirect to the login page:
a 409 or 422 for an empty form still counts as allowed); "deny" means it did not. No request may cause a 5xx.
Each request runs in a savepoint that is rolled back, so requests cannot affect each other.

Print the observed table with AXBRIDGE_MATRIX_PRINT=1 (review it before updating EXPECTED).
"""

from __future__ import annotations

import os
import re

import pytest
from sqlmodel import select

from marketplace.agreements.models import AgreementMilestone
from marketplace.problems import services as problems
from tests.helpers import bearer, csrf_token, login

from tests.security.route_table import (
    AGREEMENT_PROBLEM_ENDPOINTS,
    ALL,
    EXPECTED,
    MULTIPART,
    NONE,
    PARTIES,
    ROLES,
    SIGNED_IN,
    sample_file,
    sample_form,
    sample_json,
)


def _params(world, db_session, endpoint: str) -> dict:
    w = world
    milestone = db_session.exec(select(AgreementMilestone).where(
        AgreementMilestone.agreement_id == w.agreement.id)).first()
    question = problems.ask_question(db_session, user=w.vendor, problem=w.bidding, body="데이터는 어떤 형식인가요?")
    db_session.commit()
    problem_id = w.agreement.problem_id if endpoint in AGREEMENT_PROBLEM_ENDPOINTS else w.bidding.id
    return {"problem_id": problem_id, "bid_id": w.bid.id, "agreement_id": w.agreement.id,
            "milestone_id": milestone.id, "offering_id": w.offering_id, "organisation_id": w.vendor.organisation_id,
            "program_id": w.program.id, "subsidy_id": w.subsidy.id, "question_id": question.id, "step": 1,
            "token": "not-a-valid-token", "token_id": _owners_token_id(world, db_session),
            **_extra_objects(world, db_session),
            "filename": "css/bootstrap.min.css" if endpoint == "bootstrap.static" else "css/app.css"}


def _extra_objects(world, db_session) -> dict:
    """Objects for the newer URL parameters, created once per world: a sealed document attached to the vendor's
    bid (the bidding problem's deadline has not passed), a KPI of the signed agreement's problem, a due
    follow-up of the agreement, an evaluation of its first milestone. ``member_id`` is another SME (no role of the
    matrix is a cooperative, so the member routes must deny everyone); ``ref_id`` the offering's first reference."""
    import hashlib
    from datetime import date

    from marketplace.documents.models import Document, DocumentAccess, DocumentBlob
    from marketplace.outcomes.models import Evaluation, FollowUp
    from marketplace.problems.models import ProblemKpi

    w = world
    cached = getattr(w, "_extra", None)
    if cached is not None:
        return cached
    data = b"%PDF-1.4 sealed bid attachment"
    document = Document(bid_id=w.bid.id, uploaded_by_id=w.vendor.id, access=DocumentAccess.SEALED,
                        filename="bid.pdf", kind="pdf", content_type="application/pdf", size_bytes=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), store="database")
    db_session.add(document)
    db_session.flush()
    db_session.add(DocumentBlob(document_id=document.id, data=data))
    kpi = db_session.exec(select(ProblemKpi).where(ProblemKpi.problem_id == w.agreement.problem_id)).first()
    if kpi is None:
        kpi = ProblemKpi(problem_id=w.agreement.problem_id, position=99, name="불량률", unit="%")
        db_session.add(kpi)
        db_session.flush()
    follow_up = FollowUp(agreement_id=w.agreement.id, vendor_id=w.vendor.organisation_id,
                         client_id=w.owner.organisation_id, months=6, due_on=date.today())
    db_session.add(follow_up)
    milestone = db_session.exec(select(AgreementMilestone).where(
        AgreementMilestone.agreement_id == w.agreement.id)).first()
    evaluation = Evaluation(milestone_id=milestone.id, agreement_id=w.agreement.id,
                            vendor_id=w.vendor.organisation_id, attempt=1, predictions=b"id,value\n",
                            predictions_sha256="0" * 64, holdout_sha256="0" * 64, rows=0, passed=False,
                            passed_count=0, total=1, submitted_by_id=w.vendor.id)
    db_session.add(evaluation)
    db_session.commit()
    w._extra = {"document_id": document.id, "kpi_id": kpi.id, "follow_up_id": follow_up.id,
                "evaluation_id": evaluation.id, "member_id": w.other_sme.organisation_id, "ref_id": 1}
    return w._extra


def _owners_token_id(world, db_session) -> int:
    from marketplace.accounts.models import ApiToken

    return db_session.exec(select(ApiToken.id).where(ApiToken.user_id == world.owner.id)).first() or 1


def _url(rule, values: dict) -> str:
    def fill(match):
        converter, name = match.group(1) or "", match.group(2)
        if converter.startswith("any("):
            return converter[4:-1].split(",")[0].strip()
        return str(values[name])
    return re.sub(r"<(?:([^:<>]+):)?(\w+)>", fill, rule.rule)


@pytest.fixture
def clients(app, world):
    result = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anon":
            login(client, getattr(world, role))
        result[role] = (client, csrf_token(client, "/" if role != "anon" else "/login"))
    return result


def test_every_route_answers_every_role_as_the_table_says(app, world, tokens, clients, db_session):
    world.offering_id = db_session.exec(select(__import__("marketplace.offerings.models", fromlist=["Offering"])
                                               .Offering.id)).first()
    connection = app.extensions["axbridge_db"].sessionmaker.kw["bind"]
    observed: dict[tuple[str, str], set[str]] = {}
    errors = []
    # API calls go as a token client does: without the browser's cookie (a cookie session needs its CSRF token
    # on every write, whatever other header it sends: issue 13.11).
    api_client = app.test_client()
    for rule in app.url_map.iter_rules():
        values = _params(world, db_session, rule.endpoint)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            key = (method, rule.rule)
            observed[key] = set()
            url = _url(rule, values)
            for role in ROLES:
                client, token = clients[role]
                api = rule.rule.startswith("/api/")
                if api:
                    client = api_client
                kwargs = {}
                if api:
                    if role != "anon":
                        kwargs["headers"] = bearer(tokens[role])
                    if key in MULTIPART:
                        kwargs["data"] = sample_file(key)
                    elif method in ("POST", "PATCH", "PUT", "DELETE"):
                        kwargs["json"] = sample_json(world, key)
                elif method == "POST":
                    kwargs["data"] = {"csrf_token": token, **sample_form(world, key)}
                cookie = client.get_cookie("axbridge_session")
                savepoint = connection.begin_nested()
                try:
                    response = client.open(url, method=method, **kwargs)
                finally:
                    savepoint.rollback()
                    db_session.expire_all()
                    # The database forgets the request; the browser must too (a logout clears the cookie).
                    if cookie is not None:
                        client.set_cookie("axbridge_session", cookie.value)
                response.close()  # static files stream an open file
                if response.status_code >= 500:
                    errors.append(f"{method} {url} as {role}: {response.status_code}")
                location = response.headers.get("Location", "")
                deny = response.status_code in (401, 403, 404, 405) or (
                    response.status_code in (301, 302, 303) and "/login" in location)
                if not deny:
                    observed[key].add(role)
    if os.environ.get("AXBRIDGE_MATRIX_PRINT"):
        for key in sorted(observed):
            print(f"    {key!r}: {_name(observed[key])},")
    assert not errors, errors
    missing = sorted(set(observed) - set(EXPECTED))
    assert not missing, f"routes missing from the table (add them with the roles that may use them): {missing}"
    wrong = {key: (sorted(observed[key]), sorted(EXPECTED[key])) for key in observed if observed[key] != EXPECTED[key]}
    assert not wrong, wrong


def _name(roles: set[str]) -> str:
    for name, value in (("ALL", ALL), ("SIGNED_IN", SIGNED_IN), ("PARTIES", PARTIES), ("NONE", NONE)):
        if roles == value:
            return name
    return "frozenset(" + repr(sorted(roles)) + ")"
