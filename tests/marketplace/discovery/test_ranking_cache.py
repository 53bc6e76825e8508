"""Rankings of offerings are remembered until the index changes (the matches API answers fast, never stale)."""

from matching import MatchIndex
from marketplace.discovery import services as discovery


def test_the_same_ranking_is_answered_without_ranking_again_until_an_offering_changes(factory, db_session, app,
                                                                                      monkeypatch):
    problem = factory.problem()
    offering = factory.offering()
    calls = []
    original = MatchIndex.rank_offerings
    monkeypatch.setattr(MatchIndex, "rank_offerings", lambda self, *a, **kw: calls.append(1) or original(self, *a, **kw))
    with app.test_request_context():
        first = discovery.rank_offerings_for_problem(db_session, problem)
        again = discovery.rank_offerings_for_problem(db_session, problem)
        assert len(calls) == 1
        assert [(r.offering.id, r.score) for r in again] == [(r.offering.id, r.score) for r in first]

        offering.profile = {**offering.profile, "cost": 0.0, "quality": 0.0}  # the vendor edits its offering
        db_session.add(offering)
        db_session.commit()
        edited = discovery.rank_offerings_for_problem(db_session, problem)
    assert len(calls) == 2
    assert edited[0].score != first[0].score


def test_other_weights_are_ranked_not_remembered(factory, db_session, app, monkeypatch):
    problem = factory.problem()
    factory.offering()
    calls = []
    original = MatchIndex.rank_offerings
    monkeypatch.setattr(MatchIndex, "rank_offerings", lambda self, *a, **kw: calls.append(1) or original(self, *a, **kw))
    with app.test_request_context():
        discovery.rank_offerings_for_problem(db_session, problem, weights={"cost": 90, "quality": 10})
        discovery.rank_offerings_for_problem(db_session, problem, weights={"quality": 90, "cost": 10})
        discovery.rank_offerings_for_problem(db_session, problem, weights={"cost": 90, "quality": 10})
    assert len(calls) == 2
