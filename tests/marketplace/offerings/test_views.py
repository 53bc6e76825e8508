import re

from sqlmodel import select

from marketplace.offerings.models import Offering, OfferingStatus
from tests.helpers import login, post_form
from tests.marketplace.offerings.conftest import VISION

FORM = {
    "title": VISION["title"], "description": VISION["description"],
    "capabilities": ["visual_inspection", "quality_prediction"], "industries": ["C30", "C29"],
    "deployment_modes": ["edge", "on_premises"], "price_min_krw": "80000000", "price_max_krw": "250000000",
    "typical_weeks": "16", "capacity": "2", "completed_projects": "14",
    "profile_quality": "95", "profile_throughput": "60", "profile_cost": "40", "profile_delivery_speed": "50",
    "profile_explainability": "80", "profile_data_privacy": "90", "profile_maintenance": "85",
    "references_0_title": "차체 브래킷 홀 위치 전수검사", "references_0_client_description": "경북 1차 협력사",
    "references_0_kpi": "치수불량 유출", "references_0_achieved": "620ppm → 45ppm",
}


def test_vendor_sees_my_offerings_in_the_menu(client, vendor_user):
    login(client, vendor_user)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/offerings/mine"' in html and "내 솔루션" in html


def test_sme_has_no_offerings_menu_and_cannot_open_the_form(client, factory):
    login(client, factory.user(factory.sme()))
    assert 'href="/offerings/mine"' not in client.get("/").get_data(as_text=True)
    assert client.get("/offerings/new").status_code == 403
    assert client.get("/offerings/mine").status_code == 403


def test_form_is_in_korean_with_taxonomy_labels(client, vendor_user):
    login(client, vendor_user)
    html = client.get("/offerings/new").get_data(as_text=True)
    assert "비전 불량 검사" in html and "엣지 장비" in html and "부산광역시" in html
    assert html.count('type="range"') == 7
    assert "<script>" not in html.replace('<script src=', '')


def test_vendor_publishes_through_the_form(client, db_session, vendor, vendor_user):
    login(client, vendor_user)
    response = post_form(client, "/offerings/new", FORM)
    assert response.status_code == 302
    offering = db_session.exec(select(Offering).where(Offering.organisation_id == vendor.id)).one()
    assert response.headers["Location"].endswith(f"/offerings/{offering.id}")
    assert offering.profile["quality"] == 0.95 and offering.profile["cost"] == 0.4
    assert offering.reference_projects == [{"title": "차체 브래킷 홀 위치 전수검사", "client_description": "경북 1차 협력사",
                                            "kpi": "치수불량 유출", "achieved": "620ppm → 45ppm"}]
    assert offering.regions_served == []
    page = client.get(f"/offerings/{offering.id}").get_data(as_text=True)
    assert "정밀 치수 비전검사" in page and "80,000,000원" in page and "620ppm → 45ppm" in page


