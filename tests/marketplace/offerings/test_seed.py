from sqlmodel import select

from marketplace.offerings import services
from marketplace.offerings.models import Offering
from marketplace.offerings.schemas import OfferingFilters
from seed.loader import SeedReport, _load_organisations, read
from seed.offerings import load_offerings


def test_demo_offerings_load_once(db_session):
    report = SeedReport()
    orgs = _load_organisations(db_session, report)
    loaded = load_offerings(db_session, orgs, report)
    records = read("offerings.json")
    assert report.created["offerings"] == len(records) == len(loaded)
    orot = loaded["orot-precision-dimension-vision"]
    assert orot.organisation_id == orgs["orot-vision"].id
    assert orot.completed_projects == 14 and float(orot.mean_review) == 4.7

    again = SeedReport()
    assert load_offerings(db_session, orgs, again) == loaded
    assert again.existing["offerings"] == len(records) and again.created["offerings"] == 0
    assert len(db_session.exec(select(Offering)).all()) == len(records)

    found = [o.title for o, _ in services.list_offerings(db_session, OfferingFilters(q="비전검사"))]
    assert "정밀 치수 비전검사 (엣지형)" in found
