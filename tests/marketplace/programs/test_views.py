"""The program pages: what an SME sees before applying, the program form, decisions and recommendations."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import func, select

from marketplace.programs import services
from marketplace.programs.models import Program, Subsidy, SubsidyStatus
from tests.helpers import login, post_form
from tests.marketplace.programs.conftest import program_data


def test_an_sme_sees_which_problems_are_eligible_and_why_the_others_are_not(app, client, kit):
    program = kit.program(regions=["busan"], max_employees=50)
    owner = kit.sme_user(region="busan", employees=45)
    fitting = kit.factory.problem(owner, title="부산 공장 수요 예측으로 재고 줄이기")
    kit.session.commit()
    login(client, owner)
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert fitting.title in page and 'data-testid="eligible"' in page and 'data-testid="reasons"' not in page

    far = kit.sme_user(region="jeju", employees=120)
    kit.factory.problem(far, title="제주 양식장 사료 배합 최적화")
    kit.session.commit()
    other = app.test_client()
    login(other, far)
    page = other.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'data-testid="not-eligible"' in page and 'data-testid="apply-form"' not in page
    reasons = page.split('data-testid="reasons"', 1)[1].split("</ul>", 1)[0]
    assert "120" in reasons and "50" in reasons  # the employee limit, with both numbers
    assert "제주특별자치도" in reasons and "부산광역시" in reasons  # the regions, in Korean


# --- the program form: the API's contract, errors next to their fields -----------------------------

def _form(**overrides) -> dict:
    """The program form as a browser posts it: text inputs, ticked boxes, an unticked box left out."""
    data = {key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in program_data(**overrides).items() if value not in (None, False)}
    return {k: "" if v is None else v for k, v in data.items()}


def _error(page: str, field: str) -> str:
    match = re.search(rf'data-testid="error-{field}">([^<]*)<', page)
    assert match, f"no error shown next to {field}"
    return html.unescape(match.group(1))


def test_an_officer_creates_a_program_through_the_form_with_separators_in_the_money(client, kit, db_session):
    officer = kit.officer()
    login(client, officer)
    form = _form(name_ko="  스마트공장 AI 바우처 ", total_budget_krw="1,500,000,000", cap_per_project_krw="150,000,000",
                 subsidy_ratio="0.75", min_own_share_ratio="", regions=["busan", "ulsan"], industries=["C", "C10"],
                 exclude_previously_subsidised="y")
    response = post_form(client, "/programs/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    program = db_session.exec(select(Program).where(Program.name_ko == "스마트공장 AI 바우처")).one()
    assert (program.total_budget_krw, program.cap_per_project_krw) == (1_500_000_000, 150_000_000)
    assert (program.subsidy_ratio, program.min_own_share_ratio) == (Decimal("0.75"), Decimal(0))
    assert program.regions == ["busan", "ulsan"] and program.industries == ["C", "C10"]
    assert program.exclude_previously_subsidised and program.problem_types == []
    assert response.headers["Location"].endswith(f"/programs/{program.id}")


def test_bad_program_input_shows_each_message_next_to_its_field_and_saves_nothing(client, kit, db_session):
    login(client, kit.officer())
    before = db_session.exec(select(func.count()).select_from(Program)).one()
    today = date.today()
    response = post_form(client, "/programs/new", _form(
        name_ko="   ", total_budget_krw="0", cap_per_project_krw="5,000,000,000", subsidy_ratio="1.5",
        min_own_share_ratio="0.25", max_employees="many", regions=["busan", "atlantis"], opens_on=today.isoformat(),
        closes_on=(today - timedelta(days=1)).isoformat()), page="/programs/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error(page, "name_ko") == "필수 항목입니다."
    assert _error(page, "total_budget_krw") == "0보다 큰 수를 입력하세요."
    assert _error(page, "subsidy_ratio") == "0과 1 사이의 비율을 입력하세요 (예: 0.8)."
    assert _error(page, "max_employees") == "정수를 입력하세요."
    assert "atlantis" in _error(page, "regions")
    assert _error(page, "closes_on") == "신청 마감일이 신청 시작일보다 빠를 수 없습니다."
    assert 'value="5,000,000,000"' in page and 'value="many"' in page  # what was typed stays in the form
    assert db_session.exec(select(func.count()).select_from(Program)).one() == before


def test_the_cap_and_the_shares_are_checked_against_each_other_in_english_too(app, kit):
    client = app.test_client()
    login(client, kit.factory.user(kit.factory.agency(), locale="en"))
    response = post_form(client, "/programs/new", _form(total_budget_krw="100000000", cap_per_project_krw="200000000",
                                                       subsidy_ratio="0.8", min_own_share_ratio="0.3"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error(page, "cap_per_project_krw") == "The cap per project cannot be above the total budget."
    assert _error(page, "subsidy_ratio") == ("The subsidy ratio and the minimum own share add up to more than 1 "
                                             "(0.8 + 0.3).")


def test_editing_cannot_take_the_budget_below_what_is_approved(client, kit, db_session):
    officer = kit.officer()
    program = kit.program(officer, total_budget_krw=300_000_000, cap_per_project_krw=200_000_000)
    services.approve_subsidy(kit.session, officer=officer, subsidy=kit.subsidy(program, price=100_000_000))
    kit.session.commit()
    login(client, officer)
    url = f"/programs/{program.id}/edit"
    assert 'value="300000000"' in client.get(url).get_data(as_text=True)
    response = post_form(client, url, _form(total_budget_krw="50,000,000", cap_per_project_krw="50,000,000",
                                            name_ko="줄어든 사업"))
    assert response.status_code == 422
    assert (_error(response.get_data(as_text=True), "total_budget_krw")
            == "총예산은 이미 승인된 금액(80,000,000원)보다 작을 수 없습니다.")
    db_session.expire_all()
    assert db_session.get(Program, program.id).total_budget_krw == 300_000_000
    response = post_form(client, url, _form(total_budget_krw="80,000,000", cap_per_project_krw="80,000,000",
                                            name_ko="줄어든 사업", regions=[]))
    assert response.status_code == 302
    db_session.expire_all()
    saved = db_session.get(Program, program.id)
    assert (saved.total_budget_krw, saved.name_ko, saved.regions) == (80_000_000, "줄어든 사업", [])


# --- decisions and recommendations from the pages --------------------------------------------------

def test_a_rejection_without_a_reason_is_refused_and_nothing_changes(client, kit, db_session):
    officer = kit.officer()
    subsidy = kit.subsidy(kit.program(officer))
    login(client, officer)
    response = post_form(client, f"/subsidies/{subsidy.id}/reject", {"reason": "   "}, page="/subsidies",
                         follow_redirects=True)
    assert "반려 사유를 적어 주세요." in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Subsidy, subsidy.id).status == SubsidyStatus.PENDING


def test_page_decisions_need_the_csrf_token(client, kit, db_session):
    officer = kit.officer()
    subsidy = kit.subsidy(kit.program(officer))
    login(client, officer)
    assert client.post(f"/subsidies/{subsidy.id}/approve").status_code == 400
    assert client.post(f"/subsidies/{subsidy.id}/reject", data={"reason": "서류 미비"}).status_code == 400
    db_session.expire_all()
    assert db_session.get(Subsidy, subsidy.id).status == SubsidyStatus.PENDING


def test_recommending_nobody_says_so(client, kit):
    officer = kit.officer()
    program = kit.program(officer)
    problem = kit.applied_problem(program)
    login(client, officer)
    response = post_form(client, f"/programs/{program.id}/recommendations", {"problem_id": problem.id},
                         page=f"/programs/{program.id}/brokering")
    assert response.status_code == 303
    assert "공급기업을 하나 이상 선택하세요." in client.get(response.headers["Location"]).get_data(as_text=True)
