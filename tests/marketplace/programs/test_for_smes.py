"""Programs for SMEs: a menu entry, the wizard's last step lists eligible programs and why not the others, and
a problem in enquiries or bidding applies when the program allows it."""

import pytest

from marketplace.core.errors import Conflict
from marketplace.programs import services
from tests.helpers import login, post_form


def test_the_sme_menu_leads_to_the_programs(client, kit):
    login(client, kit.sme_user())
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="nav-programs"' in html and "지원사업" in html


def test_the_wizard_lists_eligible_programs_and_says_why_not_for_others(client, kit, factory):
    kit.program(name_ko="부산 AI 바우처", name_en="Busan AI Voucher", regions=["busan"])
    kit.program(name_ko="서울 전용 바우처", name_en="Seoul-only Voucher", regions=["seoul"])
    kit.program(name_ko="초안만 받는 바우처", name_en="Drafts-only Voucher", accepts_open_problems=False)
    owner = kit.sme_user()
    problem = factory.problem(owner)
    login(client, owner)
    html = client.get(f"/problems/{problem.id}/edit/7").get_data(as_text=True)
    eligible, rest = html.split('data-testid="program-not-eligible"', 1)[0], html
    assert "부산 AI 바우처" in eligible and "초안만 받는 바우처" in eligible   # a draft may enter both
    assert "서울 전용 바우처" in rest and "서울" in rest.split("서울 전용 바우처", 1)[1][:2000]


def test_an_open_problem_applies_only_where_the_program_allows_it(client, kit, factory, db_session):
    allows = kit.program(name_ko="공개 과제도 받는 바우처", name_en="Open Voucher")
    drafts_only = kit.program(name_ko="초안만 받는 바우처", name_en="Drafts-only Voucher", accepts_open_problems=False)
    owner = kit.sme_user()
    bidding = factory.problem(owner, state="bidding")
    with pytest.raises(Conflict):
        services.apply_to_program(db_session, user=owner, program=drafts_only, problem=bidding)
    listed = dict((p.id, why) for p, why in services.programs_for_problem(db_session, bidding))
    assert listed[allows.id] == [] and [r["code"] for r in listed[drafts_only.id]] == ["published"]
    login(client, owner)
    response = post_form(client, f"/programs/{allows.id}/apply", {"problem_id": bidding.id},
                         page=f"/problems/{bidding.id}/edit/7", follow_redirects=True)
    assert response.status_code == 200
    db_session.expire_all()
    assert db_session.get(type(bidding), bidding.id).program_id == allows.id
