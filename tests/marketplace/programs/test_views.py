"""The program pages: what an SME sees before applying."""

from tests.helpers import login


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
