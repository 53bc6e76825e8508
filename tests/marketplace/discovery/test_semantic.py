"""The semantic channel in the app: offerings embedded when written, a problem once, no request embeds offerings."""

import numpy as np
import pytest
from sqlmodel import select

from marketplace.accounts.models import User
from marketplace.discovery import services as discovery
from marketplace.discovery.services import index as shared
from marketplace.discovery.services import records
from marketplace.offerings import services as offerings
from marketplace.offerings.models import Offering
from marketplace.offerings.schemas import OfferingUpdate
from matching.semantic import E5Embedder, default_embedder
from matching.tokens import word_tokens
from tests.helpers import api_token, bearer

COMMON = dict(capabilities=["demand_forecasting"], industries=["C10"], deployment_modes=["cloud"],
              price_min_krw=20_000_000, price_max_krw=30_000_000, typical_weeks=8, completed_projects=5,
              profile={"quality": 0.5, "throughput": 0.5, "cost": 0.5, "delivery_speed": 0.5,
                       "explainability": 0.5, "data_privacy": 0.5, "maintenance": 0.5})
BAKERY = dict(title="Next-day bread production planning for bakeries",
              description="We predict how many loaves and pastries each shop will sell tomorrow from till receipts, "
                          "so bakers bake the right amount and throw away less.")
DISTRACTORS = [
    dict(title="Weld seam inspection with industrial cameras",
         description="Cameras on the line spot cracks and porosity in steel welds and stop faulty parts."),
    dict(title="Contract clause review for law firms",
         description="Reads agreements and flags risky indemnity and termination clauses for lawyers."),
]


def _matches(client, db_session, problem):
    owner = db_session.exec(select(User).where(User.organisation_id == problem.organisation_id)).first()
    response = client.get(f"/api/v1/problems/{problem.id}/matches", headers=bearer(api_token(client, owner)))
    assert response.status_code == 200, response.json
    return [m["offering_id"] for m in response.json["items"]]


def test_writing_an_offering_stores_its_embedding(factory, db_session, monkeypatch):
    offering = factory.offering(**BAKERY)
    model = default_embedder()
    assert offering.embedding_model == model.name
    vector = np.frombuffer(offering.embedding, dtype=np.float32)
    assert vector.shape == (model.dim,)
    assert np.array_equal(vector, model.embed([offerings.offering_text(offering)])[0])
    owner = factory.user(db_session.get(type(factory.vendor()), offering.organisation_id))
    # A change of price leaves the text, so the vector, as it is ...
    monkeypatch.setattr(E5Embedder, "embed", lambda self, texts: pytest.fail("embedded without a text change"))
    offerings.update_offering(db_session, user=owner, offering=offering,
                              changes=OfferingUpdate(price_max_krw=35_000_000))
    monkeypatch.undo()
    # ... a new title embeds it again.
    offerings.update_offering(db_session, user=owner, offering=offering,
                              changes=OfferingUpdate(title="Bakery demand forecasting"))
    assert not np.array_equal(np.frombuffer(offering.embedding, dtype=np.float32), vector)


def test_a_korean_problem_finds_an_english_offering_with_no_word_in_common(client, factory, db_session):
    problem = factory.problem(state="enquiries")
    bakery = factory.offering(**COMMON, **BAKERY)
    others = [factory.offering(**COMMON, **d) for d in DISTRACTORS]
    assert not set(word_tokens(f"{problem.title} {problem.description}")) & set(
        word_tokens(f"{bakery.title} {bakery.description}"))
    ranked = _matches(client, db_session, problem)
    assert ranked[0] == bakery.id and set(ranked) >= {o.id for o in others}


def test_no_request_builds_or_embeds_offerings_and_a_problem_is_embedded_once(client, factory, db_session, app,
                                                                               monkeypatch):
    problem = factory.problem(state="enquiries")
    first = factory.offering(**COMMON, **DISTRACTORS[0])
    discovery.refresh_index(db_session, shared.index_dir(app), job=True)
    second = factory.offering(**COMMON, **BAKERY)  # after the snapshot: applied by the worker from its stored vector
    monkeypatch.setattr(E5Embedder, "embed", lambda self, texts: pytest.fail("a request embedded an offering"))
    monkeypatch.setattr(shared, "build_full", lambda session: pytest.fail("a request built an index"))
    records._problem_embeddings.clear()
    calls = []
    original = E5Embedder.embed_query
    monkeypatch.setattr(E5Embedder, "embed_query", lambda self, texts: calls.append(list(texts)) or original(self, texts))
    assert _matches(client, db_session, problem)[0] == second.id
    assert first.id in _matches(client, db_session, problem)
    assert len(calls) == 1  # the problem's text, once (the worker's upsert and both rankings share it)


def test_the_refresh_job_embeds_offerings_stored_without_one(factory, db_session, app):
    offering = factory.offering(**BAKERY)
    offering.embedding, offering.embedding_model = None, None
    db_session.add(offering)
    db_session.commit()
    report = discovery.refresh_index(db_session, shared.index_dir(app), job=True)
    assert report.offerings == 1
    db_session.expire_all()
    stored = db_session.get(Offering, offering.id)
    assert stored.embedding_model == default_embedder().name and len(stored.embedding) == 4 * default_embedder().dim
