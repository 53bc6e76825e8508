import json

import pytest
from sqlmodel import select

from marketplace.discovery import services as discovery
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.problems.models import Problem
from seed.loader import DATA, load_demo_world

VISION = dict(title="Edge vision inspection for dimensional defects",
              description="Camera-based measurement of stamped parts on the line; flags dimensional errors.",
              capabilities=["visual_inspection"], industries=["C30"], deployment_modes=["edge", "on_premises"])


def test_new_and_paused_offerings_show_in_the_next_ranking(factory, db_session, app):
    problem = factory.problem()
    first = factory.offering()
    with app.test_request_context():
        assert [r.offering.id for r in discovery.rank_offerings_for_problem(db_session, problem)] == [first.id]
        second = factory.offering(title="베이커리 전용 생산량 예측", price_min_krw=10_000_000)
        ranked = [r.offering.id for r in discovery.rank_offerings_for_problem(db_session, problem)]
        assert set(ranked) == {first.id, second.id}
        first.status = OfferingStatus.PAUSED
        db_session.add(first)
        db_session.commit()
        assert [r.offering.id for r in discovery.rank_offerings_for_problem(db_session, problem)] == [second.id]


def test_on_premises_requirement_filters_cloud_only_offerings(factory, db_session, app):
    problem = factory.problem(on_premises_required=True)
    cloud = factory.offering()
    edge = factory.offering(**{**VISION, "capabilities": ["demand_forecasting"], "industries": ["C10"]})
    with app.test_request_context():
        ranked = [r.offering.id for r in discovery.rank_offerings_for_problem(db_session, problem)]
    assert edge.id in ranked and cloud.id not in ranked


def test_what_if_weights_change_the_order(factory, db_session, app):
    problem = factory.problem()
    cheap = factory.offering(title="저가형 수요 예측", profile={"quality": 0.3, "throughput": 0.5, "cost": 1.0,
                             "delivery_speed": 0.9, "explainability": 0.3, "data_privacy": 0.3, "maintenance": 0.4})
    premium = factory.offering(title="고정밀 수요 예측", profile={"quality": 1.0, "throughput": 0.5, "cost": 0.2,
                               "delivery_speed": 0.4, "explainability": 0.9, "data_privacy": 0.8, "maintenance": 0.9})
    with app.test_request_context():
        by_cost = discovery.rank_offerings_for_problem(db_session, problem, weights={"cost": 90, "quality": 10})
        by_quality = discovery.rank_offerings_for_problem(db_session, problem, weights={"quality": 90, "cost": 10})
    assert by_cost[0].offering.id == cheap.id
    assert by_quality[0].offering.id == premium.id


def test_reasons_come_in_the_users_language(factory, db_session, app):
    from flask import session

    problem = factory.problem()
    factory.offering()
    with app.test_request_context():
        korean = discovery.rank_offerings_for_problem(db_session, problem)[0].reasons
        session["locale"] = "en"
        from flask_babel import refresh
        refresh()
        english = discovery.rank_offerings_for_problem(db_session, problem)[0].reasons
    assert any("수요 예측" in r for r in korean)
    assert any("demand forecasting" in r.lower() for r in english)


def test_bad_what_if_weights_are_refused(app):
    with app.test_request_context(), pytest.raises(discovery.ValidationFailed):
        discovery.parse_weights("quality:abc")
    with app.test_request_context(), pytest.raises(discovery.ValidationFailed):
        discovery.parse_weights("quality:0,cost:0")


def test_vendor_sees_open_problems_ranked_and_not_invited_only_ones(factory, db_session, app):
    vendor = factory.vendor()
    vendor_user = factory.user(vendor)
    factory.offering(vendor)
    visible = factory.problem(state="enquiries")
    hidden = factory.problem(state="enquiries", visibility="invited")
    factory.problem()  # a draft
    with app.test_request_context():
        ranked = discovery.rank_problems_for_vendor(db_session, user=vendor_user, vendor=vendor)
    assert [r.problem.id for r in ranked] == [visible.id]
    assert hidden.id not in [r.problem.id for r in ranked]


@pytest.mark.slow
def test_on_the_demo_world_the_obviously_right_vendor_ranks_first(app, db_session):
    load_demo_world(app)
    expected = {p["title"]: p["expected_best_offering"] for p in
                json.loads((DATA / "problems.json").read_text(encoding="utf-8"))}
    offering_titles = {o["key"]: o["title"] for o in json.loads((DATA / "offerings.json").read_text(encoding="utf-8"))}
    misses = []
    with app.test_request_context():
        for problem in db_session.exec(select(Problem)).all():
            ranked = discovery.rank_offerings_for_problem(db_session, problem, top=3)
            want = offering_titles[expected[problem.title]]
            if not ranked or ranked[0].offering.title != want:
                misses.append((problem.title, want, [r.offering.title for r in ranked]))
    assert not misses, misses
    assert db_session.exec(select(Offering)).first() is not None
