"""The input contracts of agreements: what each action accepts, and the messages next to the fields.

The same contract serves the API and the page, so a message is checked once here (in Korean, the
default language) and its placement on the pages and in problem+json below.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import session
from flask_babel import refresh

import contracts
from marketplace.agreements.schemas import (
    DeliverIn,
    MilestoneRejectIn,
    PdfQuery,
    ProposalIn,
    ReviewIn,
    SignIn,
    TerminateIn,
    VerifyHashIn,
)
from marketplace.agreements.services import accept_milestone, deliver_milestone, get_review, list_milestones
from marketplace.core.errors import ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from tests.factories import PASSWORD
from tests.helpers import api_token, bearer, login, post_form


@contextlib.contextmanager
def english(app):
    with app.test_request_context():
        session["locale"] = "en"
        refresh()
        yield


def refused(model, data) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as exc:
        parse(model, data)
    return exc.value.fields


def test_a_proposal_takes_form_strings_and_json_values_alike(app):
    with app.test_request_context():
        typed = parse(ProposalIn, {"warranty_months": " 24", "liability_cap_multiple": "1.5",
                                        "ip_ownership": "joint", "maintenance_yearly_won": "1,200,000",
                                        "milestone_due_dates": {"2": "2026-05-01"}, "note": "  라이선스  "})
    assert typed == ProposalIn(warranty_months=24, liability_cap_multiple=Decimal("1.5"),
                               ip_ownership=contracts.IpOwnership.JOINT, maintenance_yearly_won=1_200_000,
                               milestone_due_dates={2: date(2026, 5, 1)}, note="라이선스")
    assert ProposalIn().model_dump(exclude={"note"}) == dict.fromkeys(
        ("ip_ownership", "warranty_months", "liability_cap_multiple", "acceptance_days", "resubmission_days",
         "maintenance_yearly_won", "maintenance_years", "milestone_due_dates"))


def test_proposal_values_out_of_range_say_the_range(app):
    with english(app):
        fields = refused(ProposalIn, {"warranty_months": "121", "acceptance_days": True, "liability_cap_multiple": "0",
                                      "maintenance_years": "x", "maintenance_yearly_won": "-5",
                                      "ip_ownership": "vendor", "milestone_due_dates": {"1": "someday"},
                                      "price_won": 1})
    assert fields == {
        "warranty_months": "Enter a whole number from 0 to 120.",
        "acceptance_days": "Enter a whole number from 1 to 180.",
        "liability_cap_multiple": "Enter a multiple of the price from 0.1 to 10.",
        "maintenance_years": "Enter a whole number from 0 to 20.",
        "maintenance_yearly_won": "Enter a whole number from 0 to 100,000,000,000.",
        "ip_ownership": "Choose one of the allowed values.",
        "milestone_due_dates.1": "Enter a date as YYYY-MM-DD.",
        "price_won": "This field is not known.",
    }


def test_reasons_and_passwords_must_be_said_and_texts_keep_their_length(app):
    with app.test_request_context():  # Korean by default
        assert refused(TerminateIn, {"reason": "   ", "password": ""}) == {
            "reason": "계약을 해지하는 사유를 적어 주세요. 상대방에게 전달됩니다.", "password": "비밀번호를 입력하세요."}
        assert refused(MilestoneRejectIn, {"reason": "\n"}) == {"reason": "반려 사유를 적어 주세요. 공급기업이 읽습니다."}
        assert set(refused(DeliverIn, {"note": "가" * 2001})) == {"note"}
        assert refused(SignIn, {"password": " "}) == {"password": "비밀번호를 입력하세요."}
    assert SignIn(password=" secret ").password == " secret "  # a password is never trimmed
    assert TerminateIn(reason="  납기 지연 ", password="x").reason == "납기 지연"


def test_review_scores_are_whole_numbers_and_the_sha256_is_64_hex_characters(app):
    with english(app):
        assert refused(ReviewIn, {"scores": {"quality": "many", "cost": True}}) == {
            "scores.quality": "Give a score from 1 to 5.", "scores.cost": "Give a score from 1 to 5."}
        assert refused(VerifyHashIn, {"sha256": "ab" * 31}) == {
            "sha256": "Enter a SHA-256 as 64 hexadecimal characters."}
        assert set(refused(PdfQuery, {"lang": "fr"})) == {"lang"}
    assert ReviewIn(scores={"quality": "5"}).scores == {"quality": 5}
    assert VerifyHashIn(sha256=f" {'AB' * 32} ").sha256 == "ab" * 32


# --- on the pages: each message next to its field -------------------------------------------------

def test_a_refused_proposal_shows_each_error_beside_its_input_and_keeps_what_was_typed(kit, client):
    agreement, owner, _vendor = kit.agreement()
    login(client, owner)
    page = f"/agreements/{agreement.id}"
    out_of_range = post_form(client, f"{page}/versions", {"ip_ownership": "sme", "warranty_months": "300"}, page=page)
    html = out_of_range.get_data(as_text=True)
    assert out_of_range.status_code == 422 and agreement.current_version == 1
    assert 'data-testid="error-warranty_months"' in html and "0에서 120 사이의 정수를 입력하세요." in html
    assert 'value="300"' in html
    past = (utcnow() - timedelta(days=3)).date().isoformat()
    answer = post_form(client, f"{page}/versions", {"ip_ownership": "sme", "due-2": past}, page=page)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and agreement.current_version == 1
    assert 'data-testid="error-due-2"' in html and "납기일은 오늘 이전일 수 없습니다." in html
    assert f'value="{past}"' in html and 'data-testid="error-due-1"' not in html


def test_milestone_reasons_and_termination_errors_stay_beside_their_inputs(app, kit, client, db_session, fast_pdf):
    agreement, owner, vendor_user = kit.signed()
    first = list_milestones(db_session, agreement)[0]
    page = f"/agreements/{agreement.id}"
    login(client, vendor_user)
    too_long = post_form(client, f"/milestones/{first.id}/deliver", {"note": "가" * 2001}, page=page)
    assert too_long.status_code == 422 and 'data-testid="error-note"' in too_long.get_data(as_text=True)
    assert post_form(client, f"/milestones/{first.id}/deliver", {"note": "완료"}, page=page).status_code == 302
    client = app.test_client()
    login(client, owner)
    blank = post_form(client, f"/milestones/{first.id}/reject", {"reason": "  "}, page=page)
    html = blank.get_data(as_text=True)
    assert blank.status_code == 422 and 'data-testid="error-reason"' in html and "반려 사유를 적어 주세요" in html
    db_session.refresh(first)
    assert first.status == "delivered"
    early = post_form(client, f"/milestones/{list_milestones(db_session, agreement)[1].id}/accept", {}, page=page)
    assert early.status_code == 409 and 'data-testid="milestone-error"' in early.get_data(as_text=True)
    no_reason = post_form(client, f"{page}/terminate", {"reason": " ", "password": PASSWORD}, page=page)
    html = no_reason.get_data(as_text=True)
    assert no_reason.status_code == 422 and 'data-testid="error-reason"' in html and agreement.status == "signed"


def test_a_tampered_review_names_each_criterion_beside_its_score(kit, client, db_session, fast_pdf):
    agreement, owner, vendor_user = kit.signed()
    for m in list_milestones(db_session, agreement):
        deliver_milestone(db_session, user=vendor_user, milestone=m)
        accept_milestone(db_session, user=owner, milestone=m)
    db_session.commit()
    login(client, owner)
    page = f"/agreements/{agreement.id}"
    answer = post_form(client, f"{page}/review", {"score-quality": "9", "score-cost": "4", "score-throughput": "3",
                                                  "score-delivery_speed": "2", "score-explainability": "5",
                                                  "comment": "좋았습니다"}, page=page)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and get_review(db_session, agreement) is None
    # quality out of range, maintenance missing: beside their selects; throughput (weight 0) has none: above the form
    assert 'data-testid="error-score-quality"' in html and 'data-testid="error-score-maintenance"' in html
    assert 'data-testid="error-score-cost"' not in html and 'data-testid="error-score-delivery_speed"' not in html
    assert html.count("1에서 5 사이의 점수를 주세요.") == 2
    assert 'data-testid="form-error"' in html and "귀사의 평가 기준이 아닙니다." in html
    assert '<option value="2" selected>' in html  # delivery speed as chosen


def test_the_api_answers_the_same_messages_by_field(kit, client):
    agreement, owner, vendor_user = kit.agreement()
    headers = bearer(api_token(client, vendor_user))  # the vendor's saved language: Korean
    answer = client.post(f"/api/v1/agreements/{agreement.id}/versions",
                         json={"resubmission_days": 0, "liability_cap_multiple": "11"}, headers=headers)
    assert answer.status_code == 422
    assert {e["field"]: e["message"] for e in answer.json["errors"]} == {
        "resubmission_days": "1에서 180 사이의 정수를 입력하세요.",
        "liability_cap_multiple": "계약금액의 0.1배에서 10배 사이로 입력하세요."}
    past = client.post(f"/api/v1/agreements/{agreement.id}/versions",
                       json={"milestone_due_dates": {"1": "2020-01-01", "9": "2099-01-01"}}, headers=headers)
    assert past.status_code == 422 and {e["field"]: e["message"] for e in past.json["errors"]} == {
        "milestone_due_dates.1": "납기일은 오늘 이전일 수 없습니다.", "milestone_due_dates.9": "해당 단계가 없습니다."}
    assert agreement.current_version == 1
