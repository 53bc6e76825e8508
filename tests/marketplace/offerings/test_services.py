import math

import pytest
from sqlmodel import select

from marketplace.core.errors import NotAllowed, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.offerings import services
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.offerings.schemas import OfferingCreate, OfferingFilters, OfferingUpdate
from tests.marketplace.offerings.conftest import FORECAST, vision, vision_data


def test_vendor_publishes_a_vision_offering(db_session, vendor, vendor_user):
    offering = services.create_offering(db_session, vendor_user=vendor_user, data=vision())
    assert offering.id and offering.organisation_id == vendor.id
    assert offering.status == OfferingStatus.ACTIVE
    assert offering.capabilities == ["visual_inspection", "quality_prediction"]
    assert offering.reference_projects[0]["achieved"] == "고객 클레임 620ppm → 45ppm"
    assert offering.profile["quality"] == 0.95
    db_session.expire_all()
    assert db_session.get(Offering, offering.id).price_max_krw == 250_000_000


def test_the_contract_built_directly_is_accepted(db_session, vendor_user):
    data = OfferingCreate(**vision_data())
    assert services.create_offering(db_session, vendor_user=vendor_user, data=data).title == "정밀 치수 비전검사 (엣지형)"


def test_an_sme_cannot_publish_an_offering(db_session, factory):
    sme_user = factory.user(factory.sme())
    with pytest.raises(NotAllowed):
        services.create_offering(db_session, vendor_user=sme_user, data=vision())
    assert db_session.exec(select(Offering)).all() == []


def test_a_vendor_user_cannot_publish_for_another_vendor(db_session, factory, vendor_user):
    with pytest.raises(NotAllowed):
        services.create_offering(db_session, vendor_user=vendor_user, vendor=factory.vendor(), data=vision())


def test_every_bad_field_is_reported_at_once(db_session, vendor_user):
    bad = vision_data(title="가" * 201, capabilities=["telepathy"], price_min_krw=300_000_000,
                      profile={**vision_data()["profile"], "quality": 1.5}, deployment_modes=["mainframe"],
                      typical_weeks=0, capacity=101, industries=["Z99"], regions_served=["atlantis"])
    with pytest.raises(ValidationFailed) as caught:
        services.create_offering(db_session, vendor_user=vendor_user, data=parse(OfferingCreate, bad))
    fields = caught.value.fields
    assert set(fields) == {"title", "capabilities", "price_max_krw", "profile.quality", "deployment_modes",
                           "typical_weeks", "capacity", "industries", "regions_served"}
    assert "200" in fields["title"]
    assert "telepathy" in fields["capabilities"]
    assert db_session.exec(select(Offering)).all() == []


def test_messages_are_korean_by_default(db_session, vendor_user):
    with pytest.raises(ValidationFailed) as caught:
        services.create_offering(db_session, vendor_user=vendor_user, data=vision(capabilities=[]))
    assert caught.value.fields["capabilities"] == "역량을 하나 이상 선택하세요."


@pytest.mark.parametrize("profile, field", [
    ({"quality": 0.9}, "profile.throughput"),
    ({**vision_data()["profile"], "quality": math.nan}, "profile.quality"),
    ({**vision_data()["profile"], "quality": math.inf}, "profile.quality"),
    ({**vision_data()["profile"], "quality": -0.1}, "profile.quality"),
    ({**vision_data()["profile"], "quality": True}, "profile.quality"),
    ({**vision_data()["profile"], "beauty": 0.5}, "profile.beauty"),
    ("high", "profile"),
])
def test_profile_needs_all_seven_criteria_between_0_and_1(db_session, vendor_user, profile, field):
    with pytest.raises(ValidationFailed) as caught:
        services.create_offering(db_session, vendor_user=vendor_user, data=vision(profile=profile))
    assert field in caught.value.fields


def test_prices_must_be_whole_won_in_range(db_session, vendor_user):
    for min_, max_, field in ((1.5, 10, "price_min_krw"), (0, 100_000_000_001, "price_max_krw"),
                              (-1, 10, "price_min_krw"), ("100", 200, "price_min_krw")):
        with pytest.raises(ValidationFailed) as caught:
            services.create_offering(db_session, vendor_user=vendor_user,
                                     data=vision(price_min_krw=min_, price_max_krw=max_))
        assert field in caught.value.fields, (min_, max_)
    free = services.create_offering(db_session, vendor_user=vendor_user,
                                    data=vision(price_min_krw=0, price_max_krw=0))
    assert free.price_max_krw == 0


