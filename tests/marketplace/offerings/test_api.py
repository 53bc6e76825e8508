from sqlmodel import select

from marketplace.offerings.models import Offering
from tests.helpers import api_token, bearer
from tests.marketplace.offerings.conftest import vision_data


def test_vendor_creates_reads_and_patches_an_offering(client, db_session, vendor, vendor_user):
    headers = bearer(api_token(client, vendor_user))
    response = client.post("/api/v1/offerings", json=vision_data(), headers=headers)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["vendor_id"] == vendor.id and body["vendor_name_ko"] == vendor.name_ko
    assert body["status"] == "active" and body["price_min_krw"] == 80_000_000
    assert body["references"][0]["kpi"] == "치수불량 유출"
    assert body["created_at"].endswith(("Z", "+00:00"))

    public = client.get(f"/api/v1/offerings/{body['id']}")
    assert public.status_code == 200 and public.json["title"] == "정밀 치수 비전검사 (엣지형)"

    patched = client.patch(f"/api/v1/offerings/{body['id']}", json={"capacity": 0, "status": "paused"},
                           headers=headers)
    assert patched.status_code == 200, patched.json
    assert patched.json["capacity"] == 0 and patched.json["status"] == "paused"
    assert patched.json["title"] == body["title"]  # unsent fields keep their values
    assert client.get(f"/api/v1/offerings/{body['id']}").status_code == 404  # paused: hidden from the public
    assert client.get(f"/api/v1/offerings/{body['id']}", headers=headers).status_code == 200


def test_writes_need_a_token(client):
    response = client.post("/api/v1/offerings", json=vision_data())
    assert response.status_code == 401
    assert response.headers["Content-Type"].startswith("application/problem+json")


def test_sme_cannot_create(client, db_session, factory):
    headers = bearer(api_token(client, factory.user(factory.sme())))
    response = client.post("/api/v1/offerings", json=vision_data(), headers=headers)
    assert response.status_code == 403
    assert response.json["detail"] == "AI 공급기업만 솔루션을 등록할 수 있습니다."
    assert db_session.exec(select(Offering)).all() == []


def test_other_vendor_cannot_patch(client, db_session, factory, make_offering, vendor):
    offering = make_offering(vendor)
    headers = bearer(api_token(client, factory.user(factory.vendor())))
    response = client.patch(f"/api/v1/offerings/{offering.id}", json={"title": "가로챔"}, headers=headers)
    assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(Offering, offering.id).title == "정밀 치수 비전검사 (엣지형)"


def test_bad_input_gives_422_with_every_field(client, vendor_user):
    headers = bearer(api_token(client, vendor_user))
    data = vision_data(capabilities=["telepathy"], price_min_krw=300_000_000, title="가" * 201,
                       profile={**vision_data()["profile"], "quality": 1.5})
    response = client.post("/api/v1/offerings", json=data, headers=headers)
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json["errors"]}
    assert fields == {"title", "capabilities", "price_max_krw", "profile.quality"}


def test_wrong_types_are_422_not_500(client, vendor_user):
    headers = bearer(api_token(client, vendor_user))
    response = client.post("/api/v1/offerings", json={**vision_data(), "price_min_krw": "많이", "spam": 1},
                           headers=headers)
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"price_min_krw", "spam"}
    own = client.post("/api/v1/offerings", json=vision_data(), headers=headers).json["id"]
    response = client.patch(f"/api/v1/offerings/{own}", json={"title": None}, headers=headers)
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"title"}


def test_missing_offering_is_404(client):
    response = client.get("/api/v1/offerings/999999")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")


def test_list_is_paginated_and_filtered(client, factory, make_offering):
    vendor = factory.vendor()
    ids = [make_offering(vendor, title=f"비전 검사 패키지 {n}").id for n in range(5)]
    make_offering(title="소상공인 수요예측 SaaS", capabilities=["demand_forecasting"])
    page = client.get("/api/v1/offerings?per_page=2&page=2&q=비전 검사").json
    assert page["total"] == 5 and page["page"] == 2 and page["per_page"] == 2
    assert [i["id"] for i in page["items"]] == list(reversed(ids))[2:4]
    assert client.get(f"/api/v1/offerings?vendor_id={vendor.id}").json["total"] == 5
    forecast = client.get("/api/v1/offerings?capability=demand_forecasting").json
    assert [i["title"] for i in forecast["items"]] == ["소상공인 수요예측 SaaS"]
    bad = client.get("/api/v1/offerings?capability=telepathy&per_page=500")
    assert bad.status_code == 422


def test_unknown_filter_code_is_422(client):
    response = client.get("/api/v1/offerings?region=atlantis")
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["region"]


def test_openapi_lists_the_offering_schemas(client):
    doc = client.get("/api/v1/openapi.json").json
    assert set(doc["paths"]["/api/v1/offerings"]) == {"get", "post"}
    assert set(doc["paths"]["/api/v1/offerings/{offering_id}"]) == {"get", "patch"}
    assert {"OfferingCreate", "OfferingUpdate", "OfferingPublic"} <= set(doc["components"]["schemas"])
