"""Questions reach the SME (page and e-mail); an abusive one can be hidden with a reason."""

from sqlmodel import select

from marketplace.accounts.models import Organisation
from marketplace.audit.models import AuditEntry
from marketplace.notifications.models import Notification, OutboxEmail
from marketplace.problems import services
from tests.helpers import api_token, bearer, login, post_form

QUESTION = "POS 데이터는 어떤 형식으로 제공되나요? CSV 내보내기가 가능한가요?"


def test_the_sme_is_told_of_each_new_question_without_who_asked(client, factory, db_session):
    owner = factory.user(email="owner@bakery.example")
    colleague = factory.user(db_session.get(Organisation, owner.organisation_id), role="member")
    problem = factory.problem(owner, state="enquiries")
    vendor_user = factory.user(factory.vendor(name_ko="비밀공급", name_en="Secret Vendor"))
    token = api_token(client, vendor_user)
    response = client.post(f"/api/v1/problems/{problem.id}/questions", json={"body": QUESTION},
                           headers=bearer(token))
    assert response.status_code == 201
    told = db_session.exec(select(Notification).where(Notification.kind == "question_asked")).all()
    assert {n.user_id for n in told} == {owner.id, colleague.id}
    assert told[0].link == f"/problems/{problem.id}#questions"
    mail = db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == "owner@bakery.example")).one()
    assert problem.title in mail.subject and "질문" in mail.subject
    assert "비밀공급" not in mail.body and "Secret Vendor" not in mail.body
    login(client, owner)
    html = client.get("/notifications").get_data(as_text=True)
    assert "질문했습니다" in html


def test_a_hidden_question_is_invisible_to_vendors_and_its_reason_is_audited(client, factory, db_session):
    owner = factory.user()
    problem = factory.problem(owner, state="enquiries")
    asker = factory.user(factory.vendor())
    question = services.ask_question(db_session, user=asker, problem=problem, body="이 회사 사장 연락처를 알려 주세요 ㅋㅋ")
    services.ask_question(db_session, user=factory.user(factory.vendor()), problem=problem, body=QUESTION)
    db_session.commit()
    owner_token, asker_token = api_token(client, owner), api_token(client, asker)
    hidden = client.post(f"/api/v1/questions/{question.id}/hide", json={"reason": "개인정보 요구, 과제와 무관"},
                         headers=bearer(owner_token))
    assert hidden.status_code == 200 and hidden.json["hidden"] is True
    seen = client.get(f"/api/v1/problems/{problem.id}/questions", headers=bearer(asker_token)).json["items"]
    assert [q["body"] for q in seen] == [QUESTION]
    mine = client.get(f"/api/v1/problems/{problem.id}/questions", headers=bearer(owner_token)).json["items"]
    assert len(mine) == 2 and mine[0]["hidden_reason"] == "개인정보 요구, 과제와 무관"
    entry = db_session.exec(select(AuditEntry).where(AuditEntry.action == "question_hidden")).one()
    assert entry.details["reason"] == "개인정보 요구, 과제와 무관" and entry.actor_id == owner.id
    assert "사장 연락처" not in client.get(f"/problems/{problem.id}").get_data(as_text=True)   # anonymous visitor


def test_only_the_sme_hides_and_only_with_a_reason(client, factory, db_session):
    owner = factory.user()
    problem = factory.problem(owner, state="enquiries")
    asker = factory.user(factory.vendor())
    question = services.ask_question(db_session, user=asker, problem=problem, body=QUESTION)
    db_session.commit()
    vendor_token = api_token(client, asker)
    assert client.post(f"/api/v1/questions/{question.id}/hide", json={"reason": "싫어서"},
                       headers=bearer(vendor_token)).status_code == 404
    owner_token = api_token(client, owner)
    blank = client.post(f"/api/v1/questions/{question.id}/hide", json={"reason": "  "}, headers=bearer(owner_token))
    assert blank.status_code == 422
    db_session.expire_all()
    assert db_session.get(type(question), question.id).hidden_at is None


def test_the_sme_hides_a_question_on_the_page(client, factory, db_session):
    owner = factory.user()
    problem = factory.problem(owner, state="enquiries")
    question = services.ask_question(db_session, user=factory.user(factory.vendor()), problem=problem,
                                     body="욕설이 섞인 질문입니다 바보 같은 과제")
    db_session.commit()
    login(client, owner)
    page = f"/problems/{problem.id}"
    response = post_form(client, f"/questions/{question.id}/hide", {"reason": "욕설"}, page=page,
                         follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "공급기업에게 숨김" in html and "욕설" in html
