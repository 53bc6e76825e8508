"""The agreement says what was awarded, in the reader's language: the deployment of the winning bid, data
kinds by their names (never a code), English text in the English agreement, Korean time with its zone."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta

import pytest

import contracts
from marketplace.agreements import services
from marketplace.bids import services as bids
from marketplace.core.types import travel
from tests.helpers import login

ASSETS = [{"kind": "tabular", "description": "POS", "volume": "41만 행", "period_months": 36, "labelled": False},
          {"kind": "time_series", "description": "", "volume": "", "period_months": None, "labelled": False}]


def award(factory, db_session, *, modes, **problem):
    problem = factory.problem(state="bidding", data_assets=ASSETS, systems=["pos", "spreadsheet"], **problem)
    vendor = factory.user(factory.vendor(), name="박공급")
    offering = factory.offering(db_session.get(type(factory.vendor()), vendor.organisation_id),
                                deployment_modes=modes)
    bid = factory.bid(problem, vendor, offering_id=offering.id)
    with travel(timedelta(days=8)):
        bids.award_bid(db_session, user=problem_owner(db_session, problem), bid=bid)
        db_session.commit()
    agreement = services.agreement_for_problem(db_session, problem)
    return problem, agreement, services.terms_of(services.get_version(db_session, agreement))


def draft(terms, lang: str) -> str:
    """The agreement's HTML without the word joiners that keep Korean words together."""
    return contracts.draft_html(terms, lang).replace("\u2060", "")


def problem_owner(db_session, problem):
    from marketplace.accounts.models import User

    return db_session.get(User, problem.created_by_id)


def test_a_winner_that_only_deploys_on_premises_gets_the_on_premises_clause(factory, db_session, fast_pdf):
    _problem, _a, terms = award(factory, db_session, modes=["on_premises"])
    assert terms.on_premises is True
    assert "수요기업의 사업장 안에 있는 서버" in draft(terms, "ko")
    _problem, _a, cloud = award(factory, db_session, modes=["cloud", "on_premises"])
    assert cloud.on_premises is False


def test_the_english_agreement_names_data_and_test_sets_in_english(factory, db_session, fast_pdf):
    _problem, _a, terms = award(factory, db_session, modes=["cloud"])
    english = draft(terms, "en")
    korean = draft(terms, "ko")
    for code in ("tabular", "time_series"):
        assert not re.search(rf"\b{code}\b", english) and not re.search(rf"\b{code}\b", korean)
    assert "Tabular data (spreadsheets, databases), POS, 41만 행, 36 months" in english
    assert "hold-out set of the last 3 months of Tabular data" in english
    assert "홀드아웃" not in english and "개월" not in english
    assert "표 형식 데이터(엑셀·DB), POS, 41만 행, 36개월" in korean


def test_signing_times_are_korean_time_with_the_zone():
    from datetime import UTC, datetime

    assert contracts.formatting.format_datetime(datetime(2026, 3, 2, 23, 30, tzinfo=UTC), "en") == \
        "3 March 2026 08:30 KST"


def test_problem_and_agreement_pages_show_names_not_codes(app, factory, db_session, fast_pdf):
    problem, agreement, _terms = award(factory, db_session, modes=["on_premises"])
    owner = problem_owner(db_session, problem)
    for lang in ("ko", "en"):
        owner.locale = lang
        db_session.add(owner)
        db_session.commit()
        client = app.test_client()
        login(client, owner)
        for url in (f"/problems/{problem.id}", f"/agreements/{agreement.id}", f"/problems/{problem.id}/edit/3"):
            page = client.get(url).get_data(as_text=True)
            for code in ("tabular", "time_series", "spreadsheet"):
                assert not re.search(rf'>[^<]*\b{code}\b[^<]*<|value="{code}"(?![^>]*type="checkbox")', page), \
                    (lang, url, code)
        page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
        assert ("구축형(온프레미스)" if lang == "ko" else "On-premises") in page


HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_the_english_pdf_has_no_korean_when_the_bid_leaves_the_optional_texts_empty(factory, db_session):
    """Everything a party wrote is English, and the bid names no service level and no documentation: the
    English PDF's maintenance and deliverables clauses print the platform's defaults in English, and no
    Korean is left anywhere in it (the Korean PDF keeps the Korean defaults)."""
    owner = factory.user(factory.sme(name_en="Hanbit Bakery"), name="Minji Kim")
    problem = factory.problem(
        owner, state="bidding", title="Forecast tomorrow's bread to cut waste", description="Three shops bake forty kinds of bread every morning and throw away 15% of it.",
        process="Baking plan",
        kpis=[{"name": "Same-day waste rate", "unit": "%", "baseline": "15.2", "target": "7.0", "direction": "lower"}],
        data_assets=[{"kind": "tabular", "description": "per shop and item", "volume": "410k rows",
                      "period_months": 36, "labelled": False}])
    vendor = factory.user(factory.vendor(name_en="Vision AI Lab"), name="Jiho Park")
    bid = factory.bid(problem, vendor, approach="Clean the POS data\nTrain a demand model", team="Two data scientists",
                      milestones=[{"name": "Data link", "deliverable": "POS connector", "week": 3,
                                   "payment_percent": 40},
                                  {"name": "Forecast model", "deliverable": "Demand model", "week": 8,
                                   "payment_percent": 60}],
                      service_level="")
    with travel(timedelta(days=8)):
        bids.award_bid(db_session, user=owner, bid=bid)
        db_session.commit()
    terms = services.terms_of(services.get_version(db_session, services.agreement_for_problem(db_session, problem)))

    def text(lang: str) -> str:
        pdf = contracts.render_pdf(terms, lang)
        out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        return " ".join(out.replace("\u2060", "").split())

    english, korean = text("en"), text("ko")
    assert not HANGUL.search(english), re.findall(r"\S*[\uac00-\ud7a3]+\S*", english)
    assert "Model description and operating manual" in english
    assert "a response within one business day of a reported failure" in english
    assert "모델 설명서·운영 매뉴얼" in korean and "장애 접수 후 1영업일 이내 대응" in korean