def test_bad_form_is_shown_again_with_every_error(client, db_session, vendor_user):
    login(client, vendor_user)
    response = post_form(client, "/offerings/new", {**FORM, "capabilities": [], "price_min_krw": "300000000",
                                                    "references_1_kpi": "가동률"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-testid="error-capabilities"' in html
    assert 'data-testid="error-price_max_krw"' in html
    assert 'data-testid="error-references_1_title"' in html
    assert 'value="가동률"' in html  # what was typed is kept
    assert db_session.exec(select(Offering)).all() == []


def test_html_in_a_title_is_shown_escaped(client, make_offering, vendor):
    offering = make_offering(vendor, title='<script>alert("x")</script><b>검사</b>')
    for url in (f"/offerings/{offering.id}", f"/vendors/{vendor.id}", "/offerings?q=검사"):
        html = client.get(url).get_data(as_text=True)
        assert '<script>alert("x")' not in html and "<b>검사</b>" not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_owner_edits_and_changes_are_saved(client, db_session, make_offering, vendor, vendor_user):
    offering = make_offering(vendor)
    login(client, vendor_user)
    form = client.get(f"/offerings/{offering.id}/edit").get_data(as_text=True)
    assert 'value="정밀 치수 비전검사 (엣지형)"' in form and 'value="95"' in form
    response = post_form(client, f"/offerings/{offering.id}/edit",
                         {**FORM, "title": "정밀 치수 비전검사 2.0", "capabilities": ["visual_inspection"],
                          "regions_served": ["ulsan", "gyeongnam"]})
    assert response.status_code == 302
    db_session.expire_all()
    stored = db_session.get(Offering, offering.id)
    assert stored.title == "정밀 치수 비전검사 2.0" and stored.capabilities == ["visual_inspection"]
    assert stored.regions_served == ["ulsan", "gyeongnam"]


def test_another_vendor_cannot_edit_and_nothing_changes(client, db_session, factory, make_offering, vendor):
    offering = make_offering(vendor)
    login(client, factory.user(factory.vendor()))
    assert client.get(f"/offerings/{offering.id}/edit").status_code == 403
    response = post_form(client, f"/offerings/{offering.id}/edit", {**FORM, "title": "가로챔"}, page="/offerings/new")
    assert response.status_code == 403
    assert post_form(client, f"/offerings/{offering.id}/pause", {}, page="/offerings/new").status_code == 403
    db_session.expire_all()
    stored = db_session.get(Offering, offering.id)
    assert stored.title == VISION["title"] and stored.status == OfferingStatus.ACTIVE


def test_pause_hides_the_offering_from_others(app, client, db_session, make_offering, vendor, vendor_user):
    offering = make_offering(vendor)
    login(client, vendor_user)
    response = post_form(client, f"/offerings/{offering.id}/pause", {"next": "/offerings/mine"}, page="/offerings/mine")
    assert response.status_code == 302 and response.headers["Location"].endswith("/offerings/mine")
    mine = client.get("/offerings/mine").get_data(as_text=True)
    assert "일시 중지" in mine
    assert client.get(f"/offerings/{offering.id}").status_code == 200

    stranger = app.test_client()
    assert stranger.get(f"/offerings/{offering.id}").status_code == 404
    assert VISION["title"] not in stranger.get(f"/vendors/{vendor.id}").get_data(as_text=True)

    post_form(client, f"/offerings/{offering.id}/activate", {}, page="/offerings/mine")
    assert stranger.get(f"/offerings/{offering.id}").status_code == 200


def test_vendor_profile_shows_organisation_offerings_and_track_record(client, db_session, make_offering, vendor):
    make_offering(vendor, completed_projects=14)
    make_offering(vendor, title="설비 예지보전 엣지 솔루션", capabilities=["predictive_maintenance"], completed_projects=6)
    html = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert vendor.name_ko in html
    assert html.count('data-testid="offering-card"') == 2
    track = re.search(r'data-testid="track-record".*?</div></div>', html, re.S).group(0)
    assert ">20<" in track
    assert "차체 브래킷 홀 위치 전수검사" in html


def test_vendor_profile_is_only_for_vendors(client, factory):
    assert client.get(f"/vendors/{factory.sme().id}").status_code == 404
    assert client.get("/vendors/999999").status_code == 404


def test_catalogue_searches_korean_text(client, make_offering):
    make_offering()
    make_offering(title="소상공인 수요예측 SaaS", description="내일 빵 생산량을 예측합니다.",
                  capabilities=["demand_forecasting"])
    html = client.get("/offerings?q=수요예측").get_data(as_text=True)
    assert "소상공인 수요예측 SaaS" in html and "정밀 치수 비전검사" not in html
    html = client.get("/offerings?capability=visual_inspection").get_data(as_text=True)
    assert "정밀 치수 비전검사" in html and "소상공인" not in html


def test_english_reader_sees_english_labels(client, vendor_user):
    login(client, vendor_user)
    post_form(client, "/language", {"lang": "en", "next": "/offerings/new"}, page="/")
    html = client.get("/offerings/new").get_data(as_text=True)
    assert "New offering" in html and "Edge device" in html and "Visual inspection" in html


def test_an_error_in_a_later_reference_row_lands_on_that_row(client, vendor_user):
    login(client, vendor_user)
    rows = {k: "" for k in FORM if k.startswith("references_0_")}
    response = post_form(client, "/offerings/new", {**FORM, **rows, "references_2_kpi": "가동률"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-testid="error-references_2_title"' in html
    assert 'data-testid="error-references_0_title"' not in html


def test_numbers_that_are_not_numbers_are_explained_next_to_the_field(client, db_session, vendor_user):
    login(client, vendor_user)
    response = post_form(client, "/offerings/new", {**FORM, "price_min_krw": "많이", "typical_weeks": "0"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'data-testid="error-price_min_krw">정수를 입력하세요.<', html)
    assert re.search(r'data-testid="error-typical_weeks">1 이상이어야 합니다.<', html)
    assert 'value="많이"' in html
    assert db_session.exec(select(Offering)).all() == []


def test_the_form_has_a_row_for_each_reference_and_one_more(client, db_session, make_offering, vendor, vendor_user):
    references = [{"title": f"참조 프로젝트 {n}", "client_description": "", "kpi": "", "achieved": f"{n}0% 개선"}
                  for n in range(1, 6)]
    offering = make_offering(vendor, references=references)
    login(client, vendor_user)
    html = client.get(f"/offerings/{offering.id}/edit").get_data(as_text=True)
    assert html.count('data-testid="reference-row"') == 6
    assert 'value="참조 프로젝트 5"' in html
    response = post_form(client, f"/offerings/{offering.id}/edit",
                         {**{k: v for k, v in FORM.items() if not k.startswith("references_")},
                          **{f"references_{i}_{key}": value for i, ref in enumerate(references)
                             for key, value in ref.items()},
                          "references_5_title": "여섯 번째 프로젝트"})
    assert response.status_code == 302
    db_session.expire_all()
    stored = db_session.get(Offering, offering.id).reference_projects
    assert [r["title"] for r in stored] == [f"참조 프로젝트 {n}" for n in range(1, 6)] + ["여섯 번째 프로젝트"]
    assert post_form(client, "/offerings/new", {}, page="/offerings/new").status_code == 422
    assert client.get("/offerings/new").get_data(as_text=True).count('data-testid="reference-row"') == 3