def test_references_are_limited_and_checked(db_session, vendor_user):
    ref = vision_data()["references"][0]
    with pytest.raises(ValidationFailed) as caught:
        services.create_offering(db_session, vendor_user=vendor_user, data=vision(references=[ref] * 11))
    assert "references" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        services.create_offering(db_session, vendor_user=vendor_user,
                                 data=vision(references=[{**ref, "client_description": "x" * 301},
                                                              {**ref, "title": " "}]))
    assert set(caught.value.fields) == {"references.0.client_description", "references.1.title"}


def test_html_is_stored_as_typed(db_session, vendor_user):
    offering = services.create_offering(db_session, vendor_user=vendor_user,
                                        data=vision(title="<script>alert(1)</script> 검사"))
    assert offering.title == "<script>alert(1)</script> 검사"


def test_owner_updates_and_the_result_must_stay_valid(db_session, make_offering, vendor, vendor_user):
    offering = make_offering(vendor)
    services.update_offering(db_session, user=vendor_user, offering=offering,
                             changes=OfferingUpdate(price_max_krw=300_000_000, capacity=0))
    assert (offering.price_max_krw, offering.capacity) == (300_000_000, 0)
    with pytest.raises(ValidationFailed) as caught:
        services.update_offering(db_session, user=vendor_user, offering=offering,
                                 changes=OfferingUpdate(price_min_krw=400_000_000))
    assert "price_max_krw" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        services.update_offering(db_session, user=vendor_user, offering=offering,
                                 changes=parse(OfferingUpdate, {"colour": "blue"}))
    assert "colour" in caught.value.fields


def test_another_vendor_cannot_change_an_offering(db_session, factory, make_offering, vendor):
    offering = make_offering(vendor)
    rival = factory.user(factory.vendor())
    with pytest.raises(NotAllowed):
        services.update_offering(db_session, user=rival, offering=offering, changes=OfferingUpdate(title="가로챔"))
    with pytest.raises(NotAllowed):
        services.set_offering_status(db_session, user=rival, offering=offering, status="paused")
    db_session.expire_all()
    stored = db_session.get(Offering, offering.id)
    assert stored.title == "정밀 치수 비전검사 (엣지형)" and stored.status == OfferingStatus.ACTIVE


def test_paused_offering_is_visible_only_to_its_vendor(db_session, factory, make_offering, vendor, vendor_user):
    offering = make_offering(vendor)
    services.set_offering_status(db_session, user=vendor_user, offering=offering, status="paused")
    assert services.get_offering(db_session, offering.id, viewer=vendor_user) is offering
    for viewer in (None, factory.user(factory.sme()), factory.user(factory.vendor())):
        with pytest.raises(NotFound):
            services.get_offering(db_session, offering.id, viewer=viewer)
    assert services.list_offerings(db_session) == []
    assert [o for o, _ in services.list_offerings(db_session, viewer=vendor_user)] == [offering]
    assert services.list_vendor_offerings(db_session, vendor) == []
    assert services.list_vendor_offerings(db_session, vendor, viewer=vendor_user) == [offering]
    with pytest.raises(ValidationFailed):
        services.set_offering_status(db_session, user=vendor_user, offering=offering, status="deleted")


def test_missing_offering_is_not_found(db_session):
    with pytest.raises(NotFound):
        services.get_offering(db_session, 999_999)


def test_search_filters_and_korean_substrings(db_session, factory, make_offering):
    vision_vendor, forecast_vendor = factory.vendor(), factory.vendor()
    vision = make_offering(vision_vendor)
    forecast = make_offering(forecast_vendor, **{k: v for k, v in FORECAST.items() if k != "profile"})

    def found(**kw):
        return [o.id for o, _ in services.list_offerings(db_session, parse(OfferingFilters, kw))]

    assert found(q="비전검사") == [vision.id]
    assert found(q="빵 생산") == [forecast.id]  # in the description, mid-sentence
    assert found(q="엣지") == [vision.id]
    assert found(q="100%") == []
    assert found(capability="demand_forecasting") == [forecast.id]
    assert found(capability="visual_inspection") == [vision.id]
    assert found(industry="C29") == [vision.id]
    assert found(deployment_mode="cloud") == [forecast.id]
    assert set(found(region="busan")) == {vision.id, forecast.id}  # the vision offering is nationwide
    assert found(region="seoul") == [vision.id]
    assert found(vendor_id=forecast_vendor.id) == [forecast.id]
    with pytest.raises(ValidationFailed) as caught:
        found(capability="telepathy", region="atlantis")
    assert set(caught.value.fields) == {"capability", "region"}


def test_track_record_adds_up_the_offerings(db_session, make_offering, vendor):
    a = make_offering(vendor, completed_projects=14)
    b = make_offering(vendor, title="설비 예지보전", completed_projects=6)
    a.mean_review, b.mean_review = 4.8, 4.0
    record = services.track_record([a, b])
    assert record.completed_projects == 20
    assert str(record.mean_review) == "4.6"
    assert len(record.references) == 2
