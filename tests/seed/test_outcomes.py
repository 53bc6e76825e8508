"""The demo world's KPI acceptance: a passed evaluation, a failed first attempt, follow-up answers."""

from sqlmodel import select

from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement
from marketplace.outcomes import services as outcomes
from marketplace.outcomes.models import Evaluation, FollowUp, Holdout
from seed.loader import load_demo_world


def test_demo_world_has_sealed_holdouts_evaluations_and_follow_ups(app, db_session):
    load_demo_world(app)
    holdouts = db_session.exec(select(Holdout)).all()
    assert {h.kpi_name for h in holdouts} == {"28일 강도 예측 오차 (RMSE)", "유통기한 예측 오차"}
    for h in holdouts:
        terms = agreements.terms_of(agreements.get_version(db_session, db_session.get(Agreement, h.agreement_id)))
        assert any(k.protocol and k.protocol.holdout and k.protocol.holdout.sha256 == h.sha256 for k in terms.kpis)
    attempts = db_session.exec(select(Evaluation).order_by(Evaluation.agreement_id, Evaluation.attempt)).all()
    verdicts = [(e.attempt, e.passed) for e in attempts]
    assert verdicts.count((1, False)) == 1 and (2, True) in verdicts and verdicts.count((1, True)) == 1
    answered = db_session.exec(select(FollowUp).where(FollowUp.answered_at.is_not(None))).all()
    assert sorted(f.months for f in answered) == [6, 12]
    vendor = answered[0].vendor_id
    outcome = outcomes.verified_kpi_outcomes(db_session, vendor)
    assert outcome.evaluated == 1 and outcome.achieved == 1 and outcome.in_use_rate == 100
