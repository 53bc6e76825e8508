"""Point 4: an agency's survival rate per program, region and industry, on its dashboard and as CSV."""

from __future__ import annotations

from sqlmodel import select

from marketplace.agreements import services as agreements
from marketplace.outcomes import services
from marketplace.outcomes.models import FollowUp
from marketplace.programs import services as programs
from tests.helpers import api_token, bearer, login
from tests.marketplace.programs.conftest import ProgramKit


def test_the_agency_sees_the_survival_of_its_subsidised_projects(kit, client, db_session, factory, fast_pdf):
    program_kit = ProgramKit(db_session, factory)
    officer = program_kit.officer()
    program = program_kit.program(officer)
    problem = program_kit.applied_problem(program, state="bidding")
    _p, _b, owner, vendor_user = kit.awarded(problem=problem)
    programs.approve_subsidy(db_session, officer=officer, subsidy=programs.active_subsidy(db_session, problem))
    agreement = agreements.agreement_for_problem(db_session, problem)
    kit.sign(agreement, vendor_user)
    kit.sign(agreement, owner)
    for m in agreements.list_milestones(db_session, agreement):
        agreements.deliver_milestone(db_session, user=vendor_user, milestone=m)
        agreements.accept_milestone(db_session, user=owner, milestone=m)
    services.schedule_follow_ups(db_session)
    twelve = db_session.exec(select(FollowUp).where(FollowUp.months == 12)).one()
    services.ask_due_follow_ups(db_session, today=twelve.due_on)
    db_session.commit()
    token = bearer(api_token(client, officer))
    before = client.get(f"/api/v1/programs/{program.id}/survival", headers=token).json
    assert before["overall"] == {"completed": 1, "answered": 0, "in_use": 0, "rate": None,
                                 "subsidy_krw": before["overall"]["subsidy_krw"]}
    assert before["overall"]["subsidy_krw"] > 0
    sme = bearer(api_token(client, owner))
    assert client.post(f"/api/v1/follow-ups/{twelve.id}", json={"still_in_use": True}, headers=sme).status_code == 200
    after = client.get(f"/api/v1/programs/{program.id}/survival", headers=token).json
    assert after["overall"]["rate"] == 100 and after["by_region"][0]["in_use"] == 1
    assert client.get(f"/api/v1/programs/{program.id}/survival", headers=sme).status_code in (403, 404)
    csv = client.get(f"/api/v1/programs/{program.id}/survival.csv", headers=token)
    assert csv.status_code == 200 and csv.data.startswith("\ufeff".encode())
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].endswith(",예,")
    login(client, officer)
    page = client.get(f"/programs/{program.id}/dashboard").get_data(as_text=True)
    assert 'data-testid="survival-rate">100%' in page
    assert client.get(f"/programs/{program.id}/survival.csv").status_code == 200
