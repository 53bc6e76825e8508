"""The catalogue reuses rendered offering cards, and never shows an old one after an edit."""

from tests.helpers import post_form


def test_an_edited_offering_shows_its_new_card(client, make_offering, db_session):
    offering = make_offering(title="소상공인 수요예측 SaaS", price_min_krw=10_000_000)
    assert "소상공인 수요예측 SaaS" in client.get("/offerings").get_data(as_text=True)
    html = client.get("/offerings").get_data(as_text=True)  # the same card, from memory
    assert "소상공인 수요예측 SaaS" in html and "10,000,000원" in html

    offering.title = "소상공인 수요예측 SaaS 2"
    offering.price_min_krw = 12_000_000
    db_session.add(offering)
    db_session.commit()
    html = client.get("/offerings").get_data(as_text=True)
    assert "소상공인 수요예측 SaaS 2" in html and "12,000,000원" in html and "10,000,000원" not in html


def test_a_card_is_kept_per_language(client, make_offering):
    make_offering(title="소상공인 수요예측 SaaS")
    html = client.get("/offerings").get_data(as_text=True)
    assert "구축 기간" in html and "Typical duration" not in html
    post_form(client, "/language", {"lang": "en", "next": "/offerings"}, page="/login")
    html = client.get("/offerings").get_data(as_text=True)
    assert "Typical duration" in html and "KRW " in html and "구축 기간" not in html
